/*
 * heur_eject.c — neighbourhood "eject" (an ejection chain of depth two):
 * unassigned school i enters a full cluster B by pushing one of B's members
 * k into another cluster C with room.  One school more is placed, so the
 * move always improves the lexicographic score.
 * Work: i's centres, times B's members, times k's centres.
 *
 * Registry: "eject", tried 4th (neighbourhoods.c).
 * Parameters: none.
 */
#include "heur.h"

/* Whether removing k leaves room for i in b. */
static int room_after(const hstate *h, int b, int k, int i)
{
    return h->load[b] - h->teachers[k] + h->teachers[i] <= h->capacity * (1 + 1e-12);
}

/* Nearest cluster other than b that takes k; pair index or -1. */
static int refuge(const hstate *h, int k, int b)
{
    int g = h->schools[k], p;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1]; p++) {
        int c = heur_local(h, h->cand->centre[p]);
        if (c >= 0 && c != b && c != k && h->centre[c] == c && heur_fits(h, c, k))
            return p;
    }
    return -1;
}

static int eject_into(hstate *h, int i, int b, double dib)
{
    int k;
    for (k = h->head[b]; k >= 0; k = h->next[k]) {
        int p;
        if (k == b || !room_after(h, b, k, i))
            continue;
        p = refuge(h, k, b);
        if (p < 0)
            continue;
        if (!heur_relocate(h, k, h->local_of[h->cand->centre[p]], h->cand->dist[p]) ||
            !heur_assign(h, i, b, dib))
            return -1;
        heur_push_around(h, b);
        return 1;
    }
    return 0;
}

int heur_try_eject(hstate *h, int i)
{
    int g = h->schools[i], p;
    if (h->centre[i] >= 0)
        return 0;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1]; p++) {
        int b = heur_local(h, h->cand->centre[p]), r;
        if (b < 0 || b == i || h->centre[b] != b)
            continue;
        r = eject_into(h, i, b, h->cand->dist[p]);
        if (r != 0)
            return r;
    }
    return 0;
}
