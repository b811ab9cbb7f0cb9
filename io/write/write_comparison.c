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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const cp_summary_names[CP_SUMMARY_VALUES] = {
    "objective", "bound", "gap", "clusters", "assigned", "unassigned", "size_min",
    "size_median", "size_max", "distance_mean", "distance_median", "distance_p90",
    "distance_max", "travel_teacher_weighted", "share_within_limit", "centres_meeting_quality",
    "clusters_crossing_admin", "annual_cost", "violations", "seconds"};

void cp_summary_fill(cp_run_summary *s, const cp_layout *lay, const cp_evaluation *ev)
{
    const cp_indicators *i = &ev->ind;
    const cp_info *info = &lay->info;
    double v[CP_SUMMARY_VALUES] = {i->objective, info->bound, info->gap, i->clusters,
                                   i->assigned, i->unassigned, i->size_min, i->size_median,
                                   i->size_max, i->dist_mean, i->dist_median, i->dist_p90,
                                   i->dist_max, i->travel_weighted, i->share_within_limit,
                                   i->centres_meeting_quality, i->clusters_crossing_admin,
                                   i->annual_cost, ev->n_violations, info->seconds};
    memcpy(s->v, v, sizeof v);
    if (info->method == NULL) /* an existing layout: no solver ran */
        s->v[1] = s->v[2] = s->v[19] = NAN;
    snprintf(s->status, sizeof s->status, "%s",
             info->status != CP_STATUS_NONE ? cp_status_name(info->status) : "evaluated");
    snprintf(s->method, sizeof s->method, "%s", info->method ? info->method : "");
    s->state = CP_SUMMARY_OK;
}

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
    put(o.f, "run", s->run);
    put(o.f, "instance", s->instance);
    put(o.f, "scenario", s->scenario);
    put(o.f, "kind", s->kind);
    put(o.f, "overrides", s->overrides);
    put(o.f, "status", s->status);
    put(o.f, "method", s->method);
    for (k = 0; k < CP_SUMMARY_VALUES; k++) {
        char buf[40] = "";
        if (!isnan(s->v[k]) && !isinf(s->v[k]))
            cp_format_double(buf, sizeof buf, s->v[k]);
        put(o.f, cp_summary_names[k], buf);
    }
    return cp_out_commit(&o, err);
}

static void take(char *dst, size_t n, const char *value)
{
    snprintf(dst, n, "%s", value);
}

static void summary_field(cp_run_summary *s, const char *key, const char *value)
{
    int k;
    double d;
    if (!strcmp(key, "run"))
        take(s->run, sizeof s->run, value);
    else if (!strcmp(key, "instance"))
        take(s->instance, sizeof s->instance, value);
    else if (!strcmp(key, "scenario"))
        take(s->scenario, sizeof s->scenario, value);
    else if (!strcmp(key, "kind"))
        take(s->kind, sizeof s->kind, value);
    else if (!strcmp(key, "overrides"))
        take(s->overrides, sizeof s->overrides, value);
    else if (!strcmp(key, "status"))
        take(s->status, sizeof s->status, value);
    else if (!strcmp(key, "method"))
        take(s->method, sizeof s->method, value);
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
    fputs(",error\n", f);
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
        fputc(',', f);
        cp_out_csv_text(f, s->error);
        fputc('\n', f);
    }
}

/* ------------------------------------------------------------------ HTML */

/* Columns of the HTML table: the summary value and its decimals. */
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
                    {18, 0, "violations"},       {19, 1, "seconds"}};
#define HTML_COLUMNS (int)(sizeof html_columns / sizeof *html_columns)

static void html_row(FILE *f, const cp_run_summary *s)
{
    int k;
    fprintf(f, "<tr class=\"%s\"><td>", s->state == CP_SUMMARY_OK ? "" : "bad");
    if (s->has_report)
        fprintf(f, "<a href=\"runs/%s/solution.html\">", s->run);
    cp_out_escaped(f, s->run);
    fputs(s->has_report ? "</a></td><td>" : "</td><td>", f);
    cp_out_escaped(f, s->instance);
    fputs("</td><td>", f);
    cp_out_escaped(f, s->scenario);
    fputs("</td><td>", f);
    cp_out_escaped(f, s->overrides);
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
    fputs("<td>", f);
    cp_out_escaped(f, s->error);
    fputs("</td></tr>\n", f);
}

static void comparison_html(FILE *f, const char *study, const cp_run_summary *rows, int n)
{
    int r, k;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>", f);
    cp_out_escaped(f, study);
    fputs("</title>\n<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:"
          "collapse;font-size:9pt}td,th{border:1px solid #bbb;padding:2px 5px}th{background:"
          "#eee}td.n{text-align:right}tr.bad{color:#b00}@media print{body{margin:0}}</style>"
          "</head>\n<body>\n<h1>", f);
    cp_out_escaped(f, study);
    fprintf(f, "</h1>\n<p>%d layouts side by side: <i>optimised</i> = solved by clusterplan, "
               "<i>existing</i> = the instance's own layout, <i>given</i> = a layout file; each "
               "evaluated under its scenario. Distances in the instance's units; click a heading "
               "to sort, a run to open its report.</p>\n", n);
    fputs("<table id=\"comparison\" class=\"sortable\"><thead><tr><th>run</th><th>instance</th>"
          "<th>scenario</th><th>settings</th><th>layout</th><th>status</th>", f);
    for (k = 0; k < HTML_COLUMNS; k++)
        fprintf(f, "<th>%s</th>", html_columns[k].head);
    fputs("<th>error</th></tr></thead><tbody>\n", f);
    for (r = 0; r < n; r++)
        html_row(f, &rows[r]);
    fputs("</tbody></table>\n", f);
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
        cp_summary_fill(&rows[k], lays[k], evs[k]);
    }
    snprintf(title, sizeof title, "%s: layouts compared", inst->name);
    rc = cp_write_comparison_file(path, title, rows, n, err);
    cp_free(rows);
    return rc;
}
