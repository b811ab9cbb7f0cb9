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
 * seed, T grows breadth first along the LP's support (pairs with
 * x_ij > 0, ties by index) up to max_set schools (the MILP asks 40: on the
 * Cheborge zone 12 took 6.7 s, 40 took 0.6 s); the most violated T of each
 * seed is kept, duplicates dropped.  Seeds run in SEED_CHUNKS fixed chunks,
 * side by side when threads are given, merged in chunk order: the same
 * cuts on any thread count.  Work per call: seeds x max_set x (the pairs
 * of a school); memory SEED_CHUNKS x 4 ints per school.
 */
#include "exact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_VIOLATION 0.02 /* default; cp_size_cuts_set_min_violation changes it */
#define EPS 1e-6
#define SEED_CHUNKS 8 /* seeds split in this many chunks, whatever the thread count */

typedef struct {                  /* one chunk of seeds */
    int *in_set, *queued, *set, *queue; /* scratch of one seed */
    int *kept, *kept_start, n_kept;     /* its sets, each sorted */
    int lo, hi;                         /* its seeds */
} chunk;

struct cp_size_cuts {
    int n, size_min, max_set;
    double min_violation;         /* the least violation a kept cut has */
    long n_cols;
    const int *member, *centre;   /* per column (1-based): local schools */
    const int *self_col;          /* per local school: its x_jj column or 0 */
    int *by_centre_start, *by_centre;
    int *by_member_start, *by_member;
    /* the point's support (x > 0), by centre and by member: growing T
     * walks these, not every admissible pair (a few per school against
     * hundreds in a dense town) */
    int *sup_centre_start, *sup_centre, *sup_member_start, *sup_member;
    long sup_cap;
    /* a cut row (at most every column), kept from call to call: the MILP
     * separates at every node; the Lagrangian, which takes sets, never
     * allocates it */
    int *row_cols;
    double *row_vals;
    chunk chunks[SEED_CHUNKS];
    const double *x;              /* the point being separated */
    unsigned long *table;         /* merge: hashes of the sets emitted */
    int table_size;
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

static int chunk_new(chunk *w, int n, int lo, int hi, int max_set)
{
    w->lo = lo;
    w->hi = hi;
    w->in_set = cp_calloc((size_t)n + 1, sizeof(int));
    w->queued = cp_calloc((size_t)n + 1, sizeof(int));
    w->set = cp_malloc(((size_t)n + 1) * sizeof(int));
    w->queue = cp_malloc(((size_t)n + 1) * sizeof(int));
    w->kept = cp_malloc(((size_t)(hi - lo) * (size_t)max_set + 1) * sizeof(int));
    w->kept_start = cp_malloc(((size_t)(hi - lo) + 2) * sizeof(int));
    return w->in_set && w->queued && w->set && w->queue && w->kept && w->kept_start;
}

static void chunk_free(chunk *w)
{
    cp_free(w->in_set);
    cp_free(w->queued);
    cp_free(w->set);
    cp_free(w->queue);
    cp_free(w->kept);
    cp_free(w->kept_start);
}

cp_size_cuts *cp_size_cuts_new(int n, long n_cols, const int *member, const int *centre,
                               const int *self_col, int size_min, int max_set)
{
    cp_size_cuts *s = cp_calloc(1, sizeof *s);
    int k, ok = 1;
    if (!s)
        return NULL;
    s->n = n;
    s->n_cols = n_cols;
    s->member = member;
    s->centre = centre;
    s->self_col = self_col;
    s->size_min = size_min;
    s->max_set = max_set;
    s->min_violation = MIN_VIOLATION;
    s->by_centre = csr(n, n_cols, centre, &s->by_centre_start);
    s->by_member = csr(n, n_cols, member, &s->by_member_start);
    for (k = 0; k < SEED_CHUNKS; k++) {
        long lo, hi;
        cp_chunk_range(n, k, SEED_CHUNKS, &lo, &hi);
        ok &= chunk_new(&s->chunks[k], n, (int)lo, (int)hi, max_set);
    }
    s->table_size = 2 * n + 1;
    s->table = cp_malloc((size_t)s->table_size * sizeof(unsigned long));
    s->sup_centre_start = cp_malloc(((size_t)n + 1) * sizeof(int));
    s->sup_member_start = cp_malloc(((size_t)n + 1) * sizeof(int));
    if (!s->by_centre || !s->by_member || !ok || !s->table || !s->sup_centre_start ||
        !s->sup_member_start) {
        cp_size_cuts_free(s);
        return NULL;
    }
    return s;
}

void cp_size_cuts_set_min_violation(cp_size_cuts *s, double v)
{
    s->min_violation = v;
}

void cp_size_cuts_free(cp_size_cuts *s)
{
    int k;
    if (!s)
        return;
    cp_free(s->by_centre_start);
    cp_free(s->by_centre);
    cp_free(s->by_member_start);
    cp_free(s->by_member);
    cp_free(s->sup_centre_start);
    cp_free(s->sup_centre);
    cp_free(s->sup_member_start);
    cp_free(s->sup_member);
    cp_free(s->row_cols);
    cp_free(s->row_vals);
    for (k = 0; k < SEED_CHUNKS; k++)
        chunk_free(&s->chunks[k]);
    cp_free(s->table);
    cp_free(s);
}

/* Change of the inflow (x_ij, i outside T, j in T) when t joins T. */
static double inflow_change(const cp_size_cuts *s, const chunk *w, const double *x, int t)
{
    double change = 0.0;
    int q;
    for (q = s->sup_centre_start[t]; q < s->sup_centre_start[t + 1]; q++) {
        int c = s->sup_centre[q];
        if (s->member[c] != t && !w->in_set[s->member[c]])
            change += x[c];
    }
    for (q = s->sup_member_start[t]; q < s->sup_member_start[t + 1]; q++) {
        int c = s->sup_member[q];
        if (s->centre[c] != t && w->in_set[s->centre[c]])
            change -= x[c];
    }
    return change;
}

/* Queues t's neighbours in the LP's support that are neither in T nor queued. */
static void queue_neighbours(const cp_size_cuts *s, chunk *w, const double *x, int t, int *tail)
{
    int q;
    for (q = s->sup_centre_start[t]; q < s->sup_centre_start[t + 1]; q++) {
        int c = s->sup_centre[q], i = s->member[c];
        if (x[c] > EPS && !w->queued[i]) {
            w->queued[i] = 1;
            w->queue[(*tail)++] = i;
        }
    }
    for (q = s->sup_member_start[t]; q < s->sup_member_start[t + 1]; q++) {
        int c = s->sup_member[q], j = s->centre[c];
        if (x[c] > EPS && !w->queued[j]) {
            w->queued[j] = 1;
            w->queue[(*tail)++] = j;
        }
    }
}

static double centre_value(const cp_size_cuts *s, const double *x, int t)
{
    return s->self_col[t] ? x[s->self_col[t]] : 0.0;
}

/* Grows T from `seed`; returns the best violation and leaves its size in
 * *best_size (T's first *best_size schools in w->set). */
static double grow(const cp_size_cuts *s, chunk *w, const double *x, int seed, int *best_size)
{
    double centres = 0.0, inflow = 0.0, best = s->min_violation;
    int size = 0, head = 0, tail = 0, k;
    *best_size = 0;
    w->queue[tail++] = seed;
    w->queued[seed] = 1;
    while (head < tail && size < s->max_set) {
        int t = w->queue[head++];
        double v;
        inflow += inflow_change(s, w, x, t);
        centres += centre_value(s, x, t);
        w->in_set[t] = 1;
        w->set[size++] = t;
        v = centres - inflow - (double)(size / s->size_min);
        if (v > best + 1e-9) {
            best = v;
            *best_size = size;
        }
        queue_neighbours(s, w, x, t, &tail);
    }
    for (k = 0; k < tail; k++)
        w->queued[w->queue[k]] = w->in_set[w->queue[k]] = 0;
    return best;
}

static int fractional(double v)
{
    return v > EPS && v < 1.0 - EPS;
}

static int touches_fraction(const cp_size_cuts *s, const double *x, int t)
{
    int q;
    for (q = s->sup_centre_start[t]; q < s->sup_centre_start[t + 1]; q++)
        if (fractional(x[s->sup_centre[q]]))
            return 1;
    for (q = s->sup_member_start[t]; q < s->sup_member_start[t + 1]; q++)
        if (fractional(x[s->sup_member[q]]))
            return 1;
    return 0;
}

/* Keeps the chunk's sorted set unless its last kept one is equal (a
 * chunk's seeds are neighbours, so repeats come in runs; the merge drops
 * the rest). */
static void keep(chunk *w, int size)
{
    int *dst = w->kept + w->kept_start[w->n_kept], len;
    memcpy(dst, w->set, (size_t)size * sizeof(int));
    qsort(dst, (size_t)size, sizeof(int), cp_cmp_int);
    if (w->n_kept > 0) {
        len = w->kept_start[w->n_kept] - w->kept_start[w->n_kept - 1];
        if (len == size && !memcmp(w->kept + w->kept_start[w->n_kept - 1], dst,
                                   (size_t)size * sizeof(int)))
            return;
    }
    w->n_kept++;
    w->kept_start[w->n_kept] = w->kept_start[w->n_kept - 1] + size;
}

static void seed_chunk(int k, void *arg)
{
    cp_size_cuts *s = arg;
    chunk *w = &s->chunks[k];
    int seed;
    w->n_kept = 0;
    w->kept_start[0] = 0;
    for (seed = w->lo; seed < w->hi; seed++) {
        int size;
        if (!touches_fraction(s, s->x, seed))
            continue; /* T's of integral values only are never violated */
        grow(s, w, s->x, seed, &size);
        if (size > 0)
            keep(w, size);
    }
}

static unsigned long set_hash(const int *t, int size)
{
    return (unsigned long)cp_hash_bytes(t, (size_t)size * sizeof(int)) | 1UL; /* 0 = empty slot */
}

/* Whether a set with this hash was emitted in this call (else records it).
 * Equal hashes of different sets would only drop a cut: always safe. */
static int seen(cp_size_cuts *s, unsigned long v)
{
    int slot = (int)(v % (unsigned long)s->table_size);
    while (s->table[slot]) {
        if (s->table[slot] == v)
            return 1;
        slot = (slot + 1) % s->table_size;
    }
    s->table[slot] = v;
    return 0;
}

/* The cut of set t (size schools) as (columns, coefficients, rhs). */
static int cut_row(const cp_size_cuts *s, chunk *w, const int *t, int size, int *cols,
                   double *vals, double *rhs)
{
    int a, q, len = 0;
    for (a = 0; a < size; a++)
        w->in_set[t[a]] = 1;
    for (a = 0; a < size; a++) {
        if (s->self_col[t[a]]) {
            cols[len] = s->self_col[t[a]];
            vals[len++] = 1.0;
        }
        for (q = s->by_centre_start[t[a]]; q < s->by_centre_start[t[a] + 1]; q++) {
            int c = s->by_centre[q];
            if (!w->in_set[s->member[c]]) {
                cols[len] = c;
                vals[len++] = -1.0;
            }
        }
    }
    for (a = 0; a < size; a++)
        w->in_set[t[a]] = 0;
    *rhs = (double)(size / s->size_min);
    return len;
}

/* Schools of chunk k: the same fixed cut as the seeds'. */
static void chunk_schools(const cp_size_cuts *s, int k, int *lo, int *hi)
{
    *lo = s->chunks[k].lo;
    *hi = s->chunks[k].hi;
}

static int support_count(const double *x, const int *by_start, const int *by, int t)
{
    int q, count = 0;
    for (q = by_start[t]; q < by_start[t + 1]; q++)
        count += x[by[q]] > 0.0;
    return count;
}

/* Phase 1: each school's support counts, into start[t + 1]. */
static void count_chunk(int k, void *arg)
{
    cp_size_cuts *s = arg;
    int lo, hi, t;
    chunk_schools(s, k, &lo, &hi);
    for (t = lo; t < hi; t++) {
        s->sup_centre_start[t + 1] = support_count(s->x, s->by_centre_start, s->by_centre, t);
        s->sup_member_start[t + 1] = support_count(s->x, s->by_member_start, s->by_member, t);
    }
}

static void support_fill(const double *x, const int *by_start, const int *by, int t, int *out)
{
    int q;
    for (q = by_start[t]; q < by_start[t + 1]; q++)
        if (x[by[q]] > 0.0)
            *out++ = by[q];
}

/* Phase 2: each school's lists, at the offsets the counts gave. */
static void fill_chunk(int k, void *arg)
{
    cp_size_cuts *s = arg;
    int lo, hi, t;
    chunk_schools(s, k, &lo, &hi);
    for (t = lo; t < hi; t++) {
        support_fill(s->x, s->by_centre_start, s->by_centre, t, s->sup_centre + s->sup_centre_start[t]);
        support_fill(s->x, s->by_member_start, s->by_member, t, s->sup_member + s->sup_member_start[t]);
    }
}

static int support_room(cp_size_cuts *s, long count)
{
    int *a, *b;
    if (count <= s->sup_cap)
        return 1;
    a = cp_realloc(s->sup_centre, (size_t)count * sizeof(int));
    if (a)
        s->sup_centre = a;
    b = a ? cp_realloc(s->sup_member, (size_t)count * sizeof(int)) : NULL;
    if (!b)
        return 0;
    s->sup_member = b;
    s->sup_cap = count;
    return 1;
}

/* The point's support lists (pairs with x > 0 per school, by centre and by
 * member), counted then filled in SEED_CHUNKS chunks of schools side by
 * side; 0 when memory ran out.  Work: O(n_cols). */
static int build_support(cp_size_cuts *s, const double *x, int threads)
{
    int t;
    s->x = x;
    s->sup_centre_start[0] = s->sup_member_start[0] = 0;
    cp_parallel_for(SEED_CHUNKS, threads, count_chunk, s);
    for (t = 0; t < s->n; t++) {
        s->sup_centre_start[t + 1] += s->sup_centre_start[t];
        s->sup_member_start[t + 1] += s->sup_member_start[t];
    }
    if (!support_room(s, s->sup_centre_start[s->n]))
        return 0;
    cp_parallel_for(SEED_CHUNKS, threads, fill_chunk, s);
    return 1;
}

/* Seeds, grows and merges (in chunk order); each new violated set goes to
 * each(); returns how many.  0 when memory ran out (no cuts is safe). */
static int separate_sets(cp_size_cuts *s, const double *x, int max_cuts, int threads,
                         void (*each)(const int *t, int size, void *ctx), void *ctx)
{
    int k, e, emitted = 0;
    if (s->size_min < 2 || !build_support(s, x, threads))
        return 0;
    cp_parallel_for(SEED_CHUNKS, threads, seed_chunk, s);
    memset(s->table, 0, (size_t)s->table_size * sizeof(unsigned long));
    for (k = 0; k < SEED_CHUNKS && emitted < max_cuts; k++) { /* merged in chunk order */
        chunk *w = &s->chunks[k];
        for (e = 0; e < w->n_kept && emitted < max_cuts; e++) {
            const int *t = w->kept + w->kept_start[e];
            int size = w->kept_start[e + 1] - w->kept_start[e];
            if (seen(s, set_hash(t, size)))
                continue;
            each(t, size, ctx);
            emitted++;
        }
    }
    return emitted;
}

typedef struct {
    cp_size_cuts *s;
    int *cols;
    double *vals;
    void (*emit)(const int *cols, const double *vals, int len, double rhs, void *arg);
    void *arg;
} row_emitter;

static void emit_row(const int *t, int size, void *ctx)
{
    row_emitter *r = ctx;
    double rhs;
    int len = cut_row(r->s, &r->s->chunks[0], t, size, r->cols, r->vals, &rhs);
    r->emit(r->cols, r->vals, len, rhs, r->arg);
}

int cp_size_cuts_separate(cp_size_cuts *s, const double *x, int max_cuts, int threads,
                          void (*emit)(const int *cols, const double *vals, int len, double rhs,
                                       void *arg),
                          void *arg)
{
    row_emitter r;
    if (!s->row_cols)
        s->row_cols = cp_malloc((size_t)(s->n_cols + 1) * sizeof(int));
    if (!s->row_vals)
        s->row_vals = cp_malloc((size_t)(s->n_cols + 1) * sizeof(double));
    if (!s->row_cols || !s->row_vals)
        return 0; /* no cuts is always safe */
    r.s = s;
    r.emit = emit;
    r.arg = arg;
    r.cols = s->row_cols;
    r.vals = s->row_vals;
    return separate_sets(s, x, max_cuts, threads, emit_row, &r);
}

typedef struct {
    const cp_size_cuts *s;
    void (*emit)(const int *set, int size, double rhs, void *arg);
    void *arg;
} set_emitter;

static void emit_set(const int *t, int size, void *ctx)
{
    set_emitter *e = ctx;
    e->emit(t, size, (double)(size / e->s->size_min), e->arg);
}

int cp_size_cuts_separate_sets(cp_size_cuts *s, const double *x, int max_cuts, int threads,
                               void (*emit)(const int *set, int size, double rhs, void *arg),
                               void *arg)
{
    set_emitter e;
    e.s = s;
    e.emit = emit;
    e.arg = arg;
    return separate_sets(s, x, max_cuts, threads, emit_set, &e);
}
