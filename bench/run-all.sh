#!/usr/bin/env bash
# Runs every benchmark of iamd and prints a summary table in Markdown (for the README), also
# written to bench/results/latest.md:
#   bench/http/getrole.sh     signed GetRole: iamd vs nginx serving the same bytes vs moto_server
#   bench/http/createrole.sh  durable CreateRole with 32 connections: iamd vs moto_server
#   bench/http/startup.sh     start-up time and idle RSS: iamd vs moto_server
#   bench/http/enforcement.sh signed GetRole by root vs by a user allowed by a managed policy
#   BUILD_DIR/iamd-bench --benchmark_filter=RayHead   the policy engine (if built)
#   bench/policy_vs_moto.sh   the policy engine vs moto's evaluator (if present)
#
# Usage: bench/run-all.sh [BUILD_DIR]       (default: build; `make bench` runs it)
# Env:   WRK_DURATION, WRK_THREADS, WRK_CONNECTIONS, ROUNDS (default 5 here), STARTUP_REPS,
#        SKIP_MOTO: see the scripts; RESULTS=FILE to write the summary elsewhere than
#        bench/results/latest.md; IAMD_COMMIT=label for the build measured.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
build=${1:-build}
[ -d "$build" ] || build="$repo/$build"
build=$(cd "$build" 2>/dev/null && pwd) || {
  echo "run-all.sh: build folder ${1:-build} not found; run: make build (or cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build)" >&2
  exit 1
}
[ -x "$build/iamd" ] || { echo "run-all.sh: $build/iamd is missing; build it first (make build)" >&2; exit 1; }

results=${RESULTS:-$here/results/latest.md}
# GetRole: three interleaved rounds (nginx, iamd, moto, nginx, ...), medians: the machine may be
# shared, and one 10-second run can land on someone else's build.
export ROUNDS=${ROUNDS:-5}
mkdir -p "$(dirname "$results")"
work=$(mktemp -d "${TMPDIR:-/tmp}/iamd-run-all.XXXXXX")
trap 'rm -rf "$work"' EXIT

status=0
run() {  # run NAME CMD...: runs one benchmark, keeps its output, goes on if it fails
  local name=$1
  shift
  echo "=== $name: $*" >&2
  if "$@" >"$work/$name.out" 2> >(tee "$work/$name.err" >&2); then
    cat "$work/$name.out"
  else
    echo "run-all.sh: $name failed (exit $?)" | tee -a "$work/$name.out" >&2
    cat "$work/$name.out"
    status=1
  fi
}

started=$(date -u +%Y-%m-%dT%H:%M:%SZ)
BENCH_RESULTS="$work/getrole.json" run getrole "$here/http/getrole.sh" "$build"
BENCH_RESULTS="$work/createrole.json" run createrole "$here/http/createrole.sh" "$build"
BENCH_RESULTS="$work/startup.json" run startup "$here/http/startup.sh" "$build"
ROUNDS=${ENFORCEMENT_ROUNDS:-10} WRK_DURATION=${ENFORCEMENT_DURATION:-6} BENCH_RESULTS="$work/enforcement.json" run enforcement \
  "$here/http/enforcement.sh" "$build"
if [ -x "$build/iamd-bench" ]; then
  run policy "$build/iamd-bench" --benchmark_filter=RayHead
else
  echo "run-all.sh: $build/iamd-bench not built (needs libbenchmark-dev): skipping the policy benchmarks" >&2
fi
if [ -x "$here/policy_vs_moto.sh" ] || [ -f "$here/policy_vs_moto.sh" ]; then
  run policy_vs_moto sh "$here/policy_vs_moto.sh" "$build"
fi

# Which iamd: IAMD_COMMIT if the caller knows (a build of another tree), else this tree's HEAD.
if [ -n "${IAMD_COMMIT:-}" ]; then
  commit=$IAMD_COMMIT
else
  commit=$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)
  git -C "$repo" diff --quiet HEAD -- src tools 2>/dev/null || commit="$commit (+ uncommitted changes in src/ or tools/)"
fi
python3 - "$work" "$started" "$commit" "$build" "$(nproc)" "$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)" \
  >"$work/summary.md" <<'PY'
import json, os, sys
work, started, commit, build, cores, cpu = sys.argv[1:]

def load(name):
    try:
        return json.load(open(os.path.join(work, name + ".json")))
    except (OSError, ValueError):
        return None

def out(name):
    try:
        return open(os.path.join(work, name + ".out")).read().strip()
    except OSError:
        return None

g, c, s, e = load("getrole"), load("createrole"), load("startup"), load("enforcement")
f = lambda x, fmt="{:,.0f}": "-" if x is None else fmt.format(x)
rows = []
if g:
    r = g["results"]
    get = lambda t, k: r.get(t, {}).get(k)
    ratio = lambda k: g["ratios"].get(k)
    rows.append(["Signed GetRole, requests/s, vs nginx tuned (no access log)",
                 f(get("iamd", "rps")), f(get("nginx", "rps")),
                 f(get("moto", "rps")), f(ratio("iamd/nginx"), "{:.2f}x"),
                 f(ratio("iamd/moto"), "{:,.0f}x"), "iamd ≥ nginx: " +
                 ("**met**" if (ratio("iamd/nginx") or 0) >= 1 else "**not met**")])
    if "nginx-stock" in r:
        rows.append(["Signed GetRole, requests/s, vs nginx with Debian's stock http settings",
                     f(get("iamd", "rps")), f(get("nginx-stock", "rps")), "",
                     f(ratio("iamd/nginx-stock"), "{:.2f}x"), "", "iamd ≥ nginx: " +
                     ("**met**" if (ratio("iamd/nginx-stock") or 0) >= 1 else "**not met**")])
    rows.append(["GetRole latency p50 / p99, ms",
                 *(f"{get(t, 'p50_ms'):.2f} / {get(t, 'p99_ms'):.2f}" if t in r else "-"
                   for t in ("iamd", "nginx", "moto")), "", "", ""])
    for peer, label in (("nginx", "tuned"), ("nginx-stock", "stock")):
        p = g.get("paired", {}).get(f"iamd/{peer}")
        if p:
            lo, hi = p["ci95"]
            verdict = ("iamd ahead" if lo > 1 else "iamd behind" if hi < 1 else
                       "not distinguishable from equal")
            rows.append([f"GetRole iamd/nginx {label}, per interleaved round: median and 95% "
                         f"bootstrap interval over {len(p['ratios'])} rounds", "", "", "",
                         f"{p['median']:.2f}x [{lo:.2f}, {hi:.2f}]", "", verdict])
    cpu_of = lambda t: (f"{get(t, 'cpu_us_per_request'):.1f} ({get(t, 'user_us_per_request'):.1f})"
                        if get(t, "cpu_us_per_request") is not None else "-")
    rows.append(["GetRole server CPU per request, µs (user)", cpu_of("iamd"), cpu_of("nginx"),
                 cpu_of("moto"), "", "", ""])
if c:
    r = c["results"]
    i, m = r.get("iamd"), r.get("moto")
    rows.append(["Durable CreateRole, 32 connections, /s", f(i and i["ok_rps"]), "-",
                 f(m and m["ok_rps"]), "", f(c["ratios"].get("iamd/moto"), "{:,.0f}x"),
                 "≥ 5,000/s: " + ("**met**" if i and i["ok_rps"] >= 5000 else "**not met**")])
    if i:
        rows.append(["CreateRole: 200s / roles created (in iamd.db)",
                     f"{i['ok']:,} / {i['created_listed']:,} ({f(i.get('created_in_db'))})", "-",
                     f"{m['ok']:,} / {m['created_listed']:,}" if m else "-", "", "", ""])
if s:
    i, m = s["iamd"], s["moto"]
    worst = max(i["fresh"]["median_ms"], i["seeded"]["median_ms"])
    rows.append(["Start-up to /healthz 200 (empty / seeded data), ms",
                 f"{i['fresh']['median_ms']:.1f} / {i['seeded']['median_ms']:.1f}", "-", "-", "", "",
                 "< 100 ms: " + ("**met**" if worst < 100 else "**not met**")])
    mg = m.get("getpolicy")
    rows.append(["Start-up to first GetPolicy of an AWS managed policy, ms",
                 f"{i['getpolicy']['median_ms']:.1f}", "-", f(mg and mg["median_ms"]), "",
                 f(s["ratios"].get("moto/iamd start-up"), "{:,.0f}x faster"), ""])
    rows.append(["Idle RSS after the seed page, MiB", f"{i['rss_kb'] / 1024:.1f}", "-",
                 f(m["rss_kb"] and m["rss_kb"] / 1024, "{:.1f}"), "",
                 f(s["ratios"].get("moto/iamd RSS"), "{:.1f}x less"), ""])
if e:
    rows.append(["Signed GetRole by a user allowed by a managed policy / by root (enforcement "
                 "cost)", f"{e['results']['user']['rps']:,.0f} / {e['results']['root']['rps']:,.0f}",
                 "-", "-", f"{e['ratio']:.2f} of root", "",
                 "≥ 0.90: " + ("**met**" if e["ratio"] >= 0.9 else "**not met**")])

print(f"# iamd benchmarks, {started}\n")
print(f"iamd {commit}, `{build}`; {cores} cores ({cpu}); wrk, nginx and moto_server on the same "
      "machine, all on 127.0.0.1, one after the other in one run. "
      "Reproduce: `make bench` (or `bench/run-all.sh build`).\n")
print("| measure | iamd | nginx (same bytes) | moto_server | iamd/nginx | iamd vs moto | target |")
print("|---|---:|---:|---:|---:|---:|---|")
for row in rows:
    print("| " + " | ".join(row) + " |")
print()
notes = []
if g:
    notes.append(f"GetRole: `wrk {g['wrk']} --latency`, one SigV4-signed request for ray-head after "
                 f"the seed page (iamd verifies the signature of every request); nginx returns "
                 f"iamd's {g['body_bytes']}-byte response body with `Content-Type: text/xml`. "
                 f"Load during the run: {g['machine']}.")
if c:
    fs = c.get("fdatasync_ms")
    notes.append(f"CreateRole: `wrk {c['wrk']}`, each request a distinct pre-signed CreateRole; "
                 "iamd acknowledges after the commit is on disk (group commit), moto keeps "
                 "roles in memory only." + (f" This disk's fdatasync just before the run: p50 "
                 f"{fs['p50']:.2f} ms, p90 {fs['p90']:.2f} ms; CreateRole throughput follows it."
                 if fs else ""))
for n in notes:
    print(f"- {n}")
for name, title in (("getrole", "Signed GetRole"), ("createrole", "Durable CreateRole"),
                    ("startup", "Start-up and memory"), ("policy", "Policy engine (iamd-bench, RayHead)"),
                    ("policy_vs_moto", "Policy engine vs moto's evaluator")):
    text = out(name)
    if text is None:
        continue
    print(f"\n## {title}\n")
    if name.startswith("policy"):
        print("```\n" + text + "\n```")
    else:
        print(text)
PY
cp "$work/summary.md" "$results"
echo
cat "$work/summary.md"
echo
echo "run-all.sh: written to $results" >&2
exit $status
