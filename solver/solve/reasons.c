/*
 * reasons.c — why each unplaced school is unplaced, in words a planner can
 * act on: the rule that binds, named, with the counts that show it binds.
 * Every reason reads "RULE: detail", so reports group them by RULE:
 *   capacity rule  the school alone has more teachers than a cluster may;
 *   admin rule     its unit is missing, too small, or holds none (or too few)
 *                  of the schools within its limit;
 *   distance rule  too few schools within its limit at all;
 *   centre rule    none of the schools it could join can be a centre (not a
 *                  host, forbidden, below min-quality, or no quality value);
 *   size rule      reachable centres exist, but too few schools can join any
 *                  of them, or every cluster it could join is full and the
 *                  number unassigned is proven minimal;
 *   group rule     (hard study groups) the schools that could share a centre
 *                  with it have too few teachers of a group for any cluster;
 *   search stopped the best layout found before the search stopped.
 * "42 schools within 10 km, none in its zone (admin3)" is the example of
 * the issue that asked for this: the old reason counted the school itself
 * ("only 1 school can share a centre with it") and never named the zone.
 *
 * Work: one neighbour query (cp_neighbours_build) for the unplaced schools
 * only, one pass over the schools for the units' counts, and each unplaced
 * school's neighbours and admissible pairs once.
 */
#include "reasons.h"
#include "solver/model/roads.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    int schools;       /* in the unit */
    int eligible;      /* eligible centres in the unit */
} unit_count;

typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    const cp_candidates *cand;
    cp_candidates *near;        /* neighbours of the unplaced; NULL without a limit */
    cp_layout *lay;
    unit_count *units;          /* per admin id at the scenario's level (or one) */
    int *size;                  /* per cluster of the layout */
    double *load;               /* per cluster: teachers */
    int *joinable;              /* per school: schools that may join it as centre */
    char unit_kind[64];         /* "zone" (its column) or "admin3 unit" */
    cp_groups groups;           /* hard study groups (n = 0 otherwise) */
    int *by_centre_start, *by_centre; /* members admissible to each centre (groups) */
    int *seen;                  /* scratch: the school last counted for (groups) */
} explainer;

/* Why centres fail the rule, among a set of schools. */
typedef struct {
    int seen, not_host, forbidden, below, unknown;
} centre_failures;

static int unit_of(const explainer *x, int i)
{
    int level = x->sc->admin_level;
    return level > 0 ? x->inst->schools[i].admin[level - 1] : 0;
}

static int same_unit(const explainer *x, int i, int j)
{
    return x->sc->admin_level == 0 || unit_of(x, i) == unit_of(x, j);
}

static void name_unit(explainer *x)
{
    int level = x->sc->admin_level;
    char field[16];
    const char *column;
    snprintf(field, sizeof field, "admin%d", level);
    column = level > 0 ? cp_scenario_column(x->sc, field) : NULL;
    snprintf(x->unit_kind, sizeof x->unit_kind, "%s", column ? column : field);
    if (!column)
        snprintf(x->unit_kind, sizeof x->unit_kind, "admin%d unit", level);
}

/* "zone Kwa Mboo (admin3)": the kind, school i's unit's name, the level. */
static const char *unit_words(const explainer *x, int i, char *buf, size_t cap)
{
    int level = x->sc->admin_level;
    const char *name = level > 0 ? x->inst->schools[i].admin_name[level - 1] : NULL;
    if (strncmp(x->unit_kind, "admin", 5) == 0) /* no column named: the level says it */
        snprintf(buf, cap, "%s%s%s", x->unit_kind, name ? " " : "", name ? name : "");
    else
        snprintf(buf, cap, "%s%s%s (admin%d)", x->unit_kind, name ? " " : "", name ? name : "",
                 level);
    return buf;
}

static void count_failure(const explainer *x, int j, centre_failures *f)
{
    const cp_school *s = &x->inst->schools[j];
    f->seen++;
    if (!s->host)
        f->not_host++;
    else if (s->centre == CP_CENTRE_FORBIDDEN)
        f->forbidden++;
    else if (isnan(s->quality) && x->sc->min_quality > 0)
        f->unknown++;
    else if (!x->cand->eligible[j])
        f->below++;
}

/* "3 are not hosts, 2 below min-quality 0.6 (2 have no quality value)". */
static void failure_words(const explainer *x, const centre_failures *f, char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    if (f->not_host)
        n += (size_t)snprintf(buf + n, cap - n, "%d not a host", f->not_host);
    if (f->forbidden && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "%s%d centre=\"forbidden\"", n ? ", " : "",
                              f->forbidden);
    if ((f->below || f->unknown) && n < cap)
        n += (size_t)snprintf(buf + n, cap - n, "%s%d below min-quality %g", n ? ", " : "",
                              f->below + f->unknown, x->sc->min_quality);
    if (f->unknown && n < cap)
        snprintf(buf + n, cap - n, " (%d %s no quality value)", f->unknown,
                 f->unknown == 1 ? "has" : "have");
}

/* The school's limits in words: in a travel mode, the minutes and, when
 * it is finite, the road-km cap too (both bind: the reasons used to name
 * only the minutes where the 10 km held the school out). */
static void within_words(const explainer *x, int i, char *buf, size_t cap)
{
    double limit = cp_school_limit(&x->inst->schools[i], x->sc);
    double km = cp_school_km_limit(&x->inst->schools[i], x->sc);
    if (isfinite(limit) && isfinite(km))
        snprintf(buf, cap, "within %g %s and %g km by road", limit, x->inst->units, km);
    else if (isfinite(limit))
        snprintf(buf, cap, "within %g %s", limit, x->inst->units);
    else if (isfinite(km))
        snprintf(buf, cap, "within %g km by road", km);
    else
        snprintf(buf, cap, "in reach");
}

/* Counts over school i's neighbours (other schools within its limit). */
typedef struct {
    int near, near_unit;
    centre_failures fail;   /* over i and its neighbours in its unit */
    int eligible_unit;      /* eligible among them */
} neighbourhood;

static void look_around(const explainer *x, int i, neighbourhood *nb)
{
    long p;
    memset(nb, 0, sizeof *nb);
    if (x->cand->eligible[i])
        nb->eligible_unit++;
    else
        count_failure(x, i, &nb->fail);
    if (!x->near || !isfinite(cp_school_limit(&x->inst->schools[i], x->sc))) {
        /* no limit: the unit is the neighbourhood */
        const unit_count *u = unit_of(x, i) >= 0 ? &x->units[unit_of(x, i)] : NULL;
        nb->near = nb->near_unit = u ? u->schools - 1 : 0;
        nb->eligible_unit = u ? u->eligible : 0;
        return;
    }
    for (p = x->near->start[i]; p < x->near->start[i + 1]; p++) {
        int j = x->near->centre[p];
        if (j == i)
            continue;
        nb->near++;
        if (!same_unit(x, i, j))
            continue;
        nb->near_unit++;
        if (x->cand->eligible[j])
            nb->eligible_unit++;
        else
            count_failure(x, j, &nb->fail);
    }
}

/* A school no model can place: no admissible pair, or its part is smaller
 * than a cluster.  The first rule that explains it, in the order a planner
 * would relax them. */
static cp_code explain_stranded(const explainer *x, int i, int part_size)
{
    const cp_school *s = &x->inst->schools[i];
    const cp_scenario *sc = x->sc;
    int level = sc->admin_level, need = sc->size_min;
    char within[128], fails[200], unit[160];
    neighbourhood nb;
    unit_words(x, i, unit, sizeof unit);
    if (x->inst->road && cp_road_access_of(x->inst->road, i) == ROAD_NONE)
        return cp_layout_set_reason(x->lay, i, "road rule: no road within %g km (snap-max)",
                                    sc->snap_max);
    if (s->teachers > sc->capacity)
        return cp_layout_set_reason(x->lay, i, "capacity rule: has %g teachers, more than the capacity of %g "
                   "per cluster", s->teachers, sc->capacity);
    if (level > 0 && unit_of(x, i) < 0)
        return cp_layout_set_reason(x->lay, i, "admin rule: it has no admin%d value, so it shares no %s with "
                   "any school", level, x->unit_kind);
    if (level > 0 && x->units[unit_of(x, i)].schools < need)
        return cp_layout_set_reason(x->lay, i, "admin rule: its %s has %d school%s, fewer than the "
                   "minimum of %d", unit, x->units[unit_of(x, i)].schools,
                   x->units[unit_of(x, i)].schools == 1 ? "" : "s", need);
    within_words(x, i, within, sizeof within);
    look_around(x, i, &nb);
    if (isfinite(cp_school_limit(s, sc)) && nb.near == 0)
        return cp_layout_set_reason(x->lay, i, "distance rule: no other school %s: a cluster needs %d", within,
                   need);
    if (isfinite(cp_school_limit(s, sc)) && nb.near + 1 < need)
        return cp_layout_set_reason(x->lay, i, "distance rule: only %d other school%s %s: a cluster needs %d",
                   nb.near, nb.near == 1 ? "" : "s", within, need);
    if (level > 0 && nb.near_unit == 0)
        return cp_layout_set_reason(x->lay, i, "admin rule: %d schools %s, none in its %s", nb.near, within,
                   unit);
    if (level > 0 && nb.near_unit + 1 < need)
        return cp_layout_set_reason(x->lay, i, "admin rule: %d schools %s, only %d in its %s: a cluster needs %d",
                   nb.near, within, nb.near_unit, unit, need);
    if (nb.eligible_unit == 0) {
        failure_words(x, &nb.fail, fails, sizeof fails);
        return cp_layout_set_reason(x->lay, i, "centre rule: none of the %d schools %s%s%s (itself included) "
                   "can be a centre: %s", nb.near_unit + 1, within, level ? " in its " : "",
                   level ? unit : "", fails);
    }
    if (isfinite(sc->capacity) && part_size == 1 && !x->cand->eligible[i] && nb.eligible_unit > 0)
        return cp_layout_set_reason(x->lay, i, "capacity rule: its %g teachers with those of any of the %d "
                   "eligible centres %s%s%s exceed the capacity of %g per cluster", s->teachers,
                   nb.eligible_unit, within, level ? " in its " : "", level ? unit : "",
                   sc->capacity);
    return cp_layout_set_reason(x->lay, i, "size rule: only %d school%s (itself included) can share an eligible "
               "centre %s%s%s; a cluster needs %d (%d of the %d schools there can be centres)",
               part_size, part_size == 1 ? "" : "s", within, level ? " in its " : "",
               level ? unit : "", need, nb.eligible_unit, nb.near_unit + 1);
}

/* Hard study groups: the teachers of each group among every school that
 * could share a centre with i (itself included), against a cluster's
 * need.  1 when a group falls short (the reason is set; *rc its code). */
static int explain_groups(const explainer *x, int i, cp_code *rc)
{
    double total[CP_MAX_GROUPS] = {0};
    int g, n = 0;
    long p, q;
    if (x->groups.n == 0)
        return 0;
    for (p = x->cand->start[i]; p < x->cand->start[i + 1]; p++) {
        int j = x->cand->centre[p];
        for (q = x->by_centre_start[j]; q < x->by_centre_start[j + 1]; q++) {
            int k = x->by_centre[q];
            if (x->seen[k] == i)
                continue;
            x->seen[k] = i;
            n++;
            for (g = 0; g < x->groups.n; g++)
                total[g] += cp_group_teachers(x->inst, &x->groups, k, g);
        }
    }
    for (g = 0; g < x->groups.n; g++)
        if (total[g] < x->groups.min[g] - 1e-9) {
            *rc = cp_layout_set_reason(x->lay, i, "group rule: the %d schools that could share a "
                       "centre with it (itself included) have %g %s teachers in all; a cluster "
                       "needs %g", n, total[g], x->sc->groups[g].name, x->groups.min[g]);
            return 1;
        }
    return 0;
}

/* Members admissible to each centre (the transpose of the pairs), for the
 * group rule's counts: O(P). */
static cp_code groups_view(explainer *x)
{
    int n = x->inst->n_schools, i;
    long p, *fill;
    if (cp_groups_bind(x->inst, x->sc, &x->groups, NULL) || x->groups.soft) {
        x->groups.n = 0;
        return CP_OK;
    }
    if (x->groups.n == 0)
        return CP_OK;
    x->by_centre_start = cp_calloc((size_t)n + 1, sizeof(int));
    x->by_centre = cp_malloc((size_t)(x->cand->n_pairs ? x->cand->n_pairs : 1) * sizeof(int));
    x->seen = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    fill = cp_malloc((size_t)(n ? n : 1) * sizeof(long));
    if (!x->by_centre_start || !x->by_centre || !x->seen || !fill) {
        cp_free(fill);
        return CP_ERESOURCE;
    }
    for (p = 0; p < x->cand->n_pairs; p++)
        x->by_centre_start[x->cand->centre[p] + 1]++;
    for (i = 0; i < n; i++) {
        x->by_centre_start[i + 1] += x->by_centre_start[i];
        fill[i] = x->by_centre_start[i];
        x->seen[i] = -1;
    }
    for (i = 0; i < n; i++)
        for (p = x->cand->start[i]; p < x->cand->start[i + 1]; p++)
            x->by_centre[fill[x->cand->centre[p]]++] = i;
    cp_free(fill);
    return CP_OK;
}

/* A school of a solved part that is still unplaced: what its admissible
 * centres are doing in the layout. */
static cp_code explain_crowded(const explainer *x, int i, int proven)
{
    const cp_scenario *sc = x->sc;
    int full = 0, members = 0, unopened = 0, capacity = 0, total = 0, could_open = 0;
    int self_open = 0;
    char within[128], at_capacity[96] = "";
    long p;
    cp_code rc = CP_OK;
    if (explain_groups(x, i, &rc))
        return rc;
    for (p = x->cand->start[i]; p < x->cand->start[i + 1]; p++) {
        int j = x->cand->centre[p], k = x->lay->cluster_of[j];
        /* a centre heading no cluster, around which one with i could form */
        if ((k < 0 || x->lay->centre[k] != j) && x->joinable[j] + 1 >= sc->size_min) {
            could_open++;
            self_open |= j == i;
        }
        if (j == i)
            continue;
        total++;
        if (k < 0)
            unopened++;
        else if (x->lay->centre[k] != j)
            members++;
        else if (x->size[k] >= sc->size_max)
            full++;
        else
            capacity += x->load[k] + x->inst->schools[i].teachers > sc->capacity;
    }
    within_words(x, i, within, sizeof within);
    /* with every cluster the count allows already open, the count binds: a
     * cluster of its own (or around an unopened centre) would break it */
    if (proven && sc->cluster_count > 0 && x->lay->n_clusters >= sc->cluster_count &&
        could_open > 0)
        return cp_layout_set_reason(x->lay, i, "count rule: the layout has the %d clusters asked "
                   "for (--clusters or <clusters count>); %d eligible centre%s%s could head a "
                   "new cluster with it, which would break the count; no layout of %d clusters "
                   "places more schools (proven)", sc->cluster_count, could_open,
                   could_open == 1 ? "" : "s", self_open ? " (itself included)" : "",
                   sc->cluster_count);
    if (proven && total == 0)
        return cp_layout_set_reason(x->lay, i, "size rule: no eligible centre but itself %s, and %d "
                   "school%s could join a cluster around it: too few once the others are "
                   "placed (a cluster needs %d); no layout places more schools (proven)",
                   within, x->joinable[i], x->joinable[i] == 1 ? "" : "s", sc->size_min);
    if (!proven)
        return cp_layout_set_reason(x->lay, i, "search stopped: not placed by the best layout found (%d "
                   "eligible centres %s: %d head full clusters, %d are members elsewhere)",
                   total, within, full, members);
    if (isfinite(sc->capacity))
        snprintf(at_capacity, sizeof at_capacity, ", %d have no room for its %g teachers "
                 "(capacity %g)", capacity, x->inst->schools[i].teachers, sc->capacity);
    return cp_layout_set_reason(x->lay, i, "size rule: of the %d eligible centres %s, %d head full clusters "
               "(size max %d)%s, %d are members of other clusters and %d head no cluster; no "
               "layout places more schools (proven), so placing it would leave another "
               "school out", total, within, full, sc->size_max, at_capacity, members, unopened);
}

static cp_code count_units(explainer *x)
{
    int n = x->inst->n_schools, i;
    x->units = cp_calloc((size_t)cp_admin_id_bound(x->inst, x->sc->admin_level), sizeof *x->units);
    if (!x->units)
        return CP_ERESOURCE;
    for (i = 0; i < n; i++) {
        int u = unit_of(x, i);
        if (u < 0)
            continue;
        x->units[u].schools++;
        x->units[u].eligible += x->cand->eligible[i] != 0;
    }
    return CP_OK;
}

/* Cluster sizes and loads, and how many schools may join each centre (one
 * pass over the pairs). */
static cp_code cluster_loads(explainer *x)
{
    int k = x->lay->n_clusters, i;
    long p;
    x->size = cp_calloc((size_t)(k ? k : 1), sizeof *x->size);
    x->load = cp_calloc((size_t)(k ? k : 1), sizeof *x->load);
    x->joinable = cp_calloc((size_t)(x->inst->n_schools ? x->inst->n_schools : 1), sizeof(int));
    if (!x->size || !x->load || !x->joinable)
        return CP_ERESOURCE;
    for (i = 0; i < x->cand->n; i++)
        for (p = x->cand->start[i]; p < x->cand->start[i + 1]; p++)
            x->joinable[x->cand->centre[p]] += x->cand->centre[p] != i;
    for (i = 0; i < x->inst->n_schools; i++)
        if (x->lay->cluster_of[i] >= 0) {
            x->size[x->lay->cluster_of[i]]++;
            x->load[x->lay->cluster_of[i]] += x->inst->schools[i].teachers;
        }
    return CP_OK;
}

static int any_limit_finite(const cp_instance *inst, const cp_scenario *sc)
{
    int i;
    for (i = 0; i < inst->n_schools; i++)
        if (isfinite(cp_school_limit(&inst->schools[i], sc)))
            return 1;
    return 0;
}

/* The most schools (itself included) that one of i's eligible centres
 * could gather: what "only N schools can share an eligible centre" says
 * of a school no layout places.  O(its pairs). */
static int most_sharing(const explainer *x, int i)
{
    int most = 1;
    long p;
    for (p = x->cand->start[i]; p < x->cand->start[i + 1]; p++) {
        int j = x->cand->centre[p], n = x->joinable[j] + 1; /* its members and itself */
        most = n > most ? n : most;
    }
    return most;
}

/* A school of a solved part that no layout could place: none of its
 * eligible centres (itself included) has enough schools that could join.  Its part
 * is larger only because something couples the parts (a cluster count
 * joins every zone into one), so it is explained as if stranded: by the
 * rule that keeps it alone (its zone's size, the distance), not as a size
 * rule "once the others are placed".  O(its pairs). */
static int alone_in_any_layout(const explainer *x, int i, unsigned char why)
{
    return (why == CP_WHY_CROWDED || why == CP_WHY_SEARCH) && most_sharing(x, i) < x->sc->size_min;
}

cp_code cp_explain_unplaced(const cp_instance *inst, const cp_scenario *sc,
                            const cp_candidates *cand, cp_distance_ctx *dist,
                            const unsigned char *why, const int *part_size, cp_layout *lay,
                            cp_error *err)
{
    explainer x;
    unsigned char *ask = NULL;
    int i, n = inst->n_schools, any = 0;
    cp_code rc = CP_OK;
    for (i = 0; i < n; i++)
        any |= why[i] != CP_WHY_PLACED;
    if (!any)
        return CP_OK;
    memset(&x, 0, sizeof x);
    x.inst = inst;
    x.sc = sc;
    x.cand = cand;
    x.lay = lay;
    name_unit(&x);
    ask = cp_calloc((size_t)n, 1);
    if (!ask || count_units(&x) || cluster_loads(&x) || groups_view(&x))
        rc = cp_fail_nomem(err);
    for (i = 0; !rc && i < n; i++)
        ask[i] = why[i] == CP_WHY_STRANDED || alone_in_any_layout(&x, i, why[i]);
    if (!rc && any_limit_finite(inst, sc) &&
        !(x.near = cp_neighbours_build(inst, sc, dist, ask, err)))
        rc = err->code;
    for (i = 0; !rc && i < n; i++) {
        if (why[i] == CP_WHY_STRANDED)
            rc = explain_stranded(&x, i, part_size[i]);
        else if (ask[i]) { /* in a part with others (a count couples every zone), yet alone */
            if (!explain_groups(&x, i, &rc))
                rc = explain_stranded(&x, i, most_sharing(&x, i));
        }
        else if (why[i] == CP_WHY_CROWDED || why[i] == CP_WHY_SEARCH)
            rc = explain_crowded(&x, i, why[i] == CP_WHY_CROWDED);
        if (rc)
            rc = cp_fail_nomem(err);
    }
    cp_candidates_free(x.near);
    cp_free(ask);
    cp_free(x.units);
    cp_free(x.size);
    cp_free(x.load);
    cp_free(x.joinable);
    cp_free(x.by_centre_start);
    cp_free(x.by_centre);
    cp_free(x.seen);
    return rc;
}
