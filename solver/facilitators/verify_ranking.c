/*
 * verify_ranking.c — `rank --verify`: a published ranking (XML or CSV, the
 * full list or the public version) against the recomputation from the
 * candidates and rubric files, field by field.  The recomputation is
 * published the same way (publish.c: the same version, the same form), and
 * the two sets of records are matched by what identifies each record:
 *   candidate by id, rater by id and criterion, role by name, criterion by
 *   id, rating by rater, points by attribute, a quota's effect and a
 *   reserve list by role, displaced and admitted by candidate, reliability
 *   by criterion, a CSV row by its id;
 *   anything else by its position among its parent's records of that kind;
 * a record whose identifying field was changed is matched by that position
 * instead, so the change is named as that field ("candidate A06: id:
 * published "A06x", recomputed "A06""), not as one record gone and another
 * added.  Every field of every record, the program version included, must
 * be there and say the same text, no record may be missing or added, and
 * the records must come in the recomputation's order (the list's digest is
 * over its records in order: validate would call a reordered file edited).
 * One line per difference, naming the record and the field, e.g.
 *   candidate Y05 / criterion interview / rating R2: value: published "12",
 *   recomputed "11".
 * Work: O(records) with hashes of the records' names and positions.
 */
#include "facilitators.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Lines stored at most; later differences are counted, not stored. */
#define MAX_LINES 2000

/* The fields that identify a record of this element among its parent's
 * (a rater record is one rater on one criterion); NULL: its position. */
static const char *const *key_fields(const char *element)
{
    static const char *const id[] = {"id", NULL}, *const name[] = {"name", NULL};
    static const char *const rater[] = {"id", "criterion", NULL}, *const by_rater[] = {"rater", NULL};
    static const char *const attribute[] = {"attribute", NULL}, *const role[] = {"role", NULL};
    static const char *const candidate[] = {"candidate", NULL};
    static const char *const criterion[] = {"criterion", NULL};
    static const struct {
        const char *element;
        const char *const *fields;
    } keys[] = {{"candidate", id}, {"criterion", id}, {"row", id}, {"rater", rater},
                {"role", name}, {"rating", by_rater}, {"points", attribute}, {"effect", role},
                {"reserve", role}, {"displaced", candidate}, {"admitted", candidate},
                {"reliability", criterion}, {NULL, NULL}};
    int k;
    for (k = 0; keys[k].element; k++)
        if (!strcmp(keys[k].element, element))
            return keys[k].fields;
    return NULL;
}

/* "element v1 v2" from the identifying fields; 0 when one is absent. */
static int identified(const cp_publication *p, int k, const char *above, char *buf, size_t n)
{
    const char *const *fields = key_fields(p->items[k].element);
    size_t used;
    int j;
    if (!fields)
        return 0;
    used = (size_t)snprintf(buf, n, "%s%s%s", above, *above ? " / " : "", p->items[k].element);
    for (j = 0; fields[j]; j++) {
        const char *v = cp_pub_get(p, k, fields[j]);
        if (!v)
            return 0;
        if (used < n)
            used += (size_t)snprintf(buf + used, n - used, " %s", v);
    }
    return 1;
}

/* Positions: the n-th record of an element among a parent's records of
 * that element, counted through "parent\x1felement" keys. */
typedef struct {
    cp_intern keys;
    int *count;             /* per key */
} ordinals;

static int next_ordinal(ordinals *o, int parent, const char *element)
{
    char buf[512];
    int id;
    snprintf(buf, sizeof buf, "%d\x1f%s", parent, element);
    if ((id = cp_intern_add(&o->keys, buf, strlen(buf))) < 0)
        return -1;
    return ++o->count[id];
}

/* A record's name: `above` (its parent's name, "" under the root), then
 * "element value..." by its identifying fields, else "element #n"; a top
 * record without them is its element alone ("ranking", "footer"). */
static void record_name(const cp_publication *p, int k, const char *above, int nth, char *buf,
                        size_t n)
{
    if (identified(p, k, above, buf, n))
        return;
    if (p->items[k].parent < 0 && nth == 1)
        snprintf(buf, n, "%s", p->items[k].element);
    else
        snprintf(buf, n, "%s%s%s #%d", above, *above ? " / " : "", p->items[k].element, nth);
}

/* The name a child of record `parent` is named under: the root's children
 * are named from the root down ("candidate Y05"). */
static const char *name_above(const cp_publication *p, int parent, const char **names)
{
    return parent >= 0 && p->items[parent].parent >= 0 ? names[parent] : "";
}

/* The recomputation's names, indexed by name and by position
 * ("parent\x1felement\x1fn"); where[] maps an index id to its record. */
typedef struct {
    cp_pool pool;
    const char **names;
    cp_intern by_name, by_position;
    int *where_name, *where_position;
    ordinals ord;
} index_t;

static cp_code index_recomputed(const cp_publication *r, index_t *ix)
{
    char buf[1024];
    int k;
    for (k = 0; k < r->n; k++) {
        int nth = next_ordinal(&ix->ord, r->items[k].parent, r->items[k].element), id, before;
        if (nth < 0)
            return CP_ERESOURCE;
        record_name(r, k, name_above(r, r->items[k].parent, ix->names), nth, buf, sizeof buf);
        before = ix->by_name.count;
        if (!(ix->names[k] = cp_pool_add(&ix->pool, buf, strlen(buf))) ||
            (id = cp_intern_add(&ix->by_name, buf, strlen(buf))) < 0)
            return CP_ERESOURCE;
        if (id == before)
            ix->where_name[id] = k;
        snprintf(buf, sizeof buf, "%d\x1f%s\x1f%d", r->items[k].parent, r->items[k].element, nth);
        if ((id = cp_intern_add(&ix->by_position, buf, strlen(buf))) < 0)
            return CP_ERESOURCE;
        ix->where_position[id] = k;
    }
    return CP_OK;
}

/* What a differing digest means, for the person reading the line. */
static const char *hint(const char *name)
{
    if (!strcmp(name, "candidates-sha256"))
        return " (a different candidates file from the one the list was computed from)";
    if (!strcmp(name, "rubric-sha256"))
        return " (a different rubric file from the one the list was computed from)";
    if (!strcmp(name, "list-sha256") || !strcmp(name, "public-sha256"))
        return " (the list's content differs)";
    return "";
}


typedef struct {
    cp_warnings *out;
    int count;
    int csv;
    cp_code rc;
} report;

static void mismatch(report *rp, const char *fmt, ...) CP_PRINTF(2, 3);

static void mismatch(report *rp, const char *fmt, ...)
{
    char line[CP_MSG_MAX];
    va_list ap;
    rp->count++;
    if (rp->rc || rp->count > MAX_LINES)
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    rp->rc = cp_warn(rp->out, "%s", line);
}

static const char *field_label(const report *rp, const char *name, char *buf, size_t n)
{
    snprintf(buf, n, rp->csv ? "column \"%s\"" : "%s", name);
    return buf;
}

static void compare_record(report *rp, const char *key, const cp_publication *a, int ra,
                           const cp_publication *b, int rb)
{
    const cp_pub_record *x = &a->items[ra], *y = &b->items[rb];
    char label[300];
    int k;
    for (k = 0; k < y->n_fields; k++) {
        const cp_pub_field *f = &b->fields[y->first_field + k];
        const char *got = cp_pub_get(a, ra, f->name);
        field_label(rp, f->name, label, sizeof label);
        if (!got)
            mismatch(rp, "%s: %s: missing, recomputed \"%s\"", key, label, f->value);
        else if (strcmp(got, f->value))
            mismatch(rp, "%s: %s: published \"%s\", recomputed \"%s\"%s", key, label, got,
                     f->value, hint(f->name));
    }
    for (k = 0; k < x->n_fields; k++) {
        const cp_pub_field *f = &a->fields[x->first_field + k];
        if (!cp_pub_get(b, rb, f->name))
            mismatch(rp, "%s: %s: published \"%s\", not in the recomputation", key,
                     field_label(rp, f->name, label, sizeof label), f->value);
    }
    if ((x->text != NULL) != (y->text != NULL) || (x->text && strcmp(x->text, y->text)))
        mismatch(rp, "%s: text: published \"%s\", recomputed \"%s\"", key,
                 x->text ? x->text : "", y->text ? y->text : "");
}

/* The recomputed record for published record k whose parent matched pm:
 * the one of the same name, else the one at the same position (so a
 * changed id is reported as that field, not as a record gone and one
 * added); -1 when neither is free. */
static int counterpart(const index_t *ix, const cp_publication *pub, int k, int pm, int nth,
                       const char *name, const char *seen, int *twice)
{
    char buf[512];
    int id = cp_intern_find(&ix->by_name, name, strlen(name)), j = id >= 0 ? ix->where_name[id] : -1;
    *twice = 0;
    if (j >= 0 && !seen[j])
        return j;
    *twice = j >= 0;
    snprintf(buf, sizeof buf, "%d\x1f%s\x1f%d", pm, pub->items[k].element, nth);
    id = cp_intern_find(&ix->by_position, buf, strlen(buf));
    j = id >= 0 ? ix->where_position[id] : -1;
    return j >= 0 && !seen[j] && !*twice ? j : -1;
}

int cp_publication_compare(const cp_publication *published, const cp_publication *recomputed,
                           cp_warnings *diff)
{
    index_t ix;
    ordinals ord;
    size_t np = (size_t)published->n + 1, nr = (size_t)recomputed->n + 1;
    const char **names = cp_malloc(np * sizeof(char *));
    int *match = cp_malloc(np * sizeof(int));
    /* per published parent (+1: the root's records): its last child matched */
    int *last_child = cp_malloc(np * sizeof(int));
    char *seen = cp_calloc(nr, 1), buf[1024];
    report rp = {diff, 0, published->csv, CP_OK};
    int k;
    memset(&ix, 0, sizeof ix);
    memset(&ord, 0, sizeof ord);
    cp_intern_init(&ix.by_name, &ix.pool);
    cp_intern_init(&ix.by_position, &ix.pool);
    cp_intern_init(&ix.ord.keys, &ix.pool);
    cp_intern_init(&ord.keys, &ix.pool);
    ix.names = cp_malloc(nr * sizeof(char *));
    ix.where_name = cp_malloc(nr * sizeof(int));
    ix.where_position = cp_malloc(nr * sizeof(int));
    ix.ord.count = cp_calloc(nr, sizeof(int));
    ord.count = cp_calloc(np, sizeof(int));
    for (k = 0; last_child && k < (int)np; k++)
        last_child[k] = -1;
    if (!names || !match || !last_child || !seen || !ix.names || !ix.where_name || !ix.where_position ||
        !ix.ord.count || !ord.count || index_recomputed(recomputed, &ix))
        rp.rc = CP_ERESOURCE;
    for (k = 0; !rp.rc && k < published->n; k++) {
        int parent = published->items[k].parent, pm = parent >= 0 ? match[parent] : -1;
        int nth = next_ordinal(&ord, parent, published->items[k].element), twice, j = -1;
        const char *above = parent >= 0 && pm >= 0 ? name_above(recomputed, pm, ix.names)
                                                    : name_above(published, parent, names);
        if (nth < 0) {
            rp.rc = CP_ERESOURCE;
            break;
        }
        record_name(published, k, above, nth, buf, sizeof buf);
        if (parent < 0 || pm >= 0)
            j = counterpart(&ix, published, k, pm, nth, buf, seen, &twice);
        match[k] = j;
        names[k] = j >= 0 ? ix.names[j] : cp_pool_add(&ix.pool, buf, strlen(buf));
        if (!names[k]) {
            rp.rc = CP_ERESOURCE;
        } else if (j >= 0) {
            int *last = &last_child[parent + 1];
            seen[j] = 1;
            compare_record(&rp, names[k], published, k, recomputed, j);
            if (*last >= 0 && match[*last] > j) /* one line where the order breaks */
                mismatch(&rp, "%s: published after %s, recomputed before it (records "
                         "reordered)", names[k], names[*last]);
            *last = k;
        } else if (parent < 0 || pm >= 0) { /* its parent's children are being compared */
            mismatch(&rp, "%s: published %s(line %d), not in the recomputation", names[k],
                     twice ? "twice " : "", published->items[k].line);
        }
    }
    for (k = 0; !rp.rc && k < recomputed->n; k++)
        if (!seen[k])
            mismatch(&rp, "%s: missing from the published ranking", ix.names[k]);
    if (!rp.rc && rp.count > MAX_LINES)
        rp.rc = cp_warn(diff, "... and %d more differences", rp.count - MAX_LINES);
    cp_intern_clear(&ix.by_name);
    cp_intern_clear(&ix.by_position);
    cp_intern_clear(&ix.ord.keys);
    cp_intern_clear(&ord.keys);
    cp_pool_clear(&ix.pool);
    cp_free((void *)ix.names);
    cp_free(ix.where_name);
    cp_free(ix.where_position);
    cp_free(ix.ord.count);
    cp_free(ord.count);
    cp_free((void *)names);
    cp_free(match);
    cp_free(last_child);
    cp_free(seen);
    return rp.rc ? -1 : rp.count;
}

/* The form of the published file: CSV rows or XML, full list or public. */
static int published_public(const cp_publication *pub)
{
    int k;
    const char *v = NULL;
    for (k = 0; k < pub->n && !v; k++)
        if (!strcmp(pub->items[k].element, pub->csv ? "footer" : "ranking"))
            v = cp_pub_get(pub, k, "public");
    return v && !strcmp(v, "true");
}

int cp_ranking_verify(const cp_publication *pub, const cp_ranking *r, cp_warnings *diff)
{
    cp_error err;
    cp_publication *tree = cp_ranking_publish(r, published_public(pub), &err), *rows = NULL;
    int n = -1;
    if (tree && pub->csv)
        rows = cp_publication_rows(tree, &err);
    if (tree && (!pub->csv || rows))
        n = cp_publication_compare(pub, pub->csv ? rows : tree, diff);
    cp_publication_free(rows);
    cp_publication_free(tree);
    return n;
}
