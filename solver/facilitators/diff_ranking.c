/*
 * diff_ranking.c — `rank --diff OLD.xml NEW.xml`: who moved between two
 * published rankings (a re-run after an appeal, a corrected score, a
 * withdrawal) and why.  One line per nominee whose rank, role, total or
 * exclusion changed, or whose own data changed:
 *   Y05 Amal: rank 7 -> 9, role teacher-trainer -> none, total 80.1 ->
 *   76.35; own changes: interview score 15 -> 12, interview rating R2
 *   12 -> 8
 *   Y17 Huda: role teacher-trainer -> master-trainer; no change of its own;
 *   moved by: Y20 (withdrew)
 * A nominee's own changes are its identity fields (name, gender, school,
 * region, withdrawn) and every figure of its criteria, ratings and points;
 * a nominee that moved without any is explained by the nominees with own
 * changes (or who arrived, left, withdrew or were excluded) that passed it
 * or stand above it.  Lines also name a changed candidates or rubric file
 * and each role's seats and each quota's cost that changed.
 * Work: O(records + moved x changed).
 */
#include "facilitators.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Causes named for one nominee at most. */
#define MAX_CAUSES 4

typedef struct {
    const char *id;
    int record;             /* in its publication */
    int rank;               /* 0 = excluded or absent */
    int own;                /* its own data changed */
    const char *tag;        /* why it may move others: "withdrew", ... */
} person;

typedef struct {
    const cp_publication *a, *b;
    cp_pool pool;
    cp_intern ids;          /* nominee id -> index into before[] / after[] */
    person *before, *after; /* by id index; record -1 when absent */
    int n, cap;
    char *line;             /* the line being built */
    size_t len, line_cap;
    cp_warnings *out;
    int dry;                /* count changes, write nothing */
    int failed;
} differ;

static void put(differ *d, const char *fmt, ...) CP_PRINTF(2, 3);

static void put(differ *d, const char *fmt, ...)
{
    char buf[CP_MSG_MAX];
    va_list ap;
    int n;
    if (d->dry)
        return;
    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (n < 0 || cp_reserve(&d->line, &d->line_cap, d->len + (size_t)n + 1)) {
        d->failed = 1;
        return;
    }
    memcpy(d->line + d->len, buf, (size_t)n + 1);
    d->len += (size_t)n;
}

static void emit(differ *d)
{
    if (d->len && !d->failed && cp_warn(d->out, "%s", d->line))
        d->failed = 1;
    d->len = 0;
}

static const char *or_none(const char *s)
{
    return s ? s : "none";
}

static int same(const char *x, const char *y)
{
    return (x == NULL) == (y == NULL) && (!x || !strcmp(x, y));
}

/* ------------------------------------------------------------- indexing */

static cp_code index_side(differ *d, const cp_publication *p, int after)
{
    int k;
    for (k = 1; k < p->n; k++) {
        const char *id, *rank;
        int i;
        person *who;
        if (p->items[k].parent != 0 || strcmp(p->items[k].element, "candidate") ||
            !(id = cp_pub_get(p, k, "id")))
            continue;
        if ((i = cp_intern_add(&d->ids, id, strlen(id))) < 0)
            return CP_ERESOURCE;
        if (i >= d->cap) {
            int old = d->cap;
            if (cp_grow((void **)&d->before, &old, i + 1, sizeof *d->before) ||
                cp_grow((void **)&d->after, &d->cap, i + 1, sizeof *d->after))
                return CP_ERESOURCE;
        }
        for (; d->n <= i; d->n++) {
            memset(&d->before[d->n], 0, sizeof *d->before);
            memset(&d->after[d->n], 0, sizeof *d->after);
            d->before[d->n].record = d->after[d->n].record = -1;
        }
        who = after ? &d->after[i] : &d->before[i];
        who->id = d->ids.keys[i];
        who->record = k;
        rank = cp_pub_get(p, k, "rank");
        who->rank = rank ? atoi(rank) : 0;
    }
    return CP_OK;
}

/* ------------------------------------------------------- own changes */

static const char *field(const cp_publication *p, int rec, const char *name)
{
    return rec >= 0 ? cp_pub_get(p, rec, name) : NULL;
}

/* The child of `parent` with element `el` whose `key` field is `value`. */
static int child(const cp_publication *p, int parent, const char *el, const char *key,
                 const char *value)
{
    int k;
    for (k = parent + 1; parent >= 0 && k < p->n && p->items[k].parent != p->items[parent].parent;
         k++)
        if (p->items[k].parent == parent && !strcmp(p->items[k].element, el) &&
            same(cp_pub_get(p, k, key), value))
            return k;
    return -1;
}

static int change(differ *d, int count, const char *label, const char *x, const char *y)
{
    if (same(x, y))
        return count;
    put(d, "%s%s %s -> %s", count ? ", " : "; own changes: ", label, or_none(x), or_none(y));
    return count + 1;
}

/* Every own change of nominee i, appended to the line; their number. */
static int own_changes(differ *d, int i)
{
    /* withdrawn is the nominee's status, said once as "withdrew" */
    static const char *const identity[] = {"name", "gender", "school", "region", NULL};
    const cp_publication *a = d->a, *b = d->b;
    int ra = d->before[i].record, rb = d->after[i].record, k, n = 0;
    char label[256];
    for (k = 0; identity[k]; k++)
        n = change(d, n, identity[k], field(a, ra, identity[k]), field(b, rb, identity[k]));
    for (k = rb + 1; k < b->n && b->items[k].parent != 0; k++) {
        const cp_pub_record *rec = &b->items[k];
        if (!strcmp(rec->element, "criterion")) {
            const char *id = cp_pub_get(b, k, "id");
            int old = child(a, ra, "criterion", "id", id);
            snprintf(label, sizeof label, "%s score", id);
            n = change(d, n, label, field(a, old, "score"), cp_pub_get(b, k, "score"));
        } else if (!strcmp(rec->element, "rating") && cp_pub_get(b, k, "rater")) {
            /* a rater's score; a single unrated score is the criterion's */
            const char *crit = cp_pub_get(b, rec->parent, "id"), *rater = cp_pub_get(b, k, "rater");
            int old = child(a, child(a, ra, "criterion", "id", crit), "rating", "rater", rater);
            snprintf(label, sizeof label, "%s rating by %s", crit, rater);
            n = change(d, n, label, field(a, old, "value"), cp_pub_get(b, k, "value"));
            snprintf(label, sizeof label, "%s rating by %s excluded", crit, rater);
            n = change(d, n, label, field(a, old, "excluded"), cp_pub_get(b, k, "excluded"));
        } else if (!strcmp(rec->element, "points")) {
            const char *attr = cp_pub_get(b, k, "attribute");
            int old = child(a, ra, "points", "attribute", attr);
            n = change(d, n, attr, field(a, old, "value"), cp_pub_get(b, k, "value"));
        }
    }
    return n;
}

/* -------------------------------------------------------------- causes */

static const char *status_tag(const differ *d, int i)
{
    const person *x = &d->before[i], *y = &d->after[i];
    const char *wa = field(d->a, x->record, "withdrawn"), *wb = field(d->b, y->record, "withdrawn");
    if (x->record < 0)
        return "new nominee";
    if (y->record < 0)
        return "no longer in the list";
    if (!wa && wb)
        return "withdrew";
    if (wa && !wb)
        return "returned";
    if (x->rank && !y->rank)
        return "now excluded";
    if (!x->rank && y->rank)
        return "no longer excluded";
    return NULL;
}

/* j's place against i's: -1 above, 1 below, 0 not ranked. */
static int side(int rank_j, int rank_i)
{
    if (!rank_j || !rank_i)
        return 0;
    return rank_j < rank_i ? -1 : 1;
}

static int role_changed(const differ *d, int i)
{
    return !same(field(d->a, d->before[i].record, "role"), field(d->b, d->after[i].record, "role"));
}

/* Nominees with own changes whose order against i flipped, and nominees
 * whose status changed (arrived, left, withdrew, excluded) above i: they
 * took or freed a place above it. */
static void causes(differ *d, int i)
{
    const char *ra = cp_pub_get(d->a, 0, "rubric-sha256"), *rb = cp_pub_get(d->b, 0, "rubric-sha256");
    int j, named = 0;
    for (j = 0; j < d->n && named < MAX_CAUSES; j++) {
        const person *x = &d->before[j], *y = &d->after[j];
        int was = side(x->rank, d->before[i].rank), is = side(y->rank, d->after[i].rank);
        const char *why = NULL;
        if (j == i)
            continue;
        /* a withdrawal keeps the ranks: it moves only roles below it */
        if (y->tag && (was < 0 || is < 0) &&
            (strcmp(y->tag, "withdrew") && strcmp(y->tag, "returned") ? 1 : role_changed(d, i)))
            why = y->tag;
        else if (y->own && was && is && was != is)
            why = is < 0 ? "its own changes; now above" : "its own changes; now below";
        if (!why)
            continue;
        put(d, "%s%s (%s)", named ? ", " : "; moved by: ", x->id ? x->id : y->id, why);
        named++;
    }
    if (!named)
        put(d, "; moved by: %s", same(ra, rb) ? "the quota selection" : "the rubric's change");
}

static const char *rank_text(char *buf, size_t n, int rank)
{
    if (rank)
        snprintf(buf, n, "%d", rank);
    else
        snprintf(buf, n, "none");
    return buf;
}

/* pass 0: nominees with own changes or a new status; pass 1: those that
 * moved without either, with what moved them. */
static void nominee_line(differ *d, int i, int pass)
{
    const person *x = &d->before[i], *y = &d->after[i];
    const cp_publication *a = d->a, *b = d->b;
    const char *name = field(b, y->record, "name") ? field(b, y->record, "name")
                                                   : field(a, x->record, "name");
    const char *role_a = field(a, x->record, "role"), *role_b = field(b, y->record, "role");
    const char *ta = field(a, x->record, "total"), *tb = field(b, y->record, "total");
    int moved = x->rank != y->rank || !same(role_a, role_b) || !same(ta, tb);
    char r1[16], r2[16];
    const char *sep = "";
    if (pass == 0 && !y->own && !y->tag)
        return;
    if (pass == 1 && (y->own || y->tag || !moved))
        return;
    put(d, "%s%s%s:", x->id ? x->id : y->id, name ? " " : "", name ? name : "");
    if (y->tag) {
        put(d, " %s", y->tag);
        sep = ",";
    }
    if (x->rank != y->rank) {
        put(d, "%s rank %s -> %s", sep, rank_text(r1, sizeof r1, x->rank),
            rank_text(r2, sizeof r2, y->rank));
        sep = ",";
    }
    if (!same(role_a, role_b)) {
        put(d, "%s role %s -> %s", sep, or_none(role_a), or_none(role_b));
        sep = ",";
    }
    if (!same(ta, tb) && x->record >= 0 && y->record >= 0)
        put(d, "%s total %s -> %s", sep, or_none(ta), or_none(tb));
    if (x->record >= 0 && y->record >= 0 && y->own)
        own_changes(d, i);
    if (pass == 1) {
        put(d, "; no change of its own");
        causes(d, i);
    }
    emit(d);
}

static void digest_lines(differ *d)
{
    static const char *const files[][2] = {{"candidates-sha256", "candidates file"},
                                           {"rubric-sha256", "rubric file"}};
    int k;
    for (k = 0; k < 2; k++) {
        const char *x = cp_pub_get(d->a, 0, files[k][0]), *y = cp_pub_get(d->b, 0, files[k][0]);
        if (same(x, y))
            continue;
        put(d, "%s changed: SHA-256 %.12s... -> %.12s...", files[k][1], or_none(x), or_none(y));
        emit(d);
    }
}

/* The k-th top record of element `el`, or -1. */
static int nth_top(const cp_publication *p, const char *el, int nth)
{
    int k;
    for (k = 1; k < p->n; k++)
        if (p->items[k].parent == 0 && !strcmp(p->items[k].element, el) && nth-- == 0)
            return k;
    return -1;
}

/* "Y04 to master-trainer, Y08 to teacher-trainer" or "none": whom the
 * quota admitted to (or displaced from) each role. */
static void people(const cp_publication *p, int quota, const char *el, char *buf, size_t n)
{
    size_t used = 0;
    int k;
    buf[0] = '\0';
    for (k = quota + 1; quota >= 0 && k < p->n && p->items[k].parent != 0; k++)
        if (!strcmp(p->items[k].element, el) && used < n)
            used += (size_t)snprintf(buf + used, n - used, "%s%s %s %s", used ? ", " : "",
                                     or_none(cp_pub_get(p, k, "candidate")),
                                     strcmp(el, "admitted") ? "from" : "to",
                                     or_none(cp_pub_get(p, p->items[k].parent, "role")));
    if (!used)
        snprintf(buf, n, "none");
}

static void role_and_quota_lines(differ *d)
{
    char x[512], y[512];
    int k, ra, rb;
    for (k = 0; (ra = nth_top(d->a, "role", k)) >= 0 && (rb = nth_top(d->b, "role", k)) >= 0; k++)
        if (!same(cp_pub_get(d->a, ra, "seats"), cp_pub_get(d->b, rb, "seats"))) {
            put(d, "role %s: seats %s -> %s", or_none(cp_pub_get(d->b, rb, "name")),
                or_none(cp_pub_get(d->a, ra, "seats")), or_none(cp_pub_get(d->b, rb, "seats")));
            emit(d);
        }
    for (k = 0; (ra = nth_top(d->a, "quota", k)) >= 0 && (rb = nth_top(d->b, "quota", k)) >= 0; k++) {
        const char *ca = cp_pub_get(d->a, ra, "cost"), *cb = cp_pub_get(d->b, rb, "cost");
        int n = 0;
        put(d, "quota %d (%s):", k + 1, or_none(cp_pub_get(d->b, rb, "rule")));
        if (!same(ca, cb))
            put(d, "%s cost %s -> %s", n++ ? "," : "", or_none(ca), or_none(cb));
        people(d->a, ra, "admitted", x, sizeof x);
        people(d->b, rb, "admitted", y, sizeof y);
        if (strcmp(x, y))
            put(d, "%s admitted %s -> %s", n++ ? "," : "", x, y);
        people(d->a, ra, "displaced", x, sizeof x);
        people(d->b, rb, "displaced", y, sizeof y);
        if (strcmp(x, y))
            put(d, "%s displaced %s -> %s", n++ ? "," : "", x, y);
        if (n)
            emit(d);
        else
            d->len = 0;
    }
}

int cp_publication_diff(const cp_publication *before, const cp_publication *after,
                        cp_warnings *lines)
{
    differ d;
    int k, pass, count = lines->count;
    memset(&d, 0, sizeof d);
    d.a = before;
    d.b = after;
    d.out = lines;
    cp_intern_init(&d.ids, &d.pool);
    if (index_side(&d, before, 0) || index_side(&d, after, 1))
        d.failed = 1;
    for (k = 0; !d.failed && k < d.n; k++) {
        d.after[k].tag = status_tag(&d, k);
        d.dry = 1;
        d.after[k].own = d.before[k].record >= 0 && d.after[k].record >= 0 && own_changes(&d, k);
        d.dry = 0;
    }
    if (!d.failed)
        digest_lines(&d);
    for (pass = 0; pass < 2; pass++)
        for (k = 0; !d.failed && k < d.n; k++)
            nominee_line(&d, k, pass);
    if (!d.failed)
        role_and_quota_lines(&d);
    cp_free(d.before);
    cp_free(d.after);
    cp_free(d.line);
    cp_intern_clear(&d.ids);
    cp_pool_clear(&d.pool);
    return d.failed ? -1 : lines->count - count;
}
