/*
 * write_layout.c — cp_write_layout: the writer for an output path, picked
 * by its extension (.xml the solution, .geojson .kml .gml .csv the GIS
 * layers, .svg the map, .html the report), each written whole through
 * output.c or not at all.  It stands on the writers (writers.h), which
 * stand on the view (layout_view.h): no file includes one above it.
 */
#include "writers.h"

#include <string.h>

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
