/*
 * outliers.c — likely coordinate errors: schools far from the rest of their
 * admin unit (a school typed at 0.34 N, 37.58 E in a county at 3.6 S, 39.8 E).
 * They are flagged, never dropped: the planner fixes the register.
 *
 * The rule (robust: medians, so the errors it looks for cannot hide
 * themselves by moving the centre or the spread):
 *   - a school is tested in each of its units (admin1 .. the deepest level,
 *     or the whole instance when it has no admin units) that has at least OUTLIER_MIN_UNIT located
 *     schools, and flagged only when it is far from every one of them (a
 *     zone can be oddly shaped; a school outside its county and its zone
 *     is misplaced); it is reported against the coarsest unit tested;
 *   - the unit's centre is the median longitude and the median latitude of
 *     its schools, and its spread the median distance of its schools to
 *     that centre;
 *   - far means a distance to the centre of more than OUTLIER_SPREADS times
 *     the spread and more than OUTLIER_MIN_KM (geographic instances; in
 *     other units, the spread test alone).
 * Network and matrix instances carry no coordinates to test.
 * Work: per admin level present, two sorts of the located schools, O(n log n).
 */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define OUTLIER_MIN_UNIT 8
#define OUTLIER_SPREADS 5.0
#define OUTLIER_MIN_KM 25.0

typedef struct {
    int unit;
    double v;
} keyed;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed *x = a, *y = b;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    return (x->v > y->v) - (x->v < y->v);
}

static int located(const cp_school *s)
{
    return !isnan(s->x) && !isnan(s->y);
}

/* Unit of school i at level L (0 = the whole instance), -1 when absent. */
static int unit_at(const cp_instance *in, int i, int level)
{
    return level == 0 ? 0 : in->schools[i].admin[level - 1];
}

/* Per unit at one level: median of one coordinate (axis 0 = x, 1 = y)
 * into med[unit], and the count of located schools into count[unit]. */
static void unit_medians(const cp_instance *in, int level, int axis, keyed *buf, double *med,
                         int *count)
{
    int n = 0, i, s, e;
    for (i = 0; i < in->n_schools; i++)
        if (located(&in->schools[i]) && unit_at(in, i, level) >= 0) {
            buf[n].unit = unit_at(in, i, level);
            buf[n++].v = axis ? in->schools[i].y : in->schools[i].x;
        }
    qsort(buf, (size_t)n, sizeof *buf, cmp_keyed);
    for (s = 0; s < n; s = e) {
        for (e = s; e < n && buf[e].unit == buf[s].unit; e++)
            ;
        med[buf[s].unit] = (e - s) % 2 ? buf[s + (e - s) / 2].v
                                       : 0.5 * (buf[s + (e - s) / 2 - 1].v + buf[s + (e - s) / 2].v);
        count[buf[s].unit] = e - s;
    }
}

static double point_distance(const cp_instance *in, int i, double x, double y)
{
    const cp_school *s = &in->schools[i];
    if (in->distance == CP_DIST_HAVERSINE)
        return cp_haversine_km(s->y, s->x, y, x);
    return hypot(s->x - x, s->y - y);
}

typedef struct {
    double *mx, *my;   /* per unit: median point */
    double *spread;    /* per unit: median distance to it */
    int *count;
} level_stats;

static cp_code level_build(const cp_instance *in, int level, keyed *buf, level_stats *st)
{
    int units = cp_admin_id_bound(in, level), i, s, e, n = 0;
    st->mx = cp_calloc((size_t)units, sizeof(double));
    st->my = cp_calloc((size_t)units, sizeof(double));
    st->spread = cp_calloc((size_t)units, sizeof(double));
    st->count = cp_calloc((size_t)units, sizeof(int));
    if (!st->mx || !st->my || !st->spread || !st->count)
        return CP_ERESOURCE;
    unit_medians(in, level, 0, buf, st->mx, st->count);
    unit_medians(in, level, 1, buf, st->my, st->count);
    for (i = 0; i < in->n_schools; i++) {
        int u = unit_at(in, i, level);
        if (located(&in->schools[i]) && u >= 0) {
            buf[n].unit = u;
            buf[n++].v = point_distance(in, i, st->mx[u], st->my[u]);
        }
    }
    qsort(buf, (size_t)n, sizeof *buf, cmp_keyed);
    for (s = 0; s < n; s = e) {
        for (e = s; e < n && buf[e].unit == buf[s].unit; e++)
            ;
        st->spread[buf[s].unit] = buf[s + (e - s) / 2].v;
    }
    return CP_OK;
}

static void level_free(level_stats *st)
{
    cp_free(st->mx);
    cp_free(st->my);
    cp_free(st->spread);
    cp_free(st->count);
}

static cp_code add_outlier(cp_outliers *o, const cp_outlier *x)
{
    if (cp_grow((void **)&o->items, &o->cap, o->n + 1, sizeof *o->items))
        return CP_ERESOURCE;
    o->items[o->n++] = *x;
    return CP_OK;
}

cp_code cp_find_outliers(const cp_instance *in, cp_outliers *out, cp_error *err)
{
    level_stats st[CP_ADMIN_LEVELS + 1];
    keyed *buf;
    int deepest = in->admin_levels_present, level, i;
    cp_code rc = CP_OK;
    memset(out, 0, sizeof *out);
    memset(st, 0, sizeof st);
    if (in->distance == CP_DIST_NETWORK || in->distance == CP_DIST_MATRIX || in->n_schools == 0)
        return CP_OK;
    buf = cp_malloc((size_t)in->n_schools * sizeof *buf);
    if (!buf)
        return cp_fail_nomem(err);
    for (level = 0; !rc && level <= deepest; level++)
        rc = level_build(in, level, buf, &st[level]);
    for (i = 0; !rc && i < in->n_schools; i++) {
        cp_outlier x;
        double d, floor_km = in->distance == CP_DIST_HAVERSINE ? OUTLIER_MIN_KM : 0.0;
        int u = -1;
        if (!located(&in->schools[i]))
            continue;
        x.level = -1;
        for (level = deepest; level >= (deepest > 0); level--) { /* far from each of its units */
            u = unit_at(in, i, level);
            if (u < 0 || st[level].count[u] < OUTLIER_MIN_UNIT)
                continue;
            d = point_distance(in, i, st[level].mx[u], st[level].my[u]);
            if (!(d > OUTLIER_SPREADS * st[level].spread[u] && d > floor_km &&
                  st[level].spread[u] > 0.0))
                break; /* near it (a unit with no spread, half its schools on one point, tells nothing) */
            x.level = level; /* the coarsest tested so far */
        }
        if (level >= (deepest > 0) || x.level < 0)
            continue; /* near one of its units, or no unit large enough to tell */
        level = x.level;
        u = unit_at(in, i, level);
        d = point_distance(in, i, st[level].mx[u], st[level].my[u]);
        x.school = i;
        x.level = level;
        x.distance = d;
        x.spread = st[level].spread[u];
        x.unit_schools = st[level].count[u];
        x.centre_x = st[level].mx[u];
        x.centre_y = st[level].my[u];
        rc = add_outlier(out, &x);
    }
    for (level = 0; level <= deepest; level++)
        level_free(&st[level]);
    cp_free(buf);
    if (rc) {
        cp_outliers_clear(out);
        return cp_fail_nomem(err);
    }
    return CP_OK;
}

void cp_outliers_clear(cp_outliers *o)
{
    if (!o)
        return;
    cp_free(o->items);
    memset(o, 0, sizeof *o);
}
