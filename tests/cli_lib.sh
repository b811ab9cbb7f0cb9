# Shared by the command-line check scripts (tests/cli_test.sh,
# tests/cli_ranking_test.sh): each check adds to $checks and, when it
# fails, to $fails, and prints "$label: FAIL ..." ($label defaults to cli).
# The scripts set $tmp (a scratch folder) before sourcing this file.
expect() { # expect CODE DESCRIPTION -- COMMAND...
    local want=$1 what=$2 got
    shift 3
    "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    checks=$((checks + 1))
    if [ "$got" -ne "$want" ]; then
        fails=$((fails + 1))
        echo "${label:-cli}: FAIL $what: exit $got, expected $want"
        sed 's/^/    /' "$tmp/err" | head -5
    fi
}
contains() { # contains FILE TEXT DESCRIPTION
    checks=$((checks + 1))
    if ! grep -qF -- "$2" "$1"; then
        fails=$((fails + 1))
        echo "${label:-cli}: FAIL $3: '$2' not in output"
    fi
}
# A tool or data set the checks need: outside CI its absence skips those
# checks (said on stdout); in CI (CI=true), where .ci/install-deps.sh
# installs every tool and shared/ is laid beside the clone, it fails.
missing() { # missing WHAT
    if [ "${CI:-}" = true ]; then
        fails=$((fails + 1)); checks=$((checks + 1))
        echo "${label:-cli}: FAIL $1 absent in CI"
    else
        echo "${label:-cli}: $1 absent: skipped"
    fi
}
absent() { # absent PATH DESCRIPTION
    checks=$((checks + 1))
    if [ -e "$1" ] || ls "$1".tmp.* >/dev/null 2>&1; then
        fails=$((fails + 1))
        echo "${label:-cli}: FAIL $2: $1 exists"
    fi
}
equal() { # equal GOT WANT DESCRIPTION
    checks=$((checks + 1))
    if [ "$1" != "$2" ]; then fails=$((fails + 1)); echo "${label:-cli}: FAIL $3: got '$1', expected '$2'"; fi
}
# FILE1 FILE2 WHAT: the same bytes but for the seconds and thread count a
# solution records (runs on 1 and 2 threads)
same_but_timing() {
    checks=$((checks + 1))
    diff <(sed 's/ seconds="[^"]*"//; s/ threads="[^"]*"//' "$1") \
         <(sed 's/ seconds="[^"]*"//; s/ threads="[^"]*"//' "$2") >/dev/null ||
        { fails=$((fails + 1)); echo "${label:-cli}: FAIL $3"; }
}
