/*
 * heur_interchange.c — centre interchange for problems whose cluster sizes
 * and capacity never bind (the p-median family: size 1..n, no capacity).
 * A layout is then just its set of open centres, every school joining the
 * nearest one it may reach, so the search moves centres only:
 *
 *   swap  f in, r out: Whitaker's fast interchange.  With c1(i), c2(i) the
 *         costs of i's nearest and second-nearest open centres,
 *           delta(f, r) = G(f) + L(r) + A_f(r) + open(f) - open(r)
 *         G(f) the gain of f alone, L(r) the loss of closing r alone, and
 *         A_f(r) a correction over the schools f can serve whose nearest is
 *         r (Hansen & Mladenovic 1997).  One pass over f's admissible
 *         schools plus one over the open centres: O(pairs + n p) per sweep;
 *   add / drop (free count only), from the same G and L.
 * On top, variable neighbourhood search: shake by k random swaps (k grows
 * while nothing improves, back to 1 after an improvement), descend, keep
 * the better.  A school that reaches no open centre costs OUT_OF_REACH
 * more than any layout that places it (the lexicographic rule).
 * Parameters: KMAX (largest shake), NEAR_SHAKE (neighbours a local shake
 * picks from).
 */
#include "heur.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KMAX 5
#define NEAR_SHAKE 10

typedef struct {
    hstate *h;
    unsigned char *open;
    int *c1, *c2;           /* nearest, second-nearest open centre or -1 */
    double *cost1, *cost2;  /* their costs (out_of_reach when none) */
    double *loss;           /* L(r) per open centre */
    double *adj;            /* A_f(r), scratch */
    unsigned char *marked;  /* r listed in touched */
    int *touched, n_touched;
    int n_open;
    double out_of_reach;
    double total;           /* sum of cost1 + open costs */
} ix;

int heur_uncapacitated(const hstate *h)
{
    return h->size_min <= 1 && h->size_max >= h->n && isinf(h->capacity);
}

/* Nearest and second-nearest open centres of i: a scan of its admissible
 * centres by distance, stopping at the second open one. */
static void nearest_two(ix *x, int i)
{
    const hstate *h = x->h;
    int g = h->schools[i], p, found = 0;
    x->c1[i] = x->c2[i] = -1;
    x->cost1[i] = x->cost2[i] = x->out_of_reach;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1] && found < 2; p++) {
        int c = heur_local(h, h->cand->centre[p]);
        if (c < 0 || !x->open[c])
            continue;
        if (found++ == 0) {
            x->c1[i] = c;
            x->cost1[i] = h->w[i] * h->cand->dist[p];
        } else {
            x->c2[i] = c;
            x->cost2[i] = h->w[i] * h->cand->dist[p];
        }
    }
}

static void recompute_all(ix *x)
{
    int i;
    x->total = 0.0;
    for (i = 0; i < x->h->n; i++)
        x->loss[i] = 0.0;
    for (i = 0; i < x->h->n; i++) {
        nearest_two(x, i);
        x->total += x->cost1[i] + (x->open[i] ? x->h->open_cost[i] : 0.0);
        if (x->c1[i] >= 0)
            x->loss[x->c1[i]] += x->cost2[i] - x->cost1[i];
    }
}

/* Updates the schools f or r can serve after f opened / r closed. */
static void refresh_around(ix *x, int c)
{
    const hstate *h = x->h;
    int p;
    for (p = h->rstart[c]; p < h->rstart[c + 1]; p++) {
        int i = h->rmember[p];
        if (x->c1[i] >= 0)
            x->loss[x->c1[i]] -= x->cost2[i] - x->cost1[i];
        x->total -= x->cost1[i];
        nearest_two(x, i);
        x->total += x->cost1[i];
        if (x->c1[i] >= 0)
            x->loss[x->c1[i]] += x->cost2[i] - x->cost1[i];
    }
}

static void set_open(ix *x, int c, int open)
{
    x->open[c] = (unsigned char)open;
    x->n_open += open ? 1 : -1;
    x->total += (open ? 1 : -1) * x->h->open_cost[c];
    refresh_around(x, c);
}

/* G(f) and the corrections A_f(r) (in adj, listed in touched). */
static double gain_of(ix *x, int f)
{
    const hstate *h = x->h;
    double gain = 0.0;
    int p;
    x->n_touched = 0;
    for (p = h->rstart[f]; p < h->rstart[f + 1]; p++) {
        int i = h->rmember[p], r = x->c1[i];
        double cf = h->w[i] * h->rdist[p], corr;
        if (cf < x->cost1[i])
            gain += cf - x->cost1[i];
        if (r < 0 || cf >= x->cost2[i])
            continue;
        corr = cf < x->cost1[i] ? x->cost1[i] - x->cost2[i] : cf - x->cost2[i];
        if (!x->marked[r]) {
            x->marked[r] = 1;
            x->touched[x->n_touched++] = r;
        }
        x->adj[r] += corr;
    }
    return gain;
}

static void clear_adj(ix *x)
{
    int k;
    for (k = 0; k < x->n_touched; k++) {
        x->adj[x->touched[k]] = 0.0;
        x->marked[x->touched[k]] = 0;
    }
}

/* Best removal r for insertion f (delta into *best); -1 = none. */
static int best_removal(ix *x, int f, double gain, double *best)
{
    const hstate *h = x->h;
    int r, chosen = -1;
    *best = INFINITY;
    for (r = 0; r < h->n; r++) {
        double delta;
        if (!x->open[r] || h->required[r])
            continue;
        delta = gain + x->loss[r] + x->adj[r] + h->open_cost[f] - h->open_cost[r];
        if (delta < *best) {
            *best = delta;
            chosen = r;
        }
    }
    return chosen;
}

static double tolerance(const ix *x)
{
    return HEUR_EPS * fmax(1.0, fabs(x->total));
}

/* Tries every move around insertion f; applies the best improving one. */
static int improve_with(ix *x, int f)
{
    double gain = gain_of(x, f), swap_delta, add_delta = INFINITY;
    int r = best_removal(x, f, gain, &swap_delta);
    clear_adj(x);
    if (x->h->count == 0)
        add_delta = gain + x->h->open_cost[f];
    if (add_delta < -tolerance(x) && add_delta <= swap_delta) {
        set_open(x, f, 1);
        return 1;
    }
    if (r >= 0 && swap_delta < -tolerance(x)) {
        set_open(x, f, 1);
        set_open(x, r, 0);
        return 1;
    }
    return 0;
}

static int improve_by_drop(ix *x)
{
    const hstate *h = x->h;
    int r;
    for (r = 0; h->count == 0 && r < h->n; r++)
        if (x->open[r] && !h->required[r] && x->n_open > 1 &&
            x->loss[r] - h->open_cost[r] < -tolerance(x)) {
            set_open(x, r, 0);
            return 1;
        }
    return 0;
}

/* Sweeps until no insertion, swap or drop improves: a local optimum. */
static void descend(ix *x)
{
    int improved = 1, f;
    while (improved) {
        improved = improve_by_drop(x);
        for (f = 0; f < x->h->n; f++)
            if (x->h->eligible[f] && !x->open[f])
                improved |= improve_with(x, f);
    }
}

/* A random open centre that may close, and a random closed eligible school. */
static int random_pick(ix *x, int want_open)
{
    hstate *h = x->h;
    int tries;
    for (tries = 0; tries < 4 * h->n; tries++) {
        int c = heur_random_below(h, h->n);
        if (h->eligible[c] && x->open[c] == want_open && !(want_open && h->required[c]))
            return c;
    }
    return -1;
}

/* A random closed eligible school among the NEAR_SHAKE nearest to r, or
 * -1 when there is none. */
static int near_pick(ix *x, int r)
{
    hstate *h = x->h;
    int g = h->schools[r], p, found = 0, pick = -1;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1] && found < NEAR_SHAKE; p++) {
        int c = heur_local(h, h->cand->centre[p]);
        if (c >= 0 && h->eligible[c] && !x->open[c] && heur_random_below(h, ++found) == 0)
            pick = c; /* reservoir sampling: each of them equally likely */
    }
    return pick;
}

/* k swaps: a random open centre out, and in its place a random closed
 * school, half the time one of its near neighbours (a move the descent
 * rarely reaches when every nearby swap alone is uphill). */
static void shake(ix *x, int k)
{
    int s;
    for (s = 0; s < k; s++) {
        int r = random_pick(x, 1), f = -1;
        if (r >= 0 && heur_random_below(x->h, 2) == 0)
            f = near_pick(x, r);
        if (f < 0)
            f = random_pick(x, 0);
        if (r < 0 || f < 0)
            return;
        set_open(x, f, 1);
        set_open(x, r, 0);
    }
}

static void restore(ix *x, const unsigned char *open)
{
    int i;
    memcpy(x->open, open, (size_t)x->h->n);
    for (i = 0, x->n_open = 0; i < x->h->n; i++)
        x->n_open += open[i];
    recompute_all(x);
}

static void search(ix *x, unsigned char *best_open, long steps)
{
    double best;
    long step;
    int k = 1;
    descend(x);
    best = x->total;
    memcpy(best_open, x->open, (size_t)x->h->n);
    for (step = 0; step < steps && !heur_should_stop(x->h); step++) {
        shake(x, k);
        descend(x);
        if (x->total < best - tolerance(x)) {
            best = x->total;
            memcpy(best_open, x->open, (size_t)x->h->n);
            k = 1;
        } else if (x->total <= best + tolerance(x)) {
            memcpy(best_open, x->open, (size_t)x->h->n); /* as good: move on along the plateau */
            k = k % KMAX + 1;
        } else {
            restore(x, best_open);
            k = k % KMAX + 1;
        }
    }
    restore(x, best_open);
}

/* Writes the centre set into h's layout: each school to its nearest. */
static cp_code write_layout(ix *x)
{
    hstate *h = x->h;
    int i;
    for (i = 0; i < h->n; i++)
        if (h->centre[i] >= 0 && h->centre[i] != i && !heur_unassign(h, i))
            return CP_ERESOURCE;
    for (i = 0; i < h->n; i++)
        if (h->centre[i] == i && !heur_close(h, i))
            return CP_ERESOURCE;
    for (i = 0; i < h->n; i++)
        if (x->open[i] && !heur_open(h, i))
            return CP_ERESOURCE;
    for (i = 0; i < h->n; i++)
        if (!x->open[i] && x->c1[i] >= 0 && !heur_assign(h, i, x->c1[i], heur_pair(h, i, x->c1[i])))
            return CP_ERESOURCE;
    return CP_OK;
}

static double out_of_reach_cost(const hstate *h)
{
    double total = 1.0;
    int i, p;
    for (i = 0; i < h->n; i++) {
        total += fabs(h->open_cost[i]);
        for (p = h->kstart[i]; p < h->kstart[i + 1]; p++)
            total += h->w[i] * h->kdist[p] / (h->kstart[i + 1] - h->kstart[i]);
    }
    return total * h->n;
}

cp_code heur_interchange(hstate *h, long steps)
{
    size_t n = (size_t)(h->n ? h->n : 1);
    ix x;
    unsigned char *best_open = cp_malloc(n);
    cp_code rc = CP_ERESOURCE;
    int i;
    memset(&x, 0, sizeof x);
    x.h = h;
    x.open = cp_calloc(n, 1);
    x.c1 = cp_malloc(n * sizeof(int));
    x.c2 = cp_malloc(n * sizeof(int));
    x.cost1 = cp_malloc(n * sizeof(double));
    x.cost2 = cp_malloc(n * sizeof(double));
    x.loss = cp_calloc(n, sizeof(double));
    x.adj = cp_calloc(n, sizeof(double));
    x.marked = cp_calloc(n, 1);
    x.touched = cp_malloc(n * sizeof(int));
    if (best_open && x.open && x.c1 && x.c2 && x.cost1 && x.cost2 && x.loss && x.adj &&
        x.marked && x.touched) {
        x.out_of_reach = out_of_reach_cost(h);
        for (i = 0; i < h->n; i++)
            if (h->centre[i] == i) {
                x.open[i] = 1;
                x.n_open++;
            }
        recompute_all(&x);
        search(&x, best_open, steps);
        rc = write_layout(&x);
    }
    cp_free(best_open);
    cp_free(x.open);
    cp_free(x.c1);
    cp_free(x.c2);
    cp_free(x.cost1);
    cp_free(x.cost2);
    cp_free(x.loss);
    cp_free(x.adj);
    cp_free(x.marked);
    cp_free(x.touched);
    return rc;
}
