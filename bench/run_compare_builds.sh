#!/usr/bin/env bash
# A change that must not change results (a move, a split, a refactor),
# checked side by side in one run: the program built at REV and the one in
# this tree solve the same cases, and their outputs must be the same bytes
# with the timing attributes left out; the wall times are printed beside
# each other (interleaved, REPEAT times, so a noisy minute hits both).
#   cases: Kenya by zones (heuristic and auto, and auto under the cost
#          objective, with ../shared), Kenya national (heuristic), a
#          generated 3,000-school country (auto, heuristic on 1 thread,
#          MILP), the Kilifi demo, a ranking, and two instances of the
#          harder capacitated set (bench/gen_capacitated.c: 600 and 3,000
#          points, default settings).
# Usage: [REPEAT=K] bench/run_compare_builds.sh REV   (e.g. the commit before the change)
set -uo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/run_compare_builds.sh REV}
out=bench/out/compare-builds
mkdir -p "$out"
. bench/build_old.sh
build_old "$rev"
kenya=../shared/data/kenya-schools-2016.gml
echo "machine: $(nproc) cores; old $rev, new $(git rev-parse --short HEAD)$(git diff --quiet || echo ' + uncommitted')"
"$new_bin" generate --schools 3000 --seed 1 -o "$out/gen3000.xml" >/dev/null
cc -O2 -o "$out/gen-capacitated" bench/gen_capacitated.c -lm
for n in 600 3000; do
    "$out/gen-capacitated" "$n" 1 "$out/cap$n.xml" "$out/cap$n-scenario.xml"
done

# timing attributes, and a GeoJSON layer's name (GDAL takes it from the file name)
strip() { sed -E 's/ (seconds|slowest-part-seconds)="[^"]*"//g; s/"name": "[^"]*-(old|new)"/"name": ""/' "$1"; }
same=0
different=0
case_pair() { # case_pair NAME OUT_EXT ARGS...: ARGS get -o FILE appended
    local name=$1 ext=$2 rep t0 t1 old_s new_s
    shift 2
    for rep in $(seq "${REPEAT:-1}"); do
        t0=$(date +%s.%N); "$old_bin" "$@" -o "$out/$name-old.$ext" --quiet >/dev/null 2>&1; t1=$(date +%s.%N)
        old_s=$(echo "$t1 - $t0" | bc)
        t0=$(date +%s.%N); "$new_bin" "$@" -o "$out/$name-new.$ext" --quiet >/dev/null 2>&1; t1=$(date +%s.%N)
        new_s=$(echo "$t1 - $t0" | bc)
        if cmp -s <(strip "$out/$name-old.$ext") <(strip "$out/$name-new.$ext"); then
            verdict=identical; same=$((same + 1))
        else
            verdict=DIFFERENT; different=$((different + 1))
        fi
        printf '%-28s old %7.2f s  new %7.2f s  %s\n' "$name" "$old_s" "$new_s" "$verdict"
    done
}
case_pair kilifi-auto xml solve instances/kilifi-demo.xml -s instances/base.xml
case_pair kilifi-heuristic-csv csv solve instances/kilifi-demo.xml -s instances/base.xml --method heuristic
case_pair gen3000-auto xml solve "$out/gen3000.xml" -s instances/base.xml --threads 2
case_pair gen3000-heuristic-1t xml solve "$out/gen3000.xml" -s instances/base.xml --method heuristic --threads 1
case_pair gen3000-milp xml solve "$out/gen3000.xml" -s instances/base.xml --method milp --threads 2 --time-limit 30
case_pair gen3000-geojson geojson solve "$out/gen3000.xml" -s instances/base.xml --threads 2
case_pair ranking xml rank instances/yemen-candidates.xml instances/yemen-rubric-quotas.xml
for n in 600 3000; do
    case_pair "capacitated-$n" xml solve "$out/cap$n.xml" -s "$out/cap$n-scenario.xml" --threads 2
done
if [ -r "$kenya" ]; then
    case_pair zones-heuristic xml solve "$kenya" -s bench/scenarios/kenya-zones.xml --method heuristic --threads 2
    case_pair zones-auto xml solve "$kenya" -s bench/scenarios/kenya-zones.xml --method auto --threads 2
    case_pair zones-cost-auto xml solve "$kenya" -s instances/kenya-register.xml --objective cost --threads 2
    case_pair national-heuristic xml solve "$kenya" -s bench/scenarios/kenya-national.xml --method heuristic --threads 2 --time-limit 600
else
    echo "$kenya absent: Kenya cases skipped"
fi
echo "outputs: $same identical, $different different"
[ "$different" -eq 0 ]
