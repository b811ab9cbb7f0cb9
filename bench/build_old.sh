# Sourced by the side-by-side benchmarks (run_compare_builds.sh,
# run_count.sh): `build_old REV` checks REV out once as a worktree under
# bench/out/compare-builds/ and builds it there, and sets old_bin to its
# program; the current tree is built too, as new_bin.  Exits 2 when REV
# cannot be checked out or built.
build_old() {
    local rev=$1 tree=bench/out/compare-builds/tree-$1
    mkdir -p bench/out/compare-builds
    make -s all
    new_bin=build/clusterplan
    if [ ! -x "$tree/build/clusterplan" ]; then
        rm -rf "$tree"
        git worktree add --detach "$tree" "$rev" >/dev/null 2>&1 || { echo "cannot check out $rev"; exit 2; }
        make -s -C "$tree" all >/dev/null || { echo "cannot build $rev"; exit 2; }
    fi
    old_bin=$tree/build/clusterplan
}
