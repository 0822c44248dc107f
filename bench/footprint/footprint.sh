#!/bin/sh
# Footprint of firmware images by part, from their linker maps: flash and RAM of
# the DLMS stack, of metrology, of the generated tables and of the rest, bytes
# per COSEM object, and the generated tables' growth per object from synthetic
# models compiled for the target. With --check, exits 1 when an image or a part
# exceeds its budget. POSIX sh and awk only; classify.awk does the map.
#
# Usage: footprint.sh --source DIR --size SIZE --nm NM --probe OBJ --statics FILE
#                     [--check BUDGETS]
#                     --image ID,MAP,ELF,MODEL_CPP,FLASH_BUDGET,RAM_BUDGET ...
#                     [--synthetic OBJ,MODEL_CPP ...]
# Budgets are bytes with an optional K or M suffix (1024-based).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
source_dir= size_tool= nm_tool= probe= statics= budgets=
images= synthetics=
while [ $# -gt 0 ]; do
  case $1 in
    --source) source_dir=$2; shift 2 ;;
    --size) size_tool=$2; shift 2 ;;
    --nm) nm_tool=$2; shift 2 ;;
    --probe) probe=$2; shift 2 ;;
    --statics) statics=$2; shift 2 ;;
    --check) budgets=$2; shift 2 ;;
    --image) images="$images $2"; shift 2 ;;
    --synthetic) synthetics="$synthetics $2"; shift 2 ;;
    *) echo "footprint.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [ -z "$source_dir" ] || [ -z "$size_tool" ] || [ -z "$nm_tool" ] || [ -z "$probe" ] || [ -z "$statics" ] ||
   [ -z "$images" ]; then
  sed -n '2,13p' "$0" >&2; exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# runtime/src/<module>/<name>.cpp -> "<name> <module>"
find "$source_dir/runtime/src" -name '*.cpp' | awk -F/ '{ n = $NF; sub(/\.cpp$/, "", n); print n, $(NF - 1) }' \
  > "$work/modules"
if [ -n "$(cut -d' ' -f1 "$work/modules" | sort | uniq -d)" ]; then
  echo "footprint.sh: two runtime sources share a name; the map cannot tell them apart" >&2; exit 2
fi
"$nm_tool" -S "$probe" | awk 'NF == 4 { s = tolower($2); v = 0; for (i = 1; i <= length(s); ++i) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; print $4, v }' > "$work/probe"

objects_of() {  # the object count of a generated model.cpp
  sed -n 's/^ *\.object_count = \([0-9]*\),$/\1/p' "$1"
}

# Per image: the classified records, prefixed by "image <id> <objects> <flash budget> <RAM budget> <size flash> <size RAM>".
for spec in $images; do
  IFS=, read -r id map elf model_cpp flash_budget ram_budget <<EOF2
$spec
EOF2
  size_flash_ram=$("$size_tool" -A -d "$elf" | awk '
    $1 ~ /^\.(vectors|text|ARM\.exidx|init_array)$/ { f += $2 }
    $1 == ".data" { f += $2; r += $2 }
    $1 == ".bss" || $1 == ".stack" { r += $2 }
    END { print f + 0, r + 0 }')
  echo "image $id $(objects_of "$model_cpp") $flash_budget $ram_budget $size_flash_ram"
  awk -v modules="$work/modules" -v statics="$statics" -v probe="$work/probe" -f "$here/classify.awk" "$map" |
    sort | sed 's/^/  /'
done > "$work/images"

# Per synthetic model: objects, flash, RAM and value storage of its compiled tables.
for spec in $synthetics; do
  IFS=, read -r obj model_cpp <<EOF2
$spec
EOF2
  "$size_tool" -A -d "$obj" | awk -v n="$(objects_of "$model_cpp")" '
    $1 ~ /^\.(text|rodata)/ { f += $2 }
    $1 ~ /^\.data/ { f += $2; r += $2 }
    $1 ~ /^\.bss/ { r += $2; if ($1 ~ /kState/) v += $2 }
    END { print "synthetic", n, f + 0, r + 0, v + 0 }'
done > "$work/synthetic"

awk -v budgets="$budgets" -f "$here/report.awk" "$work/images" "$work/synthetic"
