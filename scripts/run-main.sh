#!/usr/bin/env bash
# The main job: build metergen and the host meter, start the HXF300 EU meter on
# loopback with its simulated front end playing scenarios/steady-balanced.yaml
# (230 V, 5 A, PF 1 per phase) 600 times faster than real time, read it as a DLMS
# client (clock, voltage, power, an energy register, the object list), audit it
# against its spec, and stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release --target metergen metergen-meter
mg=build/release/generator/metergen
meter=build/release/targets/host/metergen-meter

state=build/release/hxf300-eu-state
rm -rf "$state"  # a fresh meter each run: energy starts at zero
mkdir -p "$state"
rm -f "$state/ready"
"$meter" --model hxf300-eu --state "$state" --wrapper-port 0 --hdlc-port 0 --ready-file "$state/ready" \
  --scenario scenarios/steady-balanced.yaml --speed 600 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$state/ready" ] && break; sleep 0.1; done
[ -s "$state/ready" ] || { echo "run-main: the meter did not start within 10 s" >&2; exit 1; }
wrapper=tcp://127.0.0.1:$(sed -n 's/^wrapper=//p' "$state/ready")
hdlc=hdlc+tcp://127.0.0.1:$(sed -n 's/^hdlc=//p' "$state/ready")
secrets=$state/secrets.conf

echo
echo "== HXF300 EU host meter: wrapper $wrapper, HDLC $hdlc"
echo "-- public client (SAP 16): clock"
$mg read --meter "$wrapper" get 0.0.1.0.0.255:2 --class 8 --format table
sleep 3  # about 30 minutes of meter time at 600x: 3 x 230 V x 5 A x 0.5 h = 1.725 kWh imported
mgmt=(--meter "$wrapper" --client 1 --auth hls --ciphered --secrets "$secrets")
echo "-- management client (SAP 1, HLS-GMAC, ciphered): L1 voltage, +P, +A energy, each with its scaler/unit"
for ln in 1.0.32.7.0.255 1.0.1.7.0.255 1.0.1.8.0.255; do
  $mg read "${mgmt[@]}" get "$ln:2" --class 3 --format table
  $mg read "${mgmt[@]}" get "$ln:3" --class 3 --format table
done
echo "-- management client over HDLC: its object list (block transfer), first lines"
$mg read --meter "$hdlc" --client 1 --auth hls --ciphered --secrets "$secrets" objects --format table | sed -n '1,12p'
echo "-- audit of every association against specs/hxf300-eu.yaml"
$mg audit specs/hxf300-eu.yaml --meter "$wrapper" --secrets "$secrets"
