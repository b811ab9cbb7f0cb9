/*
 * upgrade_report.c — what the layout's upgrades buy, and the one upgrade
 * that would place each unassigned school (README "New exemplar centres").
 *
 *   each upgrade j   the layout without j: its cluster dissolved, every
 *                    other centre kept (no new upgrade), its schools
 *                    re-placed by the local search's descent from there.
 *                    "Brings" = the schools placed with j and unplaced
 *                    without it (j itself among them when it finds no
 *                    cluster as a member); "saves" = the objective without j minus
 *                    with j, the schools it brings counted at their cost
 *                    with j (so it is what the others save: travel, or the
 *                    annual cost with <costs>).  A local re-placement, so
 *                    an upper estimate of what the best layout without j
 *                    would lose.
 *   each unassigned  each upgradable school it may join, itself included (at
 *   school i         most ANSWER_TRIES, nearest first), opened as a centre with
 *                    i in its cluster, the schools round it pulled in
 *                    (heur_pull) and a descent re-placing what moved, within
 *                    the sizes, capacity and groups; of those that place i
 *                    with a net gain, the one placing most schools (then the
 *                    cheapest) is its answer, beyond the cap or budget if
 *                    need be: the planner's what-if.
 * One local problem over every school with a pair, from the layout itself;
 * one thread, so the same layout gives the same report.
 * Work: setup O(pairs); a descent per upgrade; ANSWER_TRIES openings and
 * their descents per unassigned school.
 */
#include "solve.h"
#include "solver/search/heur.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ANSWER_TRIES 8

typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    cp_layout *lay;
    cp_candidates *cand;
    int *schools, *local_of, *group, *incumbent;
    int n;
    hstate h;
    cp_upgrades *up;
    long *stamp, stamp_now;      /* per local school: the what-if that last saw it */
} reporter;

static void reporter_free(reporter *r)
{
    heur_free(&r->h);
    cp_candidates_free(r->cand);
    cp_free(r->schools);
    cp_free(r->local_of);
    cp_free(r->group);
    cp_free(r->incumbent);
    cp_free(r->stamp);
}

/* The layout as a local problem over every school with a pair. */
static cp_code setup(reporter *r, cp_distance_ctx *dist, cp_error *err)
{
    const cp_instance *inst = r->inst;
    int n = inst->n_schools, i;
    size_t sz = (size_t)(n ? n : 1);
    cp_milp_input in;
    if (!(r->cand = cp_candidates_build(inst, r->sc, dist, err)))
        return err->code;
    r->schools = cp_malloc(sz * sizeof(int));
    r->local_of = cp_malloc(sz * sizeof(int));
    r->group = cp_malloc(sz * sizeof(int));
    r->incumbent = cp_malloc(sz * sizeof(int));
    if (!r->schools || !r->local_of || !r->group || !r->incumbent)
        return cp_fail_nomem(err);
    for (i = 0; i < n; i++) {
        int has = r->cand->start[i + 1] > r->cand->start[i];
        int c = r->lay->cluster_of[i];
        r->group[i] = has ? 0 : -1;
        r->local_of[i] = has ? r->n : -1;
        if (!has)
            continue;
        r->incumbent[r->n] = c >= 0 ? r->lay->centre[c] : -1;
        r->schools[r->n++] = i;
    }
    memset(&in, 0, sizeof in);
    in.inst = inst;
    in.sc = r->sc;
    in.cand = r->cand;
    in.schools = r->schools;
    in.n = r->n;
    in.local_of = r->local_of;
    in.threads = 1;
    if (heur_setup(&r->h, &in, r->group, 0) || heur_construct(&r->h, r->incumbent) ||
        !(r->stamp = cp_calloc((size_t)(r->n ? r->n : 1), sizeof(long))))
        return cp_fail_nomem(err);
    r->h.up_cap = -1; /* a what-if may pass the cap and the budget */
    r->h.up_budget = INFINITY;
    r->h.score.excess = 0;
    r->h.log_on = 1;
    r->h.trial = 1;
    return CP_OK;
}

/* Upgradable schools that head no cluster: hidden (1) from every opening,
 * or shown again (0). */
static void hide_closed_upgrades(hstate *h, int hide)
{
    int i;
    for (i = 0; h->upgradable && i < h->n; i++)
        if (h->upgradable[i] && h->centre[i] != i)
            h->eligible[i] = (unsigned char)!hide;
}

/* Each upgraded centre's what-if: dissolved, re-placed by a descent. */
static cp_code price_upgrades(reporter *r)
{
    hstate *h = &r->h;
    int k, j, m;
    for (j = 0; j < h->n; j++)
        r->up->n += h->upgradable && h->upgradable[j] && h->centre[j] == j;
    if (!(r->up->items = cp_calloc((size_t)(r->up->n ? r->up->n : 1), sizeof *r->up->items)))
        return CP_ERESOURCE;
    for (j = 0, k = 0; j < h->n; j++) {
        cp_upgrade *u;
        long mark = h->log_len, e;
        hscore before = h->score;
        double share = 0.0;
        if (!h->upgradable || !h->upgradable[j] || h->centre[j] != j)
            continue;
        u = &r->up->items[k++];
        u->school = h->schools[j];
        u->cluster = r->lay->cluster_of[u->school];
        u->cost = r->inst->schools[u->school].upgrade_cost;
        heur_push_around(h, j);
        for (m = h->head[j]; m >= 0; m = h->next[m])
            heur_push(h, m);
        h->eligible[j] = 0;
        if (!heur_dissolve(h, j) || heur_descend(h))
            return CP_ERESOURCE;
        /* the schools it brings: placed before, unplaced now, at their cost
         * with j (each school's first journal entry holds its state before) */
        r->stamp_now++;
        for (e = mark; e < h->log_len; e++) {
            int s = h->log[e].school, op = h->log[e].op;
            if (r->stamp[s] == r->stamp_now)
                continue;
            r->stamp[s] = r->stamp_now;
            if (h->centre[s] < 0 && op == H_UNASSIGN)
                share += h->w[s] * h->log[e].dist;
            else if (h->centre[s] < 0 && op == H_CLOSE)
                share += h->open_cost[s];
        }
        u->brings = (int)(h->score.unassigned - before.unassigned);
        u->saves = h->score.cost - before.cost + share;
        heur_rollback(h, mark);
        h->eligible[j] = 1;
    }
    return CP_OK;
}

/* The best single upgrade for unassigned school i: 1 and *best set when
 * one places it with a net gain (no school displaced for it). */
static int answer_for(reporter *r, int i, int *best, int *places)
{
    hstate *h = &r->h;
    int g = h->schools[i], p, tries = 0, found = 0;
    double best_cost = 0.0;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1] && tries < ANSWER_TRIES; p++) {
        int j = heur_local(h, h->cand->centre[p]);
        long mark = h->log_len;
        hscore before = h->score;
        if (j < 0 || !h->upgradable || !h->upgradable[j] || h->centre[j] == j)
            continue;
        tries++;
        h->eligible[j] = 1;
        if (!heur_upgrade_trial(h, j, i, h->cand->dist[p]))
            return -1;
        if (h->centre[i] >= 0) {
            int placed = (int)(before.unassigned - h->score.unassigned);
            double cost = h->score.cost - before.cost;
            if (placed >= 1 &&
                (!found || placed > *places || (placed == *places && cost < best_cost))) {
                found = 1;
                *best = h->schools[j];
                *places = placed;
                best_cost = cost;
            }
        }
        heur_rollback(h, mark);
        h->eligible[j] = 0;
    }
    return found;
}

static cp_code answer_unassigned(reporter *r)
{
    const cp_instance *inst = r->inst;
    hstate *h = &r->h;
    int i, n = inst->n_schools;
    r->up->answer = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    r->up->answer_places = cp_calloc((size_t)(n ? n : 1), sizeof(int));
    if (!r->up->answer || !r->up->answer_places)
        return CP_ERESOURCE;
    for (i = 0; i < n; i++)
        r->up->answer[i] = -1;
    for (i = 0; i < n; i++) {
        int k = r->local_of[i], best = -1, places = 0, got;
        if (k < 0 || r->lay->cluster_of[i] >= 0 || h->centre[k] >= 0)
            continue;
        got = answer_for(r, k, &best, &places);
        if (got < 0)
            return CP_ERESOURCE;
        if (!got)
            continue;
        r->up->answer[i] = best;
        r->up->answer_places[i] = places;
        if (r->lay->reason[i] &&
            cp_layout_set_reason(r->lay, i, "%s; one upgrade would place it: %s%s%s%s (%d "
                                 "school%s placed)", r->lay->reason[i], inst->schools[best].id,
                                 inst->schools[best].name[0] ? " (" : "", inst->schools[best].name,
                                 inst->schools[best].name[0] ? ")" : "", places,
                                 places == 1 ? "" : "s"))
            return CP_ERESOURCE;
    }
    return CP_OK;
}

cp_code cp_report_upgrades(const cp_instance *inst, const cp_scenario *sc, cp_layout *lay,
                           cp_distance_ctx *dist, cp_error *err)
{
    reporter r;
    cp_code rc;
    cp_upgrades_free(lay->upgrades);
    lay->upgrades = NULL;
    if (!sc->has_invest)
        return CP_OK;
    memset(&r, 0, sizeof r);
    r.inst = inst;
    r.sc = sc;
    r.lay = lay;
    if (!(r.up = cp_calloc(1, sizeof *r.up)))
        return cp_fail_nomem(err);
    rc = setup(&r, dist, err);
    if (!rc) {
        hide_closed_upgrades(&r.h, 1);
        if (price_upgrades(&r) || answer_unassigned(&r))
            rc = cp_fail_nomem(err);
    }
    reporter_free(&r);
    if (rc) {
        cp_upgrades_free(r.up);
        return rc;
    }
    lay->upgrades = r.up;
    return CP_OK;
}
