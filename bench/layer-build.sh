#!/usr/bin/env bash
# Times building one layer blob from a ~200 MB tar: pigz (anchor), umoci raw add-layer, and
# imgtool's LayerBuilder (gzip with its default engine, ISA-L; gzip with zlib level 6, the engine
# used when ISA-L is not installed; zstd), with hyperfine; then peak RSS with /usr/bin/time -v.
# Results: bench/out/layer-build.md. Usage: [INPUT=file.tar] bench/layer-build.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=bench/out
input=${INPUT:-$out/input.tar}
mkdir -p "$out"

need() { command -v "$1" >/dev/null || { echo "missing $1 (apt-get install $2)" >&2; exit 1; }; }
need pigz pigz; need umoci umoci; need hyperfine hyperfine; need openssl openssl; need jq jq
[ -x /usr/bin/time ] || { echo "missing /usr/bin/time (apt-get install time)" >&2; exit 1; }

make_input() {
  # ~170 MB of real files (libraries, docs, locales: mixed compressibility) plus 30 MB of
  # incompressible bytes, all deterministic: sorted names, fixed owners and mtimes, AES-CTR noise.
  echo "making $input ..." >&2
  local list=$out/files.txt
  find /usr/lib /usr/share -xdev -type f -size -8M -readable -printf '%p\t%s\n' 2>/dev/null \
    | LC_ALL=C sort | awk -F'\t' -v limit=$((170 * 1000 * 1000)) '{ total += $2; if (total <= limit) print $1 }' \
    > "$list"
  mkdir -p "$out/noise"
  head -c 30000000 /dev/zero | openssl enc -aes-128-ctr -nosalt -pass pass:imgtool-bench -pbkdf2 \
    > "$out/noise/random.bin"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 -cf "$input" \
    -T "$list" -C "$out" noise 2>/dev/null
  rm -rf "$out/noise"
}

[ -f "$input" ] || { [ -z "${INPUT:-}" ] || { echo "no $input" >&2; exit 1; }; make_input; }
echo "input: $(stat -c %s "$input") bytes" >&2

mvn -q -B test-compile
mvn -q -B dependency:build-classpath -Dmdep.outputFile="$out/classpath.txt" >/dev/null
cp="target/test-classes:target/classes:$(cat "$out/classpath.txt")"
# The launcher's JVM flags (cli/imgtool), so the JVM does what it does for `imgtool import`: C1
# only when OpenSSL hashes (libcrypto found where the launcher looks for it).
jit=""
for lib in /usr/lib/x86_64-linux-gnu /lib/x86_64-linux-gnu /usr/lib64 /usr/lib /lib; do
  if [ -e "$lib/libcrypto.so.3" ] || [ -e "$lib/libcrypto.so.1.1" ]; then jit="-XX:TieredStopAtLevel=1"; break; fi
done
java_bench="java -XX:+UseSerialGC $jit -XX:-UsePerfData -cp $cp io.imgtool.layer.LayerBuildBench"
fresh_layout="rm -rf $out/oci && umoci init --layout $out/oci && umoci new --image $out/oci:bench"

declare -a names=(pigz umoci imgtool-gzip imgtool-zlib6 imgtool-zstd)
declare -A cmds=(
  [pigz]="pigz -6 -c $input > $out/pigz.gz"
  [umoci]="umoci raw add-layer --image $out/oci:bench $input"
  [imgtool-gzip]="$java_bench $input $out/imgtool.gz gzip"
  [imgtool-zlib6]="$java_bench $input $out/imgtool-zlib6.gz gzip 6"
  [imgtool-zstd]="$java_bench $input $out/imgtool.zst zstd 3"
)

# One --prepare per command, in order: only umoci needs a fresh layout before each run. Each round
# runs every command once, so the commands alternate and share the machine's changing load.
for round in $(seq "$runs"); do
  warmup=0; [ "$round" = 1 ] && warmup=1
  hyperfine --warmup "$warmup" --runs 1 --export-json "$out/hyperfine-$round.json" \
    --prepare true --prepare "$fresh_layout" --prepare true --prepare true --prepare true \
    -n pigz "${cmds[pigz]}" -n umoci "${cmds[umoci]}" \
    -n imgtool-gzip "${cmds[imgtool-gzip]}" -n imgtool-zlib6 "${cmds[imgtool-zlib6]}" \
    -n imgtool-zstd "${cmds[imgtool-zstd]}" >&2
done
# The rounds merged: per command every time, their median, min and max, mean CPU seconds.
jq -s '{results: [(.[0].results | map(.command))[] as $n | [.[].results[] | select(.command == $n)] as $rs
  | {command: $n, times: [$rs[].times[]], user: ($rs | map(.user) | add / length),
     system: ($rs | map(.system) | add / length)}
  | .median = (.times | sort | if length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end)
  | .min = (.times | min) | .max = (.times | max)]}' "$out"/hyperfine-[0-9]*.json > "$out/hyperfine.json"
rm -f "$out"/hyperfine-[0-9]*.json

# Peak RSS and output size, one run each.
declare -A rss size
for name in "${names[@]}"; do
  [ "$name" = umoci ] && eval "$fresh_layout"
  /usr/bin/time -v bash -c "${cmds[$name]}" 2> "$out/time-$name.txt" >"$out/time-$name.out"
  rss[$name]=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$out/time-$name.txt")
done
# The JVM's heap grows to what is free; a small fixed heap shows what the layer build itself needs.
small_heap="java -Xmx64m -XX:+UseSerialGC $jit -cp $cp io.imgtool.layer.LayerBuildBench $input $out/imgtool-small.gz gzip"
/usr/bin/time -v bash -c "$small_heap" 2> "$out/time-small-heap.txt" >/dev/null
cmp "$out/imgtool-small.gz" "$out/imgtool.gz" # same bytes whatever the heap and timing
small_rss=$(awk -F': ' '/Maximum resident set size/ {print int($2 / 1024)}' "$out/time-small-heap.txt")
small_wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$out/time-small-heap.txt")

size[pigz]=$(stat -c %s "$out/pigz.gz")
size[imgtool-gzip]=$(stat -c %s "$out/imgtool.gz")
size[imgtool-zlib6]=$(stat -c %s "$out/imgtool-zlib6.gz")
size[imgtool-zstd]=$(stat -c %s "$out/imgtool.zst")
layer=$(jq -r '.manifests[0].digest' "$out/oci/index.json" | cut -d: -f2)
layer=$(jq -r '.layers[-1].digest' "$out/oci/blobs/sha256/$layer" | cut -d: -f2)
size[umoci]=$(stat -c %s "$out/oci/blobs/sha256/$layer")

# Every gzip output must give back the input.
for f in "$out/pigz.gz" "$out/imgtool.gz" "$out/imgtool-zlib6.gz" "$out/oci/blobs/sha256/$layer"; do
  gzip -t "$f" && gzip -dc "$f" | cmp - "$input"
done

pigz_median=$(jq '.results[] | select(.command == "pigz") | .median' "$out/hyperfine.json")
umoci_median=$(jq '.results[] | select(.command == "umoci") | .median' "$out/hyperfine.json")
{
  echo "# Layer build benchmark"
  echo
  echo "- machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(free -g | awk '/Mem:/ {print $2}') GiB RAM"
  echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "- input: $(stat -c %s "$input") bytes of tar ($input), $runs alternating rounds after 1 warm-up"
  echo "- imgtool gzip engine: $(grep -o '(.*)' "$out/time-imgtool-gzip.out" 2>/dev/null || echo '?')"
  echo "- java: $(java -version 2>&1 | head -1)"
  echo
  echo "| command | median (s) | vs umoci | vs pigz | min (s) | max (s) | CPU user+sys (s) | output bytes | size vs umoci | ratio | peak RSS (MiB) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for name in "${names[@]}"; do
    jq -r --arg n "$name" --argjson p "$pigz_median" --argjson u "$umoci_median" --argjson s "${size[$name]}" \
      --argjson us "${size[umoci]}" --argjson r "${rss[$name]}" --argjson in "$(stat -c %s "$input")" \
      '.results[] | select(.command == $n) |
       "| \($n) | \(.median * 1000 | round / 1000) | \(.median / $u * 100 | round / 100)x | \(.median / $p * 100 | round / 100)x | \(.min * 1000 | round / 1000) | \(.max * 1000 | round / 1000) | \((.user + .system) * 100 | round / 100) | \($s) | \($s / $us * 1000 | round / 1000)x | \($s / $in * 1000 | round / 1000) | \($r / 1024 | round) |"' \
      "$out/hyperfine.json"
  done
  echo
  echo "imgtool-gzip with \`-Xmx64m -XX:+UseSerialGC\`: peak RSS $small_rss MiB, wall $small_wall, same blob bytes."
  echo "Load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) (other work on the machine inflates wall times; CPU seconds are steadier)."
  echo
  echo "Commands:"
  for name in "${names[@]}"; do echo "- $name: \`${cmds[$name]//$cp/\$CLASSPATH}\`"; done
} > "$out/layer-build.md"
cat "$out/layer-build.md"

# Rows of bench/all.sh's table: the default gzip engine against umoci and against pigz.
if [ -n "${BENCH_SUMMARY:-}" ]; then
  median() { jq --arg n "$1" '.results[] | select(.command == $n) | .median * 1000 | round / 1000' "$out/hyperfine.json"; }
  mb=$(( $(stat -c %s "$input") / 1000000 ))
  printf '%s\t%s\t%s\t%s\t%s\n' "gzip layer from a $mb MB tar ($(basename "$input"))" "$(median imgtool-gzip)" \
    "umoci raw add-layer" "$(median umoci)" "$(( rss[imgtool-gzip] / 1024 ))" >>"$BENCH_SUMMARY"
  printf '%s\t%s\t%s\t%s\t%s\n' "the same; size in MB (imgtool / umoci)" \
    "$(echo "scale=1; ${size[imgtool-gzip]} / 1000000" | bc)" "umoci" "$(echo "scale=1; ${size[umoci]} / 1000000" | bc)" "" >>"$BENCH_SUMMARY"
  printf '%s\t%s\t%s\t%s\t%s\n' "the same" "$(median imgtool-gzip)" "pigz -6" "$(median pigz)" "" >>"$BENCH_SUMMARY"
  printf '%s\t%s\t%s\t%s\t%s\n' "the same with zlib level 6 (no ISA-L)" "$(median imgtool-zlib6)" \
    "umoci raw add-layer" "$(median umoci)" "$(( rss[imgtool-zlib6] / 1024 ))" >>"$BENCH_SUMMARY"
fi
