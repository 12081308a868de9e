# shellcheck shell=bash
# Shared helpers of the HTTP benchmarks (sourced by getrole.sh, createrole.sh, startup.sh).
# Everything listens on 127.0.0.1 on free ports; every server started here is stopped on exit.

BENCH_HTTP=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_HTTP/../.." && pwd)

# The root credentials iamd is started with (and that sign.py signs with; moto takes any).
export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
export AWS_DEFAULT_REGION=us-east-1
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN
export AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_CONFIG_FILE=/dev/null
export AWS_PAGER=""

WRK_THREADS=${WRK_THREADS:-2}
WRK_CONNECTIONS=${WRK_CONNECTIONS:-32}
WRK_DURATION=${WRK_DURATION:-10}  # seconds

log() { printf '%s\n' "$*" >&2; }
die() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }
command -v curl >/dev/null || die "curl is missing (apt-get install curl)"

BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/iamd-bench.XXXXXX")
BENCH_PIDS=()
bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  BENCH_PIDS=()
  [ -n "${KEEP_TMP:-}" ] && { log "kept $BENCH_TMP"; return; }
  rm -rf "$BENCH_TMP"
}
trap bench_cleanup EXIT

# TLS=1: iamd (and getrole.sh's nginx) serve HTTPS with the test certificate of
# src/server/testdata/tls, whose CA the AWS CLI trusts (AWS_CA_BUNDLE).
SCHEME=http
IAMD_EXTRA_ARGS=()
if [ -n "${TLS:-}" ]; then
  SCHEME=https
  TLS_CERT=$REPO/src/server/testdata/tls/server-cert.pem
  TLS_KEY=$BENCH_TMP/tls-key.pem
  install -m 600 "$REPO/src/server/testdata/tls/server-key.pem" "$TLS_KEY"
  IAMD_EXTRA_ARGS=(--tls-cert "$TLS_CERT" --tls-key "$TLS_KEY")
  export AWS_CA_BUNDLE=$REPO/src/server/testdata/tls/ca-cert.pem
fi
trap 'exit 130' INT TERM

# stop_pid PID: stops one server started here and forgets it.
stop_pid() {
  local pid=$1 keep=() p
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${BENCH_PIDS[@]}"; do [ "$p" != "$pid" ] && keep+=("$p"); done
  BENCH_PIDS=("${keep[@]}")
}

# --- prerequisites -------------------------------------------------------------------------

need_iamd() {
  BUILD_DIR=$(cd "${1:-$REPO/build}" 2>/dev/null && pwd) ||
    die "build folder ${1:-$REPO/build} not found; build with: cmake -S $REPO -B $REPO/build -DCMAKE_BUILD_TYPE=Release && cmake --build $REPO/build -j2"
  IAMD="$BUILD_DIR/iamd"
  [ -x "$IAMD" ] || die "$IAMD is missing; build with: cmake --build $BUILD_DIR -j2"
}
need_wrk() {
  command -v wrk >/dev/null || die "wrk is missing: run scripts/install-deps.sh (Debian package wrk)"
}
need_nginx() {
  NGINX=$(command -v nginx || true)
  [ -z "$NGINX" ] && [ -x /usr/sbin/nginx ] && NGINX=/usr/sbin/nginx
  [ -n "$NGINX" ] || die "nginx is missing: run scripts/install-deps.sh (Debian package nginx-light)"
}
need_python() {
  PYTHON=${PYTHON:-python3}
  "$PYTHON" -c 'import botocore, boto3' 2>/dev/null ||
    die "$PYTHON with boto3 and botocore is needed (the image's python3 has them)"
}
need_moto() {
  MOTO_SERVER=${MOTO_SERVER:-}
  if [ -z "$MOTO_SERVER" ]; then
    # Resolve pyenv's shim to the real script so that the process we start is moto itself.
    MOTO_SERVER=$(pyenv which moto_server 2>/dev/null || command -v moto_server || true)
  fi
  [ -n "$MOTO_SERVER" ] && [ -x "$MOTO_SERVER" ] ||
    die "moto_server is missing (pip install 'moto[server]' in the image's python)"
}
need_aws() {
  AWS_CLI=${AWS_CLI:-/usr/bin/aws}
  [ -x "$AWS_CLI" ] || AWS_CLI=$(command -v aws || true)
  [ -n "$AWS_CLI" ] || die "the AWS CLI is missing: run scripts/install-deps.sh (Debian package awscli)"
  export AWS_CLI
}

# --- servers -------------------------------------------------------------------------------

free_port() {
  "${PYTHON:-python3}" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_http URL SECONDS: waits for a 200 from URL.
wait_http() {
  local url=$1 limit=$2
  for _ in $(seq $((limit * 20))); do
    [ "$(curl -s -k -o /dev/null -w '%{http_code}' "$url" 2>/dev/null)" = 200 ] && return 0
    sleep 0.05
  done
  return 1
}

# start_iamd PORT DATADIR: starts iamd in the background; sets IAMD_PID.
start_iamd() {
  local port=$1 data=$2
  "$IAMD" serve --listen "127.0.0.1:$port" --data "$data" \
    --root-access-key-id "$AWS_ACCESS_KEY_ID" --root-secret-access-key "$AWS_SECRET_ACCESS_KEY" \
    "${IAMD_EXTRA_ARGS[@]}" --quiet >"$BENCH_TMP/iamd-$port.log" 2>&1 &
  IAMD_PID=$!
  BENCH_PIDS+=("$IAMD_PID")
  wait_http "$SCHEME://127.0.0.1:$port/healthz" 10 ||
    { cat "$BENCH_TMP/iamd-$port.log" >&2; die "iamd did not answer /healthz on port $port"; }
}

# start_moto PORT: starts moto_server with the AWS managed policies; sets MOTO_PID.
start_moto() {
  local port=$1
  MOTO_IAM_LOAD_MANAGED_POLICIES=true "$MOTO_SERVER" -H 127.0.0.1 -p "$port" \
    >"$BENCH_TMP/moto-$port.log" 2>&1 &
  MOTO_PID=$!
  BENCH_PIDS+=("$MOTO_PID")
  wait_http "http://127.0.0.1:$port/moto-api/" 60 ||
    { tail -20 "$BENCH_TMP/moto-$port.log" >&2; die "moto_server did not start on port $port"; }
}

# seed PORT: runs the seed page verbatim (tests/seed/run-seed.sh) with the AWS CLI.
seed() {
  local port=$1
  ENDPOINT="$SCHEME://127.0.0.1:$port" "$REPO/tests/seed/run-seed.sh" >"$BENCH_TMP/seed-$port.log" 2>&1 ||
    { cat "$BENCH_TMP/seed-$port.log" >&2; tail -5 "$BENCH_TMP"/*-"$port".log >&2 || true
      die "the seed failed against port $port"; }
  grep -q 'instance-profile/ray-worker' "$BENCH_TMP/seed-$port.log" ||
    die "the seed did not print the instance profile ARNs (port $port)"
}

# cpu_ms PID...: "USER SYSTEM" CPU time (all threads) of the processes and their children
# (nginx's workers), in milliseconds, from /proc.
cpu_ms() {
  local pids=("$@") p c user=0 sys=0 hz u s
  hz=$(getconf CLK_TCK)
  for p in "$@"; do
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do pids+=("$c"); done
  done
  for p in "${pids[@]}"; do
    # After the ")" that ends the command name, utime and stime are the 12th and 13th fields.
    read -r u s < <(sed 's/.*) //' /proc/"$p"/stat 2>/dev/null | awk '{print $12, $13}') || continue
    user=$((user + u)) sys=$((sys + s))
  done
  echo "$((user * 1000 / hz)) $((sys * 1000 / hz))"
}

# ctx_switches PID...: "VOLUNTARY INVOLUNTARY" context switches (all threads) of the processes
# and their children.
ctx_switches() {
  local pids=("$@") p c v=0 n=0 a b
  for p in "$@"; do
    for c in $(cat /proc/"$p"/task/*/children 2>/dev/null); do pids+=("$c"); done
  done
  for p in "${pids[@]}"; do
    read -r a b < <(cat /proc/"$p"/task/*/status 2>/dev/null |
      awk '/^voluntary_ctxt_switches/ {v += $2} /^nonvoluntary_ctxt_switches/ {n += $2} END {print v + 0, n + 0}')
    v=$((v + a)) n=$((n + b))
  done
  echo "$v $n"
}

# rss_kb PID: resident set size in kB.
rss_kb() { ps -o rss= -p "$1" | tr -d ' '; }

# check_alive PID NAME LOG: dies with the server's exit status and its log if it is gone.
check_alive() {
  local pid=$1 name=$2 logfile=$3 rc
  kill -0 "$pid" 2>/dev/null && return 0
  wait "$pid" 2>/dev/null && rc=0 || rc=$?
  [ "$rc" -gt 128 ] && rc="$rc (signal $((rc - 128)): $(kill -l $((rc - 128)) 2>/dev/null))"
  log "--- last lines of $logfile:"
  tail -20 "$logfile" >&2 || true
  die "$name (pid $pid) is gone during the benchmark, exit status $rc"
}

# --- wrk -----------------------------------------------------------------------------------

# run_wrk NAME URL SCRIPT [SECONDS]: runs wrk, keeps its output in $BENCH_TMP/NAME.wrk and
# prints the WRKJSON line (requests, duration, errors, latency percentiles in microseconds).
run_wrk() {
  local name=$1 url=$2 script=$3 secs=${4:-$WRK_DURATION}
  wrk -t"$WRK_THREADS" -c"$WRK_CONNECTIONS" -d"${secs}s" --latency -s "$script" "$url" \
    >"$BENCH_TMP/$name.wrk" 2>&1 || { cat "$BENCH_TMP/$name.wrk" >&2; log "wrk failed ($name)"; return 1; }
  grep '^WRKJSON ' "$BENCH_TMP/$name.wrk" | tail -1 | cut -d' ' -f2- |
    grep . || { cat "$BENCH_TMP/$name.wrk" >&2; die "no result from wrk ($name)"; }
}

# json_get JSON KEY
json_get() { "${PYTHON:-python3}" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

# rate JSON: requests per second (2 decimals).
rate() {
  "${PYTHON:-python3}" -c 'import json,sys; j=json.loads(sys.argv[1]); print("%.2f" % (j["requests"]*1e6/j["duration_us"]))' "$1"
}

machine_note() {
  printf '%s cores, load average %s, %s' "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(uname -sr)"
}
