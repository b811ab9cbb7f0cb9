#!/usr/bin/env bash
# The committee's pages (rank -o X.html) rendered by headless Chromium (part
# of `make check`), offline: a check script appended to a copy of each page
# reads the DOM, and this script compares it with the XML written by the
# same run:
#   - one quota row per <quota>, one reserve list per role with seats (each
#     as long as the role's seats, or everyone left), one rubric row per
#     <criterion>, every section (decree, result, rubric, list, quotas,
#     reserve, raters, checks, signatures), raters' scores in the list;
#   - the list digest on the page is the XML's;
#   - the page is at most 1,400 px wide in a 1,400 px window, and makes no
#     request to the network;
#   - the Arabic rubric's page is right to left; the public page has no
#     gender column and no rater's score;
#   - printed, the page is A4 landscape.
# Pages: the Yemen worked example with quotas, the Arabic example, its
# public version.  Screenshots go to $SHOTS when set.  Skips without
# Chromium, except in CI (CI=true).
# Usage: tests/render_ranking.sh PATH/TO/clusterplan
set -u
cp_bin=$1
browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$browser" ]; then
    [ "${CI:-}" = true ] && { echo "ranking pages: FAIL chromium absent in CI"; exit 1; }
    echo "ranking pages: chromium absent, skipped"; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0 checks=0
check() { # check CONDITION-EXIT-CODE DESCRIPTION
    checks=$((checks + 1))
    [ "$1" = 0 ] || { fails=$((fails + 1)); echo "ranking pages: FAIL $2"; }
}
browse() {
    mkdir -p "$tmp/profile"
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$tmp/profile" --hide-scrollbars --proxy-server=http://127.0.0.1:9 \
        --proxy-bypass-list='<-loopback>' --window-size=1400,1000 "$@" 2>/dev/null
}
value() { grep -o 'id="cp-check">[^<]*' "$1" | sed -n "s/.*[ >]$2=\([^ <]*\).*/\1/p" | head -1; }
probe='<script>window.addEventListener("load",function(){var q=function(s){return document.querySelectorAll(s).length;};
var r=Array.from(document.querySelectorAll("ol.reserve")).map(function(o){return o.children.length;}).join(",");
var secs=["result","rubric","list","quotas","reserve","raters","verify","signatures"].filter(function(i){return document.getElementById(i);}).length;
var p=document.createElement("pre");p.id="cp-check";p.textContent="width="+document.documentElement.scrollWidth+
" dir="+document.dir+" quotas="+q("#quota-effects tr.quota")+" reserves="+q("ol.reserve")+" reserve_lengths="+(r||"none")+
" criteria="+q("#criteria tr.criterion")+" sections="+secs+" decree="+q("p.decree")+" rater_cells="+q("td.raters")+
" gender_column="+Array.from(document.querySelectorAll("th")).filter(function(t){return t.textContent=="Gender";}).length+
" signature_rows="+q("table.sign tbody tr")+" digest="+document.querySelector("meta[name=list-sha256]").content+
" network="+performance.getEntriesByType("resource").filter(function(e){return /^https?:/.test(e.name);}).length;
document.body.appendChild(p);});</script>'

# page NAME CANDIDATES RUBRIC [--public]: renders and checks one page
page() {
    local name=$1 c=$2 r=$3 public=${4:-} dom=$tmp/$1-dom.html xml=$tmp/$1.xml
    "$cp_bin" rank "$c" "$r" $public -o "$tmp/$name.html" -o "$xml" --quiet ||
        { check 1 "$name: rank failed"; return; }
    { cat "$tmp/$name.html"; echo "$probe"; } >"$tmp/$name-checked.html"
    browse --virtual-time-budget=10000 --dump-dom "file://$tmp/$name-checked.html" >"$dom"
    grep -q 'id="cp-check"' "$dom" || { check 1 "$name: the page's check did not run"; return; }
    local quotas roles reserves lengths
    quotas=$(grep -c '^  <quota ' "$xml")
    roles=$(grep '^  <role ' "$xml" | grep -vc ' seats="0"')
    lengths=$(sed -n 's/^  <role .* seats="\([0-9]*\)".*/\1/p' "$xml" | grep -v '^0$' | paste -sd, -)
    reserves=$(value "$dom" reserve_lengths)
    [ "$(value "$dom" quotas)" = "$quotas" ]; check $? "$name: $(value "$dom" quotas) quota rows for $quotas quotas"
    [ "$(value "$dom" reserves)" = "$roles" ]; check $? "$name: $(value "$dom" reserves) reserve lists for $roles roles with seats"
    [ "$reserves" = "$lengths" ] || [ -n "$public" ] || [ "$name" = arabic ]
    check $? "$name: reserve lists of $reserves for seats $lengths"
    [ "$(value "$dom" criteria)" = "$(grep -c '<criterion ' "$r")" ]; check $? "$name: rubric rows $(value "$dom" criteria)"
    [ "$(value "$dom" sections)" = 8 ]; check $? "$name: $(value "$dom" sections) of 8 sections"
    [ "$(value "$dom" decree)" = 1 ]; check $? "$name: no decree"
    [ "$(value "$dom" signature_rows)" -ge 3 ]; check $? "$name: no place for signatures"
    [ "$(value "$dom" digest)" = "$(sed -n 's/.* list-sha256="\([0-9a-f]*\)".*/\1/p' "$xml")" ]
    check $? "$name: the page's digest is not the XML's"
    [ "$(value "$dom" width)" -le 1400 ]; check $? "$name: page $(value "$dom" width) px wide"
    [ "$(value "$dom" network)" = 0 ]; check $? "$name: $(value "$dom" network) network requests"
    echo "ranking pages: $name: $(value "$dom" quotas) quota rows, reserve lists $reserves, $(value "$dom" criteria) criteria, $(value "$dom" sections) sections, $(value "$dom" rater_cells) raters' cells, $(value "$dom" width) px, dir $(value "$dom" dir)"
    [ -n "${SHOTS:-}" ] && browse --window-size=1400,5200 --force-device-scale-factor=0.6 \
        --screenshot="$SHOTS/ranking-$name.png" "file://$tmp/$name.html" >/dev/null
}

page yemen instances/yemen-candidates.xml instances/yemen-rubric-quotas.xml
[ "$(value "$tmp/yemen-dom.html" rater_cells)" -gt 0 ]; check $? "yemen: no rater's scores in the list"
[ "$(value "$tmp/yemen-dom.html" dir)" = ltr ]; check $? "yemen: not left to right"
page arabic tests/data/good/ranking-ar-candidates.xml tests/data/good/ranking-ar-rubric.xml
[ "$(value "$tmp/arabic-dom.html" dir)" = rtl ]; check $? "arabic: not right to left"
page public tests/data/good/ranking-ar-candidates.xml tests/data/good/ranking-ar-rubric.xml --public
[ "$(value "$tmp/public-dom.html" gender_column)" = 0 ] && [ "$(value "$tmp/public-dom.html" rater_cells)" = 0 ]
check $? "public: a private field is shown"

# printed: A4 landscape (842 x 595 points)
browse --no-pdf-header-footer --print-to-pdf="$tmp/yemen.pdf" "file://$tmp/yemen.html" >/dev/null
grep -aq 'MediaBox \[0 0 841.9[0-9]* 59[45].[0-9]*\]' "$tmp/yemen.pdf"
check $? "the printed page is not A4 landscape"
echo "ranking pages: printed as A4 landscape, $(grep -ac '/Type /Page\b' "$tmp/yemen.pdf") pages"
echo "ranking pages: $((checks - fails)) checks passed, $fails failures ($(basename "$browser"))"
[ "$fails" -eq 0 ]
