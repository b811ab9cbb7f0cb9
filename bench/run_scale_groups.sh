#!/usr/bin/env bash
# Issue 24 at national scale, the same way every time: a generated country
# of N schools (default 10^6, seed 1) with two subjects (generate --groups
# math,english), solved by the heuristic with instances/base.xml's rules,
# side by side in one run: without study groups, then with every cluster
# holding at least MIN teachers of each subject (default 6), each under
# /usr/bin/time (wall, peak memory) on 2 threads, each layout re-evaluated
# by `evaluate` (violations, objective against the solve's).
# Usage: bench/run_scale_groups.sh [N] [MIN]   (EFFORT=F, default 1: the
# default effort, which the solver itself scales down above 50,000 schools)
set -uo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
min=${2:-6}
effort=${EFFORT:-1}
out=bench/out
mkdir -p "$out"
make -s all
cp_bin=build/clusterplan
inst="$out/generated-$n-groups.xml"
echo "machine: $(nproc) cores (shared with other workers: compare within one run), $(free -g | awk '/Mem:/ {print $2}') GiB; commit $(git rev-parse --short HEAD); effort $effort"
[ -s "$inst" ] || "$cp_bin" generate --schools "$n" --seed 1 --groups math,english -o "$inst" --quiet
attr() { sed -n "s/.*<$1[^>]* $2=\"\([^\"]*\)\".*/\1/p" "$3" | head -1; }
run() { # run NAME ARGS...
    local name=$1 sol="$out/generated-$n-run-$1.xml" wall kb
    shift
    /usr/bin/time -f "%e %M" -o "$out/time-groups.txt" "$cp_bin" solve "$inst" -s instances/base.xml \
        --method heuristic --effort "$effort" --threads 2 "$@" -o "$sol" --quiet
    read -r wall kb <"$out/time-groups.txt"
    "$cp_bin" evaluate "$inst" "$sol" -s instances/base.xml "$@" -o "$out/generated-$n-run-$name-eval.xml" --quiet
    echo "$name: wall ${wall} s, peak $((kb / 1024)) MB; unassigned $(attr solution unassigned "$sol"), objective" \
         "$(attr solution objective "$sol"); evaluate: $(attr indicators violations "$out/generated-$n-run-$name-eval.xml")" \
         "violations, objective $(attr solution objective "$out/generated-$n-run-$name-eval.xml")," \
         "clusters hosting both subjects $(attr indicators clusters-hosting-every-group "$out/generated-$n-run-$name-eval.xml")" \
         "of $(attr indicators clusters "$out/generated-$n-run-$name-eval.xml")"
}
run plain
run groups --group-min "math=$min" --group-min "english=$min"
