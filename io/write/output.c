/*
 * output.c — atomic output files and XML escaping; see output.h.
 */
#include "output.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int is_special(const char *path)
{
    return cp_path_is_device(path);
}

static cp_code open_temporary(cp_out *o, cp_error *err)
{
    size_t n = strlen(o->path) + 16;
    int fd;
    o->tmp = cp_malloc(n);
    if (!o->tmp)
        return cp_fail_nomem(err);
    snprintf(o->tmp, n, "%s.tmp.XXXXXX", o->path);
    fd = mkstemp(o->tmp);
    if (fd < 0) {
        cp_fail(err, CP_ERESOURCE, "%s: cannot create output file: %s", o->path,
                strerror(errno));
        cp_free(o->tmp);
        o->tmp = NULL;
        return CP_ERESOURCE;
    }
    fchmod(fd, 0644);
    o->f = fdopen(fd, "w");
    if (!o->f) {
        close(fd);
        unlink(o->tmp);
        return cp_fail(err, CP_ERESOURCE, "%s: %s", o->path, strerror(errno));
    }
    return CP_OK;
}

cp_code cp_out_open(cp_out *o, const char *path, cp_error *err)
{
    memset(o, 0, sizeof *o);
    if (strcmp(path, "-") == 0) {
        o->f = stdout;
        o->is_stdout = 1;
        return CP_OK;
    }
    o->path = cp_strdup(path);
    if (!o->path)
        return cp_fail_nomem(err);
    if (is_special(path)) {
        o->f = fopen(path, "w");
        if (!o->f) {
            cp_fail(err, CP_ERESOURCE, "%s: cannot open for writing: %s", path,
                    strerror(errno));
            cp_free(o->path);
            return CP_ERESOURCE;
        }
        return CP_OK;
    }
    if (open_temporary(o, err)) {
        cp_free(o->path);
        o->path = NULL;
        return CP_ERESOURCE;
    }
    return CP_OK;
}

static void release(cp_out *o)
{
    cp_free(o->path);
    cp_free(o->tmp);
    memset(o, 0, sizeof *o);
}

void cp_out_abort(cp_out *o)
{
    if (!o->f)
        return;
    if (!o->is_stdout)
        fclose(o->f);
    if (o->tmp)
        unlink(o->tmp);
    release(o);
}

/* Flushes and syncs: after this only the rename is left. */
static int out_flush(cp_out *o, int *saved)
{
    int failed = fflush(o->f) != 0 || ferror(o->f);
    *saved = errno;
    if (!failed && !o->is_stdout && o->tmp && fsync(fileno(o->f)) != 0)
        failed = 1, *saved = errno;
    return failed;
}

/* Closes and renames into place; on failure removes the temporary file. */
static cp_code out_finish(cp_out *o, int failed, int saved, cp_error *err)
{
    const char *name = o->path ? o->path : "standard output";
    if (o->is_stdout) {
        release(o);
        return failed ? cp_fail(err, CP_ERESOURCE, "%s: write failed", name) : CP_OK;
    }
    if (fclose(o->f) != 0 && !failed)
        failed = 1, saved = errno;
    if (!failed && o->tmp && rename(o->tmp, o->path) != 0)
        failed = 1, saved = errno;
    if (failed) {
        if (o->tmp)
            unlink(o->tmp);
        cp_fail(err, CP_ERESOURCE, "%s: write failed: %s; nothing written", name,
                strerror(saved));
    }
    release(o);
    return failed ? CP_ERESOURCE : CP_OK;
}

cp_code cp_out_commit(cp_out *o, cp_error *err)
{
    int saved, failed = out_flush(o, &saved);
    return out_finish(o, failed, saved, err);
}

cp_code cp_out_open_all(cp_out *outs, const char *const *paths, int n, cp_error *err)
{
    int k;
    for (k = 0; k < n; k++)
        if (cp_out_open(&outs[k], paths[k], err)) {
            cp_out_abort_all(outs, k);
            return err->code;
        }
    return CP_OK;
}

void cp_out_abort_all(cp_out *outs, int n)
{
    int k;
    for (k = 0; k < n; k++)
        cp_out_abort(&outs[k]);
}

cp_code cp_out_commit_all(cp_out *outs, int n, cp_error *err)
{
    char **renamed = cp_calloc((size_t)(n ? n : 1), sizeof *renamed);
    int k, j, saved;
    cp_code rc = renamed ? CP_OK : cp_fail_nomem(err);
    for (k = 0; !rc && k < n; k++)
        if (out_flush(&outs[k], &saved))
            rc = cp_fail(err, CP_ERESOURCE, "%s: write failed: %s; nothing written",
                         outs[k].path ? outs[k].path : "standard output", strerror(saved));
        else if (outs[k].tmp && !(renamed[k] = cp_strdup(outs[k].path)))
            rc = cp_fail_nomem(err);
    if (rc) {
        cp_out_abort_all(outs, n);
        n = renamed ? n : 0;
    }
    for (k = 0; !rc && k < n; k++)
        if ((rc = out_finish(&outs[k], 0, 0, err))) {
            /* every earlier output was renamed into place: take them back,
             * so a run leaves all of its outputs or none */
            for (j = 0; j < k; j++)
                if (renamed[j])
                    unlink(renamed[j]);
            cp_out_abort_all(outs + k + 1, n - k - 1);
        }
    for (k = 0; renamed && k < n; k++)
        cp_free(renamed[k]);
    cp_free(renamed);
    return rc;
}

void cp_out_escaped(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
                fputc('?', f); /* not representable in XML 1.0 */
            else if (c == '\n' || c == '\r' || c == '\t')
                fprintf(f, "&#%d;", c);
            else
                fputc(c, f);
        }
    }
}

void cp_out_text_attr(FILE *f, const char *name, const char *v)
{
    if (!v)
        return;
    fprintf(f, " %s=\"", name);
    cp_out_escaped(f, v);
    fputc('"', f);
}

void cp_out_double_attr(FILE *f, const char *name, double v)
{
    char buf[64];
    if (isnan(v))
        return;
    cp_format_double(buf, sizeof buf, v);
    fprintf(f, " %s=\"%s\"", name, buf);
}

const char cp_html_sort_script[] =
    "<script>\n"
    "document.querySelectorAll('table.sortable th').forEach(function (th) {\n"
    "  th.style.cursor = 'pointer';\n"
    "  th.addEventListener('click', function () {\n"
    "    var col = th.cellIndex, body = th.closest('table').tBodies[0], rows = Array.from(body.rows);\n"
    "    var up = th.dataset.up !== '1'; th.dataset.up = up ? '1' : '0';\n"
    "    rows.sort(function (a, b) {\n"
    "      var x = a.cells[col].textContent, y = b.cells[col].textContent;\n"
    "      var nx = parseFloat(x), ny = parseFloat(y);\n"
    "      var c = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;\n"
    "      return up ? c : -c;\n"
    "    });\n"
    "    rows.forEach(function (r) { body.appendChild(r); });\n"
    "  });\n"
    "});\n"
    "</script>\n";

static void csv_quoted(FILE *f, const char *prefix, const char *s)
{
    fputc('"', f);
    fputs(prefix, f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

void cp_out_csv_text(FILE *f, const char *s)
{
    csv_quoted(f, "", s);
}

void cp_out_csv_cell(FILE *f, const char *s)
{
    csv_quoted(f, s && cp_csv_formula_like(s) ? "'" : "", s);
}

void cp_out_csv_bom(FILE *f)
{
    fputs("\xEF\xBB\xBF", f);
}

void cp_out_number(FILE *f, double v, const char *absent)
{
    char buf[40];
    if (isnan(v) || isinf(v)) {
        fputs(absent, f);
        return;
    }
    cp_format_double(buf, sizeof buf, v);
    fputs(buf, f);
}
