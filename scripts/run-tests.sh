#!/usr/bin/env bash
# Every test: unit and fixture suites, golden generated/ check, build-time model
# generation linked with the runtime, and a bounded libFuzzer run of the loader.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev -j2
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_spec_loader
bash tests/fuzz/run.sh build/fuzz/tests/fuzz_spec_loader "${METERGEN_FUZZ_SECONDS:-60}"
