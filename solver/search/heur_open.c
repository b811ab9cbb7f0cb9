/*
 * heur_open.c — neighbourhood "open": eligible school i becomes the centre
 * of a new cluster and pulls schools from around it (heur_pull); kept when
 * the score improves (typically: unassigned schools gain a cluster, or a
 * crowded area gets a nearer centre), rolled back otherwise.  Only with a
 * free cluster count.  Work: i's admissible members, twice.
 *
 * Registry: "open", tried 5th (neighbourhoods.c).
 * Parameters: none.
 */
#include "heur.h"

/* Takes i into j's cluster when it fits and the move is allowed. */
static int take(hstate *h, int j, int i, double d, int any_spare)
{
    int src = h->centre[i];
    if (i == j || !heur_fits(h, j, i))
        return 1;
    if (src < 0)
        return heur_assign(h, i, j, d);
    if (src == i || src == j || h->size[src] <= h->size_min)
        return 1;
    if (any_spare || d < h->dist[i])
        return heur_relocate(h, i, j, d);
    return 1;
}

int heur_pull(hstate *h, int j)
{
    int p;
    for (p = h->rstart[j]; p < h->rstart[j + 1] && h->size[j] < h->size_max; p++)
        if (!take(h, j, h->rmember[p], h->rdist[p], 0))
            return 0;
    for (p = h->rstart[j]; p < h->rstart[j + 1] && h->size[j] < h->size_min; p++)
        if (!take(h, j, h->rmember[p], h->rdist[p], 1))
            return 0;
    return 1;
}

int heur_try_open(hstate *h, int i)
{
    int from = h->centre[i];
    long mark = h->log_len;
    hscore before = h->score;
    if (h->count > 0 || !h->eligible[i] || from == i ||
        (from >= 0 && h->size[from] <= h->size_min))
        return 0;
    if ((from >= 0 && !heur_unassign(h, i)) || !heur_open(h, i) || !heur_pull(h, i))
        return -1;
    if (h->size[i] < h->size_min || !heur_better(h->score, before)) {
        heur_rollback(h, mark);
        return 0;
    }
    heur_push_around(h, i);
    if (from >= 0)
        heur_push_around(h, from);
    return 1;
}
