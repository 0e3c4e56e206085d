#!/usr/bin/env bash
# Issue 3's speed target, side by side in one run:
#   (a) imgtool push of a ~90 MB image to an EMPTY local docker-registry, vs
#   (b) skopeo copy of the same image from the same store (an OCI layout) to an EMPTY registry;
#   (c) imgtool push again when the registry has every blob: HTTP requests and connections.
# Each (a)/(b) push gets a freshly started registry with deleted storage, so neither tool finds
# a blob; runs alternate which tool goes first. RUNS=N (default 5). Results: bench/out/push.md.
# LARGE=1 adds three 96 MiB layers of random bytes (an image of about 380 MB), to show how the
# fixed cost of a JVM start weighs against the transfer: results in bench/out/push-large.md.
# REGISTRY_TLS=1 serves the registry over HTTPS with a self-signed certificate (both tools skip
# verification): results in bench/out/push-tls.md (or push-large-tls.md).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/registry-rootfs-lib.sh"
need skopeo curl python3 bc /usr/bin/docker-registry
build_jar

large=${LARGE:-0}
out=$repo/bench/out/push
report=$repo/bench/out/push.md
image=bench/img:1
if [ "$large" = 1 ]; then
  out=$repo/bench/out/push-large
  report=$repo/bench/out/push-large.md
  image=bench/large:1
fi
if [ "${REGISTRY_TLS:-0}" = 1 ]; then
  report=${report%.md}-tls.md
fi
work=$out/work
results=$out/results.txt
export IMGTOOL_STORE=$out/store
mkdir -p "$work"
trap registry_stop EXIT

imgtool -q inspect "$image" >/dev/null 2>&1 || make_image "$out/layers" "$image" "$large"
image_bytes=$(imgtool inspect "$image" | python3 -c '
import json, sys
i = json.load(sys.stdin); i = i[0] if isinstance(i, list) else i
m = i["Manifest"]; print(sum(l["size"] for l in m["layers"]) + m["config"]["size"])')
layers=$(imgtool inspect "$image" | python3 -c '
import json, sys
i = json.load(sys.stdin); i = i[0] if isinstance(i, list) else i
print(len(i["Manifest"]["layers"]))')
echo "bench: $image is $image_bytes bytes in $layers layers" >&2

# requests_since LINE: HTTP requests and distinct client connections in the registry log
# after line LINE (one "response completed" record per request, with the client's port).
requests_since() {
  tail -n +"$(( $1 + 1 ))" "$registry_log" | grep 'msg="response completed' >"$work/requests.log" || true
  echo "$(wc -l <"$work/requests.log") $(grep -o 'remoteaddr="[^"]*"' "$work/requests.log" | sort -u | wc -l)"
}

push_imgtool() {
  registry_start "$work/registry"
  timed imgtool-empty "${IMGTOOL[@]}" -q push --insecure "$image" "$registry/bench/img:$1"
  grep -q "^$registry/bench/img\(:$1\)\?@sha256:" "$work/last.out" || die "imgtool push printed: $(cat "$work/last.out")"
  # (c) The same image again, to a new tag: every blob is there already.
  local before; before=$(wc -l <"$registry_log")
  timed imgtool-present "${IMGTOOL[@]}" -q --debug push --insecure "$image" "$registry/bench/img:$1-again"
  read -r requests connections < <(requests_since "$before")
  echo "imgtool-present-http $requests $connections $(grep -c '^DEBUG >' "$work/last.err")/$(grep -c '^DEBUG <' "$work/last.err")" >>"$results"
  grep '^DEBUG' "$work/last.err" >"$out/imgtool-present-debug.txt" || true
  cp "$work/requests.log" "$out/imgtool-present-registry.log"
  registry_stop
}

# The same (a) and (c) with the BASELINE build, when given.
push_baseline() {
  [ -n "${BASELINE:-}" ] || return 0
  registry_start "$work/registry"
  timed baseline-empty "${BASELINE_IMGTOOL[@]}" -q push --insecure "$image" "$registry/bench/img:$1"
  timed baseline-present "${BASELINE_IMGTOOL[@]}" -q push --insecure "$image" "$registry/bench/img:$1-again"
  registry_stop
}

push_skopeo() {
  registry_start "$work/registry"
  timed skopeo-empty skopeo copy -q --dest-tls-verify=false \
    "oci:$IMGTOOL_STORE:docker.io/$image" "docker://$registry/bench/skopeo:$1"
  local before; before=$(wc -l <"$registry_log")
  timed skopeo-present skopeo copy -q --dest-tls-verify=false \
    "oci:$IMGTOOL_STORE:docker.io/$image" "docker://$registry/bench/skopeo:$1-again"
  read -r requests connections < <(requests_since "$before")
  echo "skopeo-present-http $requests $connections -" >>"$results"
  registry_stop
}

: >"$results"
# One untimed round of each first, so both read the store from the page cache alike.
push_imgtool 0; push_baseline 0; push_skopeo 0; : >"$results"
for i in $(seq "$runs"); do
  if (( i % 2 )); then push_imgtool "$i"; push_baseline "$i"; push_skopeo "$i"
  else push_skopeo "$i"; push_baseline "$i"; push_imgtool "$i"; fi
done

ie=$(median_of imgtool-empty 2); se=$(median_of skopeo-empty 2)
ip=$(median_of imgtool-present 2); sp=$(median_of skopeo-present 2)
read -r _ ireq iconn idebug < <(grep '^imgtool-present-http' "$results" | tail -1)
read -r _ sreq sconn _ < <(grep '^skopeo-present-http' "$results" | tail -1)
mib=$(echo "scale=1; $image_bytes / 1048576" | bc)
{
  echo "# push: imgtool vs skopeo copy (issue 3)"
  echo
  echo "Image: $layers gzip layers + config, $image_bytes bytes ($mib MiB), from bench/push.sh's store."
  echo "Registry: /usr/bin/docker-registry on a free loopback port, $([ "${REGISTRY_TLS:-0}" = 1 ] && echo "HTTPS (self-signed)" || echo "plain HTTP"), storage deleted"
  echo "and the registry restarted before every push to an empty registry. $runs alternating runs"
  echo "after one untimed warm-up round; wall-clock seconds including JVM start-up."
  echo
  echo "| case | imgtool median s | skopeo median s | imgtool/skopeo | imgtool peak RSS MiB | skopeo peak RSS MiB |"
  echo "|---|---|---|---|---|---|"
  echo "| (a)/(b) push to an empty registry | $ie | $se | $(ratio "$ie" "$se") | $(( $(median_of imgtool-empty 3 | cut -d. -f1) / 1024 )) | $(( $(median_of skopeo-empty 3 | cut -d. -f1) / 1024 )) |"
  echo "| (c) push when every blob is there | $ip | $sp | $(ratio "$ip" "$sp") | $(( $(median_of imgtool-present 3 | cut -d. -f1) / 1024 )) | $(( $(median_of skopeo-present 3 | cut -d. -f1) / 1024 )) |"
  if [ -n "${BASELINE:-}" ]; then
    be=$(median_of baseline-empty 2); bpr=$(median_of baseline-present 2)
    echo "| baseline build ($BASELINE): (a) | $be | $se | $(ratio "$be" "$se") | $(( $(median_of baseline-empty 3 | cut -d. -f1) / 1024 )) | |"
    echo "| baseline build: (c) | $bpr | $sp | $(ratio "$bpr" "$sp") | | |"
  fi
  echo
  echo "Throughput to an empty registry: imgtool $(echo "scale=1; $mib / $ie" | bc) MiB/s, skopeo $(echo "scale=1; $mib / $se" | bc) MiB/s."
  echo
  echo "(c) HTTP cost of a push where the registry has every blob (last run; registry access log):"
  echo
  echo "| tool | HTTP requests | TCP connections | imgtool --debug requests sent/answered |"
  echo "|---|---|---|---|"
  echo "| imgtool | $ireq | $iconn | $idebug |"
  echo "| skopeo | $sreq | $sconn | - |"
  echo
  echo "imgtool's requests in (c), from the registry log:"
  echo
  echo '```'
  grep -o 'http.request.method=[A-Z]* http.request.remoteaddr="[^"]*" http.request.uri="\?[^" ]*' "$out/imgtool-present-registry.log" \
    | sed 's/http.request.method=//; s/ http.request.remoteaddr=/ /; s/ http.request.uri=/ /; s/"//g'
  echo '```'
  echo
  report_footer
} >"$report"
cat "$report"
tls=""; [ "${REGISTRY_TLS:-0}" = 1 ] && tls=" over HTTPS (self-signed, --insecure)"
summary_row "push $mib MiB to an empty registry$tls" "$ie" "skopeo copy" "$se" "$(( $(median_of imgtool-empty 3 | cut -d. -f1) / 1024 ))"
summary_row "push $mib MiB when the registry has every blob$tls" "$ip" "skopeo copy" "$sp" "$(( $(median_of imgtool-present 3 | cut -d. -f1) / 1024 ))"
