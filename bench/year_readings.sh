#!/usr/bin/env bash
# Wall time of a simulated year per seed model: the host meter plays
# scenarios/year-readings.yaml (365 days at readings fidelity) at --speed max and
# exits at its end. Whole-process timing, best of N runs (default 1), fresh state
# each run.
# Usage: bench/year_readings.sh [build dir, default build/release] [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
runs=${2:-1}
meter=$build/targets/host/metergen-meter
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
seeds=$(sed -n 's/^set(METERGEN_SEED_MODELS \(.*\))$/\1/p' cmake/SeedModels.cmake)  # the one list of seed models
printf '%-10s %8s %8s %8s %14s\n' "model" "wall s" "user s" "peak MB" "meter s / s"
for m in $seeds; do
  best=""
  for _ in $(seq "$runs"); do
    rm -rf "$tmp/state"
    /usr/bin/time -f "%e %U %M" -o "$tmp/t" "$meter" --model "$m" --state "$tmp/state" --wrapper-port 0 \
      --scenario scenarios/year-readings.yaml --speed max --exit-at-end --start 2027-01-01T00:00:00Z \
      > /dev/null 2> "$tmp/log" || { echo "$m: metergen-meter failed:" >&2; tail -5 "$tmp/log" >&2; exit 1; }
    read -r wall user kb < "$tmp/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < ${best%% *})}"; then best="$wall $user $((kb / 1024))"; fi
  done
  read -r wall user mb <<< "$best"
  printf '%-10s %8s %8s %8s %14.0f\n' "$m" "$wall" "$user" "$mb" "$(awk "BEGIN{print 365 * 86400 / $wall}")"
done
