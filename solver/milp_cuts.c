/*
 * milp_cuts.c — cutting planes for the cluster MILP (milp.c adds them to
 * GLPK's search; this file knows nothing of GLPK).
 *
 * Size-minimum cuts.  For a set T of schools of a part, with m the
 * smallest cluster size,
 *     sum_{j in T} x_jj  -  sum_{i not in T, j in T} x_ij  <=  floor(|T| / m).
 * Clusters centred in T take at least m members each, and T supplies at
 * most |T| of them: only schools from outside T let T hold more than
 * floor(|T| / m) centres.  It is the Chvátal-Gomory cut of the size rows
 * of T's centres and the assign rows of T's schools, both times 1/m, every
 * coefficient rounded down; valid for any further rule (capacity, count,
 * required centres), for phase 1 and phase 2 alike.
 *
 * Why: with no cost for opening a cluster the LP relaxation builds
 * fractional clusters of m schools out of groups whose size is not a
 * multiple of m (four schools as four triples at 1/3 each); on the Kenya
 * zone Cheborge (41 schools) its bound was 12 % below the optimum, and
 * GLPK needed 41 s to close the gap by branching.
 *
 * Separation (heuristic): from every school touching a fractional x_ij as a
 * seed, T grows breadth
 * first along the LP's support (pairs with x_ij > 0, ties by index) up to
 * max_set schools (the MILP asks 40: on the Cheborge zone 12 took 6.7 s,
 * 40 took 0.6 s); the most violated T of each seed is kept, duplicates
 * dropped.  Work per call: seeds x max_set x (the pairs of a school).
 */
#include "internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_VIOLATION 0.02
#define EPS 1e-6

struct cp_size_cuts {
    int n, size_min, max_set;
    long n_cols;
    const int *member, *centre;   /* per column (1-based): local schools */
    const int *self_col;          /* per local school: its x_jj column or 0 */
    int *by_centre_start, *by_centre;
    int *by_member_start, *by_member;
    int *in_set, *set, *queued;   /* scratch of one seed */
    int *kept, n_kept, *kept_start; /* sets emitted in this call */
    double *kept_violation;
};

static int *csr(int n, long n_cols, const int *key, int **start_out)
{
    int *start = cp_calloc((size_t)n + 2, sizeof(int));
    int *fill = cp_malloc(((size_t)n + 1) * sizeof(int));
    int *cols = cp_malloc((size_t)(n_cols + 1) * sizeof(int));
    long c;
    int k;
    if (!start || !fill || !cols) {
        cp_free(start);
        cp_free(fill);
        cp_free(cols);
        return NULL;
    }
    for (c = 1; c <= n_cols; c++)
        start[key[c] + 1]++;
    for (k = 0; k < n; k++)
        start[k + 1] += start[k];
    memcpy(fill, start, ((size_t)n + 1) * sizeof(int));
    for (c = 1; c <= n_cols; c++)
        cols[fill[key[c]]++] = (int)c;
    cp_free(fill);
    *start_out = start;
    return cols;
}

cp_size_cuts *cp_size_cuts_new(int n, long n_cols, const int *member, const int *centre,
                               const int *self_col, int size_min, int max_set)
{
    cp_size_cuts *s = cp_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->n = n;
    s->n_cols = n_cols;
    s->member = member;
    s->centre = centre;
    s->self_col = self_col;
    s->size_min = size_min;
    s->max_set = max_set;
    s->by_centre = csr(n, n_cols, centre, &s->by_centre_start);
    s->by_member = csr(n, n_cols, member, &s->by_member_start);
    s->in_set = cp_calloc((size_t)n + 1, sizeof(int));
    s->queued = cp_calloc((size_t)n + 1, sizeof(int));
    s->set = cp_malloc(((size_t)n + 1) * sizeof(int));
    s->kept = cp_malloc(((size_t)n * (size_t)max_set + 1) * sizeof(int));
    s->kept_start = cp_malloc(((size_t)n + 2) * sizeof(int));
    s->kept_violation = cp_malloc(((size_t)n + 1) * sizeof(double));
    if (!s->by_centre || !s->by_member || !s->in_set || !s->queued || !s->set || !s->kept ||
        !s->kept_start || !s->kept_violation) {
        cp_size_cuts_free(s);
        return NULL;
    }
    return s;
}

void cp_size_cuts_free(cp_size_cuts *s)
{
    if (!s)
        return;
    cp_free(s->by_centre_start);
    cp_free(s->by_centre);
    cp_free(s->by_member_start);
    cp_free(s->by_member);
    cp_free(s->in_set);
    cp_free(s->queued);
    cp_free(s->set);
    cp_free(s->kept);
    cp_free(s->kept_start);
    cp_free(s->kept_violation);
    cp_free(s);
}

/* Change of the inflow (x_ij, i outside T, j in T) when t joins T. */
static double inflow_change(const cp_size_cuts *s, const double *x, int t)
{
    double change = 0.0;
    int q;
    for (q = s->by_centre_start[t]; q < s->by_centre_start[t + 1]; q++) {
        int c = s->by_centre[q];
        if (s->member[c] != t && !s->in_set[s->member[c]])
            change += x[c];
    }
    for (q = s->by_member_start[t]; q < s->by_member_start[t + 1]; q++) {
        int c = s->by_member[q];
        if (s->centre[c] != t && s->in_set[s->centre[c]])
            change -= x[c];
    }
    return change;
}

/* Queues t's neighbours in the LP's support that are neither in T nor queued. */
static void queue_neighbours(cp_size_cuts *s, const double *x, int t, int *queue, int *tail)
{
    int q;
    for (q = s->by_centre_start[t]; q < s->by_centre_start[t + 1]; q++) {
        int c = s->by_centre[q], i = s->member[c];
        if (x[c] > EPS && !s->queued[i]) {
            s->queued[i] = 1;
            queue[(*tail)++] = i;
        }
    }
    for (q = s->by_member_start[t]; q < s->by_member_start[t + 1]; q++) {
        int c = s->by_member[q], j = s->centre[c];
        if (x[c] > EPS && !s->queued[j]) {
            s->queued[j] = 1;
            queue[(*tail)++] = j;
        }
    }
}

static double centre_value(const cp_size_cuts *s, const double *x, int t)
{
    return s->self_col[t] ? x[s->self_col[t]] : 0.0;
}

/* Grows T from `seed`; returns the best violation and leaves its size in
 * *best_size (T's first *best_size schools in s->set). */
static double grow(cp_size_cuts *s, const double *x, int seed, int *queue, int *best_size)
{
    double centres = 0.0, inflow = 0.0, best = MIN_VIOLATION;
    int size = 0, head = 0, tail = 0, k;
    *best_size = 0;
    queue[tail++] = seed;
    s->queued[seed] = 1;
    while (head < tail && size < s->max_set) {
        int t = queue[head++];
        double v;
        inflow += inflow_change(s, x, t);
        centres += centre_value(s, x, t);
        s->in_set[t] = 1;
        s->set[size++] = t;
        v = centres - inflow - (double)(size / s->size_min);
        if (v > best + 1e-9) {
            best = v;
            *best_size = size;
        }
        queue_neighbours(s, x, t, queue, &tail);
    }
    for (k = 0; k < tail; k++)
        s->queued[queue[k]] = s->in_set[queue[k]] = 0;
    return best;
}

static int fractional(double v)
{
    return v > EPS && v < 1.0 - EPS;
}

static int touches_fraction(const cp_size_cuts *s, const double *x, int t)
{
    int q;
    for (q = s->by_centre_start[t]; q < s->by_centre_start[t + 1]; q++)
        if (fractional(x[s->by_centre[q]]))
            return 1;
    for (q = s->by_member_start[t]; q < s->by_member_start[t + 1]; q++)
        if (fractional(x[s->by_member[q]]))
            return 1;
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int p = *(const int *)a, q = *(const int *)b;
    return (p > q) - (p < q);
}

/* Keeps the sorted set unless an equal one is kept already. */
static void keep(cp_size_cuts *s, int size, double violation)
{
    int *dst = s->kept + s->kept_start[s->n_kept], k;
    memcpy(dst, s->set, (size_t)size * sizeof(int));
    qsort(dst, (size_t)size, sizeof(int), cmp_int);
    for (k = 0; k < s->n_kept; k++) {
        int len = s->kept_start[k + 1] - s->kept_start[k];
        if (len == size && !memcmp(s->kept + s->kept_start[k], dst, (size_t)size * sizeof(int)))
            return;
    }
    s->kept_violation[s->n_kept] = violation;
    s->n_kept++;
    s->kept_start[s->n_kept] = s->kept_start[s->n_kept - 1] + size;
}

/* The cut of kept set k as (columns, coefficients, right-hand side). */
static int cut_row(cp_size_cuts *s, int k, int *cols, double *vals, double *rhs)
{
    const int *t = s->kept + s->kept_start[k];
    int size = s->kept_start[k + 1] - s->kept_start[k], a, q, len = 0;
    for (a = 0; a < size; a++)
        s->in_set[t[a]] = 1;
    for (a = 0; a < size; a++) {
        if (s->self_col[t[a]]) {
            cols[len] = s->self_col[t[a]];
            vals[len++] = 1.0;
        }
        for (q = s->by_centre_start[t[a]]; q < s->by_centre_start[t[a] + 1]; q++) {
            int c = s->by_centre[q];
            if (!s->in_set[s->member[c]]) {
                cols[len] = c;
                vals[len++] = -1.0;
            }
        }
    }
    for (a = 0; a < size; a++)
        s->in_set[t[a]] = 0;
    *rhs = (double)(size / s->size_min);
    return len;
}

int cp_size_cuts_separate(cp_size_cuts *s, const double *x, int max_cuts,
                          void (*emit)(const int *cols, const double *vals, int len, double rhs,
                                       void *arg),
                          void *arg)
{
    int *queue, *cols, seed, k, emitted = 0;
    double *vals, rhs;
    if (s->size_min < 2)
        return 0;
    queue = cp_malloc(((size_t)s->n + 1) * sizeof(int));
    cols = cp_malloc((size_t)(s->n_cols + 1) * sizeof(int));
    vals = cp_malloc((size_t)(s->n_cols + 1) * sizeof(double));
    if (!queue || !cols || !vals) {
        cp_free(queue);
        cp_free(cols);
        cp_free(vals);
        return 0; /* no cuts is always safe */
    }
    s->n_kept = 0;
    s->kept_start[0] = 0;
    for (seed = 0; seed < s->n; seed++) {
        int size;
        double v;
        if (!touches_fraction(s, x, seed))
            continue; /* T's of integral values only are never violated */
        v = grow(s, x, seed, queue, &size);
        if (size > 0)
            keep(s, size, v);
    }
    for (k = 0; k < s->n_kept && emitted < max_cuts; k++) {
        int len = cut_row(s, k, cols, vals, &rhs);
        emit(cols, vals, len, rhs, arg);
        emitted++;
    }
    cp_free(queue);
    cp_free(cols);
    cp_free(vals);
    return emitted;
}
