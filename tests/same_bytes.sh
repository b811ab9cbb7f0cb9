#!/usr/bin/env bash
# The OpenMP build and its serial twin (PAR=none, par_none.c) give the same
# bytes: solutions (XML, CSV, GeoJSON) of the shipped and generated
# instances by every method, and a ranking, compared with the timing and
# thread-count attributes left out.  Part of `make check`.
# Usage: tests/same_bytes.sh OMP_BINARY SERIAL_BINARY
set -u
omp=$1
serial=$2
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
checks=0
fails=0
strip() { sed -E 's/ (seconds|threads|slowest-part-seconds)="[^"]*"//g' "$1"; }
"$omp" generate --schools 3000 --seed 5 -o "$tmp/gen.xml" >/dev/null
mkdir -p "$tmp/omp" "$tmp/serial"
run_both() { # run_both NAME ARGS... (outputs NAME.xml NAME.csv NAME.geojson, one folder per build:
             # a GIS layer is named after its file)
    local name=$1 bin tag
    shift
    for tag in omp serial; do
        bin=$omp; [ $tag = serial ] && bin=$serial
        "$bin" "$@" -o "$tmp/$tag/$name.xml" -o "$tmp/$tag/$name.csv" -o "$tmp/$tag/$name.geojson" \
            --quiet || { echo "same-bytes: FAIL $name ($tag) exit $?"; fails=$((fails + 1)); }
    done
    for ext in xml csv geojson; do
        checks=$((checks + 1))
        cmp -s <(strip "$tmp/omp/$name.$ext") <(strip "$tmp/serial/$name.$ext") ||
            { echo "same-bytes: FAIL $name.$ext differs between PAR=omp and PAR=none"; fails=$((fails + 1)); }
    done
}
for method in auto milp heuristic; do
    run_both "kilifi-$method" solve instances/kilifi-demo.xml -s instances/base.xml --method $method
done
run_both gen-heuristic solve "$tmp/gen.xml" -s instances/base.xml --method heuristic --threads 2 --time-limit 0
run_both gen-auto solve "$tmp/gen.xml" -s instances/base.xml --threads 2 --time-limit 0
run_both kilifi-existing evaluate instances/kilifi-demo.xml --existing -s instances/base.xml
for tag in omp serial; do
    bin=$omp; [ $tag = serial ] && bin=$serial
    "$bin" rank instances/yemen-candidates.xml instances/yemen-rubric-quotas.xml -o "$tmp/rank-$tag.xml" >/dev/null
done
checks=$((checks + 1))
cmp -s "$tmp/rank-omp.xml" "$tmp/rank-serial.xml" || { echo "same-bytes: FAIL ranking differs"; fails=$((fails + 1)); }
echo "same-bytes: $((checks - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
