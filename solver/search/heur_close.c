/*
 * heur_close.c — neighbourhoods that remove a cluster:
 *   close     centre i's cluster is dissolved and its schools join the
 *             nearest clusters with room (free count only; pays when a
 *             cluster cost is set or the members sit nearer other centres);
 *   exchange  eligible school i opens a cluster and one of the (up to
 *             EXCHANGE_TRIES) nearest open clusters around it closes, its
 *             schools rehoused: the count stays, so this is the classic
 *             p-median swap, local to i.
 * Both are tried on the live layout and rolled back unless the score
 * improves.  Work: the closed cluster's members plus i's admissible members.
 *
 * Registry: "exchange-centre" tried 6th, "close" 8th (neighbourhoods.c).
 * Parameters: EXCHANGE_TRIES (clusters tried for closing, 3), REHOUSE_SCAN.
 */
#include "heur.h"

#define EXCHANGE_TRIES 3
/* A rehoused school looks for room among its REHOUSE_SCAN nearest centres
 * only: in a dense town thousands lie within reach, most clusters near it
 * are full, and a full scan per school made heur_place 29 % of a
 * generated 20,000-school country's time (cost objective); a school
 * placed farther than that would rarely make the move pay. */
#define REHOUSE_SCAN 48

/* Rehouses every school the journal shows unassigned since mark. */
int heur_rehouse(hstate *h, long mark)
{
    long e, end = h->log_len;
    for (e = mark; e < end; e++) {
        int op = h->log[e].op, s = h->log[e].school;
        if ((op == H_UNASSIGN || op == H_CLOSE) && h->centre[s] < 0 &&
            !heur_place_near(h, s, REHOUSE_SCAN) &&
            h->log_failed)
            return 0;
    }
    return 1;
}

static int keep_or_rollback(hstate *h, long mark, hscore before, int centre)
{
    if (!heur_better(h->score, before)) {
        heur_rollback(h, mark);
        return 0;
    }
    heur_push_around(h, centre);
    return 1;
}

int heur_try_close(hstate *h, int i)
{
    long mark = h->log_len;
    hscore before = h->score;
    if (h->count > 0 || h->centre[i] != i || h->required[i])
        return 0;
    if (!heur_dissolve(h, i) || !heur_rehouse(h, mark))
        return -1;
    return keep_or_rollback(h, mark, before, i);
}

/* Closes a and opens i in one step; 1 kept, 0 rolled back, -1 no memory. */
static int exchange(hstate *h, int a, int i)
{
    long mark = h->log_len;
    hscore before = h->score;
    int from = h->centre[i];
    if (!heur_dissolve(h, a))
        return -1;
    if (h->centre[i] >= 0 && (h->size[from] <= h->size_min || h->required[i])) {
        heur_rollback(h, mark);
        return 0;
    }
    if ((h->centre[i] >= 0 && !heur_unassign(h, i)) || !heur_open(h, i) || !heur_pull(h, i) ||
        !heur_rehouse(h, mark))
        return -1;
    if (h->size[i] < h->size_min) {
        heur_rollback(h, mark);
        return 0;
    }
    return keep_or_rollback(h, mark, before, a);
}

int heur_try_exchange_centre(hstate *h, int i)
{
    int g = h->schools[i], p, tries = 0;
    if (!h->eligible[i] || h->centre[i] == i)
        return 0;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1] && tries < EXCHANGE_TRIES; p++) {
        int a = heur_local(h, h->cand->centre[p]), r;
        if (a < 0 || a == i || h->centre[a] != a || h->required[a])
            continue;
        tries++;
        r = exchange(h, a, i);
        if (r != 0) {
            if (r > 0)
                heur_push_around(h, i);
            return r;
        }
    }
    return 0;
}
