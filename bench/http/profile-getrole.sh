#!/usr/bin/env bash
# Where iamd's time goes for a signed GetRole (ray-head, after the seed page).
#
#   callgrind  (default) iamd under valgrind --tool=callgrind (on its Asio loop: --no-io-uring),
#              instructions counted only while
#              wrk -t1 -c2 sends the signed GetRole for PROFILE_SECONDS (default 10);
#              prints the top functions, self and inclusive (callgrind_annotate).
#   perf       iamd at full speed under wrk -t2 -c32, sampled with perf record -e cpu-clock
#              (works without hardware counters), kernel included; prints the top symbols and
#              the split by binary/library.
#
# Usage: bench/http/profile-getrole.sh [BUILD_DIR] [callgrind|perf]
# Build with symbols for readable call stacks, e.g.
#   cmake -S . -B build-prof -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS='-g -fno-omit-frame-pointer'
# Env: PROFILE_SECONDS=10  TOP=40  OUT=DIR (keep the raw profile there)
set -euo pipefail
# shellcheck source=bench/http/lib.sh
source "$(dirname "$0")/lib.sh"

MODE=${2:-callgrind}
PROFILE_SECONDS=${PROFILE_SECONDS:-10}
TOP=${TOP:-40}
need_iamd "${1:-}"
need_wrk
need_python
need_aws
OUT=${OUT:-${TMPDIR:-/tmp}/iamd-profile-$MODE}
mkdir -p "$OUT"
PORT=$(free_port)
DATA="$BENCH_TMP/iamd-data"
iamd_args=(serve --listen "127.0.0.1:$PORT" --data "$DATA" --root-access-key-id "$AWS_ACCESS_KEY_ID"
  --root-secret-access-key "$AWS_SECRET_ACCESS_KEY" --quiet)

case $MODE in
callgrind)
  command -v valgrind >/dev/null && command -v callgrind_annotate >/dev/null ||
    die "valgrind is missing (apt-get install valgrind)"
  # Valgrind does not model io_uring (the kernel fills the completion ring behind its back): under
  # it, iamd runs on its Asio loop (the request's handling is the same code on either loop).
  valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$OUT/callgrind.out" \
    "$IAMD" "${iamd_args[@]}" --no-io-uring >"$OUT/iamd.log" 2>&1 &
  PID=$!
  BENCH_PIDS+=("$PID")
  wait_http "http://127.0.0.1:$PORT/healthz" 120 || { cat "$OUT/iamd.log" >&2; die "iamd under valgrind did not start"; }
  log "profile: seeding (iamd under callgrind, slow)"
  seed "$PORT"
  "$PYTHON" "$BENCH_HTTP/sign.py" getrole --endpoint "http://127.0.0.1:$PORT" --out "$BENCH_TMP/getrole.lua"
  # Warm up (first connections, lazily built state), then count instructions.
  WRK_THREADS=1 WRK_CONNECTIONS=2 run_wrk warmup "http://127.0.0.1:$PORT/" "$BENCH_TMP/getrole.lua" 2 >/dev/null
  callgrind_control -z "$PID" >/dev/null
  callgrind_control -i on "$PID" >/dev/null
  j=$(WRK_THREADS=1 WRK_CONNECTIONS=2 run_wrk profile "http://127.0.0.1:$PORT/" "$BENCH_TMP/getrole.lua" "$PROFILE_SECONDS")
  callgrind_control -i off "$PID" >/dev/null
  n=$(json_get "$j" requests)
  [ "$(json_get "$j" status)" = 0 ] || die "some GetRole answers were not 200: $j"
  stop_pid "$PID"
  total=$(callgrind_annotate "$OUT/callgrind.out" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)
  echo "GetRole under callgrind: $n requests profiled; $total instructions in all, $((total / n)) per request"
  echo
  echo "## Self (exclusive) instructions, top $TOP"
  callgrind_annotate --inclusive=no "$OUT/callgrind.out" 2>/dev/null | sed -n '/^Ir/,$p' |
    "$PYTHON" "$BENCH_HTTP/shorten_callgrind.py" | sed -n "1,$((TOP + 7))p"
  echo
  echo "## Inclusive instructions, top $TOP"
  callgrind_annotate --inclusive=yes "$OUT/callgrind.out" 2>/dev/null | sed -n '/^Ir/,$p' |
    "$PYTHON" "$BENCH_HTTP/shorten_callgrind.py" | sed -n "1,$((TOP + 7))p"
  echo
  echo "Raw profile: $OUT/callgrind.out (callgrind_annotate --tree=caller ... for callers)"
  ;;
perf)
  command -v perf >/dev/null || die "perf is missing (apt-get install linux-perf)"
  start_iamd "$PORT" "$DATA"
  log "profile: seeding"
  seed "$PORT"
  "$PYTHON" "$BENCH_HTTP/sign.py" getrole --endpoint "http://127.0.0.1:$PORT" --out "$BENCH_TMP/getrole.lua"
  run_wrk warmup "http://127.0.0.1:$PORT/" "$BENCH_TMP/getrole.lua" 1 >/dev/null
  run_wrk profile "http://127.0.0.1:$PORT/" "$BENCH_TMP/getrole.lua" "$((PROFILE_SECONDS + 2))" >"$BENCH_TMP/wrk.json" &
  WRK_PID=$!
  sleep 1
  perf record -e cpu-clock -F 4000 -g -p "$IAMD_PID" -o "$OUT/perf.data" -- sleep "$PROFILE_SECONDS" \
    >"$OUT/perf-record.log" 2>&1 || { cat "$OUT/perf-record.log" >&2; die "perf record failed"; }
  wait "$WRK_PID"
  echo "GetRole under perf (cpu-clock, iamd's threads only): $(rate "$(cat "$BENCH_TMP/wrk.json")") req/s while sampled"
  echo
  echo "## By binary / library"
  perf report -i "$OUT/perf.data" --stdio --no-children --sort dso -g none 2>/dev/null | grep -v '^#' | grep -v '^$' | head -15
  echo
  echo "## Top $TOP symbols (self)"
  perf report -i "$OUT/perf.data" --stdio --no-children --sort symbol -g none 2>/dev/null |
    grep -v '^#' | grep -v '^$' | cut -c1-160 | head -"$TOP"
  echo
  echo "Raw profile: $OUT/perf.data (perf report -i ... -g caller for call stacks)"
  ;;
*) die "mode is callgrind or perf" ;;
esac
