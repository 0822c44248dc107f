#!/usr/bin/env bash
# Every test: unit and fixture suites, golden generated/ check, build-time model
# generation linked with the runtime, the Cortex-M4 images booted in QEMU and
# read over HDLC, and bounded libFuzzer runs of the spec loader, the scenario
# loader, the push listener and every runtime parser of untrusted bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev -j2
cmake --preset mps2-an386 >/dev/null
cmake --build --preset mps2-an386
ctest --preset mps2-an386 -j2
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz --target fuzz_spec_loader fuzz_inputs fuzz_runtime
bash tests/fuzz/run.sh build/fuzz/tests/fuzz_spec_loader "${METERGEN_FUZZ_SECONDS:-60}"
bash tests/fuzz/run_inputs.sh build/fuzz/tests "${METERGEN_FUZZ_SECONDS_EACH:-30}"
bash tests/fuzz/run_runtime.sh build/fuzz/tests "${METERGEN_FUZZ_SECONDS_EACH:-30}"
