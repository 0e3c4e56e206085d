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
    (cd "$repo" && mvn -q -o -B -DskipTests package) >&2
  fi
}

# An array rather than a function, so that /usr/bin/time can run it. The launcher, as users run
# imgtool (it adds the class-data archive and the GC choice; IMGTOOL_JAVA_OPTS passes through).
IMGTOOL=("$repo/cli/imgtool")
imgtool() { "${IMGTOOL[@]}" "$@"; }

# timed LABEL CMD...: runs CMD, appends "LABEL seconds peak_rss_kib" to $results.
timed() {
  local label=$1; shift
  local t0 t1 rss
  t0=$(date +%s.%N)
  /usr/bin/time -f %M -o "$work/time.out" "$@" >"$work/last.out" 2>"$work/last.err" \
    || { cat "$work/last.err" >&2; die "failed: $*"; }
  t1=$(date +%s.%N)
  rss=$(tail -n 1 "$work/time.out")
  echo "$label $(echo "$t1 - $t0" | bc -l | xargs printf %.3f) $rss" | tee -a "$results" >&2
}

# median_of LABEL FIELD: median of column FIELD (2 = seconds, 3 = RSS KiB) over LABEL's rows.
median_of() {
  awk -v l="$1" -v f="$2" '$1 == l { print $f }' "$results" | sort -g \
    | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

ratio() { echo "scale=2; $1 / $2" | bc -l | sed 's/^\./0./'; }

# report_footer: every run's raw figures from $results, then the machine they ran on.
report_footer() {
  echo "Every run (seconds, peak RSS KiB):"
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
