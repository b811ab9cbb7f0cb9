#!/usr/bin/env bash
# The harder capacitated set (issue 27), the same way every time: capacitated
# p-median instances of 300-3,000 points drawn by bench/gen_capacitated.c
# (seed 1), each solved by auto at the named efforts quick, default and
# thorough (deterministic), then by a long anytime run (--anytime
# --time-limit ANYTIME_SECONDS) for the best layout we know; the best bound
# is the largest any run proved.  Prints one line per run: objective, bound,
# seconds, and the excess over the best known layout.
# Usage: bench/run_capacitated.sh [SIZES] [ANYTIME_SECONDS]   (default "300 600 1000 2000 3000" 300)
# RUNS="default" runs only those efforts; CP_BIN=path/to/clusterplan runs
# another build (side by side with this one, e.g. a clean clone's).
set -uo pipefail
cd "$(dirname "$0")/.."
sizes=${1:-300 600 1000 2000 3000}
anytime=${2:-300}
out=bench/out/cap
mkdir -p "$out"
make -s all
cc -O2 -o "$out/gen" bench/gen_capacitated.c -lm
cp_bin=${CP_BIN:-build/clusterplan}
runs=${RUNS:-quick default thorough anytime}
echo "machine: $(nproc) cores; commit $(git rev-parse --short HEAD); binary $cp_bin; anytime ${anytime} s"
attr() { sed -n "s/.*<solution[^>]* $1=\"\([^\"]*\)\".*/\1/p" "$2" | head -1; }
for n in $sizes; do
    inst="$out/c$n-1.xml" sc="$out/c$n-1-sc.xml"
    "$out/gen" "$n" 1 "$inst" "$sc"
    best=""
    bound=""
    for run in $runs; do
        sol="$out/c$n-1-$run.xml"
        if [ "$run" = anytime ]; then
            args=(--anytime --time-limit "$anytime")
        else
            args=(--effort "$run")
        fi
        "$cp_bin" solve "$inst" -s "$sc" "${args[@]}" --threads 2 -o "$sol" --quiet 2>/dev/null
        obj=$(attr objective "$sol") bnd=$(attr bound "$sol") sec=$(attr seconds "$sol")
        printf "c%-5s %-9s objective %-12.2f bound %-12.2f seconds %7.2f\n" "$n" "$run" "$obj" "${bnd:-0}" "$sec"
        best=$(awk -v a="$best" -v b="$obj" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
        bound=$(awk -v a="$bound" -v b="${bnd:-0}" 'BEGIN { print (a == "" || b + 0 > a + 0) ? b : a }')
    done
    for run in $runs; do
        obj=$(attr objective "$out/c$n-1-$run.xml")
        printf "c%-5s %-9s excess over the best known %.3f %%\n" "$n" "$run" \
            "$(awk -v a="$obj" -v b="$best" 'BEGIN { print 100 * (a - b) / b }')"
    done
    printf "c%-5s best known %.2f, best bound %.2f, gap %.3f %%\n" "$n" "$best" "$bound" \
        "$(awk -v a="$best" -v b="$bound" 'BEGIN { print 100 * (a - b) / a }')"
done
