#!/usr/bin/env bash
# Installs what iamd needs to build, test and benchmark, from Debian's packages only.
# Idempotent: installs only what is missing. Needs root (or sudo) when something is missing.
set -euo pipefail

PACKAGES=(
  # build
  build-essential cmake g++ pkg-config
  libboost-dev libsqlite3-dev libssl-dev rapidjson-dev libcli11-dev libmimalloc-dev
  liburing-dev libqrencode-dev libpng-dev libxmlsec1-dev
  # tests
  libgtest-dev libgmock-dev python3 awscli sqlite3 faketime xmlsec1
  golang-go golang-github-aws-aws-sdk-go-v2-dev golang-github-aws-aws-sdk-go-dev
  ruby ruby-aws-sdk-core
  # benchmarks and fuzzing
  libbenchmark-dev clang libclang-rt-14-dev wrk nginx-light
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# nginx-light starts a server on port 80 when installed; the benchmarks start their own.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now nginx >/dev/null 2>&1 || true; fi
$SUDO service nginx stop >/dev/null 2>&1 || true
