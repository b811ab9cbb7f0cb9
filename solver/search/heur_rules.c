/*
 * heur_rules.c — issue 24's rules inside the local search's state: study
 * groups (each cluster's teachers of each group against its minimum) and
 * upgrades (upgradable centres open, against the part's cap and budget).
 *
 * The four primitives of heur_state.c call the hooks below, so the score
 * is always the one heur.h's hscore describes:
 *   excess      upgrades beyond the part's cap and budget (never kept: the
 *               construction opens none and no change that raises it is
 *               better);
 *   unassigned  hard groups count the members of a cluster short of a
 *               group as unassigned and leave its cost out, so the score is
 *               that of the layout with such clusters dissolved, which is
 *               what heur_rules_finish makes of it;
 *   groups      soft groups: minus the clusters hosting every group.
 * Every neighbourhood then keeps working unchanged: one that computes its
 * own delta (move, swap, rings) may pick a change that breaks a group or
 * passes the cap, and the descent rolls it back (heur_search.c: a change
 * is kept only when the whole score improves).  With no group and no
 * upgradable school in the part, h->rules is 0 and no hook runs.
 * Work: O(groups) per primitive; memory O(n groups).
 */
#include "heur.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static double *group_row(const hstate *h, double *base, int i)
{
    return base + (size_t)i * (size_t)h->n_groups;
}

static void recompute_short(hstate *h, int c)
{
    const double *load = group_row(h, h->gload, c);
    int g;
    unsigned char s = 0;
    for (g = 0; g < h->n_groups; g++)
        s |= load[g] < h->gmin[g] - 1e-9;
    h->short_of[c] = s;
}

/* Cluster c's part of the score (sign +1 adds it, -1 takes it out). */
static void contribution(hstate *h, int c, int sign)
{
    if (h->n_groups == 0)
        return;
    if (h->groups_soft) {
        h->score.groups -= sign * (h->short_of[c] ? 0 : 1);
    } else if (h->short_of[c]) {
        h->score.unassigned += sign * h->size[c];
        h->score.cost -= sign * h->ccost[c];
    }
}

static void update_excess(hstate *h)
{
    double e = 0.0;
    if (h->up_cap >= 0 && h->up_count > h->up_cap)
        e += h->up_count - h->up_cap;
    if (h->up_spend > h->up_budget + 1e-9 * (1.0 + fabs(h->up_budget)))
        e += (h->up_spend - h->up_budget) / fmax(1.0, h->up_budget);
    h->score.excess = e;
}

void heur_rules_off(hstate *h, int c)
{
    if (h->size[c] > 0)
        contribution(h, c, -1);
}

void heur_rules_member(hstate *h, int i, int c, int sign, double d)
{
    int g;
    h->ccost[c] += sign * h->w[i] * d;
    if (h->n_groups > 0) {
        double *load = group_row(h, h->gload, c);
        const double *t = group_row(h, h->gteach, i);
        for (g = 0; g < h->n_groups; g++)
            load[g] += sign * t[g];
        recompute_short(h, c);
    }
    contribution(h, c, 1);
}

void heur_rules_opened(hstate *h, int j)
{
    h->ccost[j] = h->open_cost[j];
    if (h->n_groups > 0) {
        memcpy(group_row(h, h->gload, j), group_row(h, h->gteach, j),
               (size_t)h->n_groups * sizeof(double));
        recompute_short(h, j);
    }
    contribution(h, j, 1);
    if (h->upgradable && h->upgradable[j]) {
        h->up_pos[j] = h->up_count;
        h->up_open[h->up_count++] = j;
        h->up_spend += h->ucost[j];
        update_excess(h);
    }
}

void heur_rules_closing(hstate *h, int j)
{
    contribution(h, j, -1);
    h->ccost[j] = 0.0;
    h->short_of[j] = 0;
    if (h->upgradable && h->upgradable[j]) {
        int last = h->up_open[--h->up_count];
        h->up_open[h->up_pos[j]] = last;
        h->up_pos[last] = h->up_pos[j];
        h->up_spend -= h->ucost[j];
        if (h->up_count == 0)
            h->up_spend = 0.0; /* no drift left behind */
        update_excess(h);
    }
}

void heur_rules_freeze_upgrades(hstate *h)
{
    int i;
    for (i = 0; h->upgradable && i < h->n; i++)
        if (h->upgradable[i] && h->centre[i] != i)
            h->eligible[i] = 0;
}

void heur_rules_hide_upgrades(hstate *h, int hide)
{
    int i;
    for (i = 0; h->upgradable && i < h->n; i++)
        if (h->upgradable[i])
            h->eligible[i] = (unsigned char)!hide;
}

/* ----------------------------------------------------------------- setup */

static cp_code alloc_rules(hstate *h)
{
    size_t n = (size_t)(h->n ? h->n : 1), ng = (size_t)(h->n_groups ? h->n_groups : 1);
    h->gteach = cp_calloc(n * ng, sizeof(double));
    h->gload = cp_calloc(n * ng, sizeof(double));
    h->short_of = cp_calloc(n, 1);
    h->ccost = cp_calloc(n, sizeof(double));
    if (!h->gteach || !h->gload || !h->short_of || !h->ccost)
        return CP_ERESOURCE;
    if (h->n_upgradable == 0)
        return CP_OK;
    h->upgradable = cp_calloc(n, 1);
    h->ucost = cp_calloc(n, sizeof(double));
    h->up_open = cp_malloc(n * sizeof(int));
    h->up_pos = cp_malloc(n * sizeof(int));
    h->up_loss_cost = cp_calloc(n, sizeof(double));
    h->up_loss_unassigned = cp_calloc(n, sizeof(long));
    h->up_loss_at = cp_malloc(n * sizeof(long));
    if (!h->upgradable || !h->ucost || !h->up_open || !h->up_pos || !h->up_loss_cost ||
        !h->up_loss_unassigned || !h->up_loss_at)
        return CP_ERESOURCE;
    memset(h->up_loss_at, 0xff, n * sizeof(long)); /* -1: not known */
    return CP_OK;
}

/* Whether every upgradable school of the part costs something. */
static int every_upgrade_costs(const hstate *h)
{
    int i;
    for (i = 0; i < h->n; i++)
        if (h->upgradable[i] && !(h->ucost[i] > 0))
            return 0;
    return 1;
}

cp_code heur_rules_setup(hstate *h, const cp_milp_input *in)
{
    cp_groups g;
    int i, k;
    if (cp_groups_bind(h->inst, h->sc, &g, NULL))
        return CP_ERESOURCE; /* cp_solve bound them before any part: cannot happen */
    h->n_groups = g.n;
    h->groups_soft = g.soft;
    memcpy(h->gmin, g.min, sizeof h->gmin);
    for (i = 0; in->cand->upgradable && i < h->n; i++)
        h->n_upgradable += in->cand->upgradable[h->schools[i]] != 0;
    h->upgradable_in_part = h->n_upgradable;
    h->rules = h->n_groups > 0 || h->n_upgradable > 0;
    if (!h->rules)
        return CP_OK;
    if (alloc_rules(h))
        return CP_ERESOURCE;
    for (i = 0; i < h->n; i++)
        for (k = 0; k < h->n_groups; k++)
            group_row(h, h->gteach, i)[k] = cp_group_teachers(h->inst, &g, h->schools[i], k);
    for (i = 0; h->upgradable && i < h->n; i++)
        if (in->cand->upgradable[h->schools[i]]) {
            h->upgradable[i] = 1;
            h->ucost[i] = cp_upgrade_spend(&h->inst->schools[h->schools[i]]);
        }
    h->up_cap = in->upgrade_limited ? in->upgrade_count_max : h->sc->max_upgrades;
    h->up_budget = in->upgrade_limited ? in->upgrade_budget_max : h->sc->upgrade_budget;
    if (h->upgradable && (h->up_cap == 0 || (h->up_budget <= 0 && every_upgrade_costs(h)))) {
        /* an allowance of none: the upgradable schools are no centres here,
         * and no neighbourhood spends time opening one to take it back */
        for (i = 0; i < h->n; i++)
            if (h->upgradable[i])
                h->eligible[i] = 0;
        cp_free(h->upgradable);
        h->upgradable = NULL;
        h->n_upgradable = 0;
        h->rules = h->n_groups > 0;
    }
    return CP_OK;
}

void heur_rules_free(hstate *h)
{
    void *owned[] = {h->gteach, h->gload, h->short_of, h->ccost, h->upgradable, h->ucost,
                     h->up_open, h->up_pos, h->up_loss_cost, h->up_loss_unassigned,
                     h->up_loss_at};
    size_t k;
    for (k = 0; k < sizeof owned / sizeof owned[0]; k++)
        cp_free(owned[k]);
}

/* ---------------------------------------------------------------- finish */

/* The layout the search returns: upgrades beyond the cap closed (the last
 * opened first; the search keeps none, but an incumbent may bring them),
 * clusters short of a hard group dissolved, and every school they freed
 * offered the nearest cluster with room (adding a school never takes a
 * cluster below a group's minimum).  The score does not get worse: the
 * dissolved clusters' schools were counted unassigned already. */
cp_code heur_rules_finish(hstate *h)
{
    int c, i, on = h->log_on;
    if (!h->rules)
        return CP_OK;
    h->log_on = 0;
    while (h->score.excess > 0 && h->up_count > 0)
        if (!heur_dissolve(h, h->up_open[h->up_count - 1]))
            return CP_ERESOURCE;
    for (c = 0; c < h->n && h->n_groups > 0 && !h->groups_soft; c++)
        if (h->centre[c] == c && h->short_of[c] && !heur_dissolve(h, c))
            return CP_ERESOURCE;
    for (i = 0; i < h->n; i++)
        if (h->centre[i] < 0 && !heur_place(h, i) && h->log_failed)
            return CP_ERESOURCE;
    h->log_on = on;
    return CP_OK;
}
