#!/usr/bin/env bash
# The main job: build metergen and the host meter, start the HXF300 EU meter on
# loopback, read it as a DLMS client (clock, an energy register, the object list),
# audit it against its spec, and stop it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release --target metergen metergen-meter
mg=build/release/generator/metergen
meter=build/release/targets/host/metergen-meter

state=build/release/hxf300-eu-state
mkdir -p "$state"
rm -f "$state/ready"
"$meter" --model hxf300-eu --state "$state" --wrapper-port 0 --hdlc-port 0 --ready-file "$state/ready" &
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
echo "-- management client (SAP 1, HLS-GMAC, ciphered): +A energy and its scaler/unit"
$mg read --meter "$wrapper" --client 1 --auth hls --ciphered --secrets "$secrets" get 1.0.1.8.0.255:2 --class 3 --format table
$mg read --meter "$wrapper" --client 1 --auth hls --ciphered --secrets "$secrets" get 1.0.1.8.0.255:3 --class 3 --format table
echo "-- management client over HDLC: its object list (block transfer), first lines"
$mg read --meter "$hdlc" --client 1 --auth hls --ciphered --secrets "$secrets" objects --format table | sed -n '1,12p'
echo "-- audit of every association against specs/hxf300-eu.yaml"
$mg audit specs/hxf300-eu.yaml --meter "$wrapper" --secrets "$secrets"
