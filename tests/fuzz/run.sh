#!/usr/bin/env bash
# Runs the spec-loader fuzzer for a bounded time from the seed corpus (the real
# specs and the bad-spec fixtures, with imports rewritten to resolve from
# tests/fuzz/, which the harness mirrors in a temporary folder).
set -euo pipefail
bin=$1
seconds=${2:-60}
here=$(cd "$(dirname "$0")" && pwd)
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
for f in "$here"/../../specs/*.yaml "$here"/../bad_specs/*.yaml "$here"/../minimal.yaml; do
  sed -e 's#\.\./\.\./specs/catalog/#../../specs/catalog/#; s#\[catalog/#[../../specs/catalog/#g; s#, catalog/#, ../../specs/catalog/#g; s#\.\./specs/catalog/#../../specs/catalog/#g' \
    "$f" > "$corpus/$(basename "$f")"
done
"$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 "$corpus" 2>&1 | tail -5
echo "fuzz_spec_loader: ran ${seconds}s without a crash"
