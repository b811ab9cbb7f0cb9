/*
 * heur_upgrade.c — neighbourhood "upgrade": open an upgradable school as a
 * new exemplar centre (README "New exemplar centres") where it pays, under
 * the part's cap and budget of upgrades:
 *   at an upgradable school i not yet a centre, open i;
 *   at an unassigned school, open one of the UPGRADE_NEAR nearest
 *   upgradable schools it may join.
 * The new centre pulls schools round it (heur_pull).  When the cap or the
 * budget is reached, the upgrade whose closing costs least (its cluster
 * dissolved and its schools rehoused in the nearest clusters with room:
 * the cost is remembered until that cluster changes) is closed in the same
 * step, so an upgrade moves to where it places more schools or saves more:
 * the move the planner's question needs ("which 10 schools should we
 * invest in?"), across the whole part, not only nearby.  Kept when the
 * score improves, rolled back otherwise.  Closing an upgrade that no
 * longer pays is heur_close.c's "close".
 * heur_add_best_upgrade tries every closed upgradable school of the part
 * (each opened, the rest re-placed by a descent, rolled back) and opens the
 * one that gains most: the next upgrade of solve/invest.c's sharing.
 * heur_upgrades_within_cap closes the upgrades costing least until a
 * layout (an incumbent from a larger allowance, solve/invest.c) is within
 * the part's cap and budget.
 * Work: i's nearest upgradable centres; at the cap, one pass over the open
 * upgrades and at most SWAP_TRIES re-priced closings.
 *
 * Registry: "upgrade", tried 10th (neighbourhoods.c).
 * Parameters: UPGRADE_NEAR, SWAP_TRIES.
 */
#include "heur.h"

#include <math.h>

#define UPGRADE_NEAR 4
#define SWAP_TRIES 3

/* Opening j needs a slot: the cap or the budget is reached. */
static int at_cap(const hstate *h, int j)
{
    return (h->up_cap >= 0 && h->up_count + 1 > h->up_cap) ||
           h->up_spend + h->ucost[j] > h->up_budget + 1e-9 * (1.0 + fabs(h->up_budget));
}

/* What closing upgrade a costs now: its cluster dissolved and rehoused,
 * measured, rolled back; kept until a's cluster changes.  0 when the
 * journal failed. */
static int price_closing(hstate *h, int a)
{
    long mark = h->log_len;
    hscore before = h->score;
    if (h->up_loss_at[a] == h->changed_at[a])
        return 1;
    if (!heur_dissolve(h, a) || !heur_rehouse(h, mark))
        return 0;
    h->up_loss_unassigned[a] = h->score.unassigned - before.unassigned;
    h->up_loss_cost[a] = h->score.cost - before.cost;
    heur_rollback(h, mark);
    h->up_loss_at[a] = h->changed_at[a];
    return 1;
}

/* Whether closing a costs less than closing b (lexicographic). */
static int cheaper(const hstate *h, int a, int b)
{
    if (h->up_loss_unassigned[a] != h->up_loss_unassigned[b])
        return h->up_loss_unassigned[a] < h->up_loss_unassigned[b];
    return h->up_loss_cost[a] < h->up_loss_cost[b] ||
           (h->up_loss_cost[a] == h->up_loss_cost[b] && a < b);
}

/* The open upgrade whose closing frees room for j (j < 0: any) and costs
 * least, its price checked afresh (at most SWAP_TRIES times); -1 none, -2
 * no memory. */
static int cheapest_upgrade(hstate *h, int j)
{
    int tries, k;
    for (tries = 0; tries < SWAP_TRIES; tries++) {
        int best = -1;
        for (k = 0; k < h->up_count; k++) {
            int a = h->up_open[k];
            if (h->required[a] || (j >= 0 && h->up_spend - h->ucost[a] + h->ucost[j] >
                                                 h->up_budget + 1e-9 * (1.0 + fabs(h->up_budget))))
                continue;
            if (h->up_loss_at[a] < 0 && !price_closing(h, a))
                return -2;
            if (best < 0 || cheaper(h, a, best))
                best = a;
        }
        if (best < 0)
            return -1;
        if (h->up_loss_at[best] == h->changed_at[best])
            return best;
        if (!price_closing(h, best))
            return -2;
    }
    return -1;
}

static int open_upgrade(hstate *h, int j)
{
    long mark = h->log_len;
    hscore before = h->score;
    int from = h->centre[j], a = -1;
    if (!h->eligible[j] || from == j || (from >= 0 && (h->size[from] <= h->size_min || from == j)))
        return 0;
    if (at_cap(h, j)) {
        a = cheapest_upgrade(h, j);
        if (a == -2)
            return -1;
        if (a < 0 || a == from)
            return 0;
        if (!heur_dissolve(h, a))
            return -1;
    }
    if ((h->centre[j] >= 0 && !heur_unassign(h, j)) || !heur_open(h, j) || !heur_pull(h, j) ||
        !heur_rehouse(h, mark) || !heur_fill_groups(h, j))
        return -1;
    if (h->size[j] < h->size_min || !heur_better(h->score, before)) {
        heur_rollback(h, mark);
        return 0;
    }
    heur_push_around(h, j);
    if (a >= 0)
        heur_push_around(h, a);
    if (from >= 0)
        heur_push_around(h, from);
    return 1;
}

/* Fills j's cluster to its minimum through chains of two: a school k it
 * may take from a cluster at its minimum, that cluster refilled by a
 * school r it may take (unassigned, or from a cluster that can spare it).
 * What heur_pull cannot do; the score decides whether the chains paid.
 * Work: j's admissible members times those of their centres.  0 when the
 * journal failed. */
static int refill_pull(hstate *h, int j)
{
    int p, q;
    for (p = h->rstart[j]; p < h->rstart[j + 1] && h->size[j] < h->size_min; p++) {
        int k = h->rmember[p], src = h->centre[k];
        if (src < 0 || src == j || src == k || h->size[src] > h->size_min || !heur_fits(h, j, k))
            continue;
        for (q = h->rstart[src]; q < h->rstart[src + 1]; q++) {
            int r = h->rmember[q], s2 = h->centre[r];
            if (r == k || s2 == src || s2 == j || r == j ||
                (s2 >= 0 && (s2 == r || h->size[s2] <= h->size_min)) ||
                h->load[src] - h->teachers[k] + h->teachers[r] > h->capacity * (1 + 1e-12))
                continue;
            if (!heur_relocate(h, k, j, h->rdist[p]) ||
                !(s2 >= 0 ? heur_relocate(h, r, src, h->rdist[q]) : heur_assign(h, r, src, h->rdist[q])))
                return 0;
            break;
        }
    }
    return 1;
}

int heur_upgrade_trial(hstate *h, int j, int i, double d)
{
    int from = h->centre[j], m;
    if (from >= 0 && h->size[from] <= h->size_min) {
        heur_push_around(h, from);
        for (m = h->head[from]; m >= 0; m = h->next[m])
            heur_push(h, m);
        if (!heur_dissolve(h, from))
            return 0;
    } else if (from >= 0) {
        heur_push_around(h, from);
        if (!heur_unassign(h, j))
            return 0;
    }
    if (!heur_open(h, j) ||
        (i >= 0 && i != j && h->centre[i] < 0 && heur_fits(h, j, i) && !heur_assign(h, i, j, d)) ||
        !heur_pull(h, j) || !refill_pull(h, j))
        return 0;
    if (h->size[j] < h->size_min) /* no cluster round j: the trial fails */
        return heur_dissolve(h, j);
    if (!heur_fill_groups(h, j)) /* short of a study group: complete it first */
        return 0;
    heur_push_around(h, j);
    return heur_descend(h) == CP_OK;
}

cp_code heur_add_best_upgrade(hstate *h)
{
    hscore before = h->score, best_score = h->score;
    int j, best = -1, trial = h->trial;
    if (!h->upgradable || h->count > 0)
        return CP_OK;
    h->trial = 1; /* the journal is kept through the descents, to roll each back */
    h->log_on = 1;
    h->log_len = 0;
    for (j = 0; j < h->n; j++)
        if (h->upgradable[j] && h->centre[j] != j)
            h->eligible[j] = 0;
    for (j = 0; j < h->n; j++) {
        if (!h->upgradable[j] || h->centre[j] == j || h->required[j])
            continue;
        h->eligible[j] = 1;
        if (!heur_upgrade_trial(h, j, -1, 0.0))
            return CP_ERESOURCE;
        if (heur_better(h->score, best_score)) {
            best = j;
            best_score = h->score;
        }
        heur_rollback(h, 0);
        h->eligible[j] = 0;
    }
    for (j = 0; j < h->n; j++)
        if (h->upgradable[j])
            h->eligible[j] = 1;
    if (best >= 0 && heur_better(best_score, before) && !heur_upgrade_trial(h, best, -1, 0.0))
        return CP_ERESOURCE;
    h->trial = trial;
    h->log_len = 0;
    return CP_OK;
}

cp_code heur_upgrades_within_cap(hstate *h)
{
    while (h->upgradable && h->score.excess > 0 && h->up_count > 0) {
        long mark = h->log_len;
        int a = cheapest_upgrade(h, -1), k;
        if (a == -2)
            return CP_ERESOURCE;
        if (a < 0) /* only required centres left: the finish closes the last opened */
            return CP_OK;
        heur_push_around(h, a);
        for (k = h->head[a]; k >= 0; k = h->next[k])
            heur_push(h, k);
        if (!heur_dissolve(h, a) || !heur_rehouse(h, mark))
            return CP_ERESOURCE;
    }
    return CP_OK;
}

int heur_try_upgrade(hstate *h, int i)
{
    int g, p, tries = 0, r;
    if (!h->upgradable || h->count > 0)
        return 0;
    if (h->upgradable[i] && h->centre[i] != i)
        return open_upgrade(h, i);
    if (h->centre[i] >= 0)
        return 0;
    g = h->schools[i];
    for (p = h->cand->start[g]; p < h->cand->start[g + 1] && tries < UPGRADE_NEAR; p++) {
        int j = heur_local(h, h->cand->centre[p]);
        if (j < 0 || j == i || !h->upgradable[j] || h->centre[j] == j)
            continue;
        tries++;
        if ((r = open_upgrade(h, j)) != 0)
            return r;
    }
    return 0;
}
