#!/usr/bin/env bash
# Durable CreateRole throughput with 32 connections, iamd vs moto_server, in one run.
#
# Every request creates a distinct role: sign.py pre-signs a pool of distinct CreateRole
# requests (2x what a 2-second probe says the run can do) that wrk cycles through. Afterwards
# the roles really created are counted (ListRoles, and for iamd also sqlite3 on iamd.db after
# a clean stop) and printed next to the number of 200 responses, so the figure is honest:
# created must be >= the 200s (nothing acknowledged lost) and exceed them by at most the
# requests in flight when wrk stopped (one per connection).
#
# Usage: bench/http/createrole.sh [BUILD_DIR]      (default: build)
# Env:   WRK_DURATION=10 WRK_THREADS=2 WRK_CONNECTIONS=32  SKIP_MOTO=1  BENCH_RESULTS=FILE
set -euo pipefail
# shellcheck source=bench/http/lib.sh
source "$(dirname "$0")/lib.sh"

need_iamd "${1:-}"
need_wrk
need_python
[ -n "${SKIP_MOTO:-}" ] || need_moto
command -v sqlite3 >/dev/null || log "createrole: sqlite3 missing (scripts/install-deps.sh): iamd.db will not be cross-checked"

PROBE_SECONDS=2
: >"$BENCH_TMP/createrole.jsonl"

# count_roles PORT PREFIX: roles whose name starts with PREFIX-, through ListRoles.
count_roles() {
  "$PYTHON" - "http://127.0.0.1:$1" "$2-" <<'PY'
import sys, boto3, botocore.config
iam = boto3.client("iam", endpoint_url=sys.argv[1], region_name="us-east-1",
                   config=botocore.config.Config(retries={"max_attempts": 1}, read_timeout=300))
n = 0
for page in iam.get_paginator("list_roles").paginate(PaginationConfig={"PageSize": 1000}):
    n += sum(1 for r in page["Roles"] if r["RoleName"].startswith(sys.argv[2]))
print(n)
PY
}

# bench_target NAME PORT PID: probe, sign the pool, run, count. Appends a JSON line.
bench_target() {
  local name=$1 port=$2 pid=$3 url="http://127.0.0.1:$2/" j probe_rate pool prefix
  # One ListRoles first: moto builds its IAM backend (and the managed policies) on the first
  # IAM request, which takes it seconds; the probe should see the server at work.
  count_roles "$port" warmup >/dev/null
  # Probe: a first pool, big enough for the fastest server we expect over the probe.
  pool=${PROBE_POOL:-80000}
  [ "$name" = moto ] && pool=${MOTO_PROBE_POOL:-4000}
  "$PYTHON" "$BENCH_HTTP/sign.py" createrole --endpoint "http://127.0.0.1:$port" \
    --threads "$WRK_THREADS" --count "$pool" --out "$BENCH_TMP/probe-$name.lua" >/dev/null
  j=$(run_wrk "createrole-probe-$name" "$url" "$BENCH_TMP/probe-$name.lua" "$PROBE_SECONDS") || true
  check_alive "$pid" "$name" "$BENCH_TMP/$name-$port.log"
  [ -n "$j" ] || die "wrk failed against $name (probe)"
  probe_rate=$(rate "$j")
  # The pool: 3x what the probe suggests the run can do (a fresh database is slower in its
  # first seconds). If the run still exhausts it, run again with 3x the rate it reached.
  local seen=$probe_rate
  for _ in 1 2 3; do
    pool=$("$PYTHON" -c "import math,sys; print(max(20000, math.ceil(3 * float(sys.argv[1]) * int(sys.argv[2]) * 1.1)))" \
      "$seen" "$WRK_DURATION")
    log "createrole: $name at ${seen} req/s -> pool of $pool signed requests"
    prefix=$("$PYTHON" "$BENCH_HTTP/sign.py" createrole --endpoint "http://127.0.0.1:$port" \
      --threads "$WRK_THREADS" --count "$pool" --out "$BENCH_TMP/createrole-$name.lua")
    j=$(run_wrk "createrole-$name" "$url" "$BENCH_TMP/createrole-$name.lua") || true
    check_alive "$pid" "$name" "$BENCH_TMP/$name-$port.log"
    [ -n "$j" ] || die "wrk failed against $name"
    [ "$(json_get "$j" requests)" -lt "$pool" ] && break
    seen=$(rate "$j")
    log "createrole: $name sent more requests than the pool held ($pool): again with a bigger pool"
    sleep 1
  done
  rm -f "$BENCH_TMP"/createrole-"$name".lua.*.dat "$BENCH_TMP"/probe-"$name".lua.*.dat
  sleep 1  # let the requests still in flight when wrk stopped finish
  local listed
  listed=$(count_roles "$port" "$prefix")
  log "createrole: $name $(rate "$j") req/s, $listed roles listed  $j"
  echo "{\"target\":\"$name\",\"prefix\":\"$prefix\",\"pool\":$pool,\"probe_rps\":$probe_rate,\"listed\":$listed,\"wrk\":$j}" \
    >>"$BENCH_TMP/createrole.jsonl"
}

# The disk's fdatasync latency right now (4 KiB writes in the data folder's file system): a
# durable CreateRole waits for one, so the figure below depends on it.
FSYNC=$("$PYTHON" - "$BENCH_TMP" <<'PY'
import json, os, sys, time
path = os.path.join(sys.argv[1], "fsync-probe")
fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
ts = []
for i in range(200):
    os.pwrite(fd, b"x" * 4096, (i % 16) * 4096)
    t = time.perf_counter()
    os.fdatasync(fd)
    ts.append((time.perf_counter() - t) * 1000)
os.close(fd)
os.unlink(path)
ts.sort()
print(json.dumps({"p50": ts[100], "p90": ts[180], "p99": ts[198]}))
PY
)
log "createrole: fdatasync on this disk: $FSYNC (ms)"

# --- iamd ---------------------------------------------------------------------------------
IAMD_PORT=$(free_port)
IAMD_DATA="$BENCH_TMP/iamd-data"
start_iamd "$IAMD_PORT" "$IAMD_DATA"
log "createrole: iamd on :$IAMD_PORT, wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${WRK_DURATION}s"
bench_target iamd "$IAMD_PORT" "$IAMD_PID"
stop_pid "$IAMD_PID"
DB_COUNT=null
if command -v sqlite3 >/dev/null; then
  prefix=$("$PYTHON" -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if "\"iamd\"" in l][-1]["prefix"])' "$BENCH_TMP/createrole.jsonl")
  DB_COUNT=$(sqlite3 "$IAMD_DATA/iamd.db" "SELECT count(*) FROM roles WHERE name LIKE '$prefix-%'")
fi

# --- moto ---------------------------------------------------------------------------------
if [ -z "${SKIP_MOTO:-}" ]; then
  MOTO_PORT=$(free_port)
  log "createrole: moto_server on :$MOTO_PORT"
  start_moto "$MOTO_PORT"
  bench_target moto "$MOTO_PORT" "$MOTO_PID"
  stop_pid "$MOTO_PID"
fi

"$PYTHON" - "$BENCH_TMP/createrole.jsonl" "$DB_COUNT" "$(machine_note)" "${BENCH_RESULTS:-}" \
  "$WRK_THREADS" "$WRK_CONNECTIONS" "$WRK_DURATION" "$FSYNC" <<'PY'
import json, sys
runs_path, db_count, machine, out, threads, conns, secs, fsync = sys.argv[1:]
fsync = json.loads(fsync)
conns = int(conns)
res, problems, notes = {}, [], []
for line in open(runs_path):
    r = json.loads(line)
    w = r["wrk"]
    codes = w.get("codes") or {}
    ok = codes.get("200", w["requests"] - w["status"]) if codes else w["requests"] - w["status"]
    created = r["listed"]
    t = r["target"]
    res[t] = {"rps": w["requests"] * 1e6 / w["duration_us"], "ok_rps": ok * 1e6 / w["duration_us"],
              "responses": w["requests"], "ok": ok, "non2xx": w["status"],
              "socket_errors": w["connect"] + w["read"] + w["write"] + w["timeout"],
              "created_listed": created, "pool": r["pool"], "p50_ms": w["p50_us"] / 1000,
              "p99_ms": w["p99_us"] / 1000, "codes": codes}
    if t == "iamd" and db_count != "null":
        res[t]["created_in_db"] = int(db_count)
    if w["status"]:
        msg = f"{t}: {w['status']} non-2xx responses (status codes: {codes})"
        # A peer failing some of its requests is a finding about the peer; iamd must not.
        (problems if t == "iamd" else notes).append(msg)
    if w["requests"] >= r["pool"]:
        problems.append(f"{t}: the run sent more requests than the pool holds ({r['pool']})")
    for key in ("created_listed", "created_in_db"):
        c = res[t].get(key)
        if c is None:
            continue
        if c < ok:
            problems.append(f"{t}: {ok} roles acknowledged but only {c} found ({key})")
        elif c - ok > conns:
            problems.append(f"{t}: {c} roles created for {ok} 200 responses ({key})")
print(f"\nDurable CreateRole, distinct roles, wrk -t{threads} -c{conns} -d{secs}s, fresh servers "
      f"({machine})\n")
print("| server | CreateRole/s (200s) | 200 responses | roles created (ListRoles) | roles in iamd.db | p50 ms | p99 ms |")
print("|---|---:|---:|---:|---:|---:|---:|")
names = {"iamd": "iamd (fsync'd, group commit)", "moto": "moto_server (in memory)"}
for t, r in res.items():
    db = f"{r['created_in_db']:,}" if "created_in_db" in r else "-"
    print(f"| {names[t]} | {r['ok_rps']:,.0f} | {r['ok']:,} | {r['created_listed']:,} | {db} | "
          f"{r['p50_ms']:.2f} | {r['p99_ms']:.2f} |")
ratios = {}
if "iamd" in res and "moto" in res:
    ratios["iamd/moto"] = res["iamd"]["ok_rps"] / res["moto"]["ok_rps"]
    print(f"\niamd/moto: {ratios['iamd/moto']:.1f}x")
if "iamd" in res:
    print("target iamd >= 5,000/s:", "MET" if res["iamd"]["ok_rps"] >= 5000 else "NOT MET")
print("(roles created may exceed the 200s by the requests in flight when wrk stopped, "
      f"at most {conns})")
print(f"(this disk's fdatasync just before: p50 {fsync['p50']:.2f} ms, p90 {fsync['p90']:.2f} ms,"
      f" p99 {fsync['p99']:.2f} ms)")
for n in notes:
    print("NOTE:", n)
for p in problems:
    print("WARNING:", p)
if out:
    json.dump({"machine": machine, "wrk": f"-t{threads} -c{conns} -d{secs}s", "results": res,
               "ratios": ratios, "problems": problems, "notes": notes, "fdatasync_ms": fsync}, open(out, "w"), indent=1)
sys.exit(1 if problems else 0)
PY
