#!/usr/bin/env bash
# Command-line checks of the committee's publication (issue 25): every
# field of a published ranking tampered with in turn, in the XML and in the
# CSV, fails `rank --verify` naming that field; the list digest, the public
# version, `rank --diff` after a withdrawal and a changed score; typos in
# the rubric and an unknown role or level (exit 2 with the line); an output
# that names an input and several -o (all or nothing); the CSV's byte order
# mark and its neutralised formulas; `validate` of an edited ranking.
# The worked example is tests/data/good/ranking-ar-*.xml (Arabic names, a
# rater at a nominee's school, a recusal, a withdrawal, a binding quota).
# Usage: tests/cli_ranking_test.sh PATH/TO/clusterplan
set -u
cp_bin=$1
label=ranking
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
checks=0
fails=0
. tests/cli_lib.sh

c=tests/data/good/ranking-ar-candidates.xml
r=tests/data/good/ranking-ar-rubric.xml
expect 0 "rank the Arabic example" -- "$cp_bin" rank $c $r -o "$tmp/list.xml" -o "$tmp/list.csv" -o "$tmp/list.html"
contains "$tmp/list.html" '<html lang="ar" dir="rtl">' "an Arabic rubric gives a right-to-left page"
contains "$tmp/list.xml" 'withdrawn="true"' "the withdrawal is published"
contains "$tmp/list.xml" 'excluded="same-school"' "a same-school score is excluded"
contains "$tmp/list.xml" 'excluded="recused"' "a recused score is excluded"
expect 0 "verify the XML" -- "$cp_bin" rank $c $r --verify "$tmp/list.xml"
contains "$tmp/out" "verified:" "the XML verifies"
expect 0 "verify the CSV" -- "$cp_bin" rank $c $r --verify "$tmp/list.csv"
digest=$(sed -n 's/.* list-sha256="\([0-9a-f]*\)".*/\1/p' "$tmp/list.xml")
expect 0 "verify the digest" -- "$cp_bin" rank $c $r --verify "$digest"
grep -q "content=\"$digest\"" "$tmp/list.html" && grep -q "# list-sha256 $digest;" "$tmp/list.csv"
equal $? 0 "the HTML and the CSV carry the list digest"
expect 1 "a wrong digest" -- "$cp_bin" rank $c $r --verify "$(echo "$digest" | tr 0-9a-f 1-9a-f0)"
contains "$tmp/out" "MISMATCH list digest" "a wrong digest is named"

# every (element, attribute) of the XML, tampered with one at a time: its
# first occurrence changed (a number + 1, a boolean flipped, text + "x")
tamper_xml() { # tamper_xml ELEMENT ATTRIBUTE < IN > OUT
    awk -v el="$1" -v at="$2" '
        !done && index($0, "<" el " ") && index($0, " " at "=\"") {
            i = index($0, " " at "=\"") + length(at) + 3
            rest = substr($0, i); j = index(rest, "\"")
            v = substr(rest, 1, j - 1)
            if (v ~ /^-?[0-9]+(\.[0-9]+)?$/) nv = v + 1
            else if (v == "true") nv = "false"
            else if (v == "false") nv = "true"
            else nv = v "x"
            $0 = substr($0, 1, i - 1) nv substr(rest, j)
            done = 1
        }
        { print }'
}
pairs=$(awk '/^ *<[a-z]/ { el = $1; sub(/^ *</, "", el); line = $0
            while (match(line, / [a-z][a-z0-9-]*="/)) {
                a = substr(line, RSTART + 1, RLENGTH - 3)
                if (!seen[el " " a]++) print el "/" a
                line = substr(line, RSTART + RLENGTH) } }' "$tmp/list.xml")
# (two verifications at a time: each run is mostly the program's start)
fields=0 caught=0
mkdir "$tmp/tampered"
for p in $pairs; do
    fields=$((fields + 1))
    tamper_xml "${p%/*}" "${p#*/}" <"$tmp/list.xml" >"$tmp/tampered/$fields.xml"
done
seq 1 $fields | xargs -P 2 -I{} sh -c '"$1" rank "$2" "$3" --verify "$4/{}.xml" >"$4/{}.out" 2>&1; echo $? >"$4/{}.rc"' \
    - "$cp_bin" $c $r "$tmp/tampered"
k=0
for p in $pairs; do
    k=$((k + 1))
    if [ "$(cat "$tmp/tampered/$k.rc")" = 1 ] && grep -q "^MISMATCH .*: ${p#*/}: published " "$tmp/tampered/$k.out"
    then caught=$((caught + 1)); else
        echo "ranking: FAIL tampered ${p%/*} ${p#*/}: exit $(cat "$tmp/tampered/$k.rc")"
        sed 's/^/    /' "$tmp/tampered/$k.out" | head -3; fi
done
equal "$caught of $fields" "$fields of $fields" "every XML field tampered with is named by --verify"
[ "$fields" -ge 75 ]; equal $? 0 "the tampered fields cover the whole ranking ($fields)"
# the text of a reason and of a flag, an element removed, one added
for el in reason flag; do
    awk -v el="$el" '!done && sub("<" el ">", "<" el ">x") { done = 1 } { print }' "$tmp/list.xml" >"$tmp/t.xml"
    expect 1 "tampered <$el> text" -- "$cp_bin" rank $c $r --verify "$tmp/t.xml"
    contains "$tmp/out" ": text: published \"x" "the $el's text is named"
done
awk '/<rating / && !done { done = 1; next } { print }' "$tmp/list.xml" >"$tmp/t.xml"
expect 1 "a rating removed" -- "$cp_bin" rank $c $r --verify "$tmp/t.xml"
contains "$tmp/out" "candidate A06 / criterion written / rating #1: missing from the published ranking" "the missing rating is named"
awk '{ print } /<reserve / && !done { print "    <nominee position=\"9\" candidate=\"A99\"/>"; done = 1 }' "$tmp/list.xml" >"$tmp/t.xml"
expect 1 "a reserve nominee added" -- "$cp_bin" rank $c $r --verify "$tmp/t.xml"
contains "$tmp/out" "not in the recomputation" "the added nominee is named"

# every cell of the CSV's first row (which has no quoted commas), each in a
# column of its own, tampered with at once: text + "x", a number + 1, an
# empty cell "1"; --verify names every column
awk -F, -v OFS=, 'NR == 2 { for (k = 1; k <= NF; k++)
        if ($k ~ /^".*"$/) $k = substr($k, 1, length($k) - 1) "x\""
        else if ($k == "") $k = 1
        else $k = $k + 1 }
    { print }' "$tmp/list.csv" >"$tmp/t.csv"
expect 1 "every cell of a CSV row tampered with" -- "$cp_bin" rank $c $r --verify "$tmp/t.csv"
fields=0 caught=0
for name in $(head -1 "$tmp/list.csv" | tr -d '\357\273\277"' | tr ' ,' '_ '); do
    fields=$((fields + 1))
    grep -qF "column \"${name//_/ }\": published" "$tmp/out" && caught=$((caught + 1)) ||
        echo "ranking: FAIL tampered CSV column ${name//_/ } not named"
done
equal "$caught of $fields" "$fields of $fields" "every CSV column tampered with is named by --verify"
sed 's/# list-sha256 [0-9a-f]/# list-sha256 x/' "$tmp/list.csv" >"$tmp/t.csv"
expect 1 "the CSV's digest tampered with" -- "$cp_bin" rank $c $r --verify "$tmp/t.csv"
contains "$tmp/out" 'footer: column "list-sha256"' "the CSV's digest is named"
head -c 3 "$tmp/list.csv" | od -An -tx1 | grep -q 'ef bb bf'
equal $? 0 "the CSV starts with a UTF-8 byte order mark"

# the public version leaves out what the rubric marks private and verifies
expect 0 "public version" -- "$cp_bin" rank $c $r --public -o "$tmp/public.xml" -o "$tmp/public.html" -o "$tmp/public.csv"
grep -q ' gender=\| <rating ' "$tmp/public.xml"
equal $? 1 "the public XML has no gender and no rater's score"
grep -q 'by rater\|<th rowspan="2">Gender' "$tmp/public.html"
equal $? 1 "the public page has no gender and no rater's score"
contains "$tmp/public.xml" "list-sha256=\"$digest\"" "the public version names the full list's digest"
expect 0 "verify the public XML" -- "$cp_bin" rank $c $r --verify "$tmp/public.xml"
expect 0 "verify the public CSV" -- "$cp_bin" rank $c $r --verify "$tmp/public.csv"
expect 0 "validate the XML" -- "$cp_bin" validate "$tmp/list.xml"
contains "$tmp/out" "list-sha256 $digest matches its content" "validate checks the digest"
tamper_xml candidate name <"$tmp/list.xml" >"$tmp/t.xml"
expect 2 "validate an edited XML" -- "$cp_bin" validate "$tmp/t.xml"
contains "$tmp/err" "does not match its list-sha256" "the edit is found without the inputs"
expect 0 "validate the CSV ranking" -- "$cp_bin" validate "$tmp/list.csv"
contains "$tmp/out" "a CSV ranking of 12 rows; its list-sha256 $digest is the XML list's" "a CSV ranking is not read as a GIS layer"
# records in another order: the same fields, but not the list its digest names
awk '/^  <candidate /{n++} n==1{a=a $0 ORS; next} n==2&&!d{b=b $0 ORS; if(/^  <\/candidate>/){printf "%s%s", b, a; d=1}; next} {print}' "$tmp/list.xml" >"$tmp/swapped.xml"
expect 1 "verify an XML with two candidates swapped" -- "$cp_bin" rank $c $r --verify "$tmp/swapped.xml"
contains "$tmp/out" "MISMATCH candidate A06: published after candidate A03, recomputed before it (records reordered)" "the reordered candidates are named"
sed '2{h;d};3{G}' "$tmp/list.csv" >"$tmp/swapped.csv"
expect 1 "verify a CSV with two rows swapped" -- "$cp_bin" rank $c $r --verify "$tmp/swapped.csv"
contains "$tmp/out" "row A06: published after row A03" "the reordered rows are named"
awk '/^  <candidate id="A08"/{m=1} m{b=b $0 ORS; if(/^  <\/candidate>/) m=0; next} {a=a $0 ORS} END{sub(/  <candidate id="A06"/, b "&", a); printf "%s", a}' "$tmp/list.xml" >"$tmp/moved.xml"
expect 1 "verify an XML with the last candidate moved to the top" -- "$cp_bin" rank $c $r --verify "$tmp/moved.xml"
equal "$(grep -c 'records reordered' "$tmp/out")" 1 "one record moved: one line"
expect 2 "verify the HTML page" -- "$cp_bin" rank $c $r --verify "$tmp/list.html"
contains "$tmp/err" "an HTML page, made for reading: verify the XML or CSV ranking" "the page is not mistaken for a broken XML"
expect 0 "verify the digest in capitals" -- "$cp_bin" rank $c $r --verify "$(echo "$digest" | tr a-f A-F)"

# --diff: a withdrawal undone and a score changed
sed 's/ withdrawn="true"//; s/<score criterion="written" value="83"\/>/<score criterion="written" value="60"\/>/' $c >"$tmp/c2.xml"
expect 0 "rank the re-run" -- "$cp_bin" rank "$tmp/c2.xml" $r -o "$tmp/list2.xml" --quiet
expect 1 "diff two rankings" -- "$cp_bin" rank --diff "$tmp/list.xml" "$tmp/list2.xml"
contains "$tmp/out" "A12 سلمى: returned" "the returned nominee is named"
contains "$tmp/out" "own changes: written score 83 -> 60" "the changed score is the reason"
contains "$tmp/out" "no change of its own; moved by: A09" "who moved without a change is explained"
expect 0 "diff a ranking with itself" -- "$cp_bin" rank --diff "$tmp/list.xml" "$tmp/list.xml"
expect 2 "diff a CSV" -- "$cp_bin" rank --diff "$tmp/list.csv" "$tmp/list.xml"
sed '0,/ total="87.5" rank="1"/s// total="60" rank="1"/' "$tmp/list.xml" >"$tmp/edited.xml"
expect 2 "diff against an edited ranking" -- "$cp_bin" rank --diff "$tmp/list.xml" "$tmp/edited.xml"
contains "$tmp/err" "edited.xml: its content does not match its list-sha256" "an edit is not read as the quotas' doing"

# unknown names and levels: exit 2 with the line
sed 's/order="interview written experience-years"/order="intervew written experience-years"/' $r >"$tmp/typo.xml"
expect 2 "a tie-break typo" -- "$cp_bin" rank $c "$tmp/typo.xml" -o "$tmp/none.xml"
contains "$tmp/err" 'typo.xml:25: <tie-break> order="intervew"' "the typo and its line"
absent "$tmp/none.xml" "nothing written after a typo"
sed '0,/education="master"/s//education="phd"/' $c >"$tmp/phd.xml"
expect 2 "a level not in the table" -- "$cp_bin" rank "$tmp/phd.xml" $r
contains "$tmp/err" "<candidate> education=\"phd\": not a level of the rubric's education table" "the unknown level and its line"
# rubric rules that could hold no one, or by accident: exit 2 with the line
for rule in '<target region="تعزز"/>|<target> region="تعزز": no nominee of' \
            '<require attribute="education" one-of="mastr"/>|<require> one-of="mastr": not a level of education' \
            '<require attribute="education" min="3"/>|not min' \
            '<role name="late" min-percentile="50"/>|<role> name="late": could hold no one: role' \
            '<role name="top" min-percentile="100"/>|no percentile is above 100' \
            '<require criterion="written" min="500"/>|<require> min="500": above the criterion'"'"'s max of 100'; do
    sed "s#</rubric>#${rule%%|*}</rubric>#" $r >"$tmp/rule.xml"
    expect 2 "rubric rule ${rule%%|*}" -- "$cp_bin" rank $c "$tmp/rule.xml" -o "$tmp/none.xml"
    contains "$tmp/err" "${rule#*|}" "the rule ${rule%%|*} is named"
done
# a band two earlier bands take end to end: 40-80 and above 80 leave nothing above 60
sed 's#min-percentile="40"/>#min-percentile="40" max-percentile="80"/><role name="late" min-percentile="60"/>#' $r >"$tmp/rule.xml"
expect 2 "a role two earlier bands cover together" -- "$cp_bin" rank $c "$tmp/rule.xml" -o "$tmp/none.xml"
contains "$tmp/err" "could hold no one: roles مدرب معلمين on line 24, مدرب رئيسي on line 23, listed before it, take every percentile above 60" "both covering roles are named"
absent "$tmp/none.xml" "nothing ranked under a rule that could hold no one"
sed 's/order="interview written experience-years"/order="gender"/' $r >"$tmp/rule.xml"
expect 2 "a tie-break by gender" -- "$cp_bin" rank $c "$tmp/rule.xml"
contains "$tmp/err" "a nominee's gender has no order to break a tie by" "a field without an order is named as such"
sed 's#</rubric>#<quota role="مدرب معلمين" region="لحجج" at-least="1"/></rubric>#' $r >"$tmp/rule.xml"
expect 0 "a region quota no nominee can meet" -- "$cp_bin" rank $c "$tmp/rule.xml"
contains "$tmp/out" "(SHORTFALL: no nominee is from region لحجج)" "the shortfall says why"
expect 0 "the page of an unmet quota" -- "$cp_bin" rank $c "$tmp/rule.xml" -o "$tmp/unmet.html" --quiet
contains "$tmp/unmet.html" "<strong>1 quota could not be met</strong>" "the page says so at its top"
# seats the id decided, and seats the quotas leave empty, are said
cat >"$tmp/tie-c.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<candidates name="tie">
  <candidate id="A1" name="Ann" gender="female" school="S1" region="North" education="degree"><score criterion="written" value="80"/></candidate>
  <candidate id="A2" name="Ben" gender="male" school="S2" region="North" education="degree"><score criterion="written" value="80"/></candidate>
  <candidate id="A3" name="Cat" gender="female" school="S3" region="South" education="diploma"><score criterion="written" value="70"/></candidate>
  <candidate id="A4" name="Dan" gender="male" school="S4" region="South" education="degree"><score criterion="written" value="90"/></candidate>
  <candidate id="A5" name="Eve" gender="male" school="S5" region="North" education="diploma"><score criterion="written" value="60"/></candidate>
</candidates>
EOF
cat >"$tmp/tie-r.xml" <<'EOF'
<?xml version="1.0" encoding="UTF-8"?>
<rubric name="tie">
  <criterion id="written" max="100" weight="100"/>
  <points attribute="education"><value is="diploma" points="0"/><value is="degree" points="5"/></points>
  <role name="lead" min-percentile="60"/>
  <role name="member" min-percentile="0"/>
</rubric>
EOF
expect 0 "a lead seat the id decides" -- "$cp_bin" rank "$tmp/tie-c.xml" "$tmp/tie-r.xml"
contains "$tmp/out" "note: A1 and A2 tie on the total and every tie-break key, and the id ordered them: A1 falls in band lead, A2 in band member" "the band decided by id is said"
sed 's#</rubric>#<target region="North"/><target region="East"/></rubric>#' "$tmp/tie-r.xml" >"$tmp/targets.xml"
expect 0 "a target region without nominees this round, beside one with" -- "$cp_bin" rank "$tmp/tie-c.xml" "$tmp/targets.xml"
contains "$tmp/out" "note: target region East: no nominee is from it" "the empty target is noted"
sed 's#</rubric>#<target region="north"/><target region="South"/></rubric>#' "$tmp/tie-r.xml" >"$tmp/targets.xml"
expect 2 "a target region in the wrong case" -- "$cp_bin" rank "$tmp/tie-c.xml" "$tmp/targets.xml"
contains "$tmp/err" '<target> region="north": no nominee of' "the case typo is named"
sed 's/ education="degree"/ education="degree" expertise="science"/' "$tmp/tie-c.xml" >"$tmp/expertise.xml"
sed 's#</rubric>#<require attribute="expertise" one-of="science maths"/></rubric>#' "$tmp/tie-r.xml" >"$tmp/one-of.xml"
expect 0 "a one-of value no nominee holds this round" -- "$cp_bin" rank "$tmp/expertise.xml" "$tmp/one-of.xml"
sed 's#</rubric>#<require attribute="expertise" one-of="sciense maths"/></rubric>#' "$tmp/tie-r.xml" >"$tmp/one-of.xml"
expect 2 "a one-of list no nominee meets" -- "$cp_bin" rank "$tmp/expertise.xml" "$tmp/one-of.xml"
contains "$tmp/err" "has any of these expertise values, so every nominee would be excluded" "the list no one meets is named"
sed 's#<score criterion="written" value="80"/></candidate>#<score criterion="written" value="80"/><score criterion="written" value="70" rater="R2"/></candidate>#' "$tmp/tie-c.xml" >"$tmp/mixed-raters.xml"
expect 2 "a criterion scored with and without a rater" -- "$cp_bin" rank "$tmp/mixed-raters.xml" "$tmp/tie-r.xml"
contains "$tmp/err" "scored by a rater here and without one on line" "the mix is named, not a rater who scored once"
sed 's/school="S[0-9]"/school="S1"/' "$tmp/tie-c.xml" >"$tmp/one-school.xml"
sed 's#</rubric>#<quota per-school-at-most="1"/></rubric>#' "$tmp/tie-r.xml" >"$tmp/per-school.xml"
expect 0 "seats a quota leaves empty" -- "$cp_bin" rank "$tmp/one-school.xml" "$tmp/per-school.xml"
contains "$tmp/out" "warning: role member: 3 of 3 seats empty" "the empty seats are said"
sed 's/ region="North" education="diploma"//' "$tmp/tie-c.xml" >"$tmp/no-education.xml"
expect 0 "a nominee without an education value" -- "$cp_bin" rank "$tmp/no-education.xml" "$tmp/tie-r.xml" -o "$tmp/no-education-list.xml"
contains "$tmp/no-education-list.xml" "no education given: 0 points from the rubric" "a missing value is flagged, not passed off as the lowest level"
expect 0 "kilifi rank" -- "$cp_bin" rank instances/kilifi-candidates.xml instances/kilifi-rubric.xml -o "$tmp/kr.xml" --quiet
expect 0 "kilifi solve" -- "$cp_bin" solve instances/kilifi-demo.xml -s instances/base.xml -o "$tmp/ks.xml" --quiet
expect 2 "assign an unknown role" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/ks.xml" "$tmp/kr.xml" --role facilitatr -o "$tmp/ka.xml"
contains "$tmp/err" '--role "facilitatr": not a role of' "the unknown role is named with the roles"
absent "$tmp/ka.xml" "nothing assigned for an unknown role"
expect 0 "assign with names" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/ks.xml" "$tmp/kr.xml" -s instances/base.xml -o "$tmp/ka.html" -o "$tmp/ka.xml" --quiet
contains "$tmp/ka.xml" "ranking-list-sha256=\"$(sed -n 's/.* list-sha256="\([0-9a-f]*\)".*/\1/p' "$tmp/kr.xml")\"" "the assignment names the list it took its role holders from"
sed '0,/ percentile="14.29">/s// percentile="14.29" role="cluster-facilitator">/' "$tmp/kr.xml" >"$tmp/kr-edited.xml"
cmp -s "$tmp/kr.xml" "$tmp/kr-edited.xml"
equal $? 1 "a role given by hand in the ranking"
expect 2 "assign from an edited ranking" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/ks.xml" "$tmp/kr-edited.xml" -s instances/base.xml -o "$tmp/ka-edited.xml"
contains "$tmp/err" "edited after it was published" "the edited ranking is refused"
absent "$tmp/ka-edited.xml" "nothing assigned from an edited ranking"
expect 0 "assign without the layout's scenario" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/ks.xml" "$tmp/kr.xml" -o "$tmp/ka-nos.xml"
contains "$tmp/err" "was made under scenario \"base\", but this run reads it under the default rules (no -s)" "the missing -s is said"
sed 's#</rubric>#<private fields="school name"/></rubric>#' instances/kilifi-rubric.xml >"$tmp/kr-private.xml"
expect 0 "a public version without schools" -- "$cp_bin" rank instances/kilifi-candidates.xml "$tmp/kr-private.xml" --public -o "$tmp/kr-public.xml" --quiet
expect 2 "assign from the public version" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/ks.xml" "$tmp/kr-public.xml" -s instances/base.xml -o "$tmp/ka-public.xml"
contains "$tmp/err" "holds a role but names no school: this is the public version" "the public version is named as the cause"
absent "$tmp/ka-public.xml" "nothing assigned from the public version"
sed 's/\(<candidate id="KF10" [^>]*\) school="KLF021"/\1/' instances/kilifi-candidates.xml >"$tmp/kc-noschool.xml"
expect 0 "a master trainer without a school" -- "$cp_bin" rank "$tmp/kc-noschool.xml" instances/kilifi-rubric.xml -o "$tmp/kr-noschool.xml" --quiet
expect 0 "assign the facilitators alone" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/ks.xml" "$tmp/kr-noschool.xml" -s instances/base.xml --role cluster-facilitator -o "$tmp/ka-noschool.xml"
expect 2 "assign every role, the master trainer without a school among them" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/ks.xml" "$tmp/kr-noschool.xml" -s instances/base.xml -o "$tmp/ka-noschool2.xml"
contains "$tmp/err" '<candidate id="KF10"> holds a role but names no school: give the school' "the holder without a school is named"
contains "$tmp/ka.html" '<bdi>KF' "the assignment page names the facilitators"
sed 's/\(<candidate id="KF02" [^>]*\) school="KLF003"/\1 school="KLF0003"/' instances/kilifi-candidates.xml >"$tmp/kc-typo.xml"
expect 0 "a nominee's school id misspelt" -- "$cp_bin" rank "$tmp/kc-typo.xml" instances/kilifi-rubric.xml -o "$tmp/kr-typo.xml" --quiet
expect 0 "assign with a holder the instance has no school of" -- "$cp_bin" assign instances/kilifi-demo.xml "$tmp/ks.xml" "$tmp/kr-typo.xml" -s instances/base.xml -o "$tmp/ka-typo.xml" -o "$tmp/ka-typo.html"
contains "$tmp/out" "outside this instance (their school is not one of its schools): KF02 (school KLF0003)" "the holder outside the instance is named on the terminal"
contains "$tmp/ka-typo.xml" '<outside id="KF02" name="Baraka Charo" school="KLF0003"/>' "and in the XML"
contains "$tmp/ka-typo.html" '<bdi>KF02</bdi> <bdi>Baraka Charo</bdi> (school KLF0003)' "and on the page"


# outputs: never an input, all or nothing
cp $c "$tmp/c.xml"
expect 2 "-o names the candidates file" -- "$cp_bin" rank "$tmp/c.xml" $r -o "$tmp/c.xml"
cmp -s $c "$tmp/c.xml"
equal $? 0 "the candidates file is untouched"
expect 2 "one -o into a folder that does not exist" -- "$cp_bin" rank $c $r -o "$tmp/ok.xml" -o "$tmp/no/such/dir/x.csv"
absent "$tmp/ok.xml" "no output at all when one is refused"

# OWASP: cells a spreadsheet would run are neutralised
sed 's/name="محمد"/name="=HYPERLINK(\&quot;http:\/\/x\&quot;,\&quot;y\&quot;)"/; s/name="أحمد"/name="+1+cmd|\&apos; \/C calc\&apos;!A0"/; s/name="علي"/name="@SUM(1)"/' $c >"$tmp/f.xml"
expect 0 "rank the Yemen worked example" -- "$cp_bin" rank instances/yemen-candidates.xml instances/yemen-rubric-quotas.xml
contains "$tmp/out" "Krippendorff's alpha -0.038 over 40 nominees: unreliable (below 0.667): the committee should review" "the terminal reads the alpha as the committee's page does"
expect 0 "rank formula names" -- "$cp_bin" rank "$tmp/f.xml" $r -o "$tmp/f.csv" --quiet
contains "$tmp/f.csv" '"'"'"'=HYPERLINK(""http://x"",""y"")"' "=HYPERLINK neutralised"
contains "$tmp/f.csv" '"'"'"'+1+cmd|'"'"' /C calc'"'"'!A0"' "+cmd neutralised"
contains "$tmp/f.csv" '"'"'"'@SUM(1)"' "@SUM neutralised"
expect 0 "verify the neutralised CSV" -- "$cp_bin" rank "$tmp/f.xml" $r --verify "$tmp/f.csv"

echo "ranking: $((checks - fails)) passed, $fails failed"
[ "$fails" -eq 0 ]
