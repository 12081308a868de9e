#!/usr/bin/env bash
# Start-up time and idle memory, iamd vs moto_server.
#
#   start-up: from spawning the server to its first 200, STARTUP_REPS times (default 10),
#             median. iamd: GET /healthz, on an empty data folder (first start) and on the
#             seeded one (restart); both servers: the first answered signed GetPolicy of the
#             managed policy AmazonEC2FullAccess (moto builds its managed policies then).
#   idle RSS: ps -o rss of each server after the seed page ran through it, then 2 s idle.
#
# Usage: bench/http/startup.sh [BUILD_DIR]      (default: build)
# Env:   STARTUP_REPS=10  MOTO_STARTUP_REPS=5  SKIP_MOTO=1  BENCH_RESULTS=FILE
set -euo pipefail
# shellcheck source=bench/http/lib.sh
source "$(dirname "$0")/lib.sh"

STARTUP_REPS=${STARTUP_REPS:-10}
MOTO_STARTUP_REPS=${MOTO_STARTUP_REPS:-5}
need_iamd "${1:-}"
need_python
need_aws
[ -n "${SKIP_MOTO:-}" ] || need_moto

# --- idle RSS after the seed --------------------------------------------------------------
IAMD_PORT=$(free_port)
IAMD_DATA="$BENCH_TMP/iamd-data"
start_iamd "$IAMD_PORT" "$IAMD_DATA"
log "startup: seeding iamd on :$IAMD_PORT"
seed "$IAMD_PORT"
sleep 2
IAMD_RSS=$(rss_kb "$IAMD_PID")
stop_pid "$IAMD_PID"
MOTO_RSS=null
if [ -z "${SKIP_MOTO:-}" ]; then
  MOTO_PORT=$(free_port)
  log "startup: seeding moto_server on :$MOTO_PORT"
  start_moto "$MOTO_PORT"
  seed "$MOTO_PORT"
  sleep 2
  MOTO_RSS=$(rss_kb "$MOTO_PID")
  stop_pid "$MOTO_PID"
fi

# --- start-up -----------------------------------------------------------------------------
startup() { "$PYTHON" "$BENCH_HTTP/startup.py" --log "$BENCH_TMP/startup.log" "$@"; }
P=$(free_port)
iamd_opts=(serve --listen "127.0.0.1:$P" --root-access-key-id "$AWS_ACCESS_KEY_ID"
  --root-secret-access-key "$AWS_SECRET_ACCESS_KEY" --quiet)
log "startup: iamd, $STARTUP_REPS starts each (empty data folder, seeded data folder, first GetPolicy)"
IAMD_FRESH=$(startup --port "$P" --reps "$STARTUP_REPS" --fresh-data "$BENCH_TMP/fresh" -- \
  "$IAMD" "${iamd_opts[@]}" --data "$BENCH_TMP/fresh")
IAMD_SEEDED=$(startup --port "$P" --reps "$STARTUP_REPS" -- "$IAMD" "${iamd_opts[@]}" --data "$IAMD_DATA")
IAMD_GETPOLICY=$(startup --port "$P" --reps "$STARTUP_REPS" --probe getpolicy -- \
  "$IAMD" "${iamd_opts[@]}" --data "$IAMD_DATA")
grep -ho '"startup_us":[0-9]*' "$BENCH_TMP/startup.log" | cut -d: -f2 | sort -n >"$BENCH_TMP/self.txt" || true
IAMD_SELF=$(awk '{a[NR]=$1} END {if (NR) printf "%.1f", a[int((NR+1)/2)]/1000; else print "null"}' "$BENCH_TMP/self.txt")
MOTO_GETPOLICY=null
if [ -z "${SKIP_MOTO:-}" ]; then
  log "startup: moto_server, $MOTO_STARTUP_REPS starts (first GetPolicy)"
  MOTO_GETPOLICY=$(MOTO_IAM_LOAD_MANAGED_POLICIES=true startup --port "$P" --reps "$MOTO_STARTUP_REPS" \
    --probe getpolicy -- "$MOTO_SERVER" -H 127.0.0.1 -p "$P")
fi

"$PYTHON" - "$IAMD_FRESH" "$IAMD_SEEDED" "$IAMD_GETPOLICY" "$IAMD_SELF" "$MOTO_GETPOLICY" \
  "$IAMD_RSS" "$MOTO_RSS" "$(machine_note)" "${BENCH_RESULTS:-}" <<'PY'
import json, sys
fresh, seeded, getpolicy, self_ms, moto_gp, iamd_rss, moto_rss, machine, out = sys.argv[1:]
fresh, seeded, getpolicy, moto_gp = (json.loads(x) for x in (fresh, seeded, getpolicy, moto_gp))
self_ms, iamd_rss, moto_rss = (json.loads(x) for x in (self_ms, iamd_rss, moto_rss))
print(f"\nStart-up (spawn to first 200, median of n) and idle memory ({machine})\n")
print("| measure | iamd | moto_server |")
print("|---|---:|---:|")
n = len(fresh["runs_ms"])
print(f"| start-up to /healthz 200, empty data folder (n={n}) | {fresh['median_ms']:.1f} ms | - |")
print(f"| start-up to /healthz 200, seeded data folder (n={n}) | {seeded['median_ms']:.1f} ms | - |")
mg = f"{moto_gp['median_ms']:,.0f} ms (n={len(moto_gp['runs_ms'])})" if moto_gp else "-"
print(f"| start-up to first GetPolicy 200 (AWS managed policy) | {getpolicy['median_ms']:.1f} ms | {mg} |")
if self_ms is not None:
    print(f"| iamd's own \"ready in\" (median, all starts) | {self_ms:.1f} ms | - |")
mr = f"{moto_rss / 1024:.1f} MiB" if moto_rss else "-"
print(f"| idle RSS after the seed page | {iamd_rss / 1024:.1f} MiB | {mr} |")
ratios = {}
if moto_gp:
    ratios["moto/iamd start-up"] = moto_gp["median_ms"] / getpolicy["median_ms"]
if moto_rss:
    ratios["moto/iamd RSS"] = moto_rss / iamd_rss
for k, v in ratios.items():
    print(f"\n{k}: {v:.1f}x", end="")
print()
worst = max(fresh["median_ms"], seeded["median_ms"])
print("target start-up < 100 ms:", "MET" if worst < 100 else "NOT MET")
if out:
    json.dump({"machine": machine, "iamd": {"fresh": fresh, "seeded": seeded, "getpolicy": getpolicy,
               "self_reported_ms": self_ms, "rss_kb": iamd_rss},
               "moto": {"getpolicy": moto_gp, "rss_kb": moto_rss}, "ratios": ratios},
              open(out, "w"), indent=1)
PY
