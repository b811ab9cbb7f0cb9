#!/usr/bin/env bash
# National scale (issue #4), the same way every time: a generated country
# of N schools solved by the heuristic with instances/base.xml rules, on 2
# threads then on 1, each under /usr/bin/time (wall, peak memory), then the
# 2-thread layout re-evaluated from the instance alone, and the two layouts
# compared byte for byte (timing fields aside).
# Usage: bench/run_scale.sh [N] [TIME_LIMIT] [THREADS...]   (defaults 1000000 120 "2 1")
#   METHOD (auto, the default; heuristic or milp) and EFFORT=F (the work
#   budgets times F) as the solve's options.  EFFORT=F scales the search budget (--effort; with TIME_LIMIT 0 the run
#   is deterministic, and the thread counts must give the same layout).
set -uo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
limit=${2:-120}
shift 2 2>/dev/null || shift $#
threads=${*:-2 1}
out=bench/out
mkdir -p "$out"
make -s all
cp_bin=build/clusterplan
inst="$out/generated-$n.xml"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB; commit $(git rev-parse --short HEAD); time limit $limit, effort ${EFFORT:-1}"
[ -s "$inst" ] || "$cp_bin" generate --schools "$n" --seed 1 -o "$inst"
attr() { sed -n "s/.*<solution[^>]* $1=\"\([^\"]*\)\".*/\1/p" "$2" | head -1; }
for t in $threads; do
    sol="$out/generated-$n-t$t.xml"
    /usr/bin/time -f "%e %M" -o "$out/time-$t.txt" "$cp_bin" solve "$inst" -s instances/base.xml \
        --method "${METHOD:-auto}" --time-limit "$limit" --effort "${EFFORT:-1}" --threads "$t" -o "$sol" --quiet
    read -r wall kb <"$out/time-$t.txt"
    echo "threads $t: wall ${wall} s, peak $((kb / 1024)) MB; solve $(attr seconds "$sol") s;" \
         "status $(attr status "$sol"), objective $(attr objective "$sol")," \
         "clusters $(attr clusters "$sol"), assigned $(attr assigned "$sol"), unassigned $(attr unassigned "$sol")"
done
first=${threads%% *}
sol="$out/generated-$n-t$first.xml"
/usr/bin/time -f "%e" -o "$out/time-eval.txt" "$cp_bin" evaluate "$inst" "$sol" -s instances/base.xml \
    -o "$out/generated-$n-eval.xml" --quiet
rc=$?
ev="$out/generated-$n-eval.xml"
echo "evaluate: exit $rc in $(cat "$out/time-eval.txt") s; violations $(sed -n 's/.*<indicators[^>]* violations="\([^"]*\)".*/\1/p' "$ev")," \
     "objective $(attr objective "$ev") (solve said $(attr objective "$sol")), unassigned $(attr unassigned "$ev")"
set -- $threads
if [ $# -ge 2 ]; then
    a="$out/generated-$n-t$1.xml" b="$out/generated-$n-t$2.xml"
    diff <(sed 's/ seconds="[^"]*"//; s/ threads="[^"]*"//' "$a") \
         <(sed 's/ seconds="[^"]*"//; s/ threads="[^"]*"//' "$b") >/dev/null &&
        echo "threads $1 vs $2: identical layout" || echo "threads $1 vs $2: DIFFERENT layout"
fi
