/*
 * heur_recentre.c — neighbourhood "re-centre": school i becomes the centre
 * of its own cluster when every member is admissible to it and the cost
 * falls.  Sizes and loads do not change.  A required centre stays.
 * Work: the cluster's members times a binary search.
 *
 * Registry: "recentre", tried 3rd (neighbourhoods.c).
 * Parameters: none.
 */
#include "heur.h"

/* Cost change of centring a's cluster on i; 1 when every member can follow. */
static int recentre_delta(const hstate *h, int a, int i, double *delta)
{
    int m;
    *delta = h->open_cost[i] - h->open_cost[a];
    for (m = h->head[a]; m >= 0; m = h->next[m]) {
        double d = m == i ? 0.0 : heur_pair(h, m, i);
        if (d < 0)
            return 0;
        *delta += h->w[m] * (d - h->dist[m]);
    }
    return 1;
}

/* i leaves, opens its own cluster, the others follow; a closes last. */
static int apply_recentre(hstate *h, int a, int i)
{
    int m;
    if (!heur_unassign(h, i) || !heur_open(h, i))
        return 0;
    while ((m = h->head[a]) >= 0 && (m != a || h->next[m] >= 0)) {
        if (m == a)
            m = h->next[m];
        if (!heur_relocate(h, m, i, heur_pair(h, m, i)))
            return 0;
    }
    return heur_close(h, a) && heur_assign(h, a, i, heur_pair(h, a, i));
}

int heur_try_recentre(hstate *h, int i)
{
    int a = h->centre[i];
    double delta;
    if (a < 0 || a == i || !h->eligible[i] || h->required[a])
        return 0;
    if (!recentre_delta(h, a, i, &delta) || !heur_improves(h, 0, delta))
        return 0;
    if (!apply_recentre(h, a, i))
        return -1;
    heur_push_around(h, i);
    heur_push_around(h, a);
    return 1;
}
