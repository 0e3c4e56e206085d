#!/usr/bin/env bash
# Issue 12's memory target: every command on a 2 GiB layer keeps its Java heap under 256 MiB.
# Each command runs once with -Xmx256m (a heap that tried to grow past it would end the command
# with an OutOfMemoryError, and the script with it), and its peak RSS is recorded: import of a
# 2 GiB tar (one file: 1 GiB of random bytes, 1 GiB of zeros), push to a local docker-registry,
# pull into an empty store, unpack, save to an archive. Peak RSS counts the JVM itself and, for
# commands that map files, the pages mapped. Results: bench/out/memory.md. ~10 GB of disk.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/registry-rootfs-lib.sh"
need curl python3 bc /usr/bin/docker-registry
build_jar

out=$repo/bench/out/memory
work=$out/work
results=$out/results.txt
report=$repo/bench/out/memory.md
mkdir -p "$work"
trap 'registry_stop; rm -rf "$work/store" "$work/pulled" "$work/rootfs" "$work/image.tar"' EXIT
export IMGTOOL_JAVA_OPTS="-Xmx256m ${IMGTOOL_JAVA_OPTS:-}"

tar_file=$out/layer-2g.tar
if [ ! -f "$tar_file" ]; then
  rm -rf "$out/tree" && mkdir -p "$out/tree"
  { head -c 1G /dev/urandom; head -c 1G /dev/zero; } >"$out/tree/big"
  tar --sort=name --owner=0 --group=0 --mtime=@0 -cf "$tar_file" -C "$out/tree" big
  rm -rf "$out/tree"
fi

: >"$results"
rm -rf "$work/store" "$work/pulled" "$work/rootfs"
IMGTOOL_STORE=$work/store timed import "${IMGTOOL[@]}" -q import "$tar_file" memory:1
registry_start "$work/registry"
IMGTOOL_STORE=$work/store timed push "${IMGTOOL[@]}" -q push --insecure memory:1 "$registry/memory:1"
IMGTOOL_STORE=$work/pulled timed pull "${IMGTOOL[@]}" -q pull --insecure "$registry/memory:1"
IMGTOOL_STORE=$work/pulled timed unpack "${IMGTOOL[@]}" -q unpack "$registry/memory:1" "$work/rootfs"
IMGTOOL_STORE=$work/store timed save "${IMGTOOL[@]}" -q save -o "$work/image.tar" memory:1
[ "$(tar -xOf "$tar_file" big | sha256sum)" = "$(sha256sum <"$work/rootfs/big")" ] || die "unpack wrote another file"

{
  echo "# memory: 2 GiB layer, -Xmx256m (issue 12)"
  echo
  echo "One 2 GiB file (1 GiB random, 1 GiB zeros) as one layer; each command once, with the Java heap"
  echo "capped at 256 MiB (\`IMGTOOL_JAVA_OPTS=-Xmx256m\`): a command whose heap needed more would have failed."
  echo
  echo "| command | seconds | peak RSS MiB | CPU s |"
  echo "|---|---|---|---|"
  while read -r label seconds rss _ cpu; do
    echo "| $label | $seconds | $(( rss / 1024 )) | $cpu |"
  done <"$results"
  echo
  report_footer
} >"$report"
cat "$report"
