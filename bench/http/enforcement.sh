#!/usr/bin/env bash
# What enforcement costs: signed GetRole of ray-head by the root user (no policy evaluated)
# and by an IAM user whose access comes from a managed policy (IAMReadOnlyAccess: the key's
# sealed secret, the user's policies, the request context and the policy engine on every call),
# against the same iamd, interleaved rounds, in one run. Prints both rates and user/root.
#
# Usage: bench/http/enforcement.sh [BUILD_DIR]      (default: build)
# Env:   WRK_DURATION=10 WRK_THREADS=2 WRK_CONNECTIONS=32  ROUNDS=10  BENCH_RESULTS=FILE
# Rounds alternate the order (root, user, user, root, ...) so that a drift in the machine's
# speed during the run weighs on both alike; the medians are compared, and so is the server's
# CPU time per request, which the other load on a shared machine disturbs less.
set -euo pipefail
# shellcheck source=bench/http/lib.sh
source "$(dirname "$0")/lib.sh"

ROUNDS=${ROUNDS:-10}
need_iamd "${1:-}"
need_wrk
need_python
need_aws

PORT=$(free_port)
start_iamd "$PORT" "$BENCH_TMP/iamd-data"
log "enforcement: seeding iamd on :$PORT"
seed "$PORT"
aws() { command "$AWS_CLI" --endpoint-url "http://127.0.0.1:$PORT" "$@"; }
aws iam create-user --user-name bench-reader >/dev/null
aws iam attach-user-policy --user-name bench-reader \
  --policy-arn arn:aws:iam::aws:policy/IAMReadOnlyAccess
read -r USER_KEY USER_SECRET < <(aws iam create-access-key --user-name bench-reader \
  --query 'AccessKey.[AccessKeyId,SecretAccessKey]' --output text)

"$PYTHON" "$BENCH_HTTP/sign.py" getrole --endpoint "http://127.0.0.1:$PORT" \
  --out "$BENCH_TMP/getrole-root.lua"
"$PYTHON" "$BENCH_HTTP/sign.py" getrole --endpoint "http://127.0.0.1:$PORT" \
  --access-key "$USER_KEY" --secret-key "$USER_SECRET" --out "$BENCH_TMP/getrole-user.lua"

log "enforcement: wrk -t$WRK_THREADS -c$WRK_CONNECTIONS -d${WRK_DURATION}s, $ROUNDS round(s): root, user"
for who in root user; do
  run_wrk "warmup-$who" "http://127.0.0.1:$PORT/" "$BENCH_TMP/getrole-$who.lua" 1 >/dev/null
done
: >"$BENCH_TMP/enforcement-runs.jsonl"
for r in $(seq "$ROUNDS"); do
  order="root user"
  [ $((r % 2)) -eq 0 ] && order="user root"
  for who in $order; do
    read -r u0 s0 < <(cpu_ms "$IAMD_PID")
    j=$(run_wrk "getrole-$who-$r" "http://127.0.0.1:$PORT/" "$BENCH_TMP/getrole-$who.lua")
    read -r u1 s1 < <(cpu_ms "$IAMD_PID")
    check_alive "$IAMD_PID" iamd "$BENCH_TMP/iamd-$PORT.log"
    log "  round $r $who: $(rate "$j") req/s, server CPU $((u1 - u0 + s1 - s0)) ms  $j"
    echo "{\"who\":\"$who\",\"cpu_ms\":$((u1 - u0 + s1 - s0)),\"wrk\":$j}" \
      >>"$BENCH_TMP/enforcement-runs.jsonl"
  done
done

"$PYTHON" - "$BENCH_TMP/enforcement-runs.jsonl" "$(machine_note)" "${BENCH_RESULTS:-}" <<'PY'
import json, statistics, sys
runs_path, machine, out = sys.argv[1:]
runs = [json.loads(l) for l in open(runs_path)]
res = {}
for who in ("root", "user"):
    ws = [r["wrk"] for r in runs if r["who"] == who]
    rates = [w["requests"] * 1e6 / w["duration_us"] for w in ws]
    bad = sum(w["status"] + w["connect"] + w["read"] + w["write"] + w["timeout"] for w in ws)
    cpu = [r["cpu_ms"] * 1000 / r["wrk"]["requests"] for r in runs if r["who"] == who]
    res[who] = {"rps": statistics.median(rates), "rates": rates, "errors": bad,
                "cpu_us_per_request": statistics.median(cpu)}
ratio = res["user"]["rps"] / res["root"]["rps"]
cpu_ratio = res["root"]["cpu_us_per_request"] / res["user"]["cpu_us_per_request"]
print(f"\nSigned GetRole, root vs a user allowed by a managed policy, same iamd, same run ({machine})\n")
print("| caller | requests/s (median) | all rounds | server CPU µs/request | errors / non-2xx |")
print("|---|---:|---|---:|---:|")
for who, label in (("root", "root (no policy evaluated)"),
                   ("user", "IAM user with IAMReadOnlyAccess (enforced)")):
    r = res[who]
    print(f"| {label} | {r['rps']:,.0f} | {', '.join(f'{x:,.0f}' for x in r['rates'])} | "
          f"{r['cpu_us_per_request']:.1f} | {r['errors']} |")
print(f"\nuser/root: {ratio:.2f} (requests/s); {cpu_ratio:.2f} (root's CPU per request over the user's)")
print("target user >= 0.90 x root:", "MET" if ratio >= 0.9 else "NOT MET")
if out:
    json.dump({"machine": machine, "results": res, "ratio": ratio, "cpu_ratio": cpu_ratio},
              open(out, "w"), indent=1)
sys.exit(1 if any(r["errors"] for r in res.values()) else 0)
PY
