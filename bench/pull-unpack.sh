#!/usr/bin/env bash
# Issue 12's new rows, side by side in one run, on push.sh's ~90 MB image served by a local
# docker-registry over plain HTTP:
#   pull:   imgtool pull into an EMPTY store  vs  skopeo copy docker://… oci:EMPTY_LAYOUT:…
#   unpack: imgtool unpack of the pulled image  vs  umoci unpack of skopeo's layout (same image)
# RUNS=N (default 5) alternating runs after an untimed warm-up round. Results: bench/out/pull-unpack.md.
# UNPACK=0 times the pull row only (REGISTRY_TLS=1 serves the registry over HTTPS, self-signed);
# PULL=0 the unpack row only (the untimed warm-up still pulls). BASELINE=DIR times both rows for it too.
# LARGE=1 uses push.sh's large image instead (~380 MB: three more 96 MiB layers of random bytes),
# to show the fixed cost of a JVM start against the transfer: bench/out/pull-unpack-large.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/registry-rootfs-lib.sh"
need skopeo umoci curl python3 bc /usr/bin/docker-registry
build_jar

out=$repo/bench/out/pull-unpack
work=$out/work
results=$out/results.txt
large=${LARGE:-0}
image=bench/img:1
report=$repo/bench/out/pull-unpack.md
source_store=$repo/bench/out/push/store # push.sh's image, made here when push.sh has not run
if [ "$large" = 1 ]; then
  image=bench/large:1
  report=$repo/bench/out/pull-unpack-large.md
  source_store=$repo/bench/out/push-large/store
fi
tls=""
if [ "${REGISTRY_TLS:-0}" = 1 ]; then report=${report%.md}-tls.md; tls=" over HTTPS (self-signed, --insecure)"; fi
mkdir -p "$work"
trap registry_stop EXIT

IMGTOOL_STORE=$source_store
export IMGTOOL_STORE
imgtool -q inspect "$image" >/dev/null 2>&1 || make_image "$out/layers" "$image" "$large"
registry_start "$work/registry"
imgtool -q push --insecure "$image" "$registry/$image" >/dev/null
remote=$registry/$image

pull_imgtool() {
  rm -rf "$work/store"
  IMGTOOL_STORE=$work/store timed imgtool-pull "${IMGTOOL[@]}" -q pull --insecure "$remote"
}

pull_baseline() {
  [ -n "${BASELINE:-}" ] || return 0
  rm -rf "$work/store"
  IMGTOOL_STORE=$work/store timed baseline-pull "${BASELINE_IMGTOOL[@]}" -q pull --insecure "$remote"
}

pull_skopeo() {
  rm -rf "$work/layout"
  timed skopeo-pull skopeo copy -q --src-tls-verify=false "docker://$remote" "oci:$work/layout:img"
}

unpack_imgtool() {
  rm -rf "$work/rootfs"
  IMGTOOL_STORE=$work/store timed imgtool-unpack "${IMGTOOL[@]}" -q unpack "$remote" "$work/rootfs"
}

unpack_baseline() {
  [ -n "${BASELINE:-}" ] || return 0
  rm -rf "$work/rootfs"
  IMGTOOL_STORE=$work/store timed baseline-unpack "${BASELINE_IMGTOOL[@]}" -q unpack "$remote" "$work/rootfs"
}

unpack_umoci() {
  rm -rf "$work/bundle"
  timed umoci-unpack umoci unpack --image "$work/layout:img" "$work/bundle"
}

: >"$results"
unpack=${UNPACK:-1}
pull_imgtool; pull_baseline; pull_skopeo; : >"$results" # warm-up, untimed
if [ "$unpack" = 1 ]; then unpack_imgtool; unpack_umoci; : >"$results"; fi
for i in $(seq "$([ "${PULL:-1}" = 1 ] && echo "$runs" || echo 0)"); do
  if (( i % 2 )); then pull_imgtool; pull_baseline; pull_skopeo; else pull_skopeo; pull_baseline; pull_imgtool; fi
done
if [ "$unpack" = 1 ]; then
  for i in $(seq "$runs"); do
    if (( i % 2 )); then unpack_imgtool; unpack_baseline; unpack_umoci; else unpack_umoci; unpack_baseline; unpack_imgtool; fi
  done
  # Both trees hold the same files: a cheap check that the two unpacks did the same work.
  diff <(cd "$work/rootfs" && find . | LC_ALL=C sort) <(cd "$work/bundle/rootfs" && find . | LC_ALL=C sort) >/dev/null \
    || die "imgtool's and umoci's trees differ"
fi

image_bytes=$(du -sb --apparent-size "$work/layout/blobs" | cut -f1)
mib=$(echo "scale=1; $image_bytes / 1048576" | bc)
ip=$(median_of imgtool-pull 2 || echo -); sp=$(median_of skopeo-pull 2 || echo -)
iu=$(median_of imgtool-unpack 2 || echo -); uu=$(median_of umoci-unpack 2 || echo -)
rss() { echo $(( $(median_of "$1" 3 | cut -d. -f1) / 1024 )); }
{
  echo "# pull and unpack: imgtool vs skopeo copy and umoci unpack (issue 12)"
  echo
  echo "Image: push.sh's $image, $mib MiB of blobs, from /usr/bin/docker-registry on loopback ($([ -n "$tls" ] && echo "HTTPS, self-signed" || echo "plain HTTP"))."
  echo "Each pull goes into an empty store (imgtool) or an empty OCI layout (skopeo); each unpack into a"
  echo "new directory, imgtool from its pulled store, umoci from skopeo's layout. $runs alternating runs"
  echo "after an untimed warm-up; wall-clock seconds including JVM start-up."
  echo
  echo "| case | imgtool median s | anchor median s | imgtool/anchor | imgtool peak RSS MiB | anchor peak RSS MiB |"
  echo "|---|---|---|---|---|---|"
  if [ "${PULL:-1}" = 1 ]; then
    echo "| pull into an empty store vs skopeo copy docker:// oci: | $ip | $sp | $(ratio "$ip" "$sp") | $(rss imgtool-pull) | $(rss skopeo-pull) |"
  fi
  if [ "${PULL:-1}" = 1 ] && [ -n "${BASELINE:-}" ]; then
    bp=$(median_of baseline-pull 2)
    echo "| the same, baseline build ($BASELINE) | $bp | $sp | $(ratio "$bp" "$sp") | $(rss baseline-pull) | $(rss skopeo-pull) |"
  fi
  [ "$unpack" != 1 ] || echo "| unpack vs umoci unpack | $iu | $uu | $(ratio "$iu" "$uu") | $(rss imgtool-unpack) | $(rss umoci-unpack) |"
  if [ "$unpack" = 1 ] && [ -n "${BASELINE:-}" ]; then
    bu=$(median_of baseline-unpack 2)
    echo "| the same, baseline build ($BASELINE) | $bu | $uu | $(ratio "$bu" "$uu") | $(rss baseline-unpack) | $(rss umoci-unpack) |"
  fi
  echo
  report_footer
} >"$report"
cat "$report"
[ "${PULL:-1}" != 1 ] || summary_row "pull $mib MiB into an empty store$tls" "$ip" "skopeo copy docker:// oci:" "$sp" "$(rss imgtool-pull)"
if [ "$unpack" = 1 ]; then
  summary_row "unpack of that image" "$iu" "umoci unpack" "$uu" "$(rss imgtool-unpack)"
fi
