#!/usr/bin/env bash
# The annual cost objective against the travel objective, side by side in
# one run (issue 23), on the Kenya register by zones (instances/
# kenya-register.xml: 3-7 schools, 10 km, inside zones, KES costs):
#   - Machakos (1,008 schools) and the whole register (29,542), each with
#     --objective travel and --objective cost, by the MILP (--method milp,
#     a 600 s guard) and by auto (its default 60 s guard);
#   - per run: status, seconds, parts proven, clusters, median and largest
#     cluster size, the annual cost (travel + stipends) and the gap.
# Every layout is re-evaluated by `evaluate` (a mismatch fails the run).
# Usage: bench/run_cost_objective.sh [national]   (without it: Machakos only)
set -uo pipefail
cd "$(dirname "$0")/.."
out=bench/out/cost-objective
mkdir -p "$out"
make -s all
bin=build/clusterplan
kenya=../shared/data/kenya-schools-2016.gml
[ -r "$kenya" ] || { echo "$kenya absent"; exit 1; }
echo "machine: $(nproc) cores; commit $(git rev-parse --short HEAD)"
printf '| area | objective | method | status | s | parts proven | clusters | size median / max | annual cost KES (travel + stipends) | gap |\n'
printf '|---|---|---|---|---|---|---|---|---|---|\n'
attr() { sed -n "s/.*<$2[^>]* $3=\"\([^\"]*\)\".*/\1/p" "$1" | head -1; }
one() { # one AREA WHERE OBJECTIVE METHOD [ARGS]
    local area=$1 where=$2 obj=$3 method=$4 sol
    shift 4
    sol=$out/$area-$obj-$method.xml
    "$bin" solve "$kenya" $where -s instances/kenya-register.xml --objective "$obj" \
        --method "$method" "$@" -o "$sol" >"$out/log" 2>/dev/null || { echo "| $area | $obj | $method | failed |"; return; }
    "$bin" evaluate "$kenya" "$sol" $where -s instances/kenya-register.xml --objective "$obj" \
        >"$out/eval" 2>/dev/null
    grep -q MISMATCH "$out/eval" && echo "MISMATCH in $sol"
    local parts
    parts=$(sed -n 's/^\([0-9]*\) independent parts, \([0-9]*\) proven.*/\2 of \1/p' "$out/log")
    printf '| %s | %s | %s | %s | %.1f | %s | %s | %s / %s | %.0f (%.0f + %.0f) | %s |\n' \
        "$area" "$obj" "$method" "$(attr "$sol" solution status)" "$(attr "$sol" solution seconds)" \
        "$parts" "$(attr "$sol" solution clusters)" "$(attr "$sol" indicators size-median)" \
        "$(attr "$sol" indicators size-max)" "$(attr "$sol" indicators annual-cost)" \
        "$(attr "$sol" indicators annual-travel-cost)" "$(attr "$sol" indicators annual-stipends)" \
        "$(attr "$sol" solution gap)"
}
for obj in travel cost; do
    one Machakos "--where county=Machakos" "$obj" milp --time-limit 600
    one Machakos "--where county=Machakos" "$obj" auto
done
if [ "${1:-}" = national ]; then
    for obj in travel cost; do
        one Kenya "" "$obj" milp --time-limit 600
        one Kenya "" "$obj" auto
    done
fi
