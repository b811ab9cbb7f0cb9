#!/usr/bin/env bash
# Benchmarks, run the same way every time; figures go to bench/RESULTS.md by
# hand with machine, commit and command.  Side-by-side ratios in one run,
# because the machines are shared and noisy.  Never part of CI.
#
#   reader: native XML throughput and peak memory at 10^5 and 10^6 schools,
#           against `xmllint --stream` (libxml2's own streaming parse of the
#           same file, no model built) as the reference.
#   exact:  bench/run_exact.sh (pmed, capacitated p-median, Kenya national);
#           `bench/run.sh exact` runs it, `bench/run.sh all` both.
set -euo pipefail
cd "$(dirname "$0")/.."
make -s all
out=bench/out
mkdir -p "$out"
cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Iinclude bench/read_bench.c build/libclusterplan.a \
    $(pkg-config --libs libxml-2.0) -lglpk -lm -fopenmp -o "$out/read_bench"

if [ "${1:-reader}" = exact ]; then exec bench/run_exact.sh all "${2:-60}"; fi
echo "== reader =="
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; commit $(git rev-parse --short HEAD)"
for n in 100000 1000000; do
    f="$out/native-$n.xml"
    [ -s "$f" ] || bench/gen_native.sh "$n" 1 >"$f"
    for rep in 1 2 3; do
        ref_start=$(date +%s.%N)
        xmllint --stream --noout "$f"
        ref=$(echo "$(date +%s.%N) - $ref_start" | bc)
        line=$("$out/read_bench" "$f")
        ours=$(echo "$line" | sed 's/.*seconds=\([0-9.]*\).*/\1/')
        echo "n=$n rep=$rep $line xmllint_stream_s=$ref ratio_ours_to_xmllint=$(echo "scale=2; $ours / $ref" | bc)"
    done
done
echo "-- same 10^6 schools, file padded to ~2x by an ignored attribute: memory must not grow --"
f="$out/native-1000000-padded.xml"
[ -s "$f" ] || bench/gen_native.sh 1000000 1 250 >"$f"
"$out/read_bench" "$f"
if [ "${1:-reader}" = all ]; then bench/run_exact.sh all "${2:-60}"; fi
