#!/usr/bin/env bash
# Command-line checks of `clusterplan`: exit codes (0 ran, 2 bad input,
# 3 resource), no output file left behind on failure, outputs that read
# back, and the real Kenya exports when ../shared is present.
# Usage: tests/cli_test.sh PATH/TO/clusterplan
set -u
cp_bin=$1
good=tests/data/good
bad=tests/data/bad
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
checks=0
fails=0

# expect, contains, absent, equal, missing
. tests/cli_lib.sh

expect 0 "help" -- "$cp_bin" --help
expect 0 "version" -- "$cp_bin" --version
contains "$tmp/out" "clusterplan" "version text"
expect 2 "no command" -- "$cp_bin"
expect 2 "unknown command" -- "$cp_bin" frobnicate
expect 2 "unknown option" -- "$cp_bin" evaluate $good/hand.xml --frob
expect 2 "option without value" -- "$cp_bin" evaluate $good/hand.xml -s
expect 2 "a distance with a unit" -- "$cp_bin" solve $good/hand.xml --distance-max 8km
contains "$tmp/err" '--distance-max "8km": expected a number of at least 0 (without a unit' "what a value must be, said"
contains "$tmp/err" "clusterplan solve --help lists its options" "a usage error points to the command's own help"
expect 2 "an admin level out of range" -- "$cp_bin" solve $good/hand.xml --admin-level 5
contains "$tmp/err" '--admin-level "5": expected a whole number from 0 to 4' "the allowed range said"

expect 0 "evaluate hand" -- "$cp_bin" evaluate $good/hand.xml $good/hand-solution.xml -s $good/hand-scenario.xml -o "$tmp/ev.xml"
contains "$tmp/out" "claimed objective 254, recomputed 254: match" "claims checked"
contains "$tmp/out" "capacity" "violations listed"
contains "$tmp/ev.xml" '<violation kind="distance" cluster="K1" school="C" value="10" limit="8"/>' "violation element"
contains "$tmp/ev.xml" '<cluster id="K1" centre="A" size="3" teachers="17" travel="45" max-distance="10">' "cluster element"
contains "$tmp/ev.xml" '<unassigned school="G" reason="no eligible centre within 8 units"/>' "unassigned element"
expect 0 "evaluate own output" -- "$cp_bin" evaluate $good/hand.xml "$tmp/ev.xml" -s $good/hand-scenario.xml
contains "$tmp/out" "claimed objective 254, recomputed 254: match" "round trip of claims"
expect 0 "validate solution" -- "$cp_bin" validate "$tmp/ev.xml" --instance $good/hand.xml
expect 0 "evaluate existing" -- "$cp_bin" evaluate $good/hand.xml --existing
contains "$tmp/out" "layout existing" "existing layout named"
contains "$tmp/out" "distance to centre max                           10.000" "existing layout distances"
expect 0 "compare" -- "$cp_bin" compare $good/hand.xml $good/hand-solution.xml existing -s $good/hand-scenario.xml
contains "$tmp/out" "teacher-weighted travel" "compare table"
contains "$tmp/err" "likely coordinate error: school G" "compare says what validate would, as evaluate does"
cp $good/hand-solution.xml "$tmp/a-layout-with-a-long-name.xml"
expect 0 "compare, a long name" -- "$cp_bin" compare $good/hand.xml "$tmp/a-layout-with-a-long-name.xml" existing -s $good/hand-scenario.xml
contains "$tmp/out" " a-layout-with-a-long-name " "a column's name is not cut short (it read as another file)"

# one label in two admin units, kept apart by --existing-scope: distinct ids
# in every output, so the layout reads back
printf '<instance distance="euclidean"><school id="a" x="0" y="0" admin1="North" cluster="Central"/><school id="b" x="1" y="0" admin1="North" cluster="Central"/><school id="c" x="50" y="0" admin1="South" cluster="Central"/><school id="d" x="51" y="0" admin1="South" cluster="Central"/><school id="e" x="52" y="0" admin1="South" cluster="Lake"/></instance>' >"$tmp/scoped.xml"
expect 0 "an existing layout scoped by admin unit" -- "$cp_bin" evaluate "$tmp/scoped.xml" --existing --existing-scope 1 -o "$tmp/scoped-out.xml"
contains "$tmp/scoped-out.xml" '<cluster id="North/Central"' "a shared label qualified by its unit"
contains "$tmp/scoped-out.xml" '<cluster id="Lake"' "a label no other cluster has stays"
expect 2 "--existing-scope without the existing layout" -- "$cp_bin" evaluate "$tmp/scoped.xml" "$tmp/scoped-out.xml" --existing-scope 1
contains "$tmp/err" "--existing-scope 1 applies to the instance's own layout, and none is read" "the option that would change nothing is named"
expect 0 "the scoped layout reads back" -- "$cp_bin" evaluate "$tmp/scoped.xml" "$tmp/scoped-out.xml"
for f in hand.xml hand-scenario.xml network.xml matrix.xml layer.gml layer2.gml layer.kml projected.gml; do
    expect 0 "validate $f" -- "$cp_bin" validate $good/$f
done
printf '<instance><school id="a" lat="1" lon="1"/><school id="b" lat="1" lon="1"/><school id="c" lat="1" lon="1"/><school id="d" lat="1.01" lon="1"/><school id="e" lat="1.01" lon="1"/><school id="f" lat="1.02" lon="1"/></instance>' >"$tmp/shared.xml"
expect 0 "schools at one point" -- "$cp_bin" validate "$tmp/shared.xml"
contains "$tmp/err" "5 schools share an exact location with another school (distance 0), at 2 points" "every school at a shared point counted, the first one too"
expect 0 "clusters of schools at one point" -- "$cp_bin" solve "$tmp/shared.xml" --size 3-6 --distance-max 5 -o "$tmp/shared.gpkg"
if command -v ogrinfo >/dev/null; then # 4 members, 3 at their centre's point: no line of length 0
    equal "$(ogrinfo -ro -so "$tmp/shared.gpkg" links 2>/dev/null | sed -n 's/Feature Count: //p')" 1 "links only where a member is away from its centre"
fi
expect 0 "a layer without teacher counts" -- "$cp_bin" validate $good/layer.gml
contains "$tmp/err" "no school gives a teacher count" "no teacher counts: said, with what it means for teacher-km"
expect 0 "a file with teacher counts" -- "$cp_bin" validate $good/hand.xml
equal "$(grep -c 'teacher count' "$tmp/err")" 0 "teacher counts given: no warning"
expect 2 "validate contradiction" -- "$cp_bin" validate $good/hand.xml -s "$tmp/scen.xml"
printf '<scenario><clusters count="5"/><size min="3" max="7"/></scenario>' >"$tmp/scen.xml"
expect 2 "validate count x min > n" -- "$cp_bin" validate $good/hand.xml -s "$tmp/scen.xml"
contains "$tmp/err" "needs 15 schools" "contradiction named"

for f in inst-bad-lat.xml inst-xxe.xml inst-billion-laughs.xml inst-empty.xml scen-min-gt-max.xml; do
    expect 2 "validate bad $f" -- "$cp_bin" validate $bad/$f
done
expect 2 "bad instance writes nothing" -- "$cp_bin" evaluate $bad/inst-bad-lat.xml --existing -o "$tmp/none.xml"
absent "$tmp/none.xml" "output after bad input"
expect 2 "bad layout writes nothing" -- "$cp_bin" evaluate $good/hand.xml $bad/sol-unknown-school.xml -o "$tmp/none.xml"
absent "$tmp/none.xml" "output after bad layout"
contains "$tmp/err" 'sol-unknown-school.xml:5: <member> school="Z"' "error names file, line, element, attribute"
sed '0,/<cluster id="\([^"]*\)" centre=/s//<cluster id="\1" center=/' $good/hand-solution.xml >"$tmp/center.xml"
expect 2 "a solution's misspelt attribute (center)" -- "$cp_bin" evaluate $good/hand.xml "$tmp/center.xml"
contains "$tmp/err" 'center.xml:3: <cluster> center="' "the misspelt attribute is named, not read as a cluster without a centre"
expect 2 "missing file" -- "$cp_bin" evaluate $good/nope.xml --existing
expect 2 "unsupported output" -- "$cp_bin" evaluate $good/hand.xml --existing -o "$tmp/x.docx"
absent "$tmp/x.docx" "unsupported output"
expect 2 "an output folder that does not exist, before the solve" -- "$cp_bin" solve $good/hand.xml -s $good/hand-scenario.xml -o "$tmp/nodir/x.xml"
contains "$tmp/err" "-o $tmp/nodir/x.xml: the folder $tmp/nodir does not exist: nothing written" "missing output folder named"
equal "$(cat "$tmp/out")" "" "a missing output folder: no solve ran before the error"

# hostile XML generated on the fly: deep nesting, a 20 MB attribute, and a
# 2 GB text node streamed through a FIFO: refused at once, memory bounded
awk 'BEGIN { printf "<instance>";
    for (i = 0; i < 100000; i++) printf "<a>"; for (i = 0; i < 100000; i++) printf "</a>";
    print "</instance>" }' >"$tmp/deep.xml"
expect 2 "100,000 nested elements" -- "$cp_bin" validate "$tmp/deep.xml"
contains "$tmp/err" "deep.xml:1: <a>: unknown element" "deep nesting refused at its first element"
awk 'BEGIN { printf "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document>";
    for (i = 0; i < 100000; i++) printf "<Folder>"; for (i = 0; i < 100000; i++) printf "</Folder>";
    print "</Document></kml>" }' >"$tmp/deep.kml"
expect 2 "100,000 nested KML folders (through GDAL)" -- "$cp_bin" validate "$tmp/deep.kml"
contains "$tmp/err" "deep.kml" "deep KML: the file named"
{ printf '<instance><school id="S1" lat="1" lon="1" name="'; head -c 20000000 /dev/zero | tr '\0' x; printf '"/></instance>'; } >"$tmp/hugeattr.xml"
expect 2 "20 MB attribute value" -- "$cp_bin" validate "$tmp/hugeattr.xml"
bounded() { case "$cp_bin" in *asan*) "$@" ;; *) (ulimit -v 500000; "$@") ;; esac; } # 500 MB
mkfifo "$tmp/fifo"
( printf '<instance><school id="a" lat="1" lon="1">'; head -c 2200000000 /dev/zero | tr '\0' a; printf '</school></instance>' ) >"$tmp/fifo" 2>/dev/null &
feeder=$!
expect 2 "2 GB text node (memory bounded)" -- bounded "$cp_bin" evaluate "$tmp/fifo" --existing
contains "$tmp/err" "huge text node" "text node refused"
kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null

if [ -w /dev/full ]; then
    expect 3 "disk full" -- "$cp_bin" evaluate $good/hand.xml --existing -o /dev/full
fi
mkdir -p "$tmp/ro" && chmod 500 "$tmp/ro"
if [ "$(id -u)" -ne 0 ]; then
    expect 2 "unwritable directory (a usage error, checked before any work)" -- "$cp_bin" evaluate $good/hand.xml --existing -o "$tmp/ro/out.xml"
    contains "$tmp/err" "the folder $tmp/ro is not writable" "unwritable folder named"
    absent "$tmp/ro/out.xml" "unwritable directory"
fi
expect 2 "missing directory (a usage error)" -- "$cp_bin" evaluate $good/hand.xml --existing -o "$tmp/no/such/dir/out.xml"

expect 0 "solve demo" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/s2.xml" --threads 2
contains "$tmp/out" "status optimal" "demo solved to optimality"
contains "$tmp/s2.xml" 'reason="distance rule: only 1 other school within 6 km: a cluster needs 3"' "diagnosed reason written"
expect 0 "evaluate solved" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/s2.xml" -s instances/base.xml
contains "$tmp/out" "violations: none" "solution has no violation"
contains "$tmp/out" "recomputed" "claims recomputed"
checks=$((checks + 1))
if grep -q "MISMATCH" "$tmp/out"; then fails=$((fails + 1)); echo "cli: FAIL solver claims differ from evaluate"; fi
expect 0 "solve one thread" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/s1.xml" --threads 1
same_but_timing "$tmp/s1.xml" "$tmp/s2.xml" "solve output differs between 1 and 2 threads"
# the heuristic tier: the demo's proven optimum, a clean re-evaluation, and
# the same bytes on 1 and 2 threads for a 3,000-school synthetic country
expect 0 "solve heuristic" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --method heuristic -o "$tmp/h.xml"
contains "$tmp/out" "objective (cost) 14965.3" "heuristic reaches the demo's cost optimum"
expect 0 "solve heuristic, travel" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --method heuristic --objective travel
contains "$tmp/out" "objective (travel) 1938.01" "heuristic reaches the demo's travel optimum"
contains "$tmp/h.xml" 'method="heuristic"' "heuristic named in the solution"
expect 0 "evaluate heuristic" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/h.xml" -s instances/base.xml
contains "$tmp/out" "violations: none" "heuristic layout has no violation"
# A required centre that cannot head a cluster (KLF003: only 2 schools can
# join it under the base rules): infeasible with the reason, on every
# method, exit 0 (it ran); never "feasible" with a violation.
sed 's/id="KLF003" \(.*\)host="true"/id="KLF003" \1host="true" centre="required"/' \
    instances/kilifi-demo.xml >"$tmp/klf-required.xml"
for method in milp heuristic auto; do
    expect 0 "required centre, $method" -- "$cp_bin" solve "$tmp/klf-required.xml" -s instances/base.xml --method $method -o "$tmp/req-$method.xml"
    contains "$tmp/out" "status infeasible" "required centre, $method: infeasible"
    contains "$tmp/out" 'infeasible: school KLF003: centre="required" cannot be honoured' "required centre, $method: reason printed"
    contains "$tmp/req-$method.xml" 'status="infeasible"' "required centre, $method: status in the file"
    contains "$tmp/req-$method.xml" '<unassigned school="KLF003" reason="centre=&quot;required&quot; cannot be honoured: no cluster of 3..7 schools within the rules can be formed around it (2 schools can join it, itself included)"/>' "required centre, $method: reason in the file"
done
# A solve whose layout does not re-evaluate to its claims (the settings'
# test hook adds 1 to the claimed objective): internal error, exit 3, no file.
expect 3 "planted re-evaluation mismatch" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --test-plant-mismatch -o "$tmp/mismatch.xml" -o "$tmp/mismatch.html"
contains "$tmp/err" "internal error: the optimal layout does not re-evaluate to its claims" "mismatch named"
absent "$tmp/mismatch.xml" "mismatch: no solution written"
absent "$tmp/mismatch.html" "mismatch: no report written"
# The scenario's rules from the command line, each overriding the file
expect 2 "--size with min above max" -- "$cp_bin" solve instances/kilifi-demo.xml --size 5-3 -o "$tmp/sz.xml"
contains "$tmp/err" "--size 5-3: expected MIN-MAX" "--size named"
absent "$tmp/sz.xml" "bad --size: nothing written"
expect 0 "--size, --distance-max over the scenario" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --size 3-4 --distance-max 5 -o "$tmp/sz.xml"
checks=$((checks + 1))
awk -F'"' '/<cluster / { for (k = 1; k < NF; k++) { if ($k ~ / size=$/ && $(k+1) > 4) bad = 1;
    if ($k ~ / max-distance=$/ && $(k+1) > 5) bad = 1 } } END { exit bad }' "$tmp/sz.xml" ||
    { fails=$((fails + 1)); echo "cli: FAIL --size 3-4 --distance-max 5 not kept"; }
expect 0 "--where on a native instance" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --where "admin2=Kilifi South" -o "$tmp/wh.xml"
contains "$tmp/out" "of 9 schools assigned" "--where keeps one sub-county's 9 schools"
contains "$tmp/wh.xml" 'where="admin2=Kilifi South"' "the solution records the schools it was made for"
expect 0 "a sub-county's layout evaluated on the whole instance" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/wh.xml" -s instances/base.xml
contains "$tmp/err" "was made for the schools where admin2=Kilifi South, but this run reads every school" "a layout read for other schools than its own: said"
expect 0 "the same layout with its own --where" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/wh.xml" -s instances/base.xml --where "admin2=kilifi south"
equal "$(grep -c 'was made for the schools' "$tmp/err")" 0 "the same schools: no warning"
expect 0 "two conditions, given in another order" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --where admin1=Kilifi --where "admin2=Kilifi South" -o "$tmp/wh4.xml"
expect 0 "the layout read with its conditions in another order" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/wh4.xml" -s instances/base.xml --where "admin2=Kilifi South" --where admin1=Kilifi
equal "$(grep -c 'was made for the schools' "$tmp/err")" 0 "the same conditions in another order: no warning"
expect 2 "a time with a unit" -- "$cp_bin" solve $good/hand.xml --time-limit 30s
equal "$(grep -c 'km for a GIS layer' "$tmp/err")" 0 "a time limit is not told to be in km"
expect 0 "--where ignores case on a native instance" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --where "admin2=KILIFI south" -o "$tmp/wh3.xml"
contains "$tmp/out" "of 9 schools assigned" "--where KILIFI south keeps the same 9 schools"
expect 2 "--where on a field a native school lacks" -- "$cp_bin" solve instances/kilifi-demo.xml --where county=Kilifi -o "$tmp/wh2.xml"
contains "$tmp/err" 'have no field "county" (admin1..admin4' "--where field named"
expect 2 "--where that no school meets" -- "$cp_bin" solve instances/kilifi-demo.xml --where admin1=Mombasa -o "$tmp/wh2.xml"
contains "$tmp/err" "instances/kilifi-demo.xml: --where admin1=Mombasa: no school has it" "--where: none left"
expect 2 "a misspelt second --where" -- "$cp_bin" solve instances/kilifi-demo.xml --where admin1=Kilifi --where "admin2=Kilifi Southh" -o "$tmp/wh2.xml"
contains "$tmp/err" '--where admin2=Kilifi Southh: no school has it' "the misspelt condition is the one named"
expect 2 "two --where no school meets at once" -- "$cp_bin" solve instances/kilifi-demo.xml --where "admin2=Kilifi South" --where admin2=Ganze -o "$tmp/wh2.xml"
contains "$tmp/err" 'no school meets every --where condition at once (admin2=Kilifi South alone: 9; admin2=Ganze alone: ' "each condition's count is given"
absent "$tmp/wh2.xml" "--where refused: nothing written"
expect 2 "--where without =" -- "$cp_bin" solve instances/kilifi-demo.xml --where Kilifi
expect 0 "<where> in a scenario file" -- "$cp_bin" solve instances/kilifi-demo.xml -s $good/where-scenario.xml
contains "$tmp/out" "of 9 schools assigned" "<where> in a scenario keeps the sub-county"
expect 0 "<where> in a study" -- "$cp_bin" batch $good/study-where.xml -o "$tmp/study-where"
contains "$(ls "$tmp"/study-where/runs/*/solution.xml | head -1)" 'assigned="7" unassigned="2"' "<where> in a study keeps the sub-county"
expect 0 "no distance limit is warned about" -- "$cp_bin" solve instances/kilifi-demo.xml -o "$tmp/nl.xml"
contains "$tmp/err" "no distance limit (scenario <distance max=" "no limit: warned"
contains "$tmp/err" "km from its centre" "no limit: the farthest member named"

# Issue 23, one check per case.  The annual cost as the objective: larger
# clusters and a lower annual cost than the travel objective, both
# re-evaluated by evaluate with their claims matching.
stipend=tests/data/good/stipend-scenario.xml
for o in travel cost; do
    expect 0 "objective $o" -- "$cp_bin" solve instances/kilifi-demo.xml -s $stipend --objective $o -o "$tmp/obj-$o.xml"
    cp "$tmp/out" "$tmp/obj-$o.out"
    expect 0 "objective $o re-evaluated" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/obj-$o.xml" -s $stipend --objective $o
    contains "$tmp/out" "recomputed" "objective $o: claims recomputed"
    checks=$((checks + 1))
    if grep -q MISMATCH "$tmp/out"; then fails=$((fails + 1)); echo "cli: FAIL objective $o: evaluate differs"; fi
done
contains "$tmp/obj-cost.out" "objective (cost) 192164" "cost objective: the annual cost minimised"
contains "$tmp/obj-cost.out" "annual cost 192164 KES = travel 12164 (9 meetings x 2 x 0.3 per km x 2252.6 teacher-km) + host stipends 180000 (9 meetings x 2000 x 10 clusters)" "cost objective: travel plus stipends in the currency"
contains "$tmp/obj-travel.out" "annual cost 209230 KES" "travel objective: its annual cost stated too"
contains "$tmp/obj-cost.xml" 'objective-kind="cost" currency="KES"' "cost objective named in the solution"
contains "$tmp/obj-travel.xml" 'clusters="11"' "travel objective: 11 clusters"
contains "$tmp/obj-cost.xml" 'clusters="10"' "cost objective: 10 larger clusters"
expect 0 "cost is the default with <costs>" -- "$cp_bin" solve instances/kilifi-demo.xml -s $stipend
contains "$tmp/out" "objective (cost)" "cost is the default with <costs>"
expect 2 "cost objective without <costs>" -- "$cp_bin" solve instances/kilifi-demo.xml --objective cost -o "$tmp/nocost.xml"
contains "$tmp/err" "objective cost: the annual cost needs <costs" "cost without <costs>: named"
absent "$tmp/nocost.xml" "cost without <costs>: nothing written"
expect 2 "--objective misspelt" -- "$cp_bin" solve instances/kilifi-demo.xml --objective money
contains "$tmp/err" "--objective money: expected travel or cost" "--objective misspelt: named"
sed 's/currency="KES"/currency="&lt;b&gt;"/' $stipend >"$tmp/bad-currency.xml"
expect 2 "a currency with markup" -- "$cp_bin" solve instances/kilifi-demo.xml -s "$tmp/bad-currency.xml"
contains "$tmp/err" 'currency' "a currency with markup: named"

# Reasons that name the binding rule and count, grouped in the summary.
expect 0 "reasons: zone-stranded" -- "$cp_bin" solve tests/data/edge/zone-stranded.xml --admin-level 2 --distance-max 10 -o "$tmp/zs.xml" -o "$tmp/zs.html"
contains "$tmp/zs.xml" 'school="B1" reason="admin rule: its admin2 unit B has 1 school, fewer than the minimum of 3"' "reason: unit too small"
contains "$tmp/zs.xml" 'school="C1" reason="admin rule: 5 schools within 10 km, none in its admin2 unit C"' "reason: none in its unit, with the count"
contains "$tmp/zs.xml" 'school="C2" reason="distance rule: only 1 other school within 10 km: a cluster needs 3"' "reason: too few within the limit"
contains "$tmp/out" "unassigned by rule (4 schools):" "reasons grouped in the summary"
contains "$tmp/out" "      2  admin rule, e.g. B1" "reasons grouped by rule with counts"
contains "$tmp/zs.html" "rule that keeps them out" "reasons grouped in the report"
expect 0 "reasons: no eligible centre" -- "$cp_bin" solve tests/data/edge/zone-stranded.xml --distance-max 10 --min-quality 0.5 -o "$tmp/zq.xml"
contains "$tmp/zq.xml" 'reason="centre rule: none of the 6 schools within 10 km (itself included) can be a centre: 6 below min-quality 0.5 (6 have no quality value)"' "reason: no eligible centre, with the quality count"

sed 's/<school id="A1" /<school id="A1" host="false" teachers="5" /' tests/data/edge/zone-stranded.xml >"$tmp/cap.xml"
expect 0 "reasons: capacity with every centre" -- "$cp_bin" solve "$tmp/cap.xml" --distance-max 10 --capacity 5.5 -o "$tmp/cap-out.xml"
contains "$tmp/cap-out.xml" 'school="A1" reason="capacity rule: its 5 teachers with those of any of the 5 eligible centres within 10 km exceed the capacity of 5.5 per cluster"' "reason: capacity names the centres it cannot join"

# Likely coordinate errors: warned, listed in the report, kept in the model.
sed 's/id="KLF010" \(.*\)lat="-3.[0-9]*"/id="KLF010" \1lat="0.35000"/' instances/kilifi-demo.xml >"$tmp/misplaced.xml"
expect 0 "a misplaced school" -- "$cp_bin" solve "$tmp/misplaced.xml" -s instances/base.xml -o "$tmp/mis.html" -o "$tmp/mis.xml"
contains "$tmp/err" "likely coordinate error: school KLF010" "misplaced school warned"
contains "$tmp/mis.html" "Likely coordinate errors (1)" "misplaced school listed in the report"
contains "$tmp/mis.xml" 'school="KLF010"' "misplaced school kept in the solution"
expect 0 "validate names it too" -- "$cp_bin" validate "$tmp/misplaced.xml"
contains "$tmp/err" "likely coordinate error: school KLF010" "validate: misplaced school warned"
expect 0 "the demo has none" -- "$cp_bin" validate instances/kilifi-demo.xml
checks=$((checks + 1))
if grep -q "likely coordinate error" "$tmp/err"; then fails=$((fails + 1)); echo "cli: FAIL demo: a false coordinate error"; fi

# Each command's own help: every option with its unit and default.
expect 0 "solve --help" -- "$cp_bin" solve --help
contains "$tmp/out" "usage: clusterplan solve" "solve --help: its usage"
contains "$tmp/out" "--distance-max KM        member-to-centre limit, in km" "solve --help: a unit"
contains "$tmp/out" "--objective KIND" "solve --help: the objective"
contains "$tmp/out" "default: cost when the scenario has <costs>" "solve --help: a default"
expect 0 "rank --help" -- "$cp_bin" rank --help
checks=$((checks + 1))
if grep -q -- "--distance-max" "$tmp/out"; then fails=$((fails + 1)); echo "cli: FAIL rank --help lists solve's options"; fi
contains "$tmp/out" "--verify RANKING.xml" "rank --help: its own option"

# Progress on a terminal: the phases, and a bar counted in schools that
# ends at every school of the parts the summary counts.
if command -v script >/dev/null 2>&1; then
    script -qc "$cp_bin solve instances/kilifi-demo.xml -s instances/base.xml -o $tmp/pg.xml" /dev/null >"$tmp/progress" 2>&1
    tr '\r' '\n' <"$tmp/progress" >"$tmp/progress.lines"
    contains "$tmp/progress.lines" "solve: reading instances/kilifi-demo.xml" "progress: reading"
    contains "$tmp/progress.lines" "solve: pairs" "progress: pairs"
    contains "$tmp/progress.lines" "solve: parts, 33 of 33 schools (100%), 4 of 4 parts" "progress: every part the summary counts"
    contains "$tmp/progress.lines" "solve: writing the outputs" "progress: writing"
else
    missing "script (bsdutils): the progress line on a terminal"
fi
expect 0 "generate 3000" -- "$cp_bin" generate --schools 3000 --seed 11 -o "$tmp/g3k.xml"
for t in 1 2; do
    expect 0 "heuristic $t threads" -- "$cp_bin" solve "$tmp/g3k.xml" -s instances/base.xml --method heuristic --effort quick --threads $t -o "$tmp/gh$t.xml"
done
same_but_timing "$tmp/gh1.xml" "$tmp/gh2.xml" "heuristic output differs between 1 and 2 threads"
expect 0 "heuristic 2 threads again" -- "$cp_bin" solve "$tmp/g3k.xml" -s instances/base.xml --method heuristic --effort quick --threads 2 -o "$tmp/gh2b.xml"
checks=$((checks + 1))
if ! diff <(sed 's/ seconds="[^"]*"//' "$tmp/gh2.xml") <(sed 's/ seconds="[^"]*"//' "$tmp/gh2b.xml") >/dev/null; then
    fails=$((fails + 1)); echo "cli: FAIL heuristic output differs between two identical runs"
fi
expect 0 "evaluate heuristic 3000" -- "$cp_bin" evaluate "$tmp/g3k.xml" "$tmp/gh2.xml" -s instances/base.xml
contains "$tmp/out" "violations: none" "heuristic 3000 layout has no violation"
# --effort scales the step budget: 0 is construction and descent only (a
# clean layout, no better than the quick search's above);
# the same budget in a scenario file; a negative effort is refused
expect 0 "heuristic effort 0" -- "$cp_bin" solve "$tmp/g3k.xml" -s instances/base.xml --method heuristic --effort 0 -o "$tmp/ge0.xml"
expect 0 "evaluate effort 0" -- "$cp_bin" evaluate "$tmp/g3k.xml" "$tmp/ge0.xml" -s instances/base.xml
contains "$tmp/out" "violations: none" "effort 0 layout has no violation"
objective_of() { sed -n 's/.*<solution[^>]* objective="\([^"]*\)".*/\1/p' "$1" | head -1; }
checks=$((checks + 1))
if ! awk -v a="$(objective_of "$tmp/ge0.xml")" -v b="$(objective_of "$tmp/gh2.xml")" 'BEGIN { exit !(a + 0 > b + 0) }'; then
    fails=$((fails + 1)); echo "cli: FAIL effort 0 should cost more than the quick search"
fi
sed 's|<scenario name="base">|<scenario name="base"><solver effort="0"/>|' instances/base.xml >"$tmp/effort0.xml"
expect 0 "effort in a scenario" -- "$cp_bin" solve "$tmp/g3k.xml" -s "$tmp/effort0.xml" --method heuristic -o "$tmp/ge0s.xml"
checks=$((checks + 1))
if ! diff <(sed 's/ seconds="[^"]*"//' "$tmp/ge0.xml") <(sed 's/ seconds="[^"]*"//' "$tmp/ge0s.xml") >/dev/null; then
    fails=$((fails + 1)); echo "cli: FAIL <solver effort> and --effort differ"
fi
expect 2 "negative effort" -- "$cp_bin" solve "$tmp/g3k.xml" --effort -1 -o "$tmp/none.xml"
# A time limit that fires before the MILP has any layout proves nothing
# infeasible: a fixed count it could not meet yet leaves the status
# time-limit (it said "infeasible")
expect 0 "milp cut before any layout" -- "$cp_bin" solve "$tmp/g3k.xml" -s instances/base.xml --method milp --clusters 400 --time-limit 0.001 -o "$tmp/cut.xml"
contains "$tmp/cut.xml" 'status="time-limit"' "a limit before any layout is time-limit"
# A part the MILP has no layout for when the guard fires gets the search's
# construction and one descent: its schools were left unassigned ("no
# solution for its part within the time limit"), 800 of 800 here
"$cp_bin" generate --schools 800 --seed 7 -o "$tmp/g800.xml" >/dev/null
expect 0 "milp guard before a part's first layout" -- "$cp_bin" solve "$tmp/g800.xml" --method milp --time-limit 0.05 -o "$tmp/g800-cut.xml"
contains "$tmp/g800-cut.xml" 'status="time-limit"' "the part cut by the guard says time-limit"
contains "$tmp/g800-cut.xml" 'assigned="800" unassigned="0"' "and its schools have the search's layout"
# issue 27: where a capacity binds, the repair windows run in batches side
# by side (heur_window.c); a batch stops at the first window that improves
# and the next starts after it, so the layout is that of the windows one
# after the other, the same on 1 and 2 threads.  Here 7 windows improve,
# some past the head of their batch (12 of the 18 clusters end at the
# capacity); about 4 s a solve
"$cp_bin" generate --schools 300 --seed 5 -o "$tmp/g300.xml" >/dev/null
for t in 1 2; do
    expect 0 "capacitated windows, $t threads" -- "$cp_bin" solve "$tmp/g300.xml" --capacity 100 --size 3-20 \
        --distance-max 30 --clusters 18 --effort quick --method heuristic --threads $t -o "$tmp/gcap$t.xml"
done
same_but_timing "$tmp/gcap1.xml" "$tmp/gcap2.xml" "capacitated layout differs between 1 and 2 threads"
contains "$tmp/gcap2.xml" 'teachers="100"' "capacitated: the capacity binds"
expect 0 "evaluate capacitated" -- "$cp_bin" evaluate "$tmp/g300.xml" "$tmp/gcap2.xml" --capacity 100 --size 3-20 --distance-max 30 --clusters 18
contains "$tmp/out" "violations: none" "capacitated layout has no violation"
# issue 27: effort by name (quick = 0.25, thorough = 4) on the command line
# and in <solver effort>; a misspelt name is refused, naming it; --anytime
# needs a time limit, and says when it used one that the layout depends on it
expect 0 "effort quick" -- "$cp_bin" solve "$tmp/g3k.xml" -s instances/base.xml --method heuristic --effort quick -o "$tmp/gq.xml"
expect 0 "effort 0.25" -- "$cp_bin" solve "$tmp/g3k.xml" -s instances/base.xml --method heuristic --effort 0.25 -o "$tmp/gq2.xml"
checks=$((checks + 1))
if ! diff <(sed 's/ seconds="[^"]*"//' "$tmp/gq.xml") <(sed 's/ seconds="[^"]*"//' "$tmp/gq2.xml") >/dev/null; then
    fails=$((fails + 1)); echo "cli: FAIL --effort quick is not 0.25"
fi
sed 's|<scenario name="base">|<scenario name="base"><solver effort="quick"/>|' instances/base.xml >"$tmp/effortq.xml"
expect 0 "effort name in a scenario" -- "$cp_bin" solve "$tmp/g3k.xml" -s "$tmp/effortq.xml" --method heuristic -o "$tmp/gq3.xml"
checks=$((checks + 1))
if ! diff <(sed 's/ seconds="[^"]*"//' "$tmp/gq.xml") <(sed 's/ seconds="[^"]*"//' "$tmp/gq3.xml") >/dev/null; then
    fails=$((fails + 1)); echo "cli: FAIL <solver effort=\"quick\"> and --effort quick differ"
fi
expect 2 "misspelt effort" -- "$cp_bin" solve "$tmp/g3k.xml" --effort thorogh -o "$tmp/none.xml"
contains "$tmp/err" 'effort "thorogh": expected quick, default, thorough' "misspelt effort named"
absent "$tmp/none.xml" "no output on a misspelt effort"
sed 's|<scenario name="base">|<scenario name="base"><solver effort="fast"/>|' instances/base.xml >"$tmp/effortbad.xml"
expect 2 "misspelt effort in a scenario" -- "$cp_bin" solve "$tmp/g3k.xml" -s "$tmp/effortbad.xml" -o "$tmp/none.xml"
contains "$tmp/err" "fast" "scenario's misspelt effort named"
expect 2 "anytime without a time limit" -- "$cp_bin" solve "$tmp/g3k.xml" -s instances/base.xml --anytime -o "$tmp/none.xml"
contains "$tmp/err" "anytime needs a time limit" "anytime's limit asked for"
expect 0 "anytime" -- "$cp_bin" solve $good/hand.xml -s $good/hand-scenario.xml --anytime --time-limit 1 -o "$tmp/any.xml"
contains "$tmp/err" "depends on the machine" "anytime says it is not reproducible"
expect 0 "evaluate anytime" -- "$cp_bin" evaluate $good/hand.xml "$tmp/any.xml" -s $good/hand-scenario.xml
# --bound-rounds changes the bound only: the same layout, and the same
# bound from the option and from <solver bound-rounds>; 0 is refused
expect 0 "bound rounds" -- "$cp_bin" solve "$tmp/g3k.xml" -s instances/base.xml --method heuristic --effort quick --threads 2 --bound-rounds 1200 -o "$tmp/gb.xml"
layout_only() { sed 's/ seconds="[^"]*"//; s/ bound="[^"]*"//; s/ gap="[^"]*"//; s/ status="[^"]*"//' "$1"; }
checks=$((checks + 1))
if ! diff <(layout_only "$tmp/gh2.xml") <(layout_only "$tmp/gb.xml") >/dev/null; then
    fails=$((fails + 1)); echo "cli: FAIL --bound-rounds changed the layout"
fi
sed 's|<scenario name="base">|<scenario name="base"><solver bound-rounds="1200"/>|' instances/base.xml >"$tmp/rounds.xml"
expect 0 "bound rounds in a scenario" -- "$cp_bin" solve "$tmp/g3k.xml" -s "$tmp/rounds.xml" --method heuristic --effort quick --threads 2 -o "$tmp/gbs.xml"
checks=$((checks + 1))
if ! diff <(sed 's/ seconds="[^"]*"//' "$tmp/gb.xml") <(sed 's/ seconds="[^"]*"//' "$tmp/gbs.xml") >/dev/null; then
    fails=$((fails + 1)); echo "cli: FAIL <solver bound-rounds> and --bound-rounds differ"
fi
expect 2 "zero bound rounds" -- "$cp_bin" solve "$tmp/g3k.xml" --bound-rounds 0 -o "$tmp/none.xml"
expect 0 "export lp" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --export-lp "$tmp/model.lp"
contains "$tmp/model.lp" "Subject To" "LP file written"
cp instances/kilifi-demo.xml "$tmp/kinput.xml"
expect 2 "--export-lp onto the instance" -- "$cp_bin" solve "$tmp/kinput.xml" -s instances/base.xml --export-lp "$tmp/kinput.xml"
cmp -s instances/kilifi-demo.xml "$tmp/kinput.xml"
equal $? 0 "the instance is not overwritten by the model"
expect 2 "--export-lp and -o the same file" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --export-lp "$tmp/both.xml" -o "$tmp/both.xml"
absent "$tmp/both.xml" "nothing written when the model and the solution would share a file"
expect 3 "--export-lp of a run that fails its check" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --export-lp "$tmp/failed.lp" --test-plant-mismatch
absent "$tmp/failed.lp" "no model left by a failed run"
absent "$tmp/.partial.failed.lp" "nor its temporary file"
expect 0 "--export-lp compressed" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --export-lp "$tmp/model.lp.gz" -o "$tmp/gz.xml"
gzip -t "$tmp/model.lp.gz"
equal $? 0 "a .gz model is compressed (GLPK reads the name it writes to)"
expect 0 "--export-lp to a device" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --export-lp /dev/stdout -o "$tmp/dev.xml"
contains "$tmp/out" "Subject To" "the model is written to the device itself"
cp instances/kilifi-demo.xml "$tmp/roads-input.geojson"
expect 2 "--export-lp over the road layer" -- "$cp_bin" solve instances/kilifi-demo.xml --roads "$tmp/roads-input.geojson" --export-lp "$tmp/roads-input.geojson"
expect 2 "outputs: the second cannot be written (KML of planar x/y)" -- "$cp_bin" solve $good/hand.xml -o "$tmp/pair.xml" -o "$tmp/pair.kml"
contains "$tmp/err" "pair.kml: KML output needs longitude/latitude" "the output that cannot be is named"
absent "$tmp/pair.xml" "the first output is not left alone (all or nothing)"
mkdir -p "$tmp/adir.xml"
expect 2 "-o naming a folder" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/first.xml" -o "$tmp/adir.xml"
absent "$tmp/first.xml" "nothing solved or written for a folder as output"
mkdir -p "$tmp/shpdir/x-clusters.shp"
expect 2 "a shapefile output whose clusters file is a folder" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/shpdir/plan.xml" -o "$tmp/shpdir/x.shp"
absent "$tmp/shpdir/plan.xml" "nothing solved or written when a sibling is a folder"
expect 0 "solve to a CSV" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/as-table.csv"
expect 2 "a CSV output read as a layout" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/as-table.csv"
contains "$tmp/err" "as-table.csv: not a solution file: a layout is read from the .xml that solve writes" "a table is not called malformed XML"
: >"$tmp/empty-layout.xml"
expect 2 "an empty layout file" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/empty-layout.xml"
contains "$tmp/err" "empty-layout.xml: the file is empty" "an empty file is called empty"
expect 2 "rank with its files swapped" -- "$cp_bin" rank instances/kilifi-rubric.xml instances/kilifi-candidates.xml
contains "$tmp/err" "are the files given in the right order?" "the swap is suggested, not libxml2's words"
expect 2 "--per-supervisor without --supervisors" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/as-table.csv" instances/kilifi-demo.xml --per-supervisor 3
contains "$tmp/err" "--per-supervisor 3 places supervisors, and none are asked for" "the option that would change nothing is named"
printf '<study name="t" foo="1"><instance id="k" path="%s/instances/kilifi-demo.xml"/></study>' "$PWD" >"$tmp/study-attr.xml"
expect 2 "an unknown attribute on <study>" -- "$cp_bin" validate "$tmp/study-attr.xml"
contains "$tmp/err" '<study> foo="1": unknown attribute' "the attribute is named"
printf '<study name="t"><instance id="k" path="%s/instances/kilifi-demo.xml"><roads path="nowhere.gpkg"/></instance></study>' "$PWD" >"$tmp/study-roads.xml"
expect 2 "a study's missing road layer, found before any run" -- "$cp_bin" validate "$tmp/study-roads.xml"
contains "$tmp/err" '<roads path="' "the road layer is named"
expect 0 "the cost objective with a cluster cost" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --cluster-cost 7 -o "$tmp/cc7.xml"
contains "$tmp/out" "is not this cost; it adds cluster-cost 7 per cluster)" "the objective's difference from the annual cost is explained"
expect 2 "compare: a .csv and an unknown extension" -- "$cp_bin" compare $good/hand.xml $good/hand-solution.xml existing -s $good/hand-scenario.xml -o "$tmp/cmp-pair.csv" -o "$tmp/cmp-pair.foo"
absent "$tmp/cmp-pair.csv" "compare writes all of its outputs or none"
test -s "$tmp/out"
equal $? 1 "no table printed before the refusal"
expect 2 "evaluate with a layout and --existing" -- "$cp_bin" evaluate $good/hand.xml $good/hand-solution.xml --existing
contains "$tmp/err" "a layout ($good/hand-solution.xml) and --existing: give one of them" "the ignored layout is named"
expect 2 "compare --existing" -- "$cp_bin" compare $good/hand.xml $good/hand-solution.xml --existing
contains "$tmp/err" "--existing does not apply to compare" "compare names 'existing' among its layouts instead"
# a CSV with a zone office's lon/lat beside the schools' own columns: the mapped ones are the points
printf 'id,lon,lat,school_lon,school_lat\nA,39.80,-3.60,39.800,-3.600\nB,39.80,-3.60,39.810,-3.600\nC,39.80,-3.60,39.800,-3.610\nD,39.80,-3.60,39.820,-3.610\n' >"$tmp/two-points.csv"
expect 0 "a CSV's mapped coordinate columns beside lon/lat" -- "$cp_bin" solve "$tmp/two-points.csv" --field lon=school_lon --field lat=school_lat -o "$tmp/two-points.xml"
grep -q "share an exact location" "$tmp/err"
equal $? 1 "the mapped columns are read, not the lon/lat the driver would find first"
contains "$tmp/two-points.xml" 'distance="1.1' "members at their own points"
expect 2 "--size with one number" -- "$cp_bin" solve instances/kilifi-demo.xml --size 5
contains "$tmp/err" "--size 5: expected MIN-MAX schools per cluster (for example 4-6; 5-5 for exactly 5)" "one number is not read as MIN and MAX"
expect 2 "--zones with one number" -- "$cp_bin" solve instances/kilifi-demo.xml --zones 3
contains "$tmp/err" "--zones 3: expected MIN-MAX clusters per zone" "one number is not read as MIN and MAX"
expect 0 "a flag given twice" -- "$cp_bin" validate instances/kilifi-demo.xml --quiet --quiet
expect 2 "batch with two -o" -- "$cp_bin" batch $good/study.xml -o "$tmp/two-a" -o "$tmp/two-b"
absent "$tmp/two-a" "no study run into the first folder alone"
expect 0 "generate to a device" -- "$cp_bin" generate --schools 3 -o /dev/stdout
contains "$tmp/out" "<instance" "the instance written to the device itself"
sed '0,/teachers="[0-9]*"/s//teachers="0"/' instances/kilifi-demo.xml >"$tmp/zero-teachers.xml"
expect 0 "a school with 0 teachers" -- "$cp_bin" validate "$tmp/zero-teachers.xml" -s instances/base.xml
grep -q "1 school has 0 teachers" "$tmp/out" "$tmp/err"
equal $? 0 "a school that weighs nothing in the travel is said"
expect 0 "solve for zones" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/for-zones.xml"
expect 0 "zones over a layout that breaks a capacity given here" -- "$cp_bin" zones instances/kilifi-demo.xml "$tmp/for-zones.xml" -s instances/base.xml --capacity 2 -o "$tmp/zoned.xml"
contains "$tmp/err" "the layout read breaks 10 rules of this scenario's clusters (10 capacity)" "the broken cluster rules are said"
expect 2 "a hexadecimal number" -- "$cp_bin" solve instances/kilifi-demo.xml --distance-max 0x10
sed '0,/teachers="[0-9]*"/s//teachers="0x1p3"/' instances/kilifi-demo.xml >"$tmp/hex-teachers.xml"
expect 2 "a hexadecimal teacher count" -- "$cp_bin" validate "$tmp/hex-teachers.xml"
contains "$tmp/err" 'teachers="0x1p3"' "the value read as a guess is named"
expect 2 "an EPSG code with trailing text" -- "$cp_bin" solve instances/kilifi-demo.xml --output-crs EPSG:32737junk -o "$tmp/junk.gpkg"
absent "$tmp/junk.gpkg" "nothing written under a CRS PROJ would have half read"
expect 2 "--speed without a road layer" -- "$cp_bin" solve instances/kilifi-demo.xml --speed primary=60
contains "$tmp/err" "speed of class primary asks for a road layer" "the speed that would be ignored is named"
printf '<scenario><objective quality-reward="-5"/></scenario>' >"$tmp/neg-reward.xml"
expect 2 "a negative quality reward" -- "$cp_bin" validate instances/kilifi-demo.xml -s "$tmp/neg-reward.xml"
printf '<scenario><zones min="2" max="4" distance="0"/></scenario>' >"$tmp/zone0.xml"
expect 2 "a zone distance of 0 (validate agrees with solve)" -- "$cp_bin" validate instances/kilifi-demo.xml -s "$tmp/zone0.xml"
contains "$tmp/err" "zone distance 0: expected a limit above 0 km from a cluster's centre to its zone centre's" "the zones' limit is named, not the members'"
expect 0 "--field on a native instance" -- "$cp_bin" validate instances/kilifi-demo.xml --field teachers=T
contains "$tmp/err" "--field (or <fields><field>) applies to GIS layers" "the mapping that changes nothing is said"
expect 2 "an option given twice" -- "$cp_bin" solve $good/hand.xml --distance-max 8 --distance-max=9
contains "$tmp/err" "--distance-max is given twice" "the repeated option is named"
expect 2 "-s given twice" -- "$cp_bin" solve $good/hand.xml -s $good/hand-scenario.xml --scenario instances/base.xml
expect 2 "--field mapping one field twice" -- "$cp_bin" validate $good/hand.xml --field teachers=a --field teachers=b
contains "$tmp/err" "the same teachers twice" "the field mapped twice is named"
printf '<scenario><fields><field name="teachers" column="T1"/><field name="teachers" column="T2"/></fields></scenario>' >"$tmp/twice-field.xml"
expect 2 "a scenario mapping one field twice" -- "$cp_bin" validate "$tmp/twice-field.xml"
contains "$tmp/err" 'twice-field.xml:1: <field> name="teachers": mapped twice in this file (to T1 and to T2)' "the file, the field and both columns are named"
expect 2 "generate to a GeoPackage" -- "$cp_bin" generate --schools 5 -o "$tmp/gen.gpkg"
absent "$tmp/gen.gpkg" "no XML written under a GeoPackage's name"
expect 2 "generate into a missing folder" -- "$cp_bin" generate --schools 5 -o "$tmp/nowhere/gen.xml"
contains "$tmp/err" "the folder $tmp/nowhere does not exist" "the missing folder is named before any work"

expect 0 "generate" -- "$cp_bin" generate --schools 2000 --seed 5 -o "$tmp/g1.xml"
expect 0 "generate again" -- "$cp_bin" generate --schools 2000 --seed 5 -o "$tmp/g2.xml"
checks=$((checks + 1))
cmp -s "$tmp/g1.xml" "$tmp/g2.xml" || { fails=$((fails + 1)); echo "cli: FAIL generate is not deterministic"; }
expect 0 "generate other seed" -- "$cp_bin" generate --schools 2000 --seed 6 -o "$tmp/g3.xml"
checks=$((checks + 1))
cmp -s "$tmp/g1.xml" "$tmp/g3.xml" && { fails=$((fails + 1)); echo "cli: FAIL generate ignores the seed"; }
expect 0 "generated instance validates" -- "$cp_bin" validate "$tmp/g1.xml"
contains "$tmp/out" "valid instance, 2000 schools, 0 roads, 0 od pairs, admin levels 3" "generated instance read back"
expect 0 "generated instance evaluates" -- "$cp_bin" evaluate "$tmp/g1.xml" --existing
expect 2 "generate without --schools" -- "$cp_bin" generate -o "$tmp/g4.xml"
absent "$tmp/g4.xml" "no output without --schools"

edge=tests/data/edge
expect 0 "edge: no schools" -- "$cp_bin" solve $edge/no-schools.xml -s $edge/limit-5.xml -o "$tmp/e.xml"
contains "$tmp/out" "status optimal; 0 clusters, 0 of 0 schools" "no schools solved"
expect 0 "edge: one school" -- "$cp_bin" solve $edge/one-school.xml -s $edge/limit-5.xml -o "$tmp/e.xml"
contains "$tmp/e.xml" 'reason="distance rule: no other school within 5 km: a cluster needs 3"' "one school explained"
expect 0 "edge: all isolated" -- "$cp_bin" solve $edge/all-isolated.xml -s $edge/limit-5.xml -o "$tmp/e.xml"
contains "$tmp/e.xml" 'unassigned="10"' "isolated schools unassigned"
expect 0 "edge: 40 schools on one point" -- "$cp_bin" solve $edge/one-point.xml -s $edge/limit-5.xml -o "$tmp/e.xml"
contains "$tmp/out" "40 of 40 schools assigned; objective (travel) 0, bound 0" "one point solved"

# GIS outputs, map and report: every format from one solve; GDAL reads
# each GIS file with the feature counts of the solution; names with & < > "
# and non-ASCII letters come back unchanged
expect 0 "solve to every format" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/k.xml" -o "$tmp/k.geojson" -o "$tmp/k.kml" -o "$tmp/k.gml" -o "$tmp/k.csv" -o "$tmp/k.svg" -o "$tmp/k.html" --quiet
checks=$((checks + 1)); [ -s "$tmp/k.xsd" ] || { fails=$((fails + 1)); echo "cli: FAIL gml schema not written beside the gml"; }
expect 2 "unknown output format" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/k.pdf"
absent "$tmp/k.pdf" "no pdf"
sol_attr() { sed -n "s/.*<solution[^>]* $1=\"\([^\"]*\)\".*/\1/p" "$2" | head -1; }
n_clusters=$(sol_attr clusters "$tmp/k.xml")
n_unassigned=$(sol_attr unassigned "$tmp/k.xml")
n_schools=$(grep -c '<school ' instances/kilifi-demo.xml)
n_members=$((n_schools - n_unassigned - n_clusters))
contains "$tmp/k.csv" 'X,Y,school_id,name,role,cluster,centre_id,distance' "csv header"
contains "$tmp/k.csvt" 'CoordX,CoordY,String,String,String,String,String,Real' "csv types"
contains "$tmp/k.prj" 'AUTHORITY["EPSG","4326"]' "csv CRS"
checks=$((checks + 1)); [ "$(($(wc -l <"$tmp/k.csv") - 1))" -eq "$n_schools" ] || { fails=$((fails + 1)); echo "cli: FAIL csv rows"; }
contains "$tmp/k.svg" "kilifi-demo: $n_clusters clusters, $((n_schools - n_unassigned)) of $n_schools schools placed" "svg title"
contains "$tmp/k.svg" "cluster centre: $n_clusters clusters<" "svg legend: clusters"
contains "$tmp/k.svg" "member school: $n_members<" "svg legend: members"
contains "$tmp/k.svg" "unassigned school: $n_unassigned<" "svg legend: unassigned"
contains "$tmp/k.html" 'window.CP_DATA=' "report: the interactive map's data"
checks=$((checks + 1)); grep -Eq 'src="https?:|<link[^>]*href="https?:|url\(["'"'"']?https?:|@import' "$tmp/k.html" && { fails=$((fails + 1)); echo "cli: FAIL the report fetches from the network"; }
"$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --basemap 'tile.example/{z}/{x}/{y}.png' -o "$tmp/bm.html" >/dev/null 2>"$tmp/bm.err"
equal_rc=$?; checks=$((checks + 1)); { [ "$equal_rc" = 2 ] && grep -q -- '--basemap tile.example' "$tmp/bm.err" && [ ! -e "$tmp/bm.html" ]; } || { fails=$((fails + 1)); echo "cli: FAIL --basemap without a scheme: exit $equal_rc"; }
"$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --basemap 'https://tile.openstreetmap.org/{z}/{x}/{y}.png' -o "$tmp/bm.html" --quiet
contains "$tmp/bm.html" 'basemap:"https://tile.openstreetmap.org/{z}/{x}/{y}.png"' "--basemap reaches the report"
contains "$tmp/k.html" '<table id="clusters" class="sortable">' "report cluster table"
contains "$tmp/k.html" "<svg " "report map"
expect 0 "solve names to escape" -- "$cp_bin" solve $good/escape.xml -s $good/escape-scenario.xml -o "$tmp/e.geojson" -o "$tmp/e.kml" -o "$tmp/e.gml" -o "$tmp/e.csv" -o "$tmp/e.svg" -o "$tmp/e.html" --quiet
contains "$tmp/e.csv" ',E1,"Shule ""Tumaini"" & <Annex>",' "csv quotes doubled"
contains "$tmp/e.geojson" '"name": "Shule \"Tumaini\" & <Annex>"' "json escapes quotes"
contains "$tmp/e.html" 'Shule &quot;Tumaini&quot; &amp; &lt;Annex&gt;' "html escapes"
contains "$tmp/e.kml" 'Shule &quot;Tumaini&quot; &amp; &lt;Annex&gt;' "kml escapes"
contains "$tmp/e.svg" '<title>E1 Shule &quot;Tumaini&quot; &amp; &lt;Annex&gt;: member of C1</title>' "svg escapes"
if command -v xmllint >/dev/null; then
    for f in e.svg e.kml e.gml e.xsd k.svg; do expect 0 "$f is well-formed XML" -- xmllint --noout "$tmp/$f"; done
else
    missing "xmllint (libxml2-utils): well-formedness checks"
fi
if command -v ogrinfo >/dev/null; then
    count() { ogrinfo -ro -so "$1" "$2" 2>/dev/null | sed -n 's/Feature Count: //p'; }
    for f in k.kml k.gml; do
        equal "$(count "$tmp/$f" centres)" "$n_clusters" "$f centres"
        equal "$(count "$tmp/$f" members)" "$n_members" "$f members"
        equal "$(count "$tmp/$f" unassigned)" "$n_unassigned" "$f unassigned"
        equal "$(count "$tmp/$f" links)" "$n_members" "$f links"
    done
    equal "$(count "$tmp/k.geojson" k)" "$n_schools" "geojson features (schools)"
    equal "$(count "$tmp/k-links.geojson" k-links)" "$n_members" "geojson links (sibling file)"
    equal "$(count "$tmp/k-clusters.geojson" k-clusters)" "$n_clusters" "geojson hulls (sibling file)"
    equal "$(ogrinfo -ro -so "$tmp/k.csv" k 2>/dev/null | sed -n 's/Feature Count: //p')" "$n_schools" "csv features"
    equal "$(ogrinfo -ro -so "$tmp/k.csv" k 2>/dev/null | sed -n 's/Geometry: //p')" "Point" "csv points"
    for f in e.geojson e.gml; do
        ogrinfo -ro -al "$tmp/$f" >"$tmp/names" 2>/dev/null
        contains "$tmp/names" 'name (String) = Shule "Tumaini" & <Annex>' "$f name read back"
        contains "$tmp/names" "name (String) = Ñairobi Académie, l'école" "$f non-ASCII read back"
    done
    ogrinfo -ro -al "$tmp/e.kml" >"$tmp/names" 2>/dev/null
    contains "$tmp/names" 'Name (String) = Shule "Tumaini" & <Annex>' "kml name read back"
    contains "$tmp/names" 'reason (String) = distance rule: ' "kml reason read back"
else
    missing "ogrinfo (gdal-bin): GDAL reads"
fi

expect 0 "compare to html and csv" -- "$cp_bin" compare instances/kilifi-demo.xml existing "$tmp/k.xml" -s instances/base.xml -o "$tmp/cmp.html" -o "$tmp/cmp.csv"
contains "$tmp/cmp.csv" '"existing","kilifi-demo","base",existing,"",evaluated' "compare csv: existing"
contains "$tmp/cmp.html" '<table id="comparison" class="sortable">' "compare html table"
contains "$tmp/cmp.html" "2 layouts, one row each (named by its file" "the compare page says its rows are layouts"
contains "$tmp/cmp.html" "distances in km" "the compare page names the distance unit"

# batch: a study with a failing run, unchanged runs skipped, shards + merge
expect 1 "batch study (a run fails: exit 1)" -- "$cp_bin" batch $good/study.xml -o "$tmp/study"
contains "$tmp/out" "8 runs in the study, 8 in this batch: 6 ran, 0 skipped (inputs unchanged), 2 failed" "batch counts"
equal "$(wc -l <"$tmp/study/comparison.csv")" 9 "comparison rows"
contains "$tmp/study/comparison.csv" '"kilifi--broken","kilifi","broken",optimised,"group-min=science=2",failed' "failed run recorded"
contains "$tmp/study/runs/kilifi--broken/error.txt" 'study group "science": no school of' "failure message kept"
contains "$tmp/study/comparison.csv" '"kilifi--size4-6","kilifi","size4-6",optimised,"size-min=4 size-max=6",optimal' "override run"
contains "$tmp/study/comparison.csv" '"kilifi--existing--base","kilifi","base",existing,"",evaluated' "existing layout benchmarked"
head -1 "$tmp/study/comparison.csv" | grep -q ',circuity,out_of_reach,objective_kind,currency,distance_unit,error$'
equal $? 0 "the comparison names each row's objective kind and currency"
contains "$tmp/study/comparison.csv" ',cost,"KES","km",' "a cost row says KES, and its distances km"
contains "$tmp/study/comparison.html" '<a href="runs/kilifi--base/solution.html">kilifi--base</a>' "report linked"
contains "$tmp/study/comparison.html" 'Kilifi &amp; friends' "study name escaped"
contains "$tmp/study/runs/kilifi--near/solution.geojson" '"FeatureCollection"' "run outputs written"
expect 1 "batch again (the failing runs fail again)" -- "$cp_bin" batch $good/study.xml -o "$tmp/study"
contains "$tmp/out" "0 ran, 6 skipped (inputs unchanged), 2 failed" "unchanged runs skipped"
expect 0 "batch shard 1/2" -- "$cp_bin" batch $good/study.xml -o "$tmp/shards" --shard 1/2
contains "$tmp/out" "4 in this shard" "shard share"
contains "$tmp/out" "4 runs have no result yet" "other shard missing"
# shards may run at once on a shared folder: none writes the comparison
absent "$tmp/shards/comparison.csv" "a shard wrote the comparison"
contains "$tmp/out" "not written by a shard" "a shard says who writes the comparison"
expect 1 "batch shard 2/2 (its failing runs)" -- "$cp_bin" batch $good/study.xml -o "$tmp/shards" --shard 2/2
expect 1 "batch merge (two rows failed)" -- "$cp_bin" batch $good/study.xml -o "$tmp/shards" --merge
contains "$tmp/out" "comparison rebuilt from the run folders" "merge says so"
checks=$((checks + 1)); if grep -q ',missing,' "$tmp/shards/comparison.csv"; then fails=$((fails + 1)); echo "cli: FAIL merge left runs missing"; fi
equal "$(cut -d, -f1-8 "$tmp/shards/comparison.csv")" "$(cut -d, -f1-8 "$tmp/study/comparison.csv")" "shards merge to the same table"
expect 2 "batch bad shard" -- "$cp_bin" batch $good/study.xml --shard 3/2
# a run redone (its inputs.sha256 gone) first drops its old summary and the
# temporaries a killed process left (SIGKILL while writing)
run=$tmp/study/runs/kilifi--base
rm "$run/inputs.sha256"
touch "$run/solution.xml.tmp.AbC123"
mkdir "$run/.solution.geojson.tmp.XyZ789" && touch "$run/.solution.geojson.tmp.XyZ789/solution.geojson"
expect 1 "batch redoes a run" -- "$cp_bin" batch $good/study.xml -o "$tmp/study"
contains "$tmp/out" "1 ran, 5 skipped" "only the run without inputs.sha256 redone"
absent "$run/solution.xml.tmp.AbC123" "a leftover temporary file kept"
absent "$run/.solution.geojson.tmp.XyZ789" "a leftover temporary folder kept"
# a run redone drops every old output, also of formats the study no longer
# asks for (the study page linked an 8 km report beside a 5 km solution)
mkdir -p "$tmp/fmt" && sed 's#\.\./\.\./\.\./#'"$PWD"'/#; s#formats="xml html geojson"#formats="xml html"#; /id="broken"/d' $good/study.xml >"$tmp/fmt/study.xml"
expect 0 "a study without failures exits 0" -- "$cp_bin" batch "$tmp/fmt/study.xml" -o "$tmp/fmt/out" --quiet
sed -i 's#formats="xml html"#formats="xml"#; s#distance-max="5"#distance-max="4"#' "$tmp/fmt/study.xml"
expect 1 "a merge after the study was edited" -- "$cp_bin" batch "$tmp/fmt/study.xml" -o "$tmp/fmt/out" --merge
contains "$tmp/out" "results were made from inputs edited since" "the edited study is said"
contains "$tmp/fmt/out/comparison.csv" "its inputs changed since it ran" "the edited study's rows are not shown as its results"
expect 0 "the edited study run" -- "$cp_bin" batch "$tmp/fmt/study.xml" -o "$tmp/fmt/out" --quiet
absent "$tmp/fmt/out/runs/kilifi--near/solution.html" "an old format's output left beside the new run"
# a row's differences are from the existing layout under its own scenario
# (measured the same way); without that run, none from another in its place
grep 'src="runs/kilifi--near/map.svg' "$tmp/fmt/out/comparison.html" | grep -q '<br><small>[+-]'
equal $? 0 "the near row shows differences from the existing layout under near"
mv "$tmp/fmt/out/runs/kilifi--existing--near" "$tmp/fmt/kept-existing"
expect 1 "a merge without the existing run under near" -- "$cp_bin" batch "$tmp/fmt/study.xml" -o "$tmp/fmt/out" --merge
grep 'src="runs/kilifi--near/map.svg' "$tmp/fmt/out/comparison.html" | grep -q '<br><small>[+-]'
equal $? 1 "no differences from another scenario's existing layout"
mv "$tmp/fmt/kept-existing" "$tmp/fmt/out/runs/kilifi--existing--near"
rm "$tmp/fmt/out/runs/kilifi--base/solution.xml"
expect 0 "a run whose output was deleted" -- "$cp_bin" batch "$tmp/fmt/study.xml" -o "$tmp/fmt/out"
contains "$tmp/out" "1 ran, 5 skipped" "the run without its output is redone, not skipped"
checks=$((checks + 1)); [ -s "$tmp/fmt/out/runs/kilifi--base/solution.xml" ] || { fails=$((fails + 1)); echo "cli: FAIL the deleted output is not written again"; }
expect 2 "-o naming a file" -- "$cp_bin" batch "$tmp/fmt/study.xml" -o "$tmp/fmt/study.xml"
contains "$tmp/err" "not a folder (-o names the study's output folder)" "-o on a file is bad input"
# what can be checked without the instance is checked before any run
sed 's#path="\.\./\.\./\.\./instances/base.xml" size-min#path="'"$PWD"'/instances/bse.xml" size-min#; s#\.\./\.\./\.\./#'"$PWD"'/#g' $good/study.xml >"$tmp/fmt/typo.xml"
expect 2 "a misspelt scenario path" -- "$cp_bin" batch "$tmp/fmt/typo.xml" -o "$tmp/fmt/typo"
contains "$tmp/err" "typo.xml: scenario size4-6: $PWD/instances/bse.xml: cannot open" "the study and its scenario are named"
absent "$tmp/fmt/typo/runs" "no run started before the study was checked"
expect 2 "validate the misspelt study" -- "$cp_bin" validate "$tmp/fmt/typo.xml"
expect 2 "batch --slurm of the misspelt study (nothing submitted)" -- "$cp_bin" batch "$tmp/fmt/typo.xml" -o "$tmp/fmt/typo" --slurm
contains "$tmp/err" "scenario size4-6: $PWD/instances/bse.xml: cannot open" "--slurm checks the study first"
expect 0 "validate a study" -- "$cp_bin" validate "$tmp/fmt/study.xml"
contains "$tmp/out" "valid study \"Kilifi & friends\": 1 instances, 3 scenarios, 6 runs" "validate counts the runs"
sed 's#existing="true"/>#existing="true"><field name="admn3" column="ward"/></instance>#' "$tmp/fmt/study.xml" >"$tmp/fmt/field.xml"
expect 2 "a misspelt <field> in a study's instance" -- "$cp_bin" validate "$tmp/fmt/field.xml"
contains "$tmp/err" 'field.xml: instance kilifi: <field> "admn3=ward": unknown field "admn3"' "the instance's <field> is named, not a --field"
sed 's#size-min="4" size-max="6"/>#size-min="8"/>#' "$tmp/fmt/study.xml" >"$tmp/fmt/size.xml"
expect 2 "size-min above the scenario file's max" -- "$cp_bin" batch "$tmp/fmt/size.xml" -o "$tmp/fmt/size"
contains "$tmp/err" "scenario size4-6: " "the run's scenario is named"
sed 's#<scenario id="base" path="\([^"]*\)"/>#<scenario id="base" path="\1"><solver method="milp"/></scenario>#' "$tmp/fmt/study.xml" >"$tmp/fmt/nested.xml"
expect 2 "a <solver> inside one scenario" -- "$cp_bin" validate "$tmp/fmt/nested.xml"
contains "$tmp/err" "inside <scenario>: <solver> belongs directly inside <study>" "the misplaced element is named"
sed 's#existing="true"/>#existing-scope="2"/>#' "$tmp/fmt/study.xml" >"$tmp/fmt/scope.xml"
expect 2 "existing-scope on an instance without its existing layout" -- "$cp_bin" validate "$tmp/fmt/scope.xml"
contains "$tmp/err" 'existing-scope="2": applies to the instance'"'"'s existing layout' "the scope that would change nothing is named"
mkdir -p "$tmp/inside/runs/k--base" && cp instances/kilifi-demo.xml "$tmp/inside/runs/k--base/kilifi.xml"
printf '<study name="t"><instance id="k" path="runs/k--base/kilifi.xml"/><scenario id="base" path="%s/instances/base.xml"/><outputs formats="xml"/></study>' "$PWD" >"$tmp/inside/study.xml"
expect 2 "a study whose instance lies in a run folder it would clear" -- "$cp_bin" batch "$tmp/inside/study.xml" -o "$tmp/inside"
contains "$tmp/err" "instance k: $tmp/inside/runs/k--base/kilifi.xml lies where -o $tmp/inside writes or clears its results" "the input at risk is named"
test -s "$tmp/inside/runs/k--base/kilifi.xml"; equal $? 0 "the instance is not deleted"
sed 's#<solver method="heuristic" seed="3"/>#<solver method="heuristic" seed="3"/><solver seed="4"/>#' "$tmp/fmt/study.xml" >"$tmp/fmt/solver2.xml"
expect 2 "a study's <solver> given twice" -- "$cp_bin" validate "$tmp/fmt/solver2.xml"
contains "$tmp/err" "<solver> given twice (first on line" "the repeated element is named with the first one's line"
sed 's#id="near"#id="existing--base"#' "$tmp/fmt/study.xml" >"$tmp/fmt/clash.xml"
expect 2 "a scenario id that names another run's folder" -- "$cp_bin" validate "$tmp/fmt/clash.xml"
contains "$tmp/err" 'ids may not hold "--"' "the clash is refused"

# an existing layout without a cluster column is no layout to score
sed 's/ cluster="[^"]*"//g' $good/hand.xml >"$tmp/no-clusters.xml"
expect 2 "evaluate --existing without clusters" -- "$cp_bin" evaluate "$tmp/no-clusters.xml" --existing -o "$tmp/none.xml"
contains "$tmp/err" "no school has a cluster attribute, so there is no official layout to evaluate" "the missing column is named"

expect 0 "a capacity no cluster fits" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --capacity 15 -o "$tmp/cap15.xml"
contains "$tmp/err" "capacity 15 teachers: even the 3 smallest schools teach 19 together, so no cluster of size min 3 fits" "the capacity that no cluster fits is said"

# scenario settings that cannot mean what they say: exit 2, named
sed 's#</scenario>#<zones min="2" max="4"><distance max="40"/></zones></scenario>#' instances/base.xml >"$tmp/sc-nested.xml"
expect 2 "a <distance> inside <zones>" -- "$cp_bin" solve instances/kilifi-demo.xml -s "$tmp/sc-nested.xml" -o "$tmp/none.xml"
contains "$tmp/err" "inside <zones>: <distance> belongs directly inside <scenario> (the zones' own limit is <zones distance=" "the misplaced limit is named"
sed 's#</scenario>#<fields><field name="teachers" column="TSC"/></fields><fields><field name="quality" column="Q"/></fields></scenario>#' instances/base.xml >"$tmp/sc-fields.xml"
expect 0 "two <fields> add up" -- "$cp_bin" validate "$tmp/sc-fields.xml"
sed 's# name="base"##; s#<distance max="10"/>#<distance max="9"/>#' instances/base.xml >"$tmp/sc-noname.xml"
expect 0 "evaluate under a scenario without a name" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/k.xml" -s "$tmp/sc-noname.xml"
contains "$tmp/err" "sc-noname.xml, a scenario without a name" "an unnamed scenario is not called no -s"
sed 's# name="base"##' instances/base.xml >"$tmp/sc-renamed.xml"
expect 0 "evaluate under the same rules in a file without a name" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/k.xml" -s "$tmp/sc-renamed.xml" -o "$tmp/k-renamed.xml"
grep -q "was made under" "$tmp/err"
equal $? 1 "the same rules under another name are not called other rules"
contains "$tmp/k-renamed.xml" 'status="' "its status stands"
expect 0 "solve with an 8 km limit" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --distance-max 8 -o "$tmp/k8.xml"
expect 0 "evaluate it under the file's 10 km" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/k8.xml" -s instances/base.xml -o "$tmp/k8-under10.xml"
contains "$tmp/err" 'k8.xml was made under scenario "base" with other rules than this run'"'"'s' "the option that changed a rule is caught under the same scenario name"
grep -q 'status="optimal"' "$tmp/k8-under10.xml"
equal $? 1 "its claim of optimality under 8 km is not carried over to 10 km"
expect 0 "zones over a layout solved under the same scenario" -- "$cp_bin" zones instances/kilifi-demo.xml "$tmp/k.xml" -s instances/base.xml --zones 2-4 -o "$tmp/k-zoned.xml"
grep -q "was made under" "$tmp/err"
equal $? 1 "the zones' own rules do not make the layout's rules other ones"
contains "$tmp/k-zoned.xml" 'status="optimal"' "the zoned layout keeps its status"
expect 0 "solve with no scenario and --distance-max 8" -- "$cp_bin" solve instances/kilifi-demo.xml --distance-max 8 -o "$tmp/n8.xml"
expect 0 "evaluate it with no scenario and no option" -- "$cp_bin" evaluate instances/kilifi-demo.xml "$tmp/n8.xml"
contains "$tmp/err" "was made under the default rules (no -s) with other rules than this run's" "no scenario file is asked for where none was given"
contains "$tmp/err" "give the same options to check them" "the advice fits"
sed 's#</scenario>#<distance max="10"/><distance max="5"/></scenario>#' instances/base.xml >"$tmp/sc-twice.xml"
expect 2 "a <distance> given twice" -- "$cp_bin" validate "$tmp/sc-twice.xml"
contains "$tmp/err" "given twice (also on line" "the repeated element is named"
sed 's# meetings-per-year="[0-9]*"##' instances/kenya-register.xml >"$tmp/sc-nomeet.xml"
grep -q meetings-per-year "$tmp/sc-nomeet.xml"
equal $? 1 "the register's scenario without meetings-per-year"
expect 2 "the cost objective without meetings" -- "$cp_bin" solve instances/kilifi-demo.xml -s "$tmp/sc-nomeet.xml" -o "$tmp/none.xml"
contains "$tmp/err" "meetings-per-year is 0 or missing: the annual cost of every layout would be 0" "a cost of 0 is refused"
expect 2 "a negative cluster cost" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --cluster-cost -1000 -o "$tmp/none.xml"
contains "$tmp/err" "cluster-cost -1000: expected 0 or more" "the negative cost is named"
expect 2 "--snap-max without a road layer" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --snap-max 3 -o "$tmp/none.xml"
contains "$tmp/err" "instances/base.xml with the command line's options: snap-max 3 km asks for a road layer" "the option is named as the command line's, not the file's"
expect 2 "a distance limit of 0" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --distance-max 0 -o "$tmp/none.xml"
contains "$tmp/err" "distance max 0: expected a limit above 0 km" "the zero limit is named"
expect 0 "an admin level the instance does not have" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --admin-level 3 -o "$tmp/adm3.xml"
contains "$tmp/err" "admin level 3 (--admin-level, <admin level>), but the instance has admin units only down to level 2: clusters are kept inside its admin2 units" "the deepest rule is kept, and said"
expect 0 "the same at level 2" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --admin-level 2 -o "$tmp/adm2.xml"
equal "$(grep -v '^<solution' "$tmp/adm3.xml")" "$(grep -v '^<solution' "$tmp/adm2.xml")" "level 3 on a 2-level instance keeps the level-2 rule, not none"
absent "$tmp/none.xml" "nothing written for a setting that cannot mean what it says"
# batch --slurm: its options are checked before anything is submitted (the
# submission itself: tests/slurm_check.sh, on a real Slurm)
expect 2 "batch: a --slurm option without --slurm" -- "$cp_bin" batch $good/study.xml --partition debug
expect 2 "batch --slurm with --shard" -- "$cp_bin" batch $good/study.xml --slurm --shard 1/2
expect 2 "batch --slurm with --threads" -- "$cp_bin" batch $good/study.xml --slurm --threads 2
expect 2 "batch --slurm --time in hours" -- "$cp_bin" batch $good/study.xml --slurm --time 2h
expect 2 "batch --slurm --mem unit" -- "$cp_bin" batch $good/study.xml --slurm --mem 4X
expect 2 "batch --slurm --sbatch-arg it sets itself" -- "$cp_bin" batch $good/study.xml --slurm --sbatch-arg=--array=1-9
expect 2 "batch --slurm --sbatch-arg not an option" -- "$cp_bin" batch $good/study.xml --slurm --sbatch-arg=account
expect 2 "batch --method (the study's <solver> decides)" -- "$cp_bin" batch $good/study.xml --method milp
contains "$tmp/err" "the study file sets every run's scenario and solver" "batch --method says why"
# An option the command would ignore is refused by name (help.c's table):
# a rule for batch (the study decides), a solver option for evaluate, a
# model rule for rank; --NAME=VALUE the same
expect 2 "batch --size" -- "$cp_bin" batch $good/hand.xml --size 4-6
contains "$tmp/err" "--size does not apply to batch" "batch --size named"
expect 2 "batch --where=" -- "$cp_bin" batch $good/hand.xml --where=county=Kilifi
contains "$tmp/err" "--where does not apply to batch" "batch --where= named"
expect 2 "evaluate --method" -- "$cp_bin" evaluate $good/hand.xml --existing --method milp
contains "$tmp/err" "--method does not apply to evaluate" "evaluate --method named"
expect 2 "rank --distance-max" -- "$cp_bin" rank instances/yemen-candidates.xml instances/yemen-rubric-quotas.xml --distance-max 8
expect 2 "batch missing study" -- "$cp_bin" batch "$tmp/none.xml"

# facilitators: rank (three formats), verify, assign with supervisors
yc=instances/yemen-candidates.xml
expect 0 "rank worked example" -- "$cp_bin" rank $yc instances/yemen-rubric-quotas.xml -o "$tmp/rank.xml" -o "$tmp/rank.csv" -o "$tmp/rank.html"
contains "$tmp/out" "28 ranked, 12 excluded; role holders chosen under the quotas" "rank summary"
contains "$tmp/rank.xml" "candidates-sha256=\"$(sha256sum $yc | cut -d' ' -f1)\"" "digest is sha256sum's"
contains "$tmp/rank.xml" '<reason>no score for criterion demonstration; the rubric excludes' "exclusion reason"
contains "$tmp/rank.csv" '"Y29","Bilal","male",' "csv row"
contains "$tmp/rank.html" '<bdi>Y29</bdi> <bdi>Bilal</bdi>' "html row"
expect 0 "verify faithful ranking" -- "$cp_bin" rank $yc instances/yemen-rubric-quotas.xml --verify "$tmp/rank.xml"
contains "$tmp/out" "verified:" "verify says so"
expect 1 "verify against another rubric" -- "$cp_bin" rank $yc instances/yemen-rubric.xml --verify "$tmp/rank.xml"
contains "$tmp/out" "MISMATCH ranking: rubric-sha256: published" "rubric digest differs"
expect 2 "rank unknown output kind" -- "$cp_bin" rank $yc instances/yemen-rubric.xml -o "$tmp/rank.pdf"
absent "$tmp/rank.pdf" "no pdf written"
expect 2 "rank bad candidates writes nothing" -- "$cp_bin" rank $bad/cand-dup-id.xml instances/yemen-rubric.xml -o "$tmp/none.xml"
absent "$tmp/none.xml" "no ranking after bad candidates"
expect 0 "validate candidates" -- "$cp_bin" validate $yc
contains "$tmp/out" "valid candidates (candidates.xsd" "candidates validated by the schema"
expect 0 "validate rubric" -- "$cp_bin" validate instances/yemen-rubric-quotas.xml
expect 2 "validate bad rubric" -- "$cp_bin" validate $bad/rub-bad-combine.xml
expect 0 "kilifi rank" -- "$cp_bin" rank instances/kilifi-candidates.xml instances/kilifi-rubric.xml -o "$tmp/kr.xml" --quiet
expect 0 "kilifi solve" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/ks.xml" --quiet
expect 0 "kilifi assign" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/ks.xml" "$tmp/kr.xml" -s instances/base.xml --supervisors master-trainer -o "$tmp/ka.xml" -o "$tmp/ka.csv"
contains "$tmp/out" "facilitators: 8 available" "facilitators counted"
contains "$tmp/out" "shortfall: admin unit Ganze: 3 clusters, 1 facilitator x 1 = 1 places: lacks 2 facilitators" "shortfall explained"
contains "$tmp/ka.xml" 'optimal="true"' "assignment proven"
contains "$tmp/ka.csv" 'cluster,centre,centre_name,facilitator,facilitator_name' "assignment csv"
expect 2 "assign with a missing ranking" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/ks.xml" "$tmp/nothing.xml" -o "$tmp/none.xml"
absent "$tmp/none.xml" "no assignment after bad input"

kenya=../shared/data/kenya-schools-2016.gml
if [ -r "$kenya" ]; then
    expect 0 "kenya existing zones" -- "$cp_bin" evaluate $kenya --field id=school_id --field admin1=county --field admin2=district --field admin3=zone --field cluster=zone --existing
    contains "$tmp/out" "29542 schools" "kenya schools"
    contains "$tmp/out" "no-centre" "kenya zones have no centre"
    expect 0 "kenya kml validate" -- "$cp_bin" validate ../shared/data/kenya-secondary-2007.kml --field id=code
    # an interrupt during a long solve: best layout so far written, status
    # interrupted, exit 130, and the layout is feasible
    interrupt_check() { # interrupt_check NAME SIGNAL METHOD
        "$cp_bin" solve "$kenya" -s bench/scenarios/kenya-zones.xml --method "$3" -o "$tmp/$1.xml" --quiet &
        pid=$!
        sleep 2
        kill "-$2" "$pid"
        wait "$pid"
        got=$?
        checks=$((checks + 1))
        if [ "$got" -ne 130 ]; then fails=$((fails + 1)); echo "cli: FAIL $1: exit $got, expected 130"; fi
        contains "$tmp/$1.xml" 'instance="kenya-schools-2016" scenario="kenya-zones-10km" status="interrupted"' "$1: solution written"
        expect 0 "$1: solution evaluates" -- "$cp_bin" evaluate "$kenya" "$tmp/$1.xml" -s bench/scenarios/kenya-zones.xml
        contains "$tmp/out" "violations: none" "$1: layout is feasible"
    }
    interrupt_check milp-sigint INT milp
    interrupt_check heuristic-sigterm TERM heuristic
    # a second signal exits at once, whatever is running (if the first one
    # already wound the solve down, it ends the same way: 130, promptly)
    start=$(date +%s%N)
    "$cp_bin" solve "$kenya" -s bench/scenarios/kenya-zones.xml --method milp -o "$tmp/twice.xml" --quiet &
    pid=$!
    sleep 1
    kill -INT "$pid"; sleep 0.05; kill -INT "$pid" 2>/dev/null
    wait "$pid"
    got=$?
    equal "$got" 130 "second SIGINT: exit code"
    checks=$((checks + 1))
    [ $(( ($(date +%s%N) - start) / 1000000 )) -lt 4000 ] || { fails=$((fails + 1)); echo "cli: FAIL second SIGINT did not exit at once"; }
    # a signal while the instance is still being read (about 0.4 s for
    # Kenya) is not lost: the solve stops at its start, exit 130, and the
    # solution says interrupted (a background job starts with SIGINT ignored,
    # so a handler installed after reading would miss it)
    "$cp_bin" solve "$kenya" -s bench/scenarios/kenya-zones.xml --method milp -o "$tmp/early.xml" --quiet &
    pid=$!
    # once its handler is installed (SIGINT caught, bit 2 of SigCgt), not
    # after a fixed sleep: loading GDAL's libraries can take longer than the
    # sleep on a busy machine, and the ignored signal would be lost
    for _ in $(seq 200); do
        mask=$(sed -n 's/^SigCgt:\s*//p' /proc/$pid/status 2>/dev/null)
        [ -n "$mask" ] && (( (16#$mask >> 1) & 1 )) && break
        sleep 0.01
    done
    kill -INT "$pid"
    wait "$pid"
    equal "$?" 130 "SIGINT while reading: exit code"
    contains "$tmp/early.xml" 'status="interrupted"' "SIGINT while reading: solution written"
    # batch: SIGINT keeps the finished runs and the best layouts of the
    # running ones, writes the comparison, exit 130; interrupted runs are
    # redone next time (no inputs.sha256)
    sed 's|path="\.\./|path="'"$PWD"'/bench/|; s|<outputs formats="[^"]*"/>|<outputs formats="xml"/>|' \
        bench/studies/kenya-scenarios.xml >"$tmp/kenya-study.xml"
    sed -i 's|'"$PWD"'/bench/\.\./\.\./shared|'"$PWD"'/../shared|' "$tmp/kenya-study.xml"
    "$cp_bin" batch "$tmp/kenya-study.xml" -o "$tmp/kstudy" --threads 2 --quiet &
    pid=$!
    sleep 5
    kill -INT "$pid"
    wait "$pid"
    equal "$?" 130 "batch SIGINT: exit code"
    checks=$((checks + 1)); [ -s "$tmp/kstudy/comparison.csv" ] || { fails=$((fails + 1)); echo "cli: FAIL batch SIGINT: no comparison"; }
    contains "$tmp/kstudy/comparison.csv" ',interrupted,' "batch SIGINT: running runs kept as interrupted"
    checks=$((checks + 1)); if ls "$tmp"/kstudy/runs/*/inputs.sha256 2>/dev/null | grep -q size3-7-10km-zones; then fails=$((fails + 1)); echo "cli: FAIL interrupted run marked complete"; fi
else
    missing "../shared/data: Kenya checks"
fi

echo "cli: $((checks - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
