/*
 * write_ranking.c — the published ranking, by the extension of the path:
 *   .xml   every number needed to recompute it by hand, the SHA-256 of the
 *          candidates and rubric files, quota effects (read back by
 *          `rank --verify` and `assign`);
 *   .csv   one row per candidate (spreadsheets);
 *   .html  a printable table, the list a committee would publish.
 * Candidates come in rank order, then the excluded by id.  Written whole or
 * not at all (output.c).
 */
#include "output.h"
#include "solver/facilitators/facilitators.h"

#include <math.h>
#include <string.h>

static const char *role_name(const cp_ranking *r, int role)
{
    return role >= 0 ? r->rubric->roles[role].name : NULL;
}

/* ------------------------------------------------------------------ XML */

static void xml_candidate_numbers(FILE *f, const cp_ranking *r, int c)
{
    const cp_rubric *rub = r->rubric;
    const cp_ranked *it = &r->items[c];
    int k;
    for (k = 0; k < rub->n_criteria; k++) {
        fprintf(f, "    <criterion");
        cp_out_text_attr(f, "id", rub->criteria[k].id);
        cp_out_double_attr(f, "score", it->combined[k]);
        cp_out_double_attr(f, "max", rub->criteria[k].max);
        cp_out_double_attr(f, "weight", rub->criteria[k].weight);
        cp_out_double_attr(f, "contribution", it->contribution[k]);
        fprintf(f, "/>\n");
    }
    for (k = 0; k < rub->n_points; k++) {
        const char *v = cp_candidate_attribute(&r->candidates->items[c], rub->points[k].attribute);
        fprintf(f, "    <points");
        cp_out_text_attr(f, "attribute", rub->points[k].attribute);
        cp_out_text_attr(f, "value", v);
        cp_out_double_attr(f, "points", it->points[k]);
        fprintf(f, "/>\n");
    }
}

static void xml_candidate(FILE *f, const cp_ranking *r, int c)
{
    const cp_candidate *cand = &r->candidates->items[c];
    const cp_ranked *it = &r->items[c];
    int k;
    fprintf(f, "  <candidate");
    cp_out_text_attr(f, "id", cand->id);
    if (cand->name[0])
        cp_out_text_attr(f, "name", cand->name);
    cp_out_text_attr(f, "gender", cp_gender_name(cand->gender));
    cp_out_text_attr(f, "school", cand->school);
    cp_out_text_attr(f, "region", cand->region);
    cp_out_double_attr(f, "total", it->total);
    if (it->rank > 0) {
        fprintf(f, " rank=\"%d\"", it->rank);
        cp_out_double_attr(f, "percentile", it->percentile);
        cp_out_text_attr(f, "band", role_name(r, it->band_role));
        cp_out_text_attr(f, "role", role_name(r, it->role));
    } else {
        fprintf(f, " excluded=\"true\"");
    }
    fprintf(f, ">\n");
    xml_candidate_numbers(f, r, c);
    for (k = 0; k < it->n_reasons; k++) {
        fprintf(f, "    <reason>");
        cp_out_escaped(f, it->reasons[k]);
        fprintf(f, "</reason>\n");
    }
    for (k = 0; k < it->n_flags; k++) {
        fprintf(f, "    <flag>");
        cp_out_escaped(f, it->flags[k]);
        fprintf(f, "</flag>\n");
    }
    fprintf(f, "  </candidate>\n");
}

static void xml_people(FILE *f, const cp_ranking *r, const char *tag, const int *list, int n)
{
    int k;
    for (k = 0; k < n; k++) {
        fprintf(f, "    <%s", tag);
        cp_out_text_attr(f, "candidate", r->candidates->items[list[k]].id);
        cp_out_double_attr(f, "total", r->items[list[k]].total);
        fprintf(f, " rank=\"%d\"/>\n", r->items[list[k]].rank);
    }
}

static const char *quota_kind_name(cp_quota_kind k)
{
    static const char *const names[] = {"women-at-least", "region-at-least", "region-at-most",
                                        "per-school-at-most"};
    return names[k];
}

static void xml_effects(FILE *f, const cp_ranking *r)
{
    int q;
    for (q = 0; r->effects && q < r->rubric->n_quotas; q++) {
        const cp_quota *quota = &r->rubric->quotas[q];
        const cp_quota_effect *e = &r->effects[q];
        fprintf(f, "  <quota kind=\"%s\" line=\"%d\"", quota_kind_name(quota->kind), quota->line);
        cp_out_text_attr(f, "role", quota->role >= 0 ? role_name(r, quota->role) : "all");
        cp_out_text_attr(f, "region", quota->region);
        if (e->needed)
            fprintf(f, " needed=\"%d\" achieved=\"%d\" shortfall=\"%d\"", e->needed, e->achieved,
                    e->achieved < e->needed ? e->needed - e->achieved : 0);
        cp_out_double_attr(f, "cost", e->cost);
        fprintf(f, ">\n");
        xml_people(f, r, "displaced", e->displaced, e->n_displaced);
        xml_people(f, r, "admitted", e->admitted, e->n_admitted);
        fprintf(f, "  </quota>\n");
    }
}

static void write_xml(FILE *f, const cp_ranking *r)
{
    const cp_rubric *rub = r->rubric;
    int k;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ranking");
    cp_out_text_attr(f, "rubric", rub->name);
    cp_out_text_attr(f, "candidates-file", r->candidates->source);
    cp_out_text_attr(f, "candidates-sha256", r->candidates->sha256);
    cp_out_text_attr(f, "rubric-file", rub->source);
    cp_out_text_attr(f, "rubric-sha256", rub->sha256);
    fprintf(f, " candidates=\"%d\" ranked=\"%d\" excluded=\"%d\" constrained=\"%s\">\n", r->n,
            r->ranked, r->n - r->ranked, r->constrained ? "true" : "false");
    for (k = 0; k < rub->n_roles; k++) {
        fprintf(f, "  <role");
        cp_out_text_attr(f, "name", rub->roles[k].name);
        cp_out_double_attr(f, "min-percentile", rub->roles[k].min_percentile);
        if (!isinf(rub->roles[k].max_percentile))
            cp_out_double_attr(f, "max-percentile", rub->roles[k].max_percentile);
        fprintf(f, " seats=\"%d\"/>\n", r->seats[k]);
    }
    xml_effects(f, r);
    for (k = 0; k < r->n; k++)
        xml_candidate(f, r, r->order[k]);
    fprintf(f, "</ranking>\n");
}

/* ------------------------------------------------------------------ CSV */

static void csv_joined(FILE *f, char *const *items, int n)
{
    char buf[4096];
    size_t used = 0;
    int k;
    buf[0] = '\0';
    for (k = 0; k < n && used < sizeof buf - 4; k++)
        used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s", k ? "; " : "", items[k]);
    cp_out_csv_text(f, buf);
}

static void csv_header(FILE *f, const cp_rubric *rub)
{
    int k;
    fprintf(f, "id,name,gender,school,region");
    for (k = 0; k < rub->n_criteria; k++)
        fprintf(f, ",%s score,%s contribution", rub->criteria[k].id, rub->criteria[k].id);
    for (k = 0; k < rub->n_points; k++)
        fprintf(f, ",%s points", rub->points[k].attribute);
    fprintf(f, ",total,rank,percentile,band,role,excluded,reasons,flags\n");
}

static void csv_row(FILE *f, const cp_ranking *r, int c)
{
    const cp_candidate *cand = &r->candidates->items[c];
    const cp_ranked *it = &r->items[c];
    int k;
    cp_out_csv_text(f, cand->id);
    fputc(',', f);
    cp_out_csv_text(f, cand->name);
    fprintf(f, ",%s,", cp_gender_name(cand->gender));
    cp_out_csv_text(f, cand->school);
    fputc(',', f);
    cp_out_csv_text(f, cand->region);
    for (k = 0; k < r->rubric->n_criteria; k++) {
        fputc(',', f);
        cp_out_number(f, it->combined[k], "");
        fputc(',', f);
        cp_out_number(f, it->contribution[k], "");
    }
    for (k = 0; k < r->rubric->n_points; k++) {
        fputc(',', f);
        cp_out_number(f, it->points[k], "");
    }
    fputc(',', f);
    cp_out_number(f, it->total, "");
    if (it->rank > 0)
        fprintf(f, ",%d,", it->rank);
    else
        fprintf(f, ",,");
    cp_out_number(f, it->percentile, "");
    fputc(',', f);
    cp_out_csv_text(f, role_name(r, it->band_role));
    fputc(',', f);
    cp_out_csv_text(f, role_name(r, it->role));
    fprintf(f, ",%s,", it->rank > 0 ? "false" : "true");
    csv_joined(f, it->reasons, it->n_reasons);
    fputc(',', f);
    csv_joined(f, it->flags, it->n_flags);
    fputc('\n', f);
}

static void write_csv(FILE *f, const cp_ranking *r)
{
    int k;
    csv_header(f, r->rubric);
    for (k = 0; k < r->n; k++)
        csv_row(f, r, r->order[k]);
}

/* ----------------------------------------------------------------- HTML */

static void html_number(FILE *f, double v)
{
    if (!isnan(v))
        fprintf(f, "%.2f", v);
}

static void html_row(FILE *f, const cp_ranking *r, int c)
{
    const cp_candidate *cand = &r->candidates->items[c];
    const cp_ranked *it = &r->items[c];
    int k;
    fprintf(f, "<tr%s><td>", it->rank > 0 ? "" : " class=\"excluded\"");
    if (it->rank > 0)
        fprintf(f, "%d", it->rank);
    fprintf(f, "</td><td>");
    cp_out_escaped(f, cand->id);
    fprintf(f, "</td><td>");
    cp_out_escaped(f, cand->name);
    fprintf(f, "</td><td>%s</td><td>", cp_gender_name(cand->gender));
    cp_out_escaped(f, cand->region ? cand->region : "");
    fprintf(f, "</td>");
    for (k = 0; k < r->rubric->n_criteria; k++) {
        fprintf(f, "<td class=\"n\">");
        html_number(f, it->contribution[k]);
        fprintf(f, "</td>");
    }
    for (k = 0; k < r->rubric->n_points; k++) {
        fprintf(f, "<td class=\"n\">");
        html_number(f, it->points[k]);
        fprintf(f, "</td>");
    }
    fprintf(f, "<td class=\"n\"><b>");
    html_number(f, it->total);
    fprintf(f, "</b></td><td class=\"n\">");
    html_number(f, it->percentile);
    fprintf(f, "</td><td>");
    cp_out_escaped(f, role_name(r, it->role) ? role_name(r, it->role) : "");
    fprintf(f, "</td><td>");
    for (k = 0; k < it->n_reasons; k++) {
        cp_out_escaped(f, it->reasons[k]);
        fprintf(f, "<br>");
    }
    for (k = 0; k < it->n_flags; k++) {
        fprintf(f, "<i>");
        cp_out_escaped(f, it->flags[k]);
        fprintf(f, "</i><br>");
    }
    fprintf(f, "</td></tr>\n");
}

static void html_head(FILE *f, const cp_ranking *r)
{
    const cp_rubric *rub = r->rubric;
    int k;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
    cp_out_escaped(f, rub->name[0] ? rub->name : "Ranking");
    fprintf(f, "</title>\n<style>body{font-family:sans-serif;margin:2em}"
               "table{border-collapse:collapse;font-size:10pt}"
               "td,th{border:1px solid #999;padding:2px 6px}td.n{text-align:right}"
               "tr.excluded{color:#777}th{background:#eee}"
               "@media print{body{margin:0}tr{page-break-inside:avoid}}</style></head>\n<body>\n"
               "<h1>");
    cp_out_escaped(f, rub->name[0] ? rub->name : "Ranking");
    fprintf(f, "</h1>\n<p>%d candidates, %d ranked, %d excluded.", r->n, r->ranked,
            r->n - r->ranked);
    for (k = 0; k < rub->n_roles; k++) {
        fprintf(f, " ");
        cp_out_escaped(f, rub->roles[k].name);
        fprintf(f, ": percentile &ge; %g, %d seats.", rub->roles[k].min_percentile, r->seats[k]);
    }
    fprintf(f, "</p>\n<p>Candidates file SHA-256 <code>%s</code>; rubric file SHA-256 "
               "<code>%s</code>.</p>\n", r->candidates->sha256, rub->sha256);
}

static void html_table_head(FILE *f, const cp_rubric *rub)
{
    int k;
    fprintf(f, "<table>\n<tr><th>Rank</th><th>Id</th><th>Name</th><th>Gender</th>"
               "<th>Region</th>");
    for (k = 0; k < rub->n_criteria; k++) {
        fprintf(f, "<th>");
        cp_out_escaped(f, rub->criteria[k].id);
        fprintf(f, " (%g)</th>", rub->criteria[k].weight);
    }
    for (k = 0; k < rub->n_points; k++) {
        fprintf(f, "<th>");
        cp_out_escaped(f, rub->points[k].attribute);
        fprintf(f, "</th>");
    }
    fprintf(f, "<th>Total</th><th>Percentile</th><th>Role</th><th>Reasons and notes</th></tr>\n");
}

static void write_html(FILE *f, const cp_ranking *r)
{
    int k;
    html_head(f, r);
    html_table_head(f, r->rubric);
    for (k = 0; k < r->n; k++)
        html_row(f, r, r->order[k]);
    fprintf(f, "</table>\n</body></html>\n");
}

cp_code cp_write_ranking(const char *path, const cp_ranking *r, cp_error *err)
{
    const char *ext = strrchr(path, '.');
    cp_out o;
    if (cp_out_open(&o, path, err))
        return err->code;
    if (ext && strcmp(ext, ".csv") == 0)
        write_csv(o.f, r);
    else if (ext && strcmp(ext, ".html") == 0)
        write_html(o.f, r);
    else
        write_xml(o.f, r);
    return cp_out_commit(&o, err);
}
