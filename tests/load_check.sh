#!/usr/bin/env bash
# The same answer on every machine (issue 27, part of `make check`): a
# generated country of 5,000 schools with no admin rule, solved with the
# default settings (no time limit: every budget is work) on 1 thread while
# a busy loop competes for the CPU, and on 2 threads on a quiet machine,
# gives the same solution bytes (the timing and thread-count attributes
# left out).
# Usage: tests/load_check.sh PATH/TO/clusterplan
set -u
cp_bin=$1
tmp=$(mktemp -d)
hog=
trap '[ -n "$hog" ] && kill "$hog" 2>/dev/null; rm -rf "$tmp"' EXIT
"$cp_bin" generate --schools 5000 --seed 1 -o "$tmp/g.xml" --quiet || exit 1
solve() { "$cp_bin" solve "$tmp/g.xml" -s instances/base.xml --admin-level 0 --objective travel \
              --threads "$1" -o "$2" --quiet 2>/dev/null; }
( while :; do :; done ) &
hog=$!
solve 1 "$tmp/busy-1.xml" || { echo "load: FAIL the solve on 1 thread failed"; exit 1; }
kill "$hog"; hog=
solve 2 "$tmp/quiet-2.xml" || { echo "load: FAIL the solve on 2 threads failed"; exit 1; }
strip() { sed 's/ seconds="[^"]*"//g; s/ threads="[^"]*"//' "$1"; }
if [ "$(strip "$tmp/busy-1.xml" | sha256sum)" = "$(strip "$tmp/quiet-2.xml" | sha256sum)" ]; then
    echo "load: 5,000 schools, default settings: 1 thread under load and 2 threads give the same bytes ($(grep -o 'status="[^"]*"' "$tmp/quiet-2.xml" | head -1))"
else
    echo "load: FAIL 1 thread under load and 2 threads differ:"
    diff <(strip "$tmp/busy-1.xml") <(strip "$tmp/quiet-2.xml") | head -5
    exit 1
fi
