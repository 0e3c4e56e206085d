#!/usr/bin/env bash
# Every row of issue 12's table side by side, from one command: runs the benchmarks below, each
# alternating imgtool and its anchor in the same run (medians of RUNS, default 5), then prints one
# table of them all with ratios, the machine and the date. Results: bench/out/all.md, and each
# script's own report beside it. About 15 minutes on 2 cores; the first run also makes the Debian
# minbase tree (debootstrap, root) and the images.
#   bench/rootfs.sh        commit --rootfs vs umoci repack (and the minbase tar the layer row uses)
#   bench/layer-build.sh   gzip layer build vs umoci raw add-layer and pigz
#   bench/push.sh          push vs skopeo copy: empty registry, registry with every blob
#   REGISTRY_TLS=1 bench/push.sh   the same over HTTPS
#   bench/pull-unpack.sh   pull vs skopeo copy docker:// oci:, unpack vs umoci unpack
#   bench/startup.sh       --version vs skopeo and java -version; images, tag, inspect
#   bench/archive.sh       save and load vs skopeo copy to and from oci-archive:
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=$here/out
mkdir -p "$out"
export RUNS=${RUNS:-5}
export BENCH_SUMMARY=$out/summary.tsv
: >"$BENCH_SUMMARY"
started=$(date -u +%Y-%m-%dT%H:%MZ)
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

# A fresh machine lacks some of the tools the scripts time or read results with: install them.
need=()
for tool in hyperfine debootstrap rsync pigz umoci skopeo jq bc openssl curl python3; do
  command -v "$tool" >/dev/null || need+=("$tool")
done
[ -x /usr/bin/docker-registry ] || need+=(docker-registry)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "bench/all.sh: installing ${need[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

step() { echo "bench/all.sh: $*" >&2; "$@" >/dev/null; }
step "$here/rootfs.sh"
INPUT=$out/debian-minbase.tar step "$here/layer-build.sh" "$RUNS"
step "$here/push.sh"
REGISTRY_TLS=1 step "$here/push.sh"
step "$here/pull-unpack.sh"
step "$here/startup.sh"
step "$here/archive.sh"

{
  echo "# imgtool against the tools a user would pick instead (bench/all.sh)"
  echo
  echo "- date: $started to $(date -u +%Y-%m-%dT%H:%MZ), $RUNS alternating runs per row, medians"
  echo "- machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr)"
  echo "- load average at the start: $load_start; at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "- $(java -version 2>&1 | head -1); $(skopeo --version); $(umoci --version); pigz $(pigz --version 2>&1 | cut -d' ' -f2); docker-registry $(dpkg-query -W -f '${Version}' docker-registry 2>/dev/null); libisal2 $(dpkg-query -W -f '${Version}' libisal2 2>/dev/null || echo 'not installed')"
  echo
  echo "| work | imgtool s | anchor | anchor s | ratio | imgtool peak RSS MiB |"
  echo "|---|---|---|---|---|---|"
  while IFS=$'\t' read -r what mine anchor theirs rss; do
    ratio=$(echo "scale=2; $mine / $theirs" | bc -l | sed 's/^\./0./')
    echo "| $what | $mine | $anchor | $theirs | ${ratio}× | $rss |"
  done <"$BENCH_SUMMARY"
  echo
  echo "Each script's report, with every run's figures: $(cd "$out" && ls rootfs.md layer-build.md push.md push-tls.md pull-unpack.md startup.md archive.md 2>/dev/null | tr '\n' ' ')(bench/out/)."
} >"$out/all.md"
cat "$out/all.md"
