/*
 * write_ogr.c — a layout as GIS layers through GDAL/OGR, chosen by the
 * extension of the output path:
 *   .gpkg     layers centres, members, unassigned (points), links (lines,
 *             member to centre; none for a member at its centre's very
 *             point) and clusters (a polygon per cluster: the
 *             convex hull of its schools, or a small buffer round one or
 *             two schools or a line), with a QGIS style per layer in the
 *             GeoPackage's layer_styles table (colours from the colour
 *             column), so the file opens coloured by cluster;
 *   .gml      the same five layers, GML 3.2, srsName and boundedBy, its
 *             .xsd beside it;
 *   .kml      the same five folders, WGS 84 (KML 2.2);
 *   .geojson  RFC 7946 (WGS 84): one geometry type per file, so the
 *             schools (every role, in a role column) are OUT.geojson, the
 *             links OUT-links.geojson and the hulls OUT-clusters.geojson;
 *   .shp      likewise OUT.shp, OUT-links.shp, OUT-clusters.shp, each with
 *             its .shx, .dbf, .prj and .cpg (UTF-8);
 *   .csv      one row per school with X and Y (WGS 84 lon/lat), typed by
 *             its .csvt, and its .prj.
 * GPKG, GML and SHP keep the source's CRS (inst->crs) unless the scenario's
 * output_crs (--output-crs) names another; GeoJSON, KML and CSV are WGS 84.
 * A native instance with lon/lat is WGS 84; one with planar x/y has no CRS
 * and is written as it is.  Every school row and link carries the school's
 * admin units (leaf names), so a layer can be filtered by county or zone.
 * With roads, a link is the member's route along the roads (its points
 * transformed like the schools'), `distance` is by road, and every row
 * says so (`dist_unit`), with the route's `road_km`, the `straight` km and
 * the `circuity` (of a link, and of a cluster's members together).
 *
 * Files are written into a temporary folder beside the target and moved
 * into place only when every layer is complete (gdal_ogr.c).
 * Work: O(n) features; the hulls O(sum of cluster size x log).
 */
#include "writers.h"
#include "io/gis/gdal_ogr.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_string.h>
#include <ogr_api.h>


typedef enum { FMT_GPKG, FMT_GML, FMT_KML, FMT_GEOJSON, FMT_SHP, FMT_CSV } ogr_format;

typedef struct {
    const layout_view *v;
    const char *path;
    ogr_format fmt;
    cp_error *err;
    OGRSpatialReferenceH srs;   /* of the output; NULL = none (planar x/y) */
    double *x, *y;              /* per school, in the output's CRS */
    int geographic;             /* output CRS in degrees */
    double buffer;              /* hull buffer in output units */
    OGRCoordinateTransformationH ct; /* WGS 84 to the output CRS, or NULL */
} ogr_out;

/* ------------------------------------------------------------------ CRS */

/* What an instance without longitude/latitude cannot be written as: a
 * CRS it would be transformed to, or a format whose CRS is WGS 84 by
 * definition (KML, GeoJSON; the CSV's X/Y are written as they are). */
static cp_code planar_fits(const cp_instance *inst, ogr_format fmt, const char *wanted,
                           const char *path, cp_error *err)
{
    const char *what = inst->distance == CP_DIST_EUCLIDEAN
                           ? "planar x/y (distance=\"euclidean\")"
                           : inst->distance == CP_DIST_MATRIX
                                 ? "no coordinates of a known kind (distance=\"matrix\")"
                                 : "no coordinates of a known kind (distance=\"network\")";
    if (inst->distance == CP_DIST_HAVERSINE)
        return CP_OK;
    if (wanted && fmt != FMT_KML && fmt != FMT_GEOJSON)
        return cp_fail(err, CP_EINPUT, "%s: --output-crs %s: this instance has %s in no "
                       "stated CRS, so it cannot be transformed: nothing written", path, wanted,
                       what);
    if (fmt == FMT_KML || fmt == FMT_GEOJSON)
        return cp_fail(err, CP_EINPUT, "%s: %s output needs longitude/latitude; this "
                       "instance has %s: nothing written", path,
                       fmt == FMT_KML ? "KML" : "GeoJSON", what);
    return CP_OK;
}

/* The output's CRS: WGS 84 for GeoJSON, KML and CSV; else --output-crs,
 * else the source's, else WGS 84 for lon/lat and none for planar x/y. */
static cp_code choose_crs(ogr_out *o)
{
    const cp_instance *inst = o->v->inst;
    const char *wanted = o->v->sc ? o->v->sc->output_crs : NULL;
    int wgs = o->fmt == FMT_GEOJSON || o->fmt == FMT_KML || o->fmt == FMT_CSV;
    if (inst->distance != CP_DIST_HAVERSINE)
        return planar_fits(inst, o->fmt, wanted, o->path, o->err);
    if (!wgs && wanted)
        o->srs = cp_gdal_crs(wanted, o->err, "--output-crs");
    else if (!wgs && inst->crs) {
        o->srs = OSRNewSpatialReference(inst->crs);
        if (o->srs)
            OSRSetAxisMappingStrategy(o->srs, OAMS_TRADITIONAL_GIS_ORDER);
        else
            cp_fail(o->err, CP_EINPUT, "the source's CRS cannot be read back: %s",
                    cp_gdal_last_error());
    } else
        o->srs = cp_gdal_wgs84();
    return o->srs ? CP_OK : o->err->code ? o->err->code : cp_fail_nomem(o->err);
}

/* Every school's point in the output CRS. */
static cp_code project(ogr_out *o)
{
    const cp_instance *inst = o->v->inst;
    int n = inst->n_schools, i;
    OGRSpatialReferenceH wgs = NULL;
    OGRCoordinateTransformationH ct = NULL;
    int *ok;
    o->x = cp_malloc((size_t)(n ? n : 1) * sizeof *o->x);
    o->y = cp_malloc((size_t)(n ? n : 1) * sizeof *o->y);
    if (!o->x || !o->y)
        return cp_fail_nomem(o->err);
    for (i = 0; i < n; i++) {
        o->x[i] = inst->schools[i].x;
        o->y[i] = inst->schools[i].y;
    }
    o->geographic = !o->srs || OSRIsGeographic(o->srs);
    o->buffer = 200.0; /* m: a cluster of one or two schools is a small disc */
    if (!o->srs)
        return CP_OK;
    if (o->geographic) {
        o->buffer = 0.002; /* degrees, about 200 m */
        if (!inst->crs && !(o->v->sc && o->v->sc->output_crs))
            return CP_OK; /* WGS 84 already */
    } else {
        o->buffer = 200.0 / OSRGetLinearUnits(o->srs, NULL);
    }
    wgs = cp_gdal_wgs84();
    ct = wgs ? OCTNewCoordinateTransformation(wgs, o->srs) : NULL;
    OSRDestroySpatialReference(wgs);
    if (!ct)
        return cp_fail(o->err, CP_EINPUT, "no transformation from WGS 84 to %s: %s",
                       cp_gdal_crs_name(o->srs, "the output CRS"),
                       cp_gdal_last_error());
    ok = cp_malloc((size_t)(n ? n : 1) * sizeof *ok);
    if (!ok) {
        OCTDestroyCoordinateTransformation(ct);
        return cp_fail_nomem(o->err);
    }
    for (i = 0; i < n; i++)
        if (!view_located(o->v, i))
            o->x[i] = o->y[i] = 0; /* never drawn */
    OCTTransformEx(ct, n, o->x, o->y, NULL, ok);
    o->ct = ct; /* the routes' points too */
    for (i = 0; i < n && (!view_located(o->v, i) || (ok[i] && isfinite(o->x[i]) &&
                                                      isfinite(o->y[i])));
         i++)
        ;
    cp_free(ok);
    if (i < n)
        return cp_fail(o->err, CP_EINPUT, "school %s (%g, %g) cannot be put in %s: nothing "
                       "written", inst->schools[i].id, inst->schools[i].x, inst->schools[i].y,
                       cp_gdal_crs_name(o->srs, "the output CRS"));
    return CP_OK;
}

/* --------------------------------------------------------------- fields */

typedef enum { K_SCHOOLS, K_LINKS, K_CLUSTERS, K_ZONES } layer_kind;

typedef struct {
    const char *name;
    OGRFieldType type;
} field_spec;

/* Ten characters at most: the shapefile's limit, the same names in every format. */
static const field_spec school_fields[] = {
    {"school_id", OFTString}, {"name", OFTString},      {"role", OFTString},
    {"cluster", OFTString},   {"centre_id", OFTString}, {"distance", OFTReal},
    {"teachers", OFTReal},    {"clus_size", OFTInteger}, {"clus_teach", OFTReal},
    {"reason", OFTString},    {"admin1", OFTString},    {"admin2", OFTString},
    {"admin3", OFTString},    {"admin4", OFTString},    {"colour", OFTString}};
static const field_spec cluster_fields[] = {
    {"cluster", OFTString}, {"centre_id", OFTString}, {"centre", OFTString},
    {"size", OFTInteger},   {"teachers", OFTReal},    {"travel", OFTReal},
    {"max_dist", OFTReal},  {"admin1", OFTString},    {"admin2", OFTString},
    {"admin3", OFTString},  {"admin4", OFTString},    {"colour", OFTString}};
/* Zones of clusters (README "Zones"): a polygon per zone, the hull of its
 * clusters' schools. */
static const field_spec zone_fields[] = {
    {"zone", OFTString},  {"centre_cl", OFTString}, {"centre_id", OFTString},
    {"clusters", OFTInteger}, {"teachers", OFTReal}, {"travel", OFTReal},
    {"max_dist", OFTReal}, {"colour", OFTString}};
#define N_ZONE_FIELDS (sizeof zone_fields / sizeof *zone_fields)
/* with roads, after the others */
static const field_spec road_fields[] = {
    {"dist_unit", OFTString}, {"road_km", OFTReal}, {"straight", OFTReal}, {"circuity", OFTReal}};
#define N_SCHOOL_FIELDS (sizeof school_fields / sizeof *school_fields)
#define N_CLUSTER_FIELDS (sizeof cluster_fields / sizeof *cluster_fields)
#define N_ROAD_FIELDS (sizeof road_fields / sizeof *road_fields)

static cp_code add_fields(ogr_out *o, OGRLayerH layer, const field_spec *f, size_t n)
{
    size_t k;
    for (k = 0; k < n; k++) {
        OGRFieldDefnH d = OGR_Fld_Create(f[k].name, f[k].type);
        OGRErr e = OGR_L_CreateField(layer, d, TRUE);
        OGR_Fld_Destroy(d);
        if (e != OGRERR_NONE)
            return cp_fail(o->err, CP_ERESOURCE, "cannot create the field %s: %s", f[k].name,
                           cp_gdal_last_error());
    }
    return CP_OK;
}

/* The maps' colours (map_colours.c: neighbouring clusters differ), so a
 * layer opened in QGIS looks like the report; unassigned schools grey. */
static const char *colour_of(const layout_view *v, int i, char buf[8])
{
    int k = v->lay->cluster_of[i];
    return k >= 0 ? view_colour(v, k, buf) : "#7f7f7f";
}

static void set_text(OGRFeatureH f, const char *field, const char *value)
{
    int k = OGR_F_GetFieldIndex(f, field);
    if (k >= 0 && value && value[0])
        OGR_F_SetFieldString(f, k, value);
}

static void set_number(OGRFeatureH f, const char *field, double value)
{
    int k = OGR_F_GetFieldIndex(f, field);
    if (k >= 0 && isfinite(value))
        OGR_F_SetFieldDouble(f, k, value);
}

static void set_admin(OGRFeatureH f, const cp_school *s)
{
    static const char *const names[CP_ADMIN_LEVELS] = {"admin1", "admin2", "admin3", "admin4"};
    int k;
    for (k = 0; k < CP_ADMIN_LEVELS; k++)
        set_text(f, names[k], s->admin_name[k]);
}

static void school_attributes(const layout_view *v, OGRFeatureH f, int i, int link)
{
    const cp_school *s = &v->inst->schools[i];
    char buf[8];
    int k;
    for (k = 0; k < VIEW_FIELDS; k++) {
        const char *name = k == 7 ? "clus_size" : k == 8 ? "clus_teach" : view_fields[k].name;
        if (view_fields[k].numeric)
            set_number(f, name, view_number(v, i, k));
        else
            set_text(f, name, view_text(v, i, k, link));
    }
    set_admin(f, s);
    set_text(f, "colour", colour_of(v, i, buf));
    if (v->lay->zones && v->lay->cluster_of[i] >= 0 && v->lay->zones->zone_of[v->lay->cluster_of[i]] >= 0)
        set_text(f, "zone", v->lay->zones->label[v->lay->zones->zone_of[v->lay->cluster_of[i]]]);
    if (v->ev->road_km && v->role[i] != VIEW_UNASSIGNED) {
        double road = v->ev->road_km[i], straight = v->ev->straight_km[i];
        set_text(f, "dist_unit", view_units(v));
        set_number(f, "road_km", road);
        set_number(f, "straight", straight);
        if (straight > 0)
            set_number(f, "circuity", road / straight);
    }
}

/* ------------------------------------------------------------- features */

static cp_code add_feature(ogr_out *o, OGRLayerH layer, OGRFeatureH f, OGRGeometryH g)
{
    OGRErr e;
    if (g)
        OGR_F_SetGeometryDirectly(f, g);
    e = OGR_L_CreateFeature(layer, f);
    OGR_F_Destroy(f);
    if (e != OGRERR_NONE)
        return cp_fail(o->err, CP_ERESOURCE, "cannot write a feature of layer %s: %s",
                       OGR_L_GetName(layer), cp_gdal_last_error());
    return CP_OK;
}

static OGRGeometryH point(const ogr_out *o, int i)
{
    OGRGeometryH g;
    if (!view_located(o->v, i))
        return NULL;
    g = OGR_G_CreateGeometry(wkbPoint);
    OGR_G_SetPoint_2D(g, 0, o->x[i], o->y[i]);
    return g;
}

/* Schools of one role, or every school (role < 0). */
static cp_code write_schools(ogr_out *o, OGRLayerH layer, int role)
{
    const layout_view *v = o->v;
    int i;
    cp_code rc = CP_OK;
    for (i = 0; !rc && i < v->inst->n_schools; i++) {
        OGRFeatureH f;
        if (role >= 0 && (int)v->role[i] != role)
            continue;
        f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        school_attributes(v, f, i, 0);
        rc = add_feature(o, layer, f, point(o, i));
    }
    return rc;
}

static cp_code write_links(ogr_out *o, OGRLayerH layer)
{
    const layout_view *v = o->v;
    int i;
    cp_code rc = CP_OK;
    for (i = 0; !rc && i < v->inst->n_schools; i++) {
        OGRFeatureH f;
        OGRGeometryH g;
        int c = v->centre_of[i];
        if (!view_has_line(v, i))
            continue;
        f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        school_attributes(v, f, i, 1);
        g = OGR_G_CreateGeometry(wkbLineString);
        if (view_has_route(v, i)) {
            long p;
            for (p = v->route_at[i]; p < v->route_at[i] + v->route_n[i]; p++)
                OGR_G_AddPoint_2D(g, v->route_x[p], v->route_y[p]);
            if (o->ct && OGR_G_Transform(g, o->ct) != OGRERR_NONE) {
                OGR_G_DestroyGeometry(g);
                OGR_F_Destroy(f);
                return cp_fail(o->err, CP_EINPUT, "the route of school %s cannot be put in "
                               "%s: nothing written", v->inst->schools[i].id,
                               cp_gdal_crs_name(o->srs, "the output CRS"));
            }
        } else {
            OGR_G_AddPoint_2D(g, o->x[i], o->y[i]);
            OGR_G_AddPoint_2D(g, o->x[c], o->y[c]);
        }
        if (OGR_G_Length(g) == 0.0) { /* a member at its centre's very point: a line of
                                          length 0 is no valid geometry (GEOS), so none */
            OGR_G_DestroyGeometry(g);
            OGR_F_Destroy(f);
            continue;
        }
        rc = add_feature(o, layer, f, g);
    }
    return rc;
}

/* The convex hull of the cluster's located schools (GEOS); a point, a line
 * or a sliver becomes a buffer of o->buffer round it. */
static OGRGeometryH hull(const ogr_out *o, const int *members, int n)
{
    OGRGeometryH mp = OGR_G_CreateGeometry(wkbMultiPoint), h, b;
    int k, located = 0;
    for (k = 0; k < n; k++) {
        OGRGeometryH p = point(o, members[k]);
        if (p) {
            OGR_G_AddGeometryDirectly(mp, p);
            located++;
        }
    }
    if (!located) {
        OGR_G_DestroyGeometry(mp);
        return NULL;
    }
    h = OGR_G_ConvexHull(mp);
    OGR_G_DestroyGeometry(mp);
    if (h && wkbFlatten(OGR_G_GetGeometryType(h)) == wkbPolygon && OGR_G_Area(h) > 0)
        return h;
    b = h ? OGR_G_Buffer(h, o->buffer, 8) : NULL;
    OGR_G_DestroyGeometry(h);
    return b;
}

/* A hull's road_km and straight: its members' routes summed (the centre
 * and members out of reach left out, as in its circuity). */
static void set_route_totals(OGRFeatureH f, const cp_evaluation *ev, const int *members, int n,
                             int centre)
{
    double road = 0.0, straight = 0.0;
    int k;
    for (k = 0; k < n; k++)
        if (members[k] != centre && isfinite(ev->road_km[members[k]])) {
            road += ev->road_km[members[k]];
            straight += ev->straight_km[members[k]];
        }
    set_number(f, "road_km", road);
    set_number(f, "straight", straight);
}

static cp_code write_clusters(ogr_out *o, OGRLayerH layer)
{
    const layout_view *v = o->v;
    const cp_evaluation *ev = v->ev;
    int *start = NULL, *members = NULL, k;
    char buf[8];
    cp_code rc = cp_layout_members(v->lay, &start, &members) ? cp_fail_nomem(o->err) : CP_OK;
    for (k = 0; !rc && k < v->lay->n_clusters; k++) {
        int c = ev->centre_used[k];
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        set_text(f, "cluster", v->lay->label[k]);
        if (c >= 0) {
            set_text(f, "centre_id", v->inst->schools[c].id);
            set_text(f, "centre", v->inst->schools[c].name);
            set_admin(f, &v->inst->schools[c]);
        }
        set_number(f, "size", ev->cluster_size[k]);
        set_number(f, "teachers", ev->cluster_teachers[k]);
        set_number(f, "travel", ev->cluster_travel[k]);
        set_number(f, "max_dist", ev->cluster_maxdist[k]);
        set_text(f, "colour", view_colour(v, k, buf));
        if (v->lay->zones && v->lay->zones->zone_of[k] >= 0)
            set_text(f, "zone", v->lay->zones->label[v->lay->zones->zone_of[k]]);
        if (ev->upgraded)
            set_number(f, "upgrade", ev->upgraded[k]);
        if (ev->cluster_circuity) {
            set_text(f, "dist_unit", view_units(v));
            set_number(f, "circuity", ev->cluster_circuity[k]);
        }
        if (ev->road_km)
            set_route_totals(f, ev, members + start[k], start[k + 1] - start[k], c);
        rc = add_feature(o, layer, f, hull(o, members + start[k], start[k + 1] - start[k]));
    }
    cp_free(start);
    cp_free(members);
    return rc;
}

/* A polygon per zone over every school of its clusters, with its centre
 * cluster, size, teachers and zonal travel. */
static cp_code write_zones(ogr_out *o, OGRLayerH layer)
{
    const layout_view *v = o->v;
    const cp_evaluation *ev = v->ev;
    const cp_zoning *z = v->lay->zones;
    int *schools = cp_malloc((size_t)(v->inst->n_schools ? v->inst->n_schools : 1) * sizeof(int));
    int k, i, c;
    char buf[8];
    cp_code rc = schools ? CP_OK : cp_fail_nomem(o->err);
    for (k = 0; !rc && k < z->n_zones; k++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        int n = 0, size = 0, centre = ev->centre_used[z->centre[k]];
        double teachers = 0.0, travel = 0.0, far = 0.0;
        for (i = 0; i < v->inst->n_schools; i++)
            if ((c = v->lay->cluster_of[i]) >= 0 && z->zone_of[c] == k)
                schools[n++] = i;
        for (c = 0; c < z->n_clusters; c++) {
            double d = ev->cluster_zone_distance ? ev->cluster_zone_distance[c] : NAN;
            if (z->zone_of[c] != k || ev->cluster_size[c] == 0)
                continue;
            size++;
            teachers += ev->cluster_teachers[c];
            if (!isnan(d)) {
                travel += ev->cluster_teachers[c] * d;
                far = fmax(far, d);
            }
        }
        set_text(f, "zone", z->label[k]);
        set_text(f, "centre_cl", v->lay->label[z->centre[k]]);
        if (centre >= 0)
            set_text(f, "centre_id", v->inst->schools[centre].id);
        set_number(f, "clusters", size);
        set_number(f, "teachers", teachers);
        set_number(f, "travel", travel);
        set_number(f, "max_dist", far);
        set_text(f, "colour", view_colour_hex(k, buf));
        rc = add_feature(o, layer, f, hull(o, schools, n));
    }
    cp_free(schools);
    return rc;
}

/* ----------------------------------------------------------------- style */

/* A QGIS style (QML) colouring by the colour column: a circle (a square for
 * centres), a line, or a translucent fill. */
static void qml(char *out, size_t n, const char *symbol_type, const char *symbol_class,
                const char *shape, const char *colour_property)
{
    snprintf(out, n,
             "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
             "<qgis version=\"3.22.0\" styleCategories=\"Symbology\">\n"
             " <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" "
             "forceraster=\"0\">\n"
             "  <symbols>\n"
             "   <symbol type=\"%s\" name=\"0\" alpha=\"%s\" clip_to_extent=\"1\" "
             "force_rhr=\"0\">\n"
             "    <layer class=\"%s\" enabled=\"1\" pass=\"0\" locked=\"0\">\n"
             "     <Option type=\"Map\">\n"
             "      <Option type=\"QString\" name=\"name\" value=\"%s\"/>\n"
             "      <Option type=\"QString\" name=\"size\" value=\"2.4\"/>\n"
             "      <Option type=\"QString\" name=\"line_width\" value=\"0.3\"/>\n"
             "      <Option type=\"QString\" name=\"outline_color\" value=\"40,40,40,255\"/>\n"
             "     </Option>\n"
             "     <data_defined_properties>\n"
             "      <Option type=\"Map\">\n"
             "       <Option type=\"QString\" name=\"name\" value=\"\"/>\n"
             "       <Option name=\"properties\" type=\"Map\">\n"
             "        <Option name=\"%s\" type=\"Map\">\n"
             "         <Option type=\"bool\" name=\"active\" value=\"true\"/>\n"
             "         <Option type=\"QString\" name=\"field\" value=\"colour\"/>\n"
             "         <Option type=\"int\" name=\"type\" value=\"2\"/>\n"
             "        </Option>\n"
             "       </Option>\n"
             "       <Option type=\"QString\" name=\"type\" value=\"collection\"/>\n"
             "      </Option>\n"
             "     </data_defined_properties>\n"
             "    </layer>\n"
             "   </symbol>\n"
             "  </symbols>\n"
             " </renderer-v2>\n"
             "</qgis>\n",
             symbol_type, strcmp(symbol_type, "fill") ? "1" : "0.35", symbol_class, shape,
             colour_property);
}

/* layer_styles, as QGIS writes it: one default style per layer. */
static cp_code write_styles(ogr_out *o, GDALDatasetH ds, const char *const *layers, int n)
{
    static const char *const text_fields[] = {"f_table_catalog", "f_table_schema",
                                              "f_table_name", "f_geometry_column", "styleName",
                                              "styleQML", "styleSLD", "description", "owner",
                                              "ui", NULL};
    OGRLayerH t = GDALDatasetCreateLayer(ds, "layer_styles", NULL, wkbNone, NULL);
    OGRFieldDefnH d;
    char style[4096];
    int k;
    cp_code rc = CP_OK;
    if (!t)
        return cp_fail(o->err, CP_ERESOURCE, "cannot create layer_styles: %s",
                       cp_gdal_last_error());
    for (k = 0; text_fields[k]; k++) {
        d = OGR_Fld_Create(text_fields[k], OFTString);
        OGR_L_CreateField(t, d, TRUE);
        OGR_Fld_Destroy(d);
    }
    d = OGR_Fld_Create("useAsDefault", OFTInteger);
    OGR_Fld_SetSubType(d, OFSTBoolean);
    OGR_L_CreateField(t, d, TRUE);
    OGR_Fld_Destroy(d);
    d = OGR_Fld_Create("update_time", OFTDateTime);
    OGR_L_CreateField(t, d, TRUE);
    OGR_Fld_Destroy(d);
    for (k = 0; !rc && k < n; k++) {
        OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(t));
        if (!strcmp(layers[k], "links"))
            qml(style, sizeof style, "line", "SimpleLine", "", "outlineColor");
        else if (!strcmp(layers[k], "clusters") || !strcmp(layers[k], "zones"))
            qml(style, sizeof style, "fill", "SimpleFill", "", "fillColor");
        else
            qml(style, sizeof style, "marker", "SimpleMarker",
                strcmp(layers[k], "centres") ? "circle" : "square", "fillColor");
        set_text(f, "f_table_catalog", "");
        set_text(f, "f_table_schema", "");
        set_text(f, "f_table_name", layers[k]);
        set_text(f, "f_geometry_column", "geom");
        set_text(f, "styleName", layers[k]);
        set_text(f, "styleQML", style);
        set_text(f, "description", "clusterplan: coloured by cluster (the colour column)");
        OGR_F_SetFieldInteger(f, OGR_F_GetFieldIndex(f, "useAsDefault"), 1);
        rc = add_feature(o, t, f, NULL);
    }
    return rc;
}

/* -------------------------------------------------------------- datasets */

static const char *driver_name(ogr_format f)
{
    static const char *const names[] = {"GPKG", "GML", "KML", "GeoJSON", "ESRI Shapefile",
                                        "CSV"};
    return names[f];
}

static GDALDatasetH create(ogr_out *o, const char *path)
{
    /* GDAL's C option lists are char ** (CSLConstList in C) */
    char format[] = "FORMAT=GML3.2", srsname[] = "SRSNAME_FORMAT=OGC_URN";
    char *gml[] = {format, srsname, NULL};
    GDALDriverH drv = GDALGetDriverByName(driver_name(o->fmt));
    GDALDatasetH ds = drv ? GDALCreate(drv, path, 0, 0, 0, GDT_Unknown,
                                       o->fmt == FMT_GML ? gml : NULL)
                          : NULL;
    if (!ds)
        cp_fail(o->err, CP_ERESOURCE, "%s: GDAL's %s driver cannot create it: %s", path,
                driver_name(o->fmt), cp_gdal_last_error());
    return ds;
}

static OGRLayerH new_layer(ogr_out *o, GDALDatasetH ds, const char *name, layer_kind kind)
{
    char rfc[] = "RFC7946=YES", xy[] = "GEOMETRY=AS_XY", csvt[] = "CREATE_CSVT=YES",
         utf8[] = "ENCODING=UTF-8";
    char *geojson[] = {rfc, NULL}, *csv[] = {xy, csvt, NULL}, *shp[] = {utf8, NULL};
    CSLConstList options = o->fmt == FMT_GEOJSON ? geojson : o->fmt == FMT_CSV ? csv
                         : o->fmt == FMT_SHP ? shp : NULL;
    OGRwkbGeometryType type = kind == K_SCHOOLS ? wkbPoint : kind == K_LINKS ? wkbLineString
                                                                              : wkbPolygon;
    OGRLayerH layer = GDALDatasetCreateLayer(ds, name, o->srs, type, options);
    static const field_spec zone_column[] = {{"zone", OFTString}}, upgrade_column[] = {
                                                                       {"upgrade", OFTInteger}};
    if (!layer) {
        cp_fail(o->err, CP_ERESOURCE, "cannot create layer %s: %s", name, cp_gdal_last_error());
        return NULL;
    }
    if (kind == K_ZONES)
        return add_fields(o, layer, zone_fields, N_ZONE_FIELDS) ? NULL : layer;
    if (add_fields(o, layer, kind == K_CLUSTERS ? cluster_fields : school_fields,
                   kind == K_CLUSTERS ? N_CLUSTER_FIELDS : N_SCHOOL_FIELDS))
        return NULL;
    /* issue 24: the zone of every school and cluster, the upgraded centres
     * (only when the layout has zones, the scenario <invest>) */
    if (o->v->lay->zones && add_fields(o, layer, zone_column, 1))
        return NULL;
    if (kind == K_CLUSTERS && o->v->sc->has_invest && add_fields(o, layer, upgrade_column, 1))
        return NULL;
    if (o->v->ev->road_km && add_fields(o, layer, road_fields, N_ROAD_FIELDS))
        return NULL;
    return layer;
}

static cp_code fill(ogr_out *o, OGRLayerH layer, layer_kind kind, int role)
{
    if (!layer)
        return o->err->code;
    return kind == K_SCHOOLS  ? write_schools(o, layer, role)
         : kind == K_LINKS    ? write_links(o, layer)
         : kind == K_CLUSTERS ? write_clusters(o, layer)
                              : write_zones(o, layer);
}

static cp_code close_dataset(ogr_out *o, GDALDatasetH ds, cp_code rc)
{
    CPLErrorReset();
    GDALClose(ds);
    if (!rc && CPLGetLastErrorType() >= CE_Failure)
        rc = cp_fail(o->err, CP_ERESOURCE, "GDAL could not finish the file: %s",
                     cp_gdal_last_error());
    return rc;
}

/* GPKG, GML, KML: five layers in one dataset, six with zones. */
static cp_code write_multi(ogr_out *o, const char *path)
{
    static const char *const names[] = {"centres", "members", "unassigned", "links", "clusters",
                                        "zones"};
    static const layer_kind kinds[] = {K_SCHOOLS, K_SCHOOLS, K_SCHOOLS, K_LINKS, K_CLUSTERS,
                                       K_ZONES};
    static const int roles[] = {VIEW_CENTRE, VIEW_MEMBER, VIEW_UNASSIGNED, -1, -1, -1};
    GDALDatasetH ds = create(o, path);
    cp_code rc = ds ? CP_OK : o->err->code;
    int k, layers = o->v->lay->zones ? 6 : 5;
    if (!ds)
        return rc;
    /* GPKG: one transaction for every feature (else one per feature) */
    if (o->fmt == FMT_GPKG)
        GDALDatasetStartTransaction(ds, FALSE);
    for (k = 0; !rc && k < layers; k++)
        rc = fill(o, new_layer(o, ds, names[k], kinds[k]), kinds[k], roles[k]);
    if (!rc && o->fmt == FMT_GPKG)
        rc = write_styles(o, ds, names, layers);
    if (o->fmt == FMT_GPKG && GDALDatasetCommitTransaction(ds) != OGRERR_NONE && !rc)
        rc = cp_fail(o->err, CP_ERESOURCE, "%s: cannot commit: %s", path, cp_gdal_last_error());
    return close_dataset(o, ds, rc);
}

/* GeoJSON, SHP, CSV: one layer per file, the siblings named OUT-links and
 * OUT-clusters.  dir: the temporary folder; base: OUT.EXT. */
const char *const cp_ogr_siblings[] = {"", "-links", "-clusters", NULL};

static cp_code write_single(ogr_out *o, const char *dir, const char *base)
{
    static const layer_kind kinds[] = {K_SCHOOLS, K_LINKS, K_CLUSTERS};
    const char *dot = strrchr(base, '.');
    size_t stem = dot ? (size_t)(dot - base) : strlen(base);
    int k, files = o->fmt == FMT_CSV ? 1 : 3;
    cp_code rc = CP_OK;
    for (k = 0; !rc && k < files; k++) {
        char path[8192], name[1100];
        GDALDatasetH ds;
        snprintf(name, sizeof name, "%.*s%s", (int)stem, base, cp_ogr_siblings[k]);
        snprintf(path, sizeof path, "%s/%s%s", dir, name, dot ? dot : "");
        ds = create(o, o->fmt == FMT_SHP ? dir : path);
        if (!ds)
            return o->err->code;
        rc = fill(o, new_layer(o, ds, name, kinds[k]), kinds[k], -1);
        rc = close_dataset(o, ds, rc);
    }
    return rc;
}

/* The CSV driver writes no .prj: the CRS (WGS 84) beside it as WKT 1 with
 * its EPSG authority, which GDAL and QGIS both identify (ESRI's flavour
 * loses the code). */
static cp_code write_prj(ogr_out *o, const char *dir, const char *base)
{
    const char *dot = strrchr(base, '.');
    char path[8192], *wkt = NULL;
    FILE *f;
    if (!o->srs)
        return CP_OK;
    snprintf(path, sizeof path, "%s/%.*s.prj", dir, (int)(dot ? dot - base : (long)strlen(base)),
             base);
    if (OSRExportToWkt(o->srs, &wkt) != OGRERR_NONE || !wkt) {
        CPLFree(wkt);
        return cp_fail(o->err, CP_ERESOURCE, "cannot write the CRS as WKT");
    }
    f = fopen(path, "w");
    if (!f || fputs(wkt, f) < 0 || fclose(f) != 0) {
        CPLFree(wkt);
        return cp_fail(o->err, CP_ERESOURCE, "%s: cannot write", path);
    }
    CPLFree(wkt);
    return CP_OK;
}

static int format_of(const char *ext, ogr_format *f)
{
    static const struct {
        const char *ext;
        ogr_format fmt;
    } table[] = {{".gpkg", FMT_GPKG},    {".gml", FMT_GML}, {".kml", FMT_KML},
                 {".geojson", FMT_GEOJSON}, {".json", FMT_GEOJSON}, {".shp", FMT_SHP},
                 {".csv", FMT_CSV}};
    size_t k;
    for (k = 0; ext && k < sizeof table / sizeof *table; k++)
        if (!strcmp(ext, table[k].ext)) {
            *f = table[k].fmt;
            return 1;
        }
    return 0;
}

int cp_ogr_format_known(const char *ext)
{
    ogr_format f;
    return format_of(ext, &f);
}

/* GML names its CRS by an EPSG code alone (srsName): a CRS without one (a
 * custom Transverse Mercator) would be written as none at all, which QGIS
 * then reads as "unknown".  GPKG and SHP keep any CRS. */
static cp_code gml_crs_named(const cp_instance *inst, const char *wanted, const char *path,
                             cp_error *err)
{
    const char *text = wanted ? wanted : inst->crs;
    OGRSpatialReferenceH srs;
    cp_code rc = CP_OK;
    if (!text)
        return CP_OK; /* WGS 84 */
    cp_gdal_begin();
    srs = wanted ? cp_gdal_crs(wanted, err, "--output-crs") : OSRNewSpatialReference(text);
    if (!srs) {
        cp_gdal_end();
        return err->code ? err->code : CP_OK; /* the writer says why it cannot read it */
    }
    OSRAutoIdentifyEPSG(srs);
    if (!OSRGetAuthorityCode(srs, NULL))
        rc = cp_fail(err, CP_EINPUT, "%s: GML names its CRS by an EPSG code, and %s has none "
                     "(%s): write .gpkg or .shp, which keep any CRS, or give --output-crs EPSG:N: "
                     "nothing written", path, wanted ? "--output-crs" : "the source's CRS",
                     OSRGetName(srs) ? OSRGetName(srs) : "unnamed");
    OSRDestroySpatialReference(srs);
    cp_gdal_end();
    return rc;
}

cp_code cp_layout_output_fits(const char *path, const cp_instance *inst, const cp_scenario *sc,
                              cp_error *err)
{
    ogr_format f;
    if (!format_of(strrchr(path, '.'), &f))
        return CP_OK;
    if (planar_fits(inst, f, sc ? sc->output_crs : NULL, path, err))
        return err->code;
    return f == FMT_GML && inst->distance == CP_DIST_HAVERSINE
               ? gml_crs_named(inst, sc ? sc->output_crs : NULL, path, err)
               : CP_OK;
}

cp_code cp_write_ogr(const char *path, const layout_view *v, cp_error *err)
{
    ogr_out o;
    cp_gdal_out tmp;
    char inner[8192];
    cp_code rc;
    memset(&o, 0, sizeof o);
    o.v = v;
    o.path = path;
    o.err = err;
    if (!format_of(strrchr(path, '.'), &o.fmt))
        return cp_fail(err, CP_EINPUT, "%s: not a GIS format clusterplan writes", path);
    cp_gdal_begin();
    rc = choose_crs(&o);
    if (!rc)
        rc = project(&o);
    if (!rc)
        rc = cp_gdal_out_open(&tmp, path, err);
    if (!rc) {
        snprintf(inner, sizeof inner, "%s/%s", tmp.dir, tmp.base);
        if (o.fmt == FMT_GPKG || o.fmt == FMT_GML || o.fmt == FMT_KML)
            rc = write_multi(&o, inner);
        else
            rc = write_single(&o, tmp.dir, tmp.base);
        if (!rc && o.fmt == FMT_CSV)
            rc = write_prj(&o, tmp.dir, tmp.base);
        rc = rc ? (cp_gdal_out_abandon(&tmp), rc) : cp_gdal_out_commit(&tmp, err);
    }
    cp_free(o.x);
    cp_free(o.y);
    if (o.ct)
        OCTDestroyCoordinateTransformation(o.ct);
    OSRDestroySpatialReference(o.srs);
    cp_gdal_end();
    return rc;
}
