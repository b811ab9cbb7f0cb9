# native_to_csv.awk — a generated native instance (clusterplan generate) as a
# CSV of its schools, for ogr2ogr to turn into any GIS format: the columns
# the model reads from a GIS layer (id, lat, lon, teachers, quality, host,
# admin1..admin3).  Used by tests/gis_test.sh and bench/run_gis_read.sh.
# Usage: awk -f tests/native_to_csv.awk INSTANCE.xml > SCHOOLS.csv
function v(name,   m) {
    if (match($0, " " name "=\"[^\"]*\"")) {
        m = substr($0, RSTART, RLENGTH)
        sub("^ " name "=\"", "", m)
        sub("\"$", "", m)
        return m
    }
    return ""
}
BEGIN { print "id,lat,lon,teachers,quality,host,admin1,admin2,admin3" }
/<school / {
    print v("id") "," v("lat") "," v("lon") "," v("teachers") "," v("quality") "," \
          v("host") "," v("admin1") "," v("admin2") "," v("admin3")
}
