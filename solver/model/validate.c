/*
 * validate.c — model rules of an instance together with a scenario.  The
 * readers already refuse what is wrong on one line (bad numbers, unknown
 * ids, missing coordinates); this file finds what is wrong only in
 * combination: contradictions are errors, doubtful settings warnings.
 */
#include "model.h"

#include <stdio.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    cp_warnings *errors, *warn;
    int n_errors;
    int oom;
} vctx;

#define VERR(v, ...) ((v)->n_errors++, (v)->oom |= cp_warn((v)->errors, __VA_ARGS__) != CP_OK)
#define VWARN(v, ...) ((v)->oom |= cp_warn((v)->warn, __VA_ARGS__) != CP_OK)

/* Straight-line figures: km for lon/lat (whether or not the distances are
 * by road), else the instance's units. */
static const char *straight_units(const cp_instance *inst)
{
    return inst->road ? "km" : inst->units;
}

static void check_required_centres(vctx *v)
{
    const cp_instance *in = v->inst;
    int i, required = 0;
    for (i = 0; i < in->n_schools; i++) {
        const cp_school *s = &in->schools[i];
        if (s->centre != CP_CENTRE_REQUIRED)
            continue;
        required++;
        if (!cp_centre_eligible(s, v->sc)) {
            char where[64] = ""; /* a native file's line; a GIS layer's schools have none */
            if (s->line > 0)
                snprintf(where, sizeof where, ":%d", s->line);
            VERR(v, "%s%s: school \"%s\" has centre=\"required\" but is not an eligible centre "
                    "(host=%s, quality %g, scenario min-quality %g)",
                 in->source ? in->source : in->name, where, s->id, s->host ? "true" : "false",
                 s->quality, v->sc->min_quality);
        }
    }
    if (v->sc->cluster_count > 0 && required > v->sc->cluster_count)
        VERR(v, "%d schools have centre=\"required\" but clusters count=\"%d\"", required,
             v->sc->cluster_count);
}

/* Schools with 0 teachers weigh nothing in a travel counted in teachers:
 * the optimiser may send them anywhere within the limit, which is said
 * (the 2007 secondary register: 491 of 6,494 schools; members with 0 sat
 * 7.9 km from their centre on average, the others 3.3 km). */
static void warn_zero_teachers(vctx *v)
{
    int i, zero = 0, first = -1;
    for (i = 0; i < v->inst->n_schools; i++)
        if (v->inst->schools[i].teachers == 0.0) {
            zero++;
            first = first < 0 ? i : first;
        }
    if (zero > 0)
        VWARN(v, "%d school%s 0 teachers (e.g. %s): %s nothing in the travel, counted in "
                 "teachers, so %s placed wherever %s limit allows; check the column if %s "
                 "teachers", zero, zero > 1 ? "s have" : " has", v->inst->schools[first].id,
              zero > 1 ? "they weigh" : "it weighs", zero > 1 ? "they are" : "it is",
              zero > 1 ? "their" : "its", zero > 1 ? "they have" : "it has");
}

/* No teacher counts (every school 1, the default): the figures counted in
 * teachers (the travel's weight, the capacity) count schools, which the
 * summaries would otherwise call teacher-km without a word. */
static void check_teachers(vctx *v)
{
    const cp_scenario *sc = v->sc;
    int i, n = v->inst->n_schools, capacity = isfinite(sc->capacity);
    /* the annual cost's teacher-km count teachers whatever the weight */
    if (n < 2 || (sc->weight != CP_WEIGHT_TEACHERS && !capacity && !sc->has_costs))
        return;
    for (i = 0; i < n && v->inst->schools[i].teachers == 1.0; i++)
        ;
    if (i < n) {
        warn_zero_teachers(v);
        return;
    }
    VWARN(v, "no school gives a teacher count (no teachers column, or every count 1): each "
             "school counts 1 teacher, so %s: map the column with --field teachers=COLUMN if the "
             "layer has one",
          capacity ? "the travel's teacher-km are school-km and the capacity caps schools"
                   : "the travel's teacher-km (and the annual cost's) are school-km");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* A capacity below what the size min smallest schools teach together
 * lets no cluster form at all (a capacity of 2 with size min 3 and
 * one-teacher schools: 0 clusters, "optimal", without a word).  O(n log n). */
static void check_capacity(vctx *v)
{
    const cp_scenario *sc = v->sc;
    int i, n = v->inst->n_schools;
    double *t, least = 0.0;
    if (!isfinite(sc->capacity) || n < sc->size_min || sc->size_min < 1)
        return;
    if (!(t = cp_malloc((size_t)n * sizeof(double)))) {
        v->oom = 1;
        return;
    }
    for (i = 0; i < n; i++)
        t[i] = v->inst->schools[i].teachers;
    qsort(t, (size_t)n, sizeof(double), cmp_double);
    for (i = 0; i < sc->size_min; i++)
        least += t[i];
    cp_free(t);
    if (least > sc->capacity)
        VWARN(v, "capacity %g teachers: even the %d smallest schools teach %g together, so no "
                 "cluster of size min %d fits and every school will stay unassigned", sc->capacity,
              sc->size_min, least, sc->size_min);
}

static void check_counts(vctx *v)
{
    const cp_scenario *sc = v->sc;
    long n = v->inst->n_schools;
    int i, eligible = 0, too_big = 0;
    if (sc->cluster_count > 0 && (long)sc->cluster_count * sc->size_min > n)
        VERR(v, "clusters count=\"%d\" x size min=\"%d\" needs %ld schools; the instance has %ld",
             sc->cluster_count, sc->size_min, (long)sc->cluster_count * sc->size_min, n);
    if (sc->cluster_count > 0 && (long)sc->cluster_count * sc->size_max < n)
        VWARN(v, "clusters count=\"%d\" x size max=\"%d\" < %ld schools: at least %ld schools "
                 "will stay unassigned", sc->cluster_count, sc->size_max, n,
              n - (long)sc->cluster_count * sc->size_max);
    int hosts = 0, known = 0, below = 0;
    for (i = 0; i < n; i++) {
        const cp_school *s = &v->inst->schools[i];
        int host = s->host && s->centre != CP_CENTRE_FORBIDDEN;
        eligible += cp_centre_eligible(s, sc);
        too_big += s->teachers > sc->capacity;
        hosts += host;
        known += !isnan(s->quality);
        below += host && !isnan(s->quality) && s->quality < sc->min_quality;
    }
    if (n > 0 && sc->min_quality > 0 && known == 0)
        VWARN(v, "min-quality %g: no school has a quality value (no quality column, or every "
                 "value empty), so no school can be a centre and every school will stay "
                 "unassigned: map the column with --field quality=COLUMN, or give --min-quality 0",
              sc->min_quality);
    else if (n > 0 && eligible == 0)
        VWARN(v, "no school is an eligible centre under this scenario (%d of %ld may host; %d "
                 "have a quality below min-quality %g, %d no quality value): every school will "
                 "stay unassigned", hosts, n, below, sc->min_quality, (int)(n - known));
    else if (n >= 100 && eligible * 100L < n)
        VWARN(v, "only %d of %ld schools are eligible centres (%d may host; %d have a quality "
                 "below min-quality %g, %d no quality value): most schools will stay unassigned",
              eligible, n, hosts, below, sc->min_quality, (int)(n - known));
    if (too_big)
        VWARN(v, "%d schools have more teachers than the capacity %g: they will stay "
                 "unassigned", too_big, sc->capacity);
    check_teachers(v);
    check_capacity(v);
    if (v->sc->roads && v->sc->snap_max > 50.0) /* km: 5000 reads like metres */
        VWARN(v, "snap-max %g km: a school may walk %g km in a straight line to its road; "
                 "snap-max is in km (%g m would be %g)", v->sc->snap_max, v->sc->snap_max,
              v->sc->snap_max, v->sc->snap_max / 1000.0);
}

static void check_admin(vctx *v)
{
    int level = v->sc->admin_level, i, missing = 0;
    if (level == 0)
        return;
    if (level > v->inst->admin_levels_present) {
        VERR(v, "scenario <admin level=\"%d\"> but the instance has admin units only down to "
                "level %d (map them with --field admin%d=COLUMN)",
             level, v->inst->admin_levels_present, level);
        return;
    }
    for (i = 0; i < v->inst->n_schools; i++)
        missing += v->inst->schools[i].admin[level - 1] < 0;
    if (missing)
        VWARN(v, "%d schools have no admin%d unit: they form one unit of their own", missing,
              level);
}

static int cmp_xy(const void *a, const void *b)
{
    const double *p = a, *q = b;
    return p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : p[1] > q[1];
}

/* Sorting points: O(n log n); reports how many schools share an exact
 * location, and at how many points. */
static void check_coordinates(vctx *v)
{
    const cp_instance *in = v->inst;
    int i, shared = 0, points = 0;
    double *xy;
    if (in->distance == CP_DIST_NETWORK || in->distance == CP_DIST_MATRIX || in->n_schools < 2)
        return;
    xy = cp_malloc(2 * (size_t)in->n_schools * sizeof(double));
    if (!xy) {
        v->oom = 1;
        return;
    }
    for (i = 0; i < in->n_schools; i++) {
        xy[2 * i] = in->schools[i].x;
        xy[2 * i + 1] = in->schools[i].y;
    }
    qsort(xy, (size_t)in->n_schools, 2 * sizeof(double), cmp_xy);
    /* every school of a run of equal points counts, the first one too */
    for (i = 0; i < in->n_schools;) {
        int j = i + 1;
        while (j < in->n_schools && xy[2 * j] == xy[2 * i] && xy[2 * j + 1] == xy[2 * i + 1])
            j++;
        if (j - i > 1) {
            shared += j - i;
            points++;
        }
        i = j;
    }
    cp_free(xy);
    if (shared)
        VWARN(v, "%d schools share an exact location with another school (distance 0), at %d "
                 "points", shared, points);
}

/* Likely coordinate errors: each listed (the first few) with its distance. */
static void check_outliers(vctx *v)
{
    cp_outliers o;
    cp_error err;
    int k;
    const int listed = 10;
    if (cp_find_outliers(v->inst, &o, &err)) {
        v->oom = 1;
        return;
    }
    for (k = 0; k < o.n && k < listed; k++) {
        const cp_outlier *x = &o.items[k];
        const cp_school *s = &v->inst->schools[x->school];
        char unit[96];
        if (x->level > 0)
            snprintf(unit, sizeof unit, "its admin%d unit%s%s", x->level,
                     s->admin_name[x->level - 1] ? " " : "",
                     s->admin_name[x->level - 1] ? s->admin_name[x->level - 1] : "");
        else
            snprintf(unit, sizeof unit, "the instance");
        VWARN(v, "likely coordinate error: school %s%s%s%s at (%.5f, %.5f) is %.1f %s from the "
              "middle of %s, whose %d schools lie a median %.1f %s from it: check its location "
              "(kept in the model, left out of the map's extent)", s->id, s->name[0] ? " (" : "",
              s->name, s->name[0] ? ")" : "", s->x, s->y, x->distance, straight_units(v->inst),
              unit, x->unit_schools, x->spread, straight_units(v->inst));
    }
    if (o.n > listed)
        VWARN(v, "likely coordinate errors: %d more schools (clusterplan validate lists them "
              "all in its output; see README \"Likely coordinate errors\")", o.n - listed);
    cp_outliers_clear(&o);
}

static void check_links(vctx *v)
{
    const cp_instance *in = v->inst;
    const cp_link *links = in->distance == CP_DIST_NETWORK ? in->roads : in->od;
    int n_links = in->distance == CP_DIST_NETWORK ? in->n_roads : in->n_od, i, isolated = 0;
    char *touched;
    if (in->distance != CP_DIST_NETWORK && in->distance != CP_DIST_MATRIX)
        return;
    touched = cp_calloc((size_t)(in->n_schools ? in->n_schools : 1), 1);
    if (!touched) {
        v->oom = 1;
        return;
    }
    for (i = 0; i < n_links; i++)
        touched[links[i].from] = touched[links[i].to] = 1;
    for (i = 0; i < in->n_schools; i++)
        isolated += !touched[i];
    cp_free(touched);
    if (isolated)
        VWARN(v, "%d schools have no %s: they can only be a cluster of one", isolated,
              in->distance == CP_DIST_NETWORK ? "road" : "od pair");
}

/* Issue 24's rules: what cp_solve refuses (as an error here), and settings
 * that would do nothing: an <invest> no school can use, a budget that
 * leaves out hosts below the quality rule for want of a cost, soft groups
 * without a group.  Work: one pass over the schools. */
static void check_rules(vctx *v)
{
    const cp_scenario *sc = v->sc;
    cp_error err;
    int i, upgradable = 0, below = 0, costed = 0, uncosted_below = 0;
    cp_error_clear(&err);
    if (cp_rules_check_instance(v->inst, sc, &err))
        VERR(v, "%s", err.message);
    if (sc->groups_soft && sc->n_groups == 0)
        VWARN(v, "soft study groups (--groups-soft, <groups soft>) but no group is named "
                 "(--group-min GROUP=MIN, <group name min>): nothing to host");
    if (!sc->has_invest)
        return;
    for (i = 0; i < v->inst->n_schools; i++) {
        const cp_school *s = &v->inst->schools[i];
        int host_below = s->host && s->centre != CP_CENTRE_FORBIDDEN && !cp_centre_eligible(s, sc);
        upgradable += cp_centre_upgradable(s, sc);
        below += host_below;
        costed += !isnan(s->upgrade_cost);
        uncosted_below += host_below && isnan(s->upgrade_cost);
    }
    if (sc->max_upgrades != 0 && upgradable == 0)
        VWARN(v, "<invest> (--max-upgrades, --upgrade-budget): no school can be upgraded (%d "
                 "hosts below the quality rule, %d schools with upgrade-cost%s): the layout "
                 "is the one without upgrades", below, costed,
              isfinite(sc->upgrade_budget) ? "; under a budget only schools with a cost within "
                                             "it" : "");
    else if (isfinite(sc->upgrade_budget) && uncosted_below > 0)
        VWARN(v, "upgrade budget %g: %d hosts below the quality rule have no upgrade-cost and "
                 "are not upgraded (a budget needs each upgrade's cost)", sc->upgrade_budget,
              uncosted_below);
}

int cp_validate_instance(const cp_instance *inst, const cp_scenario *sc, cp_warnings *errors,
                         cp_warnings *warn)
{
    vctx v;
    memset(&v, 0, sizeof v);
    v.inst = inst;
    v.sc = sc;
    v.errors = errors;
    v.warn = warn;
    if (inst->n_schools == 0)
        VWARN(&v, "the instance has no schools");
    check_required_centres(&v);
    check_counts(&v);
    check_admin(&v);
    check_coordinates(&v);
    check_outliers(&v);
    check_links(&v);
    check_rules(&v);
    return v.oom ? -1 : v.n_errors;
}
