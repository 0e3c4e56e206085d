#!/usr/bin/env bash
# A CI job: build an image from a base and an artifact, reproducibly, and push it, no daemon.
# Results are on stdout, progress on stderr; the image ID is the same for the same inputs.
set -euo pipefail
imgtool=${IMGTOOL:-$(dirname "$0")/../cli/imgtool}
base=${BASE:?set BASE, e.g. registry.example.com/base/debian:12}
target=${TARGET:?set TARGET, e.g. registry.example.com/team/app:$CI_COMMIT_SHA}
artifact_dir=${ARTIFACT_DIR:?set ARTIFACT_DIR, the files to add under /app}

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}
echo "${REGISTRY_PASSWORD:?}" | "$imgtool" login -u "${REGISTRY_USER:?}" --password-stdin "${target%%/*}"

layer=$(mktemp --suffix=.tar); trap 'rm -f "$layer"' EXIT
tar --sort=name --mtime="@$SOURCE_DATE_EPOCH" --owner=0 --group=0 --numeric-owner \
  -C "$artifact_dir" --transform 's,^\.,app,' -cf "$layer" .

# The base's layers are not downloaded: a push to the base's registry mounts them.
ID=$("$imgtool" commit -q --layer "$layer" -c 'WORKDIR /app' -c 'CMD ["/app/run"]' "$base" "$target")
DIGEST=$("$imgtool" push -q "$target")
echo "image $ID pushed as $DIGEST"
