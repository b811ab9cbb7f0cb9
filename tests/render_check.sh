#!/usr/bin/env bash
# The HTML report rendered by headless Chromium (part of `make check`):
# the DOM after scripts ran holds the map, the indicators and the sortable
# cluster table, and a screenshot is taken.  Skips cleanly without Chromium,
# except in CI (CI=true), where a missing browser fails the check.
# Usage: tests/render_check.sh PATH/TO/clusterplan
set -u
cp_bin=$1
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    # in CI the browser is installed (.ci/install-deps.sh): its absence is a failure, not a skip
    [ "${CI:-}" = true ] && { echo "render: FAIL chromium absent in CI"; exit 1; }
    echo "render: chromium absent, skipped"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
"$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/report.html" --quiet || exit 1
run() { timeout 90 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars "$@" 2>/dev/null; }
run --dump-dom "file://$tmp/report.html" >"$tmp/dom.html"
for want in '<svg' 'cluster centre (' '<table class="ind">' 'id="clusters"' 'Unassigned schools ('; do
    grep -qF -- "$want" "$tmp/dom.html" || { echo "render: FAIL rendered DOM lacks $want"; fails=$((fails + 1)); }
done
run --screenshot="$tmp/report.png" --window-size=1200,1600 "file://$tmp/report.html" >/dev/null
size=$(stat -c %s "$tmp/report.png" 2>/dev/null || echo 0)
[ "$size" -gt 20000 ] || { echo "render: FAIL screenshot missing or blank ($size bytes)"; fails=$((fails + 1)); }
echo "render: report rendered by $(basename "$browser"), screenshot $size bytes, $fails failures"
[ "$fails" -eq 0 ]
