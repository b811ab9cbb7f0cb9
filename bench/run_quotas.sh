#!/usr/bin/env bash
# Quota selection speed (issue 25), the same way every time: 400 synthetic
# nominees (bench/gen_candidates.c, seed 7, at 300 schools) ranked with
# bench/facilitators/rubric-quotas27.xml (3 roles, 27 quotas), so the
# selection MILP runs with every quota and once without each of the 27
# (their costs).  Times the whole `rank` command REPEAT times (default 3);
# with OLD_BINARY also the same command of another build, in the same run,
# and whether the two lists agree (the same roles; quota effects may differ
# only where the rules changed).  The machine is shared: compare within
# one run.
# Usage: bench/run_quotas.sh [OLD_BINARY]
set -euo pipefail
cd "$(dirname "$0")/.."
make -s all
out=bench/out
mkdir -p "$out"
cc -O2 -o "$out/gen_candidates" bench/gen_candidates.c
seq -f 'S%04g' 1 300 | "$out/gen_candidates" 400 7 >"$out/candidates-400.xml"
rubric=bench/facilitators/rubric-quotas27.xml
seconds() { local s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); commit $(git rev-parse --short HEAD)"
echo "== 400 nominees x 27 quotas =="
build/clusterplan rank "$out/candidates-400.xml" "$rubric" -o "$out/quotas-400.xml" | head -4
for rep in $(seq 1 "${REPEAT:-3}"); do
    echo "rank: $(seconds build/clusterplan rank "$out/candidates-400.xml" "$rubric" -o "$out/quotas-400.xml" --quiet) s"
done
if [ $# -ge 1 ]; then
    echo "old build $1: $(seconds "$1" rank "$out/candidates-400.xml" "$rubric" -o "$out/quotas-400-old.xml" --quiet) s"
    sed -n 's/.*<candidate id="\([^"]*\)".* role="\([^"]*\)".*/\1 \2/p' "$out/quotas-400.xml" | sort >"$out/roles-new"
    sed -n 's/.*<candidate id="\([^"]*\)".* role="\([^"]*\)".*/\1 \2/p' "$out/quotas-400-old.xml" | sort >"$out/roles-old"
    if cmp -s "$out/roles-new" "$out/roles-old"; then echo "the same role holders"; else
        echo "role holders differ: $(diff "$out/roles-old" "$out/roles-new" | grep -c '^[<>]') lines"; fi
fi
