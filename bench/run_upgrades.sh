#!/usr/bin/env bash
# Issue 24's benchmark, the same way every time: the Kenya register by zones
# (county/district/zone, 3-7 schools, 10 km, every school weighted 1) with a
# cap of upgrades N (default 10 50 200), solved by the MILP (the exact
# sharing of the cap among the 1,263 zone parts: each part's frontier, then
# the master; a proven gap) and by the search (heuristic; the greedy
# sharing), each under /usr/bin/time (wall, peak memory), each layout
# re-evaluated by `evaluate`.  Prints one line per run: unassigned schools,
# the objective (teacher-km, weight none: km), status, gap, seconds.
#
# Quality (the register has none): bench/out/kenya-2016-quality.gpkg, made
# here by ogr2ogr from the register: public secondary schools quality 1 (the
# exemplar centres: the rule is min-quality 0.6), public primary schools
# quality 0.5 (hosts below the rule: upgradable), private schools host=false
# (neither).  SECONDARY=1 runs the 2007 secondary-schools file instead, with
# its real pupil-teacher ratio: quality 1 - ratio/100, so min-quality 0.65
# is "a ratio of at most 35"; every other school (a host) is upgradable.
# Usage: bench/run_upgrades.sh [N...]   (METHODS="milp heuristic" by default)
set -uo pipefail
cd "$(dirname "$0")/.."
caps=${*:-10 50 200}
methods=${METHODS:-milp heuristic}
out=bench/out
mkdir -p "$out"
make -s all
cp_bin=build/clusterplan
if [ "${SECONDARY:-0}" = 1 ]; then
    src=../shared/data/kenya-secondary-2007.kml
    inst="$out/kenya-2007-quality.gpkg"
    sql="SELECT *, CASE WHEN pupil_teacher_ratio IS NULL OR pupil_teacher_ratio = '' THEN NULL ELSE 1.0 - CAST(pupil_teacher_ratio AS REAL) / 100.0 END AS quality, Name AS school_name FROM secondary_schools"
    extra=(--min-quality 0.65 --field id=code --field name=school_name --field admin1=province
           --field admin2=district --field admin3=zone --field teachers=teachers)
else
    src=../shared/data/kenya-schools-2016.gml
    inst="$out/kenya-2016-quality.gpkg"
    sql="SELECT *, CASE WHEN level = 'Secondary' AND status = 'Public' THEN 1.0 WHEN status = 'Public' THEN 0.5 ELSE 0.0 END AS quality, CASE WHEN status = 'Public' THEN 'true' ELSE 'false' END AS host FROM schools"
    extra=()
fi
[ -r "$src" ] || { echo "$src absent: nothing to run"; exit 0; }
[ -s "$inst" ] || ogr2ogr -f GPKG "$inst" "$src" -nln schools -dialect SQLite -sql "$sql" || exit 1
echo "machine: $(nproc) cores (shared with other workers: compare within one run), $(free -g | awk '/Mem:/ {print $2}') GiB; commit $(git rev-parse --short HEAD); $inst"
attr() { sed -n "s/.*<$1[^>]* $2=\"\([^\"]*\)\".*/\1/p" "$3" | head -1; }
for n in $caps; do
    for m in $methods; do
        sol="$out/upgrades-$n-$m.xml"
        /usr/bin/time -f "%e %M" -o "$out/time-upgrades.txt" "$cp_bin" solve "$inst" \
            -s bench/scenarios/kenya-upgrades.xml "${extra[@]}" --max-upgrades "$n" --method "$m" \
            --threads 2 -o "$sol" --quiet
        read -r wall kb <"$out/time-upgrades.txt"
        "$cp_bin" evaluate "$inst" "$sol" -s bench/scenarios/kenya-upgrades.xml "${extra[@]}" \
            --max-upgrades "$n" -o "$out/upgrades-$n-$m-eval.xml" --quiet
        ev="$out/upgrades-$n-$m-eval.xml"
        echo "max-upgrades $n, $m: unassigned $(attr solution unassigned "$sol"), objective $(attr solution objective "$sol")," \
             "status $(attr solution status "$sol"), gap $(attr solution gap "$sol"), upgrades $(attr indicators upgrades "$ev");" \
             "wall ${wall} s, peak $((kb / 1024)) MB; evaluate: $(attr indicators violations "$ev") violations," \
             "objective $(attr solution objective "$ev")"
    done
done
