#!/usr/bin/env bash
# The main job: build metergen, check and generate every seed spec, show a summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
cmake --preset release >/dev/null
cmake --build --preset release --target metergen
mg=build/release/generator/metergen
specs=(specs/hxf300-eu.yaml specs/hxe312-kp.yaml specs/dtsd545.yaml specs/clms100.yaml)
$mg validate "${specs[@]}"
out=build/release/seed-models
$mg generate "${specs[@]}" -o "$out"
echo
echo "Generated into $out:"
for s in "${specs[@]}"; do
  id=$(sed -n 's/^  id: *\([a-z0-9-]*\).*/\1/p' "$s" | head -1)
  printf '  %-10s %s\n' "$id" "$(ls "$out/$id" "$out/$id/docs" | grep -c '\.' ) files: model.cpp/.hpp, object_list.json, model.json, docs/*.md"
done
