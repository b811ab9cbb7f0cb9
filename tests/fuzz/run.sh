#!/usr/bin/env bash
# Builds the libFuzzer harness with clang (ASan + UBSan) and either fuzzes
# for FUZZ_SECONDS (default 60) starting from the seed corpus (every test
# input file), or, with `replay`, runs each file of tests/fuzz/crashes and
# the seed corpus once (the check in `make check`).
# Usage: tests/fuzz/run.sh [fuzz|replay]
set -euo pipefail
cd "$(dirname "$0")/../.."
mode=${1:-fuzz}
out=build-fuzz
mkdir -p "$out" tests/fuzz/crashes
if ! command -v clang >/dev/null; then
    # in CI the tool is installed (.ci/install-deps.sh): its absence is a failure, not a skip
    [ "${CI:-}" = true ] && { echo "fuzz: FAIL clang not installed in CI"; exit 1; }
    echo "fuzz: clang not installed, skipped"; exit 0
fi
gdal_cflags=$(pkg-config --cflags gdal | sed 's/-I/-isystem /g')
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -g -O1 -Iinclude -I. $(pkg-config --cflags libxml-2.0) $gdal_cflags -fsanitize=fuzzer,address,undefined"
make -s build/gen/schemas.c build/gen/assets.c # the shipped XSDs, Leaflet and the report script as C arrays
clang $flags tests/fuzz/fuzz_readers.c $(ls solver/*/*.c | grep -v par_omp.c) io/*/*.c build/gen/schemas.c build/gen/assets.c $(pkg-config --libs libxml-2.0) $(pkg-config --libs gdal) -lglpk -lm -lpthread \
    -o "$out/fuzz_readers" 2>&1 | grep -v "warning: argument unused" || true
corpus="$out/corpus"
mkdir -p "$corpus"
cp tests/fuzz/seeds/* tests/data/good/* tests/data/edge/* tests/data/bad/*.xml tests/data/bad/*.gml tests/data/bad/*.kml instances/*.xml bench/facilitators/*.xml bench/studies/*.xml "$corpus/" 2>/dev/null || true
if [ "$mode" = replay ]; then
    files=$(ls tests/fuzz/crashes/* "$corpus"/* 2>/dev/null || true)
    "$out/fuzz_readers" $files >"$out/replay.log" 2>&1 || { tail -20 "$out/replay.log"; exit 1; }
    echo "fuzz replay: $(echo "$files" | wc -w) inputs, no crash"
else
    "$out/fuzz_readers" -max_total_time="${FUZZ_SECONDS:-60}" -max_len=65536 \
        -artifact_prefix=tests/fuzz/crashes/ "$corpus"
fi
