#!/usr/bin/env bash
# Runs every libFuzzer target of a fuzz build for SECONDS each, from the seed corpora in
# fuzz/corpus/ (new inputs go to a scratch copy). Exits non-zero on the first finding.
#   scripts/run-fuzzers.sh BUILD_DIR [SECONDS]
set -euo pipefail
build=${1:?usage: run-fuzzers.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
# Every target fuzz/CMakeLists.txt declares (iamd_add_fuzzer NAME_fuzz), each from fuzz/corpus/NAME.
targets=$(sed -n 's/^iamd_add_fuzzer(\([a-z_0-9]*\)_fuzz .*/\1/p' "$root/fuzz/CMakeLists.txt")
[ -n "$targets" ] || { echo "run-fuzzers: no iamd_add_fuzzer in fuzz/CMakeLists.txt" >&2; exit 1; }
for target in $targets; do
  bin="$build/fuzz/${target}_fuzz"
  [ -x "$bin" ] || { echo "run-fuzzers: $bin not built" >&2; exit 1; }
  work=$(mktemp -d)
  [ -d "$root/fuzz/corpus/$target" ] && cp -r "$root/fuzz/corpus/$target/." "$work/"
  echo "== $target: $seconds s"
  "$bin" -max_total_time="$seconds" -print_final_stats=1 "$work" 2>&1 | tail -n 4
  rm -rf "$work"
done
