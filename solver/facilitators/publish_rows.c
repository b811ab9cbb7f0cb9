/*
 * publish_rows.c — a published ranking's CSV rows, from its XML tree
 * (publish.c): one row per nominee with named columns, in this order:
 *   id name gender school region withdrawn,
 *   per criterion: "<criterion> by <rater>" for each rater (in order of
 *   first appearance), "<criterion> score", "<criterion> contribution",
 *   per points rule: "<attribute> value", "<attribute> points",
 *   total rank percentile band role excluded reasons flags
 * (a column no nominee has, such as a field the public version leaves out,
 * is not written); a header row names the columns and a footer carries the
 * digests.  A score excluded for a conflict of interest reads "12
 * (excluded: same-school)".  Cells a spreadsheet would run as a formula
 * are neutralised (OWASP: a leading ' before = + - @ tab CR, unless the
 * cell is a plain number).  Work: O(records x raters of a criterion).
 */
#include "facilitators.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *criterion;
    int n_raters, cap;
    const char **raters;
} criterion_columns;

typedef struct {
    const cp_publication *tree;
    cp_publication *rows;
    int n_criteria, crit_cap;
    criterion_columns *criteria;
    int n_points, points_cap;
    const char **points;
    unsigned has;            /* optional columns present (bit per name below) */
    char *cell;              /* scratch: a joined or annotated cell */
    size_t cell_cap;
    char *safe;              /* scratch: a neutralised cell */
    size_t safe_cap;
} table;

static const char *const optional[] = {"name", "gender", "school", "region", "withdrawn",
                                       "value", "excluded", "reason", "flag", NULL};
enum { HAS_VALUE = 1 << 5, HAS_EXCLUDED = 1 << 6, HAS_REASON = 1 << 7, HAS_FLAG = 1 << 8 };

static int optional_bit(const char *name)
{
    int k;
    for (k = 0; optional[k]; k++)
        if (!strcmp(optional[k], name))
            return 1 << k;
    return 0;
}

/* The record after the last descendant of candidate record c. */
static int descendants_end(const cp_publication *t, int c)
{
    int k = c + 1;
    while (k < t->n && t->items[k].parent != t->items[c].parent)
        k++;
    return k;
}

static int add_name(const char ***list, int *n, int *cap, const char *name)
{
    int k;
    for (k = 0; k < *n; k++)
        if (!strcmp((*list)[k], name))
            return k;
    if (cp_grow((void **)list, cap, *n + 1, sizeof **list))
        return -1;
    (*list)[*n] = name;
    return (*n)++;
}

static criterion_columns *criterion_of(table *tb, const char *id)
{
    int k;
    for (k = 0; k < tb->n_criteria; k++)
        if (!strcmp(tb->criteria[k].criterion, id))
            return &tb->criteria[k];
    if (cp_grow((void **)&tb->criteria, &tb->crit_cap, tb->n_criteria + 1, sizeof *tb->criteria))
        return NULL;
    memset(&tb->criteria[tb->n_criteria], 0, sizeof *tb->criteria);
    tb->criteria[tb->n_criteria].criterion = id;
    return &tb->criteria[tb->n_criteria++];
}

/* Pass 1: which columns exist, in order. */
static cp_code scan(table *tb)
{
    const cp_publication *t = tb->tree;
    int k, j;
    for (k = 1; k < t->n; k++) {
        const cp_pub_record *rec = &t->items[k];
        const char *el = rec->element;
        if (!strcmp(el, "candidate"))
            for (j = 0; j < rec->n_fields; j++)
                tb->has |= (unsigned)optional_bit(t->fields[rec->first_field + j].name);
        else if (!strcmp(el, "reason") || !strcmp(el, "flag"))
            tb->has |= !strcmp(el, "reason") ? HAS_REASON : HAS_FLAG;
        else if (!strcmp(el, "criterion") && !criterion_of(tb, cp_pub_get(t, k, "id")))
            return CP_ERESOURCE;
        else if (!strcmp(el, "rating") && cp_pub_get(t, k, "rater")) {
            criterion_columns *c = criterion_of(tb, cp_pub_get(t, rec->parent, "id"));
            if (!c || add_name(&c->raters, &c->n_raters, &c->cap, cp_pub_get(t, k, "rater")) < 0)
                return CP_ERESOURCE;
        } else if (!strcmp(el, "points")) {
            if (add_name(&tb->points, &tb->n_points, &tb->points_cap,
                         cp_pub_get(t, k, "attribute")) < 0)
                return CP_ERESOURCE;
            tb->has |= cp_pub_get(t, k, "value") ? HAS_VALUE : 0;
        }
    }
    return CP_OK;
}

static void add_cell(table *tb, const char *column, const char *value)
{
    if (!value)
        value = "";
    if (!cp_csv_formula_like(value)) {
        cp_pub_add(tb->rows, column, value);
        return;
    }
    if (cp_reserve(&tb->safe, &tb->safe_cap, strlen(value) + 2)) {
        tb->rows->failed = 1;
        return;
    }
    tb->safe[0] = '\'';
    strcpy(tb->safe + 1, value);
    cp_pub_add(tb->rows, column, tb->safe);
}

/* The header names the columns (cand < 0); a row fills them. */
static void column(table *tb, int cand, const char *name, const char *value)
{
    if (cand < 0)
        cp_pub_add(tb->rows, name, name);
    else
        add_cell(tb, name, value);
}

static const char *child_field(const table *tb, int cand, int end, const char *element,
                               const char *key, const char *key_value, const char *name)
{
    const cp_publication *t = tb->tree;
    int k;
    for (k = cand + 1; cand >= 0 && k < end; k++)
        if (t->items[k].parent == cand && !strcmp(t->items[k].element, element) &&
            !strcmp(cp_pub_get(t, k, key), key_value))
            return cp_pub_get(t, k, name);
    return NULL;
}

/* Rater `rater`'s score of criterion `crit`, with why it was excluded. */
static const char *rating_cell(table *tb, int cand, int end, const char *crit, const char *rater)
{
    const cp_publication *t = tb->tree;
    int k;
    for (k = cand + 1; cand >= 0 && k < end; k++) {
        const char *r = cp_pub_get(t, k, "rater"), *why;
        if (strcmp(t->items[k].element, "rating") || !r || strcmp(r, rater) ||
            strcmp(cp_pub_get(t, t->items[k].parent, "id"), crit))
            continue;
        if (!(why = cp_pub_get(t, k, "excluded")))
            return cp_pub_get(t, k, "value");
        if (cp_reserve(&tb->cell, &tb->cell_cap, strlen(why) + 64)) {
            tb->rows->failed = 1;
            return NULL;
        }
        snprintf(tb->cell, tb->cell_cap, "%s (excluded: %s)", cp_pub_get(t, k, "value"), why);
        return tb->cell;
    }
    return NULL;
}

/* The texts of cand's <reason>s (or <flag>s), joined by "; ". */
static const char *joined(table *tb, int cand, int end, const char *element)
{
    const cp_publication *t = tb->tree;
    size_t used = 0;
    int k;
    if (cand < 0)
        return NULL;
    if (cp_reserve(&tb->cell, &tb->cell_cap, 1)) {
        tb->rows->failed = 1;
        return NULL;
    }
    tb->cell[0] = '\0';
    for (k = cand + 1; k < end; k++) {
        const char *text = t->items[k].text;
        if (t->items[k].parent != cand || strcmp(t->items[k].element, element) || !text)
            continue;
        if (cp_reserve(&tb->cell, &tb->cell_cap, used + strlen(text) + 3)) {
            tb->rows->failed = 1;
            return NULL;
        }
        used += (size_t)snprintf(tb->cell + used, tb->cell_cap - used, "%s%s", used ? "; " : "",
                                 text);
    }
    return tb->cell;
}

static void criterion_cells(table *tb, int cand, int end, const criterion_columns *c)
{
    char name[512];
    int k;
    for (k = 0; k < c->n_raters; k++) {
        snprintf(name, sizeof name, "%s by %s", c->criterion, c->raters[k]);
        column(tb, cand, name, rating_cell(tb, cand, end, c->criterion, c->raters[k]));
    }
    snprintf(name, sizeof name, "%s score", c->criterion);
    column(tb, cand, name, child_field(tb, cand, end, "criterion", "id", c->criterion, "score"));
    snprintf(name, sizeof name, "%s contribution", c->criterion);
    column(tb, cand, name,
           child_field(tb, cand, end, "criterion", "id", c->criterion, "contribution"));
}

static void row(table *tb, int cand)
{
    static const char *const identity[] = {"id", "name", "gender", "school", "region",
                                           "withdrawn", NULL};
    static const char *const outcome[] = {"total", "rank", "percentile", "band", "role", NULL};
    const cp_publication *t = tb->tree;
    int k, end = cand >= 0 ? descendants_end(t, cand) : 0;
    char name[512];
    cp_pub_open(tb->rows, cand < 0 ? "header" : "row", -1, cand >= 0 ? t->items[cand].line : 0);
    for (k = 0; identity[k]; k++)
        if (k == 0 || (tb->has & (unsigned)optional_bit(identity[k])))
            column(tb, cand, identity[k], cand >= 0 ? cp_pub_get(t, cand, identity[k]) : NULL);
    for (k = 0; k < tb->n_criteria; k++)
        criterion_cells(tb, cand, end, &tb->criteria[k]);
    for (k = 0; k < tb->n_points; k++) {
        snprintf(name, sizeof name, "%s value", tb->points[k]);
        if (tb->has & HAS_VALUE)
            column(tb, cand, name,
                   child_field(tb, cand, end, "points", "attribute", tb->points[k], "value"));
        snprintf(name, sizeof name, "%s points", tb->points[k]);
        column(tb, cand, name,
               child_field(tb, cand, end, "points", "attribute", tb->points[k], "points"));
    }
    for (k = 0; outcome[k]; k++)
        column(tb, cand, outcome[k], cand >= 0 ? cp_pub_get(t, cand, outcome[k]) : NULL);
    if (tb->has & HAS_EXCLUDED)
        column(tb, cand, "excluded", cand >= 0 ? cp_pub_get(t, cand, "excluded") : NULL);
    if (tb->has & HAS_REASON)
        column(tb, cand, "reasons", joined(tb, cand, end, "reason"));
    if (tb->has & HAS_FLAG)
        column(tb, cand, "flags", joined(tb, cand, end, "flag"));
}

static void footer(table *tb)
{
    static const char *const digests[] = {"list-sha256", "public-sha256", "candidates-sha256",
                                          "rubric-sha256", "program", "public", NULL};
    int k;
    cp_pub_open(tb->rows, "footer", -1, 0);
    for (k = 0; digests[k]; k++)
        cp_pub_add(tb->rows, digests[k], cp_pub_get(tb->tree, 0, digests[k]));
}

cp_publication *cp_publication_rows(const cp_publication *tree, cp_error *err)
{
    table tb;
    int k;
    memset(&tb, 0, sizeof tb);
    tb.tree = tree;
    tb.rows = cp_publication_new(tree->source, 1);
    if (tb.rows && scan(&tb))
        tb.rows->failed = 1;
    if (tb.rows && !tb.rows->failed) {
        row(&tb, -1);
        for (k = 1; k < tree->n; k++)
            if (tree->items[k].parent == 0 && !strcmp(tree->items[k].element, "candidate"))
                row(&tb, k);
        footer(&tb);
    }
    for (k = 0; k < tb.n_criteria; k++)
        cp_free((void *)tb.criteria[k].raters);
    cp_free(tb.criteria);
    cp_free((void *)tb.points);
    cp_free(tb.cell);
    cp_free(tb.safe);
    if (!tb.rows || tb.rows->failed) {
        cp_publication_free(tb.rows);
        cp_fail_nomem(err);
        return NULL;
    }
    return tb.rows;
}
