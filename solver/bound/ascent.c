/*
 * ascent.c — coordinate ascent on the Lagrangian dual
 * (lagrange.c): one school's multiplier at a time, moved to the best value
 * along its own axis, the other multipliers and the cut prices fixed.
 *
 * Why: the subgradient steps move every multiplier at once and, near the
 * optimum, overshoot: the relaxed layout leaves some schools uncovered and
 * covers others twice.  Along one axis L is concave and piecewise linear,
 * and its breakpoints are known in closed form from each centre's best set
 * S (its largest reduced cost inside, its smallest outside):
 *   - an uncovered school's lambda rises until a centre takes it (an open
 *     centre lets it into S, a closed one opens with it, or it opens as a
 *     centre itself); L rises by the same amount;
 *   - a school covered c >= 2 times lowers its lambda until it is covered
 *     once; L rises by the sum of the c - 1 smallest exit points.
 * Every L(lambda) is a bound, and the caller values the final multipliers
 * afresh (lagrange.c), so the bound never rests on this file's bookkeeping.
 *
 * Work per school: its admissible centres (h->kcentre), plus
 * a full scan of each centre whose S or value it changes.
 * Parameters: SWEEPS (passes over the schools), MIN_GAIN (a pass gaining
 * less than this share of |L| ends the ascent).
 */
#include "ascent.h"
#include "cuts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define SWEEPS 4
#define MIN_GAIN 1e-6
#define EPS 1e-9

typedef struct {
    relax *x;
    int *tpair;                    /* per entry of h->kcentre: its pair */
    double *val, *maxin, *minout;  /* per centre: v_j, the largest r in S, the smallest outside */
    int *k, *minout_who, *cov;     /* |S_j|; who holds minout; per school: times covered */
    unsigned char *open, *chosen;  /* per centre; per pair: in S of its centre */
} ascent;

/* Each school's pairs in the order of its centre list h->kcentre (which
 * heur_state.c builds as this same transpose, centres ascending): tpair[q]
 * is the pair of kcentre[q]. */
static int pair_index(ascent *a)
{
    const hstate *h = a->x->h;
    int n = h->n, j, p;
    int *fill = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    a->tpair = cp_malloc((size_t)(h->rstart[n] ? h->rstart[n] : 1) * sizeof(int));
    if (!fill || !a->tpair) {
        cp_free(fill);
        return 0;
    }
    memcpy(fill, h->kstart, (size_t)n * sizeof(int));
    for (j = 0; j < n; j++)
        for (p = h->rstart[j]; p < h->rstart[j + 1]; p++)
            a->tpair[fill[h->rmember[p]]++] = p;
    cp_free(fill);
    return 1;
}

/* Member i's reduced cost in centre j's set (pair p). */
static double reduced(const relax *x, int i, int j, int p)
{
    return lagrange_reduced(x, i, p, x->cuts ? -x->cuts->centre_mu[j] : 0.0);
}

static void count_cover(ascent *a, int j, int by)
{
    const hstate *h = a->x->h;
    int p;
    if (!a->open[j])
        return;
    a->cov[j] += by;
    for (p = h->rstart[j]; p < h->rstart[j + 1]; p++)
        if (a->chosen[p])
            a->cov[h->rmember[p]] += by;
}

/* S_j and v_j afresh from every pair of j (the valuation's own, on a full
 * scan), with the breakpoints the ascent reads. */
static void recompute(ascent *a, int j)
{
    relax *x = a->x;
    const hstate *h = x->h;
    const lreduced *v = x->buf + h->rstart[j];
    int n = 0, q, p;
    count_cover(a, j, -1);
    for (p = h->rstart[j]; p < h->rstart[j + 1]; p++)
        a->chosen[p] = 0;
    a->val[j] = h->eligible[j] ? lagrange_centre_value(x, j, &n) : INFINITY;
    a->open[j] = 0;
    if (isinf(a->val[j]))
        return;
    a->k[j] = x->chosen_end[j];
    a->maxin[j] = -INFINITY;
    a->minout[j] = INFINITY;
    a->minout_who[j] = -1;
    for (q = 0; q < a->k[j]; q++) {
        a->chosen[v[q].p] = 1;
        a->maxin[j] = fmax(a->maxin[j], v[q].r);
    }
    for (q = a->k[j]; q < n; q++)
        if (v[q].r < a->minout[j]) {
            a->minout[j] = v[q].r;
            a->minout_who[j] = v[q].i;
        }
    a->open[j] = h->required[j] || a->val[j] < 0.0;
    count_cover(a, j, +1);
}

/* How far lambda_i may rise before centre j (pair p) covers i. */
static double cover_point(const ascent *a, int i, int j, int p)
{
    const hstate *h = a->x->h;
    double entry, te;
    if (a->chosen[p])
        te = 0.0;
    else if (h->size_max - 1 <= 0)
        return INFINITY;
    else {
        entry = a->k[j] < h->size_max - 1 ? fmax(a->maxin[j], 0.0) : a->maxin[j];
        te = fmax(reduced(a->x, i, j, p) - entry, 0.0);
    }
    return a->open[j] ? te : te + a->val[j];
}

static double raise(ascent *a, int i)
{
    const hstate *h = a->x->h;
    double t = h->eligible[i] && isfinite(a->val[i]) ? fmax(a->val[i], 0.0) : INFINITY;
    int q;
    for (q = h->kstart[i]; q < h->kstart[i + 1]; q++) {
        int j = h->kcentre[q];
        if (j != i && isfinite(a->val[j]))
            t = fmin(t, cover_point(a, i, j, a->tpair[q]));
    }
    if (!(t > EPS) || isinf(t))
        return 0.0;
    a->x->lambda[i] += t;
    recompute(a, i);
    for (q = h->kstart[i]; q < h->kstart[i + 1]; q++) {
        int j = h->kcentre[q], p = a->tpair[q];
        if (j != i && isfinite(a->val[j]) &&
            (a->chosen[p] || reduced(a->x, i, j, p) < a->minout[j] || cover_point(a, i, j, p) <= EPS))
            recompute(a, j);
    }
    return t;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* How far lambda_i may fall before centre j (pair p, covering i) stops
 * paying for it: i leaves S_j, or j's value reaches 0 and it closes. */
static double exit_point(const ascent *a, int i, int j, int p)
{
    const hstate *h = a->x->h;
    double q = fmin(a->minout[j], a->k[j] > h->size_min - 1 ? 0.0 : INFINITY);
    double e = fmax(q - reduced(a->x, i, j, p), 0.0);
    return h->required[j] ? e : fmin(e, fmax(-a->val[j], 0.0));
}

static double lower(ascent *a, int i, double *events)
{
    const hstate *h = a->x->h;
    int c = 0, q;
    double s, gain = 0.0;
    if (a->open[i])
        events[c++] = h->required[i] ? INFINITY : fmax(-a->val[i], 0.0);
    for (q = h->kstart[i]; q < h->kstart[i + 1]; q++)
        if (h->kcentre[q] != i && a->open[h->kcentre[q]] && a->chosen[a->tpair[q]])
            events[c++] = exit_point(a, i, h->kcentre[q], a->tpair[q]);
    if (c < 2)
        return 0.0;
    qsort(events, (size_t)c, sizeof *events, cmp_double);
    s = events[c - 2];
    if (!(s > EPS) || isinf(s))
        return 0.0;
    for (q = 0; q < c - 1; q++)
        gain += events[q];
    a->x->lambda[i] -= s;
    recompute(a, i);
    for (q = h->kstart[i]; q < h->kstart[i + 1]; q++) {
        int j = h->kcentre[q];
        if (j != i && (a->chosen[a->tpair[q]] || a->minout_who[j] == i))
            recompute(a, j);
    }
    return gain;
}

static double sweep(ascent *a, double *events)
{
    double gain = 0.0;
    int i;
    for (i = 0; i < a->x->h->n; i++) {
        if (a->cov[i] == 0)
            gain += raise(a, i);
        else if (a->cov[i] >= 2)
            gain += lower(a, i, events);
    }
    return gain;
}

static void free_ascent(ascent *a)
{
    cp_free(a->tpair);
    cp_free(a->val);
    cp_free(a->maxin);
    cp_free(a->minout);
    cp_free(a->k);
    cp_free(a->minout_who);
    cp_free(a->cov);
    cp_free(a->open);
    cp_free(a->chosen);
}

static int largest_degree(const int *start, int n)
{
    int i, d = 0;
    for (i = 0; i < n; i++)
        d = start[i + 1] - start[i] > d ? start[i + 1] - start[i] : d;
    return d;
}

int lagrange_coordinate_ascent(relax *x, double value)
{
    const hstate *h = x->h;
    size_t n = (size_t)(h->n ? h->n : 1), pairs = (size_t)(h->rstart[h->n] ? h->rstart[h->n] : 1);
    ascent a;
    double *events = NULL;
    int j, s, ok;
    if (h->count > 0)
        return 0; /* a fixed count couples the centres: not this closed form */
    memset(&a, 0, sizeof a);
    a.x = x;
    a.val = cp_malloc(n * sizeof(double));
    a.maxin = cp_malloc(n * sizeof(double));
    a.minout = cp_malloc(n * sizeof(double));
    a.k = cp_calloc(n, sizeof(int));
    a.minout_who = cp_malloc(n * sizeof(int));
    a.cov = cp_calloc(n, sizeof(int));
    a.open = cp_calloc(n, 1);
    a.chosen = cp_calloc(pairs, 1);
    ok = pair_index(&a) && a.val && a.maxin && a.minout && a.k && a.minout_who && a.cov && a.open && a.chosen;
    if (ok)
        events = cp_malloc(((size_t)largest_degree(h->kstart, h->n) + 1) * sizeof(double));
    ok = ok && events;
    x->full_scan = 1; /* the valuation reads every pair: exact breakpoints */
    for (j = 0; ok && j < h->n; j++) {
        if (x->cuts)
            lcuts_price_centre(x->cuts, j, 1); /* prices of the current mu */
        recompute(&a, j);
    }
    for (s = 0; ok && s < SWEEPS; s++)
        if (sweep(&a, events) <= MIN_GAIN * fmax(1.0, fabs(value)))
            break;
    cp_free(events);
    free_ascent(&a);
    return ok;
}
