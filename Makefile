# iamd: two commands on a fresh machine.
#   make run   installs what is missing, builds Release, serves on 127.0.0.1:4599 (data in ./data)
#   make test  installs what is missing, builds, runs every test, ends with ctest's summary
BUILD ?= build
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:4599
DATA ?= ./data

.PHONY: all deps build run test test-asan fuzz bench clean

all: build

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@echo "iamd: point the AWS CLI at it with: aws --endpoint-url http://$(LISTEN) iam list-roles"
	@exec $(BUILD)/iamd serve --listen $(LISTEN) --data $(DATA)

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The unit and end-to-end tests again, built with AddressSanitizer and UBSan (CI runs this too).
test-asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DIAMD_SANITIZE=ON -DIAMD_BUILD_BENCH=OFF >/dev/null
	@cmake --build build-asan -j $(JOBS)
	@cd build-asan && ctest --output-on-failure -j $(JOBS)

# libFuzzer targets (clang); FUZZ_SECONDS per target. The targets: every iamd_add_fuzzer of
# fuzz/CMakeLists.txt (scripts/run-fuzzers.sh reads the same list).
FUZZ_SECONDS ?= 60
FUZZ_TARGETS := $(shell sed -n 's/^iamd_add_fuzzer.\([a-z_0-9]*\) .*/\1/p' fuzz/CMakeLists.txt)
fuzz: deps
	@CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIAMD_FUZZ=ON -DIAMD_BUILD_TESTS=OFF -DIAMD_BUILD_BENCH=OFF >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target $(FUZZ_TARGETS)
	@scripts/run-fuzzers.sh build-fuzz $(FUZZ_SECONDS)

bench: build
	@bench/run-all.sh $(BUILD)

clean:
	rm -rf $(BUILD) build-asan build-fuzz
