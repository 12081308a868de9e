#!/usr/bin/env bash
# Instructions per request of iamd's request path in user space (build/iamd-request-bench:
# IamService::Handle on a signed GetRole, and its SigV4 verification), counted by callgrind.
# Two runs with different fixed iteration counts are subtracted, so set-up (the service, its
# store, the seed role) cancels out. Deterministic, unlike time on a shared host: use it to
# compare builds.
#
# Usage: bench/profile-request.sh [BUILD_DIR]   (default: build)
# Env: LOW=200 HIGH=1200 (iterations of the two runs)
set -euo pipefail
BUILD=${1:-build}
BIN="$BUILD/iamd-request-bench"
[ -x "$BIN" ] || { echo "profile-request.sh: $BIN is missing (cmake --build $BUILD)" >&2; exit 1; }
command -v valgrind >/dev/null || { echo "profile-request.sh: valgrind is missing" >&2; exit 1; }
LOW=${LOW:-200}
HIGH=${HIGH:-1200}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
for filter in SignedGetRole SignedGetRoleByUser VerifyGetRoleSignature; do
  declare -A total=()
  for n in "$LOW" "$HIGH"; do
    IAMD_BENCH_ITERATIONS=$n valgrind --tool=callgrind --callgrind-out-file="$TMP/cg.$n" \
      "$BIN" --benchmark_filter="^BM_$filter/" >"$TMP/log.$n" 2>&1 ||
      { cat "$TMP/log.$n" >&2; exit 1; }
    total[$n]=$(sed -n 's/^==[0-9]*== Collected : \([0-9]*\)$/\1/p' "$TMP/log.$n")
  done
  echo "$filter: $(((total[$HIGH] - total[$LOW]) / (HIGH - LOW))) instructions per request"
  unset total
done
