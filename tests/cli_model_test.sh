#!/usr/bin/env bash
# Command-line checks of issue 24's rules (README "Study groups", "New
# exemplar centres", "Zones") on the worked example
# instances/kilifi-rules.xml with instances/kilifi-rules-scenario.xml: the
# expected numbers of each rule (MILP, heuristic and auto agree), what each
# upgrade buys and the one upgrade that would place an unassigned school,
# zones in every output, `evaluate` of edited solutions naming each new
# violation, `clusterplan zones`, `assign --supervisors` per zone, the batch
# overrides, `generate --groups`, bad input, and the same bytes on 1 and 2
# threads.  A few seconds in all (36 schools).
# Usage: tests/cli_model_test.sh PATH/TO/clusterplan
set -u
cp_bin=$1
label=model
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
checks=0
fails=0
. tests/cli_lib.sh

I=instances/kilifi-rules.xml
S=instances/kilifi-rules-scenario.xml
attr() { sed -n "s/.*<$1[^>]* $2=\"\([^\"]*\)\".*/\1/p" "$3" | head -1; }

# ---- the worked example: every method, the same optimum
for m in milp heuristic auto; do
    expect 0 "worked example ($m)" -- "$cp_bin" solve $I -s $S --method $m -o "$tmp/$m.xml"
    equal "$(attr solution assigned "$tmp/$m.xml")" 34 "$m: 34 of 36 schools placed with 2 upgrades"
    equal "$(attr solution objective "$tmp/$m.xml")" 15627.85615863119 "$m: the annual cost (KES)"
    equal "$(attr indicators violations "$tmp/$m.xml")" 0 "$m: no violation"
    equal "$(attr indicators clusters-hosting-every-group "$tmp/$m.xml")" 11 "$m: 11 of 11 clusters host maths and English"
done
equal "$(attr solution status "$tmp/milp.xml")" optimal "the MILP proves it"
expect 0 "worked example's report" -- "$cp_bin" evaluate $I "$tmp/milp.xml" -s $S -o "$tmp/milp.html"
contains "$tmp/milp.html" "A negative saving means the other schools pay more" "the report explains KLF014's negative saving"
contains "$tmp/milp.xml" '<upgrade school="KLF005" cluster="C2" cost="350000" brings="2"' "upgrade KLF005 brings in 2 schools"
contains "$tmp/milp.xml" '<upgrade school="KLF014" cluster="C5" cost="420000" brings="2"' "upgrade KLF014 brings in 2 schools"
contains "$tmp/milp.xml" 'teachers-math="9" teachers-english="11" zone="Z1"' "a cluster's teachers per group and its zone"
contains "$tmp/milp.xml" '<zone id="Z2" centre-cluster="C5" clusters="2"' "zone Z2 around the upgraded C5"
equal "$(attr solution zones "$tmp/milp.xml")" 4 "4 zones"
contains "$tmp/out" "upgrade KLF005 (Mnarani & Annex Primary): brings in 2 schools" "the summary lists each upgrade"
contains "$tmp/out" "upgrade KLF014 (Madunguni Primary): brings in 2 schools, costs 269.1 KES for the others" "an upgrade that costs the others says so, in the currency"
contains "$tmp/out" "zones: 4 zones of 2..3 clusters" "the summary gives the zones"
cmp -s <(grep '<cluster \|<member ' "$tmp/milp.xml") <(grep '<cluster \|<member ' "$tmp/heuristic.xml")
equal $? 0 "the search's layout is the MILP's"
cmp -s <(grep '<cluster \|<member ' "$tmp/milp.xml") <(grep '<cluster \|<member ' "$tmp/auto.xml")
equal $? 0 "auto's layout is the MILP's"

# ---- without upgrades, one, a budget
expect 0 "no upgrade" -- "$cp_bin" solve $I -s $S --method milp --max-upgrades 0 -o "$tmp/u0.xml"
equal "$(attr solution assigned "$tmp/u0.xml")" 30 "no upgrade: 30 placed"
expect 0 "one upgrade" -- "$cp_bin" solve $I -s $S --method milp --max-upgrades 1 -o "$tmp/u1.xml"
equal "$(attr solution assigned "$tmp/u1.xml")" 32 "one upgrade: 32 placed"
contains "$tmp/u1.xml" '<upgrade school="KLF005"' "one upgrade: KLF005, the one that places most"
contains "$tmp/u1.xml" 'upgrade="KLF014" upgrade-places="2"' "one more upgrade, KLF014, would place KLF018 and another"
contains "$tmp/u1.xml" 'one upgrade would place it: KLF014 (Madunguni Primary)' "the reason says so"
expect 0 "a budget" -- "$cp_bin" solve $I -s $S --method milp --max-upgrades 5 --upgrade-budget 700000 -o "$tmp/b.xml"
equal "$(attr solution assigned "$tmp/b.xml")" 33 "budget 700,000: 33 placed"
equal "$(attr indicators upgrade-spend "$tmp/b.xml")" 680000 "budget: KLF010 and KLF014 for 680,000"
expect 0 "a budget, heuristic" -- "$cp_bin" solve $I -s $S --method heuristic --max-upgrades 5 --upgrade-budget 700000 -o "$tmp/bh.xml"
equal "$(attr indicators violations "$tmp/bh.xml")" 0 "budget, heuristic: within the budget, no violation"
equal "$(attr solution assigned "$tmp/bh.xml")" 32 "budget, heuristic: 32 placed (the greedy's knapsack: README)"

# ---- a cluster count below the free optimum's: the count is named, not the size rule
expect 0 "8 clusters where 10 form freely" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml --clusters 8 --method milp -o "$tmp/c8.xml"
contains "$tmp/out" "2  count rule, e.g. KLF010: count rule: the layout has the 8 clusters asked for" "the schools the count leaves out name it"
contains "$tmp/out" "2  size rule, e.g. KLF003" "those no layout could place keep their own rule"

# ---- a fixed count across many parts (solver/solve/count_price.c): the
# free model solved at a price per cluster until it has N clusters.  Under
# the admin rule the count couples 12 sub-counties; the search of them as
# one model chose its centres greedily and ended unproven (120) or at the
# wrong count ("infeasible", 2,000 schools at their free count 483)
"$cp_bin" generate --schools 600 --seed 2 -o "$tmp/g600.xml" >/dev/null
for n in 120 149 160; do
    expect 0 "$n clusters over 12 sub-counties" -- "$cp_bin" solve "$tmp/g600.xml" -s instances/base.xml --objective travel --clusters $n -o "$tmp/n$n.xml"
    equal "$(attr solution status "$tmp/n$n.xml")" optimal "$n clusters: proven by the price's bound"
    equal "$(grep -c '<cluster ' "$tmp/n$n.xml")" $n "$n clusters: exactly $n"
    expect 0 "$n clusters re-evaluated" -- "$cp_bin" evaluate "$tmp/g600.xml" "$tmp/n$n.xml" -s instances/base.xml --objective travel --clusters $n
    contains "$tmp/out" "violations: none" "$n clusters: no violation under evaluate"
done
expect 0 "the free model" -- "$cp_bin" solve "$tmp/g600.xml" -s instances/base.xml --objective travel -o "$tmp/free600.xml"
equal "$(attr solution objective "$tmp/n149.xml")" "$(attr solution objective "$tmp/free600.xml")" "149 clusters (the free count): the free layout's cost"
"$cp_bin" generate --schools 2000 --seed 4 -o "$tmp/g2k.xml" >/dev/null
expect 0 "the free count of 2,000 schools" -- "$cp_bin" solve "$tmp/g2k.xml" -s instances/base.xml --objective travel --clusters 483 -o "$tmp/n483.xml"
equal "$(attr solution status "$tmp/n483.xml")" optimal "483 clusters: optimal, not infeasible"
equal "$(attr solution assigned "$tmp/n483.xml")" 1902 "483 clusters: every school the free model places"
expect 0 "400 clusters under a 1 s guard" -- "$cp_bin" solve "$tmp/g2k.xml" -s instances/base.xml --objective travel --clusters 400 --time-limit 1 -o "$tmp/n400.xml"
equal "$(attr solution status "$tmp/n400.xml")" time-limit "the guard stopped the pricing: time-limit, not feasible"
expect 0 "400 clusters, anytime under a 1 s guard" -- "$cp_bin" solve "$tmp/g2k.xml" -s instances/base.xml --objective travel --clusters 400 --time-limit 1 --anytime -o "$tmp/n400a.xml"
equal "$(attr solution status "$tmp/n400a.xml")" time-limit "anytime: the free runs do not take the whole limit at the first price, and no 'infeasible'"

# ---- soft groups under a count: auto's round 2 ranks layouts by the
# hosting count before the cost, as the MILP does (it had kept a layout
# hosting 3 and called it optimal at 329.99)
G=tests/data/good/soft-groups-count.xml
for m in milp auto; do
    expect 0 "soft groups with a count ($m)" -- "$cp_bin" solve $G --size 1-4 --admin-level 1 --distance-max 11 --group-min math=5 --groups-soft --clusters 5 --objective travel --cluster-cost 6 --threads 1 --method $m -o "$tmp/sg-$m.xml"
    equal "$(attr indicators clusters-hosting-every-group "$tmp/sg-$m.xml")" 4 "soft groups with a count ($m): 4 clusters host"
done
equal "$(attr solution objective "$tmp/sg-auto.xml")" "$(attr solution objective "$tmp/sg-milp.xml")" "soft groups with a count: auto's optimum is the MILP's"

# ---- study groups, hard and soft
expect 0 "11 teachers of each group" -- "$cp_bin" solve $I -s $S --method milp --group-min math=11 --group-min english=11 -o "$tmp/g11.xml"
equal "$(attr solution assigned "$tmp/g11.xml")" 29 "hard groups of 11: 29 placed"
contains "$tmp/g11.xml" 'group rule: the 2 schools that could share a centre with it (itself included) have 8 math teachers in all; a cluster needs 11' "the group rule named"
expect 0 "soft groups" -- "$cp_bin" solve $I -s $S --method milp --groups-soft --group-min math=11 --group-min english=11 -o "$tmp/soft.xml"
equal "$(attr solution assigned "$tmp/soft.xml")" 34 "soft groups: 34 placed"
equal "$(attr indicators clusters-hosting-every-group "$tmp/soft.xml")" 6 "soft groups: 6 clusters host both"
expect 0 "soft groups, heuristic" -- "$cp_bin" solve $I -s $S --method heuristic --groups-soft --group-min math=11 --group-min english=11 -o "$tmp/softh.xml"
equal "$(attr indicators violations "$tmp/softh.xml")" 0 "soft groups, heuristic: no violation"
# soft groups where a capacity of 60 binds: the search runs two chains and
# keeps the better by its own order, the hosting count before the cost
# (solver/solve/part_heuristic.c); it reaches the MILP's optimum, the same
# on 1 and 2 threads
expect 0 "soft groups, capacity 60, MILP" -- "$cp_bin" solve $I -s $S --method milp --groups-soft --group-min math=11 --group-min english=11 --capacity 60 -o "$tmp/softcap.xml"
for t in 1 2; do
    expect 0 "soft groups, capacity 60, heuristic, $t threads" -- "$cp_bin" solve $I -s $S --method heuristic --groups-soft --group-min math=11 --group-min english=11 --capacity 60 --threads $t -o "$tmp/softcap$t.xml"
done
same_but_timing "$tmp/softcap1.xml" "$tmp/softcap2.xml" "soft groups with a capacity: 1 and 2 threads differ"
equal "$(attr indicators clusters-hosting-every-group "$tmp/softcap2.xml")" "$(attr indicators clusters-hosting-every-group "$tmp/softcap.xml")" "soft groups with a capacity: the MILP's hosting count"
equal "$(attr solution objective "$tmp/softcap2.xml")" "$(attr solution objective "$tmp/softcap.xml")" "soft groups with a capacity: the MILP's objective"
equal "$(attr indicators violations "$tmp/softcap2.xml")" 0 "soft groups with a capacity: no violation"

# ---- evaluate: the solution read back, then edited to break each rule
expect 0 "evaluate the solution" -- "$cp_bin" evaluate $I "$tmp/milp.xml" -s $S -o "$tmp/eval.xml"
equal "$(attr indicators violations "$tmp/eval.xml")" 0 "read back: no violation"
equal "$(attr solution zones "$tmp/eval.xml")" 4 "read back: the zones"
sed 's|<member school="KLF003"[^>]*/>||' "$tmp/milp.xml" >"$tmp/short.xml"
expect 0 "a cluster short of a group" -- "$cp_bin" evaluate $I "$tmp/short.xml" -s $S -o "$tmp/short-eval.xml"
contains "$tmp/short-eval.xml" 'kind="group-below-min" cluster="C2" value="6" limit="8" group="math"' "group-below-min named"
expect 0 "one upgrade too many" -- "$cp_bin" evaluate $I "$tmp/milp.xml" -s $S --max-upgrades 1 -o "$tmp/cap-eval.xml"
contains "$tmp/cap-eval.xml" 'kind="upgrades-above-max" value="2" limit="1"' "upgrades-above-max named"
expect 0 "over budget" -- "$cp_bin" evaluate $I "$tmp/milp.xml" -s $S --upgrade-budget 500000 -o "$tmp/budget-eval.xml"
contains "$tmp/budget-eval.xml" 'kind="upgrade-budget" value="770000" limit="500000"' "upgrade-budget named"
expect 0 "a zone too large" -- "$cp_bin" evaluate $I "$tmp/milp.xml" -s $S --zones 1-2 -o "$tmp/zone-eval.xml"
contains "$tmp/zone-eval.xml" 'kind="zone-size-above-max" cluster="C1" value="3" limit="2" zone="Z1"' "zone-size-above-max named"
expect 0 "a zone too wide" -- "$cp_bin" evaluate $I "$tmp/milp.xml" -s $S --zone-distance 5 -o "$tmp/zd-eval.xml"
contains "$tmp/zd-eval.xml" 'kind="zone-distance"' "zone-distance named"
sed 's|zone="Z2"|zone="Z9"|' "$tmp/milp.xml" >"$tmp/nozone.xml"
expect 2 "a zone without its <zone>" -- "$cp_bin" evaluate $I "$tmp/nozone.xml" -s $S
contains "$tmp/err" 'names this zone'"'"'s centre cluster' "the missing <zone> named"

# ---- zones of a layout made without them, and every output carries them
expect 0 "a layout without zones" -- "$cp_bin" solve $I -s instances/base.xml --method milp -o "$tmp/plain.xml"
expect 0 "clusterplan zones" -- "$cp_bin" zones $I "$tmp/plain.xml" -s instances/base.xml --zones 2-4 --zone-distance 40 -o "$tmp/zoned.xml" -o "$tmp/zoned.csv" -o "$tmp/zoned.html"
contains "$tmp/out" "zones: 4 zones" "zones of the plain layout"
equal "$(attr indicators violations "$tmp/zoned.xml")" 0 "zoned: no violation"
contains "$tmp/zoned.csv" ",zone" "the CSV has a zone column"
contains "$tmp/zoned.html" "<h2>Zones (4)</h2>" "the report has the zones"
if command -v ogrinfo >/dev/null; then
    expect 0 "zones in a GeoPackage" -- "$cp_bin" solve $I -s $S --method milp -o "$tmp/w.gpkg"
    ogrinfo -so "$tmp/w.gpkg" zones >"$tmp/ogr" 2>&1
    contains "$tmp/ogr" "Feature Count: 4" "the GeoPackage's zones layer: 4 polygons"
    contains "$tmp/ogr" "Polygon" "zones are polygons"
else
    missing "ogrinfo: the GeoPackage's zones layer"
fi

# ---- zonal supervisors
expect 0 "the Kilifi ranking" -- "$cp_bin" rank instances/kilifi-candidates.xml instances/kilifi-rubric.xml -o "$tmp/rank.xml"
expect 0 "supervisors per zone" -- "$cp_bin" assign $I "$tmp/milp.xml" "$tmp/rank.xml" -s $S --role cluster-facilitator --supervisors master-trainer -o "$tmp/assign.csv"
contains "$tmp/out" "zonal supervisors (one per zone" "supervisors are per zone"
contains "$tmp/out" "of 4 zones covered" "4 zones to cover"
expect 0 "supervisors per zone, every output" -- "$cp_bin" assign $I "$tmp/milp.xml" "$tmp/rank.xml" -s $S --role cluster-facilitator --supervisors master-trainer -o "$tmp/assign.xml" -o "$tmp/assign.html"
covered=$(sed -n 's/.*<supervisors [^>]* covered="\([0-9]*\)".*/\1/p' "$tmp/assign.xml")
contains "$tmp/out" "so $covered of " "the summary and the XML count the same clusters under a supervisor"
contains "$tmp/assign.html" "Supervisors: $covered clusters under a supervisor" "the page counts them too"

# ---- a study varying all three
cat >"$tmp/study.xml" <<EOF
<study name="rules">
  <instance id="kilifi" path="$PWD/$I"/>
  <scenario id="cap1" path="$PWD/$S" max-upgrades="1" group-min="math=9 english=9" zone-min="2" zone-max="3"/>
  <scenario id="budget" path="$PWD/$S" max-upgrades="5" upgrade-budget="700000" zone-distance="30"/>
  <outputs formats="xml"/>
  <solver method="milp"/>
</study>
EOF
expect 0 "batch with the overrides" -- "$cp_bin" batch "$tmp/study.xml" -o "$tmp/study" --threads 1
equal "$(attr solution upgrades "$tmp/study/runs/kilifi--cap1/solution.xml")" 1 "batch: max-upgrades overridden"
contains "$tmp/study/runs/kilifi--cap1/solution.xml" 'hosting-math=' "batch: group-min overridden"
equal "$(attr indicators upgrade-spend "$tmp/study/runs/kilifi--budget/solution.xml")" 680000 "batch: the budget overridden"
sed 's/group-min="math=9 english=9"/group-min="math9"/' "$tmp/study.xml" >"$tmp/bad-study.xml"
expect 2 "a bad group-min override" -- "$cp_bin" batch "$tmp/bad-study.xml" -o "$tmp/bad-study"

# ---- bad input
expect 2 "a group no school has" -- "$cp_bin" solve $I -s $S --group-min science=2
contains "$tmp/err" 'study group "science": no school of' "the missing group named"
printf '<scenario><invest/></scenario>' >"$tmp/invest.xml"
expect 2 "<invest/> alone" -- "$cp_bin" solve $I -s "$tmp/invest.xml"
contains "$tmp/err" "<invest> needs max-upgrades" "what <invest> needs"
expect 2 "--group-min without a minimum" -- "$cp_bin" solve $I -s $S --group-min math
sed 's/upgrade-cost="350000"/upgrade-cost="-5"/' $I >"$tmp/neg.xml"
expect 2 "a negative upgrade cost" -- "$cp_bin" solve "$tmp/neg.xml" -s $S
contains "$tmp/err" 'upgrade-cost' "the negative cost named"
printf '<scenario><zones min="5" max="2"/></scenario>' >"$tmp/zones.xml"
expect 2 "zones min above max" -- "$cp_bin" solve $I -s "$tmp/zones.xml"

# ---- capacity's repair windows leave the upgrades to the part's allowance
for m in heuristic auto; do
    expect 0 "a capacity that never binds ($m)" -- "$cp_bin" solve $I -s $S --method $m --capacity 1000 -o "$tmp/cap-$m.xml"
    equal "$(attr solution assigned "$tmp/cap-$m.xml")" 34 "$m, --capacity 1000: still 34 placed with 2 upgrades"
    equal "$(attr indicators upgrades "$tmp/cap-$m.xml")" 2 "$m, --capacity 1000: 2 upgrades, as the cap allows"
done
expect 0 "one upgrade and a capacity" -- "$cp_bin" solve $I -s $S --method auto --capacity 1000 --max-upgrades 1 -o "$tmp/cap1.xml"
equal "$(attr solution assigned "$tmp/cap1.xml")" 32 "one upgrade and a capacity: 32 placed"

# ---- settings that cannot mean what they say, named before any solving
expect 2 "validate: a group no school has" -- "$cp_bin" validate $I -s $S --group-min science=2
contains "$tmp/err" 'no school of' "validate names the missing group"
expect 2 "validate: zones on a network instance" -- "$cp_bin" validate tests/data/good/network.xml --zones 2-3
expect 2 "solve: zones on a network instance" -- "$cp_bin" solve tests/data/good/network.xml --zones 2-3 -o "$tmp/net.xml"
contains "$tmp/err" "zones need the schools' coordinates" "zones on a network refused"
absent "$tmp/net.xml" "no output when zones are refused"
expect 2 "zones deeper than the admin units" -- "$cp_bin" solve $I -s $S --zone-admin-level 4
contains "$tmp/err" "zones admin-level 4" "the zone admin level named"
expect 2 "a fraction of an upgrade" -- "$cp_bin" solve $I -s $S --max-upgrades 1.7
contains "$tmp/err" "expected a whole number" "a whole number asked"
expect 0 "max-upgrades with no school to upgrade" -- "$cp_bin" solve $I -s $S --min-quality 0 --max-upgrades 5 -o "$tmp/none.xml"
contains "$tmp/err" "no school can be upgraded" "an <invest> no school can use is said"
sed 's/ upgrade-cost="[0-9]*"//g' $I >"$tmp/nocost.xml"
expect 0 "a budget with no costs" -- "$cp_bin" solve "$tmp/nocost.xml" -s $S --upgrade-budget 700000 -o "$tmp/nocost-sol.xml"
contains "$tmp/err" "under a budget only schools with a cost" "a budget without costs is said"
expect 0 "soft groups without a group" -- "$cp_bin" solve $I -s instances/base.xml --groups-soft -o "$tmp/softnone.xml"
contains "$tmp/err" "no group is named" "soft groups without a group are said"
expect 0 "a zoned scenario, a layout without zones" -- "$cp_bin" evaluate $I "$tmp/plain.xml" -s $S
contains "$tmp/err" "its zone rules are not checked" "unchecked zone rules are said"
printf '<scenario><zones max="2"/></scenario>' >"$tmp/zmax.xml"
expect 2 "zones max below the default min" -- "$cp_bin" solve $I -s "$tmp/zmax.xml"
contains "$tmp/err" 'below the default min="3"' "the default min named"

# ---- zones with distances by road: zones are measured in straight lines
if command -v ogrinfo >/dev/null; then
    expect 0 "a country with roads" -- "$cp_bin" generate --schools 80 --seed 3 --roads "$tmp/r.gpkg" -o "$tmp/g.xml"
    expect 0 "zones of clusters by road" -- "$cp_bin" solve "$tmp/g.xml" -s instances/base.xml --admin-level 0 --roads "$tmp/r.gpkg" --zones 2-4 --zone-distance 10 -o "$tmp/gz.xml"
    equal "$(attr indicators violations "$tmp/gz.xml")" 0 "zones by road: no violation"
    contains "$tmp/out" "(straight lines)" "the zones' distances said to be straight lines"
    expect 0 "evaluate zones by road" -- "$cp_bin" evaluate "$tmp/g.xml" "$tmp/gz.xml" -s instances/base.xml --admin-level 0 --roads "$tmp/r.gpkg" --zones 2-4 --zone-distance 10 -o "$tmp/gz-eval.xml"
    equal "$(attr indicators violations "$tmp/gz-eval.xml")" 0 "zones by road re-evaluate"
else
    missing "ogrinfo: zones by road"
fi

# ---- a generated country with two subjects
expect 0 "generate --groups" -- "$cp_bin" generate --schools 200 --seed 4 --groups math,english -o "$tmp/gen.xml"
contains "$tmp/gen.xml" 'teachers-math=' "generated teachers per subject"
expect 0 "solve the generated country with both groups" -- "$cp_bin" solve "$tmp/gen.xml" -s instances/base.xml --group-min math=6 --group-min english=6 --method heuristic -o "$tmp/gen-sol.xml"
equal "$(attr indicators violations "$tmp/gen-sol.xml")" 0 "generated: no violation"

# ---- the same bytes on 1 and 2 threads, with groups and upgrades
for m in heuristic auto; do
    "$cp_bin" solve $I -s $S --max-upgrades 3 --method $m --threads 1 -o "$tmp/t1.xml" --quiet
    "$cp_bin" solve $I -s $S --max-upgrades 3 --method $m --threads 2 -o "$tmp/t2.xml" --quiet
    cmp -s <(sed 's/ seconds="[^"]*"//; s/ threads="[^"]*"//' "$tmp/t1.xml") <(sed 's/ seconds="[^"]*"//; s/ threads="[^"]*"//' "$tmp/t2.xml")
    equal $? 0 "$m: the same bytes on 1 and 2 threads"
done

echo "model: $((checks - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
