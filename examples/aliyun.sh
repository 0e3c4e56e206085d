#!/usr/bin/env bash
# Step 3 of the seed workflow: push to Aliyun Container Registry (token auth; the namespace must
# already exist in your account, or the registry answers DENIED and imgtool says so).
#
#   ALIYUN_USER=yuqingbuy ALIYUN_NAMESPACE=atguiguwh examples/aliyun.sh myubuntu:1.1
#
# The password is read from stdin when ALIYUN_PASSWORD_FILE is set, else asked on the terminal.
set -euo pipefail
image=${1:?usage: $0 LOCAL-IMAGE}
registry=${ALIYUN_REGISTRY:-registry.cn-hangzhou.aliyuncs.com}
namespace=${ALIYUN_NAMESPACE:?set ALIYUN_NAMESPACE}
imgtool=${IMGTOOL:-$(dirname "$0")/../cli/imgtool}

if [ -n "${ALIYUN_PASSWORD_FILE:-}" ]; then
  "$imgtool" login --username="${ALIYUN_USER:?}" --password-stdin "$registry" < "$ALIYUN_PASSWORD_FILE"
else
  "$imgtool" login --username="${ALIYUN_USER:?}" "$registry"
fi
repo=$(basename "${image%%:*}")
tag=${image##*:}
"$imgtool" tag "$image" "$registry/$namespace/$repo:$tag"
"$imgtool" push "$registry/$namespace/$repo:$tag"
"$imgtool" pull "$registry/$namespace/$repo:$tag"
