#!/bin/sh
# Writes a synthetic native instance of N schools to stdout (awk only, so it
# runs anywhere): clustered points, every attribute a GIS export carries.
# PAD > 0 adds a `note` attribute of PAD characters per school (not a model
# field: read and ignored), to grow the file without growing the model.
# Usage: bench/gen_native.sh N [SEED] [PAD]
n=${1:?N}
seed=${2:-1}
pad=${3:-0}
awk -v n="$n" -v seed="$seed" -v pad="$pad" 'BEGIN {
    srand(seed);
    note = "";
    for (k = 0; k < pad; k++) note = note "x";
    print "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";
    print "<instance name=\"synthetic-" n "\" distance=\"haversine\">";
    for (i = 1; i <= n; i++) {
        if (i % 200 == 1) { clat = -4 + 9 * rand(); clon = 34 + 7 * rand(); county = int(i / 20000); }
        printf "  <school id=\"S%d\" name=\"School %d &amp; Annex\" lat=\"%.5f\" lon=\"%.5f\" teachers=\"%d\" enrolment=\"%d\" quality=\"%.2f\" host=\"%s\" admin1=\"County %d\" admin2=\"District %d\" admin3=\"Zone %d\" cluster=\"Z%d\"%s/>\n",
            i, i, clat + 0.2 * (rand() - 0.5), clon + 0.2 * (rand() - 0.5), 2 + int(30 * rand()),
            50 + int(900 * rand()), rand(), (rand() < 0.9 ? "true" : "false"),
            county, int(i / 2000), int(i / 200), int(i / 20), (pad > 0 ? " note=\"" note "\"" : "");
    }
    print "</instance>";
}'
