/*
 * write_comparison.c — a study's results: each run's summary.txt (the
 * indicators, key=value per line, read back to build the table, so a table
 * can be rebuilt from run folders written by several machines), and the
 * comparison of every run as comparison.csv and a self-contained
 * comparison.html (sortable; links to each run's report).
 */
#include "output.h"
#include "summary.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const cp_summary_names[CP_SUMMARY_VALUES] = {
    "objective", "bound", "gap", "clusters", "assigned", "unassigned", "size_min",
    "size_median", "size_max", "distance_mean", "distance_median", "distance_p90",
    "distance_max", "travel_teacher_weighted", "share_within_limit", "centres_meeting_quality",
    "clusters_crossing_admin", "annual_cost", "violations", "seconds",
    "circuity", /* road km / straight km: empty without roads */
    "out_of_reach"}; /* members no route reaches (by road): left out of distances and costs */

void cp_summary_fill(cp_run_summary *s, const cp_instance *inst, const cp_scenario *sc,
                     const cp_layout *lay, const cp_evaluation *ev)
{
    const cp_indicators *i = &ev->ind;
    const cp_info *info = &lay->info;
    double v[CP_SUMMARY_VALUES] = {i->objective, info->bound, info->gap, i->clusters,
                                   i->assigned, i->unassigned, i->size_min, i->size_median,
                                   i->size_max, i->dist_mean, i->dist_median, i->dist_p90,
                                   i->dist_max, i->travel_weighted, i->share_within_limit,
                                   i->centres_meeting_quality, i->clusters_crossing_admin,
                                   i->annual_cost, ev->n_violations, info->seconds,
                                   i->circuity, i->unreachable};
    memcpy(s->v, v, sizeof v);
    if (info->method == NULL) /* an existing layout: no solver ran */
        s->v[1] = s->v[2] = s->v[19] = NAN;
    snprintf(s->status, sizeof s->status, "%s",
             info->status != CP_STATUS_NONE ? cp_status_name(info->status) : "evaluated");
    snprintf(s->method, sizeof s->method, "%s", info->method ? info->method : "");
    snprintf(s->currency, sizeof s->currency, "%s", sc && sc->currency ? sc->currency : "");
    snprintf(s->objective_kind, sizeof s->objective_kind, "%s",
             sc ? cp_objective_name(cp_scenario_objective(sc)) : "");
    snprintf(s->distance_unit, sizeof s->distance_unit, "%s", inst->units ? inst->units : "");
    s->state = CP_SUMMARY_OK;
}

/* The text lines of summary.txt, in the order written, each a member of
 * cp_run_summary named as its key: the writer and the reader both go
 * through this list. */
#define TEXT_FIELD(m) {#m, offsetof(cp_run_summary, m), sizeof(((cp_run_summary *)0)->m)}
static const struct {
    const char *key;
    size_t offset, size;
} text_fields[] = {TEXT_FIELD(run),      TEXT_FIELD(instance),       TEXT_FIELD(scenario),
                   TEXT_FIELD(kind),     TEXT_FIELD(overrides),      TEXT_FIELD(status),
                   TEXT_FIELD(method),   TEXT_FIELD(currency),       TEXT_FIELD(objective_kind),
                   TEXT_FIELD(distance_unit), TEXT_FIELD(inputs)};
#define N_TEXT_FIELDS (int)(sizeof text_fields / sizeof *text_fields)

/* One line per field; newlines in text would break the format, so none
 * are written (ids cannot hold them, messages are one line). */
static void put(FILE *f, const char *key, const char *value)
{
    fprintf(f, "%s=", key);
    for (; *value; value++)
        fputc(*value == '\n' ? ' ' : *value, f);
    fputc('\n', f);
}

cp_code cp_write_summary(const char *path, const cp_run_summary *s, cp_error *err)
{
    cp_out o;
    int k;
    if (cp_out_open(&o, path, err))
        return err->code;
    for (k = 0; k < N_TEXT_FIELDS; k++)
        put(o.f, text_fields[k].key, (const char *)s + text_fields[k].offset);
    for (k = 0; k < CP_SUMMARY_VALUES; k++) {
        char buf[40] = "";
        if (!isnan(s->v[k]) && !isinf(s->v[k]))
            cp_format_double(buf, sizeof buf, s->v[k]);
        put(o.f, cp_summary_names[k], buf);
    }
    return cp_out_commit(&o, err);
}

static void summary_field(cp_run_summary *s, const char *key, const char *value)
{
    int k;
    double d;
    for (k = 0; k < N_TEXT_FIELDS; k++)
        if (!strcmp(key, text_fields[k].key))
            snprintf((char *)s + text_fields[k].offset, text_fields[k].size, "%s", value);
    for (k = 0; k < CP_SUMMARY_VALUES; k++)
        if (!strcmp(key, cp_summary_names[k]))
            s->v[k] = cp_parse_double(value, &d) ? NAN : d;
}

int cp_read_summary(const char *path, cp_run_summary *s)
{
    FILE *f = fopen(path, "r");
    char line[2048];
    int k;
    if (!f)
        return -1;
    memset(s, 0, sizeof *s);
    for (k = 0; k < CP_SUMMARY_VALUES; k++)
        s->v[k] = NAN;
    while (fgets(line, sizeof line, f)) {
        char *eq = strchr(line, '=');
        line[strcspn(line, "\n")] = '\0';
        if (!eq)
            continue;
        *eq = '\0';
        summary_field(s, line, eq + 1);
    }
    fclose(f);
    s->state = CP_SUMMARY_OK;
    return s->run[0] ? 0 : -1;
}

cp_code cp_write_text(const char *path, const char *text, cp_error *err)
{
    cp_out o;
    if (cp_out_open(&o, path, err))
        return err->code;
    fputs(text, o.f);
    if (text[0] && text[strlen(text) - 1] != '\n')
        fputc('\n', o.f);
    return cp_out_commit(&o, err);
}

/* ------------------------------------------------------------------- CSV */

static const char *state_name(const cp_run_summary *s)
{
    return s->state == CP_SUMMARY_OK ? s->status : s->state == CP_SUMMARY_FAILED ? "failed"
                                                                                 : "missing";
}

static void comparison_csv(FILE *f, const cp_run_summary *rows, int n)
{
    int r, k;
    fputs("run,instance,scenario,kind,overrides,status,method", f);
    for (k = 0; k < CP_SUMMARY_VALUES; k++)
        fprintf(f, ",%s", cp_summary_names[k]);
    /* the objective is teacher-km or a year's cost in the currency, by run;
     * gap and share_within_limit are fractions (the page shows percents) */
    fputs(",objective_kind,currency,distance_unit,error\n", f);
    for (r = 0; r < n; r++) {
        const cp_run_summary *s = &rows[r];
        cp_out_csv_text(f, s->run);
        fputc(',', f);
        cp_out_csv_text(f, s->instance);
        fputc(',', f);
        cp_out_csv_text(f, s->scenario);
        fprintf(f, ",%s,", s->kind);
        cp_out_csv_text(f, s->overrides);
        fprintf(f, ",%s,%s", state_name(s), s->method);
        for (k = 0; k < CP_SUMMARY_VALUES; k++) {
            char buf[40] = "";
            if (s->state == CP_SUMMARY_OK && !isnan(s->v[k]) && !isinf(s->v[k]))
                cp_format_double(buf, sizeof buf, s->v[k]);
            fprintf(f, ",%s", buf);
        }
        fprintf(f, ",%s,", s->state == CP_SUMMARY_OK ? s->objective_kind : "");
        cp_out_csv_text(f, s->state == CP_SUMMARY_OK ? s->currency : "");
        fputc(',', f);
        cp_out_csv_text(f, s->state == CP_SUMMARY_OK ? s->distance_unit : "");
        fputc(',', f);
        cp_out_csv_text(f, s->error);
        fputc('\n', f);
    }
}

/* ------------------------------------------------------------------ HTML */

/* The full table (behind a toggle): every indicator, as in the CSV. */
static const struct {
    int value, decimals;
    const char *head;
} html_columns[] = {{3, 0, "clusters"},          {4, 0, "assigned"},
                    {5, 0, "unassigned"},        {6, 0, "size min"},
                    {7, 1, "size median"},       {8, 0, "size max"},
                    {9, 2, "mean distance"},     {11, 2, "p90 distance"},
                    {12, 2, "max distance"},     {13, 1, "teacher-weighted travel"},
                    {14, 3, "share within limit"}, {17, 0, "annual cost"},
                    {0, 2, "objective"},         {2, 4, "gap"},
                    {18, 0, "violations"},       {19, 1, "seconds"},
                    {20, 2, "circuity (road / straight)"}, {21, 0, "members out of reach"}};
#define HTML_COLUMNS (int)(sizeof html_columns / sizeof *html_columns)

static void full_row(FILE *f, const cp_run_summary *s)
{
    int k;
    fprintf(f, "<tr class=\"%s\"><td>", s->state == CP_SUMMARY_OK ? "" : "bad");
    if (s->has_report)
        fprintf(f, "<a href=\"runs/%s/solution.html\">", s->run);
    cp_out_escaped(f, s->run);
    fputs(s->has_report ? "</a></td><td>" : "</td><td>", f);
    cp_out_escaped(f, s->scenario);
    fprintf(f, "</td><td>%s</td><td>", s->kind);
    cp_out_escaped(f, state_name(s));
    fputs("</td>", f);
    for (k = 0; k < HTML_COLUMNS; k++) {
        double v = s->v[html_columns[k].value];
        fputs("<td class=\"n\">", f);
        if (s->state == CP_SUMMARY_OK && !isnan(v) && !isinf(v))
            fprintf(f, "%.*f", html_columns[k].decimals, v);
        fputs("</td>", f);
    }
    fputs("<td class=\"err\">", f);
    cp_out_escaped(f, s->error);
    fputs("</td></tr>\n", f);
}

/* The decision table's columns: a summary value (or a derived one), how
 * many decimals, and which way is better (-1 lower, +1 higher, 0 none). */
enum { COST_PER_PLACED = -1 };
static const struct {
    int value, decimals, better;
    const char *head, *meaning;
} decide[] = {
    {3, 0, 0, "clusters", "clusters formed"},
    {4, 0, +1, "schools placed", "schools in a cluster"},
    {5, 0, -1, "unassigned", "schools no cluster can take"},
    {7, 1, 0, "median size", "schools in the middle cluster"},
    {11, 2, -1, "p90 distance", "9 in 10 member schools are at most this far from their centre"},
    {17, 0, -1, "annual cost", "travel plus host stipends a year"},
    {COST_PER_PLACED, 1, -1, "cost per placed school", "annual cost / schools placed: fair "
                                                       "between scenarios that place different "
                                                       "numbers"}};
#define DECIDE (int)(sizeof decide / sizeof *decide)

static double decide_value(const cp_run_summary *s, int c)
{
    if (s->state != CP_SUMMARY_OK)
        return NAN;
    if (decide[c].value == COST_PER_PLACED)
        return s->v[4] > 0 ? s->v[17] / s->v[4] : NAN;
    return s->v[decide[c].value];
}

/* The rows the decision table shows: every optimised or given run, and the
 * first existing run of each instance (its layout is the same under every
 * scenario; the full table has the others). */
static int shown(const cp_run_summary *rows, int r)
{
    int q;
    if (strcmp(rows[r].kind, "existing"))
        return 1;
    for (q = 0; q < r; q++)
        if (!strcmp(rows[q].kind, "existing") && !strcmp(rows[q].instance, rows[r].instance))
            return 0;
    return 1;
}

/* The existing run of row r's instance under row r's scenario when it
 * ran, or -1.  A row's differences are from it: measured the same way
 * (straight, by road, in minutes) and under the same rules; when it failed
 * or is missing, no other is taken in its place. */
static int existing_run(const cp_run_summary *rows, int n, int r)
{
    int q;
    for (q = 0; q < n; q++)
        if (!strcmp(rows[q].kind, "existing") && !strcmp(rows[q].instance, rows[r].instance) &&
            !strcmp(rows[q].scenario, rows[r].scenario))
            return rows[q].state == CP_SUMMARY_OK ? q : -1;
    return -1;
}

static void decide_cell(FILE *f, const cp_run_summary *rows, int n, int r, int c, double best)
{
    double v = decide_value(&rows[r], c);
    /* the existing layout under the row's own scenario, so measured the
     * same way (by road, in minutes or straight): the first one's figures
     * in straight km under a road row's had mixed km with minutes */
    int base = existing_run(rows, n, r);
    int is_best = decide[c].better && !isnan(v) && rows[r].v[18] <= 0 &&
                  fabs(v - best) <= 1e-9 * fmax(1.0, fabs(best));
    fprintf(f, "<td class=\"n%s\">", is_best ? " best" : "");
    if (!isnan(v) && !isinf(v)) {
        fprintf(f, "%.*f", decide[c].decimals, v);
        if (base >= 0 && base != r) {
            double d = v - decide_value(&rows[base], c);
            if (!isnan(d) && fabs(d) >= 0.5 * pow(10.0, -decide[c].decimals))
                fprintf(f, "<br><small>%+.*f</small>", decide[c].decimals, d);
        }
    }
    fputs("</td>", f);
}

/* What names a row: a study's scenario, or the file of a layout compare
 * was given. */
static const char *row_name(const cp_run_summary *s)
{
    return !strcmp(s->kind, "given") ? s->run : s->scenario;
}

static void decide_row(FILE *f, const cp_run_summary *rows, int n, int r, const double *best)
{
    const cp_run_summary *s = &rows[r];
    int c, existing = !strcmp(s->kind, "existing"), given = !strcmp(s->kind, "given");
    fprintf(f, "<tr class=\"%s%s\"><td>", s->state == CP_SUMMARY_OK ? "" : "bad",
            existing ? " base" : "");
    if (s->has_map)
        fprintf(f, "<img src=\"runs/%s/map.svg\" alt=\"map of %s\" width=\"120\">", s->run,
                s->run);
    fputs("</td><td>", f);
    if (s->has_report)
        fprintf(f, "<a href=\"runs/%s/solution.html\">", s->run);
    /* compare's rows are layouts given by name (their files), a study's
     * are scenarios */
    cp_out_escaped(f, existing ? "existing layout (baseline)" : row_name(s));
    fputs(s->has_report ? "</a>" : "", f);
    fputs("<br><small>", f);
    cp_out_escaped(f, existing ? s->instance : given ? s->scenario
                                  : s->overrides[0] ? s->overrides : s->instance);
    fputs("</small></td>", f);
    for (c = 0; c < DECIDE; c++)
        decide_cell(f, rows, n, r, c, best[c]);
    fputs("<td>", f);
    cp_out_escaped(f, state_name(s));
    if (s->state == CP_SUMMARY_OK && !isnan(s->v[2]))
        fprintf(f, "<br><small>gap %.2f %%</small>", 100 * s->v[2]);
    if (s->state == CP_SUMMARY_OK && s->v[18] > 0)
        fprintf(f, "<br><small>%.0f rules broken</small>", s->v[18]);
    if (s->state == CP_SUMMARY_OK && s->v[21] > 0) /* distances and costs leave them out */
        fprintf(f, "<br><small>%.0f members out of reach by road, left out of the distances "
                   "and the cost</small>", s->v[21]);
    if (!existing) {
        int e = existing_run(rows, n, r);
        if (e >= 0)
            fprintf(f, "<br><small>the existing layout breaks %.0f of these rules</small>",
                    rows[e].v[18]);
    }
    if (s->state != CP_SUMMARY_OK) {
        fputs("<br><small>", f);
        cp_out_escaped(f, s->error);
        fputs("</small>", f);
    }
    fputs("</td></tr>\n", f);
}

/* A run that may be marked best: it ran, breaks no rule, and (for the
 * "lower is better" columns) places nearly as many schools as the run
 * placing most: a scenario is not cheaper because it serves fewer. */
static int may_be_best(const cp_run_summary *s, int c, double most_placed)
{
    if (s->state != CP_SUMMARY_OK || s->v[18] > 0)
        return 0;
    return decide[c].better > 0 || s->v[4] >= 0.95 * most_placed;
}

/* The best value of each column among the runs that may be marked. */
static void best_values(const cp_run_summary *rows, int n, double *best)
{
    int c, r;
    double most = 0.0;
    for (r = 0; r < n; r++)
        if (rows[r].state == CP_SUMMARY_OK && rows[r].v[18] <= 0 && rows[r].v[4] > most)
            most = rows[r].v[4];
    for (c = 0; c < DECIDE; c++) {
        best[c] = NAN;
        for (r = 0; r < n; r++) {
            double v = decide_value(&rows[r], c);
            if (isnan(v) || !decide[c].better || !may_be_best(&rows[r], c, most))
                continue;
            if (isnan(best[c]) || (decide[c].better < 0 ? v < best[c] : v > best[c]))
                best[c] = v;
        }
    }
}


/* The scenario a planner looks at first: of the optimised runs, the one
 * placing the most schools (ties: the lowest annual cost); then the lowest
 * cost per placed school, if another run, with how many it places. */
static void verdict(FILE *f, const cp_run_summary *rows, int n)
{
    int r, most = -1, cheap = -1;
    const char *cur;
    for (r = 0; r < n; r++) {
        const cp_run_summary *s = &rows[r];
        double per = decide_value(s, DECIDE - 1);
        if (s->state != CP_SUMMARY_OK || !strcmp(s->kind, "existing") || isnan(s->v[4]) ||
            s->v[18] > 0)
            continue;
        if (most < 0 || s->v[4] > rows[most].v[4] ||
            (s->v[4] == rows[most].v[4] && s->v[17] < rows[most].v[17]))
            most = r;
        if (!isnan(per) && (cheap < 0 || per < decide_value(&rows[cheap], DECIDE - 1)))
            cheap = r;
    }
    if (most < 0)
        return;
    cur = rows[most].currency;
    fputs("<p class=\"verdict\">Places the most schools with every rule kept: <b>", f);
    cp_out_escaped(f, row_name(&rows[most]));
    fprintf(f, "</b> (%.0f schools in %.0f clusters", rows[most].v[4], rows[most].v[3]);
    if (!isnan(rows[most].v[17]))
        fprintf(f, "; %.0f %s a year, %.1f per placed school", rows[most].v[17], cur,
                decide_value(&rows[most], DECIDE - 1));
    fputs(").", f);
    if (cheap >= 0 && cheap != most) {
        fputs(" Lowest cost per placed school: <b>", f);
        cp_out_escaped(f, row_name(&rows[cheap]));
        fprintf(f, "</b> (%.1f %s), but it places %.0f schools, %.0f fewer.",
                decide_value(&rows[cheap], DECIDE - 1), cur, rows[cheap].v[4],
                rows[most].v[4] - rows[cheap].v[4]);
    }
    fputs("</p>\n", f);
}

static const char comparison_css[] =
    "body{font-family:sans-serif;margin:1.2em auto;max-width:1340px;padding:0 1em;color:#222}"
    "table{border-collapse:collapse;font-size:9.5pt;margin-bottom:1em}"
    "td,th{border:1px solid #bbb;padding:3px 6px;vertical-align:top;text-align:left}"
    "th{background:#eee}td.n{text-align:right;white-space:nowrap}td.best{background:#d8f0d0;"
    "font-weight:bold}tr.bad{color:#b00}tr.base{background:#f6f6ff}small{color:#555}"
    "td.err{max-width:30em}.scroll{overflow-x:auto;max-width:100%}.note{font-size:10pt;"
    "color:#444;max-width:60em}img{display:block;border:1px solid #ddd;background:#fff}"
    "@media print{@page{size:A4 landscape;margin:10mm}body{margin:0;max-width:none}"
    "details{display:none}table{font-size:8pt}img{width:90px}}";

/* The distance unit every run that ran shares ("km", "km by road", "min by
 * motorbike"), or NULL when they differ. */
static const char *common_unit(const cp_run_summary *rows, int n)
{
    const char *unit = NULL;
    int r;
    for (r = 0; r < n; r++)
        if (rows[r].state == CP_SUMMARY_OK && rows[r].distance_unit[0]) {
            if (unit && strcmp(unit, rows[r].distance_unit))
                return NULL;
            unit = rows[r].distance_unit;
        }
    return unit ? unit : "km";
}

static void comparison_html(FILE *f, const char *study, const cp_run_summary *rows, int n)
{
    int r, k, given = 0;
    double best[DECIDE];
    const char *currency = "", *unit = common_unit(rows, n);
    char units[200];
    for (r = 0; r < n && !currency[0]; r++)
        currency = rows[r].currency;
    for (r = 0; r < n; r++)
        given |= !strcmp(rows[r].kind, "given"); /* compare's page: layouts by name */
    if (unit)
        snprintf(units, sizeof units, "distances in %s", unit);
    else
        snprintf(units, sizeof units, "distances in each run's own measure, which differ "
                 "(straight km, road km or minutes: the CSV's distance_unit column)");
    best_values(rows, n, best);
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>", f);
    cp_out_escaped(f, study);
    fprintf(f, "</title>\n<style>%s</style></head>\n<body>\n<h1>", comparison_css);
    cp_out_escaped(f, study);
    if (given)
        fprintf(f, "</h1>\n<p class=\"note\">%d layouts, one row each (named by its file, "
                   "its scenario below it), every one evaluated under the same scenario and "
                   "measured the same way. The best value of each column is marked green, "
                   "among the layouts that keep every rule and (for distances and costs) place "
                   "at least 95 %% as many schools as the one placing most. Costs are a year, "
                   "in %s; %s. Click a heading to sort.</p>\n", n,
                currency[0] ? currency : "the scenario's currency (none named)", units);
    else
        fprintf(f, "</h1>\n<p class=\"note\">%d runs. One row per scenario, solved by "
                   "clusterplan; the instance's existing layout once, as the baseline (shaded): "
                   "the small figures under a value are the difference from the existing layout "
                   "evaluated under the same scenario (so measured the same way: straight, by "
                   "road or in minutes). The best value of each column is marked green, among "
                   "the runs that keep every rule and (for distances and costs) place at least "
                   "95 %% as many schools as the one placing most. Costs are a year, in %s; %s. "
                   "Click a scenario for its report, and a heading to sort.</p>\n", n,
                currency[0] ? currency : "the scenario's currency (none named)", units);
    verdict(f, rows, n);
    fprintf(f, "<table id=\"decide\" class=\"sortable\"><thead><tr><th>map</th><th>%s</th>",
            given ? "layout" : "scenario");
    for (k = 0; k < DECIDE; k++)
        fprintf(f, "<th title=\"%s\">%s</th>", decide[k].meaning, decide[k].head);
    fputs("<th>status</th></tr></thead><tbody>\n", f);
    for (r = 0; r < n; r++)
        if (shown(rows, r))
            decide_row(f, rows, n, r, best);
    fputs("</tbody></table>\n<p class=\"note\">", f);
    for (k = 0; k < DECIDE; k++)
        fprintf(f, "<b>%s</b>: %s. ", decide[k].head, decide[k].meaning);
    fputs("<b>status</b>: optimal = proven best under the scenario's rules; gap = how far from "
          "the proven bound at most; <i>rules broken</i> = the row's violations of its "
          "scenario's rules (an existing layout's, or a layout read; its report lists each).</p>\n",
          f);
    fputs("<details><summary>Every indicator of every run (the CSV's columns)</summary>\n"
          "<div class=\"scroll\"><table id=\"comparison\" class=\"sortable\"><thead><tr>"
          "<th>run</th><th>scenario</th><th>layout</th><th>status</th>", f);
    for (k = 0; k < HTML_COLUMNS; k++)
        fprintf(f, "<th>%s</th>", html_columns[k].head);
    fputs("<th>error</th></tr></thead><tbody>\n", f);
    for (r = 0; r < n; r++)
        full_row(f, &rows[r]);
    fputs("</tbody></table></div></details>\n", f);
    fputs(cp_html_sort_script, f);
    fputs("</body></html>\n", f);
}

cp_code cp_write_comparison_file(const char *path, const char *title, const cp_run_summary *rows,
                                 int n, cp_error *err)
{
    const char *ext = strrchr(path, '.');
    cp_out o;
    if (cp_out_open(&o, path, err))
        return err->code;
    if (ext && !strcmp(ext, ".html"))
        comparison_html(o.f, title, rows, n);
    else
        comparison_csv(o.f, rows, n);
    return cp_out_commit(&o, err);
}

cp_code cp_write_comparison(const char *dir, const char *study, const cp_run_summary *rows,
                            int n, cp_error *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/comparison.csv", dir);
    if (cp_write_comparison_file(path, study, rows, n, err))
        return err->code;
    snprintf(path, sizeof path, "%s/comparison.html", dir);
    return cp_write_comparison_file(path, study, rows, n, err);
}

cp_code cp_write_compare(const char *path, const cp_instance *inst, const cp_scenario *sc,
                         const char *const *names, const cp_layout *const *lays,
                         const cp_evaluation *const *evs, int n, cp_error *err)
{
    cp_run_summary *rows = cp_calloc((size_t)(n ? n : 1), sizeof *rows);
    char title[300];
    int k;
    cp_code rc;
    if (!rows)
        return cp_fail_nomem(err);
    for (k = 0; k < n; k++) {
        snprintf(rows[k].run, sizeof rows[k].run, "%s", names[k]);
        snprintf(rows[k].instance, sizeof rows[k].instance, "%s", inst->name);
        snprintf(rows[k].scenario, sizeof rows[k].scenario, "%s", sc->name ? sc->name : "");
        snprintf(rows[k].kind, sizeof rows[k].kind, "%s",
                 !strcmp(names[k], "existing") ? "existing" : "given");
        cp_summary_fill(&rows[k], inst, sc, lays[k], evs[k]);
    }
    snprintf(title, sizeof title, "%s: layouts compared", inst->name);
    rc = cp_write_comparison_file(path, title, rows, n, err);
    cp_free(rows);
    return rc;
}
