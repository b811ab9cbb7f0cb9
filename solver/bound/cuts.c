/*
 * cuts.c — relax-and-cut for the Lagrangian bound (lagrange.c):
 * the size-minimum cuts of the MILP (milp_cuts.c), separated on a moving
 * average of the relaxed layouts (which tends to the LP's solution) and
 * dualised with multipliers mu >= 0.
 *
 * A cut is kept as its set T (see relax.h), as the separator hands it
 * over (cp_size_cuts_separate_sets), with the pairs inside T; its row (T's
 * centre columns and every pair bringing a member from outside T) runs to
 * thousands of pairs in a dense area and is never built.  That keeps a
 * round's work and the memory at O(sum |T|^2) instead of O(sum of row
 * lengths); the first version kept whole rows in a fixed budget, which
 * filled after about 60 cuts on a 1,000-school county and left the bound
 * at the LP's.
 *
 * Parameters: SEPARATE_CUTS (most new cuts per separation), MIN_VIOLATION
 * (of a new cut, in the moving average), ROUND_OFF,
 * AVERAGE_WEIGHT (of the newest layout in the average), CUTS_PER_SCHOOL
 * (cuts kept at most, per school of the problem).
 */
#include "cuts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SEPARATE_CUTS 4000
/* The MILP's separator keeps cuts violated by 0.02; the average of relaxed
 * layouts hesitates more than an LP point, and its faintly violated sets
 * only add multipliers that settle late.  Kenya national, 300 rounds:
 * 0.02 -> 23,473.3, 0.1 -> 23,500.2, 0.2 -> 23,500.3, 0.3 -> 23,492.8;
 * Machakos 945.89 -> 945.95, Kisii 453.12 -> 453.05, zones 31,593.7 ->
 * 31,593.3. */
#define MIN_VIOLATION 0.1
#define ROUND_OFF 0.05
#define AVERAGE_WEIGHT 0.1
#define CUTS_PER_SCHOOL 2

void lcuts_free(lcuts *c)
{
    if (!c)
        return;
    cp_size_cuts_free(c->sep);
    cp_free(c->col_member);
    cp_free(c->col_centre);
    cp_free(c->self_col);
    cp_free(c->avg);
    cp_free(c->rounded);
    cp_free(c->centre_mu);
    cp_free(c->inner);
    cp_free(c->set_start);
    cp_free(c->set);
    cp_free(c->cut_of);
    cp_free(c->inner_at);
    cp_free(c->inner_col);
    cp_free(c->entries_start);
    cp_free(c->entries);
    cp_free(c->mu);
    cp_free(c->rhs);
    cp_free(c->g);
    cp_free(c->hash);
    cp_free(c->slot);
    cp_free(c->stamp);
    cp_free(c->applied);
    cp_free(c->touched);
    cp_free(c);
}

/* Columns are pairs + 1 (1-based, as the separator wants). */
static int columns(lcuts *c, int set_size)
{
    const hstate *h = c->h;
    int j, p;
    for (j = 0; j < h->n; j++)
        for (p = h->rstart[j]; p < h->rstart[j + 1]; p++) {
            c->col_member[p + 1] = h->rmember[p];
            c->col_centre[p + 1] = j;
            if (h->rmember[p] == j)
                c->self_col[j] = p + 1;
        }
    c->sep = cp_size_cuts_new(h->n, h->rstart[h->n], c->col_member, c->col_centre, c->self_col,
                              h->size_min, set_size);
    if (c->sep)
        cp_size_cuts_set_min_violation(c->sep, MIN_VIOLATION);
    return c->sep != NULL;
}

static int allocate(lcuts *c, size_t n, size_t cols, size_t cap, int set_size)
{
    c->col_member = cp_malloc(cols * sizeof(int));
    c->col_centre = cp_malloc(cols * sizeof(int));
    c->self_col = cp_calloc(n + 1, sizeof(int));
    c->avg = cp_calloc(cols, sizeof(double));
    c->rounded = cp_malloc(cols * sizeof(double));
    c->centre_mu = cp_calloc(n + 1, sizeof(double));
    c->inner = cp_calloc(cols, sizeof(double));
    c->set_start = cp_calloc(cap + 1, sizeof(int));
    c->set = cp_malloc(cap * (size_t)set_size * sizeof(int));
    c->cut_of = cp_malloc(cap * (size_t)set_size * sizeof(int));
    c->inner_at = cp_calloc(cap * (size_t)set_size + 1, sizeof(long));
    c->entries_start = cp_calloc(n + 1, sizeof(int));
    c->entries = cp_malloc(cap * (size_t)set_size * sizeof(int));
    c->mu = cp_calloc(cap, sizeof(double));
    c->rhs = cp_malloc(cap * sizeof(double));
    c->g = cp_malloc(cap * sizeof(double));
    c->hash = cp_malloc(cap * sizeof(unsigned long));
    c->slot = cp_calloc(2 * cap + 1, sizeof(int));
    c->stamp = cp_calloc(n + 1, sizeof(int));
    c->applied = cp_calloc(cap * (size_t)set_size + 1, sizeof(double));
    c->touched = cp_calloc(cap * (size_t)set_size + 1, 1);
    return c->col_member && c->col_centre && c->self_col && c->avg && c->rounded &&
           c->centre_mu && c->inner && c->set_start && c->set && c->cut_of && c->inner_at &&
           c->entries_start && c->entries && c->mu &&
           c->rhs && c->g && c->hash && c->slot && c->stamp && c->applied && c->touched;
}

lcuts *lcuts_new(const hstate *h, int set_size)
{
    size_t n = (size_t)h->n, cols = (size_t)h->rstart[h->n] + 1;
    size_t cap = CUTS_PER_SCHOOL * n + 64;
    lcuts *c = cp_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->h = h;
    c->set_size = set_size;
    c->avg_scale = 1.0;
    c->cap = (int)cap;
    c->n_slots = (int)(2 * cap + 1);
    if (!allocate(c, n, cols, cap, set_size) || !columns(c, set_size)) {
        lcuts_free(c);
        return NULL;
    }
    return c;
}

/* ------------------------------------------------------------ keeping */

static void stamp_set(lcuts *c, int k)
{
    int e;
    c->stamp_now++;
    for (e = c->set_start[k]; e < c->set_start[k + 1]; e++)
        c->stamp[c->set[e]] = c->stamp_now;
}

static int known(const lcuts *c, int at, unsigned long v, const int *set, int len)
{
    int k = c->slot[at] - 1;
    return c->hash[k] == v && c->set_start[k + 1] - c->set_start[k] == len &&
           !memcmp(c->set + c->set_start[k], set, (size_t)len * sizeof(int));
}

/* Room for `more` inner pairs after `used`; 0 when memory ran out. */
static int inner_room(lcuts *c, long used, long more)
{
    long need = used + more, cap = c->inner_cap ? c->inner_cap : 4096;
    int *grown;
    if (need <= c->inner_cap)
        return 1;
    while (cap < need)
        cap *= 2;
    grown = cp_realloc(c->inner_col, (size_t)cap * sizeof(int));
    if (!grown)
        return 0;
    c->inner_col = grown;
    c->inner_cap = cap;
    return 1;
}

/* Cut k's entries: their cut, and the pair columns into each from the
 * rest of the (stamped) set.  0 when memory ran out. */
static int add_entries(lcuts *c, int k)
{
    const hstate *h = c->h;
    int e, p;
    long at = c->inner_at[c->set_start[k]];
    for (e = c->set_start[k]; e < c->set_start[k + 1]; e++) {
        int j = c->set[e];
        c->cut_of[e] = k;
        c->inner_at[e] = at;
        for (p = h->rstart[j]; p < h->rstart[j + 1]; p++) {
            int m = h->rmember[p];
            if (m == j || c->stamp[m] != c->stamp_now)
                continue;
            if (!inner_room(c, at, 1))
                return 0;
            c->inner_col[at++] = p + 1;
        }
    }
    c->inner_at[c->set_start[k + 1]] = at;
    return 1;
}

/* Separator callback: keeps T (sorted) unless already kept or out of room
 * (fewer cuts only weaken the bound).  Work: the pairs of T's schools, and
 * O(1) expected probes of the hash table (at most half full). */
static void keep_cut(const int *t, int size, double rhs, void *arg)
{
    lcuts *c = arg;
    int *set = c->set + c->set_start[c->n], at;
    unsigned long v;
    if (c->n >= c->cap || size > c->set_size)
        return;
    memcpy(set, t, (size_t)size * sizeof(int));
    v = (unsigned long)cp_hash_bytes(set, (size_t)size * sizeof(int)) ^ (unsigned long)rhs;
    for (at = (int)(v % (unsigned long)c->n_slots); c->slot[at]; at = (at + 1) % c->n_slots)
        if (known(c, at, v, set, size))
            return;
    c->set_start[c->n + 1] = c->set_start[c->n] + size;
    stamp_set(c, c->n);
    if (!add_entries(c, c->n))
        return;
    c->slot[at] = c->n + 1;
    c->hash[c->n] = v;
    c->rhs[c->n] = rhs;
    c->mu[c->n++] = 0.0;
}

/* Each centre's entries, in entry order: a counting sort, O(n + entries). */
static void index_entries(lcuts *c)
{
    int n = c->h->n, total = c->set_start[c->n], e, j;
    memset(c->entries_start, 0, ((size_t)n + 1) * sizeof(int));
    for (e = 0; e < total; e++)
        c->entries_start[c->set[e] + 1]++;
    for (j = 0; j < n; j++)
        c->entries_start[j + 1] += c->entries_start[j];
    for (e = 0; e < total; e++)
        c->entries[c->entries_start[c->set[e]]++] = e;
    for (j = n; j > 0; j--)
        c->entries_start[j] = c->entries_start[j - 1];
    c->entries_start[0] = 0;
}

/* The average with its faint values (below ROUND_OFF) taken as 0 and its
 * near-certain ones as 1, for columns of chunk k: the separator then seeds
 * and grows only where the relaxation really hesitates. */
static void round_chunk(int k, void *arg)
{
    lcuts *c = arg;
    long lo, hi, col;
    cp_chunk_range(c->h->rstart[c->h->n], k, LAGRANGE_CHUNKS, &lo, &hi);
    for (col = lo + 1; col <= hi; col++) { /* columns are 1-based */
        double v = c->avg[col] * c->avg_scale;
        c->rounded[col] = v < ROUND_OFF ? 0.0 : v > 1.0 - ROUND_OFF ? 1.0 : v;
    }
}

void lcuts_separate(lcuts *c, int threads)
{
    cp_parallel_for(LAGRANGE_CHUNKS, threads, round_chunk, c);
    cp_size_cuts_separate_sets(c->sep, c->rounded, SEPARATE_CUTS, threads, keep_cut, c);
    index_entries(c);
}

/* ------------------------------------------------------------ a round */

static void record_chunk(int k, void *arg)
{
    relax *x = arg;
    const hstate *h = x->h;
    lcuts *c = x->cuts;
    double add = AVERAGE_WEIGHT / c->avg_scale;
    int lo, hi, j, q;
    lagrange_chunk(x, k, &lo, &hi);
    for (j = lo; j < hi; j++) {
        if (!x->open[j])
            continue;
        c->avg[c->self_col[j]] += add;
        for (q = 0; q < x->chosen_end[j]; q++)
            c->avg[x->buf[h->rstart[j] + q].p + 1] += add;
    }
}

/* The average decays by scaling: avg holds average / avg_scale, so a round
 * touches only the open centres' columns, not every pair (that pass took
 * a twentieth of the bound's time); every column is rescaled only when the
 * scale nears underflow, once in about 2,000 rounds. */
void lcuts_record(relax *x)
{
    lcuts *c = x->cuts;
    long col, cols = x->h->rstart[x->h->n];
    c->avg_scale *= 1.0 - AVERAGE_WEIGHT;
    if (c->avg_scale < 1e-90) {
        for (col = 1; col <= cols; col++)
            c->avg[col] *= c->avg_scale;
        c->avg_scale = 1.0;
    }
    cp_parallel_for(LAGRANGE_CHUNKS, x->threads, record_chunk, x);
}

static int in_set(const int *set, int size, int i)
{
    int lo = 0, hi = size;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (set[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < size && set[lo] == i;
}

/* Row activity of cut k in the relaxed layout: each open centre in T
 * counts 1, each of its members from outside T counts -1. */
static double activity(const relax *x, int k)
{
    const hstate *h = x->h;
    const lcuts *c = x->cuts;
    const int *set = c->set + c->set_start[k];
    int size = c->set_start[k + 1] - c->set_start[k], e, q;
    double a = 0.0;
    for (e = 0; e < size; e++) {
        int j = set[e];
        if (!x->open[j])
            continue;
        a += 1.0;
        for (q = 0; q < x->chosen_end[j]; q++)
            a -= !in_set(set, size, x->buf[h->rstart[j] + q].i);
    }
    return a;
}

static void subgradient_chunk(int k, void *arg)
{
    relax *x = arg;
    lcuts *c = x->cuts;
    long lo, hi, cut;
    cp_chunk_range(c->n, k, LAGRANGE_CHUNKS, &lo, &hi);
    for (cut = lo; cut < hi; cut++)
        c->g[cut] = activity(x, (int)cut) - c->rhs[cut];
}

double lcuts_subgradient(relax *x)
{
    lcuts *c = x->cuts;
    double norm = 0.0;
    int k;
    cp_parallel_for(LAGRANGE_CHUNKS, x->threads, subgradient_chunk, x);
    for (k = 0; k < c->n; k++)
        if (c->mu[k] > 0.0 || c->g[k] > 0.0)
            norm += c->g[k] * c->g[k];
    return norm;
}

void lcuts_step(lcuts *c, double step)
{
    int k;
    for (k = 0; k < c->n; k++)
        c->mu[k] = fmax(0.0, c->mu[k] + step * c->g[k]);
}

/* The inner prices of j's entries that pricing set since the last reset. */
static void zero_inner(lcuts *c, int j)
{
    int q;
    long e;
    for (q = c->entries_start[j]; q < c->entries_start[j + 1]; q++) {
        int at = c->entries[q];
        for (e = c->inner_at[at]; c->touched[at] && e < c->inner_at[at + 1]; e++)
            c->inner[c->inner_col[e]] = 0.0;
        c->touched[at] = 0;
        c->applied[at] = 0.0;
    }
}

/* Adds d to entry at's inner prices. */
static void add_inner(lcuts *c, int at, double d)
{
    long e;
    for (e = c->inner_at[at]; e < c->inner_at[at + 1]; e++)
        c->inner[c->inner_col[e]] += d;
}

/* Exact: the prices summed afresh, in entry order.  Otherwise each entry
 * adds only its cut's change since it was last priced: 40-60 % of the
 * positive multipliers move in a round (Kenya national), so about half the
 * entries are skipped; the rounding this leaves lasts until the next exact
 * pricing (touched marks the entries whose pairs it may hold).  Work: j's
 * entries, and the inner pairs of those whose mu moved (or, when exact, is
 * > 0). */
void lcuts_price_centre(lcuts *c, int j, int exact)
{
    int q;
    if (exact) {
        zero_inner(c, j);
        c->centre_mu[j] = 0.0;
    }
    for (q = c->entries_start[j]; q < c->entries_start[j + 1]; q++) {
        int at = c->entries[q];
        double d = c->mu[c->cut_of[at]] - c->applied[at];
        if (d == 0.0)
            continue;
        add_inner(c, at, d);
        c->centre_mu[j] += d;
        c->applied[at] = c->mu[c->cut_of[at]];
        c->touched[at] = 1;
    }
}

double lcuts_constant(const lcuts *c)
{
    double sum = 0.0;
    int k;
    for (k = 0; k < c->n; k++)
        sum -= c->mu[k] * c->rhs[k];
    return sum;
}
