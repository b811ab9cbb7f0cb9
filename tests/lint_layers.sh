#!/usr/bin/env bash
# The layer rule of README "Layout", checked on every #include of the
# library, the program and the tests (make lint; make test runs it first).
#
#   base <- model <- exact <- search <- bound <- solve <- io <- cli
#                    exact <- facilitators <- solve
#   inside io/:  gis (the GDAL wall) <- read, write
#
# A room may include its own headers and those of the rooms it stands on,
# never one above or beside it.  Third-party walls: glpk.h only in
# solver/exact/, libxml2 and (later) GDAL only in io/, omp.h and
# `#pragma omp` only in solver/base/par_omp.c.  Tests, benchmarks and the
# fuzz harness sit above everything.
#
# Usage: tests/lint_layers.sh [ROOT]   (ROOT: a tree to check, default the
# repository; the planted-violation test points it at a copy).
# Prints each violation as FILE:LINE: why, and "lint: N files, 0 violations".
set -u
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root" || exit 2

# What each room may include (besides include/clusterplan.h and itself).
allowed() {
    case $1 in
        solver/base) echo "" ;;
        solver/model) echo "solver/base" ;;
        solver/exact) echo "solver/base solver/model" ;;
        solver/search) echo "solver/base solver/model solver/exact" ;;
        solver/bound) echo "solver/base solver/model solver/exact solver/search" ;;
        solver/facilitators) echo "solver/base solver/model solver/exact" ;;
        solver/solve) echo "solver/base solver/model solver/exact solver/search solver/bound solver/facilitators" ;;
        io/gis) echo "solver/base solver/model solver/exact solver/search solver/bound solver/facilitators solver/solve" ;;
        io/read|io/write) echo "solver/base solver/model solver/exact solver/search solver/bound solver/facilitators solver/solve io/gis" ;;
        cli) echo "solver/base solver/model solver/exact solver/search solver/bound solver/facilitators solver/solve io/gis io/read io/write" ;;
        *) echo "ANY" ;;
    esac
}

# The room of a repository path: its folder (solver/X, io/X, cli, ...).
room_of() {
    case $1 in
        solver/*/*|io/*/*) echo "${1%/*}" ;;
        *) echo "${1%%/*}" ;;
    esac
}

violations=0
files=0
report() {
    echo "$1: $2"
    violations=$((violations + 1))
}

while IFS= read -r file; do
    files=$((files + 1))
    room=$(room_of "$file")
    may=$(allowed "$room")
    dir=${file%/*}
    while IFS=: read -r line text; do
        inc=$(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*["<]\([^">]*\)[">].*/\1/p' <<<"$text")
        [ -n "$inc" ] || continue
        case $inc in
            glpk.h)
                [ "$room" = solver/exact ] || [ "$may" = ANY ] ||
                    report "$file:$line" "includes glpk.h outside solver/exact/"
                continue ;;
            libxml/*|gdal*.h|ogr_*.h|ogr_api.h|cpl_*.h|proj.h)
                case $room in io/*) ;; *) [ "$may" = ANY ] ||
                    report "$file:$line" "includes $inc outside io/" ;; esac
                continue ;;
            omp.h)
                [ "$file" = solver/base/par_omp.c ] ||
                    report "$file:$line" "includes omp.h outside solver/base/par_omp.c"
                continue ;;
            clusterplan.h) continue ;;
        esac
        # A quoted include resolves beside the file first, then from the root.
        if [ -e "$dir/$inc" ]; then
            target=$(realpath --relative-to=. "$dir/$inc")
        elif [ -e "$inc" ]; then
            target=$inc
        else
            grep -q '#[[:space:]]*include[[:space:]]*"' <<<"$text" &&
                report "$file:$line" "includes \"$inc\", which is not in the tree"
            continue
        fi
        [ "$may" = ANY ] && continue
        troom=$(room_of "$target")
        [ "$troom" = "$room" ] && continue
        case " $may " in
            *" $troom "*) ;;
            *) report "$file:$line" "room $room includes $target from room $troom, which stands above or beside it (README \"Layout\")" ;;
        esac
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include' "$file")
    if [ "$file" != solver/base/par_omp.c ] && grep -qn '^[[:space:]]*#[[:space:]]*pragma[[:space:]]\+omp' "$file"; then
        report "$file:$(grep -n '#[[:space:]]*pragma[[:space:]]\+omp' "$file" | head -1 | cut -d: -f1)" \
            "uses #pragma omp outside solver/base/par_omp.c"
    fi
done < <(find solver io cli include tests bench -path bench/out -prune -o -name '*.[ch]' -print \
             2>/dev/null | LC_ALL=C sort)

# Every room of the rule exists and holds code (a rename must update the rule).
for room in solver/base solver/model solver/exact solver/search solver/bound solver/facilitators \
            solver/solve io/gis io/read io/write cli; do
    ls "$room"/*.c >/dev/null 2>&1 || report "$room" "a room of the layer rule holds no .c file"
done
# No source file outside the rooms.
for stray in solver/*.[ch] io/*.[ch]; do
    [ -e "$stray" ] && report "$stray" "a source file outside the rooms (solver/ROOM/, io/read/, io/write/)"
done

echo "lint: $files files, $violations violations"
[ "$violations" -eq 0 ]
