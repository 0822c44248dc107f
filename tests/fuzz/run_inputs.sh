#!/usr/bin/env bash
# Runs the generator's input harnesses (build/fuzz/tests/fuzz_scenario and
# fuzz_push_listener) for a bounded time each: scenario files seeded from every
# scenario in the tree, the push listener from tests/fuzz/corpus/push_listener/.
# Fails on the first crash.
set -euo pipefail
bindir=$1
seconds=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

mkdir "$work/scenario" "$work/push_listener"
cp "$here"/../../scenarios/*.yaml "$here"/../bad_scenarios/*.yaml "$work/scenario/"
for f in "$here"/../e2e/*.yaml; do
  if grep -q '^segments:' "$f"; then cp "$f" "$work/scenario/"; fi
done
cp "$here"/corpus/push_listener/* "$work/push_listener/"

for name in scenario push_listener; do
  "$bindir/fuzz_$name" -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 "$work/$name" 2>&1 | tail -2
  echo "fuzz_$name: ran ${seconds}s without a crash"
done
