#!/usr/bin/env bash
# Prints a valid spec with N explicit objects (Data and Register objects with
# distinct logical names), a profile capturing the first 50 and a display list.
set -euo pipefail
n=$1
cat <<HEAD
format: 1
imports: [../specs/catalog/electricity.yaml, ../specs/catalog/general.yaml]
model: {id: synthetic-$n, vendor: Bench, name: Synthetic $n}
hardware: {phases: 3, networks: [3P4W], connection: direct}
associations:
  - {name: public, sap: 16, authentication: none, access: [{groups: [clock], attributes: read}]}
  - {name: management, sap: 1, authentication: lls, access: [{all: true, attributes: read_write, methods: access}]}
objects:
HEAD
for ((i = 0; i < n; i++)); do
  c=$((128 + i / 62500)); d=$(((i / 250) % 250)); e=$((i % 250))
  echo "  - {name: o$i, obis: 1.0.$c.$d.$e.255, class: register, type: double-long-unsigned, unit: Wh, source: energy.active_import}"
done
echo "profiles:"
echo "  - name: lp"
echo "    obis: 1.0.99.1.0.255"
echo "    entries: 1000"
echo "    capture:"
echo "      - clock"
for ((i = 0; i < 50 && i < n; i++)); do echo "      - o$i"; done
