#!/usr/bin/env bash
# save and load side by side with skopeo, on push.sh's ~90 MB image (LARGE=1: its ~380 MB one):
#   save: imgtool save -o FILE          vs  skopeo copy oci:LAYOUT oci-archive:FILE
#   load: imgtool load -i FILE (empty store)  vs  skopeo copy oci-archive:FILE oci:EMPTY_LAYOUT
# The archive both load is imgtool's save (an OCI layout with Docker's manifest.json, as docker
# save writes since Docker 25). imgtool load decompresses every layer to check its diffID, which
# skopeo does not; skopeo checks blob digests only. RUNS=N (default 5) alternating runs after an
# untimed warm-up round. Results: bench/out/archive.md (archive-large.md with LARGE=1).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/registry-rootfs-lib.sh"
need skopeo bc
build_jar

large=${LARGE:-0}
out=$repo/bench/out/archive
image=bench/img:1
report=$repo/bench/out/archive.md
source_store=$repo/bench/out/push/store # push.sh's image, made here when push.sh has not run
if [ "$large" = 1 ]; then
  out=$repo/bench/out/archive-large
  image=bench/large:1
  report=$repo/bench/out/archive-large.md
  source_store=$repo/bench/out/push-large/store
fi
work=$out/work
results=$out/results.txt
mkdir -p "$work"

IMGTOOL_STORE=$source_store
export IMGTOOL_STORE
imgtool -q inspect "$image" >/dev/null 2>&1 || make_image "$out/layers" "$image" "$large"
# skopeo's source for save: the same image as an OCI layout (skopeo reads no imgtool store).
rm -rf "$work/source"
imgtool -q push "$image" "oci:$work/source:img" >/dev/null

save_imgtool() {
  rm -f "$work/imgtool.tar"
  timed imgtool-save "${IMGTOOL[@]}" -q save -o "$work/imgtool.tar" "$image"
}

save_skopeo() {
  rm -f "$work/skopeo.tar"
  timed skopeo-save skopeo copy -q "oci:$work/source:img" "oci-archive:$work/skopeo.tar"
}

load_imgtool() {
  rm -rf "$work/store"
  IMGTOOL_STORE=$work/store timed imgtool-load "${IMGTOOL[@]}" -q load -i "$work/imgtool.tar"
}

load_baseline() {
  [ -n "${BASELINE:-}" ] || return 0
  rm -rf "$work/store"
  IMGTOOL_STORE=$work/store timed baseline-load "${BASELINE_IMGTOOL[@]}" -q load -i "$work/imgtool.tar"
}

load_skopeo() {
  rm -rf "$work/layout"
  timed skopeo-load skopeo copy -q "oci-archive:$work/imgtool.tar" "oci:$work/layout:img"
}

: >"$results"
save_imgtool; save_skopeo; load_imgtool; load_baseline; load_skopeo; : >"$results" # warm-up, untimed
for i in $(seq "$runs"); do
  if (( i % 2 )); then save_imgtool; save_skopeo; else save_skopeo; save_imgtool; fi
  if (( i % 2 )); then load_imgtool; load_baseline; load_skopeo; else load_skopeo; load_baseline; load_imgtool; fi
done

mib=$(echo "scale=1; $(stat -c %s "$work/imgtool.tar") / 1048576" | bc)
layers=$(imgtool inspect -f '{{len .RootFS.Layers}}' "$image")
is=$(median_of imgtool-save 2); ss=$(median_of skopeo-save 2)
il=$(median_of imgtool-load 2); sl=$(median_of skopeo-load 2)
cpu() { median_of "$1" 5 | sed 's/^\./0./'; }
rss() { echo $(( $(median_of "$1" 3 | cut -d. -f1) / 1024 )); }
{
  echo "# save and load: imgtool vs skopeo copy"
  echo
  echo "Image: push.sh's $image, $layers layers, a $mib MiB archive. $runs alternating runs after an untimed"
  echo "warm-up; wall-clock seconds including JVM start-up, CPU seconds (user + system) in brackets."
  echo "imgtool load decompresses each layer to check its diffID (skopeo checks blob digests only)."
  echo
  echo "| case | imgtool median s | anchor median s | imgtool/anchor | imgtool peak RSS MiB | anchor peak RSS MiB |"
  echo "|---|---|---|---|---|---|"
  echo "| save vs skopeo copy oci: oci-archive: | $is [$(cpu imgtool-save)] | $ss [$(cpu skopeo-save)] | $(ratio "$is" "$ss") | $(rss imgtool-save) | $(rss skopeo-save) |"
  echo "| load into an empty store vs skopeo copy oci-archive: oci: | $il [$(cpu imgtool-load)] | $sl [$(cpu skopeo-load)] | $(ratio "$il" "$sl") | $(rss imgtool-load) | $(rss skopeo-load) |"
  if [ -n "${BASELINE:-}" ]; then
    bl=$(median_of baseline-load 2)
    echo "| the same, baseline build ($BASELINE) | $bl [$(cpu baseline-load)] | $sl | $(ratio "$bl" "$sl") | $(rss baseline-load) | $(rss skopeo-load) |"
  fi
  echo
  report_footer
} >"$report"
cat "$report"
summary_row "save of a $mib MiB archive" "$is" "skopeo copy oci: oci-archive:" "$ss" "$(rss imgtool-save)"
summary_row "load of that archive into an empty store" "$il" "skopeo copy oci-archive: oci:" "$sl" "$(rss imgtool-load)"
