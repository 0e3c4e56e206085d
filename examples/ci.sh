#!/usr/bin/env bash
# A CI job written on Docker's habits, without a daemon: log in with --password-stdin, build an
# image from a base and an artifact reproducibly (SOURCE_DATE_EPOCH), push it, and leave its ID
# and digest in files for the next steps (--iidfile, --digestfile). Results go to stdout,
# progress to stderr; the same commit gives the same image ID on any machine.
#
#   BASE=registry.example.com/base/debian:12 TARGET=registry.example.com/team/app:$CI_COMMIT_SHA \
#   ARTIFACT_DIR=dist REGISTRY_USER=ci REGISTRY_PASSWORD=... examples/ci.sh
set -euo pipefail
imgtool=${IMGTOOL:-$(dirname "$0")/../cli/imgtool}
base=${BASE:?set BASE, e.g. registry.example.com/base/debian:12}
target=${TARGET:?set TARGET, e.g. registry.example.com/team/app:$CI_COMMIT_SHA}
artifact_dir=${ARTIFACT_DIR:?set ARTIFACT_DIR, the files to add under /app}
out=${OUT_DIR:-.}

# The commit time of the sources: the same commit gives the same image ID.
export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
printf '%s\n' "${REGISTRY_PASSWORD:?}" | "$imgtool" login -u "${REGISTRY_USER:?}" --password-stdin "${target%%/*}"

# A fixed file name: history records it, and a random one would change the image ID.
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
layer="$work/app.tar"
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  -C "$artifact_dir" --transform 's,^\.,app,' -cf "$layer" .

# The base's layers are not downloaded: a push to the base's registry mounts them.
"$imgtool" commit -q --iidfile "$out/image-id" --layer "$layer" -c 'WORKDIR /app' -c 'CMD ["/app/run"]' \
  "$base" "$target" >/dev/null
"$imgtool" push -q --digestfile "$out/image-digest" "$target" >/dev/null

# What the next steps use, read as with docker: a Go template, and images as JSON.
echo "image $(cat "$out/image-id") pushed as $("$imgtool" inspect --format '{{index .RepoDigests 0}}' "$target")"
"$imgtool" images --format json "${target%:*}" > "$out/images.json"
