#!/bin/sh
# Runs iamd-bench's RayHead benchmarks and moto's evaluator on the same policies and requests,
# then prints iamd's single-thread decisions/s over moto's. Usage: bench/policy_vs_moto.sh [BUILD]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$build/iamd-bench" --benchmark_filter='RayHead(PassRoleWorker|S3GetObject|CreateRoleDenied)$' \
  --benchmark_min_time=1 --benchmark_format=json > "$out/iamd.json"
python3 "$here/bench/moto_evaluator_bench.py" 2 > "$out/moto.txt"
cat "$out/moto.txt"
python3 - "$out/iamd.json" "$out/moto.txt" <<'PY'
import json, re, sys
iamd = {}
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    name = b["name"].replace("BM_", "")
    iamd[name] = b["decisions/s"]
moto = {}
for line in open(sys.argv[2]):
    m = re.match(r"moto (\S+) (\S+) decisions/s=(\d+)", line)
    if m:
        moto[(m.group(1), m.group(2))] = float(m.group(3))
for name, rate in iamd.items():
    run = moto.get((name, "as-moto-runs-it"))
    pre = moto.get((name, "prebuilt"))
    print(f"iamd {name} decisions/s={rate:.0f}  x{rate / run:.0f} moto as it runs, "
          f"x{rate / pre:.0f} moto prebuilt")
PY
