#!/usr/bin/env bash
# The Kenya scenario study (issue #6), the same way every time: six
# scenarios (sizes 3-7 / 4-6 / 5-10, 5 km / 10 km, zone rule on / off) and
# the official zones evaluated under each, through `clusterplan batch`;
# then headless Chromium renders the comparison and one run's report
# (screenshots in bench/out/study-*.png, not committed) and the rendered
# DOM is checked for the map and the tables.
# Usage: bench/run_study.sh [THREADS]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s all
out=bench/out
mkdir -p "$out"
[ -r ../shared/data/kenya-schools-2016.gml ] || { echo "study: ../shared/data absent, skipped"; exit 0; }
echo "machine: $(nproc) cores; commit $(git rev-parse --short HEAD)"
rm -rf "$out/kenya-study"
start=$(date +%s.%N)
build/clusterplan batch bench/studies/kenya-scenarios.xml -o "$out/kenya-study" --threads "${1:-2}"
echo "batch: $(echo "$(date +%s.%N) - $start" | bc) s"
start=$(date +%s.%N)
build/clusterplan batch bench/studies/kenya-scenarios.xml -o "$out/kenya-study" --threads "${1:-2}"
echo "batch again (every run unchanged): $(echo "$(date +%s.%N) - $start" | bc) s"
cut -d, -f1,6,11-13,17,20,24,27 "$out/kenya-study/comparison.csv" | column -t -s,
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "study: chromium absent, no screenshots"; exit 0; }
report="$PWD/$out/kenya-study/runs/kenya--size3-7-10km-zones/solution.html"
for page in comparison:"$PWD/$out/kenya-study/comparison.html" report:"$report"; do
    name=${page%%:*} file=${page#*:}
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --screenshot="$out/study-$name.png" --window-size=1400,2600 "file://$file" 2>/dev/null >/dev/null
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --dump-dom "file://$file" \
        2>/dev/null >"$out/study-$name.dom"
    echo "$name: screenshot $(stat -c %s "$out/study-$name.png") bytes; rendered DOM has" \
        "map: $(grep -c '<svg' "$out/study-$name.dom"), sortable tables: $(grep -c 'class="sortable"' "$out/study-$name.dom")"
done
