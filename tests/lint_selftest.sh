#!/usr/bin/env bash
# The layer lint must fail on a planted violation of each kind: a room
# including one above it, glpk.h outside exact/, #pragma omp outside
# par_omp.c, io/ including cli/.  Run by make lint on a copy of the tree.
set -u
cd "$(dirname "$0")/.."
copy=$(mktemp -d)
trap 'rm -rf "$copy"' EXIT
tar cf - solver io cli include | tar xf - -C "$copy"
sed -i '0,/#include "model.h"/s//#include "model.h"\n#include "solver\/solve\/solve.h"/' "$copy/solver/model/layout.c"
echo '#include <glpk.h>' >> "$copy/solver/search/heur_move.c"
echo '#pragma omp barrier' >> "$copy/solver/base/util.c"
echo '#include "../../cli/cli.h"' >> "$copy/io/write/write_map.c"
out=$(tests/lint_layers.sh "$copy")
rc=$?
fail=0
for want in "solver/model/layout.c:7: room solver/model includes solver/solve/solve.h" \
            "solver/search/heur_move.c:[0-9]*: includes glpk.h outside solver/exact/" \
            "solver/base/util.c:[0-9]*: uses #pragma omp outside" \
            "io/write/write_map.c:[0-9]*: room io/write includes cli/cli.h"; do
    grep -q "$want" <<<"$out" || { echo "lint self-test: not caught: $want"; fail=1; }
done
[ $rc -ne 0 ] || { echo "lint self-test: planted violations passed"; fail=1; }
[ $fail -eq 0 ] && echo "lint self-test: 4 planted violations caught"
exit $fail
