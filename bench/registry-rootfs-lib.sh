# Shared helpers for bench/push.sh and bench/rootfs.sh (sourced, not run).
# Timings are wall-clock seconds of the whole command, JVM start-up included, because that is
# what a user waits for. Peak RSS comes from GNU time (-f %M, KiB).

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
jar="$repo/target/imgtool-0.1.0.jar"
runs=${RUNS:-5}

die() { echo "bench: $*" >&2; exit 1; }

need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is not installed (apt-get install -y $tool)"
  done
  [ -x /usr/bin/time ] || die "GNU time is not installed (apt-get install -y time)"
}

build_jar() {
  if [ ! -f "$jar" ] || [ -n "$(find "$repo/src/main" "$repo/pom.xml" -newer "$jar" -print -quit)" ]; then
    echo "bench: building $jar" >&2
    (cd "$repo" && mvn -q -B -DskipTests package) >&2
  fi
}

# An array rather than a function, so that /usr/bin/time can run it. The launcher, as users run
# imgtool (it adds the class-data archive and the GC choice; IMGTOOL_JAVA_OPTS passes through).
IMGTOOL=("$repo/cli/imgtool")
imgtool() { "${IMGTOOL[@]}" "$@"; }
# BASELINE=DIR (another checkout of imgtool, e.g. `git archive main | tar -x -C DIR`) times that
# build too, in the same rounds, as "baseline": before and after a change under the same load.
BASELINE_IMGTOOL=()
if [ -n "${BASELINE:-}" ]; then BASELINE_IMGTOOL=("$BASELINE/cli/imgtool"); fi

# timed LABEL CMD...: runs CMD, appends "LABEL seconds peak_rss_kib load cpu_seconds" to $results
# (CPU seconds, user + system, vary less than wall time on a shared machine).
timed() {
  local label=$1; shift
  local t0 t1 rss
  t0=$(date +%s.%N)
  /usr/bin/time -f '%M %U %S' -o "$work/time.out" "$@" >"$work/last.out" 2>"$work/last.err" \
    || { cat "$work/last.err" >&2; die "failed: $*"; }
  t1=$(date +%s.%N)
  read -r rss user sys < <(tail -n 1 "$work/time.out")
  echo "$label $(echo "$t1 - $t0" | bc -l | xargs printf %.3f) $rss $(cut -d' ' -f1 /proc/loadavg) $(echo "$user + $sys" | bc -l)" \
    | tee -a "$results" >&2
}

# median_of LABEL FIELD: median of column FIELD (2 = seconds, 3 = RSS KiB, 5 = CPU s) over LABEL's rows.
median_of() {
  awk -v l="$1" -v f="$2" '$1 == l { print $f }' "$results" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { echo "scale=2; $1 / $2" | bc -l | sed 's/^\./0./'; }

# summary_row WHAT IMGTOOL_S ANCHOR ANCHOR_S [IMGTOOL_RSS_MIB]: one row of bench/all.sh's table,
# appended to $BENCH_SUMMARY when bench/all.sh runs this script (tab-separated).
summary_row() {
  [ -n "${BENCH_SUMMARY:-}" ] || return 0
  printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$BENCH_SUMMARY"
}

# report_footer: every run's raw figures from $results, then the machine they ran on.
report_footer() {
  echo "Every run (seconds, peak RSS KiB, load average when it ended, CPU seconds user + system):"
  echo
  echo '```'
  cat "$results"
  echo '```'
  echo
  machine
}

machine() {
  echo "- Machine: $(nproc) cores visible ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, $(uname -sr)."
  echo "- Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg) (the cores are shared with other work)."
  echo "- Java: $(java -version 2>&1 | head -1); $(skopeo --version); $(umoci --version); docker-registry $(dpkg-query -W -f '${Version}' docker-registry 2>/dev/null)."
}

# files_upto DIR MIB: regular files under DIR (sorted, relative to /) until MIB MiB are reached.
files_upto() {
  (cd / && find "${1#/}" -xdev -type f -size -16M -readable -printf '%s %p\n') | LC_ALL=C sort -k2 \
    | awk -v max=$(( $2 * 1024 * 1024 )) 'total < max { total += $1; print substr($0, index($0, " ") + 1) }'
}

# make_image TMPDIR IMAGE LARGE: push.sh's image in $IMGTOOL_STORE (a new store): three gzip
# layers of /usr/share and /usr/lib files and 32 MiB of random bytes (about 90 MB), and with
# LARGE=1 three more layers of 96 MiB of random bytes each.
make_image() {
  local layers=$1 image=$2 large=$3
  echo "bench: making $image in $IMGTOOL_STORE (layers: /usr/share, /usr/lib, random; LARGE=$large)" >&2
  rm -rf "$IMGTOOL_STORE" "$layers"; mkdir -p "$layers/random"
  files_upto /usr/share 42 >"$layers/share.list"
  files_upto /usr/lib 70 >"$layers/lib.list"
  tar -C / --no-recursion -cf "$layers/share.tar" -T "$layers/share.list"
  tar -C / --no-recursion -cf "$layers/lib.tar" -T "$layers/lib.list"
  head -c $(( 32 * 1024 * 1024 )) /dev/urandom >"$layers/random/blob.bin"
  tar -C "$layers" -cf "$layers/random.tar" random
  local extra=()
  if [ "$large" = 1 ]; then
    for n in 1 2 3; do
      rm -rf "$layers/random"; mkdir -p "$layers/random"
      head -c $(( 96 * 1024 * 1024 )) /dev/urandom >"$layers/random/blob-$n.bin"
      tar -C "$layers" -cf "$layers/random-$n.tar" random
      extra+=(--layer "$layers/random-$n.tar")
    done
  fi
  imgtool -q import "$layers/share.tar" bench/base:1 >/dev/null
  imgtool -q commit --layer "$layers/lib.tar" --layer "$layers/random.tar" "${extra[@]}" \
    -m "bench layers" bench/base:1 "$image" >/dev/null
  rm -rf "$layers"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# registry_start DIR: a fresh docker-registry with empty storage in DIR, serving plain HTTP on
# loopback (HTTPS with a self-signed certificate when REGISTRY_TLS=1); sets $registry
# (host:port), $registry_pid and $registry_log.
registry_start() {
  local dir=$1 port tls="" scheme=http
  rm -rf "$dir"; mkdir -p "$dir/storage"
  port=$(free_port)
  if [ "${REGISTRY_TLS:-0}" = 1 ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 2 \
      -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
    tls="  tls:
    certificate: $dir/cert.pem
    key: $dir/key.pem"
    scheme=https
  fi
  cat >"$dir/config.yml" <<YAML
version: 0.1
log:
  level: info
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
  secret: imgtool-bench
$tls
YAML
  registry_log=$dir/registry.log
  /usr/bin/docker-registry serve "$dir/config.yml" >"$registry_log" 2>&1 &
  registry_pid=$!
  registry=127.0.0.1:$port
  for _ in $(seq 100); do
    curl -sk -o /dev/null "$scheme://$registry/v2/" && return 0
    kill -0 "$registry_pid" 2>/dev/null || die "docker-registry exited: $(cat "$registry_log")"
    sleep 0.1
  done
  die "docker-registry did not start: $(cat "$registry_log")"
}

registry_stop() {
  if [ -n "${registry_pid:-}" ]; then
    kill "$registry_pid" 2>/dev/null || true
    wait "$registry_pid" 2>/dev/null || true
    registry_pid=
  fi
}
