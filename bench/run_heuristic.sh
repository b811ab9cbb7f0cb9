#!/usr/bin/env bash
# Heuristic tier benchmarks on the Kenya register (issue #4), the same way
# every time, side by side in one run:
#   zones     zone rule (admin level 3), 3-7, 10 km, weight none: the
#             heuristic on 2 and 1 threads (time ratio, identical output;
#             REPEAT pairs, default 3, and their median: a shared machine's
#             noise moves a single ratio by 0.1-0.2)
#             against the MILP's layout of the same model (per zone: equal,
#             better, worse);
#   national  no admin rule: the heuristic on 2 and 1 threads, its
#             objective, Lagrangian bound and gap; --method auto with a
#             20 s limit (the MILP proves the small parts); with STRONG_ROUNDS=R
#             the same run again with --bound-rounds R (the same layout, a
#             tighter proven bound: 10,000 rounds take about 5 minutes) and
#             the default run's gap to that bound.
# Usage: [REPEAT=K] [STRONG_ROUNDS=R] bench/run_heuristic.sh [zones|national|all] [MILP_SECONDS]
set -uo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
milp_limit=${2:-300}
out=bench/out
kenya=../shared/data/kenya-schools-2016.gml
mkdir -p "$out"
make -s all
cp_bin=build/clusterplan
[ -r "$kenya" ] || { echo "$kenya absent: skipped"; exit 0; }
echo "machine: $(nproc) cores; commit $(git rev-parse --short HEAD)"

attr() { sed -n "s/.*<solution[^>]* $1=\"\([^\"]*\)\".*/\1/p" "$2" | head -1; }
summary() {
    echo "status $(attr status "$1") objective $(attr objective "$1") bound $(attr bound "$1") gap $(attr gap "$1") unassigned $(attr unassigned "$1") seconds $(attr seconds "$1")"
}
same_layout() {
    diff <(sed 's/ seconds="[^"]*"//; s/ threads="[^"]*"//' "$1") \
         <(sed 's/ seconds="[^"]*"//; s/ threads="[^"]*"//' "$2") >/dev/null && echo identical || echo DIFFERENT
}
heuristic_pair() { # heuristic_pair NAME SCENARIO: REPEAT pairs of runs, 2 threads then 1
    local ratios=() rep t
    for rep in $(seq "${REPEAT:-3}"); do
        for t in 2 1; do
            "$cp_bin" solve "$kenya" -s "$2" --method heuristic --threads $t --time-limit 600 \
                -o "$out/$1-h$t.xml" --quiet
            echo "heuristic, $t threads: $(summary "$out/$1-h$t.xml")"
        done
        ratios+=("$(echo "scale=2; $(attr seconds "$out/$1-h1.xml") / $(attr seconds "$out/$1-h2.xml")" | bc)")
        echo "1 vs 2 threads: output $(same_layout "$out/$1-h1.xml" "$out/$1-h2.xml"); speed-up ${ratios[-1]}"
    done
    echo "speed-ups ${ratios[*]}; median $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}')"
}

if [ "$what" = zones ] || [ "$what" = all ]; then
    echo "== Kenya by zones: 3-7, 10 km, weight none =="
    heuristic_pair zones bench/scenarios/kenya-zones.xml
    "$cp_bin" solve "$kenya" -s bench/scenarios/kenya-zones.xml --method milp \
        --time-limit "$milp_limit" -o "$out/zones-milp.xml" --quiet
    echo "milp, ${milp_limit}s: $(summary "$out/zones-milp.xml")"
    python3 bench/compare_units.py "$kenya" "$out/zones-h2.xml" "$out/zones-milp.xml"
fi
if [ "$what" = national ] || [ "$what" = all ]; then
    echo "== Kenya national: no admin rule, 3-7, 10 km, weight none =="
    heuristic_pair national bench/scenarios/kenya-national.xml
    # the planner's default method within the issue's 20 s: the small parts
    # proven by the MILP beside the large part's heuristic layout and bound
    "$cp_bin" solve "$kenya" -s bench/scenarios/kenya-national.xml --method auto --threads 2 \
        --time-limit 20 -o "$out/national-auto.xml" --quiet
    echo "auto, 20 s, 2 threads: $(summary "$out/national-auto.xml")"
    if [ -n "${STRONG_ROUNDS:-}" ]; then
        "$cp_bin" solve "$kenya" -s bench/scenarios/kenya-national.xml --method heuristic --threads 2 \
            --bound-rounds "$STRONG_ROUNDS" -o "$out/national-strong.xml" --quiet
        echo "bound with $STRONG_ROUNDS rounds: $(summary "$out/national-strong.xml")"
        echo "same layout: $(diff <(sed 's/ seconds="[^"]*"//; s/ bound="[^"]*"//; s/ gap="[^"]*"//' "$out/national-h2.xml") \
            <(sed 's/ seconds="[^"]*"//; s/ bound="[^"]*"//; s/ gap="[^"]*"//' "$out/national-strong.xml") >/dev/null && echo yes || echo NO)"
        echo "gap of the 2-thread layout to that bound: $(echo "scale=6; ($(attr objective "$out/national-h2.xml") - $(attr bound "$out/national-strong.xml")) * 100 / $(attr objective "$out/national-h2.xml")" | bc) %"
    fi
fi
