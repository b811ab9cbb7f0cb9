#!/usr/bin/env bash
# Distances by road (issue 28), the same way every time; figures go to
# bench/RESULTS.md ("Issue 28") by hand with machine, commit and command.
# Side by side in one run, because the machine is shared and noisy.
#
#   kenya     the Kenya register by zones (instances/kenya-register.xml: 10 km,
#             the annual cost) on the national roads layer with snap-max 5 km,
#             against the same run in straight lines; the road run on 1 and 2
#             threads must give the same bytes, and re-evaluates by road;
#   machakos  Machakos straight and by road, compared with circuity, and
#             the road layout's report (routes on the map);
#   scale     a generated country of 100,000 schools with a dense road
#             network (generate --roads: about 2.3 million edges), the pairs
#             within 10 km under instances/base.xml's rules: in straight
#             lines, by road in full, and by road with each school's 64
#             nearest centres (the national-scale restriction), each under
#             /usr/bin/time on 2 threads (bench/roads_bench.c).
# Usage: bench/run_roads.sh [kenya|machakos|scale|all]   (default all)
set -uo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
out=bench/out/roads
mkdir -p "$out"
make -s all
cp_bin=build/clusterplan
K=../shared/data/kenya-schools-2016.gml
R=../shared/data/kenya-roads-national.geojson
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB (shared with other work);" \
     "commit $(git rev-parse --short HEAD)"
layout() { sed -E 's/ (seconds|threads)="[^"]*"//g' "$1"; }
timed() { # timed LABEL COMMAND...: wall and cpu seconds, peak MB and the machine's load
         # (1-minute average, others' work included), then the command's summary lines
    local label=$1
    shift
    /usr/bin/time -f "%e %M %U %S" -o "$out/time.txt" "$@" >"$out/last.out" 2>"$out/last.err"
    local rc=$?
    read -r wall kb user sys <"$out/time.txt"
    echo "$label: exit $rc, wall ${wall} s (cpu: user ${user} s, sys ${sys} s), peak $((kb / 1024)) MB," \
         "load $(cut -d' ' -f1 /proc/loadavg)"
    grep -E "^(status|roads|  [0-9]+ of|members' routes|annual cost|[0-9]+ independent|schools=)" \
        "$out/last.out" | sed 's/^/    /'
}

if [ "$what" = kenya ] || [ "$what" = all ]; then
    echo "== Kenya by zones: straight lines against roads (10 km, snap-max 5 km) =="
    timed "straight, 2 threads" "$cp_bin" solve "$K" -s instances/kenya-register.xml --threads 2 \
        -o "$out/kenya-straight.xml"
    timed "by road, 2 threads" "$cp_bin" solve "$K" -s instances/kenya-register.xml --threads 2 \
        --roads "$R" --snap-max 5 -o "$out/kenya-road-t2.xml"
    timed "by road, 1 thread" "$cp_bin" solve "$K" -s instances/kenya-register.xml --threads 1 \
        --roads "$R" --snap-max 5 -o "$out/kenya-road-t1.xml"
    if cmp -s <(layout "$out/kenya-road-t1.xml") <(layout "$out/kenya-road-t2.xml"); then
        echo "by road on 1 and 2 threads: the same bytes (timing attributes aside)"
    else
        echo "by road on 1 and 2 threads: DIFFERENT"
    fi
    timed "evaluate by road" "$cp_bin" evaluate "$K" "$out/kenya-road-t2.xml" \
        -s instances/kenya-register.xml --roads "$R" --snap-max 5
    grep -E "^claimed" "$out/last.out" | sed 's/^/    /'
fi

if [ "$what" = machakos ] || [ "$what" = all ]; then
    echo "== Machakos (by zones, 10 km): straight lines against roads (snap-max 5 km) =="
    m=(--where county=Machakos -s instances/kenya-register.xml --threads 2)
    timed "straight" "$cp_bin" solve "$K" "${m[@]}" -o "$out/machakos-straight.xml"
    timed "by road" "$cp_bin" solve "$K" "${m[@]}" --roads "$R" --snap-max 5 \
        -o "$out/machakos-road.xml" -o "$out/machakos-road.html" -o "$out/machakos-road.gpkg"
    timed "by road, straight-line access beyond 5 km" "$cp_bin" solve "$K" "${m[@]}" --roads "$R" \
        --snap-max 5 --straight-access -o "$out/machakos-road-access.xml"
    "$cp_bin" compare "$K" "$out/machakos-straight.xml" "$out/machakos-road.xml" \
        "$out/machakos-road-access.xml" "${m[@]}" --roads "$R" --snap-max 5 --straight-access \
        -o "$out/machakos-compare.html"
fi

if [ "$what" = scale ] || [ "$what" = all ]; then
    echo "== a generated country: 100,000 schools, a dense road network, 10 km, instances/base.xml =="
    cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Iinclude -I. bench/roads_bench.c build/libclusterplan.a \
        $(pkg-config --libs libxml-2.0 gdal) -lglpk -lm -fopenmp -o "$out/roads_bench"
    if [ ! -s "$out/g100k-roads.gpkg" ]; then
        timed "generate --roads" "$cp_bin" generate --schools 100000 --seed 1 -o "$out/g100k.xml" \
            --roads "$out/g100k-roads.gpkg"
        sed 's/^/    /' "$out/last.out"
    fi
    timed "straight lines, every pair" "$out/roads_bench" "$out/g100k.xml" - instances/base.xml 10 2
    timed "by road, each school's 64 nearest" "$out/roads_bench" "$out/g100k.xml" \
        "$out/g100k-roads.gpkg" instances/base.xml 10 2 2 64
    timed "by road, every pair" "$out/roads_bench" "$out/g100k.xml" "$out/g100k-roads.gpkg" \
        instances/base.xml 10 2
fi
