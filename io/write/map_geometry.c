/*
 * map_geometry.c — the shapes every map draws, computed once per output
 * (layout_view.h): each cluster's convex hull and each admin unit's hull at
 * the scenario's admin level (so the zone rule is visible), in the
 * instance's coordinates (lon/lat or x/y), over the schools a map draws
 * (view_drawn: likely coordinate errors would stretch a hull across the
 * country).  Also the planar test map_colours.c uses: do two hulls come
 * within a margin of each other.
 * Work: O(n log n) for all the hulls (one sort per group).
 */
#include "layout_view.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>


static int by_xy(const void *a, const void *b)
{
    const view_pt *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->y > q->y) - (p->y < q->y);
}

static double cross(view_pt o, view_pt a, view_pt b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

int view_convex_hull(view_pt *p, int n, view_pt *hull)
{
    int k = 0, i, lower;
    qsort(p, (size_t)n, sizeof *p, by_xy);
    for (i = 0; i < n; i++) {
        while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
            k--;
        hull[k++] = p[i];
    }
    for (i = n - 2, lower = k + 1; i >= 0; i--) {
        while (k >= lower && cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
            k--;
        hull[k++] = p[i];
    }
    if (n > 1 && k > 1)
        k--; /* the chain ends where it began */
    return n > 1 ? k : n;
}

/* Hulls of groups given as CSR (start[g]..start[g+1] into members) into
 * shape arrays; a group with no drawn school gets an empty hull. */
static cp_code hulls_of(const layout_view *v, int groups, const int *start, const int *members,
                        view_shapes *out)
{
    int g, j, most = 1, total = 0;
    view_pt *p, *h;
    for (g = 0; g < groups; g++) {
        most = start[g + 1] - start[g] > most ? start[g + 1] - start[g] : most;
        total += start[g + 1] - start[g];
    }
    out->n = groups;
    out->start = cp_calloc((size_t)groups + 1, sizeof(int));
    out->pt = cp_malloc((size_t)(total + 1) * sizeof(view_pt));
    p = cp_malloc((size_t)most * sizeof *p);
    h = cp_malloc((size_t)(most + 1) * sizeof *h);
    if (!out->start || !out->pt || !p || !h) {
        cp_free(p);
        cp_free(h);
        return CP_ERESOURCE;
    }
    for (g = 0; g < groups; g++) {
        int n = 0, k;
        for (j = start[g]; j < start[g + 1]; j++)
            if (view_drawn(v, members[j])) {
                p[n].x = v->inst->schools[members[j]].x;
                p[n++].y = v->inst->schools[members[j]].y;
            }
        k = n ? view_convex_hull(p, n, h) : 0;
        memcpy(out->pt + out->start[g], h, (size_t)k * sizeof *h);
        out->start[g + 1] = out->start[g] + k;
    }
    cp_free(p);
    cp_free(h);
    return CP_OK;
}

/* Schools grouped by their unit at `level` (admin ids are dense: below
 * cp_admin_id_bound); unit_school[u] is one school of unit u, to name it. */
static cp_code unit_hulls(layout_view *v, int level)
{
    int bound = cp_admin_id_bound(v->inst, level), i, u;
    int *start = cp_calloc((size_t)bound + 2, sizeof(int)), *members, *fill;
    cp_code rc;
    members = cp_malloc((size_t)(v->inst->n_schools + 1) * sizeof(int));
    fill = cp_malloc((size_t)(bound + 1) * sizeof(int));
    v->unit_school = cp_malloc((size_t)(bound + 1) * sizeof(int));
    if (!start || !members || !fill || !v->unit_school) {
        cp_free(start);
        cp_free(members);
        cp_free(fill);
        return CP_ERESOURCE;
    }
    for (i = 0; i < v->inst->n_schools; i++) {
        int id = v->inst->schools[i].admin[level - 1];
        if (id >= 0)
            start[id + 1]++;
    }
    for (u = 0; u < bound; u++)
        start[u + 1] += start[u];
    memcpy(fill, start, (size_t)bound * sizeof(int));
    for (i = 0; i < v->inst->n_schools; i++) {
        int id = v->inst->schools[i].admin[level - 1];
        if (id >= 0) {
            if (fill[id] == start[id])
                v->unit_school[id] = i;
            members[fill[id]++] = i;
        }
    }
    rc = hulls_of(v, bound, start, members, &v->unit_hulls);
    cp_free(start);
    cp_free(members);
    cp_free(fill);
    return rc;
}

cp_code view_build_shapes(layout_view *v)
{
    int *start = NULL, *members = NULL;
    cp_code rc;
    if (cp_layout_members(v->lay, &start, &members))
        return CP_ERESOURCE;
    rc = hulls_of(v, v->lay->n_clusters, start, members, &v->cluster_hulls);
    cp_free(start);
    cp_free(members);
    v->unit_level = v->sc->admin_level > 0 ? v->sc->admin_level
                                           : v->inst->admin_levels_present;
    if (rc == CP_OK && v->unit_level > 0)
        rc = unit_hulls(v, v->unit_level);
    return rc;
}

void view_shapes_free(view_shapes *s)
{
    cp_free(s->start);
    cp_free(s->pt);
    memset(s, 0, sizeof *s);
}

/* ------------------------------------------------- planar hull proximity */

/* Lon/lat to km on a plane tangent at latitude lat0 (equirectangular):
 * within the few km two neighbouring clusters span, the error is far below
 * the margin map_colours.c uses. */
static view_pt planar(const layout_view *v, view_pt p, double cos_lat0)
{
    view_pt q = p;
    if (v->geographic) {
        q.x = p.x * cos_lat0 * VIEW_KM_PER_DEGREE;
        q.y = p.y * VIEW_KM_PER_DEGREE;
    }
    return q;
}

/* The projections of a polygon on an axis: [lo, hi]. */
static void project_on(const view_pt *p, int n, double ax, double ay, double *lo, double *hi)
{
    int k;
    *lo = HUGE_VAL;
    *hi = -HUGE_VAL;
    for (k = 0; k < n; k++) {
        double d = p[k].x * ax + p[k].y * ay;
        *lo = fmin(*lo, d);
        *hi = fmax(*hi, d);
    }
}

/* Does an axis from polygon a's edges (normals, and directions for a
 * point or segment, whose one "edge" has no area) separate a and b by
 * more than gap? */
static int separated_by_edges(const view_pt *a, int na, const view_pt *b, int nb, double gap)
{
    int k, dir;
    for (k = 0; k < na; k++) {
        view_pt e = {a[(k + 1) % na].x - a[k].x, a[(k + 1) % na].y - a[k].y};
        double len = hypot(e.x, e.y);
        if (len <= 0)
            continue;
        for (dir = 0; dir < (na < 3 ? 2 : 1); dir++) {
            double ax = dir ? e.x / len : -e.y / len, ay = dir ? e.y / len : e.x / len;
            double alo, ahi, blo, bhi;
            project_on(a, na, ax, ay, &alo, &ahi);
            project_on(b, nb, ax, ay, &blo, &bhi);
            if (blo > ahi + gap || alo > bhi + gap)
                return 1;
        }
    }
    return 0;
}

int view_hulls_within(const layout_view *v, const view_pt *a, int na, const view_pt *b, int nb,
                      double gap)
{
    view_pt pa[64], pb[64];
    double lat0 = 0.0, c;
    int k;
    if (na == 0 || nb == 0 || na > 64 || nb > 64)
        return na > 0 && nb > 0; /* a hull of more than 64 corners: neighbours, to be safe */
    if (v->geographic)
        lat0 = (a[0].y + b[0].y) / 2.0;
    c = cos(lat0 * VIEW_RADIANS);
    for (k = 0; k < na; k++)
        pa[k] = planar(v, a[k], c);
    for (k = 0; k < nb; k++)
        pb[k] = planar(v, b[k], c);
    if (na == 1 && nb == 1)
        return hypot(pa[0].x - pb[0].x, pa[0].y - pb[0].y) <= gap;
    return !separated_by_edges(pa, na, pb, nb, gap) && !separated_by_edges(pb, nb, pa, na, gap);
}
