/*
 * write_assignment.c — facilitators (and supervisors) per cluster, by the
 * extension of the path: .xml, .csv (one row per cluster, a UTF-8 byte
 * order mark, text cells neutralised against spreadsheet formulas) or
 * .html (a printable table with the names of the people and schools).
 * Several outputs are written all or nothing (output.c).
 */
#include "output.h"

#include <math.h>
#include <string.h>

typedef struct {
    const cp_instance *inst;
    const cp_layout *lay;
    const cp_published_ranking *pub;
    const cp_assignment *fac, *sup;
} view;

static const char *person(const view *v, const cp_assignment *a, int k)
{
    return a && a->facilitator[k] >= 0 ? v->pub->items[a->facilitator[k]].id : NULL;
}

static const char *person_name(const view *v, const cp_assignment *a, int k)
{
    return a && a->facilitator[k] >= 0 ? v->pub->items[a->facilitator[k]].name : NULL;
}

static const char *centre_id(const view *v, int k)
{
    return v->lay->centre[k] >= 0 ? v->inst->schools[v->lay->centre[k]].id : NULL;
}

static const char *centre_name(const view *v, int k)
{
    const char *name = v->lay->centre[k] >= 0 ? v->inst->schools[v->lay->centre[k]].name : NULL;
    return name && name[0] ? name : NULL;
}

static void xml_cluster(FILE *f, const view *v, int k)
{
    fprintf(f, "  <cluster");
    cp_out_text_attr(f, "id", v->lay->label[k]);
    cp_out_text_attr(f, "centre", centre_id(v, k));
    cp_out_text_attr(f, "facilitator", person(v, v->fac, k));
    if (person(v, v->fac, k) && person_name(v, v->fac, k)[0])
        cp_out_text_attr(f, "facilitator-name", person_name(v, v->fac, k));
    if (person(v, v->fac, k)) {
        cp_out_text_attr(f, "facilitator-school", v->pub->items[v->fac->facilitator[k]].school);
        cp_out_double_attr(f, "travel", v->fac->travel[k]);
        fprintf(f, " inside=\"%s\"", v->fac->inside[k] ? "true" : "false");
    }
    if (v->sup && person(v, v->sup, k)) {
        cp_out_text_attr(f, "supervisor", person(v, v->sup, k));
        cp_out_double_attr(f, "supervisor-travel", v->sup->travel[k]);
    }
    fprintf(f, "/>\n");
}

static void xml_totals(FILE *f, const view *v, const char *tag, const cp_assignment *a)
{
    int k;
    fprintf(f, "  <%s available=\"%d\" elsewhere=\"%d\" covered=\"%d\" inside=\"%d\"", tag,
            a->facilitators, a->elsewhere, a->covered, a->inside_count);
    cp_out_double_attr(f, "travel", a->total_travel);
    fprintf(f, " optimal=\"%s\">\n", a->optimal ? "true" : "false");
    for (k = 0; k < a->shortfalls.count; k++) {
        fprintf(f, "    <shortfall>");
        cp_out_escaped(f, a->shortfalls.items[k]);
        fprintf(f, "</shortfall>\n");
    }
    /* holders whose school is not in the instance: another district's, or a misspelt id */
    for (k = 0; k < a->elsewhere; k++) {
        const cp_published_entry *e = &v->pub->items[a->elsewhere_entry[k]];
        fprintf(f, "    <outside");
        cp_out_text_attr(f, "id", e->id);
        if (e->name[0])
            cp_out_text_attr(f, "name", e->name);
        cp_out_text_attr(f, "school", e->school);
        fprintf(f, "/>\n");
    }
    fprintf(f, "  </%s>\n", tag);
}

static void write_xml(FILE *f, const view *v)
{
    int k;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<assignment");
    cp_out_text_attr(f, "instance", v->inst->name);
    cp_out_text_attr(f, "ranking", v->pub->source);
    /* which list the role holders came from, whatever the file is called */
    if (cp_pub_get(v->pub->records, 0, "list-sha256"))
        cp_out_text_attr(f, "ranking-list-sha256", cp_pub_get(v->pub->records, 0, "list-sha256"));
    fprintf(f, " clusters=\"%d\">\n", v->lay->n_clusters);
    xml_totals(f, v, "facilitators", v->fac);
    if (v->sup)
        xml_totals(f, v, "supervisors", v->sup);
    for (k = 0; k < v->lay->n_clusters; k++)
        xml_cluster(f, v, k);
    fprintf(f, "</assignment>\n");
}

static void write_csv(FILE *f, const view *v)
{
    int k;
    cp_out_csv_bom(f);
    fprintf(f, "cluster,centre,centre_name,facilitator,facilitator_name,facilitator_school,"
               "travel,inside,supervisor,supervisor_name,supervisor_travel\n");
    for (k = 0; k < v->lay->n_clusters; k++) {
        int has = person(v, v->fac, k) != NULL;
        cp_out_csv_cell(f, v->lay->label[k]);
        fputc(',', f);
        cp_out_csv_cell(f, centre_id(v, k));
        fputc(',', f);
        cp_out_csv_cell(f, centre_name(v, k));
        fputc(',', f);
        cp_out_csv_cell(f, person(v, v->fac, k));
        fputc(',', f);
        cp_out_csv_cell(f, person_name(v, v->fac, k));
        fputc(',', f);
        cp_out_csv_cell(f, has ? v->pub->items[v->fac->facilitator[k]].school : NULL);
        fputc(',', f);
        cp_out_number(f, has ? v->fac->travel[k] : NAN, "");
        fprintf(f, ",%s,", has ? (v->fac->inside[k] ? "true" : "false") : "");
        cp_out_csv_cell(f, v->sup ? person(v, v->sup, k) : NULL);
        fputc(',', f);
        cp_out_csv_cell(f, v->sup ? person_name(v, v->sup, k) : NULL);
        fputc(',', f);
        cp_out_number(f, v->sup && person(v, v->sup, k) ? v->sup->travel[k] : NAN, "");
        fputc('\n', f);
    }
}

static void html_cell(FILE *f, const char *s)
{
    fprintf(f, "<td>");
    cp_out_escaped(f, s ? s : "");
    fprintf(f, "</td>");
}

/* "Y05 Amal Saeed" or "KLF001 Mtwapa Primary": an id with its name. */
static void html_named(FILE *f, const char *id, const char *name)
{
    fprintf(f, "<td>");
    if (id) {
        fprintf(f, "<bdi>");
        cp_out_escaped(f, id);
        fprintf(f, "</bdi>");
    }
    if (id && name && name[0]) {
        fprintf(f, " <bdi>");
        cp_out_escaped(f, name);
        fprintf(f, "</bdi>");
    }
    fprintf(f, "</td>");
}

static const char *school_name(const view *v, const char *id)
{
    int k = id ? cp_instance_find(v->inst, id) : -1;
    return k >= 0 ? v->inst->schools[k].name : NULL;
}

/* Role holders the instance has no school of: named, so that a misspelt
 * school id is seen (a national list used on one district has many). */
static void html_outside(FILE *f, const view *v, const char *who, const cp_assignment *a)
{
    int k;
    if (a->elsewhere == 0)
        return;
    fprintf(f, "<p>%s outside this instance (%d: their school is not one of its schools, so "
               "they were not assigned): ", who, a->elsewhere);
    for (k = 0; k < a->elsewhere; k++) {
        const cp_published_entry *e = &v->pub->items[a->elsewhere_entry[k]];
        fprintf(f, "%s<bdi>", k ? ", " : "");
        cp_out_escaped(f, e->id);
        fprintf(f, "</bdi>");
        if (e->name[0]) {
            fprintf(f, " <bdi>");
            cp_out_escaped(f, e->name);
            fprintf(f, "</bdi>");
        }
        fprintf(f, " (school ");
        cp_out_escaped(f, e->school ? e->school : "none");
        fprintf(f, ")");
    }
    fprintf(f, ".</p>\n");
}

static void write_html(FILE *f, const view *v)
{
    int k;
    fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
               "Facilitators by cluster</title>\n<style>body{font-family:sans-serif;margin:2em}"
               "table{border-collapse:collapse;font-size:10pt}td,th{border:1px solid #999;"
               "padding:2px 6px}th{background:#eee}td.n{text-align:right}tr.none{color:#b00}"
               "@media print{body{margin:0}}</style></head>\n<body>\n<h1>Facilitators by "
               "cluster</h1>\n<p>%d clusters, %d covered (%d by a facilitator from inside the "
               "cluster); total travel %.1f.</p>\n", v->lay->n_clusters, v->fac->covered,
            v->fac->inside_count, v->fac->total_travel);
    for (k = 0; k < v->fac->shortfalls.count; k++) {
        fprintf(f, "<p class=\"none\">");
        cp_out_escaped(f, v->fac->shortfalls.items[k]);
        fprintf(f, "</p>\n");
    }
    html_outside(f, v, "Facilitators", v->fac);
    if (v->sup)
        html_outside(f, v, "Supervisors", v->sup);
    if (v->sup)
        fprintf(f, "<p>Supervisors: %d clusters under a supervisor (%d supervisors available); "
                   "travel %.1f.</p>\n", v->sup->covered, v->sup->facilitators,
                v->sup->total_travel);
    for (k = 0; v->sup && k < v->sup->shortfalls.count; k++) {
        fprintf(f, "<p class=\"none\">Supervisors: ");
        cp_out_escaped(f, v->sup->shortfalls.items[k]);
        fprintf(f, "</p>\n");
    }
    fprintf(f, "<table>\n<tr><th>Cluster</th><th>Centre school</th><th>Facilitator</th>"
               "<th>Facilitator&rsquo;s school</th><th>Travel</th><th>From inside the cluster</th>"
               "<th>Supervisor</th></tr>\n");
    for (k = 0; k < v->lay->n_clusters; k++) {
        int has = person(v, v->fac, k) != NULL;
        const char *school = has ? v->pub->items[v->fac->facilitator[k]].school : NULL;
        fprintf(f, "<tr%s>", has ? "" : " class=\"none\"");
        html_cell(f, v->lay->label[k]);
        html_named(f, centre_id(v, k), centre_name(v, k));
        if (has)
            html_named(f, person(v, v->fac, k), person_name(v, v->fac, k));
        else
            html_cell(f, "none");
        html_named(f, school, school_name(v, school));
        fprintf(f, "<td class=\"n\">");
        if (has)
            fprintf(f, "%.2f", v->fac->travel[k]);
        fprintf(f, "</td>");
        html_cell(f, has ? (v->fac->inside[k] ? "yes" : "no") : "");
        html_named(f, v->sup ? person(v, v->sup, k) : NULL, v->sup ? person_name(v, v->sup, k) : NULL);
        fprintf(f, "</tr>\n");
    }
    fprintf(f, "</table>\n</body></html>\n");
}

cp_code cp_write_assignments(const char *const *paths, int n, const cp_instance *inst,
                             const cp_layout *lay, const cp_published_ranking *pub,
                             const cp_assignment *fac, const cp_assignment *sup, cp_error *err)
{
    view v = {inst, lay, pub, fac, sup};
    cp_out *outs = cp_calloc((size_t)(n ? n : 1), sizeof *outs);
    int k;
    if (!outs)
        return cp_fail_nomem(err);
    if (cp_out_open_all(outs, paths, n, err)) {
        cp_free(outs);
        return err->code;
    }
    for (k = 0; k < n; k++) {
        const char *ext = strrchr(paths[k], '.');
        if (ext && strcmp(ext, ".csv") == 0)
            write_csv(outs[k].f, &v);
        else if (ext && strcmp(ext, ".html") == 0)
            write_html(outs[k].f, &v);
        else
            write_xml(outs[k].f, &v);
    }
    k = cp_out_commit_all(outs, n, err);
    cp_free(outs);
    return (cp_code)k;
}

cp_code cp_write_assignment(const char *path, const cp_instance *inst, const cp_layout *lay,
                            const cp_published_ranking *pub, const cp_assignment *fac,
                            const cp_assignment *sup, cp_error *err)
{
    return cp_write_assignments(&path, 1, inst, lay, pub, fac, sup, err);
}
