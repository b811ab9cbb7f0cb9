#!/usr/bin/env bash
# Runs the cmocka test programs of a build tree, then the command-line
# checks (tests/cli_test.sh, tests/cli_ranking_test.sh, tests/cli_model_test.sh),
# the GIS checks (tests/gis_test.sh) and the checks of distances by road
# (tests/roads_test.sh).  Usage: tests/run_tests.sh BUILD_DIR
# Prints one closing line "N passed, N failed" (suites, not assertions).
set -u
build=${1:-build}
cd "$(dirname "$0")/.."
passed=0
failed=0
for t in "$build"/tests/test_*; do
    [ -x "$t" ] || continue
    if "$t"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $t"; fi
done
if tests/cli_test.sh "$build/clusterplan"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: cli checks"; fi
if tests/cli_ranking_test.sh "$build/clusterplan"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: ranking checks"; fi
if tests/gis_test.sh "$build/clusterplan"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: gis checks"; fi
if tests/cli_model_test.sh "$build/clusterplan"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: model rules checks"; fi
if tests/roads_test.sh "$build/clusterplan"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: roads checks"; fi
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
