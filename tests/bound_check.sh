#!/usr/bin/env bash
# The bound worth quoting (issue 27): on capacitated p-median instances the
# heuristic tier's own bound (Lagrangian, the capacity kept in each
# centre's subproblem) must be at least the LP relaxation's, which glpsol
# computes independently from the model clusterplan exports (--export-lp,
# solved with --nomip).  Instances: Lorena-Senne SJC1 and SJC2
# (../shared/benchmarks) and the two smallest of the harder set
# (bench/gen_capacitated.c, 300 and 600 points: glpsol's interior point
# takes about 5 and 25 s; 1,000 points and more take minutes, and are
# not checked).  Prints each pair.
# Usage: tests/bound_check.sh PATH/TO/clusterplan
set -u
cp_bin=$1
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
checks=0
fails=0
missing() {
    if [ "${CI:-}" = true ]; then
        fails=$((fails + 1)); checks=$((checks + 1)); echo "bound: FAIL $1 absent in CI"
    else
        echo "bound: $1 absent: skipped"
    fi
}
command -v glpsol >/dev/null || { missing glpsol; exit $((fails > 0)); }
cc -O2 -o "$tmp/convert" bench/convert.c -lm || exit 1
cc -O2 -o "$tmp/gen" bench/gen_capacitated.c -lm || exit 1
attr() { sed -n "s/.*<solution[^>]* $1=\"\([^\"]*\)\".*/\1/p" "$2" | head -1; }

check() { # check NAME INSTANCE SCENARIO [GLPSOL_METHOD]
    local name=$1 lp heur
    "$cp_bin" solve "$2" -s "$3" --method heuristic --effort quick --threads 2 -o "$tmp/$name.xml" --quiet \
        --export-lp "$tmp/$name.lp" ||
        { checks=$((checks + 1)); fails=$((fails + 1)); echo "bound: FAIL $name: solve"; return; }
    # the faster of glpsol's LP methods for each (SJC2: simplex 14 s, interior
    # 50 s; the harder set's 300 points: 7.6 s and 4.7 s, 600 points 74 s and 24 s)
    lp=$(glpsol --lp "$tmp/$name.lp" --nomip ${4:-} 2>&1 |
        sed -n 's/^[* ] *[0-9]*: obj = *\([-0-9.e+]*\)[; ].*/\1/p' | tail -1)
    heur=$(attr bound "$tmp/$name.xml")
    checks=$((checks + 1))
    if [ -z "$lp" ] || [ -z "$heur" ] ||
        ! awk -v b="$heur" -v l="$lp" 'BEGIN { exit !(b + 0 >= l - 1e-6 * (l < 0 ? -l : l)) }'; then
        fails=$((fails + 1))
        echo "bound: FAIL $name: bound '$heur' below the LP relaxation's '$lp'"
    else
        echo "bound: $name: bound $heur, LP relaxation $lp, objective $(attr objective "$tmp/$name.xml")"
    fi
}

bm=../shared/benchmarks/cpmp-lorena-senne
if [ -r "$bm/SJC1.dat" ]; then
    for s in SJC1 SJC2; do
        "$tmp/convert" sjc "$bm/$s.dat" "$tmp/$s-in.xml" "$tmp/$s-sc.xml" 0
        check "$s" "$tmp/$s-in.xml" "$tmp/$s-sc.xml"
    done
else
    missing "../shared/benchmarks (SJC1, SJC2)"
fi
for n in 300 600; do
    "$tmp/gen" "$n" 1 "$tmp/c$n.xml" "$tmp/c$n-sc.xml"
    check "c$n-1" "$tmp/c$n.xml" "$tmp/c$n-sc.xml" --interior
done
echo "bound: $((checks - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
