/*
 * layout_view.c — the per-school facts every GIS, map and report writer
 * uses (layout_view.h), and cp_write_layout, which picks the writer by the
 * extension of the output path.
 */
#include "layout_view.h"

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
    if (!v->role || !v->centre_of)
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

void view_free(layout_view *v)
{
    cp_free(v->role);
    cp_free(v->centre_of);
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

/* "out.gml" -> "out.xsd" (the schema OGR expects beside a GML file). */
static char *xsd_path_for(const char *path)
{
    size_t n = strlen(path);
    char *p = cp_malloc(n + 5);
    if (p) {
        memcpy(p, path, n + 1);
        if (n > 4 && strcmp(path + n - 4, ".gml") == 0)
            p[n - 4] = '\0';
        strcat(p, ".xsd");
    }
    return p;
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static cp_code write_one(const char *path, const char *ext, const layout_view *v,
                         const char *xsd_name, cp_error *err)
{
    cp_out o;
    if (cp_out_open(&o, path, err))
        return err->code;
    if (!strcmp(ext, ".geojson") || !strcmp(ext, ".json"))
        gis_geojson(o.f, v);
    else if (!strcmp(ext, ".kml"))
        gis_kml(o.f, v);
    else if (!strcmp(ext, ".gml"))
        gis_gml(o.f, v, xsd_name);
    else if (!strcmp(ext, ".xsd"))
        gis_gml_xsd(o.f);
    else if (!strcmp(ext, ".csv"))
        gis_csv(o.f, v);
    else if (!strcmp(ext, ".svg"))
        map_svg(o.f, v, 1000.0);
    else
        report_html(o.f, v);
    return cp_out_commit(&o, err);
}

int cp_layout_format_known(const char *path)
{
    static const char *const known[] = {".xml", ".geojson", ".json", ".kml", ".gml", ".csv",
                                        ".svg", ".html", NULL};
    const char *ext = strrchr(path, '.');
    int k;
    if (!strcmp(path, "-"))
        return 1;
    for (k = 0; ext && known[k]; k++)
        if (!strcmp(ext, known[k]))
            return 1;
    return 0;
}

cp_code cp_write_layout(const char *path, const cp_instance *inst, const cp_scenario *sc,
                        const cp_layout *lay, const cp_evaluation *ev, cp_error *err)
{
    const char *ext = strrchr(path, '.');
    layout_view v;
    cp_code rc;
    if (!strcmp(path, "-") || !ext || !strcmp(ext, ".xml") || !ev)
        return cp_write_solution(path, inst, sc, lay, ev, err);
    rc = view_build(&v, inst, sc, lay, ev) ? cp_fail_nomem(err) : CP_OK;
    if (!rc && !strcmp(ext, ".gml")) { /* the schema first: a GML file never lacks its .xsd */
        char *xsd = xsd_path_for(path);
        rc = xsd ? write_one(xsd, ".xsd", &v, NULL, err) : cp_fail_nomem(err);
        if (!rc)
            rc = write_one(path, ext, &v, base_name(xsd), err);
        cp_free(xsd);
    } else if (!rc) {
        rc = write_one(path, ext, &v, NULL, err);
    }
    view_free(&v);
    return rc;
}
