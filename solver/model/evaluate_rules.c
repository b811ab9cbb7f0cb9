/*
 * evaluate_rules.c — the independent evaluator's part for issue 24's rules,
 * recomputed from the instance, the scenario and the layout alone (README
 * "Study groups", "New exemplar centres", "Zones"):
 *   groups    each cluster's teachers of every study group; a hard rule
 *             reports group-below-min per cluster and group; the clusters
 *             that can host each group's meeting (and every group's);
 *   upgrades  a centre that is not eligible but upgradable is an upgrade:
 *             their count and cost against max-upgrades and the budget
 *             (upgrades-above-max, upgrade-budget);
 *   zones     each zone's clusters, each cluster centre's distance to its
 *             zone centre's centre and their admin units against <zones>
 *             (zone-size-below-min, zone-size-above-max, zone-distance,
 *             zone-admin); without <zones> only the indicators.
 * Work: one pass over the members per group, one distance per cluster.
 */
#include "model.h"

#include <math.h>
#include <string.h>

typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    const cp_layout *lay;
    cp_evaluation *ev;
    const int *start, *members;
    int *cap;
    cp_error *err;
} rules_ctx;

static int cluster_size(const rules_ctx *r, int c)
{
    return r->start[c + 1] - r->start[c];
}

static cp_code add(rules_ctx *r, cp_violation_kind kind, int cluster, double value, double limit,
                   int group, int zone)
{
    return cp_evaluation_add(r->ev, r->cap, kind, cluster, -1, value, limit, group, zone, r->err);
}

static cp_code evaluate_groups(rules_ctx *r)
{
    cp_evaluation *ev = r->ev;
    cp_groups g;
    int c, k, j, nc = r->lay->n_clusters;
    cp_code rc = CP_OK;
    if (r->sc->n_groups == 0)
        return CP_OK;
    if (cp_groups_bind(r->inst, r->sc, &g, r->err))
        return r->err->code;
    ev->n_groups = g.n;
    ev->cluster_group_teachers = cp_calloc((size_t)(nc ? nc : 1) * (size_t)g.n, sizeof(double));
    ev->group_hosting = cp_calloc((size_t)g.n, sizeof(int));
    if (!ev->cluster_group_teachers || !ev->group_hosting)
        return cp_fail_nomem(r->err);
    for (c = 0; c < nc; c++) {
        double *t = ev->cluster_group_teachers + (size_t)c * (size_t)g.n;
        int hosts_all = 1;
        if (cluster_size(r, c) == 0)
            continue;
        for (j = r->start[c]; j < r->start[c + 1]; j++)
            for (k = 0; k < g.n; k++)
                t[k] += cp_group_teachers(r->inst, &g, r->members[j], k);
        for (k = 0; k < g.n && !rc; k++) {
            int enough = t[k] >= g.min[k] - 1e-9;
            ev->group_hosting[k] += enough;
            hosts_all &= enough;
            if (!enough && !g.soft)
                rc = add(r, CP_V_GROUP_BELOW_MIN, c, t[k], g.min[k], k, -1);
        }
        ev->ind.clusters_hosting_all += hosts_all;
    }
    return rc;
}

static cp_code evaluate_upgrades(rules_ctx *r)
{
    const cp_scenario *sc = r->sc;
    cp_evaluation *ev = r->ev;
    int c, nc = r->lay->n_clusters;
    cp_code rc = CP_OK;
    if (!sc->has_invest)
        return CP_OK;
    if (!(ev->upgraded = cp_calloc((size_t)(nc ? nc : 1), 1)))
        return cp_fail_nomem(r->err);
    for (c = 0; c < nc; c++) {
        int j = r->lay->centre[c];
        const cp_school *s;
        if (j < 0 || cluster_size(r, c) == 0 || r->lay->cluster_of[j] != c)
            continue;
        s = &r->inst->schools[j];
        if (cp_centre_eligible(s, sc) || !cp_centre_upgradable(s, sc))
            continue;
        ev->upgraded[c] = 1;
        ev->ind.upgrades++;
        ev->ind.upgrade_spend += cp_upgrade_spend(s);
    }
    if (sc->max_upgrades >= 0 && ev->ind.upgrades > sc->max_upgrades)
        rc = add(r, CP_V_UPGRADES_ABOVE_MAX, -1, ev->ind.upgrades, sc->max_upgrades, -1, -1);
    if (!rc && isfinite(sc->upgrade_budget) &&
        ev->ind.upgrade_spend > sc->upgrade_budget + 1e-9 * (1.0 + fabs(sc->upgrade_budget)))
        rc = add(r, CP_V_UPGRADE_BUDGET, -1, ev->ind.upgrade_spend, sc->upgrade_budget, -1, -1);
    return rc;
}

/* The zone admin rule's level: <zones admin-level>, else the scenario's. */
static int zone_level(const cp_scenario *sc)
{
    return sc->zone_admin_level >= 0 ? sc->zone_admin_level : sc->admin_level;
}

static cp_code zone_checks(rules_ctx *r, const int *size)
{
    const cp_scenario *sc = r->sc;
    const cp_zoning *z = r->lay->zones;
    const cp_evaluation *ev = r->ev;
    int c, k, level = zone_level(sc);
    cp_code rc = CP_OK;
    if (!sc->has_zones)
        return CP_OK; /* zones read from a file, no rules to hold them to */
    for (k = 0; k < z->n_zones && !rc; k++) {
        if (size[k] > 0 && size[k] < sc->zone_min)
            rc = add(r, CP_V_ZONE_SIZE_BELOW_MIN, z->centre[k], size[k], sc->zone_min, -1, k);
        else if (size[k] > sc->zone_max)
            rc = add(r, CP_V_ZONE_SIZE_ABOVE_MAX, z->centre[k], size[k], sc->zone_max, -1, k);
    }
    for (c = 0; c < r->lay->n_clusters && !rc; c++) {
        int zone = z->zone_of[c], a, b;
        double d = ev->cluster_zone_distance[c];
        if (zone < 0 || cluster_size(r, c) == 0)
            continue;
        if (d > sc->zone_distance || (isnan(d) && isfinite(sc->zone_distance)) || isinf(d))
            rc = add(r, CP_V_ZONE_DISTANCE, c, d, sc->zone_distance, -1, zone);
        a = ev->centre_used[c];
        b = ev->centre_used[z->centre[zone]];
        if (!rc && level > 0 && a >= 0 && b >= 0 &&
            r->inst->schools[a].admin[level - 1] != r->inst->schools[b].admin[level - 1])
            rc = add(r, CP_V_ZONE_ADMIN, c, level, level, -1, zone);
    }
    return rc;
}

static cp_code evaluate_zones(rules_ctx *r)
{
    const cp_zoning *z = r->lay->zones;
    cp_evaluation *ev = r->ev;
    cp_indicators *ind = &ev->ind;
    int c, k, nc = r->lay->n_clusters, *size;
    cp_code rc;
    if (!z)
        return CP_OK;
    if (z->n_clusters != nc)
        return cp_fail(r->err, CP_EINPUT, "the zones cover %d clusters, the layout has %d",
                       z->n_clusters, nc);
    size = cp_calloc((size_t)(z->n_zones ? z->n_zones : 1), sizeof(int));
    ev->cluster_zone_distance = cp_malloc((size_t)(nc ? nc : 1) * sizeof(double));
    if (!size || !ev->cluster_zone_distance) {
        cp_free(size);
        return cp_fail_nomem(r->err);
    }
    for (c = 0; c < nc; c++) {
        int zone = z->zone_of[c], a = ev->centre_used[c], b;
        double d = NAN;
        ev->cluster_zone_distance[c] = NAN;
        if (cluster_size(r, c) == 0)
            continue;
        if (zone < 0) {
            ind->unzoned_clusters++;
            continue;
        }
        size[zone]++;
        ind->zoned_clusters++;
        b = ev->centre_used[z->centre[zone]];
        if (a >= 0 && b >= 0)
            d = cp_straight_distance(r->inst, a, b); /* as zones.c measures */
        ev->cluster_zone_distance[c] = d;
        if (!isnan(d)) {
            ind->zone_travel += ev->cluster_teachers[c] * d;
            ind->zone_distance_max = fmax(ind->zone_distance_max, d);
        }
    }
    for (k = 0; k < z->n_zones; k++) {
        if (size[k] == 0)
            continue;
        ind->zone_size_min = ind->zones == 0 ? size[k] : (size[k] < ind->zone_size_min ? size[k] : ind->zone_size_min);
        ind->zone_size_max = size[k] > ind->zone_size_max ? size[k] : ind->zone_size_max;
        ind->zones++;
    }
    rc = zone_checks(r, size);
    cp_free(size);
    return rc;
}

cp_code cp_evaluate_rules(const cp_instance *inst, const cp_scenario *sc, const cp_layout *lay,
                          cp_evaluation *ev, const int *start,
                          const int *members, int *cap, cp_error *err)
{
    rules_ctx r;
    cp_code rc;
    memset(&r, 0, sizeof r);
    r.inst = inst;
    r.sc = sc;
    r.lay = lay;
    r.ev = ev;
    r.start = start;
    r.members = members;
    r.cap = cap;
    r.err = err;
    rc = evaluate_groups(&r);
    if (!rc)
        rc = evaluate_upgrades(&r);
    if (!rc)
        rc = evaluate_zones(&r);
    return rc;
}
