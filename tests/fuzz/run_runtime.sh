#!/usr/bin/env bash
# Runs every runtime fuzz harness (build/fuzz/tests/fuzz_<name>) for a bounded
# time each, seeded from tests/fuzz/corpus/<name>/. Fails on the first crash.
set -euo pipefail
bindir=$1
seconds=${2:-30}
here=$(cd "$(dirname "$0")" && pwd)
for src in "$here"/runtime/fuzz_*.cpp; do
  name=$(basename "$src" .cpp)
  work=$(mktemp -d)
  if [ -d "$here/corpus/${name#fuzz_}" ]; then cp "$here/corpus/${name#fuzz_}"/* "$work"/ 2>/dev/null || true; fi
  "$bindir/$name" -max_total_time="$seconds" -max_len=4096 -timeout=5 -rss_limit_mb=2048 "$work" 2>&1 | tail -2
  rm -rf "$work"
  echo "$name: ran ${seconds}s without a crash"
done
