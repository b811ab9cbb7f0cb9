#!/usr/bin/env bash
# Kenya national with the default settings (issue 27), the same way every
# time: the register with no admin rule, 3-7 schools, 10 km, weight none
# (bench/scenarios/kenya-national.xml), solved as a planner would run it —
# method auto, no time limit, the default effort — on 2 threads and on 1,
# REPEAT pairs side by side (default 3) under /usr/bin/time.  Prints each
# run's wall and user seconds, status, objective, bound and gap, whether
# the two layouts are the same bytes (timing and thread fields aside), and
# the median speed-up.
# Usage: [REPEAT=K] bench/run_national_default.sh
set -uo pipefail
cd "$(dirname "$0")/.."
kenya=../shared/data/kenya-schools-2016.gml
out=bench/out
mkdir -p "$out"
make -s all
cp_bin=build/clusterplan
[ -r "$kenya" ] || { echo "$kenya absent: skipped"; exit 0; }
echo "machine: $(nproc) cores; commit $(git rev-parse --short HEAD); load $(cut -d' ' -f1-3 /proc/loadavg)"
attr() { sed -n "s/.*<solution[^>]* $1=\"\([^\"]*\)\".*/\1/p" "$2" | head -1; }
ratios=()
for rep in $(seq "${REPEAT:-3}"); do
    for t in 2 1; do
        sol="$out/national-default-t$t.xml"
        /usr/bin/time -f "%e %U" -o "$out/national-time-$t.txt" "$cp_bin" solve "$kenya" \
            -s bench/scenarios/kenya-national.xml --method auto --time-limit 0 --threads "$t" \
            -o "$sol" --quiet 2>/dev/null
        read -r wall user <"$out/national-time-$t.txt"
        eval "wall_$t=$wall"
        echo "pair $rep, threads $t: wall $wall s, user $user s; status $(attr status "$sol")," \
             "objective $(attr objective "$sol"), bound $(attr bound "$sol")," \
             "gap $(awk -v g="$(attr gap "$sol")" 'BEGIN { printf "%.3f %%", 100 * g }')"
    done
    same=$(diff <(sed 's/ seconds="[^"]*"//; s/ threads="[^"]*"//' "$out/national-default-t2.xml") \
                <(sed 's/ seconds="[^"]*"//; s/ threads="[^"]*"//' "$out/national-default-t1.xml") \
                >/dev/null && echo identical || echo DIFFERENT)
    ratio=$(awk -v a="$wall_1" -v b="$wall_2" 'BEGIN { printf "%.2f", a / b }')
    ratios+=("$ratio")
    echo "pair $rep: speed-up $ratio; layouts $same"
done
echo "median speed-up: $(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"
