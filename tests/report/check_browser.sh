#!/usr/bin/env bash
# metergen report in a real browser: headless Chromium opens each page of the
# four seed models and the example variant, and
#  - the DOM after load has the LCD codes of the first display list in the order
#    of the spec (as `metergen generate` writes them in docs/display.md);
#  - a screenshot is taken and is a PNG of some size;
#  - at a 1280 px wide viewport the page is no wider than the viewport shows
#    (document.documentElement.scrollWidth <= clientWidth): wide tables scroll
#    sideways in their own box;
#  - the browser logged no console message (the pages have no script at all).
# Usage: check_browser.sh METERGEN SOURCE_DIR WORK_DIR SPEC... Exit 77 (skipped) when
# Chromium is not installed.
set -euo pipefail
metergen=$1 source=$2 work=$3

browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIP: chromium is not installed (Debian package chromium, scripts/bootstrap.sh)"
  exit 77
fi

rm -rf "$work"
mkdir -p "$work/profile"
specs=("${@:4}")
# (The specs' warnings go to a log; errors are shown.)
"$metergen" report "${specs[@]}" -o "$work/report" --allow-dir "$source/specs" -q 2>"$work/metergen.log" || { cat "$work/metergen.log"; exit 1; }
"$metergen" generate "${specs[@]}" -o "$work/generated" --allow-dir "$source/specs" -q 2>>"$work/metergen.log" || { cat "$work/metergen.log"; exit 1; }

run_browser() {
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$work/profile" \
    --enable-logging=stderr --v=0 "$@"
}

failures=0
for page in "$work"/report/*.html; do
  id=$(basename "$page" .html)
  url="file://$page"
  failures_before=$failures
  run_browser --dump-dom "$url" >"$work/$id.dom" 2>"$work/$id.dom.log" || { echo "FAIL $id: dump-dom failed"; cat "$work/$id.dom.log"; failures=$((failures + 1)); continue; }
  run_browser --screenshot="$work/$id.png" --window-size=1280,2000 "$url" >/dev/null 2>"$work/$id.png.log" || { echo "FAIL $id: screenshot failed"; cat "$work/$id.png.log"; failures=$((failures + 1)); continue; }
  if grep -E "CONSOLE|Uncaught" "$work/$id.dom.log" "$work/$id.png.log"; then
    echo "FAIL $id: console messages"; failures=$((failures + 1))
  fi
  size=$(stat -c %s "$work/$id.png" 2>/dev/null || echo 0)
  if [ "$size" -lt 20000 ] || [ "$(head -c 8 "$work/$id.png" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]; then
    echo "FAIL $id: screenshot $work/$id.png is not a PNG of some size ($size bytes)"; failures=$((failures + 1))
  fi
  # At a 1280 px wide viewport the page has no horizontal scrollbar (wide tables scroll in
  # their own box): a copy of the page with a script that writes the viewport's width, the
  # width the page shows and the width it spans into the DOM (the report has no script).
  sed 's#</body>#<script>const e = document.documentElement; document.body.dataset.widths = innerWidth + " " + e.clientWidth + " " + e.scrollWidth;</script></body>#' \
    "$page" >"$work/$id.width.html"
  run_browser --window-size=1280,2000 --dump-dom "file://$work/$id.width.html" >"$work/$id.width.dom" 2>"$work/$id.width.log" || true
  read -r viewport shown spans < <(sed -n 's/.*data-widths="\([0-9]*\) \([0-9]*\) \([0-9]*\)".*/\1 \2 \3/p' "$work/$id.width.dom"; echo)
  if [ "${viewport:-0}" -ne 1280 ] || [ "${spans:-99999}" -gt "${shown:-0}" ]; then
    echo "FAIL $id: at 1280 px the page spans ${spans:-?} px of ${shown:-?} px shown (viewport ${viewport:-?} px)"; failures=$((failures + 1))
  fi
  [ "$id" = index ] && { grep -q 'href="hxf300-eu.html"' "$work/$id.dom" || { echo "FAIL index: no link to hxf300-eu"; failures=$((failures + 1)); }; continue; }
  # The codes of the first display list: in the DOM (one <text class="lcd-code"> per
  # screen) and in the first table of docs/display.md (column "Display code").
  awk '/class="display-list/ { on = 1 } on { print } on && /<\/section>/ { exit }' "$work/$id.dom" |
    grep -o 'class="lcd-code">[^<]*</text>' | sed 's/class="lcd-code">//; s#</text>##' >"$work/$id.codes"
  # (Markdown escapes a | inside a cell as \|: set those aside before splitting.)
  awk '/^\| # \| Item \| Display code/ { on = 1; next } on && /^\|---/ { next }
       on && /^\|/ { line = $0; gsub(/\\\|/, "\001", line); split(line, f, "|"); c = f[4]; gsub(/^ +| +$/, "", c); gsub(/\001/, "|", c); print c; next }
       on { exit }' \
    "$work/generated/$id/docs/display.md" | cut -c1-11 | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' >"$work/$id.expected"
  if [ ! -s "$work/$id.expected" ] || ! diff -u "$work/$id.expected" "$work/$id.codes"; then
    echo "FAIL $id: LCD codes of the first display list differ from the spec's order"; failures=$((failures + 1))
  elif [ "$failures" -eq "$failures_before" ]; then
    echo "ok $id: $(wc -l <"$work/$id.codes") screens in order, screenshot $size bytes, $spans px wide at 1280 px"
  fi
done
if [ "$(ls "$work"/report/*.html | wc -l)" -ne $((${#specs[@]} + 1)) ]; then echo "FAIL: expected ${#specs[@]} pages and the index"; failures=$((failures + 1)); fi
[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all report pages render in $("$browser" --version 2>/dev/null || echo chromium)"
