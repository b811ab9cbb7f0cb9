/*
 * lagrange.c — a proven lower bound on the cost of a layout that places
 * every school of a problem: Lagrangian relaxation of the assignment rows
 * (sum_j x_ij = 1, multiplier lambda_i), maximised by subgradient steps.
 *
 * For fixed lambda the relaxation splits by centre: opening j is worth
 *   v_j = open_cost_j - cover_mu - lambda_j
 *         + min { sum_{i in S} (w_i d_ij - lambda_i) : S admissible to j, min-1 <= |S| <= max-1 }
 * (the smallest reduced costs: all negative ones, at least min-1, at most
 * max-1), and L(lambda) = sum_i lambda_i + cover_mu * cover_min + the best
 * choice of centres: every
 * required one, then those with v_j < 0, or with a fixed count the count
 * smallest.  Every L(lambda) is a valid bound.  With a capacity, a set
 * over it is solved again as a knapsack (knapsack.c), so the bound keeps
 * the rule that binds in capacitated parts.
 * Step: Polyak's rule towards the heuristic's cost (at least TARGET_MIN_GAP
 * above the best value), halving after a twentieth of the rounds (at least
 * 15) without progress.  Work: O(pairs) per round.
 *
 * The cover row: a layout that places all n schools opens at least
 * cover_min = ceil(n / size max) clusters.  Its multiplier cover_mu >= 0
 * takes the same steps and lowers every opening's price.  It matters
 * where an opening costs something (the annual cost objective's stipends):
 * there the dual would count n / size max clusters, a fraction, and the
 * row rounds it up.  Kenya by zones, annual cost, side by side: the same
 * layout, 1,247 of 1,279 zones proven against 1,245 (bench/RESULTS.md).
 *
 * The last multipliers are then polished by coordinate ascent
 * (ascent.c), one school's multiplier at a time.
 *
 * Relax-and-cut (cuts.c): with a size minimum of 2 or more, the
 * size-minimum cuts of the MILP are separated every SEPARATE_EVERY rounds
 * and dualised too.  Work per round: O(pairs + sum over cuts of |T|^2).
 *
 * Fixing (heur_lagrange_fixing): at the final multipliers, a pair whose
 * forced use would lift L above the layout's cost is in no better layout,
 * so the MILP that proves the part may leave it out.  Work: one more
 * valuation of every centre, with its pairs sorted.
 */
#include "bound.h"
#include "ascent.h"
#include "cuts.h"
#include "knapsack.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Theta halves after rounds / STALL_SHARE rounds without progress, at
 * least STALL_MIN: the schedule stretches with the rounds asked for.
 * Machakos (1,006 schools), 3,000 rounds: patience 150 -> 947.60, 100 ->
 * 947.45, 15 -> 945.17 (it stops once theta is tiny). */
#define STALL_SHARE 20
#define STALL_MIN 15
/* Polyak's target is the layout's cost, but at least this share above the
 * best value so far: with a layout close to the bound the steps would
 * shrink before the multipliers settle.  Kenya national (layout 23,802):
 * bound 23,392.5 -> 23,443.3; zones 31,584.0 -> 31,591.3; Machakos
 * 944.83 -> 944.78 (0.02 and 0.03 give the same within 2). */
#define TARGET_MIN_GAP 0.025
/* The separator's sets (the MILP takes 40).  Smaller sets make fewer,
 * looser cuts whose multipliers settle sooner, which pays where the rounds
 * run short: a problem of at least LARGE_FROM schools with fewer than
 * LONG_FROM_ROUNDS rounds.  At 300 rounds sets of 8 give Kenya national
 * 23,473.3 against 23,456.5 with 12 (Machakos 945.89 against 944.93,
 * Kisii 453.12 against 452.98); past about 1,000 rounds the larger sets
 * win (Machakos, 3,000 rounds: 947.39 against 947.66), and on the Kenya
 * zones' small parts, which converge within 300 rounds, sets of 8 cost
 * 44 (31,549.8 against 31,593.7). */
#define CUT_SET_SIZE 12
#define CUT_SET_SIZE_SHORT 8
#define LARGE_FROM 1000
#define LONG_FROM_ROUNDS 1000
/* A problem of at most auto_milp_columns admissible pairs (the size auto hands
 * the MILP) gets SMALL_ROUNDS times the rounds: its rounds are cheap, and
 * 300 leave its bound short.  Side by side: Kenya zones (1,279 parts of at
 * most 128 schools) 31,593.3 in 4.9 s (9.2 s on 1 thread) -> 31,659.6 in
 * 6.8 s (13.2 s), 2x 31,644.9 in 6.0 s, 5x 31,670.5 in 10.9 s; Kenya
 * national's small parts, beside the large one: 23,500.2 -> 23,507.2
 * (76 -> 82 parts proven), no time visible.  Counted in pairs, not
 * schools: 3x on every problem under 1,000 schools gave pmed a median of
 * 0.73 s and pmed16 (800 nodes, 640,000 pairs) 4.1 s; counting pairs,
 * 0.58 s and 3.3 s. */
#define SMALL_ROUNDS 3
#define SEPARATE_EVERY 10   /* rounds between separations */
#define FULL_SCAN_EVERY 10  /* rounds between valuations that read every pair */

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
    lagrange_chunk(x, k, &lo, &hi);
    for (j = lo; j < hi; j++) {
        if (x->cuts)
            lcuts_price_centre(x->cuts, j, x->full_scan);
        x->value[j] = x->h->eligible[j] ? lagrange_centre_value(x, j, NULL) : INFINITY;
    }
}

static double evaluate(relax *x, centre_key *keys)
{
    const hstate *h = x->h;
    double sum = 0.0;
    int i;
    if (x->cuts)
        sum += lcuts_constant(x->cuts);
    sum += x->cover_mu * x->cover_min;
    for (i = 0; i < h->n; i++)
        sum += x->lambda[i];
    cp_parallel_for(LAGRANGE_CHUNKS, x->threads, value_chunk, x);
    return sum + choose_centres(x, keys);
}

/* Subgradient g_i = 1 - times i is covered, and the cover row's
 * cover_min - centres opened (x->g_cover); returns its squared norm. */
static double subgradient(relax *x)
{
    const hstate *h = x->h;
    double norm = 0.0;
    int i, j, p, opened = 0;
    for (i = 0; i < h->n; i++)
        x->g[i] = 1.0;
    for (j = 0; j < h->n; j++) {
        if (!x->open[j])
            continue;
        x->g[j] -= 1.0;
        opened++;
        for (p = 0; p < x->chosen_end[j]; p++)
            x->g[x->buf[h->rstart[j] + p].i] -= 1.0;
    }
    for (i = 0; i < h->n; i++)
        norm += x->g[i] * x->g[i];
    x->g_cover = x->cover_min > 0 ? (double)(x->cover_min - opened) : 0.0;
    /* at cover_mu = 0 a row with slack takes no step: it is not in the norm */
    if (x->cover_mu > 0.0 || x->g_cover > 0.0)
        norm += x->g_cover * x->g_cover;
    return norm;
}

/* The ascent starts from the layout the bound is for: each school's
 * multiplier is an equal share of its cluster's cost, so the multipliers
 * sum to the layout's cost and no cluster of the layout has a positive
 * value.  A school the layout left out starts at its cheapest pair.  On
 * Kenya national this first round is worth 12,908 on the large part, where
 * the cheapest pairs gave -7,133 (a school's own centre then pays nothing
 * and is worth its multiplier), and the bound after 300 rounds is 19 higher
 * (bench/RESULTS.md). */
static void initial_multipliers(relax *x)
{
    const hstate *h = x->h;
    int i, p;
    for (i = 0; i < h->n; i++)
        if (h->centre[i] == i)
            x->lambda[i] = heur_cluster_cost(h, i) / h->size[i];
    for (i = 0; i < h->n; i++) {
        if (h->centre[i] >= 0) {
            x->lambda[i] = x->lambda[h->centre[i]];
            continue;
        }
        x->lambda[i] = INFINITY;
        for (p = h->kstart[i]; p < h->kstart[i + 1]; p++)
            if (h->kcentre[p] != i)
                x->lambda[i] = fmin(x->lambda[i], h->w[i] * h->kdist[p]);
        if (isinf(x->lambda[i]))
            x->lambda[i] = 0.0;
    }
}

/* g_i <= 1, so a step raises no lambda by more than the step: every cap
 * rises by that much, and a full scan every FULL_SCAN_EVERY rounds (or
 * after a step down, which no cap follows) makes them tight again. */
static void raise_caps(relax *x, double step, int round)
{
    int j;
    x->full_scan = step < 0.0 || round % FULL_SCAN_EVERY == FULL_SCAN_EVERY - 1;
    for (j = 0; !x->full_scan && j < x->h->n; j++)
        x->lambda_cap[j] += step;
}

/* The multipliers of the best round so far, for the fixing (when asked). */
static void remember_best(relax *x)
{
    if (!x->best_lambda)
        return;
    memcpy(x->best_lambda, x->lambda, (size_t)x->h->n * sizeof(double));
    x->best_cover_mu = x->cover_mu;
    if (x->cuts && x->best_mu) {
        memcpy(x->best_mu, x->cuts->mu, (size_t)x->cuts->n * sizeof(double));
        x->best_cuts = x->cuts->n;
    }
}

/* Coordinate ascent from the last multipliers (ascent.c), valued
 * afresh: the better of that and the best round stands. */
static double polish(relax *x, centre_key *keys, double best)
{
    double value;
    if (!lagrange_coordinate_ascent(x, best))
        return best;
    x->full_scan = 1;
    value = evaluate(x, keys);
    if (!isnan(value) && value > best)
        remember_best(x);
    return isnan(value) ? best : fmax(best, value);
}

static double ascend(relax *x, centre_key *keys, int rounds)
{
    int patience = rounds / STALL_SHARE > STALL_MIN ? rounds / STALL_SHARE : STALL_MIN;
    double best = -INFINITY, theta = 2.0;
    int round, stall = 0, i;
    initial_multipliers(x);
    x->full_scan = 1;
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
            remember_best(x);
        } else if (++stall >= patience) {
            theta /= 2;
            stall = 0;
        }
        norm = subgradient(x);
        if (x->cuts) {
            lcuts_record(x);
            norm += lcuts_subgradient(x);
        }
        if (norm == 0.0 || cp_bound_meets(best, x->upper))
            break; /* the relaxed layout is feasible: value is optimal */
        step = theta * (fmax(x->upper, best + TARGET_MIN_GAP * fabs(best)) - value) / norm;
        for (i = 0; i < x->h->n; i++)
            x->lambda[i] += step * x->g[i];
        x->cover_mu = fmax(0.0, x->cover_mu + step * x->g_cover);
        raise_caps(x, step, round);
        if (x->cuts) {
            lcuts_step(x->cuts, step);
            if (round % SEPARATE_EVERY == SEPARATE_EVERY - 1)
                lcuts_separate(x->cuts, x->threads);
        }
    }
    /* past the deadline the best round stands: the polish values every centre twice */
    /* the ascent's breakpoints are those of the plain sets: none with a capacity */
    return x->h->sc->solver.lagrange_ascent && !x->knap[0] && !heur_should_stop(x->h)
               ? polish(x, keys, best)
               : best;
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

/* Every school pays one term: its opening cost as a centre or its weighted
 * distance to a centre; the sum of each school's cheapest is a bound too.
 * It stands in when the ascent was cut short by the deadline after a round
 * or two, whose values can lie far below it (even below 0). */
static double cheapest_terms(const hstate *h)
{
    double sum = 0.0;
    int i, p;
    for (i = 0; i < h->n; i++) {
        double least = h->eligible[i] ? h->open_cost[i] : INFINITY;
        for (p = h->kstart[i]; p < h->kstart[i + 1]; p++)
            if (h->kcentre[p] != i)
                least = fmin(least, h->w[i] * h->kdist[p]);
        sum += least;
    }
    return sum;
}

static double smallest_weight(const hstate *h)
{
    double w = INFINITY;
    int i;
    for (i = 0; i < h->n; i++)
        w = fmin(w, h->w[i]);
    return w > 0.0 && isfinite(w) ? w : 0.0;
}

static int cut_set_size(const hstate *h, int rounds)
{
    return h->n >= LARGE_FROM && rounds < LONG_FROM_ROUNDS ? CUT_SET_SIZE_SHORT : CUT_SET_SIZE;
}

/* ------------------------------------------------------------- fixing */

/* L less centre j's share, with j forced open: its own value leaves L
 * when j is open in the relaxation; with a fixed count, a closed j takes
 * the place of the open centre of largest value that is not required
 * (INFINITY when every open centre is required). */
static double without_centre(const relax *x, double L, int j, double worst_open)
{
    if (x->open[j])
        return L - x->value[j];
    if (x->h->count > 0)
        return isinf(worst_open) ? INFINITY : L - worst_open;
    return L;
}

static int cmp_double(const void *a, const void *b)
{
    double p = *(const double *)a, q = *(const double *)b;
    return (p > q) - (p < q);
}

/* Without a capacity: the least sum of the other members of a set that
 * holds one given member, from j's reduced costs sorted (the given one may
 * count twice: a relaxation).  Sets hold size min - 2 .. size max - 2
 * others. */
static double others_plain(const hstate *h, double *sorted, int n)
{
    int lo = h->size_min - 2 > 0 ? h->size_min - 2 : 0, hi = h->size_max - 2, c;
    double sum = 0.0, best = INFINITY;
    if (lo > n)
        return INFINITY;
    for (c = 0; c <= hi && c <= n; c++) {
        if (c >= lo)
            best = fmin(best, sum);
        if (c < n)
            sum += sorted[c];
    }
    return best;
}

typedef struct {
    relax *x;
    double L, upper, worst_open, slack;
    unsigned char *keep;   /* per pair, by centre (h->rstart order) */
    double *sorted;        /* per pair: scratch */
} fixing;

/* Whether a forced value lifts L past every layout better than `upper`. */
static int beyond(const fixing *f, double forced)
{
    return forced > f->upper - f->slack;
}

static void fix_centre(fixing *f, int j)
{
    relax *x = f->x;
    const hstate *h = x->h;
    lreduced *v = x->buf + h->rstart[j];
    double centre_price = x->cuts ? -x->cuts->centre_mu[j] : 0.0, rest = 0.0, base, L0, value;
    int n = 0, q, full = x->full_scan;
    x->full_scan = 1;
    x->knap_always = 1;
    value = h->eligible[j] ? lagrange_centre_value(x, j, &n) : INFINITY;
    x->knap_always = 0;
    x->full_scan = full;
    L0 = without_centre(x, f->L, j, f->worst_open);
    for (q = h->rstart[j]; q < h->rstart[j + 1]; q++)
        f->keep[q] = 1;
    if (isinf(value) || isinf(L0) || beyond(f, L0 + value)) {
        for (q = h->rstart[j]; q < h->rstart[j + 1]; q++)
            f->keep[q] = 0;
        return; /* j heads no better layout: none of its pairs is needed, its own neither */
    }
    base = lagrange_open_price(x, j) - x->lambda[j] - centre_price;
    if (!x->knap[0]) {
        double *sorted = f->sorted + h->rstart[j];
        for (q = 0; q < n; q++)
            sorted[q] = v[q].r;
        qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
        rest = others_plain(h, sorted, n);
    }
    for (q = 0; q < n; q++) {
        int i = v[q].i;
        double others = x->knap[0] ? lknap_with_member(x->knap[lagrange_chunk_of(x, j)], h->teachers[i])
                                   : rest;
        if (isnan(others))
            continue; /* the knapsack declined: keep the pair */
        if (isinf(others) || beyond(f, L0 + base + v[q].r + others))
            f->keep[v[q].p] = 0;
    }
}

static void fix_chunk(int k, void *arg)
{
    fixing *f = arg;
    int lo, hi, j;
    lagrange_chunk(f->x, k, &lo, &hi);
    for (j = lo; j < hi; j++)
        fix_centre(f, j);
}

/* The largest value of an open centre that is not required. */
static double worst_open_centre(const relax *x)
{
    double worst = -INFINITY;
    int j;
    for (j = 0; j < x->h->n; j++)
        if (x->open[j] && !x->h->required[j])
            worst = fmax(worst, x->value[j]);
    return isinf(worst) ? INFINITY : worst;
}

/* Keeps, per pair in each member's order (h->kcentre), the pairs that a
 * layout cheaper than `upper` may use, and every pair of the layout itself;
 * x holds the last valuation, worth L.  A centre that heads no better
 * layout keeps no pair, its own included.  Returns how many are kept. */
static long fix_pairs(relax *x, double L, double upper, int integral, unsigned char *keep_k)
{
    const hstate *h = x->h;
    long pairs = h->rstart[h->n], kept = 0, q;
    fixing f;
    int *fill = cp_malloc((size_t)(h->n ? h->n : 1) * sizeof(int)), j, p;
    memset(&f, 0, sizeof f);
    f.x = x;
    f.L = L;
    f.upper = upper;
    /* integral costs: a better layout costs at least 1 less */
    f.slack = (integral ? 1.0 : 0.0) - 1e-9 * fmax(1.0, fabs(upper));
    f.worst_open = worst_open_centre(x);
    f.keep = cp_malloc((size_t)(pairs ? pairs : 1));
    f.sorted = x->knap[0] ? NULL : cp_malloc((size_t)(pairs ? pairs : 1) * sizeof(double));
    if (!fill || !f.keep || (!x->knap[0] && !f.sorted)) {
        cp_free(fill);
        cp_free(f.keep);
        cp_free(f.sorted);
        memset(keep_k, 1, (size_t)pairs);
        return pairs;
    }
    cp_parallel_for(LAGRANGE_CHUNKS, x->threads, fix_chunk, &f);
    memcpy(fill, h->kstart, (size_t)h->n * sizeof(int));
    for (j = 0; j < h->n; j++)
        for (p = h->rstart[j]; p < h->rstart[j + 1]; p++) {
            int i = h->rmember[p];
            keep_k[fill[i]++] = (unsigned char)(f.keep[p] || h->centre[i] == j);
        }
    for (q = 0; q < pairs; q++)
        kept += keep_k[q];
    cp_free(fill);
    cp_free(f.keep);
    cp_free(f.sorted);
    return kept;
}

static int setup(relax *x, const hstate *h, double upper, int threads)
{
    size_t n = (size_t)(h->n ? h->n : 1);
    size_t pairs = (size_t)(h->rstart[h->n] ? h->rstart[h->n] : 1);
    int k;
    memset(x, 0, sizeof *x);
    x->h = h;
    x->upper = upper;
    /* with a fixed count choose_centres opens exactly that many */
    x->cover_min = h->count == 0 && h->size_max > 0 ? (h->n + h->size_max - 1) / h->size_max : 0;
    x->threads = threads > 0 ? threads : 1;
    x->lambda = cp_malloc(n * sizeof(double));
    x->value = cp_malloc(n * sizeof(double));
    x->g = cp_malloc(n * sizeof(double));
    x->chosen_end = cp_calloc(n, sizeof(int));
    x->open = cp_calloc(n, sizeof(int));
    x->buf = cp_malloc(pairs * sizeof(lreduced));
    x->lambda_cap = cp_malloc(n * sizeof(double));
    x->w_min = smallest_weight(h);
    for (k = 0; isfinite(h->capacity) && k < LAGRANGE_CHUNKS; k++)
        if (!(x->knap[k] = lknap_new(h)))
            return 0;
    return x->lambda && x->value && x->g && x->chosen_end && x->open && x->buf && x->lambda_cap;
}

static void release(relax *x)
{
    int k;
    lcuts_free(x->cuts);
    for (k = 0; k < LAGRANGE_CHUNKS; k++)
        lknap_free(x->knap[k]);
    cp_free(x->lambda);
    cp_free(x->value);
    cp_free(x->g);
    cp_free(x->chosen_end);
    cp_free(x->open);
    cp_free(x->buf);
    cp_free(x->lambda_cap);
    cp_free(x->best_lambda);
    cp_free(x->best_mu);
}

/* The best round's multipliers back, valued afresh with every pair read:
 * the state the fixing reads.  Returns that value (NAN: not kept). */
static double revalue_best(relax *x, centre_key *keys)
{
    int k;
    if (!x->best_lambda)
        return NAN;
    memcpy(x->lambda, x->best_lambda, (size_t)x->h->n * sizeof(double));
    x->cover_mu = x->best_cover_mu;
    for (k = 0; x->cuts && k < x->cuts->n; k++)
        x->cuts->mu[k] = k < x->best_cuts ? x->best_mu[k] : 0.0;
    x->full_scan = 1;
    return evaluate(x, keys);
}

double heur_lagrange_bound(const hstate *h, double upper, int rounds, int threads,
                           unsigned char *keep, long *kept, double *multipliers)
{
    size_t pairs = (size_t)(h->rstart[h->n] ? h->rstart[h->n] : 1);
    relax x;
    centre_key *keys = cp_malloc((size_t)(h->n ? h->n : 1) * sizeof *keys);
    double bound = NAN;
    int k, integral = integral_costs(h), ok = setup(&x, h, upper, threads);
    if (kept)
        *kept = -1; /* no fixing */
    if ((long)pairs <= h->sc->solver.auto_milp_columns)
        rounds *= SMALL_ROUNDS;
    if (h->size_min >= 2) /* none (out of memory): the plain bound, still valid */
        x.cuts = lcuts_new(h, cut_set_size(h, rounds));
    if (keep || multipliers)
        x.best_lambda = cp_malloc((size_t)(h->n ? h->n : 1) * sizeof(double));
    if (keep)
        x.best_mu = x.cuts ? cp_malloc((size_t)x.cuts->cap * sizeof(double)) : NULL;
    if (keys && ok)
        bound = ascend(&x, keys, rounds);
    if (!isnan(bound))
        bound = fmax(bound, cheapest_terms(h));
    if (isfinite(bound) && integral)
        bound = ceil(bound - 1e-6 * fmax(1.0, fabs(bound)));
    if (keep && isfinite(bound) && bound < upper && !heur_should_stop(h) &&
        (!x.cuts || x.best_mu)) {
        double L = revalue_best(&x, keys);
        if (isfinite(L))
            *kept = fix_pairs(&x, L, upper, integral, keep);
    }
    if (multipliers)
        for (k = 0; k < h->n; k++)
            multipliers[k] = isfinite(bound) && x.best_lambda ? x.best_lambda[k] : NAN;
    release(&x);
    cp_free(keys);
    return bound;
}
