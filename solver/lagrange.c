/*
 * lagrange.c — a proven lower bound on the cost of a layout that places
 * every school of a problem: Lagrangian relaxation of the assignment rows
 * (sum_j x_ij = 1, multiplier lambda_i), maximised by subgradient steps.
 *
 * For fixed lambda the relaxation splits by centre: opening j is worth
 *   v_j = open_cost_j - lambda_j + min { sum_{i in S} (w_i d_ij - lambda_i) :
 *                                        S admissible to j, min-1 <= |S| <= max-1 }
 * (the smallest reduced costs: all negative ones, at least min-1, at most
 * max-1), and L(lambda) = sum_i lambda_i + the best choice of centres: every
 * required one, then those with v_j < 0, or with a fixed count the count
 * smallest.  Every L(lambda) is a valid bound; the capacity is left out of
 * the subproblem (which keeps it valid, only weaker when capacity binds).
 * Step: Polyak's rule towards the heuristic's cost, halving after STALL
 * rounds without progress.  Work: O(pairs) per round.
 *
 * Relax-and-cut: with a size minimum of 2 or more, the size-minimum cuts
 * of the MILP (milp_cuts.c) are separated every SEPARATE_EVERY rounds on a
 * moving average of the relaxed layouts (which tends to the LP's
 * solution), and dualised too: a cut's multiplier mu >= 0 adds mu to the
 * opening value of the centres in its set and takes mu off each pair that
 * brings a member from outside the set.  On the 1,268 Kenya zone parts
 * (150 rounds) the bound went from 3.95 % to 1.37 % below the heuristic's
 * cost, and the parts it proves optimal from 229 to 432.  Work per round:
 * O(pairs + cut entries); a separation: O(n x CUT_SET_SIZE x pairs per
 * school).
 */
#include "heur.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STALL 15
#define CHUNKS 64 /* of centres, valued side by side */

typedef struct {
    double r;
    int i, p;          /* member, pair */
} reduced;

/* Size-minimum cuts (milp_cuts.c) dualised with multipliers mu >= 0:
 * relax-and-cut.  Columns are pairs + 1 (1-based, as the separator wants);
 * each cut is a row sum a_c x_c <= rhs with a_c = +1 or -1. */
typedef struct {
    cp_size_cuts *sep;
    int *col_member, *col_centre, *self_col;
    double *avg;          /* per column: the relaxed layouts' moving average */
    double *rounded;      /* per column: avg rounded off for the separator */
    unsigned char *cur;   /* per column: in the current relaxed layout */
    double *pen;          /* per column: sum over cuts of mu * a */
    int n, cap;           /* cuts kept, most kept */
    long nnz, nnz_cap;
    long *start;          /* cut k's entries: [start[k], start[k+1]) */
    int *col;
    signed char *sign;
    double *mu, *rhs, *g;
    unsigned long *hash;  /* per cut: its row's hash */
    int *slot, n_slots;   /* open addressing: cut index + 1 by hash, 0 = empty */
} dual_cuts;

typedef struct {
    const hstate *h;
    double *lambda, *value, *g;
    int *chosen_end;  /* per centre: how many of its reduced costs S takes */
    reduced *buf;     /* per pair, grouped by centre */
    int *open;
    double upper;
    dual_cuts *cuts;  /* NULL: the plain relaxation */
    int threads;
} relax;

/* Moves the k smallest of v[0..n) to the front (quickselect, ties by index). */
static int less(const reduced *a, const reduced *b)
{
    return a->r < b->r || (a->r == b->r && a->i < b->i);
}

static void smallest_first(reduced *v, int n, int k)
{
    int lo = 0, hi = n - 1;
    while (lo < hi && k > 0 && k < n) {
        reduced pivot = v[lo + (hi - lo) / 2], t;
        int a = lo, b = hi;
        while (a <= b) {
            while (less(&v[a], &pivot))
                a++;
            while (less(&pivot, &v[b]))
                b--;
            if (a <= b) {
                t = v[a];
                v[a++] = v[b];
                v[b--] = t;
            }
        }
        if (k - 1 <= b)
            hi = b;
        else if (k - 1 >= a)
            lo = a;
        else
            break;
    }
}

/* v_j and the size of its best S (left in buf's front); INFINITY when j
 * cannot reach the minimum. */
static double centre_value(relax *x, int j)
{
    const hstate *h = x->h;
    reduced *v = x->buf + h->rstart[j];
    int n = 0, p, negative = 0, k;
    double sum = 0.0;
    for (p = h->rstart[j]; p < h->rstart[j + 1]; p++) {
        int i = h->rmember[p];
        if (i == j)
            continue;
        v[n].r = h->w[i] * h->rdist[p] - x->lambda[i] + (x->cuts ? x->cuts->pen[p + 1] : 0.0);
        v[n].i = i;
        v[n].p = p;
        negative += v[n++].r < 0;
    }
    if (n < h->size_min - 1)
        return INFINITY;
    k = negative > h->size_max - 1 ? h->size_max - 1 : negative;
    if (k < h->size_min - 1)
        k = h->size_min - 1;
    smallest_first(v, n, k);
    for (p = 0; p < k; p++)
        sum += v[p].r;
    x->chosen_end[j] = k;
    if (x->cuts)
        sum += x->cuts->pen[x->cuts->self_col[j]];
    return h->open_cost[j] - x->lambda[j] + sum;
}


/* ------------------------------------------------------- relax-and-cut */

#define CUT_SET_SIZE 12     /* the separator's sets (the MILP takes 40) */
#define SEPARATE_EVERY 25   /* rounds between separations */
#define AVERAGE_WEIGHT 0.1  /* of the newest relaxed layout in the average */
#define CUTS_PER_SEPARATION 4000
#define ROUND_OFF 0.05

static void dual_cuts_free(dual_cuts *c)
{
    if (!c)
        return;
    cp_size_cuts_free(c->sep);
    cp_free(c->col_member);
    cp_free(c->col_centre);
    cp_free(c->self_col);
    cp_free(c->avg);
    cp_free(c->rounded);
    cp_free(c->cur);
    cp_free(c->pen);
    cp_free(c->start);
    cp_free(c->col);
    cp_free(c->sign);
    cp_free(c->mu);
    cp_free(c->rhs);
    cp_free(c->g);
    cp_free(c->hash);
    cp_free(c->slot);
    cp_free(c);
}

static int dual_cuts_columns(dual_cuts *c, const hstate *h)
{
    int j, p;
    for (j = 0; j < h->n; j++)
        for (p = h->rstart[j]; p < h->rstart[j + 1]; p++) {
            c->col_member[p + 1] = h->rmember[p];
            c->col_centre[p + 1] = j;
            if (h->rmember[p] == j)
                c->self_col[j] = p + 1;
        }
    c->sep = cp_size_cuts_new(h->n, h->rstart[h->n], c->col_member, c->col_centre, c->self_col,
                              h->size_min, CUT_SET_SIZE);
    return c->sep != NULL;
}

/* Room for `cap` cuts of 64 entries on average; a cut that does not fit
 * is dropped (fewer cuts only weaken the bound). */
static dual_cuts *dual_cuts_new(const hstate *h)
{
    size_t cols = (size_t)h->rstart[h->n] + 1, cap = (size_t)h->n / 2 + 64;
    dual_cuts *c = cp_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->cap = (int)cap;
    c->nnz_cap = (long)cap * 64;
    c->col_member = cp_malloc(cols * sizeof(int));
    c->col_centre = cp_malloc(cols * sizeof(int));
    c->self_col = cp_calloc((size_t)h->n + 1, sizeof(int));
    c->avg = cp_calloc(cols, sizeof(double));
    c->rounded = cp_malloc(cols * sizeof(double));
    c->cur = cp_calloc(cols, 1);
    c->pen = cp_calloc(cols, sizeof(double));
    c->start = cp_calloc(cap + 1, sizeof(long));
    c->col = cp_malloc((size_t)c->nnz_cap * sizeof(int));
    c->sign = cp_malloc((size_t)c->nnz_cap);
    c->mu = cp_calloc(cap, sizeof(double));
    c->rhs = cp_malloc(cap * sizeof(double));
    c->g = cp_malloc(cap * sizeof(double));
    c->hash = cp_malloc(cap * sizeof(unsigned long));
    c->n_slots = (int)(2 * cap + 1);
    c->slot = cp_calloc((size_t)c->n_slots, sizeof(int));
    if (!c->col_member || !c->col_centre || !c->self_col || !c->avg || !c->rounded || !c->cur || !c->pen ||
        !c->start || !c->col || !c->sign || !c->mu || !c->rhs || !c->g || !c->hash ||
        !c->slot || !dual_cuts_columns(c, h)) {
        dual_cuts_free(c);
        return NULL;
    }
    return c;
}

static unsigned long row_hash(const int *cols, int len, double rhs)
{
    return (unsigned long)cp_hash_bytes(cols, (size_t)len * sizeof(int)) ^ (unsigned long)rhs;
}

static int same_row(const dual_cuts *c, int k, const int *cols, int len)
{
    return c->start[k + 1] - c->start[k] == len &&
           !memcmp(c->col + c->start[k], cols, (size_t)len * sizeof(int));
}

/* Separator callback: keeps a new cut (with mu = 0) unless full or known.
 * Work: O(1) expected probes of the hash table (at most half full). */
static void keep_cut(const int *cols, const double *vals, int len, double rhs, void *arg)
{
    dual_cuts *c = arg;
    unsigned long v = row_hash(cols, len, rhs);
    int at = (int)(v % (unsigned long)c->n_slots);
    long e;
    if (c->n >= c->cap || c->start[c->n] + len > c->nnz_cap)
        return;
    for (; c->slot[at]; at = (at + 1) % c->n_slots) {
        int k = c->slot[at] - 1;
        if (c->hash[k] == v && same_row(c, k, cols, len))
            return;
    }
    c->slot[at] = c->n + 1;
    for (e = 0; e < len; e++) {
        c->col[c->start[c->n] + e] = cols[e];
        c->sign[c->start[c->n] + e] = vals[e] > 0 ? 1 : -1;
    }
    c->hash[c->n] = v;
    c->rhs[c->n] = rhs;
    c->mu[c->n] = 0.0;
    c->n++;
    c->start[c->n] = c->start[c->n - 1] + len;
}

/* Centres k*n/CHUNKS .. (k+1)*n/CHUNKS - 1: a fixed cut, whatever the
 * thread count, and every sum is taken after, in index order, so the bound
 * is the same on any number of threads. */
static void chunk_range(const relax *x, int k, int *lo, int *hi)
{
    *lo = (int)((long)x->h->n * k / CHUNKS);
    *hi = (int)((long)x->h->n * (k + 1) / CHUNKS);
}

/* The relaxed layout of this round into cur[] and the moving average, for
 * the columns of a chunk of centres (a centre's columns are contiguous). */
static void record_chunk(int k, void *arg)
{
    relax *x = arg;
    const hstate *h = x->h;
    dual_cuts *c = x->cuts;
    int lo, hi, j, q;
    long col;
    chunk_range(x, k, &lo, &hi);
    if (lo >= hi)
        return;
    memset(c->cur + h->rstart[lo] + 1, 0, (size_t)(h->rstart[hi] - h->rstart[lo]));
    for (j = lo; j < hi; j++) {
        if (!x->open[j])
            continue;
        c->cur[c->self_col[j]] = 1;
        for (q = 0; q < x->chosen_end[j]; q++)
            c->cur[x->buf[h->rstart[j] + q].p + 1] = 1;
    }
    for (col = h->rstart[lo] + 1; col <= h->rstart[hi]; col++)
        c->avg[col] = (1.0 - AVERAGE_WEIGHT) * c->avg[col] + AVERAGE_WEIGHT * c->cur[col];
}

static void record_layout(relax *x)
{
    cp_parallel_for(CHUNKS, x->threads, record_chunk, x);
}

/* Cut subgradients (row activity minus rhs); returns their squared norm,
 * leaving out cuts at mu = 0 that the layout satisfies (the projection). */
static double cut_subgradient(dual_cuts *c)
{
    double norm = 0.0;
    int k;
    long e;
    for (k = 0; k < c->n; k++) {
        double a = 0.0;
        for (e = c->start[k]; e < c->start[k + 1]; e++)
            a += c->sign[e] * c->cur[c->col[e]];
        c->g[k] = a - c->rhs[k];
        if (c->mu[k] > 0.0 || c->g[k] > 0.0)
            norm += c->g[k] * c->g[k];
    }
    return norm;
}

static void cut_step(dual_cuts *c, double step, long cols)
{
    long e;
    int k;
    memset(c->pen, 0, ((size_t)cols + 1) * sizeof(double));
    for (k = 0; k < c->n; k++) {
        c->mu[k] = fmax(0.0, c->mu[k] + step * c->g[k]);
        for (e = c->start[k]; c->mu[k] > 0.0 && e < c->start[k + 1]; e++)
            c->pen[c->col[e]] += c->mu[k] * c->sign[e];
    }
}

/* Separation on the average with its faint values (below ROUND_OFF) taken
 * as 0 and its near-certain ones as 1: the separator then seeds and grows
 * only where the relaxation really hesitates, not along every pair a
 * relaxed layout once used (Kenya zones, 150 rounds: 1.37 % -> 1.33 %
 * below the heuristic's cost, 432 -> 444 parts proven). */
static void separate(dual_cuts *c, long cols, int threads)
{
    long col;
    for (col = 1; col <= cols; col++) {
        double v = c->avg[col];
        c->rounded[col] = v < ROUND_OFF ? 0.0 : v > 1.0 - ROUND_OFF ? 1.0 : v;
    }
    cp_size_cuts_separate(c->sep, c->rounded, CUTS_PER_SEPARATION, threads, keep_cut, c);
}

typedef struct {
    double v;
    int j;
} centre_key;

static int cmp_centre_key(const void *x, const void *y)
{
    const centre_key *a = x, *b = y;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

/* Marks the centres the relaxation opens; returns their total value. */
static double choose_centres(relax *x, centre_key *keys)
{
    const hstate *h = x->h;
    int j, n = 0, opened = 0, k;
    double total = 0.0;
    for (j = 0; j < h->n; j++) {
        x->open[j] = 0;
        if (!h->eligible[j] || isinf(x->value[j]))
            continue;
        if (h->required[j]) {
            x->open[j] = 1;
            total += x->value[j];
            opened++;
        } else {
            keys[n].v = x->value[j];
            keys[n++].j = j;
        }
    }
    if (h->count > 0) {
        qsort(keys, (size_t)n, sizeof *keys, cmp_centre_key);
        if (opened + n < h->count)
            return INFINITY; /* the count cannot be met: no finite bound */
    }
    for (k = 0; k < n; k++) {
        int take = h->count > 0 ? opened < h->count : keys[k].v < 0;
        if (!take)
            continue;
        x->open[keys[k].j] = 1;
        total += keys[k].v;
        opened++;
    }
    return total;
}

/* Each centre's value depends on the multipliers alone. */
static void value_chunk(int k, void *arg)
{
    relax *x = arg;
    int lo, hi, j;
    chunk_range(x, k, &lo, &hi);
    for (j = lo; j < hi; j++)
        x->value[j] = x->h->eligible[j] ? centre_value(x, j) : INFINITY;
}

static double evaluate(relax *x, centre_key *keys)
{
    const hstate *h = x->h;
    double sum = 0.0;
    int i, k;
    for (k = 0; x->cuts && k < x->cuts->n; k++)
        sum -= x->cuts->mu[k] * x->cuts->rhs[k];
    for (i = 0; i < h->n; i++)
        sum += x->lambda[i];
    cp_parallel_for(CHUNKS, x->threads, value_chunk, x);
    return sum + choose_centres(x, keys);
}

/* Subgradient g_i = 1 - times i is covered; returns its squared norm. */
static double subgradient(relax *x)
{
    const hstate *h = x->h;
    double norm = 0.0;
    int i, j, p;
    for (i = 0; i < h->n; i++)
        x->g[i] = 1.0;
    for (j = 0; j < h->n; j++) {
        if (!x->open[j])
            continue;
        x->g[j] -= 1.0;
        for (p = 0; p < x->chosen_end[j]; p++)
            x->g[x->buf[h->rstart[j] + p].i] -= 1.0;
    }
    for (i = 0; i < h->n; i++)
        norm += x->g[i] * x->g[i];
    return norm;
}

static void initial_multipliers(relax *x)
{
    const hstate *h = x->h;
    int i, p;
    for (i = 0; i < h->n; i++) {
        x->lambda[i] = h->open_cost[i] > 0 ? h->open_cost[i] : 0.0;
        for (p = h->kstart[i]; p < h->kstart[i + 1]; p++)
            if (h->kcentre[p] != i && (x->lambda[i] == 0.0 || h->w[i] * h->kdist[p] < x->lambda[i]))
                x->lambda[i] = h->w[i] * h->kdist[p];
    }
}

static double ascend(relax *x, centre_key *keys, int rounds)
{
    double best = -INFINITY, theta = 2.0;
    int round, stall = 0, i;
    initial_multipliers(x);
    for (round = 0; round < rounds && theta > 1e-4; round++) {
        double value, norm, step;
        if (round > 0 && heur_should_stop(x->h))
            break; /* every round's value is a bound: the best so far stands */
        value = evaluate(x, keys);
        if (isinf(value))
            return NAN;
        if (round == 0 || value > best + 1e-9 * fmax(1.0, fabs(best))) {
            best = value;
            stall = 0;
        } else if (++stall >= STALL) {
            theta /= 2;
            stall = 0;
        }
        norm = subgradient(x);
        if (x->cuts) {
            record_layout(x);
            norm += cut_subgradient(x->cuts);
        }
        if (norm == 0.0 || best >= x->upper - 1e-9 * fmax(1.0, fabs(x->upper)))
            break; /* the relaxed layout is feasible: value is optimal */
        step = theta * (x->upper - value) / norm;
        for (i = 0; i < x->h->n; i++)
            x->lambda[i] += step * x->g[i];
        if (x->cuts) {
            cut_step(x->cuts, step, x->h->rstart[x->h->n]);
            if (round % SEPARATE_EVERY == SEPARATE_EVERY - 1)
                separate(x->cuts, x->h->rstart[x->h->n], x->threads);
        }
    }
    return best;
}

/* Whether every cost term is a whole number: then so is every layout's
 * cost, and a bound may be rounded up. */
static int integral_costs(const hstate *h)
{
    int i, p;
    for (i = 0; i < h->n; i++) {
        if (h->open_cost[i] != floor(h->open_cost[i]))
            return 0;
        for (p = h->kstart[i]; p < h->kstart[i + 1]; p++) {
            double c = h->w[i] * h->kdist[p];
            if (c != floor(c))
                return 0;
        }
    }
    return 1;
}

double heur_lagrange_bound(const hstate *h, double upper, int rounds, int threads)
{
    size_t n = (size_t)(h->n ? h->n : 1);
    size_t pairs = (size_t)(h->rstart[h->n] ? h->rstart[h->n] : 1);
    relax x;
    centre_key *keys = cp_malloc(n * sizeof *keys);
    double bound = NAN;
    memset(&x, 0, sizeof x);
    x.h = h;
    x.upper = upper;
    x.threads = threads > 0 ? threads : 1;
    x.lambda = cp_malloc(n * sizeof(double));
    x.value = cp_malloc(n * sizeof(double));
    x.g = cp_malloc(n * sizeof(double));
    x.chosen_end = cp_calloc(n, sizeof(int));
    x.open = cp_calloc(n, sizeof(int));
    x.buf = cp_malloc(pairs * sizeof(reduced));
    if (h->size_min >= 2)
        x.cuts = dual_cuts_new(h); /* none (out of memory): the plain bound, still valid */
    if (keys && x.lambda && x.value && x.g && x.chosen_end && x.open && x.buf)
        bound = ascend(&x, keys, rounds);
    dual_cuts_free(x.cuts);
    if (isfinite(bound) && integral_costs(h))
        bound = ceil(bound - 1e-6 * fmax(1.0, fabs(bound)));
    cp_free(keys);
    cp_free(x.lambda);
    cp_free(x.value);
    cp_free(x.g);
    cp_free(x.chosen_end);
    cp_free(x.open);
    cp_free(x.buf);
    return bound;
}
