#!/usr/bin/env bash
# Wall time of a full `metergen conformance` run of each seed model against its
# host meter, over the TCP wrapper and over HDLC on a TCP port, and the bytes the
# HDLC run put on the wire (counted in the client's transport, framing included)
# with the time they take at 9,600 Bd (bytes / 960 B/s). Best of three runs.
# Usage: bench/conformance_runs.sh [BUILD_DIR]   (default build/dev; figures in bench/README.md)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/dev}
metergen=$build/generator/metergen
meter=$build/targets/host/metergen-meter
seeds=$(sed -n 's/^set(METERGEN_SEED_MODELS \(.*\))$/\1/p' cmake/SeedModels.cmake)  # the one list of seed models
work=$(mktemp -d)
meter_pid=
cleanup() {
  if [ -n "$meter_pid" ]; then kill "$meter_pid" 2>/dev/null || true; wait "$meter_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

field() { sed -n "s/^ \"$1\": \([0-9.]*\),*$/\1/p" "$2"; }

# One run: prints "wall-seconds wire-bytes"; the run itself must be conformant (exit 0).
run() {
  local start end rc=0
  start=$(date +%s%N)
  "$metergen" conformance "specs/$1.yaml" --meter "$2" --secrets "$work/state/secrets.conf" --format json \
    > "$work/run.json" || rc=$?
  end=$(date +%s%N)
  if [ "$rc" -ne 0 ]; then echo "conformance of $1 over $2 failed (exit $rc)" >&2; exit 1; fi
  echo "$(( (end - start) / 1000000 )) $(field wire_bytes "$work/run.json")"
}

best() {  # best of three: "ms bytes"
  local best_ms= bytes=
  for _ in 1 2 3; do
    read -r ms b < <(run "$1" "$2")
    if [ -z "$best_ms" ] || [ "$ms" -lt "$best_ms" ]; then best_ms=$ms; bytes=$b; fi
  done
  echo "$best_ms $bytes"
}

echo "| model | wrapper s | HDLC s | HDLC bytes on the wire | at 9,600 Bd s |"
echo "|---|---|---|---|---|"
for model in $seeds; do
  rm -rf "$work/state" "$work/ready"
  "$meter" --model "$model" --state "$work/state" --wrapper-port 0 --hdlc-port 0 --ready-file "$work/ready" \
    2> "$work/meter.log" &
  meter_pid=$!
  for _ in $(seq 100); do [ -f "$work/ready" ] && break; sleep 0.05; done
  wrapper=$(sed -n 's/^wrapper=//p' "$work/ready")
  hdlc=$(sed -n 's/^hdlc=//p' "$work/ready")
  read -r wrapper_ms _ < <(best "$model" "tcp://127.0.0.1:$wrapper")
  read -r hdlc_ms hdlc_bytes < <(best "$model" "hdlc+tcp://127.0.0.1:$hdlc")
  awk -v m="$model" -v w="$wrapper_ms" -v h="$hdlc_ms" -v b="$hdlc_bytes" \
    'BEGIN { printf "| %s | %.2f | %.2f | %d | %.0f |\n", m, w / 1000, h / 1000, b, b / 960 }'
  kill "$meter_pid"; wait "$meter_pid" 2>/dev/null || true; meter_pid=
done
