#!/usr/bin/env bash
# Reading GIS registers, side by side in one run (issue 22):
#   - the Kenya register (29,542 schools) as GML with the hand-written
#     reader of REV (default ce09773, the last commit before GDAL) and with
#     GDAL now, then as GeoPackage, Shapefile, GeoJSON, CSV, KML and
#     FlatGeobuf (made by ogr2ogr) and reprojected to UTM 37S;
#   - 10^6 generated schools as a GeoPackage (target: at most 10 s to read,
#     memory proportional to schools), and the same schools as native XML.
# Each read is `clusterplan validate` (read, model checks, no solve): wall
# seconds (best of REPEAT, default 3) and peak RSS.
# Usage: [REPEAT=K] bench/run_gis_read.sh [REV] [N]
set -uo pipefail
cd "$(dirname "$0")/.."
rev=${1:-ce09773}
n=${2:-1000000}
out=bench/out/gis-read
mkdir -p "$out"
make -s all
new_bin=build/clusterplan
old_tree=bench/out/compare-builds/tree-$rev
if [ ! -x "$old_tree/build/clusterplan" ]; then
    rm -rf "$old_tree"
    git worktree add --detach "$old_tree" "$rev" >/dev/null 2>&1 && make -s -C "$old_tree" all >/dev/null
fi
old_bin=$old_tree/build/clusterplan
kenya=../shared/data/kenya-schools-2016.gml
fields=(--field id=school_id --field admin1=county --field admin2=district --field admin3=zone)
echo "machine: $(nproc) cores; new $(git rev-parse --short HEAD), old $rev; GDAL $(gdal-config --version)"

best() { # best BIN FILE [ARGS]: "seconds peak-MB" (best of REPEAT)
    local bin=$1 file=$2 rep s kb best_s="" best_kb=""
    shift 2
    for rep in $(seq "${REPEAT:-3}"); do
        /usr/bin/time -f "%e %M" -o "$out/time" "$bin" validate "$file" "$@" --quiet >/dev/null 2>&1
        read -r s kb <"$out/time"
        if [ -z "$best_s" ] || awk -v a="$s" -v b="$best_s" 'BEGIN { exit !(a < b) }'; then
            best_s=$s; best_kb=$kb
        fi
    done
    printf '%s s, %d MB' "$best_s" $((best_kb / 1024))
}

if [ -r "$kenya" ]; then
    [ -s "$out/k.gpkg" ] || {
        ogr2ogr -f GPKG "$out/k.gpkg" "$kenya"
        ogr2ogr -f "ESRI Shapefile" "$out/k.shp" "$kenya"
        ogr2ogr -f GeoJSON "$out/k.geojson" "$kenya"
        ogr2ogr -f CSV "$out/k.csv" "$kenya" -lco GEOMETRY=AS_XY
        ogr2ogr -f KML "$out/k.kml" "$kenya"
        ogr2ogr -f FlatGeobuf "$out/k.fgb" "$kenya"
        ogr2ogr -f GPKG "$out/k-21037.gpkg" "$kenya" -t_srs EPSG:21037
    }
    echo "== Kenya register, 29,542 schools (validate: read + model checks)"
    [ -x "$old_bin" ] && echo "GML, hand-written reader ($rev): $(best "$old_bin" "$kenya" "${fields[@]}")"
    echo "GML, GDAL:                       $(best "$new_bin" "$kenya" "${fields[@]}")"
    for f in k.gpkg k.shp k.geojson k.csv k.kml k.fgb k-21037.gpkg; do
        printf '%-32s %s\n' "$f, GDAL:" "$(best "$new_bin" "$out/$f" "${fields[@]}")"
    done
else
    echo "$kenya absent: Kenya reads skipped"
fi

echo "== $n generated schools"
[ -s "$out/gen-$n.xml" ] || "$new_bin" generate --schools "$n" --seed 1 -o "$out/gen-$n.xml" >/dev/null
if [ ! -s "$out/gen-$n.gpkg" ]; then
    awk -f tests/native_to_csv.awk "$out/gen-$n.xml" >"$out/gen-$n.csv"
    ogr2ogr -f GPKG "$out/gen-$n.gpkg" "$out/gen-$n.csv" -nln schools -a_srs EPSG:4326 \
        -oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -oo KEEP_GEOM_COLUMNS=NO -gt 65536
    rm -f "$out/gen-$n.csv"
fi
echo "native XML ($(du -m "$out/gen-$n.xml" | cut -f1) MB): $(best "$new_bin" "$out/gen-$n.xml")"
echo "GeoPackage ($(du -m "$out/gen-$n.gpkg" | cut -f1) MB), GDAL: $(best "$new_bin" "$out/gen-$n.gpkg")"
