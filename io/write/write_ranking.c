/*
 * write_ranking.c — the published ranking, by the extension of each path:
 *   .xml   the publication's records (publish.c): every number needed to
 *          recompute it by hand, the files' SHA-256, the list's own digest
 *          (read back by `rank --verify`, `rank --diff` and `assign`);
 *   .csv   the publication's rows, with a UTF-8 byte order mark (so a
 *          spreadsheet reads Arabic and Sesotho names right), numbers
 *          unquoted, every other cell quoted, the digests in a last
 *          "# list-sha256 ..." line;
 *   .html  the committee's publication (write_ranking_html.c).
 * Several outputs are written all or nothing (output.c): every file goes to
 * a temporary file first and none is renamed into place unless all were
 * written.  The public version leaves out what the rubric marks private.
 */
#include "output.h"
#include "writers.h"
#include "solver/facilitators/facilitators.h"

#include <string.h>

/* ------------------------------------------------------------------ XML */

static void indent(FILE *f, int depth)
{
    static const char spaces[] = "                                ";
    fwrite(spaces, 1, (size_t)(2 * depth < 32 ? 2 * depth : 32), f);
}

static void xml_open_tag(FILE *f, const cp_publication *p, int k, int depth)
{
    const cp_pub_record *rec = &p->items[k];
    int j;
    indent(f, depth);
    fprintf(f, "<%s", rec->element);
    for (j = 0; j < rec->n_fields; j++)
        cp_out_text_attr(f, p->fields[rec->first_field + j].name,
                         p->fields[rec->first_field + j].value);
}

/* The records as elements: a record with children opens, one with text
 * holds it, the others close at once; the parents close in order. */
static void write_xml(FILE *f, const cp_publication *p)
{
    int open[16], depth = 0, k;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    for (k = 0; k < p->n; k++) {
        const cp_pub_record *rec = &p->items[k];
        while (depth > 0 && open[depth - 1] != rec->parent) {
            depth--;
            indent(f, depth);
            fprintf(f, "</%s>\n", p->items[open[depth]].element);
        }
        xml_open_tag(f, p, k, depth);
        if (rec->text) {
            fputc('>', f);
            cp_out_escaped(f, rec->text);
            fprintf(f, "</%s>\n", rec->element);
        } else if (k + 1 < p->n && p->items[k + 1].parent == k && depth < 16) {
            fprintf(f, ">\n");
            open[depth++] = k;
        } else {
            fprintf(f, "/>\n");
        }
    }
    while (depth > 0) {
        depth--;
        indent(f, depth);
        fprintf(f, "</%s>\n", p->items[open[depth]].element);
    }
}

/* ------------------------------------------------------------------ CSV */

static void csv_value(FILE *f, const char *v)
{
    double d;
    if (v[0] && !cp_parse_double(v, &d))
        fputs(v, f);
    else if (v[0])
        cp_out_csv_text(f, v); /* already neutralised by the rows (publish_rows.c) */
}

static void write_csv(FILE *f, const cp_publication *rows)
{
    int k, j;
    cp_out_csv_bom(f);
    for (k = 0; k < rows->n; k++) {
        const cp_pub_record *rec = &rows->items[k];
        if (!strcmp(rec->element, "footer")) {
            fputs("\"#", f);
            for (j = 0; j < rec->n_fields; j++) {
                const cp_pub_field *fl = &rows->fields[rec->first_field + j];
                fprintf(f, "%s %s %s", j ? ";" : "", fl->name, fl->value);
            }
            fputs("\"\n", f);
            continue;
        }
        for (j = 0; j < rec->n_fields; j++) {
            if (j)
                fputc(',', f);
            csv_value(f, rows->fields[rec->first_field + j].value);
        }
        fputc('\n', f);
    }
}

/* ---------------------------------------------------------------- driver */

static const char *extension(const char *path)
{
    const char *ext = strrchr(path, '.');
    return ext ? ext : "";
}

cp_code cp_write_rankings(const char *const *paths, int n, const cp_ranking *r,
                          int public_version, cp_error *err)
{
    cp_out *outs = cp_calloc((size_t)(n ? n : 1), sizeof *outs);
    cp_publication *tree = outs ? cp_ranking_publish(r, public_version, err) : NULL;
    cp_publication *rows = NULL;
    int k;
    cp_code rc = outs ? CP_OK : cp_fail_nomem(err);
    if (!rc && !tree)
        rc = err->code;
    for (k = 0; !rc && k < n; k++)
        if (!strcmp(extension(paths[k]), ".csv") && !rows && !(rows = cp_publication_rows(tree, err)))
            rc = err->code;
    if (!rc)
        rc = cp_out_open_all(outs, paths, n, err);
    for (k = 0; !rc && k < n; k++) {
        const char *ext = extension(paths[k]);
        if (!strcmp(ext, ".csv")) {
            write_csv(outs[k].f, rows);
        } else if (!strcmp(ext, ".html")) {
            if (cp_write_ranking_html(outs[k].f, r, tree, public_version)) {
                cp_out_abort_all(outs, n);
                rc = cp_fail_nomem(err);
            }
        } else {
            write_xml(outs[k].f, tree);
        }
    }
    if (!rc)
        rc = cp_out_commit_all(outs, n, err);
    cp_publication_free(rows);
    cp_publication_free(tree);
    cp_free(outs);
    return rc;
}

cp_code cp_write_ranking(const char *path, const cp_ranking *r, cp_error *err)
{
    return cp_write_rankings(&path, 1, r, 0, err);
}
