/*
 * read_ranking.c — a published ranking read back as records (clusterplan.h,
 * "publication"), by its content: XML (write_ranking.c's, every element and
 * attribute, the text of elements without children) or CSV (a header row
 * naming the columns, one row per nominee, the "# list-sha256 ..." footer;
 * RFC 4180 quoting, a UTF-8 BOM, CRLF or LF).  `rank --verify` compares the
 * records with the recomputation's, `rank --diff` two rankings' records;
 * `assign` takes the role holders of an XML ranking (cp_read_ranking).
 * Memory: the records and one string pool; a CSV is read whole.
 */
#include "xml.h"
#include "solver/facilitators/facilitators.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------------- XML */

typedef struct {
    cp_xml *x;
    cp_publication *p;
    int *open;              /* records of the elements open, innermost last */
    int depth, cap;
    char *text;             /* the innermost element's text so far */
    size_t text_len, text_cap;
    int has_child;          /* the innermost element has a child element */
} xml_reader;

static cp_code xml_start(xml_reader *r)
{
    int k, rec;
    if (cp_grow((void **)&r->open, &r->cap, r->depth + 1, sizeof(int)))
        return cp_fail_nomem(cp_xml_error(r->x));
    rec = cp_pub_open(r->p, cp_xml_name(r->x), r->depth ? r->open[r->depth - 1] : -1,
                      cp_xml_line(r->x));
    for (k = 0; k < cp_xml_attr_count(r->x); k++)
        cp_pub_add(r->p, cp_xml_attr_name(r->x, k), cp_xml_attr_value(r->x, k));
    if (r->p->failed)
        return cp_fail_nomem(cp_xml_error(r->x));
    r->open[r->depth++] = rec;
    r->text_len = 0;
    r->has_child = 0;
    return CP_OK;
}

static cp_code xml_text(xml_reader *r)
{
    const char *v = cp_xml_value(r->x);
    size_t n = v ? strlen(v) : 0;
    if (r->text_len + n > CP_XML_MAX_TEXT)
        return cp_xml_fail(r->x, NULL, NULL, "text longer than %d bytes", CP_XML_MAX_TEXT);
    if (cp_reserve(&r->text, &r->text_cap, r->text_len + n + 1))
        return cp_fail_nomem(cp_xml_error(r->x));
    memcpy(r->text + r->text_len, v ? v : "", n + 1);
    r->text_len += n;
    return CP_OK;
}

static cp_code xml_end(xml_reader *r)
{
    int rec = r->open[--r->depth];
    if (!r->has_child && r->text_len) {
        cp_pub_set_text(r->p, rec, r->text);
        if (r->p->failed)
            return cp_fail_nomem(cp_xml_error(r->x));
    }
    r->text_len = 0;
    r->has_child = 1; /* for the parent: it has this child */
    return CP_OK;
}

static cp_code read_xml(cp_publication *p, const char *buf, size_t len, cp_error *err)
{
    xml_reader r;
    int ev;
    cp_code rc = CP_OK;
    memset(&r, 0, sizeof r);
    r.p = p;
    if (!(r.x = cp_xml_open(p->source, buf, len, err)))
        return err->code;
    while (!rc && (ev = cp_xml_next(r.x)) != CP_XML_EOF) {
        if (ev < 0)
            rc = err->code;
        else if (ev == CP_XML_START)
            rc = xml_start(&r);
        else if (ev == CP_XML_TEXT && r.depth)
            rc = xml_text(&r);
        else if (ev == CP_XML_END)
            rc = xml_end(&r);
    }
    if (!rc && p->n == 0)
        rc = cp_fail(err, CP_EINPUT, "%s: empty document", p->source);
    else if (!rc && strcmp(p->items[0].element, "ranking"))
        rc = cp_fail_at(err, p->source, p->items[0].line, p->items[0].element, NULL, NULL,
                        "not a ranking (expected <ranking>)");
    cp_xml_close(r.x);
    cp_free(r.open);
    cp_free(r.text);
    return rc;
}

/* ------------------------------------------------------------------- CSV */

typedef struct {
    const char *s, *end;
    int line;
    char *cell;
    size_t cell_len, cell_cap;
} csv_reader;

/* The next cell into r->cell; *last is set at the end of a record.
 * Returns 0, -1 on memory, 1 on an unterminated quote. */
static int csv_cell(csv_reader *r, int *last)
{
    int quoted = r->s < r->end && *r->s == '"';
    r->cell_len = 0;
    if (quoted)
        r->s++;
    for (;;) {
        char c;
        if (r->s >= r->end) {
            if (quoted)
                return 1;
            *last = 1;
            break;
        }
        c = *r->s++;
        if (quoted && c == '"') {
            if (r->s < r->end && *r->s == '"')
                r->s++;
            else {
                quoted = 0;
                continue;
            }
        } else if (!quoted && c == ',') {
            *last = 0;
            break;
        } else if (!quoted && (c == '\n' || c == '\r')) {
            if (c == '\r' && r->s < r->end && *r->s == '\n')
                r->s++;
            r->line++;
            *last = 1;
            break;
        } else if (c == '\n') {
            r->line++;
        }
        if (cp_reserve(&r->cell, &r->cell_cap, r->cell_len + 2))
            return -1;
        r->cell[r->cell_len++] = c;
    }
    if (cp_reserve(&r->cell, &r->cell_cap, r->cell_len + 1))
        return -1;
    r->cell[r->cell_len] = '\0';
    return 0;
}

/* "# list-sha256 X; public-sha256 Y; ...": each "; " part is a name and a
 * value (the first word, then the rest). */
static void csv_footer(cp_publication *p, const char *text)
{
    char part[1024];
    text += strspn(text, "# ");
    while (*text) {
        size_t n = strcspn(text, ";"), name;
        snprintf(part, sizeof part, "%.*s", (int)(n < sizeof part ? n : sizeof part - 1), text);
        name = strcspn(part, " ");
        if (part[name]) {
            part[name] = '\0';
            cp_pub_add(p, part, part + name + 1);
        }
        text += n;
        text += strspn(text, "; ");
    }
}

typedef struct {
    int n, cap;
    const char **cells;     /* one record's cells (pooled) */
} record_cells;

/* One record's cells; *line is where it starts. */
static cp_code csv_cells(cp_publication *p, csv_reader *r, record_cells *out, cp_error *err)
{
    int last = 0, line = r->line, rc;
    out->n = 0;
    while (!last) {
        const char *kept;
        if ((rc = csv_cell(r, &last)) != 0)
            return rc < 0 ? cp_fail_nomem(err)
                          : cp_fail(err, CP_EINPUT, "%s:%d: a quoted cell is not closed",
                                    p->source, line);
        kept = cp_pool_add(&p->priv->pool, r->cell, r->cell_len);
        if (!kept || cp_grow((void **)&out->cells, &out->cap, out->n + 1, sizeof *out->cells))
            return cp_fail_nomem(err);
        out->cells[out->n++] = kept;
    }
    return CP_OK;
}

static cp_code read_csv(cp_publication *p, const char *buf, size_t len, cp_error *err)
{
    csv_reader r;
    record_cells head = {0, 0, NULL}, cells = {0, 0, NULL};
    int k;
    cp_code rc = CP_OK;
    memset(&r, 0, sizeof r);
    r.s = buf;
    r.end = buf + len;
    r.line = 1;
    if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
        r.s += 3;
    while (!rc && r.s < r.end) {
        int line = r.line;
        if ((rc = csv_cells(p, &r, &cells, err)))
            break;
        if (cells.n == 1 && !cells.cells[0][0])
            continue; /* a blank line */
        if (!head.n) { /* the first record names the columns */
            record_cells t = head;
            head = cells;
            cells = t;
            if (cp_pub_open(p, "header", -1, line) >= 0)
                for (k = 0; k < head.n; k++)
                    cp_pub_add(p, head.cells[k], head.cells[k]);
            continue;
        }
        if (cells.cells[0][0] == '#') {
            if (cp_pub_open(p, "footer", -1, line) >= 0)
                csv_footer(p, cells.cells[0]);
            continue;
        }
        if (cells.n > head.n) {
            rc = cp_fail(err, CP_EINPUT, "%s:%d: %d cells, but the header names %d columns",
                         p->source, line, cells.n, head.n);
            break;
        }
        if (cp_pub_open(p, "row", -1, line) >= 0)
            for (k = 0; k < head.n; k++)
                cp_pub_add(p, head.cells[k], k < cells.n ? cells.cells[k] : "");
    }
    if (!rc && p->failed)
        rc = cp_fail_nomem(err);
    if (!rc && !head.n)
        rc = cp_fail(err, CP_EINPUT, "%s: empty file (expected a ranking, XML or CSV)", p->source);
    cp_free((void *)head.cells);
    cp_free((void *)cells.cells);
    cp_free(r.cell);
    return rc;
}

/* ------------------------------------------------------------ the entry */

/* Where the content starts: after a BOM and white space. */
static size_t content_start(const char *buf, size_t len)
{
    size_t k = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
    while (k < len && strchr(" \t\r\n", buf[k]))
        k++;
    return k;
}

/* XML when the content starts with '<'. */
static int looks_like_xml(const char *buf, size_t len)
{
    size_t k = content_start(buf, len);
    return k < len && buf[k] == '<';
}

/* The committee's HTML page (write_ranking_html.c): made for reading, so
 * its figures are not what a digest covers. */
static int looks_like_html(const char *buf, size_t len)
{
    size_t k = content_start(buf, len);
    return (len - k >= 14 && !strncasecmp(buf + k, "<!DOCTYPE html", 14)) ||
           (len - k >= 5 && !strncasecmp(buf + k, "<html", 5));
}

static cp_code read_file(const char *path, char **buf, size_t *len, cp_error *err)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 0, got;
    *buf = NULL;
    *len = 0;
    if (!f)
        return cp_fail(err, CP_EINPUT, "%s: cannot open: %s", path, strerror(errno));
    do {
        if (cp_reserve(buf, &cap, *len + 65536 + 1)) {
            fclose(f);
            return cp_fail_nomem(err);
        }
        got = fread(*buf + *len, 1, cap - *len - 1, f);
        *len += got;
    } while (got > 0);
    if (ferror(f)) {
        fclose(f);
        return cp_fail(err, CP_EINPUT, "%s: cannot read", path);
    }
    fclose(f);
    (*buf)[*len] = '\0';
    return CP_OK;
}

cp_publication *cp_read_publication_memory(const char *buf, size_t len, const char *name,
                                           cp_error *err)
{
    char *own = NULL;
    cp_publication *p = NULL;
    cp_code rc = buf ? CP_OK : read_file(name, &own, &len, err);
    if (!rc && !(p = cp_publication_new(name, 0)))
        rc = cp_fail_nomem(err);
    if (!rc) {
        const char *bytes = buf ? buf : own;
        p->csv = !looks_like_xml(bytes, len);
        if (looks_like_html(bytes, len))
            rc = cp_fail(err, CP_EINPUT, "%s: an HTML page, made for reading: verify the XML or "
                         "CSV ranking published with it, or the list digest the page shows "
                         "(rank CANDIDATES RUBRIC --verify DIGEST)", name);
        else
            rc = p->csv ? read_csv(p, bytes, len, err) : read_xml(p, bytes, len, err);
    }
    cp_free(own);
    if (rc) {
        cp_publication_free(p);
        return NULL;
    }
    return p;
}

cp_publication *cp_read_publication(const char *path, cp_error *err)
{
    return cp_read_publication_memory(NULL, 0, path, err);
}

/* ------------------------------------------------- role holders (assign) */

static cp_code check_digest(const cp_publication *p, const char *name, char out[65],
                            cp_error *err)
{
    const char *v = cp_pub_get(p, 0, name);
    if (!v || strlen(v) != 64 || strspn(v, "0123456789abcdef") != 64)
        return cp_fail_at(err, p->source, p->items[0].line, "ranking", name, v ? v : "",
                          "expected 64 lowercase hex digits");
    memcpy(out, v, 65);
    return CP_OK;
}

static cp_code entry_numbers(const cp_publication *p, int rec, cp_published_entry *e,
                             cp_error *err)
{
    const char *total = cp_pub_get(p, rec, "total"), *rank = cp_pub_get(p, rec, "rank");
    const char *excluded = cp_pub_get(p, rec, "excluded"), *withdrawn = cp_pub_get(p, rec, "withdrawn");
    long n = 0;
    e->total = NAN;
    if (total && cp_parse_double(total, &e->total))
        return cp_fail_at(err, p->source, e->line, "candidate", "total", total, "not a number");
    if (rank && cp_parse_int(rank, 1, 2000000000L, &n))
        return cp_fail_at(err, p->source, e->line, "candidate", "rank", rank,
                          "expected a whole number >= 1");
    e->rank = (int)n;
    if ((excluded && cp_parse_bool(excluded, &e->excluded)) ||
        (withdrawn && cp_parse_bool(withdrawn, &e->withdrawn)))
        return cp_fail_at(err, p->source, e->line, "candidate", excluded ? "excluded" : "withdrawn",
                          excluded ? excluded : withdrawn, "expected true or false");
    if (!e->excluded && e->rank == 0)
        return cp_fail_at(err, p->source, e->line, "candidate", "rank", "",
                          "a ranked candidate needs its rank");
    return CP_OK;
}

static cp_code read_entry(cp_published_ranking *pr, int rec, int *cap, cp_error *err)
{
    const cp_publication *p = pr->records;
    const char *gender = cp_pub_get(p, rec, "gender"), *name = cp_pub_get(p, rec, "name");
    cp_published_entry *e;
    if (cp_grow((void **)&pr->items, cap, pr->n + 1, sizeof *e))
        return cp_fail_nomem(err);
    e = &pr->items[pr->n++];
    memset(e, 0, sizeof *e);
    e->line = p->items[rec].line;
    e->id = cp_pub_get(p, rec, "id");
    e->name = name ? name : "";
    e->school = cp_pub_get(p, rec, "school");
    e->region = cp_pub_get(p, rec, "region");
    e->role = cp_pub_get(p, rec, "role");
    e->gender = gender && strcmp(gender, "unspecified") ? cp_gender_parse(gender)
                                                         : CP_GENDER_UNSPECIFIED;
    if (!e->id || !e->id[0])
        return cp_fail_at(err, p->source, e->line, "candidate", "id", "",
                          "every candidate needs an id");
    if ((int)e->gender < 0)
        return cp_fail_at(err, p->source, e->line, "candidate", "gender", gender,
                          "expected female, male, other or unspecified");
    return entry_numbers(p, rec, e, err);
}

static cp_code read_roles_and_entries(cp_published_ranking *pr, cp_error *err)
{
    const cp_publication *p = pr->records;
    int k, cap = 0, roles_cap = 0;
    cp_code rc;
    if (p->csv)
        return cp_fail(err, CP_EINPUT, "%s: a CSV ranking: assign reads the XML ranking, which "
                       "lists the roles", p->source);
    if ((rc = check_digest(p, "candidates-sha256", pr->candidates_sha256, err)) ||
        (rc = check_digest(p, "rubric-sha256", pr->rubric_sha256, err)) ||
        (rc = cp_publication_check_own_digest(p, err)))
        return rc;
    for (k = 1; k < p->n; k++) {
        if (p->items[k].parent != 0)
            continue;
        if (!strcmp(p->items[k].element, "candidate") && (rc = read_entry(pr, k, &cap, err)))
            return rc;
        if (!strcmp(p->items[k].element, "role") && cp_pub_get(p, k, "name")) {
            if (cp_grow((void **)&pr->roles, &roles_cap, pr->n_roles + 1, sizeof *pr->roles))
                return cp_fail_nomem(err);
            pr->roles[pr->n_roles++] = cp_pub_get(p, k, "name");
        }
    }
    return CP_OK;
}

int cp_published_role(const cp_published_ranking *p, const char *name)
{
    int k;
    for (k = 0; k < p->n_roles; k++)
        if (strcmp(p->roles[k], name) == 0)
            return k;
    return -1;
}

void cp_published_ranking_free(cp_published_ranking *p)
{
    if (!p)
        return;
    cp_publication_free(p->records);
    cp_free((void *)p->roles);
    cp_free(p->items);
    cp_free(p->source);
    cp_free(p);
}

cp_published_ranking *cp_read_ranking_memory(const char *buf, size_t len, const char *path,
                                             cp_error *err)
{
    cp_published_ranking *p = cp_calloc(1, sizeof *p);
    cp_code rc = CP_ERESOURCE;
    if (p && (p->source = cp_strdup(path)))
        rc = (p->records = cp_read_publication_memory(buf, len, path, err))
                 ? read_roles_and_entries(p, err) : err->code;
    else
        cp_fail_nomem(err);
    if (rc) {
        cp_published_ranking_free(p);
        return NULL;
    }
    return p;
}

cp_published_ranking *cp_read_ranking(const char *path, cp_error *err)
{
    return cp_read_ranking_memory(NULL, 0, path, err);
}
