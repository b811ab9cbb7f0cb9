/*
 * write_report.c — one self-contained HTML report of a layout, read by a
 * planner: a lead sentence, the interactive map (report_map.c; the SVG map
 * in its place when printed), likely coordinate errors, the indicators
 * each with a sentence saying what it means, unassigned schools grouped by
 * rule with what would change them, every violation (an existing layout),
 * size and distance histograms, and the sortable cluster table.  Nothing
 * is fetched: the page opens offline.
 */
#include "writers.h"
#include "solver/model/roads.h"

#include <math.h>
#include <string.h>

#define BINS 12

/* One indicator: its name, value and one sentence saying what it means. */
static void row(FILE *f, const char *name, int decimals, double v, const char *meaning)
{
    fprintf(f, "<tr><th>%s</th><td class=\"num\">", name);
    if (isnan(v))
        fputs("&ndash;", f);
    else
        fprintf(f, "%.*f", decimals, v);
    fprintf(f, "</td><td>%s</td></tr>\n", meaning);
}

/* With roads: the straight lines beside the routes, and how much longer
 * the roads make them. */
static void road_rows(FILE *f, const layout_view *v)
{
    const cp_indicators *ind = &v->ev->ind;
    if (cp_road_timed(v->inst->road))
        row(f, "route length by road: mean (km)", 2, ind->road_km_mean, "Average length of the "
            "members' fastest routes to their centres.");
    row(f, "straight-line distance: mean (km)", 2, ind->straight_mean, "The same members' "
        "straight-line distance to their centres, for comparison.");
    row(f, "straight-line distance: max (km)", 2, ind->straight_max, "The farthest member in a "
        "straight line.");
    row(f, "circuity (road km / straight km)", 2, ind->circuity, "How much longer the roads make "
        "the trips than straight lines, over all members (1 = as the crow flies; each cluster's "
        "is in the cluster table).");
}

static void indicators(FILE *f, const layout_view *v)
{
    const cp_indicators *ind = &v->ev->ind;
    const cp_scenario *sc = v->sc;
    const char *u = view_units(v);
    const char *how = v->inst->road ? "distance by road (the fastest route's time in a travel "
                                      "mode)" : v->geographic ? "straight-line distance"
                                                              : "distance";
    char label[160], meaning[320];
    fputs("<h2>Indicators</h2>\n<table class=\"ind\"><tr><th>indicator</th><th>value</th>"
          "<th>what it means</th></tr>\n", f);
    row(f, "clusters", 0, ind->clusters, "Clusters formed, each with one centre school.");
    row(f, "schools assigned", 0, ind->assigned, "Schools in a cluster, centres included.");
    row(f, "schools unassigned", 0, ind->unassigned,
        "Schools no cluster can take under the rules; their reasons are listed below.");
    row(f, "cluster size: min", 0, ind->size_min, "Schools in the smallest cluster.");
    snprintf(meaning, sizeof meaning, "Half the clusters have at most this many schools (the "
             "rules allow %d to %d).", sc->size_min, sc->size_max);
    row(f, "cluster size: median", 1, ind->size_median, meaning);
    row(f, "cluster size: max", 0, ind->size_max, "Schools in the largest cluster.");
    snprintf(label, sizeof label, "distance to centre: mean (%s)", u);
    snprintf(meaning, sizeof meaning, "Average %s from a member school to its centre (centres "
             "themselves not counted).", how);
    row(f, label, 2, ind->dist_mean, meaning);
    snprintf(label, sizeof label, "distance to centre: p90 (%s)", u);
    row(f, label, 2, ind->dist_p90, "Nine in ten member schools are at most this far from "
        "their centre: the distance the farthest schools' teachers face.");
    snprintf(label, sizeof label, "distance to centre: max (%s)", u);
    snprintf(meaning, sizeof meaning, "The farthest member school from its centre%s.",
             isfinite(sc->distance_max) ? " (the rule's limit applies to every school)" : "");
    row(f, label, 2, ind->dist_max, meaning);
    if (v->ev->road_km)
        road_rows(f, v);
    if (ind->unreachable > 0)
        row(f, "members out of reach", 0, ind->unreachable, "Member schools that no route "
            "reaches from their centre (off the road layer, or on another piece of it): each is "
            "a distance violation, and the distances, travel and cost here leave them out.");
    snprintf(label, sizeof label, "teacher-weighted travel (teacher-%s)", u);
    row(f, label, 1, ind->travel_weighted, "Sum over member schools of teachers times distance: "
        "the one-way distance all teachers travel to one meeting.");
    row(f, "share within the limit (%)", 1, 100.0 * ind->share_within_limit,
        "Assigned schools within their distance limit, in per cent (100 = all).");
    row(f, "centres meeting the quality rule", 0, ind->centres_meeting_quality,
        "Centres at or above the minimum quality the rules ask of a centre.");
    row(f, "clusters crossing admin units", 0, ind->clusters_crossing_admin,
        "Clusters with schools in more than one admin unit of the rule's level (0 when the "
        "admin rule holds).");
    if (sc->has_costs) {
        const char *cur = sc->currency ? sc->currency : "no currency named";
        snprintf(label, sizeof label, "annual cost (%s)", cur);
        row(f, label, 0, ind->annual_cost, "What the layout costs a year: teachers' travel plus "
            "the centres' host stipends.");
        snprintf(label, sizeof label, "&nbsp;&nbsp;travel (%s)", cur);
        snprintf(meaning, sizeof meaning, "%g meetings &times; 2 ways &times; %g %s per km &times; "
                 "teacher-km.", sc->meetings_per_year, sc->cost_per_km, cur);
        row(f, label, 0, ind->annual_travel_cost, meaning);
        snprintf(label, sizeof label, "&nbsp;&nbsp;host stipends (%s)", cur);
        snprintf(meaning, sizeof meaning, "%g meetings &times; %g %s per cluster and meeting "
                 "&times; clusters.", sc->meetings_per_year, sc->host_stipend, cur);
        row(f, label, 0, ind->annual_stipends, meaning);
    }
    snprintf(label, sizeof label, "objective (%s)", cp_objective_name(cp_scenario_objective(sc)));
    row(f, label, 4, ind->objective, "What the solver minimised once the most schools were "
        "placed; lower is better, comparable only between layouts of the same rules.");
    row(f, "violations", 0, v->ev->n_violations, v->ev->n_violations
        ? "Rules this layout breaks, each listed below." : "Rules this layout breaks: none.");
    fputs("</table>\n", f);
}

/* A bar chart of counts[0..n) with labels; inline SVG. */
static void bars(FILE *f, const char *caption, const int *counts, char labels[][24], int n)
{
    int k, most = 1;
    for (k = 0; k < n; k++)
        most = counts[k] > most ? counts[k] : most;
    fprintf(f, "<figure><svg width=\"%d\" height=\"170\" font-family=\"sans-serif\" "
               "font-size=\"10\">\n", 40 + 36 * n);
    for (k = 0; k < n; k++) {
        double h = 120.0 * counts[k] / most;
        fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"30\" height=\"%.1f\" fill=\"#1f77b4\"/>"
                   "<text x=\"%d\" y=\"%.1f\" text-anchor=\"middle\">%d</text>"
                   "<text x=\"%d\" y=\"155\" text-anchor=\"middle\">%s</text>\n",
                20 + 36 * k, 135 - h, h, 35 + 36 * k, 131 - h, counts[k], 35 + 36 * k, labels[k]);
    }
    fprintf(f, "</svg><figcaption>%s</figcaption></figure>\n", caption);
}

static void size_histogram(FILE *f, const layout_view *v)
{
    int counts[BINS] = {0}, k, lo = v->ev->ind.size_min, n;
    char labels[BINS][24];
    n = v->ev->ind.size_max - lo + 1;
    if (v->ev->ind.clusters == 0 || n > BINS)
        n = n > BINS ? BINS : 0;
    for (k = 0; k < n; k++)
        snprintf(labels[k], sizeof labels[k], k == BINS - 1 ? "%d+" : "%d", lo + k);
    for (k = 0; k < v->ev->n_clusters && n > 0; k++) {
        int s = v->ev->cluster_size[k] - lo;
        if (v->ev->cluster_size[k] > 0)
            counts[s < 0 ? 0 : s >= n ? n - 1 : s]++;
    }
    if (n > 0)
        bars(f, "Clusters by size (schools)", counts, labels, n);
}

static void distance_histogram(FILE *f, const layout_view *v)
{
    int counts[BINS] = {0}, k, any = 0;
    char labels[BINS][24];
    double top = v->ev->ind.dist_max, width;
    if (!(top > 0))
        return;
    width = top / BINS;
    for (k = 0; k < BINS; k++)
        snprintf(labels[k], sizeof labels[k], "%.3g", width * (k + 1));
    for (k = 0; k < v->inst->n_schools; k++)
        if (v->role[k] == VIEW_MEMBER && isfinite(v->ev->distance[k])) { /* out of reach:
                                                                           counted apart */
            int b = (int)(v->ev->distance[k] / width);
            counts[b >= BINS ? BINS - 1 : b]++;
            any = 1;
        }
    if (any)
        bars(f, "Member schools by distance to their centre (upper bound of each bar)", counts,
             labels, BINS);
}

static void cluster_table(FILE *f, const layout_view *v)
{
    int k;
    fprintf(f, "<h2>Clusters</h2>\n<p>Click a column heading to sort. Travel and max "
               "distance in %s.</p>\n<table id=\"clusters\" "
               "class=\"sortable\"><thead><tr><th>cluster</th><th>centre</th><th>centre name</th>"
               "<th>size</th><th>teachers</th><th>travel</th><th>max distance</th>%s", view_units(v),
            v->ev->cluster_circuity ? "<th>circuity (road / straight)</th>" : "");
    if (v->lay->zones)
        fputs("<th>zone</th>", f);
    fputs("</tr></thead><tbody>\n", f);
    for (k = 0; k < v->lay->n_clusters; k++) {
        int c = v->ev->centre_used[k];
        if (v->ev->cluster_size[k] == 0)
            continue;
        fputs("<tr><td>", f);
        cp_out_escaped(f, v->lay->label[k]);
        fputs("</td><td>", f);
        cp_out_escaped(f, c >= 0 ? v->inst->schools[c].id : "");
        if (c >= 0 && v->lay->centre[k] < 0)
            fputs(" <i>implied</i>", f);
        if (v->ev->upgraded && v->ev->upgraded[k])
            fputs(" <i>upgrade</i>", f);
        fputs("</td><td>", f);
        cp_out_escaped(f, c >= 0 ? v->inst->schools[c].name : "");
        fprintf(f, "</td><td>%d</td><td>%.0f</td><td>%.2f</td><td>%.2f</td>",
                v->ev->cluster_size[k], v->ev->cluster_teachers[k], v->ev->cluster_travel[k],
                v->ev->cluster_maxdist[k]);
        if (v->lay->zones) {
            fputs("<td>", f);
            if (v->lay->zones->zone_of[k] >= 0)
                cp_out_escaped(f, v->lay->zones->label[v->lay->zones->zone_of[k]]);
            fputs("</td>", f);
        }
        if (v->ev->cluster_circuity && isfinite(v->ev->cluster_circuity[k]))
            fprintf(f, "<td>%.2f</td>", v->ev->cluster_circuity[k]);
        else if (v->ev->cluster_circuity)
            fputs("<td></td>", f);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* What a planner could change for a school kept out by this rule. */
static const char *remedy(const char *rule)
{
    static const struct {
        const char *rule, *remedy;
    } table[] = {
        {"admin rule", "allow clusters across smaller units' borders (a lower --admin-level: 2 "
                       "joins the zones of one sub-county), or review the school's unit in the "
                       "register"},
        {"distance rule", "raise the distance limit (--distance-max) or give the school its own "
                          "limit"},
        {"capacity rule", "raise the teacher capacity of a cluster (--capacity)"},
        {"centre rule", "let more schools be centres: lower --min-quality, or mark hosts in the "
                        "register"},
        {"size rule", "lower the minimum cluster size (--size, e.g. 2-7)"},
        {"count rule", "allow more clusters (--clusters), or leave their count free"},
        {"search stopped", "give the search more work (--effort thorough; a time limit is only "
                           "a guard) or let the MILP prove the part (--method milp)"},
        {"group rule", "lower the study group's minimum (--group-min), make groups soft "
                       "(--groups-soft), or allow larger clusters"},
        {"road rule", "add the school's road to the layer, raise --snap-max, or let schools "
                      "off the roads keep straight-line access (--straight-access)"}};
    size_t k;
    for (k = 0; k < sizeof table / sizeof *table; k++)
        if (!strcmp(rule, table[k].rule))
            return table[k].remedy;
    return "see the reason";
}

/* Counts by rule first: the rule to relax is the one with the most schools. */
static void reason_groups(FILE *f, const layout_view *v)
{
    cp_reason_group g[16];
    int others, n = cp_layout_reason_groups(v->lay, g, 16, &others), k;
    fputs("<table class=\"ind\"><tr><th>schools</th><th>rule that keeps them out</th>"
          "<th>what would change it</th><th>for example</th></tr>\n", f);
    for (k = 0; k < n; k++) {
        fprintf(f, "<tr><td class=\"num\">%d</td><td>", g[k].count);
        cp_out_escaped(f, g[k].rule);
        fputs("</td><td>", f);
        cp_out_escaped(f, remedy(g[k].rule));
        fputs("</td><td>", f);
        cp_out_escaped(f, view_reason(v, g[k].first));
        fputs("</td></tr>\n", f);
    }
    if (others)
        fprintf(f, "<tr><td class=\"num\">%d</td><td>other rules</td><td></td><td>see the list "
                   "below</td></tr>\n", others);
    fputs("</table>\n", f);
}

/* What each kind of violation means, in a planner's words. */
static const char *violation_meaning(cp_violation_kind k)
{
    static const char *const words[CP_V_KIND_COUNT] = {
        "the cluster has no centre", "the cluster names more than one centre",
        "the centre is not one of the cluster's schools",
        "the centre may not be one (not a host, or below the minimum quality)",
        "fewer schools than the minimum size", "more schools than the maximum size",
        "more teachers than the capacity", "the school is beyond its distance limit",
        "the school is outside its centre's admin unit",
        "a school that must be a centre is not one", "the number of clusters is not the one asked",
        "the school is listed in several clusters",
        "the cluster has too few teachers of a study group to hold its meeting",
        "more centres are upgrades than the scenario allows",
        "the upgrades cost more than the budget", "the zone has fewer clusters than the minimum",
        "the zone has more clusters than the maximum",
        "the cluster's centre is beyond the zone's distance from its zone centre",
        "the cluster is outside its zone centre's admin unit",
        "the school's route is longer in road km than its max-distance"};
    return (unsigned)k < CP_V_KIND_COUNT ? words[k] : "";
}

/* A whole number as it is, anything else to one decimal (a planner reads
 * 20.9 km, not 20.9354). */
static void rounded(FILE *f, double x)
{
    if (!isfinite(x))
        return;
    if (fabs(x - round(x)) < 1e-9)
        fprintf(f, "%.0f", x);
    else
        fprintf(f, "%.1f", x);
}

/* Every violation, so a planner can take an existing layout to its
 * districts; the solver's layouts have none. */
static void violation_list(FILE *f, const layout_view *v)
{
    const char *u = view_units(v);
    int k;
    if (v->ev->n_violations == 0)
        return;
    int counts[CP_V_KIND_COUNT] = {0};
    for (k = 0; k < v->ev->n_violations; k++)
        counts[v->ev->violations[k].kind]++;
    fprintf(f, "<h2>Violations (%d)</h2>\n<table class=\"ind\"><tr><th>rule</th><th>what it "
               "means</th><th>violations</th></tr>\n", v->ev->n_violations);
    for (k = 0; k < CP_V_KIND_COUNT; k++)
        if (counts[k])
            fprintf(f, "<tr><td>%s</td><td>%s</td><td class=\"num\">%d</td></tr>\n",
                    cp_violation_name((cp_violation_kind)k), violation_meaning((cp_violation_kind)k),
                    counts[k]);
    fputs("</table>\n", f);
    fprintf(f, "<p>Each row below is one rule of the scenario this layout breaks, with the value "
               "found and the rule's limit (distances in %s%s).</p>\n"
               "<table id=\"violations\" class=\"sortable\"><thead><tr><th>rule</th><th>what it "
               "means</th><th>cluster</th><th>school</th><th>name</th><th>value</th><th>limit"
               "</th></tr></thead><tbody>\n", u,
            v->ev->ind.implied_centres ? ", to the centres the tool chose for clusters that name "
                                         "none" : "");
    for (k = 0; k < v->ev->n_violations; k++) {
        const cp_violation *x = &v->ev->violations[k];
        fputs("<tr><td>", f);
        cp_out_escaped(f, cp_violation_name(x->kind));
        fprintf(f, "</td><td>%s</td><td>", violation_meaning(x->kind));
        cp_out_escaped(f, x->cluster >= 0 ? v->lay->label[x->cluster] : "");
        fputs("</td><td>", f);
        cp_out_escaped(f, x->school >= 0 ? v->inst->schools[x->school].id : "");
        fputs("</td><td>", f);
        cp_out_escaped(f, x->school >= 0 ? v->inst->schools[x->school].name : "");
        fputs("</td><td class=\"num\">", f);
        rounded(f, x->value);
        fputs("</td><td class=\"num\">", f);
        rounded(f, x->limit);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* Likely coordinate errors: not drawn (they would shrink the map to a
 * corner), so listed here, each with how far it lies from its unit. */
static void outlier_list(FILE *f, const layout_view *v)
{
    /* measured as the crow flies (outliers.c), also when the layout's
     * distances are by road ("km by road" was written over straight km) */
    const char *u = v->geographic ? "km, straight line" : v->inst->units ? v->inst->units : "";
    int k;
    if (v->outliers.n == 0)
        return;
    fprintf(f, "<h2>Likely coordinate errors (%d)</h2>\n<p>These schools lie far from every "
               "admin unit they belong to (more than 5 times the unit's median distance to its "
               "middle%s). They are kept in the model and in every GIS output, but left off "
               "this map so it fits the other schools: check their locations in the register."
               "</p>\n<table><tr><th>school</th><th>name</th><th>x / longitude</th>"
               "<th>y / latitude</th><th>distance to its unit's middle (%s)</th><th>unit's "
               "median (%s)</th><th>unit tested</th></tr>\n",
            v->outliers.n, v->geographic ? ", and more than 25 km" : "", u, u);
    for (k = 0; k < v->outliers.n; k++) {
        const cp_outlier *o = &v->outliers.items[k];
        const cp_school *s = &v->inst->schools[o->school];
        const char *unit = o->level > 0 ? s->admin_name[o->level - 1] : NULL;
        fputs("<tr><td>", f);
        cp_out_escaped(f, s->id);
        fputs("</td><td>", f);
        cp_out_escaped(f, s->name);
        fprintf(f, "</td><td>%.5f</td><td>%.5f</td><td>%.1f</td><td>%.1f</td><td>", s->x, s->y,
                o->distance, o->spread);
        if (o->level > 0)
            fprintf(f, "admin%d ", o->level);
        cp_out_escaped(f, unit ? unit : "the whole instance");
        fprintf(f, " (%d schools)</td></tr>\n", o->unit_schools);
    }
    fputs("</table>\n", f);
}

static void unassigned_list(FILE *f, const layout_view *v)
{
    int i;
    fprintf(f, "<h2>Unassigned schools (%d)</h2>\n", v->counts[VIEW_UNASSIGNED]);
    if (!v->counts[VIEW_UNASSIGNED])
        return;
    reason_groups(f, v);
    fputs("<table><tr><th>school</th><th>name</th><th>reason</th></tr>\n", f);
    for (i = 0; i < v->inst->n_schools; i++)
        if (v->role[i] == VIEW_UNASSIGNED) {
            fputs("<tr><td>", f);
            cp_out_escaped(f, v->inst->schools[i].id);
            fputs("</td><td>", f);
            cp_out_escaped(f, v->inst->schools[i].name);
            fputs("</td><td>", f);
            cp_out_escaped(f, view_reason(v, i));
            fputs("</td></tr>\n", f);
        }
    fputs("</table>\n", f);
}

static const char report_css[] =
    "body{font-family:sans-serif;margin:1.2em auto;max-width:1340px;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;font-size:10pt;margin-bottom:1em}"
    "td,th{border:1px solid #bbb;padding:2px 6px;text-align:left;vertical-align:top}"
    "td.num{text-align:right;white-space:nowrap}table.ind th{background:#f4f4f4}"
    "figure{display:inline-block;margin:0 2em 1em 0}figcaption{font-size:10pt}"
    "#map{height:68vh;min-height:420px;max-height:760px;border:1px solid #999;background:#f7f7f2}"
    ".cp-legend{background:#fffe;padding:4px 8px;font-size:9pt;line-height:1.6;border-radius:4px}"
    ".cp-dot{display:inline-block;width:10px;height:10px;border-radius:50%;margin-right:6px;"
    "vertical-align:middle;box-sizing:border-box}"
    ".cp-search{background:#fff;padding:4px;border-radius:4px;box-shadow:0 1px 4px #0005}"
    ".cp-search input{width:230px}.cp-hits button{display:block;width:100%;text-align:left;"
    "border:0;background:#fff;padding:2px;cursor:pointer}.cp-hits button:hover{background:#eef}"
    ".note{font-size:10pt;color:#444;max-width:60em}.print-map{display:none}"
    ".print-map svg{max-width:100%;height:auto}"
    "@media print{@page{size:A4;margin:12mm}body{margin:0;max-width:none;font-size:9pt}"
    "#map,.screen-only{display:none}.print-map{display:block;page-break-after:always}"
    "table{font-size:7.5pt;page-break-inside:auto}tr{page-break-inside:avoid}"
    "td,th{padding:1px 3px}}";

/* The register's column mapped to admin level L ("zone"), or NULL. */
static const char *admin_column(const cp_scenario *sc, int level)
{
    char field[24];
    int k;
    snprintf(field, sizeof field, "admin%d", level);
    for (k = 0; k < sc->n_fields; k++)
        if (!strcmp(sc->fields[k].field, field))
            return sc->fields[k].column;
    return NULL;
}

/* Every school with one teacher: the register gave no teacher counts (or
 * all are 1), so "teacher" figures count schools. */
static int teachers_all_one(const cp_instance *inst)
{
    int i;
    for (i = 0; i < inst->n_schools; i++)
        if (inst->schools[i].teachers != 1.0)
            return 0;
    return inst->n_schools > 0;
}

/* Where the road distances come from, and what snap-max did. */
static void road_words(FILE *f, const layout_view *v)
{
    const cp_road_summary *r = cp_road_info(v->inst);
    fputs("; distances by road on ", f);
    cp_out_escaped(f, r->source);
    fprintf(f, " (%ld edges, %.0f km), each school joined to the nearest road within %g km",
            r->edges, r->km, r->snap_max);
    if (r->off_road)
        fprintf(f, " (%d beyond it: no route reaches them)", r->off_road);
    if (r->straight)
        fprintf(f, " (%d beyond it keep straight lines)", r->straight);
}

/* The rules the layout was made (or checked) under, in one line: a
 * reader comparing two reports sees at once whether they are comparable. */
static void rules_line(FILE *f, const layout_view *v)
{
    const cp_scenario *sc = v->sc;
    int k;
    fprintf(f, "<p class=\"note\">Rules: %d&ndash;%d schools per cluster", sc->size_min,
            sc->size_max);
    if (cp_scenario_timed(sc) && isfinite(sc->time_max))
        fprintf(f, "; every school within %g %s of its centre", sc->time_max, view_units(v));
    else if (cp_scenario_timed(sc))
        fputs("; no time limit", f);
    if (isfinite(sc->distance_max))
        fprintf(f, "; every school within %g %s of its centre", sc->distance_max,
                cp_scenario_timed(sc) ? "km of road" : view_units(v));
    else if (!cp_scenario_timed(sc))
        fputs("; no distance limit", f);
    if (v->inst->road)
        road_words(f, v);
    if (sc->admin_level > 0) {
        const char *column = admin_column(sc, sc->admin_level);
        fprintf(f, "; clusters inside admin%d units", sc->admin_level);
        if (column) {
            fputs(" (the register's ", f);
            cp_out_escaped(f, column);
            fputs(")", f);
        }
    }
    if (sc->min_quality > 0)
        fprintf(f, "; centres of quality at least %g", sc->min_quality);
    if (isfinite(sc->capacity))
        fprintf(f, "; at most %g teachers per cluster", sc->capacity);
    if (sc->cluster_count > 0)
        fprintf(f, "; exactly %d clusters", sc->cluster_count);
    for (k = 0; k < sc->n_groups; k++) {
        fprintf(f, "; %s %g teachers of ", sc->groups_soft ? "wished:" : "at least",
                sc->groups[k].min);
        cp_out_escaped(f, sc->groups[k].name);
        fputs(" per cluster", f);
    }
    if (sc->has_invest) {
        fputs("; new exemplar centres", f);
        if (sc->max_upgrades >= 0)
            fprintf(f, ", at most %d", sc->max_upgrades);
        if (isfinite(sc->upgrade_budget))
            fprintf(f, ", within a budget of %g", sc->upgrade_budget);
    }
    if (sc->has_zones)
        fprintf(f, "; zones of %d&ndash;%d clusters", sc->zone_min, sc->zone_max);
    fprintf(f, "; objective: %s", cp_objective_name(cp_scenario_objective(sc)));
    if (sc->weight != CP_WEIGHT_TEACHERS)
        fputs(" (each school counted once, not by its teachers)", f);
    if (sc->cluster_cost != 0)
        fprintf(f, " with %g per cluster", sc->cluster_cost);
    for (k = 0; k < sc->n_where; k++) {
        fputs(k ? ", " : ". Schools: only ", f);
        cp_out_escaped(f, sc->where[k].field);
        fputs(" = ", f);
        cp_out_escaped(f, sc->where[k].column);
    }
    fputs(".", f);
    if (teachers_all_one(v->inst))
        fputs(" Every school counts 1 teacher: the register gives no teacher counts, so the "
              "teacher figures (teacher-km, cluster teachers) count schools.", f);
    fputs("</p>\n", f);
}

/* The sentence a planner reads first: what was formed, what is left out,
 * what it costs. */
static void lead(FILE *f, const layout_view *v)
{
    const cp_indicators *ind = &v->ev->ind;
    fprintf(f, "<p class=\"lead\"><b>%d clusters place %d of %d schools</b>", ind->clusters,
            ind->assigned, v->inst->n_schools);
    if (ind->unassigned)
        fprintf(f, "; %d are unassigned, each with the rule that keeps it out (below)",
                ind->unassigned);
    if (v->sc->has_costs && !isnan(ind->annual_cost))
        fprintf(f, ". Annual cost %.0f %s: travel %.0f + host stipends %.0f", ind->annual_cost,
                v->sc->currency ? v->sc->currency : "(no currency named)",
                ind->annual_travel_cost, ind->annual_stipends);
    fprintf(f, ". %s.</p>\n", v->ev->n_violations
            ? "This layout breaks some of the rules: every violation is listed below"
            : "Every rule of the scenario holds");
    if (v->sc->has_costs && cp_scenario_timed(v->sc) && v->lay->info.method)
        fprintf(f, "<p class=\"note\">In time mode the objective is teachers' travel time "
                   "(teacher-minutes); the annual cost above prices the road km of their "
                   "routes.</p>\n");
    else if (v->sc->has_costs && !isnan(ind->annual_cost) && ind->annual_cost > 0 &&
        cp_scenario_objective(v->sc) != CP_OBJECTIVE_COST && v->lay->info.method)
        fprintf(f, "<p class=\"note\"><b>This layout minimises teachers' travel, not the annual "
                   "cost</b>: host stipends are %.0f %% of its cost, and the travel objective makes "
                   "as many small clusters as the rules allow. Solve with <code>--objective "
                   "cost</code> for the cheapest layout (fewer, larger clusters).</p>\n",
                100.0 * ind->annual_stipends / ind->annual_cost);
    if (ind->implied_centres)
        fprintf(f, "<p class=\"note\">%d of the clusters name no centre, so the tool chose one "
                   "for each: the school with the least travel to the others of its cluster "
                   "(marked <i>implied</i> in the cluster table). These are stand-ins, not the "
                   "ministry's centres.</p>\n", ind->implied_centres);
}

static void map_note(FILE *f, const layout_view *v)
{
    fprintf(f, "<p class=\"note screen-only\">Click a school for its cluster, centre, distance, "
               "teachers and, if unassigned, the reason; search by name or id at the top left; "
               "switch layers at the top right.%s Colours: neighbouring clusters (centres within "
               "2 km, or areas that touch) never share one; %d colours over %d neighbouring "
               "pairs.%s%s</p>\n", v->route_n ? " Dark lines: each member's route to its centre "
               "along the roads (a straight walk where it is off them); tan lines: the road "
               "layer." : "",
            v->n_colours, v->neighbour_pairs,
            v->unit_level ? " Dashed outlines: the admin units of the rule, drawn as the hull of "
                            "their schools (where units overlap, the register's units do; above "
                            "200 units they start hidden: tick them in the layer list)." : "",
            v->outliers.n ? " Likely coordinate errors are on the map but outside the first "
                            "view (listed below)." : "");
}

/* The instance's name and the schools it was cut to ("kenya-schools-2016,
 * county Kilifi"), so two reports differ in a browser's tabs and on paper. */
static void heading(FILE *f, const layout_view *v)
{
    int k;
    cp_out_escaped(f, v->inst->name[0] ? v->inst->name : "schools");
    for (k = 0; k < v->sc->n_where; k++) {
        fputs(k ? ", " : " &ndash; ", f);
        cp_out_escaped(f, v->sc->where[k].field);
        fputs(" ", f);
        cp_out_escaped(f, v->sc->where[k].column);
    }
}

cp_code report_html(FILE *f, const layout_view *v)
{
    const cp_info *info = &v->lay->info;
    cp_code rc;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>", f);
    heading(f, v);
    fputs(" &ndash; clusters</title>\n", f);
    report_map_css(f);
    fprintf(f, "<style>%s</style></head>\n<body>\n<h1>", report_css);
    heading(f, v);
    fprintf(f, ": %s clusters</h1>\n<p>Scenario ", info->method ? "proposed" : "existing");
    cp_out_escaped(f, v->sc->name ? v->sc->name : "(defaults)");
    if (info->status != CP_STATUS_NONE)
        fprintf(f, "; status %s", cp_status_name(info->status));
    if (info->method)
        fprintf(f, "; method %s, %.1f s", info->method, info->seconds);
    else
        fputs("; an existing layout, evaluated against the rules (no solver ran)", f);
    if (!isnan(info->gap))
        fprintf(f, "; gap to the proven bound %.3f %%", 100 * info->gap);
    fputs(".</p>\n", f);
    rules_line(f, v);
    lead(f, v);
    fputs("<div id=\"map\"></div>\n", f);
    map_note(f, v);
    fputs("<div class=\"print-map\">\n", f);
    map_svg(f, v, 1000.0, 0);
    fputs("</div>\n", f);
    outlier_list(f, v);
    indicators(f, v);
    unassigned_list(f, v);
    violation_list(f, v);
    report_rules(f, v);
    fputs("<h2>Distributions</h2>\n", f);
    size_histogram(f, v);
    distance_histogram(f, v);
    cluster_table(f, v);
    fputs(cp_html_sort_script, f);
    rc = report_map_script(f, v);
    fputs("</body></html>\n", f);
    return rc;
}
