/*
 * heur_move.c — neighbourhood "move": school i leaves its cluster for the
 * nearest open cluster with room that is closer than its own centre, or,
 * when unassigned, joins the nearest open cluster with room.
 * Never moves a centre, never takes a cluster below the minimum.
 * Work: at most i's admissible centres, stopping at its current distance.
 *
 * Registry: "move", tried 1st (neighbourhoods.c).
 * Parameters: none.
 */
#include "heur.h"

static void push_clusters(hstate *h, int a, int b)
{
    if (a >= 0)
        heur_push_around(h, a);
    if (b >= 0)
        heur_push_around(h, b);
}

int heur_try_move(hstate *h, int i)
{
    int from = h->centre[i], g = h->schools[i], p;
    if (from == i || (from >= 0 && h->size[from] <= h->size_min))
        return 0;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1]; p++) {
        int c = heur_local(h, h->cand->centre[p]);
        double d = h->cand->dist[p];
        if (from >= 0 && d >= h->dist[i])
            return 0; /* sorted by distance: nothing closer follows */
        if (c < 0 || c == from || h->centre[c] != c || !heur_fits(h, c, i))
            continue;
        if (from >= 0 && !heur_improves(h, 0, h->w[i] * (d - h->dist[i])))
            return 0;
        if (!(from >= 0 ? heur_relocate(h, i, c, d) : heur_assign(h, i, c, d)))
            return -1;
        push_clusters(h, from, c);
        return 1;
    }
    return 0;
}
