/*
 * evaluate.c — the independent evaluator.  From the instance, the scenario
 * and a layout alone it recomputes every member's distance, the objective of
 * SPEC.md's model, the planners' indicators and every constraint violation.
 * Solvers never share code paths with it beyond distances, so a solver's
 * claims can be checked against it.
 *
 * With roads, every member's road km (in time mode, of its fastest route)
 * and straight-line km are kept too, and each cluster's circuity.
 *
 * Work: one distance call per member (for networks and roads one bounded
 * Dijkstra per cluster), plus, for a cluster without a centre, k^2 distances to find its
 * medoid ("implied centre").
 */
#include "roads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    const cp_layout *lay;
    cp_distance_ctx *dist;
    cp_evaluation *ev;
    int *start, *members;  /* CSR: members of cluster c in members[start[c]..start[c+1]) */
    int violations_cap;
    double *km;            /* per member of the cluster at hand: road km */
    double road_sum, straight_sum; /* the cluster at hand's, for its circuity */
    cp_error *err;
} eval_ctx;

const char *cp_violation_name(cp_violation_kind k)
{
    static const char *const names[CP_V_KIND_COUNT] = {
        "no-centre",       "several-centres", "centre-not-member", "centre-ineligible",
        "size-below-min",  "size-above-max",  "capacity",          "distance",
        "admin",           "required-centre", "cluster-count",     "duplicate-member",
        "group-below-min", "upgrades-above-max", "upgrade-budget",  "zone-size-below-min",
        "zone-size-above-max", "zone-distance", "zone-admin",
        "road-km"};
    return (unsigned)k < CP_V_KIND_COUNT ? names[k] : "unknown";
}

cp_code cp_evaluation_add(cp_evaluation *ev, int *cap, cp_violation_kind kind, int cluster,
                          int school, double value, double limit, int group, int zone,
                          cp_error *err)
{
    cp_violation *v;
    if (cp_grow((void **)&ev->violations, cap, ev->n_violations + 1, sizeof *v))
        return cp_fail_nomem(err);
    v = &ev->violations[ev->n_violations++];
    v->kind = kind;
    v->cluster = cluster;
    v->school = school;
    v->value = value;
    v->limit = limit;
    v->group = group;
    v->zone = zone;
    return CP_OK;
}

static cp_code add_violation(eval_ctx *e, cp_violation_kind kind, int cluster,
                             int school, double value, double limit)
{
    return cp_evaluation_add(e->ev, &e->violations_cap, kind, cluster, school, value, limit, -1,
                             -1, e->err);
}

static double weight_of(const eval_ctx *e, int i)
{
    return e->sc->weight == CP_WEIGHT_NONE ? 1.0 : e->inst->schools[i].teachers;
}

int cp_scenario_timed(const cp_scenario *sc)
{
    return sc->travel != CP_TRAVEL_DISTANCE;
}

double cp_school_limit(const cp_school *s, const cp_scenario *sc)
{
    if (cp_scenario_timed(sc))
        return sc->time_max;
    return isnan(s->max_distance) ? sc->distance_max : s->max_distance;
}

double cp_school_km_limit(const cp_school *s, const cp_scenario *sc)
{
    if (!cp_scenario_timed(sc))
        return INFINITY;
    return isnan(s->max_distance) ? sc->distance_max : s->max_distance;
}

cp_code cp_roads_match(const cp_instance *inst, const cp_scenario *sc, cp_error *err)
{
    if (cp_scenario_timed(sc) && !inst->road)
        return cp_fail(err, CP_EINPUT, "travel mode %s measures minutes by road: the instance "
                       "must be joined to its road layer first (--roads FILE, <roads path>)",
                       cp_travel_name(sc->travel));
    if (inst->road && cp_road_info(inst)->travel != sc->travel)
        return cp_fail(err, CP_EINPUT, "the road network was built for travel %s, the scenario "
                       "asks for %s", cp_travel_name(cp_road_info(inst)->travel),
                       cp_travel_name(sc->travel));
    return CP_OK;
}

/* Eligible centre per SPEC: host, not forbidden, quality >= threshold (an
 * unknown quality fails any threshold that is set). */
int cp_centre_eligible(const cp_school *s, const cp_scenario *sc)
{
    if (!s->host || s->centre == CP_CENTRE_FORBIDDEN)
        return 0;
    /* a threshold of 0 asks nothing (every quality is in 0..1): a school of
     * unknown quality passes it, as it passes no threshold at all */
    if (sc->min_quality <= 0)
        return 1;
    return !isnan(s->quality) && s->quality >= sc->min_quality;
}

/* The member minimising weighted travel to itself; ties by school index.
 * Tries at most MEDOID_CANDIDATES members (evenly spaced) so a huge
 * centreless cluster costs O(k * MEDOID_CANDIDATES) distances, not k^2. */
#define MEDOID_CANDIDATES 512
static cp_code implied_centre(eval_ctx *e, const int *mem, int k, double *scratch, int *out)
{
    double best = INFINITY;
    int a, b, step = k > MEDOID_CANDIDATES ? k / MEDOID_CANDIDATES : 1;
    *out = mem[0];
    for (a = 0; a < k; a += step) {
        double total = 0.0;
        if (cp_distance_to_centre(e->dist, mem[a], mem, k, scratch))
            return cp_fail_nomem(e->err);
        for (b = 0; b < k; b++)
            total += weight_of(e, mem[b]) * scratch[b];
        if (total < best || (total == best && mem[a] < *out)) {
            best = total;
            *out = mem[a];
        }
    }
    return CP_OK;
}

static cp_code check_centre(eval_ctx *e, int c, int centre)
{
    const cp_school *s = &e->inst->schools[centre];
    cp_code rc = CP_OK;
    if (e->lay->cluster_of[centre] != c || (e->lay->flags[c] & CP_LAYOUT_CENTRE_NOT_MEMBER))
        rc = add_violation(e, CP_V_CENTRE_NOT_MEMBER, c, centre, 0, 0);
    /* an upgradable centre is an upgrade (counted against <invest> by
     * cp_evaluate_rules), not a broken rule */
    if (!rc && !cp_centre_eligible(s, e->sc) && !cp_centre_upgradable(s, e->sc))
        rc = add_violation(e, CP_V_CENTRE_INELIGIBLE, c, centre, s->quality,
                           e->sc->min_quality);
    if (!rc && (e->lay->flags[c] & CP_LAYOUT_SEVERAL_CENTRES))
        rc = add_violation(e, CP_V_SEVERAL_CENTRES, c, centre, 0, 0);
    return rc;
}

static cp_code check_size_capacity(eval_ctx *e, int c, int k, double teachers)
{
    const cp_scenario *sc = e->sc;
    cp_code rc = CP_OK;
    if (k < sc->size_min)
        rc = add_violation(e, CP_V_SIZE_BELOW_MIN, c, -1, k, sc->size_min);
    else if (k > sc->size_max)
        rc = add_violation(e, CP_V_SIZE_ABOVE_MAX, c, -1, k, sc->size_max);
    if (!rc && teachers > sc->capacity)
        rc = add_violation(e, CP_V_CAPACITY, c, -1, teachers, sc->capacity);
    return rc;
}

static cp_code check_member(eval_ctx *e, int c, int centre, int i, double d, double km)
{
    const cp_school *s = &e->inst->schools[i];
    double limit = cp_school_limit(s, e->sc), km_limit = cp_school_km_limit(s, e->sc);
    int level = e->sc->admin_level;
    cp_code rc = CP_OK;
    if (d > limit || isinf(d)) /* unreachable breaks even "no limit" */
        rc = add_violation(e, CP_V_DISTANCE, c, i, d, limit);
    else if (km > km_limit)
        rc = add_violation(e, CP_V_ROAD_KM, c, i, km, km_limit);
    if (!rc && level > 0 && s->admin[level - 1] != e->inst->schools[centre].admin[level - 1])
        rc = add_violation(e, CP_V_ADMIN, c, i, level, level);
    return rc;
}

/* With roads: member i's road km and straight km, summed for its cluster's
 * circuity over members that are not the centre and can reach it. */
static void road_figures(eval_ctx *e, int c, int centre, int i, double km)
{
    const cp_school *s = &e->inst->schools[i], *t = &e->inst->schools[centre];
    double straight = cp_haversine_km(s->y, s->x, t->y, t->x);
    (void)c;
    e->ev->road_km[i] = km;
    e->ev->straight_km[i] = straight;
    if (i != centre && isfinite(km)) {
        e->road_sum += km;
        e->straight_sum += straight;
    }
}

static cp_code evaluate_cluster(eval_ctx *e, int c, double *scratch)
{
    cp_evaluation *ev = e->ev;
    const int *mem = e->members + e->start[c];
    int k = e->start[c + 1] - e->start[c], centre = e->lay->centre[c], j;
    double teachers = 0.0, travel = 0.0, maxd = 0.0;
    cp_code rc = CP_OK;
    e->road_sum = e->straight_sum = 0.0;
    if (centre < 0 && k > 0) {
        rc = add_violation(e, CP_V_NO_CENTRE, c, -1, 0, 0);
        if (!rc)
            rc = implied_centre(e, mem, k, scratch, &centre);
        ev->ind.implied_centres++;
    } else if (centre >= 0) {
        rc = check_centre(e, c, centre);
    }
    ev->centre_used[c] = centre;
    if (!rc && centre >= 0)
        rc = e->km ? cp_distance_to_centre_km(e->dist, centre, mem, k, scratch, e->km)
                   : cp_distance_to_centre(e->dist, centre, mem, k, scratch);
    for (j = 0; !rc && j < k; j++) {
        double d = centre >= 0 ? scratch[j] : NAN;
        ev->distance[mem[j]] = d;
        teachers += e->inst->schools[mem[j]].teachers;
        if (isfinite(d)) { /* one out of reach is counted apart (distance_indicators) */
            travel += weight_of(e, mem[j]) * d;
            maxd = d > maxd ? d : maxd;
        }
        if (centre >= 0 && e->km)
            road_figures(e, c, centre, mem[j], e->km[j]);
        if (centre >= 0)
            rc = check_member(e, c, centre, mem[j], d, e->km ? e->km[j] : d);
    }
    if (e->km)
        ev->cluster_circuity[c] = e->straight_sum > 0 ? e->road_sum / e->straight_sum : NAN;
    if (!rc)
        rc = check_size_capacity(e, c, k, teachers);
    ev->cluster_size[c] = k;
    ev->cluster_teachers[c] = teachers;
    ev->cluster_travel[c] = travel;
    ev->cluster_maxdist[c] = maxd;
    return rc;
}

static cp_code check_global(eval_ctx *e)
{
    const cp_instance *in = e->inst;
    int i, nonempty = 0;
    cp_code rc = CP_OK;
    for (i = 0; !rc && i < in->n_schools; i++) {
        int c = e->lay->cluster_of[i];
        if (in->schools[i].centre == CP_CENTRE_REQUIRED &&
            (c < 0 || e->lay->centre[c] != i))
            rc = add_violation(e, CP_V_REQUIRED_CENTRE, c, i, 0, 0);
    }
    for (i = 0; i < e->lay->n_duplicates && !rc; i++)
        rc = add_violation(e, CP_V_DUPLICATE_MEMBER, e->lay->cluster_of[e->lay->duplicates[i]],
                           e->lay->duplicates[i], 0, 0);
    for (i = 0; i < e->lay->n_clusters; i++)
        nonempty += e->start[i + 1] > e->start[i];
    if (!rc && e->sc->cluster_count > 0 && nonempty != e->sc->cluster_count)
        rc = add_violation(e, CP_V_CLUSTER_COUNT, -1, -1, nonempty, e->sc->cluster_count);
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cluster_crosses_admin(const eval_ctx *e, int c, int level)
{
    int j, first = -1;
    for (j = e->start[c]; j < e->start[c + 1]; j++) {
        int a = e->inst->schools[e->members[j]].admin[level - 1];
        if (j == e->start[c])
            first = a;
        else if (a != first)
            return 1;
    }
    return 0;
}

static void centre_indicators(eval_ctx *e)
{
    cp_indicators *ind = &e->ev->ind;
    double qsum = 0.0;
    int c, known = 0, level;
    level = e->sc->admin_level > 0 ? e->sc->admin_level : e->inst->admin_levels_present;
    ind->admin_level_checked = level;
    for (c = 0; c < e->lay->n_clusters; c++) {
        int centre = e->ev->centre_used[c];
        if (e->start[c + 1] == e->start[c])
            continue;
        if (level > 0 && cluster_crosses_admin(e, c, level))
            ind->clusters_crossing_admin++;
        if (centre < 0)
            continue;
        if (cp_centre_eligible(&e->inst->schools[centre], e->sc))
            ind->centres_meeting_quality++;
        if (!isnan(e->inst->schools[centre].quality)) {
            qsum += e->inst->schools[centre].quality;
            known++;
        }
    }
    ind->mean_centre_quality = known ? qsum / known : NAN;
}

static void size_indicators(eval_ctx *e, double *buf)
{
    cp_indicators *ind = &e->ev->ind;
    int c, n = 0;
    for (c = 0; c < e->lay->n_clusters; c++)
        if (e->ev->cluster_size[c] > 0)
            buf[n++] = e->ev->cluster_size[c];
    ind->clusters = n;
    qsort(buf, (size_t)n, sizeof *buf, cmp_double);
    ind->size_min = n ? (int)buf[0] : 0;
    ind->size_max = n ? (int)buf[n - 1] : 0;
    ind->size_median = cp_sorted_median(buf, n);
}

/* Distance statistics over members that are not their cluster's centre. */
static void distance_indicators(eval_ctx *e, double *buf)
{
    const cp_instance *in = e->inst;
    cp_evaluation *ev = e->ev;
    cp_indicators *ind = &ev->ind;
    int i, n = 0, within = 0;
    double sum = 0.0;
    for (i = 0; i < in->n_schools; i++) {
        int c = e->lay->cluster_of[i];
        double d = ev->distance[i];
        if (c < 0)
            continue;
        ind->assigned++;
        if (isfinite(d) && d <= cp_school_limit(&in->schools[i], e->sc))
            within++;
        if (ev->centre_used[c] >= 0 && !isfinite(d)) {
            /* a member out of reach (a straight-line layout evaluated by
             * road): its travel is no number, so the sums leave it out and
             * say how many they left out, rather than print inf */
            ind->unreachable++;
            continue;
        }
        ind->travel_weighted += in->schools[i].teachers * d;
        ind->travel += weight_of(e, i) * d;
        if (ev->centre_used[c] != i && isfinite(d)) {
            buf[n++] = d;
            sum += d;
        }
    }
    ind->unassigned = in->n_schools - ind->assigned;
    qsort(buf, (size_t)n, sizeof *buf, cmp_double);
    ind->dist_mean = n ? sum / n : 0.0;
    ind->dist_median = cp_sorted_median(buf, n);
    ind->dist_p90 = cp_sorted_percentile(buf, n, 90.0);
    ind->dist_max = n ? buf[n - 1] : 0.0;
    ind->share_within_limit = ind->assigned ? (double)within / ind->assigned : 1.0;
}

/* With roads, over the members that are not centres and reach theirs:
 * straight-line km (mean, max), road km (mean), circuity (road / straight
 * summed). */
static void road_indicators(eval_ctx *e)
{
    cp_indicators *ind = &e->ev->ind;
    double road = 0.0, straight = 0.0;
    int i, n = 0;
    ind->straight_mean = ind->straight_max = ind->road_km_mean = ind->circuity = NAN;
    ind->teacher_km = ind->travel_weighted;
    if (!e->km)
        return;
    ind->teacher_km = 0.0; /* over the routes' road km (minutes in time mode are not km) */
    for (i = 0; i < e->inst->n_schools; i++)
        if (e->lay->cluster_of[i] >= 0 && isfinite(e->ev->road_km[i]))
            ind->teacher_km += e->inst->schools[i].teachers * e->ev->road_km[i];
    ind->straight_max = 0.0;
    for (i = 0; i < e->inst->n_schools; i++) {
        int c = e->lay->cluster_of[i];
        if (c < 0 || e->ev->centre_used[c] == i || !isfinite(e->ev->road_km[i]))
            continue;
        road += e->ev->road_km[i];
        straight += e->ev->straight_km[i];
        ind->straight_max = fmax(ind->straight_max, e->ev->straight_km[i]);
        n++;
    }
    ind->straight_mean = n ? straight / n : 0.0;
    ind->road_km_mean = n ? road / n : 0.0;
    ind->circuity = straight > 0 ? road / straight : NAN;
}

/* Objective (second lexicographic term: travel, or with the cost kind the
 * annual cost, cp_objective_travel_factor) and the annual cost of meetings:
 * every teacher travels to the centre and back at each meeting, and each
 * centre is paid a stipend per meeting. */
static void cost_indicators(eval_ctx *e)
{
    cp_indicators *ind = &e->ev->ind;
    const cp_scenario *sc = e->sc;
    double qsum = 0.0;
    int c;
    for (c = 0; c < e->lay->n_clusters; c++) {
        int centre = e->ev->centre_used[c];
        if (centre >= 0 && e->start[c + 1] > e->start[c] &&
            !isnan(e->inst->schools[centre].quality))
            qsum += e->inst->schools[centre].quality;
    }
    ind->objective = cp_objective_travel_factor(sc) * ind->travel +
                     cp_objective_per_cluster(sc) * ind->clusters - sc->quality_reward * qsum;
    ind->annual_cost = ind->annual_travel_cost = ind->annual_stipends = NAN;
    if (sc->has_costs) {
        ind->annual_travel_cost = sc->meetings_per_year * 2.0 * sc->cost_per_km *
                                  ind->teacher_km;
        ind->annual_stipends = sc->meetings_per_year * sc->host_stipend * ind->clusters;
        ind->annual_cost = ind->annual_travel_cost + ind->annual_stipends;
    }
}

static cp_code alloc_evaluation(eval_ctx *e)
{
    int n = e->inst->n_schools, k = e->lay->n_clusters, i;
    size_t nk = (size_t)(k ? k : 1);
    cp_evaluation *ev = cp_calloc(1, sizeof *ev);
    if (!ev)
        return cp_fail_nomem(e->err);
    e->ev = ev;
    ev->n_clusters = k;
    ev->distance = cp_malloc((size_t)(n ? n : 1) * sizeof(double));
    ev->centre_used = cp_malloc(nk * sizeof(int));
    ev->cluster_travel = cp_calloc(nk, sizeof(double));
    ev->cluster_maxdist = cp_calloc(nk, sizeof(double));
    ev->cluster_teachers = cp_calloc(nk, sizeof(double));
    ev->cluster_size = cp_calloc(nk, sizeof(int));
    if (!ev->distance || !ev->centre_used || !ev->cluster_travel || !ev->cluster_maxdist ||
        !ev->cluster_teachers || !ev->cluster_size)
        return cp_fail_nomem(e->err);
    for (i = 0; i < n; i++)
        ev->distance[i] = NAN;
    if (!e->inst->road)
        return CP_OK;
    ev->straight_km = cp_malloc((size_t)(n ? n : 1) * sizeof(double));
    ev->road_km = cp_malloc((size_t)(n ? n : 1) * sizeof(double));
    ev->cluster_circuity = cp_malloc(nk * sizeof(double));
    e->km = cp_malloc((size_t)(n ? n : 1) * sizeof(double));
    if (!ev->straight_km || !ev->road_km || !ev->cluster_circuity || !e->km)
        return cp_fail_nomem(e->err);
    for (i = 0; i < n; i++)
        ev->straight_km[i] = ev->road_km[i] = NAN;
    for (i = 0; i < k; i++)
        ev->cluster_circuity[i] = NAN;
    return CP_OK;
}

static cp_code run_evaluation(eval_ctx *e)
{
    int n = e->inst->n_schools, c;
    cp_code rc;
    double *scratch = cp_malloc((size_t)(n ? n : 1) * sizeof(double));
    if (!scratch)
        return cp_fail_nomem(e->err);
    rc = cp_layout_members(e->lay, &e->start, &e->members) ? cp_fail_nomem(e->err) : CP_OK;
    for (c = 0; !rc && c < e->lay->n_clusters; c++)
        rc = evaluate_cluster(e, c, scratch);
    if (!rc)
        rc = check_global(e);
    if (!rc)
        rc = cp_evaluate_rules(e->inst, e->sc, e->lay, e->ev, e->start, e->members,
                               &e->violations_cap, e->err);
    if (!rc) {
        size_indicators(e, scratch);
        distance_indicators(e, scratch);
        road_indicators(e);
        centre_indicators(e);
        cost_indicators(e);
    }
    cp_free(scratch);
    return rc;
}

cp_evaluation *cp_evaluate(const cp_instance *inst, const cp_scenario *sc,
                           const cp_layout *lay, cp_distance_ctx *dist, cp_error *err)
{
    eval_ctx e;
    cp_code rc;
    memset(&e, 0, sizeof e);
    e.inst = inst;
    e.sc = sc;
    e.lay = lay;
    e.dist = dist;
    e.err = err;
    if (lay->n_schools != inst->n_schools) {
        cp_fail(err, CP_EINPUT, "layout has %d schools, instance %d", lay->n_schools,
                inst->n_schools);
        return NULL;
    }
    if (cp_roads_match(inst, sc, err))
        return NULL;
    rc = alloc_evaluation(&e);
    if (!rc)
        rc = run_evaluation(&e);
    cp_free(e.start);
    cp_free(e.members);
    cp_free(e.km);
    if (rc) {
        cp_evaluation_free(e.ev);
        return NULL;
    }
    return e.ev;
}

void cp_evaluation_free(cp_evaluation *ev)
{
    if (!ev)
        return;
    cp_free(ev->violations);
    cp_free(ev->distance);
    cp_free(ev->centre_used);
    cp_free(ev->cluster_travel);
    cp_free(ev->cluster_maxdist);
    cp_free(ev->cluster_teachers);
    cp_free(ev->cluster_size);
    cp_free(ev->cluster_group_teachers);
    cp_free(ev->group_hosting);
    cp_free(ev->upgraded);
    cp_free(ev->cluster_zone_distance);
    cp_free(ev->straight_km);
    cp_free(ev->road_km);
    cp_free(ev->cluster_circuity);
    cp_free(ev);
}
