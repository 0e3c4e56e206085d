#!/usr/bin/env bash
# Step 4 of the seed workflow: push to a private registry at host:5000 over plain HTTP.
#
#   examples/private-registry.sh 192.168.111.162:5000
#
# Docker needs "insecure-registries" in /etc/docker/daemon.json and a daemon restart for this;
# imgtool needs --insecure on the command, or the same key in its settings file:
#   ~/.config/imgtool/config.json: {"insecure-registries": ["192.168.111.162:5000"]}
set -euo pipefail
registry=${1:?usage: $0 HOST:PORT}
imgtool=${IMGTOOL:-$(dirname "$0")/../cli/imgtool}

curl -fsS "http://$registry/v2/_catalog"; echo          # {"repositories":[...]}

# An image to push: any local image works; here a one-file change on scratch.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work/etc" && echo "hello from imgtool" > "$work/etc/motd"
tar -C "$work" -cf "$work/change.tar" etc
ID=$("$imgtool" commit -m "add motd" --layer "$work/change.tar" scratch zzyyubuntu:1.2)

"$imgtool" tag "${ID:7:12}" "$registry/zzyyubuntu:1.2"            # Host:Port/Repository:Tag
"$imgtool" push "$registry/zzyyubuntu:1.2" || echo "(without --insecure: refused, as above)" >&2
"$imgtool" push --insecure "$registry/zzyyubuntu:1.2"
"$imgtool" catalog --insecure "$registry"
curl -fsS "http://$registry/v2/_catalog"; echo          # now lists zzyyubuntu
