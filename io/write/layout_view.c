/*
 * layout_view.c — the per-school facts every GIS, map and report writer
 * uses (layout_view.h), computed once per output.  The writers read the
 * view; write_layout.c picks the writer by extension.
 */
#include "layout_view.h"
#include "solver/model/roads.h"

#include <math.h>
#include <string.h>

cp_code view_build(layout_view *v, const cp_instance *inst, const cp_scenario *sc,
                   const cp_layout *lay, const cp_evaluation *ev)
{
    int i, n = inst->n_schools;
    memset(v, 0, sizeof *v);
    v->inst = inst;
    v->sc = sc;
    v->lay = lay;
    v->ev = ev;
    v->geographic = inst->distance == CP_DIST_HAVERSINE;
    v->role = cp_malloc((size_t)(n ? n : 1) * sizeof *v->role);
    v->centre_of = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    v->outlier = cp_calloc((size_t)(n ? n : 1), 1);
    if (!v->role || !v->centre_of || !v->outlier)
        return CP_ERESOURCE;
    for (i = 0; i < n; i++) {
        int k = lay->cluster_of[i];
        int c = k < 0 ? -1 : lay->centre[k] >= 0 ? lay->centre[k] : ev->centre_used[k];
        v->centre_of[i] = c;
        v->role[i] = k < 0 ? VIEW_UNASSIGNED : c == i ? VIEW_CENTRE : VIEW_MEMBER;
        v->counts[v->role[i]]++;
    }
    for (i = 0; i < n; i++)
        v->lines += view_has_line(v, i);
    return CP_OK;
}

cp_code view_find_outliers(layout_view *v)
{
    int i;
    if (cp_find_outliers(v->inst, &v->outliers, NULL))
        return CP_ERESOURCE;
    for (i = 0; i < v->outliers.n; i++)
        v->outlier[v->outliers.items[i].school] = 1;
    return CP_OK;
}

cp_code view_prepare_map(layout_view *v)
{
    if (view_find_outliers(v) || view_build_shapes(v) || view_colour_clusters(v))
        return CP_ERESOURCE;
    return CP_OK;
}

/* The routes of one cluster's members (not its centre), appended. */
static cp_code cluster_routes(layout_view *v, cp_road_search *s, int centre, const int *mem,
                              int k, long *cap)
{
    long *start;
    double *x, *y;
    int j;
    if (cp_road_paths(v->inst->road, s, centre, mem, k, &start, &x, &y))
        return CP_ERESOURCE;
    for (j = 0; j < k; j++) {
        long n = start[j + 1] - start[j], used = v->route_at[v->inst->n_schools];
        if (mem[j] == centre || n < 2)
            continue;
        if (used + n > *cap) {
            long c = 2 * (used + n);
            double *px = cp_realloc(v->route_x, (size_t)c * sizeof *px);
            double *py = px ? cp_realloc(v->route_y, (size_t)c * sizeof *py) : NULL;
            if (px)
                v->route_x = px;
            if (!py) {
                cp_free(start);
                cp_free(x);
                cp_free(y);
                return CP_ERESOURCE;
            }
            v->route_y = py;
            *cap = c;
        }
        memcpy(v->route_x + used, x + start[j], (size_t)n * sizeof *x);
        memcpy(v->route_y + used, y + start[j], (size_t)n * sizeof *y);
        v->route_at[mem[j]] = used;
        v->route_n[mem[j]] = (int)n;
        v->route_at[v->inst->n_schools] = used + n; /* the next free point */
    }
    cp_free(start);
    cp_free(x);
    cp_free(y);
    return CP_OK;
}

cp_code view_build_routes(layout_view *v)
{
    int n = v->inst->n_schools, c;
    int *start = NULL, *members = NULL;
    long cap = 0;
    cp_road_search *s;
    cp_code rc = CP_OK;
    if (!v->inst->road)
        return CP_OK;
    v->route_at = cp_calloc((size_t)n + 1, sizeof *v->route_at);
    v->route_n = cp_calloc((size_t)(n ? n : 1), sizeof *v->route_n);
    s = cp_road_search_new(v->inst->road);
    if (!v->route_at || !v->route_n || !s || cp_layout_members(v->lay, &start, &members))
        rc = CP_ERESOURCE;
    for (c = 0; !rc && c < v->lay->n_clusters; c++)
        if (v->ev->centre_used[c] >= 0 && start[c + 1] > start[c])
            rc = cluster_routes(v, s, v->ev->centre_used[c], members + start[c],
                                start[c + 1] - start[c], &cap);
    cp_road_search_free(s);
    cp_free(start);
    cp_free(members);
    return rc;
}

const char *view_units(const layout_view *v)
{
    if (v->inst->road)
        return v->inst->units;
    return v->geographic ? "km" : v->inst->units ? v->inst->units : "units";
}

int view_has_route(const layout_view *v, int i)
{
    return v->route_n && v->route_n[i] >= 2;
}

void view_free(layout_view *v)
{
    view_shapes_free(&v->cluster_hulls);
    view_shapes_free(&v->unit_hulls);
    cp_free(v->unit_school);
    cp_free(v->colour);
    cp_free(v->role);
    cp_free(v->centre_of);
    cp_free(v->outlier);
    cp_outliers_clear(&v->outliers);
    cp_free(v->route_at);
    cp_free(v->route_n);
    cp_free(v->route_x);
    cp_free(v->route_y);
}

const char *view_role_name(view_role r)
{
    static const char *const names[] = {"centre", "member", "unassigned"};
    return names[r];
}

int view_located(const layout_view *v, int i)
{
    return !isnan(v->inst->schools[i].x) && !isnan(v->inst->schools[i].y);
}

int view_drawn(const layout_view *v, int i)
{
    return view_located(v, i) && !v->outlier[i];
}

const char *view_cluster_label(const layout_view *v, int i)
{
    int k = v->lay->cluster_of[i];
    return k >= 0 ? v->lay->label[k] : "";
}

const char *view_reason(const layout_view *v, int i)
{
    if (v->role[i] != VIEW_UNASSIGNED)
        return "";
    return v->lay->reason[i] ? v->lay->reason[i] : "not in the layout";
}

int view_has_line(const layout_view *v, int i)
{
    return v->role[i] == VIEW_MEMBER && v->centre_of[i] >= 0 && view_located(v, i) &&
           view_located(v, v->centre_of[i]);
}

const view_field view_fields[VIEW_FIELDS] = {
    {"school_id", 0}, {"name", 0},         {"role", 0},         {"cluster", 0},
    {"centre_id", 0}, {"distance", 1},     {"teachers", 1},     {"cluster_size", 1},
    {"cluster_teachers", 1}, {"reason", 0}};

const char *view_text(const layout_view *v, int i, int field, int link)
{
    const cp_school *s = &v->inst->schools[i];
    switch (field) {
    case 0: return s->id;
    case 1: return s->name;
    case 2: return link ? "link" : view_role_name(v->role[i]);
    case 3: return view_cluster_label(v, i);
    case 4: return v->centre_of[i] >= 0 ? v->inst->schools[v->centre_of[i]].id : "";
    case 9: return link ? "" : view_reason(v, i);
    default: return "";
    }
}

double view_number(const layout_view *v, int i, int field)
{
    int k = v->lay->cluster_of[i];
    switch (field) {
    case 5: return v->ev->distance[i];
    case 6: return v->inst->schools[i].teachers;
    case 7: return k >= 0 ? v->ev->cluster_size[k] : NAN;
    case 8: return k >= 0 ? v->ev->cluster_teachers[k] : NAN;
    default: return NAN;
    }
}
