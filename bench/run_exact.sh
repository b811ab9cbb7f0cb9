#!/usr/bin/env bash
# Exact tier benchmarks (issue #3), the same way every time:
#   pmed1-20 (OR-Library p-median), Osman-Christofides 1-10 and Lorena-Senne
#   SJC1-2 (capacitated p-median) against their published optima;
#   Kenya national (zones, 3-7, 10 km, weight none): 2 threads vs 1 thread,
#   and glpsol on the same model as ONE monolithic MILP (--export-lp) with
#   the same time limit, side by side in one run.
# Usage: bench/run_exact.sh [pmed|cpmp|kenya|all] [TIME_LIMIT_SECONDS] [METHOD]
#   METHOD (milp by default, or heuristic / auto) runs the same published
#   instances through the other tiers; the heuristic's Kenya runs are in
#   bench/run_heuristic.sh.  CP_BIN=path/to/clusterplan runs another build
#   (side by side with this one).
set -uo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
limit=${2:-60}
method=${3:-milp}
bm=../shared/benchmarks
out=bench/out
mkdir -p "$out"
make -s all
cc -O2 -o "$out/convert" bench/convert.c -lm
cp_bin=${CP_BIN:-build/clusterplan}
echo "machine: $(nproc) cores; commit $(git rev-parse --short HEAD); time limit ${limit}s; method $method"

attr() { sed -n "s/.*<solution[^>]* $1=\"\([^\"]*\)\".*/\1/p" "$2" | head -1; }

run_one() { # run_one NAME KIND FILE OPTIMUM
    local name=$1 kind=$2 file=$3 opt=$4 sol="$out/$1-$method-sol.xml"
    [ -r "$file" ] || { echo "$name: absent, skipped"; return; }
    "$out/convert" "$kind" "$file" "$out/$name.xml" "$out/$name-sc.xml" "$limit"
    rm -f "$sol"
    "$cp_bin" solve "$out/$name.xml" -s "$out/$name-sc.xml" -o "$sol" --quiet --method "$method"
    local st obj sec
    st=$(attr status "$sol"); obj=$(attr objective "$sol"); sec=$(attr seconds "$sol")
    printf "%-8s published %-9s status %-10s objective %-12s matches %-3s excess %7s%% seconds %.2f\n" \
        "$name" "$opt" "$st" "$obj" \
        "$(awk -v a="$obj" -v b="$opt" 'BEGIN {print (a != "" && (a - b < 0.01 && b - a < 0.01)) ? "yes" : "no"}')" \
        "$(awk -v a="$obj" -v b="$opt" 'BEGIN {printf "%.3f", a == "" ? 0 : 100 * (a - b) / b}')" \
        "${sec:-0}"
}

if [ "$what" = pmed ] || [ "$what" = all ]; then
    echo "== pmed (weight none, size 1..n, count p) =="
    opts=(5819 4093 4250 3034 1355 7824 5631 4445 2734 1255 7696 6634 4374 2968 1729 8162 6999 4809 2845 1789)
    for k in $(seq 1 20); do run_one "pmed$k" pmed "$bm/pmed/pmed$k.txt" "${opts[$((k - 1))]}"; done
fi
if [ "$what" = cpmp ] || [ "$what" = all ]; then
    echo "== capacitated p-median =="
    opts=(713 740 751 651 664 778 787 820 715 829)
    for k in $(seq 1 10); do
        run_one "osman$k" osman "$bm/cpmp-osman-christofides/pmedcap1_$(printf %02d "$k").txt" "${opts[$((k - 1))]}"
    done
    run_one SJC1 sjc "$bm/cpmp-lorena-senne/SJC1.dat" 17288.99
    run_one SJC2 sjc "$bm/cpmp-lorena-senne/SJC2.dat" 33270.94
fi
if [ "$method" = milp ] && { [ "$what" = kenya ] || [ "$what" = all ]; }; then
    kenya=../shared/data/kenya-schools-2016.gml
    echo "== Kenya national: zones, 3-7 schools, 10 km, weight none =="
    for t in 2 1; do
        "$cp_bin" solve "$kenya" -s bench/scenarios/kenya-zones.xml --time-limit "$limit" \
            --threads "$t" -o "$out/kenya-t$t.xml" --quiet
        echo "threads $t: status $(attr status "$out/kenya-t$t.xml") objective $(attr objective "$out/kenya-t$t.xml") bound $(attr bound "$out/kenya-t$t.xml") unassigned $(attr unassigned "$out/kenya-t$t.xml") seconds $(attr seconds "$out/kenya-t$t.xml")"
    done
    "$cp_bin" solve "$kenya" -s bench/scenarios/kenya-zones.xml --time-limit 1 \
        --export-lp "$out/kenya-monolithic.lp" --quiet -o "$out/kenya-export.xml"
    start=$(date +%s.%N)
    timeout $((limit + 60)) glpsol --lp "$out/kenya-monolithic.lp" --tmlim "$limit" >"$out/glpsol.log" 2>&1
    echo "glpsol monolithic: $(echo "$(date +%s.%N) - $start" | bc) s; $(grep -E '^\+' "$out/glpsol.log" | tail -1)"
    grep -E "SOLUTION|LIMIT|EXCEEDED" "$out/glpsol.log" | tail -2
fi
