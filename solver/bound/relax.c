/*
 * relax.c — one centre's Lagrangian subproblem and its helpers: the value
 * v_j of opening centre j under the current multipliers, with the best set
 * S of members (lagrange.c states the relaxation), a quickselect, and the
 * fixed chunks of centres that the rounds value side by side.
 *
 * Work: lagrange_centre_value reads j's pairs in order of distance and,
 * when pruning, stops once no further pair can enter S, so a round visits
 * far fewer than all pairs; every FULL_SCAN_EVERY rounds (lagrange.c) it
 * reads them all to refresh the caps that make the pruning valid.
 * With a capacity, a set S over it is solved again as a knapsack
 * (knapsack.c); the pruned scan keeps every negative reduced cost and the
 * size min - 1 smallest others, all the knapsack's items.
 */
#include "knapsack.h"

#include <math.h>

/* Quickselect, ties by index. */
static int less(const lreduced *a, const lreduced *b)
{
    return a->r < b->r || (a->r == b->r && a->i < b->i);
}

void lagrange_smallest_first(lreduced *v, int n, int k)
{
    int lo = 0, hi = n - 1;
    while (lo < hi && k > 0 && k < n) {
        lreduced pivot = v[lo + (hi - lo) / 2], t;
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

#define PRUNE_MIN_MAX 16 /* pruning keeps size min - 1 values: up to this many */

/* The m smallest values seen so far, ascending (m = size min - 1); *seen
 * counts them, up to m. */
static void keep_smallest(double *top, int m, int *seen, double r)
{
    int k;
    if (m == 0)
        return;
    if (*seen < m)
        k = (*seen)++;
    else if (r >= top[m - 1])
        return;
    else
        k = m - 1;
    while (k > 0 && top[k - 1] > r) {
        top[k] = top[k - 1];
        k--;
    }
    top[k] = r;
}

/* Whether no pair after this one can enter S: its reduced cost is at
 * least `floor` (> 0, so it is not negative) and more than the m smallest
 * already seen. */
static int nothing_further(const double *top, int m, int seen, double floor)
{
    return floor > 0.0 && (m == 0 || (seen >= m && floor > top[m - 1]));
}

/* Whether centre j with the set v[0..k) holds more teachers than the
 * capacity allows. */
static int over_capacity(const hstate *h, int j, const lreduced *v, int k)
{
    double load = h->teachers[j];
    int q;
    for (q = 0; q < k; q++)
        load += h->teachers[v[q].i];
    return load > h->capacity;
}

/* v_j and the size of its best S (left in buf's front); INFINITY when j
 * cannot reach the minimum.  j's pairs come by distance, and a member's
 * reduced cost is at least  w_min d - cap_j + centre price  (cap_j >= every
 * member's lambda, cut prices inside a set >= 0): the scan stops once that
 * floor rules out every further pair (typically a few km into a 10 km
 * reach).  On a full scan (x->full_scan) it reads every pair and sets cap_j. */
double lagrange_centre_value(relax *x, int j, int *scanned)
{
    const hstate *h = x->h;
    lreduced *v = x->buf + h->rstart[j];
    int n = 0, p, negative = 0, k, m = h->size_min - 1, seen = 0;
    /* a cut holding j prices x_jj at +mu and each pair into j at -mu,
     * except pairs from inside its set (relax.h) */
    double centre_price = x->cuts ? -x->cuts->centre_mu[j] : 0.0, sum = -centre_price;
    double cap = x->lambda_cap[j], top[PRUNE_MIN_MAX], largest = -INFINITY;
    int prune = h->sc->solver.lagrange_prune && !x->full_scan && m <= PRUNE_MIN_MAX;
    for (p = h->rstart[j]; p < h->rstart[j + 1]; p++) {
        int i = h->rmember[p];
        if (i == j)
            continue;
        if (prune && nothing_further(top, m, seen, x->w_min * h->rdist[p] - cap + centre_price))
            break;
        largest = x->lambda[i] > largest ? x->lambda[i] : largest;
        v[n].r = lagrange_reduced(x, i, p, centre_price);
        v[n].i = i;
        v[n].p = p;
        if (prune)
            keep_smallest(top, m, &seen, v[n].r);
        negative += v[n++].r < 0;
    }
    if (x->full_scan)
        x->lambda_cap[j] = largest;
    if (scanned)
        *scanned = n;
    if (n < h->size_min - 1)
        return INFINITY;
    k = negative > h->size_max - 1 ? h->size_max - 1 : negative;
    if (k < h->size_min - 1)
        k = h->size_min - 1;
    lagrange_smallest_first(v, n, k);
    if (x->knap[0] && (x->knap_always || over_capacity(h, j, v, k))) {
        int chosen;
        double best = lknap_solve(x->knap[lagrange_chunk_of(x, j)], h, v, n, h->size_min - 1,
                                  h->size_max - 1, h->capacity - h->teachers[j], &chosen);
        if (!isnan(best)) { /* NAN: declined, the plain set stands (a weaker bound) */
            x->chosen_end[j] = chosen;
            return isinf(best) ? INFINITY : lagrange_open_price(x, j) - x->lambda[j] + sum + best;
        }
    }
    for (p = 0; p < k; p++)
        sum += v[p].r;
    x->chosen_end[j] = k;
    return lagrange_open_price(x, j) - x->lambda[j] + sum;
}

int lagrange_chunk_of(const relax *x, int j)
{
    int k = (int)((long)j * LAGRANGE_CHUNKS / (x->h->n ? x->h->n : 1)), lo, hi;
    for (;;) {
        lagrange_chunk(x, k, &lo, &hi);
        if (j < lo)
            k--;
        else if (j >= hi)
            k++;
        else
            return k;
    }
}

void lagrange_chunk(const relax *x, int k, int *lo, int *hi)
{
    long a, b;
    cp_chunk_range(x->h->n, k, LAGRANGE_CHUNKS, &a, &b);
    *lo = (int)a;
    *hi = (int)b;
}
