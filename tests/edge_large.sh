#!/usr/bin/env bash
# Large edge instances (part of `make check`), generated on the fly:
#   - 50,000 schools in one admin unit (a generated country with every
#     school moved into the same county and district);
#   - a road network of 1,000,499 roads (a 1,000 x 501 grid, network
#     distances, 1.5 km limit).
# Each must end with a layout that evaluates clean within its time limit, or
# a clear message; never a crash.  Usage: tests/edge_large.sh PATH/TO/clusterplan
set -u
cp_bin=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # check NAME INSTANCE SCENARIO LIMIT
    local start=$(date +%s)
    if ! "$cp_bin" solve "$2" -s "$3" --time-limit "$4" -o "$tmp/$1.xml" --quiet 2>"$tmp/$1.err"; then
        echo "edge: FAIL $1: $(head -1 "$tmp/$1.err")"; fails=$((fails + 1)); return
    fi
    if ! "$cp_bin" evaluate "$2" "$tmp/$1.xml" -s "$3" >"$tmp/$1.eval" 2>&1 || ! grep -q "violations: none" "$tmp/$1.eval"; then
        echo "edge: FAIL $1: the layout does not evaluate clean"; fails=$((fails + 1)); return
    fi
    echo "edge: $1: $(sed -n 's/.*<solution[^>]* status="\([^"]*\)".* clusters="\([0-9]*\)" assigned="\([0-9]*\)".*/status \1, \2 clusters, \3 assigned/p' "$tmp/$1.xml"), $(($(date +%s) - start)) s"
}
"$cp_bin" generate --schools 50000 --seed 5 -o "$tmp/g.xml" --quiet
sed -E 's/ admin1="[^"]*"/ admin1="One"/; s/ admin2="[^"]*"/ admin2="Unit"/; s/ admin3="[^"]*"//; s/ admin4="[^"]*"//; s/ cluster="[^"]*"//' \
    "$tmp/g.xml" >"$tmp/one-unit.xml"
check one-unit-50000 "$tmp/one-unit.xml" instances/base.xml 10
awk 'BEGIN { W = 1000; H = 501; print "<instance name=\"grid-roads\" distance=\"network\">";
    for (y = 0; y < H; y++) for (x = 0; x < W; x++) printf "<school id=\"N%d_%d\"/>\n", x, y;
    for (y = 0; y < H; y++) for (x = 0; x < W; x++) {
        if (x + 1 < W) printf "<road from=\"N%d_%d\" to=\"N%d_%d\" length=\"1\"/>\n", x, y, x + 1, y;
        if (y + 1 < H) printf "<road from=\"N%d_%d\" to=\"N%d_%d\" length=\"1\"/>\n", x, y, x, y + 1 }
    print "</instance>" }' >"$tmp/roads.xml"
printf '<scenario name="grid"><size min="3" max="7"/><distance max="1.5"/><objective weight="none"/></scenario>\n' >"$tmp/grid.xml"
echo "edge: roads: $(grep -c '<road ' "$tmp/roads.xml")"
check roads-1000499 "$tmp/roads.xml" "$tmp/grid.xml" 20
[ "$fails" -eq 0 ]
