#!/usr/bin/env bash
# Issue 12's start-up rows, side by side in one run: imgtool --version against skopeo --version and
# a bare `java -version` (the JVM's own start), and imgtool images, tag and inspect on push.sh's
# store, whose targets are absolute (0.15 s for --version, 0.25 s for the others). RUNS=N
# (default 5) alternating rounds after an untimed one. Results: bench/out/startup.md.
# BASE=DIR (another checkout, e.g. `git worktree add /tmp/base <commit>`) times its cli/imgtool
# in the same rounds, for before/after figures on the same load.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/registry-rootfs-lib.sh"
need skopeo python3 bc
build_jar

out=$repo/bench/out/startup
work=$out/work
results=$out/results.txt
image=bench/img:1
mkdir -p "$work"
export IMGTOOL_STORE=$repo/bench/out/push/store # push.sh's image, made here when push.sh has not run
imgtool -q inspect "$image" >/dev/null 2>&1 || make_image "$out/layers" "$image" 0

base=${BASE:-}
round() {
  if [ -n "$base" ]; then
    timed base-version "$base/cli/imgtool" --version
    timed base-images "$base/cli/imgtool" images
    timed base-tag "$base/cli/imgtool" tag "$image" "bench/img:startup-base-$1"
    timed base-inspect "$base/cli/imgtool" inspect "$image"
  fi
  timed imgtool-version "${IMGTOOL[@]}" --version
  timed skopeo-version skopeo --version
  timed java-version java -version
  timed imgtool-images "${IMGTOOL[@]}" images
  timed imgtool-tag "${IMGTOOL[@]}" tag "$image" "bench/img:startup-$1"
  timed imgtool-inspect "${IMGTOOL[@]}" inspect "$image"
}

: >"$results"
round 0; : >"$results" # warm-up (and the launcher's class-data archive), untimed
for i in $(seq "$runs"); do round "$i"; done
for i in 0 $(seq "$runs"); do
  for tag in "startup-$i" "startup-base-$i"; do imgtool -q rmi "bench/img:$tag" >/dev/null 2>&1 || true; done
done

m() { median_of "$1" 2; }
rss() { echo $(( $(median_of "$1" 3 | cut -d. -f1) / 1024 )); }
{
  echo "# start-up: imgtool against skopeo and the bare JVM (issue 12)"
  echo
  echo "$runs rounds after an untimed one; each round runs every command once, in the order below."
  echo "Wall-clock seconds of the whole command; images, tag and inspect on push.sh's store."
  echo
  echo "| command | median s | median CPU s (user+sys) | peak RSS MiB |"
  echo "|---|---|---|---|"
  labels=(imgtool-version skopeo-version java-version imgtool-images imgtool-tag imgtool-inspect)
  [ -z "$base" ] || labels+=(base-version base-images base-tag base-inspect)
  for label in "${labels[@]}"; do
    echo "| $label | $(m $label) | $(median_of "$label" 5) | $(rss $label) |"
  done
  [ -z "$base" ] || echo "(base-*: $base/cli/imgtool, $(git -C "$base" log -1 --format=%h 2>/dev/null || echo 'not a git checkout'))"
  echo
  echo "imgtool --version / skopeo --version: $(ratio "$(m imgtool-version)" "$(m skopeo-version)");"
  echo "imgtool --version / java -version: $(ratio "$(m imgtool-version)" "$(m java-version)")."
  echo
  report_footer
} >"$out/../startup.md"
cat "$out/../startup.md"
summary_row "--version" "$(m imgtool-version)" "skopeo --version" "$(m skopeo-version)" "$(rss imgtool-version)"
summary_row "--version" "$(m imgtool-version)" "java -version (bare JVM)" "$(m java-version)" ""
summary_row "images" "$(m imgtool-images)" "target" "0.25" "$(rss imgtool-images)"
summary_row "tag" "$(m imgtool-tag)" "target" "0.25" "$(rss imgtool-tag)"
summary_row "inspect" "$(m imgtool-inspect)" "target" "0.25" "$(rss imgtool-inspect)"
