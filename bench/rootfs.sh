#!/usr/bin/env bash
# Issue 4's speed target, side by side in one run: `imgtool commit --rootfs` of a Debian minbase
# tree (debootstrap, ~200 MB) after installing a package (chroot + dpkg -i of vim-tiny and
# vim-common) vs `umoci repack` of the SAME change: the change is made once in imgtool's
# unpacked tree and copied into umoci's bundle with rsync, so both trees are identical.
# A second case adds ~120 MB of files to show whether memory stays flat as the change grows.
# RUNS=N (default 5) alternating runs. Results: bench/out/rootfs.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/registry-rootfs-lib.sh"
need skopeo umoci rsync chroot dpkg-deb bc
build_jar

out=$repo/bench/out/rootfs
work=$out/work
results=$out/results.txt
export IMGTOOL_STORE=$out/store
layout=$out/umoci-layout
minbase_tar=$repo/bench/out/debian-minbase.tar
mkdir -p "$work"

# The mirror apt itself uses (deb822 or one-line sources), for debootstrap.
apt_mirror() {
  local found
  found=$( { grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}'
             grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{print $2}'
           } | grep '/debian/\?$' | head -n 1 || true)
  echo "${found:-http://deb.debian.org/debian}"
}

make_minbase() {
  [ -f "$minbase_tar" ] && return
  command -v debootstrap >/dev/null || die "debootstrap is not installed (apt-get install -y debootstrap)"
  [ "$(id -u)" = 0 ] || die "debootstrap needs root"
  local dir=$repo/bench/out/debian-minbase mirror; mirror=$(apt_mirror)
  echo "bench: debootstrap --variant=minbase bookworm from $mirror" >&2
  [ -d "$dir" ] || debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$repo/bench/out/debootstrap.log" 2>&1 \
    || die "debootstrap failed; see bench/out/debootstrap.log"
  tar -C "$dir" --numeric-owner --xattrs -cf "$minbase_tar.tmp" . && mv "$minbase_tar.tmp" "$minbase_tar"
}

debs() {
  mkdir -p "$out/debs"
  ls "$out"/debs/vim-tiny_*.deb >/dev/null 2>&1 || (cd "$out/debs" && apt-get download vim-tiny vim-common >&2)
}

# install_package ROOT: the "apt-get install vim-tiny" of the seed, without the network.
install_package() {
  cp "$out"/debs/*.deb "$1/tmp/"
  chroot "$1" sh -c 'dpkg -i /tmp/*.deb' >"$work/dpkg.log" 2>&1 || die "dpkg -i failed: $(cat "$work/dpkg.log")"
  rm "$1"/tmp/*.deb
}

# add_bulk ROOT: a larger change, ~120 MB of real files under /opt.
add_bulk() {
  mkdir -p "$1/opt/bulk"
  (cd / && find usr/lib usr/share -xdev -type f -size -16M -readable -printf '%s %p\n') | LC_ALL=C sort -k2 \
    | awk 'total < 120 * 1048576 { total += $1; print substr($0, index($0, " ") + 1) }' >"$work/bulk.list"
  tar -C / --no-recursion -cf - -T "$work/bulk.list" | tar -C "$1/opt/bulk" -xf -
}

prepare() {
  make_minbase; debs
  rm -rf "$IMGTOOL_STORE" "$layout" "$work"; mkdir -p "$work"
  imgtool -q import "$minbase_tar" debian:base >/dev/null
  skopeo copy -q "oci:$IMGTOOL_STORE:docker.io/library/debian:base" "oci:$layout:base"
  # umoci's bundle with its mtree, from the same base; imgtool's tree from imgtool unpack.
  umoci unpack --image "$layout:base" "$work/bundle-base" >/dev/null
  for case in vim bulk; do
    imgtool -q unpack debian:base "$work/tree-$case"
    install_package "$work/tree-$case"
    [ $case = bulk ] && add_bulk "$work/tree-$case"
    cp -a "$work/bundle-base" "$work/bundle-$case"
    rsync -aHAX --delete "$work/tree-$case/" "$work/bundle-$case/rootfs/"
  done
}

run_imgtool() { timed "imgtool-$1" "${IMGTOOL[@]}" -q commit --rootfs "$work/tree-$1" debian:base "new-$1:$2"; }

run_umoci() {
  # repack records the change against the bundle's mtree; a pristine copy per run keeps the
  # change the same every time (the copy is not timed).
  rm -rf "$work/bundle-run"; cp -a "$work/bundle-$1" "$work/bundle-run"
  timed "umoci-$1" umoci repack --image "$layout:new-$1-$2" "$work/bundle-run"
}

layer_size_imgtool() {
  imgtool inspect "new-$1:1" | python3 -c '
import json, sys
i = json.load(sys.stdin); i = i[0] if isinstance(i, list) else i
print(i["Manifest"]["layers"][-1]["size"])'
}

layer_size_umoci() {
  local manifest
  manifest=$(python3 -c '
import json, sys
for m in json.load(open(sys.argv[1] + "/index.json"))["manifests"]:
    if m.get("annotations", {}).get("org.opencontainers.image.ref.name") == sys.argv[2]:
        print(m["digest"].split(":")[1])' "$layout" "new-$1-1")
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["layers"][-1]["size"])' "$layout/blobs/sha256/$manifest"
}

prepare
: >"$results"
run_imgtool vim 0; run_umoci vim 0; : >"$results"   # warm-up, untimed
for i in $(seq "$runs"); do
  for case in vim bulk; do
    if (( i % 2 )); then run_imgtool $case "$i"; run_umoci $case "$i"; else run_umoci $case "$i"; run_imgtool $case "$i"; fi
  done
done

mib() { echo "scale=1; $1 / 1048576" | bc | sed "s/^\./0./"; }
row() {
  local it um; it=$(median_of "imgtool-$1" 2); um=$(median_of "umoci-$1" 2)
  echo "| $2 | $it | $um | $(ratio "$it" "$um") | $(( $(median_of "imgtool-$1" 3) / 1024 )) | $(( $(median_of "umoci-$1" 3) / 1024 )) | $(mib "$(layer_size_imgtool "$1")") | $(mib "$(layer_size_umoci "$1")") |"
}
{
  echo "# commit --rootfs vs umoci repack (issue 4)"
  echo
  echo "Base: Debian bookworm minbase from debootstrap ($(du -sm --apparent-size "$work/tree-vim" | cut -f1) MiB apparent, $(find "$work/tree-vim" | wc -l) paths after the change), imported with"
  echo "\`imgtool import\` and copied to umoci's layout with skopeo. Change: \`chroot ROOT dpkg -i\` of"
  echo "$(cd "$out/debs" && ls | tr '\n' ' ')made once in imgtool's unpacked tree and rsync'ed into umoci's bundle."
  echo "The bulk case adds ~120 MB of files under /opt on top. $runs alternating runs after a warm-up; wall-clock"
  echo "seconds including JVM start-up; peak RSS from GNU time. umoci repacks a fresh copy of its bundle each run."
  echo
  echo "| change | imgtool median s | umoci median s | imgtool/umoci | imgtool peak RSS MiB | umoci peak RSS MiB | imgtool layer MiB | umoci layer MiB |"
  echo "|---|---|---|---|---|---|---|---|"
  row vim "install vim-tiny (+vim-common)"
  row bulk "install vim-tiny + 120 MB under /opt"
  echo
  report_footer
} >"$out/../rootfs.md"
cat "$out/../rootfs.md"
summary_row "commit --rootfs, vim-tiny installed in a minbase tree" "$(median_of imgtool-vim 2)" "umoci repack" \
  "$(median_of umoci-vim 2)" "$(( $(median_of imgtool-vim 3) / 1024 ))"
summary_row "commit --rootfs, the same + 120 MB under /opt" "$(median_of imgtool-bulk 2)" "umoci repack" \
  "$(median_of umoci-bulk 2)" "$(( $(median_of imgtool-bulk 3) / 1024 ))"
