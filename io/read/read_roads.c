/*
 * read_roads.c — a road layer through GDAL/OGR (README "Within reach by
 * road"): any vector line layer GDAL opens (GeoPackage, Shapefile, GeoJSON,
 * FlatGeobuf, GML, KML, OSM exports by ogr2ogr or QGIS), LineStrings and
 * MultiLineStrings in any CRS, transformed to WGS 84 lon/lat by PROJ and
 * rounded to 1e-7 degrees when the layer is in another CRS (as schools
 * are, so a layer exported to UTM and back gives the same network).
 *
 * Columns: the road class from <roads class-field> (an error when the
 * layer lacks it, listing its columns), else `highway` (OpenStreetMap),
 * else `fclass` (Geofabrik's shapefiles); one-way streets from `oneway` in
 * OSM's convention.  Refused, naming the file, layer and feature: a point
 * or polygon feature, a layer with no lines, a CRS PROJ does not know.
 * The network is then built and the schools joined by the model
 * (roads_graph.c); cp_instance_use_roads attaches it to the instance.
 *
 * Work: one pass over the features and one batched transform of every
 * vertex; memory: the vertices (2 doubles each) until the network is built.
 */
#include "read_ogr.h"
#include "io/gis/gdal_ogr.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cpl_error.h>
#include <ogr_api.h>

typedef struct {
    const char *path;
    const cp_scenario *sc;
    cp_warnings *warn;
    cp_error *err;
    GDALDatasetH ds;
    OGRLayerH layer;
    const char *layer_name;
    int class_column, oneway_column;
    long odd_oneway;           /* oneway values outside OSM's convention */
    long long odd_oneway_fid;
    char odd_oneway_value[64];
    cp_road_lines *lines;
} roads_ctx;

static cp_code pick_layer(roads_ctx *c)
{
    c->layer = cp_gdal_pick_layer(c->ds, c->sc->roads_layer, c->path,
                                  "--roads-layer or <roads layer>", "lines", c->err);
    if (!c->layer)
        return c->err->code;
    c->layer_name = OGR_L_GetName(c->layer);
    return CP_OK;
}

static cp_code resolve_columns(roads_ctx *c)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(c->layer);
    const char *want = c->sc->roads_class;
    char names[2048];
    c->class_column = OGR_FD_GetFieldIndex(defn, want ? want : "highway");
    if (c->class_column < 0 && want) {
        cp_gdal_list_columns(c->layer, names, sizeof names);
        return cp_fail(c->err, CP_EINPUT, "%s: layer %s has no column \"%s\" (<roads "
                       "class-field>, --roads-class); its columns: %s", c->path, c->layer_name,
                       want, names);
    }
    if (c->class_column < 0)
        c->class_column = OGR_FD_GetFieldIndex(defn, "fclass");
    c->oneway_column = OGR_FD_GetFieldIndex(defn, "oneway");
    if (c->class_column >= 0 &&
        !(c->lines->class_column =
              cp_strdup(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, c->class_column)))))
        return cp_fail_nomem(c->err);
    return CP_OK;
}

/* One LineString's vertices (2D) as a line of the feature. */
static cp_code add_part(roads_ctx *c, OGRGeometryH g, int cls, int oneway, long long fid)
{
    int n = OGR_G_GetPointCount(g), k;
    double *x, *y;
    cp_code rc;
    if (n < 2)
        return CP_OK;
    x = cp_malloc((size_t)n * sizeof *x);
    y = cp_malloc((size_t)n * sizeof *y);
    if (!x || !y) {
        cp_free(x);
        cp_free(y);
        return cp_fail_nomem(c->err);
    }
    for (k = 0; k < n; k++) {
        x[k] = OGR_G_GetX(g, k);
        y[k] = OGR_G_GetY(g, k);
    }
    rc = cp_road_lines_add(c->lines, x, y, n, cls, oneway, fid) ? cp_fail_nomem(c->err) : CP_OK;
    cp_free(x);
    cp_free(y);
    return rc;
}

static cp_code read_feature(roads_ctx *c, OGRFeatureH f)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    long long fid = (long long)OGR_F_GetFID(f);
    int cls = -1, oneway = 0, known = 1, k;
    OGRwkbGeometryType type;
    cp_code rc = CP_OK;
    if (!g || OGR_G_IsEmpty(g))
        return CP_OK;
    type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type != wkbLineString && type != wkbMultiLineString)
        return cp_fail(c->err, CP_EINPUT, "%s: layer %s, feature %lld: a %s, not a line: a road "
                       "layer holds LineStrings or MultiLineStrings", c->path, c->layer_name, fid,
                       OGR_G_GetGeometryName(g));
    if (c->class_column >= 0 && OGR_F_IsFieldSetAndNotNull(f, c->class_column) &&
        (cls = cp_road_lines_class(c->lines, OGR_F_GetFieldAsString(f, c->class_column))) < 0)
        return cp_fail_nomem(c->err);
    if (c->oneway_column >= 0 && OGR_F_IsFieldSetAndNotNull(f, c->oneway_column)) {
        const char *v = OGR_F_GetFieldAsString(f, c->oneway_column);
        oneway = cp_road_oneway_value(v, &known);
        if (!known && c->odd_oneway++ == 0) {
            c->odd_oneway_fid = fid;
            snprintf(c->odd_oneway_value, sizeof c->odd_oneway_value, "%s", v);
        }
    }
    if (type == wkbLineString)
        return add_part(c, g, cls, oneway, fid);
    for (k = 0; !rc && k < OGR_G_GetGeometryCount(g); k++)
        rc = add_part(c, OGR_G_GetGeometryRef(g, k), cls, oneway, fid);
    return rc;
}

static cp_code read_features(roads_ctx *c)
{
    OGRFeatureH f;
    cp_code rc = CP_OK;
    OGR_L_ResetReading(c->layer);
    CPLErrorReset();
    while (!rc && (f = OGR_L_GetNextFeature(c->layer))) {
        rc = read_feature(c, f);
        OGR_F_Destroy(f);
    }
    if (!rc && CPLGetLastErrorType() >= CE_Failure)
        rc = cp_fail(c->err, CP_EINPUT, "%s: layer %s: %s", c->path, c->layer_name,
                     CPLGetLastErrorMsg());
    if (!rc && c->lines->n_lines == 0)
        rc = cp_fail(c->err, CP_EINPUT, "%s: layer %s has no lines of two points or more",
                     c->path, c->layer_name);
    if (!rc && c->odd_oneway)
        rc = cp_warn(c->warn, "%s: %ld roads have a oneway value outside OSM's yes/no/-1 "
                     "(first: feature %lld, \"%s\"): taken as usable both ways", c->path,
                     c->odd_oneway, c->odd_oneway_fid, c->odd_oneway_value) ? cp_fail_nomem(c->err)
                                                                         : CP_OK;
    return rc;
}

/* Every vertex to WGS 84 lon/lat in one batch (rounded to 1e-7 degrees
 * from another CRS, as the schools). */
static cp_code to_wgs84(roads_ctx *c)
{
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(c->layer), wgs;
    OGRCoordinateTransformationH ct;
    const char *const same[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                                "CRITERION=EQUIVALENT", NULL};
    cp_road_lines *l = c->lines;
    int *ok, is_wgs, round_off;
    long k;
    cp_code rc = CP_OK;
    if (!src) {
        for (k = 0; k < l->n_points && fabs(l->x[k]) <= 180 && fabs(l->y[k]) <= 90; k++)
            ;
        if (k < l->n_points)
            return cp_fail(c->err, CP_EINPUT, "%s: layer %s states no CRS and its coordinates "
                           "are not longitude/latitude (%g, %g): give the layer its CRS (for "
                           "example ogr2ogr -a_srs EPSG:N)", c->path, c->layer_name, l->x[k],
                           l->y[k]);
        return cp_warn(c->warn, "%s: layer %s states no CRS; its coordinates fit "
                       "longitude/latitude, so WGS 84 is assumed", c->path, c->layer_name)
                   ? cp_fail_nomem(c->err) : CP_OK;
    }
    wgs = cp_gdal_wgs84();
    is_wgs = wgs && OSRIsSameEx(src, wgs, same);
    OSRDestroySpatialReference(wgs);
    round_off = !is_wgs;
    if (!(ct = cp_gdal_to_wgs84(src, c->err)))
        return c->err->code;
    ok = cp_malloc((size_t)(l->n_points ? l->n_points : 1) * sizeof *ok);
    if (!ok)
        rc = cp_fail_nomem(c->err);
    if (!rc && l->n_points > 0x7fffffffL)
        rc = cp_fail(c->err, CP_ERESOURCE, "%s: more than 2^31 road vertices", c->path);
    if (!rc && !OCTTransformEx(ct, (int)l->n_points, l->x, l->y, NULL, ok)) {
        for (k = 0; k < l->n_points && ok[k]; k++)
            ;
        rc = cp_fail(c->err, CP_EINPUT, "%s: layer %s: a vertex cannot be transformed from %s "
                     "to WGS 84", c->path, c->layer_name, cp_gdal_crs_name(src, "its CRS"));
    }
    for (k = 0; !rc && k < l->n_points; k++) {
        if (!isfinite(l->x[k]) || !isfinite(l->y[k]) || fabs(l->x[k]) > 180 || fabs(l->y[k]) > 90)
            rc = cp_fail(c->err, CP_EINPUT, "%s: layer %s: a vertex lies off the globe in %s",
                         c->path, c->layer_name, cp_gdal_crs_name(src, "its CRS"));
        else if (round_off) {
            l->x[k] = round(l->x[k] * 1e7) / 1e7;
            l->y[k] = round(l->y[k] * 1e7) / 1e7;
        }
    }
    cp_free(ok);
    OCTDestroyCoordinateTransformation(ct);
    return rc;
}

cp_code cp_read_road_lines(const char *path, const cp_scenario *sc, cp_road_lines *lines,
                           cp_warnings *warn, cp_error *err)
{
    roads_ctx c;
    cp_code rc;
    memset(&c, 0, sizeof c);
    c.path = path;
    c.sc = sc;
    c.warn = warn;
    c.err = err;
    c.lines = lines;
    cp_gdal_begin();
    c.ds = cp_gdal_open_vector(path, path, NULL, err);
    rc = c.ds ? CP_OK : err->code ? err->code : CP_EINPUT;
    if (!rc)
        rc = pick_layer(&c);
    if (!rc)
        rc = resolve_columns(&c);
    if (!rc)
        rc = read_features(&c);
    if (!rc)
        rc = to_wgs84(&c);
    if (c.ds)
        GDALClose(c.ds);
    cp_gdal_end();
    return rc;
}

cp_code cp_instance_use_roads(cp_instance *inst, const cp_scenario *sc, cp_warnings *warn,
                              cp_error *err)
{
    cp_road_lines lines;
    cp_road_network *net = NULL;
    char sha[65];
    const cp_road_summary *s;
    cp_code rc;
    if (!sc->roads)
        return CP_OK;
    if (inst->distance != CP_DIST_HAVERSINE)
        return cp_fail(err, CP_EINPUT, "%s: distances by road need schools in longitude/latitude "
                       "(a GIS layer, or a native instance with lat and lon); this instance's "
                       "distance is %s", sc->roads, inst->distance == CP_DIST_EUCLIDEAN
                       ? "euclidean (planar x/y)" : inst->distance == CP_DIST_NETWORK
                       ? "network (its own <road> elements)" : "matrix (its own od costs)");
    memset(&lines, 0, sizeof lines);
    rc = cp_sha256_file(sc->roads, sha, err);
    if (!rc)
        rc = cp_read_road_lines(sc->roads, sc, &lines, warn, err);
    if (!rc && !(net = cp_road_build(&lines, inst, sc, warn, err)))
        rc = err->code;
    if (!rc && cp_road_set_source(net, sc->roads, sc->roads_layer, sha))
        rc = cp_fail_nomem(err);
    cp_road_lines_clear(&lines);
    if (rc) {
        cp_road_free(net);
        return rc;
    }
    cp_instance_attach_roads(inst, net);
    s = cp_road_info(inst);
    if (s->off_road && cp_warn(warn, "roads: %d of %d schools lie more than %g km (snap-max) from "
                               "every road of %s: no route reaches them, so a solve leaves them "
                               "unassigned (\"road rule\") and an evaluated layout counts each "
                               "of its members among them as out of reach (a distance "
                               "violation); a larger snap-max, or <roads "
                               "straight-access=\"true\">, keeps them",
                               s->off_road, inst->n_schools, sc->snap_max, sc->roads))
        return cp_fail_nomem(err);
    return CP_OK;
}
