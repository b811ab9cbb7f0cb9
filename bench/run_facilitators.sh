#!/usr/bin/env bash
# Facilitator benchmarks (issue #5), the same way every time:
#   rank:   100,000 synthetic nominees (bench/gen_candidates.c, fixed seed)
#           with bench/facilitators/rubric.xml (the worked example's rules,
#           without the targeted regions); phases timed inside one process
#           (read + schema + SHA-256, rank, write), and the whole command;
#           `sha256sum` and `xmllint --stream` on the same file as references.
#   assign: 10,000 nominees (all holding the role, rubric-all.xml) at schools
#           of a generated 20,000-school country, to the ~5,000 clusters the
#           heuristic forms there (instances/base.xml rules), with the
#           scenario's admin rule (level 2) and without it (every pair).
# Usage: bench/run_facilitators.sh
set -euo pipefail
cd "$(dirname "$0")/.."
make -s all
out=bench/out
mkdir -p "$out"
cc -O2 -o "$out/gen_candidates" bench/gen_candidates.c
cc -std=c11 -O2 -D_POSIX_C_SOURCE=200809L -Iinclude bench/facilitator_bench.c \
    build/libclusterplan.a $(pkg-config --libs libxml-2.0 gdal) -lglpk -lm -fopenmp \
    -o "$out/facilitator_bench"
cp_bin=build/clusterplan
seconds() { local s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/ {print $2}') GiB; commit $(git rev-parse --short HEAD)"

country="$out/country-20k.xml"
[ -s "$country" ] || "$cp_bin" generate --schools 20000 --seed 1 -o "$country" --quiet
grep -o '<school id="[^"]*"' "$country" | cut -d'"' -f2 >"$out/country-20k.ids"

echo "== rank: 100,000 nominees =="
"$out/gen_candidates" 100000 1 <"$out/country-20k.ids" >"$out/candidates-100k.xml"
ls -l "$out/candidates-100k.xml" | awk '{printf "file %.1f MB\n", $5 / 1e6}'
for rep in 1 2 3; do
    "$out/facilitator_bench" rank "$out/candidates-100k.xml" bench/facilitators/rubric.xml \
        "$out/ranking-100k.xml"
    echo "whole command (read, rank, write XML): $(seconds "$cp_bin" rank "$out/candidates-100k.xml" \
        bench/facilitators/rubric.xml -o "$out/ranking-100k.xml" --quiet) s;" \
        "sha256sum $(seconds sha256sum "$out/candidates-100k.xml") s;" \
        "xmllint --stream $(seconds xmllint --stream --noout "$out/candidates-100k.xml") s;" \
        "xmllint --stream --schema $(seconds xmllint --stream --noout --schema schemas/candidates.xsd \
            "$out/candidates-100k.xml") s"
done

echo "== assign: 10,000 nominees to the clusters of a 20,000-school country =="
"$cp_bin" solve "$country" -s instances/base.xml --method heuristic -o "$out/country-20k-sol.xml" \
    --threads 2 | head -1
"$out/gen_candidates" 10000 2 <"$out/country-20k.ids" >"$out/candidates-10k.xml"
"$cp_bin" rank "$out/candidates-10k.xml" bench/facilitators/rubric-all.xml \
    -o "$out/ranking-10k.xml" --quiet
for level in 2 0; do
    "$out/facilitator_bench" assign "$country" "$out/country-20k-sol.xml" "$out/ranking-10k.xml" "$level"
done
