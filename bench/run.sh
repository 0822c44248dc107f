#!/usr/bin/env bash
# Whole-process time and peak memory of `metergen generate` for the four seeds and
# synthetic specs of 1,000, 10,000 and 100,000 objects, next to a bare yaml-cpp parse;
# then the server's instructions per HDLC GET (callgrind) and GET round trips per
# second against metergen-meter over the TCP wrapper.
# Usage: bench/run.sh [build dir, default build/release]
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/release}
mg=$build/generator/metergen
yp=$build/bench/bench_yaml_parse
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/bench"
seeds=$(sed -n 's/^set(METERGEN_SEED_MODELS \(.*\))$/\1/p' cmake/SeedModels.cmake)  # the one list of seed models
for n in 1000 10000 100000; do bash bench/synthetic_spec.sh $n > "$tmp/bench/synthetic-$n.yaml"; done
ln -s "$PWD/specs" "$tmp/specs"
measure() {  # prints "seconds peak_MB" of the best of 3 runs
  best=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$tmp/t" "$@" >/dev/null 2>&1
    read -r s kb < "$tmp/t"
    if [ -z "$best" ] || awk "BEGIN{exit !($s < ${best%% *})}"; then best="$s $((kb / 1024))"; fi
  done
  echo "$best"
}
printf '%-32s %10s %10s %14s\n' "input" "generate s" "peak MB" "yaml-cpp parse s"
for f in $(printf 'specs/%s.yaml ' $seeds) "$tmp/bench/synthetic-1000.yaml" "$tmp/bench/synthetic-10000.yaml" \
    "$tmp/bench/synthetic-100000.yaml"; do
  g=$(measure "$mg" generate "$f" -o "$tmp/out" --allow-dir specs)
  p=$(measure "$yp" "$f")
  printf '%-32s %10s %10s %14s\n' "$(basename "$f")" "${g%% *}" "${g##* }" "${p%% *}"
done

echo
printf '%-14s %14s\n' "GET over HDLC" "instructions"
for m in small-meter small-serial hxf300-eu; do
  valgrind --tool=callgrind --toggle-collect='*run_gets*' --callgrind-out-file="$tmp/cg.$m" \
    "$build/bench/bench_dlms_get" "$m" > "$tmp/cg.log" 2>&1
  ir=$(sed -n 's/.*Collected : \([0-9]*\).*/\1/p' "$tmp/cg.log")
  printf '%-14s %14s\n' "$m" "$((ir / 10000))"
done
echo
"$build/bench/bench_wrapper_roundtrips" "$build/targets/host/metergen-meter" 3 2>/dev/null
