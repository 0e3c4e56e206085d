#!/usr/bin/env bash
# The seed's commit example without a daemon: `docker run debian; apt-get install vim-tiny;
# docker commit` becomes unpack → change the directory → commit --rootfs → push.
#
#   sudo examples/rootfs-commit.sh                 # pushes to a docker-registry it starts on loopback
#   sudo REGISTRY=192.168.111.162:5000 examples/rootfs-commit.sh
#
# Needs root for debootstrap and chroot (without root it installs with dpkg-deb -x instead).
# BASE_TAR reuses a root filesystem tarball (e.g. bench/out/debian-minbase.tar) instead of
# running debootstrap. WORK keeps the files (default: a temporary directory, removed at the end).
set -euo pipefail
imgtool=${IMGTOOL:-$(cd "$(dirname "$0")/.." && pwd)/cli/imgtool}
work=${WORK:-$(mktemp -d)}
export IMGTOOL_STORE=${IMGTOOL_STORE:-$work/store}
cleanup() {
  [ -n "${registry_pid:-}" ] && kill "$registry_pid" 2>/dev/null
  [ -z "${WORK:-}" ] && rm -rf "$work"
  return 0
}
trap cleanup EXIT
cd "$work"

# 1. A Debian base image, like `docker pull debian`: debootstrap a minbase tree and import it.
if ! "$imgtool" inspect debian:base >/dev/null 2>&1; then
  if [ -z "${BASE_TAR:-}" ]; then
    debootstrap --variant=minbase bookworm minbase "${MIRROR:-http://deb.debian.org/debian}" >debootstrap.log
    tar -C minbase --numeric-owner -cf minbase.tar . && rm -rf minbase
    BASE_TAR=$work/minbase.tar
  fi
  "$imgtool" import -m "debootstrap --variant=minbase bookworm" "$BASE_TAR" debian:base
fi

# 2. The container session: unpack the base, change it.
"$imgtool" unpack debian:base ./rootfs
if [ "$(id -u)" = 0 ]; then
  chroot ./rootfs apt-get update -qq
  chroot ./rootfs apt-get install -y -qq vim-tiny >/dev/null
  chroot ./rootfs apt-get clean            # as a Dockerfile would, to keep the layer small
  rm -rf ./rootfs/var/lib/apt/lists/*
else
  # Rootless: unpack the packages' files (no maintainer scripts, no dpkg database entry).
  apt-get download vim-tiny vim-common
  for deb in ./*.deb; do dpkg-deb -x "$deb" ./rootfs; done
fi

# 3. What changed, as `docker diff` shows it, then the commit, as `docker commit` makes it.
"$imgtool" diff debian:base ./rootfs | grep -c . | xargs echo "paths changed:"
"$imgtool" diff debian:base ./rootfs | grep -E '^. /(usr/bin/vim.tiny|etc/alternatives/vi)$'
ID=$("$imgtool" commit --rootfs ./rootfs -m "add vim" debian:base myubuntu:1.1)
"$imgtool" images
"$imgtool" history myubuntu:1.1

# 4. Push: to $REGISTRY, or to a docker-registry started here on a free loopback port.
if [ -z "${REGISTRY:-}" ]; then
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  printf 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: %s\nhttp:\n  addr: 127.0.0.1:%s\n' \
    "$work/registry" "$port" >registry.yml
  /usr/bin/docker-registry serve registry.yml >registry.log 2>&1 &
  registry_pid=$!
  REGISTRY=127.0.0.1:$port
  until curl -fsS "http://$REGISTRY/v2/" >/dev/null 2>&1; do sleep 0.1; done
fi
"$imgtool" tag "${ID:7:12}" "$REGISTRY/myubuntu:1.1"
"$imgtool" push --insecure "$REGISTRY/myubuntu:1.1"

# 5. Independent tools pull it and get ./rootfs back: skopeo copies it, umoci unpacks it.
skopeo copy -q --src-tls-verify=false "docker://$REGISTRY/myubuntu:1.1" oci:pulled:myubuntu
umoci unpack ${UMOCI_FLAGS:-$([ "$(id -u)" = 0 ] || echo --rootless)} --image pulled:myubuntu bundle >/dev/null
listing() { (cd "$1" && find . -mindepth 1 -printf '%p|%y|%m|%U:%G|%l|%T@|%s\n' | sed 's/\.[0-9]*|\([0-9]*\)$/|\1/' | LC_ALL=C sort); }
contents() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }
diff <(listing ./rootfs) <(listing bundle/rootfs) && diff <(contents ./rootfs) <(contents bundle/rootfs) \
  && echo "umoci's unpack of $REGISTRY/myubuntu:1.1 equals ./rootfs (paths, types, modes, owners, links, mtimes, contents)"
