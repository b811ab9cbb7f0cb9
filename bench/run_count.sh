#!/usr/bin/env bash
# A fixed cluster count (--clusters N) where the free model has several
# parts: the program built at REV and the one in this tree, side by side
# (interleaved, so a noisy minute hits both), on
#   - a generated 600-school country, 12 sub-counties (instances/base.xml,
#     travel objective): N = 120, 149 (its free count), 160;
#   - a generated 2,000-school country, 39 parts: N = 400, 483 (free), 520;
#   - Kilifi by zones (../shared's Kenya register, instances/kenya-register.xml,
#     the annual cost objective, 19 zones): N = 95 (free), 110, 130.
# Each line: status, clusters, schools placed, objective, bound and wall
# time of both builds; `evaluate` re-checks the new build's layout (its
# violations and objective).
# Usage: bench/run_count.sh REV   (e.g. the commit before the change)
set -uo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/run_count.sh REV}
out=bench/out/count
mkdir -p "$out"
. bench/build_old.sh
build_old "$rev"
kenya=../shared/data/kenya-schools-2016.gml
echo "machine: $(nproc) cores; old $rev, new $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted')"
"$new_bin" generate --schools 600 --seed 2 -o "$out/g600.xml" >/dev/null
"$new_bin" generate --schools 2000 --seed 4 -o "$out/g2000.xml" >/dev/null

attr() { sed -n "s/.*<solution[^>]* $1=\"\([^\"]*\)\".*/\1/p" "$2" | head -1; }
summary() { # status clusters assigned objective bound of a solution file
    local bound
    bound=$(attr bound "$1")
    printf '%-11s %4s %5s %10.2f %10s' "$(attr status "$1")" "$(grep -c '<cluster ' "$1")" \
        "$(attr assigned "$1")" "$(attr objective "$1")" "$([ -n "$bound" ] && printf '%.2f' "$bound" || echo -)"
}
run_pair() { # run_pair NAME N ARGS...
    local name=$1 n=$2 t0 t1 old_s new_s
    shift 2
    t0=$(date +%s.%N); "$old_bin" "$@" --threads 2 --clusters "$n" -o "$out/$name-$n-old.xml" --quiet >/dev/null 2>&1; t1=$(date +%s.%N)
    old_s=$(echo "$t1 - $t0" | bc)
    t0=$(date +%s.%N); "$new_bin" "$@" --threads 2 --clusters "$n" -o "$out/$name-$n-new.xml" --quiet >/dev/null 2>&1; t1=$(date +%s.%N)
    new_s=$(echo "$t1 - $t0" | bc)
    "$new_bin" evaluate "${@:2:1}" "$out/$name-$n-new.xml" "${@:3}" --clusters "$n" >"$out/eval.txt" 2>&1
    printf '%-8s N=%-4s old: %s %7.2f s | new: %s %7.2f s | evaluate: %s\n' "$name" "$n" \
        "$(summary "$out/$name-$n-old.xml")" "$old_s" "$(summary "$out/$name-$n-new.xml")" "$new_s" \
        "$(grep -o 'violations: [a-z0-9]*' "$out/eval.txt" | tail -1)"
}
echo "case     N       status clusters placed objective bound seconds (old | new)"
for n in 120 149 160; do
    run_pair g600 "$n" solve "$out/g600.xml" -s instances/base.xml --objective travel
done
for n in 400 483 520; do
    run_pair g2000 "$n" solve "$out/g2000.xml" -s instances/base.xml --objective travel
done
if [ -r "$kenya" ]; then
    for n in 95 110 130; do
        run_pair kilifi "$n" solve "$kenya" -s instances/kenya-register.xml --where county=Kilifi
    done
else
    echo "$kenya absent: Kilifi skipped"
fi
