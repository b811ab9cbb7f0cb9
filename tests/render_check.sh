#!/usr/bin/env bash
# The pages rendered by headless Chromium (part of `make check`), with the
# network blocked (a proxy that refuses everything): each page must work
# offline.  For each HTML report tests/map_check.js is appended to a copy
# and reads what Leaflet drew; this script compares it with what it knows
# independently (the CSV output's located schools, the solver's warnings
# of likely coordinate errors):
#   - one marker per located school;
#   - the first view holds >= 95 % of the schools, and every flagged school
#     lying beyond the others' extent is outside it;
#   - no two neighbouring clusters (centres within 2 km, or areas touching)
#     share a colour;
#   - the page is at most 1,400 px wide at a 1,400 px window;
#   - no request to the network.
# Also: the SVG map's legend counts equal the solution's, the existing Kenya
# zones' report lists every violation, and the study page fits 1,400 px.
# Reports: the shipped Kilifi demo always; with ../shared/data the Kilifi,
# Machakos and national reports.  Screenshots go to $SHOTS when set.
# Skips cleanly without Chromium or the shared data, except in CI
# (CI=true), where their absence fails the check.
# Usage: tests/render_check.sh PATH/TO/clusterplan
set -u
cp_bin=$1
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    [ "${CI:-}" = true ] && { echo "render: FAIL chromium absent in CI"; exit 1; }
    echo "render: chromium absent, skipped"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 checks=0
fail() { echo "render: FAIL $*"; fails=$((fails + 1)); }
ok() { checks=$((checks + 1)); }
# offline: every request goes to a proxy that is not there
browse() {
    timeout 180 "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --proxy-server=http://127.0.0.1:9 --proxy-bypass-list='<-loopback>' \
        --window-size=1400,1000 "$@" 2>/dev/null
}
attr() { sed -n "s/.*<$2[^>]* $3=\"\([^\"]*\)\".*/\1/p" "$1" | head -1; }
# value DOM KEY: KEY's value in the line the checks wrote (<pre id="cp-check">)
value() { grep -o 'id="cp-check">[^<]*' "$1" | sed -n "s/.*[ >]$2=\([^ <]*\).*/\1/p" | head -1; }

# check_report NAME HTML CSV WARNINGS: the map's DOM checks
check_report() {
    local name=$1 html=$2 csv=$3 warn=$4 located outliers page=$tmp/$1-checked.html dom=$tmp/$1-dom.html
    located=$(awk -F, 'NR > 1 && $1 != "" && ($5 == "centre" || $5 == "member" || $5 == "unassigned")' "$csv" | wc -l)
    outliers=$(sed -n 's/^warning: likely coordinate error: school \([^ ]*\) .*/"\1"/p' "$warn" | paste -sd, -)
    { cat "$html"; echo "<script>window.CP_EXPECT={located:$located,outliers:[$outliers]};"
      cat tests/map_check.js; echo "</script>"; } >"$page"
    browse --virtual-time-budget=60000 --dump-dom "file://$page" >"$dom"
    grep -q 'id="cp-check"' "$dom" || { fail "$name: the map's check did not run (no Leaflet map?)"; return; }
    local markers share beyond inview same pairs width net colours
    markers=$(value "$dom" markers); share=$(value "$dom" in_view_share)
    beyond=$(value "$dom" outliers_beyond_rest); inview=$(value "$dom" outliers_beyond_rest_in_view)
    same=$(value "$dom" same_colour_neighbours); pairs=$(value "$dom" neighbour_pairs)
    width=$(value "$dom" page_width); net=$(value "$dom" network_requests); colours=$(value "$dom" colours)
    [ "$markers" = "$located" ] && ok || fail "$name: $markers markers for $located located schools"
    awk -v s="$share" 'BEGIN { exit !(s >= 0.95) }' && ok || fail "$name: the first view holds $share of the schools"
    [ "$inview" = 0 ] && ok || fail "$name: $inview of $beyond far-off flagged schools inside the first view"
    [ "$same" = 0 ] && ok || fail "$name: $same of $pairs neighbouring cluster pairs share a colour: $(value "$dom" conflicts)"
    [ "${width:-9999}" -le 1400 ] && ok || fail "$name: page $width px wide"
    [ "$net" = 0 ] && ok || fail "$name: $net network requests"
    echo "render: $name: $markers markers = located schools; $share in the first view; $beyond far-off flagged, $inview in view; $pairs neighbouring pairs, $same sharing a colour ($colours colours); $width px; $net network requests"
    [ -n "${SHOTS:-}" ] && browse --force-device-scale-factor=0.6 --screenshot="$SHOTS/$name.png" "file://$html" >/dev/null
}

# svg_legend NAME SVG SOLUTION: the legend counts what the solution counts
svg_legend() {
    local clusters assigned unassigned
    clusters=$(attr "$3" indicators clusters); assigned=$(attr "$3" indicators assigned)
    unassigned=$(attr "$3" indicators unassigned)
    grep -q "cluster centre: $clusters clusters<" "$2" && ok || fail "$1: SVG legend lacks 'cluster centre: $clusters clusters'"
    grep -Eq "(member school: |: )$((assigned - clusters))( member schools)?<" "$2" && ok ||
        fail "$1: SVG legend lacks $((assigned - clusters)) member schools"
    grep -q "unassigned school: $unassigned<" "$2" && ok || fail "$1: SVG legend lacks $unassigned unassigned"
}

# solve_report NAME INSTANCE ARGS...: a report, CSV, SVG and solution of one solve
solve_report() {
    local name=$1 inst=$2
    shift 2
    "$cp_bin" solve "$inst" "$@" -o "$tmp/$name.html" -o "$tmp/$name.csv" -o "$tmp/$name.svg" \
        -o "$tmp/$name.xml" >/dev/null 2>"$tmp/$name.err" || { fail "$name: solve failed: $(tail -1 "$tmp/$name.err")"; return; }
    check_report "$name" "$tmp/$name.html" "$tmp/$name.csv" "$tmp/$name.err"
    svg_legend "$name" "$tmp/$name.svg" "$tmp/$name.xml"
}

solve_report kilifi-demo instances/kilifi-demo.xml -s instances/base.xml
for want in 'id="clusters"' '<table class="ind">' 'what it means' 'class="print-map"'; do
    grep -qF -- "$want" "$tmp/kilifi-demo.html" && ok || fail "kilifi-demo report lacks $want"
done

K=../shared/data/kenya-schools-2016.gml
if [ -r "$K" ]; then
    solve_report kilifi "$K" --where county=Kilifi -s instances/kenya-register.xml --objective travel
    solve_report machakos "$K" --where county=Machakos -s instances/kenya-register.xml --objective travel
    solve_report kenya "$K" -s bench/scenarios/kenya-zones.xml --method heuristic
    # by road (issue 28): the member-centre lines follow the roads
    R=../shared/data/kenya-roads-national.geojson
    solve_report machakos-roads "$K" --where county=Machakos -s instances/kenya-register.xml \
        --roads "$R" --snap-max 5
    routes=$(value "$tmp/machakos-roads-dom.html" route_lines)
    lines=$(value "$tmp/machakos-roads-dom.html" link_lines)
    [ "${routes:-0}" -gt 0 ] && ok || fail "machakos-roads: no member-centre line follows a road"
    echo "render: machakos-roads: $routes of $lines member-centre lines drawn along the roads"
    # the existing zones: every violation listed in the report
    "$cp_bin" evaluate "$K" --existing --field cluster=zone --existing-scope 2 \
        -s instances/kenya-register.xml -o "$tmp/zones.html" -o "$tmp/zones.xml" -o "$tmp/zones.csv" \
        >/dev/null 2>"$tmp/zones.err" || fail "existing zones: evaluate failed"
    v=$(attr "$tmp/zones.xml" indicators violations)
    rows=$(sed -n '/id="violations"/,/<\/table>/p' "$tmp/zones.html" | grep -c '^<tr><td>')
    [ -n "$v" ] && [ "$v" -gt 0 ] && [ "$rows" = "$v" ] && ok || fail "existing zones: $rows violation rows for $v violations"
    grep -q 'chose one for each' "$tmp/zones.html" && ok || fail "existing zones: no note on implied centres"
    echo "render: existing Kenya zones: $rows of $v violations listed"
    check_report zones "$tmp/zones.html" "$tmp/zones.csv" "$tmp/zones.err"
else
    [ "${CI:-}" = true ] && fail "$K absent in CI"
    echo "render: $K absent: the Kenya reports skipped"
fi

# the study page: fits 1,400 px, one baseline row, the best marked, small maps
"$cp_bin" batch tests/data/good/study.xml -o "$tmp/study" >/dev/null 2>&1
if [ -r "$tmp/study/comparison.html" ]; then
    { cat "$tmp/study/comparison.html"; echo "<script>window.addEventListener('load',function(){var p=document.createElement('pre');p.id='cp-check';p.textContent='page_width='+document.documentElement.scrollWidth+' baseline_rows='+document.querySelectorAll('#decide tr.base').length+' best='+document.querySelectorAll('#decide td.best').length+' maps='+document.querySelectorAll('#decide img').length+' maps_drawn='+Array.from(document.querySelectorAll('#decide img')).filter(function(i){return i.naturalWidth>0;}).length+' network_requests='+performance.getEntriesByType('resource').filter(function(r){return /^https?:/.test(r.name);}).length;document.body.appendChild(p);});</script>"; } >"$tmp/study/checked.html"
    browse --virtual-time-budget=10000 --dump-dom "file://$tmp/study/checked.html" >"$tmp/study-dom.html"
    width=$(value "$tmp/study-dom.html" page_width); base=$(value "$tmp/study-dom.html" baseline_rows)
    best=$(value "$tmp/study-dom.html" best); maps=$(value "$tmp/study-dom.html" maps)
    drawn=$(value "$tmp/study-dom.html" maps_drawn); net=$(value "$tmp/study-dom.html" network_requests)
    [ "${width:-9999}" -le 1400 ] && ok || fail "study page $width px wide"
    [ "$base" = 1 ] && ok || fail "study page: $base baseline rows (one expected)"
    [ "${best:-0}" -gt 0 ] && ok || fail "study page: no best value marked"
    [ "${maps:-0}" -gt 0 ] && [ "$maps" = "$drawn" ] && ok || fail "study page: $drawn of $maps small maps drawn"
    [ "$net" = 0 ] && ok || fail "study page: $net network requests"
    echo "render: study page: $width px; $base baseline row; $best best values marked; $drawn of $maps small maps drawn"
    [ -n "${SHOTS:-}" ] && browse --force-device-scale-factor=0.6 --screenshot="$SHOTS/study.png" "file://$tmp/study/comparison.html" >/dev/null
else
    fail "the study wrote no comparison.html"
fi
echo "render: $checks checks passed, $fails failures ($(basename "$browser"))"
[ "$fails" -eq 0 ]
