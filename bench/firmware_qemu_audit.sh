#!/usr/bin/env bash
# Wall time of `metergen audit --meter` against each mps2-an386 image in QEMU
# (HDLC over a loopback TCP port, every association's object list), three runs
# per model. Needs the firmware build: cmake --preset mps2-an386 && cmake --build --preset mps2-an386.
# Usage: bench/firmware_qemu_audit.sh [PORT]   (figures in bench/README.md)
set -euo pipefail
cd "$(dirname "$0")/.."
build=build/mps2-an386
metergen=$build/host-tools/generator/metergen
port=${1:-45631}
seeds=$(sed -n 's/^set(METERGEN_SEED_MODELS \(.*\))$/\1/p' cmake/SeedModels.cmake)  # the one list of seed models
work=$(mktemp -d)
qemu_pid=
cleanup() {
  if [ -n "$qemu_pid" ]; then kill "$qemu_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The demo secrets (docs/host-meter.md) for every client SAP the seed models use.
{
  echo "server_system_title = 4D474D0000000001"
  for sap in 1 2 3 16 102; do
    echo "sap.$sap.lls_password = 12345678"
    echo "sap.$sap.ek = 000102030405060708090A0B0C0D0E0F"
    echo "sap.$sap.ak = D0D1D2D3D4D5D6D7D8D9DADBDCDDDEDF"
  done
} > "$work/secrets.conf"

for model in $seeds; do
  qemu-system-arm -machine mps2-an386 -nographic -kernel "$build/targets/mps2-an386/$model.elf" \
    -serial "tcp:127.0.0.1:$port,server=on,wait=off,nodelay=on" -serial null -monitor none \
    < /dev/null > "$work/qemu.out" 2>&1 &
  qemu_pid=$!
  sleep 1
  times=()
  for run in 1 2 3; do
    start=$(date +%s%N)
    timeout 60 "$metergen" audit "specs/$model.yaml" --meter "hdlc+tcp://127.0.0.1:$port" \
      --secrets "$work/secrets.conf" > "$work/audit.txt" 2>&1
    times+=("$(( ($(date +%s%N) - start) / 1000000 )) ms")
  done
  echo "$model: ${times[*]}; $(tail -1 "$work/audit.txt")"
  kill "$qemu_pid"
  wait "$qemu_pid" 2>/dev/null || true
  qemu_pid=
done
