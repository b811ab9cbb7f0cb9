/*
 * write_report.c — one self-contained HTML report of a layout: the SVG map,
 * the indicators, size and distance histograms (inline SVG), the cluster
 * table (sortable by a few lines of inline script: no file is fetched),
 * and every unassigned school with its reason.
 */
#include "writers.h"

#include <math.h>
#include <string.h>

#define BINS 12

static void row(FILE *f, const char *name, int decimals, double v)
{
    fprintf(f, "<tr><th>%s</th><td>", name);
    if (isnan(v))
        fputs("&ndash;", f);
    else
        fprintf(f, "%.*f", decimals, v);
    fputs("</td></tr>\n", f);
}

static void indicators(FILE *f, const layout_view *v)
{
    const cp_indicators *ind = &v->ev->ind;
    const char *u = v->inst->units ? v->inst->units : "";
    char label[96];
    fputs("<h2>Indicators</h2>\n<table class=\"ind\">\n", f);
    row(f, "clusters", 0, ind->clusters);
    row(f, "schools assigned", 0, ind->assigned);
    row(f, "schools unassigned", 0, ind->unassigned);
    row(f, "cluster size: min", 0, ind->size_min);
    row(f, "cluster size: median", 1, ind->size_median);
    row(f, "cluster size: max", 0, ind->size_max);
    snprintf(label, sizeof label, "distance to centre: mean (%s)", u);
    row(f, label, 2, ind->dist_mean);
    snprintf(label, sizeof label, "distance to centre: p90 (%s)", u);
    row(f, label, 2, ind->dist_p90);
    snprintf(label, sizeof label, "distance to centre: max (%s)", u);
    row(f, label, 2, ind->dist_max);
    row(f, "teacher-weighted travel", 1, ind->travel_weighted);
    row(f, "share within the limit", 3, ind->share_within_limit);
    row(f, "centres meeting the quality rule", 0, ind->centres_meeting_quality);
    row(f, "clusters crossing admin units", 0, ind->clusters_crossing_admin);
    if (v->sc->has_costs) {
        const char *cur = v->sc->currency ? v->sc->currency : "no currency named";
        snprintf(label, sizeof label, "annual cost (%s): travel + host stipends", cur);
        row(f, label, 0, ind->annual_cost);
        snprintf(label, sizeof label, "&nbsp;&nbsp;travel: %g meetings &times; 2 &times; %g per km",
                 v->sc->meetings_per_year, v->sc->cost_per_km);
        row(f, label, 0, ind->annual_travel_cost);
        snprintf(label, sizeof label, "&nbsp;&nbsp;host stipends: %g meetings &times; %g per cluster",
                 v->sc->meetings_per_year, v->sc->host_stipend);
        row(f, label, 0, ind->annual_stipends);
    }
    snprintf(label, sizeof label, "objective (%s, after the unassigned count)",
             cp_objective_name(cp_scenario_objective(v->sc)));
    row(f, label, 4, ind->objective);
    row(f, "violations", 0, v->ev->n_violations);
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
        if (v->role[k] == VIEW_MEMBER && !isnan(v->ev->distance[k])) {
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
    fputs("<h2>Clusters</h2>\n<p>Click a column heading to sort.</p>\n<table id=\"clusters\" "
          "class=\"sortable\"><thead><tr><th>cluster</th><th>centre</th><th>centre name</th>"
          "<th>size</th><th>teachers</th><th>travel</th><th>max distance</th></tr></thead><tbody>\n",
          f);
    for (k = 0; k < v->lay->n_clusters; k++) {
        int c = v->ev->centre_used[k];
        if (v->ev->cluster_size[k] == 0)
            continue;
        fputs("<tr><td>", f);
        cp_out_escaped(f, v->lay->label[k]);
        fputs("</td><td>", f);
        cp_out_escaped(f, c >= 0 ? v->inst->schools[c].id : "");
        fputs("</td><td>", f);
        cp_out_escaped(f, c >= 0 ? v->inst->schools[c].name : "");
        fprintf(f, "</td><td>%d</td><td>%.0f</td><td>%.2f</td><td>%.2f</td></tr>\n",
                v->ev->cluster_size[k], v->ev->cluster_teachers[k], v->ev->cluster_travel[k],
                v->ev->cluster_maxdist[k]);
    }
    fputs("</tbody></table>\n", f);
}

/* Counts by rule first: the rule to relax is the one with the most schools. */
static void reason_groups(FILE *f, const layout_view *v)
{
    cp_reason_group g[16];
    int others, n = cp_layout_reason_groups(v->lay, g, 16, &others), k;
    fputs("<table class=\"ind\"><tr><th>schools</th><th>rule that keeps them out</th>"
          "<th>for example</th></tr>\n", f);
    for (k = 0; k < n; k++) {
        fprintf(f, "<tr><td>%d</td><td>", g[k].count);
        cp_out_escaped(f, g[k].rule);
        fputs("</td><td>", f);
        cp_out_escaped(f, view_reason(v, g[k].first));
        fputs("</td></tr>\n", f);
    }
    if (others)
        fprintf(f, "<tr><td>%d</td><td>other rules</td><td>see the list below</td></tr>\n",
                others);
    fputs("</table>\n", f);
}

/* Likely coordinate errors: not drawn (they would shrink the map to a
 * corner), so listed here, each with how far it lies from its unit. */
static void outlier_list(FILE *f, const layout_view *v)
{
    const char *u = v->inst->units ? v->inst->units : "";
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

void report_html(FILE *f, const layout_view *v)
{
    const cp_info *info = &v->lay->info;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
    cp_out_escaped(f, v->inst->name);
    fputs(" &ndash; clusters</title>\n<style>body{font-family:sans-serif;margin:1.5em;max-width:"
          "1100px}table{border-collapse:collapse;font-size:10pt;margin-bottom:1em}td,th{border:"
          "1px solid #bbb;padding:2px 6px;text-align:left}table.ind th{background:#f4f4f4}"
          "figure{display:inline-block;margin:0 2em 1em 0}figcaption{font-size:10pt}"
          "@media print{body{margin:0}}</style></head>\n<body>\n<h1>", f);
    cp_out_escaped(f, v->inst->name);
    fputs("</h1>\n<p>Scenario ", f);
    cp_out_escaped(f, v->sc->name ? v->sc->name : "(defaults)");
    if (info->status != CP_STATUS_NONE)
        fprintf(f, "; status %s", cp_status_name(info->status));
    if (info->method)
        fprintf(f, "; method %s, %.1f s", info->method, info->seconds);
    if (!isnan(info->gap))
        fprintf(f, "; gap to the proven bound %.3f %%", 100 * info->gap);
    fputs(".</p>\n<div class=\"map\">\n", f);
    map_svg(f, v, 1000.0);
    fputs("</div>\n", f);
    outlier_list(f, v);
    indicators(f, v);
    fputs("<h2>Distributions</h2>\n", f);
    size_histogram(f, v);
    distance_histogram(f, v);
    cluster_table(f, v);
    unassigned_list(f, v);
    fputs(cp_html_sort_script, f);
    fputs("</body></html>\n", f);
}
