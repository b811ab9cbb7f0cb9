#!/usr/bin/env bash
# Command-line checks of distances by road (README "Within reach by road",
# issue 28) on a hand-made road layer: solve with --roads and with
# <roads> in a scenario, the solution and every GIS output labelled by
# road with routes along the roads, a layout made with roads evaluated only
# with the same layer (exit 2 without it or with another; exit 3 when its
# claims do not re-evaluate; nothing written), the road rule's reason, time
# mode, the same layout from the layer reprojected to UTM, the same bytes on
# 1 and 2 threads, `generate --roads`, a study's <roads> and its re-run
# when the layer changes, and bad road layers refused by name.
# Quick tier (make test).  With `kenya` (make check) instead: Machakos by
# road on the national roads layer, solved and compared with the
# straight-line layout, and the national register's joins at snap-max 5 km.
# Usage: tests/roads_test.sh PATH/TO/clusterplan [kenya]
set -u
cp_bin=$1
mode=${2:-quick}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
checks=0
fails=0
fail() { fails=$((fails + 1)); echo "roads: FAIL $*"; }
expect() { # expect CODE WHAT -- COMMAND...
    local want=$1 what=$2 got
    shift 3
    checks=$((checks + 1))
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    [ "$got" -eq "$want" ] || { fail "$what: exit $got, expected $want: $(head -c 300 "$tmp/err")"; return 1; }
}
contains() { # contains FILE TEXT WHAT
    checks=$((checks + 1))
    grep -qF -- "$2" "$1" || fail "$3: '$2' not in $(basename "$1")"
}
absent() { # absent FILE WHAT: a failed run wrote nothing
    checks=$((checks + 1))
    [ ! -e "$1" ] || fail "$2: $1 was written"
}
layout() { sed -E 's/ (seconds|threads|roads|roads-sha256)="[^"]*"//g' "$1"; }
if ! command -v ogr2ogr >/dev/null || ! command -v ogrinfo >/dev/null; then
    [ "${CI:-}" = true ] && { echo "roads: FAIL ogr2ogr/ogrinfo (gdal-bin) absent in CI"; exit 1; }
    echo "roads: ogr2ogr/ogrinfo (gdal-bin) absent: skipped"
    exit 0
fi

quick() {
# ------------------------------------------------------------ the layer
# A primary road along the equator with a one-way side street and a track
# loop; a bridge (no shared vertex) crossing the primary; schools beside
# them, two on one site, one 30 km from every road.
cat >"$tmp/roads.geojson" <<'EOF'
{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},"features":[
{"type":"Feature","properties":{"highway":"primary"},"geometry":{"type":"LineString","coordinates":[[36.0,-1.0],[36.02,-1.0],[36.05,-1.0],[36.08,-1.0],[36.1,-1.0]]}},
{"type":"Feature","properties":{"highway":"residential","oneway":"yes"},"geometry":{"type":"LineString","coordinates":[[36.05,-1.0],[36.05,-1.03],[36.05,-1.05]]}},
{"type":"Feature","properties":{"highway":"track"},"geometry":{"type":"MultiLineString","coordinates":[[[36.1,-1.0],[36.1,-1.05]],[[36.1,-1.05],[36.05,-1.05]]]}},
{"type":"Feature","properties":{"highway":"secondary"},"geometry":{"type":"LineString","coordinates":[[36.03,-0.97],[36.03,-1.03]]}}
]}
EOF
cat >"$tmp/schools.xml" <<'EOF'
<instance name="roads-test" distance="haversine">
  <school id="A" lat="-1.001" lon="36.01" teachers="5" admin1="R"/>
  <school id="B" lat="-1.001" lon="36.06" teachers="7" admin1="R"/>
  <school id="C" lat="-0.999" lon="36.09" teachers="4" admin1="R"/>
  <school id="D" lat="-1.04" lon="36.101" teachers="6" admin1="R"/>
  <school id="E" lat="-1.049" lon="36.06" teachers="3" admin1="R"/>
  <school id="E2" lat="-1.049" lon="36.06" teachers="2" admin1="R"/>
  <school id="F" lat="-0.98" lon="36.031" teachers="8" admin1="R"/>
  <school id="G" lat="-1.02" lon="36.029" teachers="5" admin1="R"/>
  <school id="FAR" lat="-1.3" lon="36.3" teachers="4" admin1="R"/>
</instance>
EOF
r=(--roads "$tmp/roads.geojson" --distance-max 15 --size 2-4)

expect 0 "solve by road" -- "$cp_bin" solve "$tmp/schools.xml" "${r[@]}" -o "$tmp/s.xml" -o "$tmp/s.gpkg" \
    -o "$tmp/s.html" -o "$tmp/s.svg" -o "$tmp/s.geojson"
cp "$tmp/out" "$tmp/solve.out"
contains "$tmp/s.xml" 'units="km by road" distance="road"' "solution labelled by road"
contains "$tmp/s.xml" 'travel="distance" snap-max="2"' "solution's travel and snap-max"
contains "$tmp/s.xml" 'circuity="' "cluster circuity"
contains "$tmp/s.xml" '<unassigned school="FAR" reason="road rule: no road within 2 km' "road rule"
contains "$tmp/solve.out" "8 of 9 schools joined the roads within 2 km" "summary of the joins"
contains "$tmp/solve.out" "circuity" "circuity in the summary"
# the GeoPackage: links along the roads, every row labelled
ogrinfo -q -al "$tmp/s.gpkg" links >"$tmp/links.txt" 2>&1
contains "$tmp/links.txt" "dist_unit (String) = km by road" "links labelled by road"
contains "$tmp/links.txt" "circuity (Real)" "links' circuity"
checks=$((checks + 1))
awk '/LINESTRING/ { n = gsub(/,/, ","); if (n >= 3) more++ } END { exit more ? 0 : 1 }' "$tmp/links.txt" ||
    fail "no link follows the roads (every link has 2 points)"
ogrinfo -q -al "$tmp/s.gpkg" clusters >"$tmp/clusters.txt" 2>&1
contains "$tmp/clusters.txt" "circuity (Real) =" "clusters' circuity"
expect 0 "snap-max in metres by mistake" -- "$cp_bin" solve "$tmp/schools.xml" "${r[@]}" --snap-max 2000 -o "$tmp/snap2000.xml"
contains "$tmp/err" "snap-max 2000 km: a school may walk 2000 km in a straight line to its road; snap-max is in km (2000 m would be 2)" "a snap-max read as metres is said"
checks=$((checks + 1))
grep -q 'road_km (Real) = [0-9]' "$tmp/clusters.txt" && grep -q 'straight (Real) = [0-9]' "$tmp/clusters.txt" ||
    fail "the hulls carry no road_km and straight (the README says they do)"
contains "$tmp/s.html" "r:{" "report map routes"
contains "$tmp/s.html" "circuity (road km / straight km)" "report circuity row"
contains "$tmp/s.html" "distances by road on" "report's rules line"
contains "$tmp/s.svg" "<polyline" "SVG routes"
contains "$tmp/s-links.geojson" '"dist_unit": "km by road"' "GeoJSON links labelled"

# evaluated with the same layer only; its claims must hold
expect 2 "evaluate without the layer" -- "$cp_bin" evaluate "$tmp/schools.xml" "$tmp/s.xml" \
    --distance-max 15 --size 2-4 -o "$tmp/e0.xml"
contains "$tmp/err" "was made with distances by road" "the layer asked for"
absent "$tmp/e0.xml" "evaluate without the layer"
expect 0 "evaluate with the layer" -- "$cp_bin" evaluate "$tmp/schools.xml" "$tmp/s.xml" "${r[@]}" \
    -o "$tmp/e.xml"
contains "$tmp/out" "claimed objective" "claims compared"
checks=$((checks + 1))
grep -q MISMATCH "$tmp/out" && fail "evaluate by road differs from the solve"
# a what-if rule on a layout made by road: its violations are the answer, not an error
expect 0 "a road layout under a shorter limit" -- "$cp_bin" evaluate "$tmp/schools.xml" "$tmp/s.xml" \
    --roads "$tmp/roads.geojson" --distance-max 1 --size 2-4 -o "$tmp/e1.xml"
checks=$((checks + 1))
grep -q '<violation' "$tmp/e1.xml" || fail "the shorter limit's violations are not listed"
sed -E 's/objective="([0-9.]+)"/objective="1\1"/' "$tmp/s.xml" >"$tmp/tampered.xml"
expect 3 "tampered claims" -- "$cp_bin" evaluate "$tmp/schools.xml" "$tmp/tampered.xml" "${r[@]}" \
    -o "$tmp/e3.xml"
absent "$tmp/e3.xml" "tampered claims"
sed 's/36.1,-1.05/36.1,-1.06/' "$tmp/roads.geojson" >"$tmp/roads2.geojson"
expect 2 "another layer" -- "$cp_bin" evaluate "$tmp/schools.xml" "$tmp/s.xml" --roads "$tmp/roads2.geojson" \
    --distance-max 15 --size 2-4
contains "$tmp/err" "another road layer" "another layer named"
expect 2 "another travel mode" -- "$cp_bin" evaluate "$tmp/schools.xml" "$tmp/s.xml" "${r[@]}" \
    --travel-mode car
# a straight-line layout evaluated by road: compared, with circuity
expect 0 "straight-line solve" -- "$cp_bin" solve "$tmp/schools.xml" --distance-max 15 --size 2-4 \
    -o "$tmp/straight.xml"
expect 0 "compare straight and road" -- "$cp_bin" compare "$tmp/schools.xml" "$tmp/straight.xml" \
    "$tmp/s.xml" "${r[@]}"
contains "$tmp/out" "circuity (road km / straight km)" "compare's circuity row"
contains "$tmp/out" "(distances in km by road;" "compare labelled by road"

# a scenario's <roads>, relative to the scenario's folder, and time mode
mkdir -p "$tmp/sc"
cp "$tmp/roads.geojson" "$tmp/sc/r.geojson"
cat >"$tmp/sc/time.xml" <<'EOF'
<scenario name="by car">
  <size min="2" max="4"/>
  <roads path="r.geojson" snap-max="2"/>
  <travel mode="car" time-max="20"/>
  <speed class="track" kmh="12"/>
  <costs per-km="0.3" meetings-per-year="9" host-stipend="50" currency="KES"/>
</scenario>
EOF
expect 0 "time mode" -- "$cp_bin" solve "$tmp/schools.xml" -s "$tmp/sc/time.xml" -o "$tmp/t.xml"
contains "$tmp/t.xml" 'units="min by car"' "minutes by car"
contains "$tmp/t.xml" 'road-km="' "route km kept in time mode"
contains "$tmp/t.xml" 'objective-kind="travel"' "time mode's objective in minutes"
expect 0 "time mode evaluated" -- "$cp_bin" evaluate "$tmp/schools.xml" "$tmp/t.xml" -s "$tmp/sc/time.xml"
expect 0 "time mode with a km cap too" -- "$cp_bin" solve "$tmp/schools.xml" -s "$tmp/sc/time.xml" --distance-max 3 -o "$tmp/t3.xml"
contains "$tmp/t3.xml" 'within 20 min by car and 3 km by road' "a reason names both limits that bind"
expect 2 "time-max without a mode" -- "$cp_bin" solve "$tmp/schools.xml" "${r[@]}" --time-max 20
contains "$tmp/err" "needs a travel mode" "time-max explained"
expect 2 "travel mode without roads" -- "$cp_bin" solve "$tmp/schools.xml" --travel-mode walk
expect 2 "cost objective in minutes" -- "$cp_bin" solve "$tmp/schools.xml" -s "$tmp/sc/time.xml" \
    --objective cost
contains "$tmp/err" "objective cost prices km" "cost objective in minutes explained"
expect 2 "bad mode" -- "$cp_bin" solve "$tmp/schools.xml" "${r[@]}" --travel-mode plane
expect 0 "straight-line access" -- "$cp_bin" solve "$tmp/schools.xml" --roads "$tmp/roads.geojson" \
    --size 2-4 --straight-access --distance-max 60 -o "$tmp/sa.xml"
checks=$((checks + 1))
grep -q 'school="FAR" reason="road rule' "$tmp/sa.xml" && fail "straight-line access still left FAR out by the road rule"

# the layer in UTM 37S: the same layout (vertices come back to 1e-7 degrees)
ogr2ogr -f GPKG "$tmp/roads-utm.gpkg" "$tmp/roads.geojson" -t_srs EPSG:32737 2>/dev/null
expect 0 "roads in UTM" -- "$cp_bin" solve "$tmp/schools.xml" --roads "$tmp/roads-utm.gpkg" \
    --distance-max 15 --size 2-4 -o "$tmp/u.xml"
checks=$((checks + 1))
cmp -s <(layout "$tmp/s.xml") <(layout "$tmp/u.xml") || fail "the UTM layer gives another layout"

# the same bytes on 1 and 2 threads
"$cp_bin" generate --schools 600 --seed 5 -o "$tmp/g.xml" --roads "$tmp/g-roads.gpkg" >"$tmp/gen.out"
contains "$tmp/gen.out" "g-roads.gpkg:" "generate --roads"
for t in 1 2; do
    expect 0 "generated by road, $t threads" -- "$cp_bin" solve "$tmp/g.xml" --roads "$tmp/g-roads.gpkg" \
        -s instances/base.xml --threads $t -o "$tmp/g$t.xml" -o "$tmp/g$t.geojson"
done
checks=$((checks + 1))
cmp -s <(layout "$tmp/g1.xml") <(layout "$tmp/g2.xml") || fail "1 and 2 threads differ by road"
checks=$((checks + 1))
cmp -s <(grep -v '"name":' "$tmp/g1-links.geojson") <(grep -v '"name":' "$tmp/g2-links.geojson") ||
    fail "routes differ on 1 and 2 threads"

# a study: <roads> inside <instance>; an edit to the layer runs it again
cp "$tmp/roads.geojson" "$tmp/st-roads.geojson"
cat >"$tmp/study.xml" <<EOF
<study name="roads">
  <instance id="t" path="schools.xml"><roads path="st-roads.geojson"/></instance>
  <scenario id="d15" distance-max="15" size-min="2" size-max="4"/>
  <outputs formats="xml"/>
</study>
EOF
expect 0 "study by road" -- "$cp_bin" batch "$tmp/study.xml" -o "$tmp/st"
contains "$tmp/st/runs/t--d15/solution.xml" 'distance="road"' "study run by road"
expect 0 "study again" -- "$cp_bin" batch "$tmp/study.xml" -o "$tmp/st"
contains "$tmp/out" "skipped" "unchanged study skipped"
sed -i 's/36.1,-1.05/36.1,-1.06/' "$tmp/st-roads.geojson"
expect 0 "study, layer changed" -- "$cp_bin" batch "$tmp/study.xml" -o "$tmp/st"
checks=$((checks + 1))
grep -q "1 ran" "$tmp/out" || fail "an edit to the road layer did not run the study again: $(cat "$tmp/out")"

# bad road layers, refused by name, nothing written
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[36,-1]}}]}' >"$tmp/points.geojson"
expect 2 "a point layer as roads" -- "$cp_bin" solve "$tmp/schools.xml" --roads "$tmp/points.geojson" -o "$tmp/b1.xml"
contains "$tmp/err" "feature 0: a POINT, not a line" "the point feature named"
absent "$tmp/b1.xml" "a point layer as roads"
expect 2 "a missing road file" -- "$cp_bin" solve "$tmp/schools.xml" --roads "$tmp/none.gpkg"
expect 2 "a missing class column" -- "$cp_bin" solve "$tmp/schools.xml" "${r[@]}" --roads-class fclass
contains "$tmp/err" 'has no column "fclass"' "the class column named"
# a class column of the layer's own whose names happen to be OSM's: said
sed 's/"highway":/"Type":/g; s/"secondary"/"Secondary"/' "$tmp/roads.geojson" >"$tmp/roads-type.geojson"
expect 0 "a custom class column with an OSM name" -- "$cp_bin" solve "$tmp/schools.xml" --roads "$tmp/roads-type.geojson" --roads-class Type --travel-mode motorbike --time-max 60 --size 2-4 --speed primary=60 -o "$tmp/type.xml"
contains "$tmp/err" "took OpenStreetMap's speed for the same name (motorbike, \"residential\" 30 km/h; \"track\" 25 km/h; \"Secondary\" 50 km/h)" "the classes matched by name are said"
expect 2 "roads on planar x/y" -- "$cp_bin" solve tests/data/good/hand.xml --roads "$tmp/roads.geojson"
contains "$tmp/err" "longitude/latitude" "planar instance refused"
}
[ "$mode" = kenya ] || quick

# ---------------------------------------------- the Kenya roads (kenya)
kenya=../shared/data/kenya-schools-2016.gml
kroads=../shared/data/kenya-roads-national.geojson
if [ "$mode" = kenya ]; then
    if [ ! -r "$kenya" ] || [ ! -r "$kroads" ]; then
        [ "${CI:-}" = true ] && fail "../shared/data (Kenya register and roads) absent in CI"
        echo "roads: ../shared/data absent: Kenya checks skipped"
    else
        rules=(-s instances/kenya-register.xml --where county=Machakos --objective travel)
        m=("${rules[@]}" --threads 2)
        expect 0 "Machakos by road" -- "$cp_bin" solve "$kenya" "${m[@]}" --roads "$kroads" --snap-max 5 \
            -o "$tmp/mk-road.xml" -o "$tmp/mk-road.html"
        contains "$tmp/mk-road.xml" 'distance="road"' "Machakos by road"
        contains "$tmp/mk-road.html" "r:{" "Machakos routes on the map"
        expect 0 "Machakos straight" -- "$cp_bin" solve "$kenya" "${m[@]}" -o "$tmp/mk-straight.xml"
        expect 0 "Machakos compared" -- "$cp_bin" compare "$kenya" "$tmp/mk-straight.xml" \
            "$tmp/mk-road.xml" "${rules[@]}" --roads "$kroads" --snap-max 5 -o "$tmp/mk-cmp.csv" \
            -o "$tmp/mk-cmp.html"
        checks=$((checks + 1))
        [ "$(awk -F, 'NR == 1 { for (k = 1; k <= NF; k++) if ($k == "out_of_reach") c = k }
                      NR == 2 { print $c }' "$tmp/mk-cmp.csv")" -gt 0 ] ||
            fail "the comparison CSV does not count the straight layout's members out of reach"
        contains "$tmp/mk-cmp.html" "members out of reach by road, left out of the distances" "the compare page says so"
        contains "$tmp/out" "circuity (road km / straight km)" "Machakos circuity"
        # the straight layout's members off the roads: counted apart, no "inf" anywhere
        contains "$tmp/out" "members out of reach (left out above)" "members out of reach counted"
        checks=$((checks + 1))
        ! grep -qw 'inf' "$tmp/out" || fail "a figure of the comparison is inf"
        # its report: the map's data is JavaScript, where inf is no number (the map was blank)
        expect 0 "Machakos straight evaluated by road, a report" -- "$cp_bin" evaluate "$kenya" \
            "$tmp/mk-straight.xml" "${rules[@]}" --roads "$kroads" --snap-max 5 -o "$tmp/mk-sr.html"
        checks=$((checks + 1))
        ! grep -q '[,\[]inf[],]' "$tmp/mk-sr.html" || fail "the report's map data holds inf"
        contains "$tmp/mk-sr.html" "members out of reach" "the report counts the members out of reach"
        expect 0 "Kenya joins at 5 km" -- "$cp_bin" validate "$kenya" -s instances/kenya-register.xml \
            --roads "$kroads" --snap-max 5
        contains "$tmp/out" "23858 of 29542 schools joined the roads within 5 km" "Kenya joins"
    fi
fi

echo "roads checks: $checks, failed: $fails"
[ "$fails" -eq 0 ]
