/*
 * write_layout.c — cp_write_layout: the writer for an output path, picked
 * by its extension (.xml the solution; .gpkg .geojson .kml .gml .shp .csv
 * the GIS layers, through GDAL in write_ogr.c; .svg the map, .html the
 * report), each written whole or not at all.  It stands on the writers (writers.h), which
 * stand on the view (layout_view.h): no file includes one above it.
 */
#include "writers.h"

#include <string.h>

static cp_code write_one(const char *path, const char *ext, const layout_view *v, cp_error *err)
{
    cp_out o;
    if (cp_ogr_format_known(ext))
        return cp_write_ogr(path, v, err);
    if (cp_out_open(&o, path, err))
        return err->code;
    if (!strcmp(ext, ".svg"))
        map_svg(o.f, v, v->thumbnail ? 300.0 : 1000.0, v->thumbnail);
    else if (report_html(o.f, v)) {
        cp_out_abort(&o);
        return cp_fail_nomem(err);
    }
    return cp_out_commit(&o, err);
}

int cp_layout_format_known(const char *path)
{
    const char *ext = strrchr(path, '.');
    if (!strcmp(path, "-"))
        return 1;
    return ext && (!strcmp(ext, ".xml") || !strcmp(ext, ".svg") || !strcmp(ext, ".html") ||
                   cp_ogr_format_known(ext));
}

int cp_layout_output_files(const char *path, char (*files)[CP_PATH_MAX], int max)
{
    static const char *const shp_parts[] = {".shp", ".shx", ".dbf", ".prj", ".cpg", NULL};
    const char *const *siblings = cp_ogr_siblings;
    const char *ext = strrchr(path, '.');
    const char *slash = strrchr(path, '/');
    int stem = ext && (!slash || ext > slash) ? (int)(ext - path) : (int)strlen(path);
    int n = 0, s, k;
    if (!ext || !strcmp(path, "-"))
        return 0;
    if (!strcmp(ext, ".shp")) {
        for (s = 0; siblings[s]; s++)
            for (k = 0; shp_parts[k] && n < max; k++)
                snprintf(files[n++], CP_PATH_MAX, "%.*s%s%s", stem, path, siblings[s],
                         shp_parts[k]);
    } else if (!strcmp(ext, ".geojson") || !strcmp(ext, ".json")) {
        for (s = 0; siblings[s] && n < max; s++)
            snprintf(files[n++], CP_PATH_MAX, "%.*s%s%s", stem, path, siblings[s], ext);
    } else {
        if (n < max)
            snprintf(files[n++], CP_PATH_MAX, "%s", path);
        if (!strcmp(ext, ".gml") && n < max)
            snprintf(files[n++], CP_PATH_MAX, "%.*s.xsd", stem, path);
        if (!strcmp(ext, ".csv") && n + 1 < max) {
            snprintf(files[n++], CP_PATH_MAX, "%.*s.csvt", stem, path);
            snprintf(files[n++], CP_PATH_MAX, "%.*s.prj", stem, path);
        }
    }
    return n;
}

cp_code cp_write_layout_with(const char *path, const cp_instance *inst, const cp_scenario *sc,
                             const cp_layout *lay, const cp_evaluation *ev,
                             const cp_output_options *opt, cp_error *err)
{
    const char *ext = strrchr(path, '.');
    layout_view v;
    cp_code rc;
    if (!strcmp(path, "-") || !ext || !strcmp(ext, ".xml") || !ev)
        return cp_write_solution(path, inst, sc, lay, ev, err);
    rc = view_build(&v, inst, sc, lay, ev) ? cp_fail_nomem(err) : CP_OK;
    v.basemap = opt ? opt->basemap : NULL;
    v.thumbnail = opt ? opt->thumbnail : 0;
    if (!rc && view_prepare_map(&v))
        rc = cp_fail_nomem(err); /* outliers, hulls, colours: the GIS layers share the colours */
    if (!rc && view_build_routes(&v))
        rc = cp_fail_nomem(err); /* the member-centre lines along the roads */
    if (!rc)
        rc = write_one(path, ext, &v, err);
    view_free(&v);
    return rc;
}

cp_code cp_write_layout(const char *path, const cp_instance *inst, const cp_scenario *sc,
                        const cp_layout *lay, const cp_evaluation *ev, cp_error *err)
{
    return cp_write_layout_with(path, inst, sc, lay, ev, NULL, err);
}

const char *cp_basemap_problem(const char *url)
{
    if (strncmp(url, "https://", 8) && strncmp(url, "http://", 7))
        return "a tile URL starts with https:// or http://";
    if (!strstr(url, "{z}") || !strstr(url, "{x}") || !strstr(url, "{y}"))
        return "a tile URL template holds {z}, {x} and {y}, e.g. "
               "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    if (strpbrk(url, "\"<>\\ "))
        return "a tile URL holds no quotes, angle brackets, backslashes or spaces";
    return NULL;
}
