#!/usr/bin/env bash
# The main job: build metergen and the host meter, start the HXF300 EU meter on
# loopback with its simulated front end playing scenarios/steady-balanced.yaml
# (230 V, 5 A, PF 1 per phase) 600 times faster than real time, read it as a DLMS
# client (clock, voltage, power, an energy register, the object list), audit it
# against its spec, and stop it. The meter's own log goes to $state/meter.log, the
# spec's warnings from the audit to $state/audit.log.
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
log=$state/meter.log  # the meter's log lines, kept apart from the readings below
"$meter" --model hxf300-eu --state "$state" --wrapper-port 0 --hdlc-port 0 --ready-file "$state/ready" \
  --scenario scenarios/steady-balanced.yaml --speed 600 >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$state/ready" ] && break; sleep 0.1; done
[ -s "$state/ready" ] || { echo "run-main: the meter did not start within 10 s (log: $log)" >&2; cat "$log" >&2; exit 1; }
wrapper=tcp://127.0.0.1:$(sed -n 's/^wrapper=//p' "$state/ready")
hdlc=hdlc+tcp://127.0.0.1:$(sed -n 's/^hdlc=//p' "$state/ready")
secrets=$state/secrets.conf

# One reading per line: what it is, then its value as `metergen read --format table`
# prints it (a register's value with the scaler and unit the meter gives, the clock
# in ISO 8601, the relay state by name).
reading() {
  local label=$1 value; shift
  value=$($mg read --format table "$@")
  printf '  %-32s %s\n' "$label" "$value"
}

echo
echo "== HXF300 EU host meter: wrapper $wrapper, HDLC $hdlc (meter log: $log)"
echo "-- public client (SAP 16)"
reading "clock" --meter "$wrapper" get 0.0.1.0.0.255:2 --class 8
sleep 3  # about 30 minutes of meter time at 600x: 3 x 230 V x 5 A x 0.5 h = 1.725 kWh imported
mgmt=(--meter "$wrapper" --client 1 --auth hls --ciphered --secrets "$secrets")
echo "-- management client (SAP 1, HLS-GMAC, ciphered)"
reading "clock" "${mgmt[@]}" get 0.0.1.0.0.255:2 --class 8
reading "voltage L1 (1.0.32.7.0.255)" "${mgmt[@]}" get 1.0.32.7.0.255:2 --class 3
reading "active power +P (1.0.1.7.0.255)" "${mgmt[@]}" get 1.0.1.7.0.255:2 --class 3
reading "energy +A (1.0.1.8.0.255)" "${mgmt[@]}" get 1.0.1.8.0.255:2 --class 3
reading "supply relay (0.0.96.3.10.255)" "${mgmt[@]}" get 0.0.96.3.10.255:3 --class 70
echo "-- management client over HDLC: its object list (block transfer), first lines"
$mg read --meter "$hdlc" --client 1 --auth hls --ciphered --secrets "$secrets" objects --format table | sed -n '1,12p'
echo "-- audit of every association against specs/hxf300-eu.yaml (the spec's warnings: $state/audit.log)"
$mg audit specs/hxf300-eu.yaml --meter "$wrapper" --secrets "$secrets" 2>"$state/audit.log" ||
  { status=$?; cat "$state/audit.log" >&2; exit "$status"; }
