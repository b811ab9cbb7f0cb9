/*
 * heur_swap.c — neighbourhood "swap": member i of cluster A and member k of
 * cluster B trade places when the total cost falls; sizes stay, loads are
 * checked against the capacity.  Only clusters B that are closer to i than
 * A are tried (the swaps that can pay for themselves most often).
 * Work: i's centres closer than A, times B's members, times a binary search.
 *
 * Registry: "swap", tried 2nd (neighbourhoods.c).
 * Parameters: none.
 */
#include "heur.h"

typedef struct {
    int k, b;
    double delta, dib, dka;
} swap_move;

static int loads_fit(const hstate *h, int i, int a, int k, int b)
{
    double ti = h->teachers[i], tk = h->teachers[k], cap = h->capacity * (1 + 1e-12);
    return h->load[a] - ti + tk <= cap && h->load[b] - tk + ti <= cap;
}

/* The best partner of i in cluster b, into best. */
static void best_partner(const hstate *h, int i, int b, double dib, swap_move *best)
{
    int a = h->centre[i], k;
    for (k = h->head[b]; k >= 0; k = h->next[k]) {
        double dka, delta;
        if (k == b || !loads_fit(h, i, a, k, b))
            continue;
        dka = heur_pair(h, k, a);
        if (dka < 0)
            continue;
        delta = h->w[i] * (dib - h->dist[i]) + h->w[k] * (dka - h->dist[k]);
        if (delta < best->delta) {
            best->k = k;
            best->b = b;
            best->delta = delta;
            best->dib = dib;
            best->dka = dka;
        }
    }
}

int heur_try_swap(hstate *h, int i)
{
    int a = h->centre[i], g = h->schools[i], p;
    swap_move best = {-1, -1, 0.0, 0.0, 0.0};
    if (a < 0 || a == i)
        return 0;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1]; p++) {
        int b = heur_local(h, h->cand->centre[p]);
        if (h->cand->dist[p] >= h->dist[i])
            break;
        if (b >= 0 && b != a && h->centre[b] == b)
            best_partner(h, i, b, h->cand->dist[p], &best);
    }
    if (best.k < 0 || !heur_improves(h, 0, best.delta))
        return 0;
    if (!heur_unassign(h, i) || !heur_unassign(h, best.k) || !heur_assign(h, i, best.b, best.dib) ||
        !heur_assign(h, best.k, a, best.dka))
        return -1;
    heur_push_around(h, a);
    heur_push_around(h, best.b);
    return 1;
}
