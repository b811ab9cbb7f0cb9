/*
 * read_ogr.c — any vector point layer that GDAL/OGR opens, read into an
 * instance: GeoPackage, Shapefile, GeoJSON, FlatGeobuf, CSV (X/Y or WKT
 * columns), KML/KMZ, GML 2/3.x, as QGIS, ArcGIS, ogr2ogr and WFS servers
 * write them.  GDAL stays in io/: the wall (io/gis/gdal_ogr.c: setup,
 * errors, opening, CRSs), this reader and the GIS writer (write_ogr.c).
 *
 * Columns.  Each model field takes its value from the column named by
 * `--field FIELD=COLUMN` (or the scenario's <fields>), else from a column
 * named like the field.  A mapped column the layer lacks is an error that
 * lists the layer's columns: a typo must never silently drop a rule.  The
 * school id comes from the mapped id column, else an `id` column, else
 * GML's own feature id (gml_id), else the feature id (FID); `--field
 * id=FID` asks for the FID.  Values are read as text and parsed by
 * fields.c, so a value is checked the same way in every format; an empty
 * value is absent (counted in one warning per field).
 *
 * Coordinates.  The point geometry, else mapped lat/lon (or x/y) columns.
 * A feature that is a line or polygon is an error naming it.  The CRS is
 * the layer's, as PROJ resolves it (EPSG codes, legacy and versioned URNs,
 * WKT, .prj files): GDAL hands the geometry in the layer's data axis order,
 * so a urn:ogc:def:crs:EPSG::4326 source (lat, lon in the file) is read as
 * GDAL maps it, never guessed by code.  A layer that states no CRS takes
 * `--crs`; without one, values that fit lon/lat are WGS 84 (with a
 * warning), and any others are an error that asks for `--crs`.  A feature
 * whose own CRS differs from the layer's is an error.  Every school is then
 * transformed to WGS 84 lon/lat by PROJ (datum shifts included), and the
 * instance uses haversine km, so a distance limit is km whatever the
 * source's CRS.  The source CRS is kept (inst->crs) for the outputs.
 *
 * Work: one pass over the features, O(features x mapped columns), then one
 * batched transform of every point; memory: the instance itself.
 */
#include "read_ogr.h"
#include "io/gis/gdal_ogr.h"

#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

/* Model fields read from columns, in the order they are applied: lat/lon
 * after x/y, so a feature with both gives its lat/lon. */
static const char *const model_fields[] = {
    "name", "teachers", "enrolment", "quality", "host", "centre", "admin1", "admin2",
    "admin3", "admin4", "cluster", "max-distance", "existing-centre", "upgrade-cost", "x", "y",
    "lat", "lon", NULL};
enum { F_X = 14, F_Y, F_LAT, F_LON }; /* their places in model_fields */
#define N_MODEL_FIELDS (sizeof model_fields / sizeof *model_fields - 1)

typedef struct {
    const char *path;
    const cp_scenario *sc;
    cp_warnings *warn;
    cp_error *err;
    GDALDatasetH ds;
    OGRLayerH layer;
    const char *layer_name;
    cp_instance *inst;
    int column[N_MODEL_FIELDS]; /* field index in the layer, or -1 */
    int id_column;              /* -1: gml_id or the FID */
    int id_from_fid;
    long empty[N_MODEL_FIELDS]; /* features with an empty value, per field */
    /* study groups' teachers: mapped teachers-GROUP fields and the
     * scenario's groups that the layer has a teachers-GROUP column for */
    int n_group_columns;
    int group_column[CP_MAX_GROUPS];
    char group_field[CP_MAX_GROUPS][64];
    long long *fid;             /* per school: its feature id (messages) */
    unsigned char *from_point;  /* per school: coordinates from the geometry */
    OGRSpatialReferenceH layer_srs;
    OGRSpatialReferenceH feature_srs; /* no layer CRS: the first feature's own (owned) */
    char crs_unread[CP_PATH_MAX + 256]; /* a CRS the file states but cannot be read: why,
                                           else "" */
    char crs_error[256];       /* the first error GDAL raised about a CRS, else "" */
    int *where_column;         /* per --where condition, its column */
    long *where_hits;          /* per --where condition, the features that meet it */
    int columns_over_points;   /* --field lat/lon on a layer of points: the columns count */
    long long feature_srs_fid;
    long long crsless_fid;      /* a geometry that stated no CRS (-1: none yet) */
} ogr_ctx;

/* ---------------------------------------------------------------- mapping */

/* Adds teachers-GROUP read from `column` (an index of the layer), once. */
static cp_code add_group_column(ogr_ctx *c, const char *field, int column)
{
    int k;
    for (k = 0; k < c->n_group_columns; k++)
        if (!strcmp(c->group_field[k], field))
            return CP_OK;
    if (c->n_group_columns == CP_MAX_GROUPS)
        return cp_fail(c->err, CP_EINPUT, "%s: %s: at most %d teacher groups", c->path, field,
                       CP_MAX_GROUPS);
    snprintf(c->group_field[c->n_group_columns], sizeof c->group_field[0], "%s", field);
    c->group_column[c->n_group_columns++] = column;
    return CP_OK;
}

/* A model field whose name is longer than a DBF's 10 characters, found
 * cut short ("max-distan": QGIS, ArcGIS and ogr2ogr all write shapefiles
 * so): read from that column, and said, since a dropped max-distance had
 * let a school break its own limit without a word.  1 on an error (out of
 * memory, or a cut name two fields share). */
static int cut_name(ogr_ctx *c, OGRFeatureDefnH defn, const char *field, int *column)
{
    char cut[11], other[64];
    int k;
    if (strlen(field) <= 10)
        return 0;
    snprintf(cut, sizeof cut, "%.10s", field);
    if ((*column = OGR_FD_GetFieldIndex(defn, cut)) < 0)
        return 0;
    /* teachers-science and teachers-swahili both cut to teachers-s: the
     * column cannot tell which, so neither takes it (an error says so) */
    for (k = 0; c->sc && k < c->sc->n_groups; k++) {
        snprintf(other, sizeof other, "teachers-%s", c->sc->groups[k].name);
        if (strcmp(other, field) && !strncmp(other, cut, 10) && strlen(other) > 10) {
            *column = -1;
            cp_fail(c->err, CP_EINPUT, "%s: layer %s: column %s could be %s or %s, both cut to "
                    "10 characters as shapefiles do: map each with --field %s=COLUMN",
                    c->path, c->layer_name, cut, field, other, field);
            return 1;
        }
    }
    if (cp_warn(c->warn, "%s: layer %s: column %s is read as %s, its name cut to 10 characters "
                "as shapefiles do (map another with --field %s=COLUMN)", c->path, c->layer_name,
                cut, field, field)) {
        cp_fail_nomem(c->err);
        return 1;
    }
    return 0;
}

/* Mapped teachers-GROUP fields (checked above to exist), then each of the
 * scenario's groups from a column named teachers-GROUP when not mapped. */
static cp_code resolve_group_columns(ogr_ctx *c, OGRFeatureDefnH defn)
{
    char field[64];
    int k;
    for (k = 0; c->sc && k < c->sc->n_fields; k++) {
        const cp_field_map *m = &c->sc->fields[k];
        if (!strncmp(m->field, "teachers-", 9) &&
            add_group_column(c, m->field, OGR_FD_GetFieldIndex(defn, m->column)))
            return c->err->code;
    }
    for (k = 0; c->sc && k < c->sc->n_groups; k++) {
        int col;
        snprintf(field, sizeof field, "teachers-%s", c->sc->groups[k].name);
        col = OGR_FD_GetFieldIndex(defn, field);
        if (col < 0 && !cp_scenario_column(c->sc, field) && cut_name(c, defn, field, &col))
            return c->err->code;
        if (col >= 0 && !cp_scenario_column(c->sc, field) && add_group_column(c, field, col))
            return c->err->code;
    }
    return CP_OK;
}

/* Coordinates mapped by --field on a layer whose features are points
 * (CSV aside, where GDAL makes the points from those very columns): the
 * user asked for the columns, so lat/lon columns (WGS 84) are read instead
 * of the points, and said so; x/y columns, whose CRS could only be the
 * points' own, are refused rather than passed over.  1 on an error. */
static int explicit_coordinates(ogr_ctx *c)
{
    const char *drv = GDALGetDriverShortName(GDALGetDatasetDriver(c->ds));
    const char *lat = cp_scenario_column(c->sc, "lat"), *lon = cp_scenario_column(c->sc, "lon");
    int points = wkbFlatten(OGR_L_GetGeomType(c->layer)) != wkbNone;
    if (!points || !strcmp(drv, "CSV") || !c->sc)
        return 0;
    if (lat && lon) {
        c->columns_over_points = 1;
        if (cp_warn(c->warn, "%s: layer %s has points, but --field lat=%s --field lon=%s name "
                    "columns: the columns are read (WGS 84 longitude/latitude), not the points",
                    c->path, c->layer_name, lat, lon)) {
            cp_fail_nomem(c->err);
            return 1;
        }
        return 0;
    }
    if (lat || lon) {
        cp_fail(c->err, CP_EINPUT, "%s: --field %s=%s without --field %s=COLUMN: map both to "
                "read the coordinates from columns, or neither to read the layer's points",
                c->path, lat ? "lat" : "lon", lat ? lat : lon, lat ? "lon" : "lat");
        return 1;
    }
    if (cp_scenario_column(c->sc, "x") || cp_scenario_column(c->sc, "y")) {
        cp_fail(c->err, CP_EINPUT, "%s: layer %s has points, and --field %s names a column of "
                "coordinates too: drop the mapping to read the points, or map WGS 84 columns "
                "with --field lat=COLUMN --field lon=COLUMN", c->path, c->layer_name,
                cp_scenario_column(c->sc, "x") ? "x" : "y");
        return 1;
    }
    return 0;
}

static cp_code resolve_columns(ogr_ctx *c)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(c->layer);
    char names[2048];
    const char *id_col = cp_scenario_column(c->sc, "id");
    size_t k;
    for (k = 0; c->sc && k < (size_t)c->sc->n_fields; k++) {
        const cp_field_map *m = &c->sc->fields[k];
        if (strcmp(m->field, "id") == 0 && (!strcmp(m->column, "FID") || !strcmp(m->column, "fid")))
            continue;
        if (OGR_FD_GetFieldIndex(defn, m->column) < 0) {
            cp_gdal_list_columns(c->layer, names, sizeof names);
            return cp_fail(c->err, CP_EINPUT, "%s: layer %s has no column \"%s\" (mapped to %s "
                           "by --field %s=%s); its columns: %s", c->path, c->layer_name,
                           m->column, m->field, m->field, m->column, names);
        }
    }
    for (k = 0; k < N_MODEL_FIELDS; k++) {
        const char *col = cp_scenario_column(c->sc, model_fields[k]);
        c->column[k] = OGR_FD_GetFieldIndex(defn, col ? col : model_fields[k]);
        if (c->column[k] < 0 && !col && cut_name(c, defn, model_fields[k], &c->column[k]))
            return c->err->code;
    }
    if (explicit_coordinates(c))
        return c->err->code;
    /* an admin unit is the path admin1/../adminN (a zone's name repeats
     * across counties): a finer level without the coarser ones would stop
     * the path there and drop the rule without a word */
    for (k = 7; k < 10; k++) {
        size_t j;
        for (j = 6; j < k && c->column[k] >= 0; j++)
            if (c->column[j] < 0)
                return cp_fail(c->err, CP_EINPUT, "%s: layer %s: %s is read (column %s) but %s "
                               "is not: admin units are paths admin1..adminN, so map every "
                               "coarser level too (--field %s=COLUMN), or, if the names are "
                               "unique on their own, map it as admin1 (--field admin1=%s) and "
                               "use --admin-level 1", c->path, c->layer_name, model_fields[k],
                               OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, c->column[k])),
                               model_fields[j], model_fields[j],
                               OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, c->column[k])));
    }
    if (resolve_group_columns(c, defn))
        return c->err->code;
    c->id_from_fid = id_col && (!strcmp(id_col, "FID") || !strcmp(id_col, "fid"));
    c->id_column = c->id_from_fid ? -1 : OGR_FD_GetFieldIndex(defn, id_col ? id_col : "id");
    if (c->id_column < 0 && !id_col)
        c->id_column = OGR_FD_GetFieldIndex(defn, "gml_id");
    return CP_OK;
}

/* --where: each condition's column (a model field's mapped column, or any
 * column of the layer) into c->where_column; the features are filtered as
 * they are read (feature_meets), by cp_where_matches, so every format
 * matches alike (GDAL's attribute filter compared text without case in a
 * GML and with it in a GeoPackage). */
static cp_code apply_where(ogr_ctx *c)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(c->layer);
    char names[2048];
    int k;
    if (!c->sc || c->sc->n_where == 0)
        return CP_OK;
    c->where_column = cp_malloc((size_t)c->sc->n_where * sizeof(int));
    c->where_hits = cp_calloc((size_t)c->sc->n_where, sizeof(long));
    if (!c->where_column || !c->where_hits)
        return cp_fail_nomem(c->err);
    for (k = 0; k < c->sc->n_where; k++) {
        const cp_field_map *w = &c->sc->where[k];
        const char *col = cp_scenario_column(c->sc, w->field);
        if (!col)
            col = w->field; /* a model field's mapped column, else a column of the layer */
        c->where_column[k] = OGR_FD_GetFieldIndex(defn, col);
        if (c->where_column[k] < 0) {
            cp_gdal_list_columns(c->layer, names, sizeof names);
            return cp_fail(c->err, CP_EINPUT, "%s: --where %s=%s: layer %s has no column \"%s\"; "
                           "its columns: %s", c->path, w->field, w->column, c->layer_name, col,
                           names);
        }
    }
    return CP_OK;
}

/* ---------------------------------------------------------------- features */

static const char *value_of(OGRFeatureH f, int column)
{
    if (column < 0 || !OGR_F_IsFieldSetAndNotNull(f, column))
        return "";
    return OGR_F_GetFieldAsString(f, column);
}

/* Whether the feature meets every --where condition; each condition it
 * meets counts in c->where_hits (for the message when none meets all). */
static int feature_meets(ogr_ctx *c, OGRFeatureH f)
{
    int k, all = 1;
    for (k = 0; c->where_column && k < c->sc->n_where; k++)
        if (cp_where_matches(value_of(f, c->where_column[k]), c->sc->where[k].column))
            c->where_hits[k]++;
        else
            all = 0;
    return all;
}

/* The length of the valid UTF-8 prefix of s (strlen(s) when all of it):
 * RFC 3629's forms only (no overlong form, no surrogate, nothing above
 * U+10FFFF).  O(length). */
static size_t utf8_valid_prefix(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t k = 0;
    while (p[k]) {
        unsigned char c = p[k], lo = 0x80, hi = 0xBF;
        int len = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3
                : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
        int j;
        if (len == 0)
            return k;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* surrogates */
        else if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* above U+10FFFF */
        for (j = 1; j < len; j++)
            if (p[k + j] < (j == 1 ? lo : 0x80) || p[k + j] > (j == 1 ? hi : 0xBF))
                return k;
        k += (size_t)len;
    }
    return k;
}

/* Where the last (at most) 40 bytes of a valid prefix of length ok begin,
 * on a character's first byte, so a message quoting them is UTF-8. */
static size_t quote_start(const char *v, size_t ok)
{
    size_t from = ok > 40 ? ok - 40 : 0;
    while (from < ok && ((unsigned char)v[from] & 0xC0) == 0x80)
        from++;
    return from;
}

/* Text that is not UTF-8 (a shapefile in CP1252 without its .cpg: GDAL
 * cannot know the encoding and passes the bytes on) would reach every
 * output as corrupt text, a GeoJSON no reader accepts. */
static cp_code check_text(const cp_value_origin *at, const char *v)
{
    size_t ok = utf8_valid_prefix(v);
    cp_value_origin whole = *at;
    if (!v[ok])
        return CP_OK;
    whole.attr = NULL; /* the value is named by its valid part: the rest is not text */
    return cp_fail_origin(&whole, NULL, "column %s: not UTF-8 text (byte %zu, after \"%.*s\"): "
                          "the layer's encoding is not stated; for a shapefile, put a .cpg file "
                          "beside it naming the encoding (for example CP1252), or convert the "
                          "layer to UTF-8 with ogr2ogr", at->attr, ok + 1,
                          (int)(ok - quote_start(v, ok)), v + quote_start(v, ok));
}

static cp_code feature_id(ogr_ctx *c, OGRFeatureH f, char *id, size_t n)
{
    const char *col = cp_scenario_column(c->sc, "id");
    if (c->id_column >= 0) {
        const char *v = value_of(f, c->id_column);
        if (!v[0])
            return cp_fail(c->err, CP_EINPUT, "%s: layer %s, feature %lld: column %s is empty: "
                           "every school needs an id", c->path, c->layer_name,
                           (long long)OGR_F_GetFID(f), col ? col : "id");
        if (v[utf8_valid_prefix(v)])
            return cp_fail(c->err, CP_EINPUT, "%s: layer %s, feature %lld: column %s: not UTF-8 "
                           "text (byte %zu): the layer's encoding is not stated; for a "
                           "shapefile, put a .cpg file beside it naming the encoding (for "
                           "example CP1252)", c->path, c->layer_name, (long long)OGR_F_GetFID(f),
                           col ? col : "id", utf8_valid_prefix(v) + 1);
        snprintf(id, n, "%s", v);
    } else {
        snprintf(id, n, "%lld", (long long)OGR_F_GetFID(f));
    }
    return CP_OK;
}

static cp_code apply_columns(ogr_ctx *c, OGRFeatureH f, int i, cp_admin_names *admin,
                             cp_value_origin *at)
{
    size_t k;
    for (k = 0; k < N_MODEL_FIELDS; k++) {
        const char *v;
        int rc;
        if (c->column[k] < 0)
            continue;
        v = value_of(f, c->column[k]);
        if (!v[0]) {
            c->empty[k]++;
            continue;
        }
        at->attr = OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, c->column[k]));
        if (check_text(at, v))
            return at->err->code;
        rc = cp_apply_field(c->inst, i, model_fields[k], v, admin, at);
        if (rc > 0)
            return (cp_code)rc;
    }
    for (k = 0; k < (size_t)c->n_group_columns; k++) {
        int rc;
        at->attr = OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, c->group_column[k]));
        rc = cp_apply_field(c->inst, i, c->group_field[k], value_of(f, c->group_column[k]),
                            admin, at);
        if (rc > 0)
            return (cp_code)rc;
    }
    at->attr = NULL;
    return CP_OK;
}

/* The point of a feature into the school (raw, in the layer's CRS). */
static cp_code feature_point(ogr_ctx *c, OGRFeatureH f, int i, const cp_value_origin *at)
{
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    OGRSpatialReferenceH gs;
    OGRwkbGeometryType type;
    cp_school *s = &c->inst->schools[i];
    if (!g || OGR_G_IsEmpty(g) || c->columns_over_points)
        return CP_OK; /* coordinates from columns, if any */
    type = wkbFlatten(OGR_G_GetGeometryType(g));
    if (type == wkbMultiPoint && OGR_G_GetGeometryCount(g) == 1) {
        g = OGR_G_GetGeometryRef(g, 0);
        type = wkbFlatten(OGR_G_GetGeometryType(g));
    }
    if (type != wkbPoint)
        return cp_fail_origin(at, NULL, "a %s, not a point: clusterplan reads a point layer "
                              "(one point per school)", OGR_G_GetGeometryName(g));
    gs = OGR_G_GetSpatialReference(g);
    if (gs && c->layer_srs && !OSRIsSame(gs, c->layer_srs))
        return cp_fail_origin(at, NULL, "its CRS (%s) is not the layer's (%s): a layer must "
                              "have one CRS", cp_gdal_crs_name(gs, "unnamed"),
                              cp_gdal_crs_name(c->layer_srs, "unnamed"));
    if (!gs && !c->layer_srs && c->crsless_fid < 0)
        c->crsless_fid = at->feature;
    if (gs && !c->layer_srs && c->crsless_fid >= 0)
        return cp_fail_origin(at, NULL, "it states a CRS (%s) but feature %lld states none: the "
                              "layer mixes CRSs, and each school must be in one",
                              cp_gdal_crs_name(gs, "unnamed"), c->crsless_fid);
    if (gs && !c->layer_srs && !c->feature_srs) {
        if (!(c->feature_srs = OSRClone(gs)))
            return cp_fail_nomem(c->err);
        c->feature_srs_fid = at->feature;
    } else if (!c->layer_srs && (gs ? !c->feature_srs || !OSRIsSame(gs, c->feature_srs)
                                    : c->feature_srs != NULL)) {
        return cp_fail_origin(at, NULL, "its CRS (%s) is not that of feature %lld (%s): the "
                              "layer mixes CRSs, and each school must be in one",
                              cp_gdal_crs_name(gs, "none stated"),
                              c->feature_srs_fid,
                              cp_gdal_crs_name(c->feature_srs, "none stated"));
    }
    s->x = OGR_G_GetX(g, 0);
    s->y = OGR_G_GetY(g, 0);
    c->from_point[i] = 1;
    return CP_OK;
}

static cp_code read_feature(ogr_ctx *c, OGRFeatureH f)
{
    cp_admin_names admin = {{NULL}};
    cp_value_origin at = {c->path, 0, NULL, NULL, c->err, c->layer_name, OGR_F_GetFID(f)};
    char id[512];
    int i;
    cp_code rc;
    if ((rc = feature_id(c, f, id, sizeof id)))
        return rc;
    if (strlen(id) >= sizeof id - 1)
        return cp_fail_origin(&at, NULL, "a school id longer than %d characters",
                              (int)sizeof id - 2);
    i = cp_instance_add_school(c->inst, id);
    if (i == -1)
        return cp_fail_nomem(c->err);
    if (i == -2)
        return cp_fail_origin(&at, NULL, "duplicate school id \"%s\" (first in feature %lld)",
                              id, c->fid[cp_instance_find(c->inst, id)]);
    c->fid[i] = at.feature;
    c->from_point[i] = 0;
    if ((rc = apply_columns(c, f, i, &admin, &at)) || (rc = feature_point(c, f, i, &at)))
        return rc;
    /* no geometry: x/y columns are a point in the layer's CRS, transformed
     * like one; lat/lon columns are WGS 84 (range-checked by fields.c) */
    if (!c->from_point[i] && value_of(f, c->column[F_X])[0] && value_of(f, c->column[F_Y])[0] &&
        !(value_of(f, c->column[F_LAT])[0] && value_of(f, c->column[F_LON])[0]))
        c->from_point[i] = 1;
    if (cp_instance_set_admin(c->inst, i, admin.admin))
        return cp_fail_nomem(c->err);
    return cp_check_coordinates(c->inst, i, &at);
}

static cp_code read_features(ogr_ctx *c)
{
    OGRFeatureH f;
    long long count = OGR_L_GetFeatureCount(c->layer, 0);
    size_t cap = count > 0 ? (size_t)count : 1024;
    cp_code rc = CP_OK;
    c->fid = cp_malloc(cap * sizeof *c->fid);
    c->from_point = cp_malloc(cap);
    if (!c->fid || !c->from_point)
        return cp_fail_nomem(c->err);
    OGR_L_ResetReading(c->layer);
    CPLErrorReset(); /* only what goes wrong while the features are read counts below */
    while (!rc && (f = OGR_L_GetNextFeature(c->layer))) {
        if (!feature_meets(c, f)) { /* another county's feature: not read at all */
            OGR_F_Destroy(f);
            continue;
        }
        if ((size_t)c->inst->n_schools >= cap) {
            long long *fid = cp_realloc(c->fid, 2 * cap * sizeof *fid);
            unsigned char *fp = fid ? cp_realloc(c->from_point, 2 * cap) : NULL;
            if (fid)
                c->fid = fid;
            if (fp)
                c->from_point = fp;
            if (!fid || !fp)
                rc = cp_fail_nomem(c->err);
            cap *= 2;
        }
        if (!rc)
            rc = read_feature(c, f);
        OGR_F_Destroy(f);
    }
    /* with --crs, a CRS that PROJ could not resolve is replaced anyway */
    if (!rc && CPLGetLastErrorType() >= CE_Failure &&
        !(c->sc && c->sc->crs && strstr(CPLGetLastErrorMsg(), "crs not found")))
        rc = cp_fail(c->err, CP_EINPUT, "%s: layer %s: %s%s", c->path, c->layer_name,
                     CPLGetLastErrorMsg(), strstr(CPLGetLastErrorMsg(), "crs not found")
                                               ? " (the layer's CRS is not one PROJ knows: give "
                                                 "it with --crs EPSG:N)"
                                               : "");
    return rc;
}

static void report_empty(ogr_ctx *c)
{
    size_t k;
    for (k = 0; k < N_MODEL_FIELDS; k++)
        if (c->empty[k])
            cp_warn(c->warn, "%s: %ld features have an empty %s (column \"%s\"); %s", c->path,
                    c->empty[k], model_fields[k],
                    OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(OGR_L_GetLayerDefn(c->layer),
                                                           c->column[k])),
                    strcmp(model_fields[k], "teachers") == 0 ? "default 1 used"
                                                             : "treated as absent");
}

/* -------------------------------------------------------------------- CRS */

/* The source CRS: the layer's, or --crs, or WGS 84 assumed for lon/lat
 * values; NULL after an error.  The caller destroys it. */
static OGRSpatialReferenceH source_crs(ogr_ctx *c)
{
    OGRSpatialReferenceH srs;
    int i, lonlat = 1;
    if (c->sc && c->sc->crs) {
        srs = cp_gdal_crs(c->sc->crs, c->err, "--crs");
        if (srs && c->layer_srs && !OSRIsSame(srs, c->layer_srs))
            cp_warn(c->warn, "%s: layer %s states its CRS as %s; --crs %s is used instead",
                    c->path, c->layer_name,
                    cp_gdal_crs_name(c->layer_srs, "unnamed"), c->sc->crs);
        return srs;
    }
    if (c->crs_unread[0]) {
        cp_fail(c->err, CP_EINPUT, "%s: layer %s states a CRS that cannot be read (%s): fix "
                "it in the file, or give the CRS with --crs EPSG:N", c->path, c->layer_name,
                c->crs_unread);
        return NULL;
    }
    if (c->layer_srs || c->feature_srs) { /* the layer's, or the one every feature stated */
        srs = OSRClone(c->layer_srs ? c->layer_srs : c->feature_srs);
        if (!srs)
            cp_fail_nomem(c->err);
        return srs;
    }
    for (i = 0; i < c->inst->n_schools && lonlat; i++) {
        const cp_school *s = &c->inst->schools[i];
        lonlat = !c->from_point[i] || (fabs(s->x) <= 180 && fabs(s->y) <= 90);
    }
    if (!lonlat) {
        const cp_school *s = &c->inst->schools[i - 1];
        cp_fail(c->err, CP_EINPUT, "%s: layer %s states no CRS, and its coordinates are not "
                "longitude/latitude (feature %lld: %g, %g): give its CRS with --crs EPSG:N",
                c->path, c->layer_name, c->fid[i - 1], s->x, s->y);
        return NULL;
    }
    cp_warn(c->warn, "%s: layer %s states no CRS; its coordinates fit longitude/latitude, so "
            "WGS 84 (EPSG:4326) is assumed (give --crs EPSG:N if it is another)", c->path,
            c->layer_name);
    return cp_gdal_crs("EPSG:4326", c->err, "WGS 84 (assumed)");
}

/* Whether src is WGS 84 itself (whatever its axis order): then the points
 * are only put in lon/lat order, never rounded. */
static int is_wgs84(OGRSpatialReferenceH src)
{
    const char *const options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES",
                                   "CRITERION=EQUIVALENT", NULL};
    OGRSpatialReferenceH wgs = cp_gdal_wgs84();
    int same = wgs && OSRIsSameEx(src, wgs, options);
    OSRDestroySpatialReference(wgs);
    return same;
}

/* A transformed point rounded to 1e-7 degrees (about 1 cm): a register
 * exported to another CRS and read back then gives its original digits
 * (any value with at most 7 decimals comes back exactly, since PROJ's
 * round trip is off by about 1e-10 degrees), so its layout is the same in
 * every CRS and on every PROJ version.  No school is located to 1 cm. */
static double to_1e7(double v)
{
    return round(v * 1e7) / 1e7;
}

/* Every point to WGS 84 lon/lat in one batch. */
static cp_code to_wgs84(ogr_ctx *c, OGRSpatialReferenceH src)
{
    int round_off = !is_wgs84(src);
    int n = c->inst->n_schools, i, m = 0, *which;
    double *x, *y;
    int *ok;
    cp_code rc = CP_OK;
    OGRCoordinateTransformationH ct = cp_gdal_to_wgs84(src, c->err);
    if (!ct) { /* the file and layer named, as every input error does */
        char why[sizeof c->err->message];
        snprintf(why, sizeof why, "%s", c->err->message);
        return cp_fail(c->err, c->err->code, "%s: layer %s: %s", c->path, c->layer_name, why);
    }
    x = cp_malloc((size_t)(n ? n : 1) * sizeof *x);
    y = cp_malloc((size_t)(n ? n : 1) * sizeof *y);
    ok = cp_malloc((size_t)(n ? n : 1) * sizeof *ok);
    which = cp_malloc((size_t)(n ? n : 1) * sizeof *which);
    if (!x || !y || !ok || !which)
        rc = cp_fail_nomem(c->err);
    for (i = 0; !rc && i < n; i++)
        if (c->from_point[i]) {
            x[m] = c->inst->schools[i].x;
            y[m] = c->inst->schools[i].y;
            which[m++] = i;
        }
    /* a projected CRS whose every point would sit within 180 m of its false
     * origin: lon/lat values under a wrong CRS (a stray .prj, a wrong --crs) */
    if (!rc && m > 0 && OSRIsProjected(src)) {
        for (i = 0; i < m && fabs(x[i]) <= 180 && fabs(y[i]) <= 90; i++)
            ;
        if (i == m)
            rc = cp_fail(c->err, CP_EINPUT, "%s: layer %s is %s in %s (projected, in "
                         "metres or feet), but every point fits longitude/latitude (feature "
                         "%lld: %g, %g): the CRS is wrong; %s", c->path, c->layer_name,
                         c->sc && c->sc->crs ? "read under --crs" : "said to be",
                         cp_gdal_crs_name(src, "a projected CRS"), c->fid[which[0]],
                         x[0], y[0], c->sc && c->sc->crs
                                         ? "leave --crs out, or give --crs EPSG:4326 if they "
                                           "are WGS 84 lon/lat"
                                         : "give --crs EPSG:4326 if they are WGS 84 lon/lat");
    }
    if (!rc && m > 0 && !OCTTransformEx(ct, m, x, y, NULL, ok)) {
        for (i = 0; i < m && ok[i]; i++)
            ;
        rc = cp_fail(c->err, CP_EINPUT, "%s: layer %s, feature %lld: the point (%g, %g) cannot "
                     "be transformed from %s to WGS 84", c->path, c->layer_name,
                     c->fid[which[i < m ? i : 0]], c->inst->schools[which[i < m ? i : 0]].x,
                     c->inst->schools[which[i < m ? i : 0]].y,
                     cp_gdal_crs_name(src, "the source CRS"));
    }
    for (i = 0; !rc && i < m; i++) {
        cp_school *s = &c->inst->schools[which[i]];
        if (!isfinite(x[i]) || !isfinite(y[i]) || fabs(x[i]) > 180 || fabs(y[i]) > 90)
            rc = cp_fail(c->err, CP_EINPUT, "%s: layer %s, feature %lld: the point (%g, %g) in "
                         "%s lies off the globe", c->path, c->layer_name, c->fid[which[i]],
                         s->x, s->y, cp_gdal_crs_name(src, "the source CRS"));
        s->x = round_off ? to_1e7(x[i]) : x[i];
        s->y = round_off ? to_1e7(y[i]) : y[i];
    }
    cp_free(x);
    cp_free(y);
    cp_free(ok);
    cp_free(which);
    OCTDestroyCoordinateTransformation(ct);
    return rc;
}

/* ------------------------------------------------------------------ layer */

static int about_crs(const char *msg)
{
    /* PROJ's and GDAL's own words for a CRS they cannot read (a path that
     * merely holds "proj" or "crs" must not count) */
    return strstr(msg, "proj_create") || strstr(msg, "crs not found") ||
           strstr(msg, "Failed to import") || strstr(msg, "unrecognized CRS") ||
           strstr(msg, "SRS");
}

/* GDAL's error handler while the file is read: keeps the first error
 * about a CRS (GDAL itself may go on with another CRS, or none). */
static void keep_crs_error(CPLErr cls, CPLErrorNum no, const char *msg)
{
    ogr_ctx *c = CPLGetErrorHandlerUserData();
    (void)no;
    if (c && cls >= CE_Failure && msg && !c->crs_error[0] && about_crs(msg))
        snprintf(c->crs_error, sizeof c->crs_error, "%s", msg);
}

/* A file that states a CRS which GDAL or PROJ could not read: a
 * shapefile's .prj (the layer then has none), a GeoJSON "crs" member or a
 * GML srsName PROJ does not know (GeoJSON then falls back to WGS 84 by
 * itself).  Why, in c->crs_unread; source_crs refuses such a layer rather
 * than take it for WGS 84.  Reads the CRS error keep_crs_error kept while
 * GDAL opened the file, and GDAL's last error for a .prj it could not
 * parse. */
static void note_unread_crs(ogr_ctx *c)
{
    const char *msg = CPLGetLastErrorMsg(), *dot = strrchr(c->path, '.');
    int failed = CPLGetLastErrorType() >= CE_Failure && msg && msg[0];
    char prj[CP_PATH_MAX];
    if (!c->layer_srs && dot && (!strcmp(dot, ".shp") || !strcmp(dot, ".SHP"))) {
        snprintf(prj, sizeof prj, "%.*s.prj", (int)(dot - c->path), c->path);
        if (access(prj, F_OK) != 0)
            snprintf(prj, sizeof prj, "%.*s.PRJ", (int)(dot - c->path), c->path);
        if (access(prj, F_OK) == 0) {
            snprintf(c->crs_unread, sizeof c->crs_unread, "%s cannot be read%s%s", prj,
                     failed ? ": " : "", failed ? msg : "");
            return;
        }
    }
    /* a layer with a CRS after such an error: only GeoJSON falls back to
     * WGS 84 by itself (RFC 7946's default) */
    if (c->crs_error[0] &&
        (!c->layer_srs || !strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(c->ds)), "GeoJSON")))
        snprintf(c->crs_unread, sizeof c->crs_unread, "GDAL: %s", c->crs_error);
}

static cp_code pick_layer(ogr_ctx *c)
{
    c->layer = cp_gdal_pick_layer(c->ds, c->sc ? c->sc->layer : NULL, c->path, "--layer",
                                  "points", c->err);
    if (!c->layer)
        return c->err->code;
    c->layer_name = OGR_L_GetName(c->layer);
    c->layer_srs = OGR_L_GetSpatialRef(c->layer);
    note_unread_crs(c);
    return CP_OK;
}

static cp_code read_layer(ogr_ctx *c)
{
    OGRSpatialReferenceH src;
    cp_code rc;
    if ((rc = pick_layer(c)) || (rc = resolve_columns(c)) || (rc = apply_where(c)) ||
        (rc = read_features(c)))
        return rc;
    if (c->inst->n_schools == 0 && c->sc && c->sc->n_where > 0) {
        char why[CP_MSG_MAX / 2];
        cp_where_no_match(c->sc, c->where_hits, why, sizeof why);
        return cp_fail(c->err, CP_EINPUT, "%s: layer %s: %s", c->path, c->layer_name, why);
    }
    if (c->inst->n_schools == 0)
        return cp_fail(c->err, CP_EINPUT, "%s: layer %s has no features", c->path,
                       c->layer_name);
    report_empty(c);
    if (!(src = source_crs(c)))
        return c->err->code;
    rc = to_wgs84(c, src);
    if (!rc && !(c->inst->crs = cp_gdal_crs_wkt(src)))
        rc = cp_fail_nomem(c->err);
    OSRDestroySpatialReference(src);
    return rc;
}

cp_instance *cp_read_ogr(const char *path, const char *display, const cp_scenario *sc,
                         cp_warnings *warn, cp_error *err)
{
    ogr_ctx c;
    cp_code rc;
    memset(&c, 0, sizeof c);
    c.crsless_fid = -1;
    c.path = display;
    c.sc = sc;
    c.warn = warn;
    c.err = err;
    cp_gdal_begin();
    CPLPushErrorHandlerEx(keep_crs_error, &c);
    c.ds = cp_gdal_open_vector(path, display, sc, err);
    c.inst = c.ds ? cp_instance_new(NULL, CP_DIST_HAVERSINE) : NULL;
    if (c.ds && !c.inst)
        cp_fail_nomem(err);
    rc = c.inst ? read_layer(&c) : err->code ? err->code : CP_EINPUT;
    if (!rc) /* a file's feature order is its driver's (FlatGeobuf's spatial index) */
        rc = cp_instance_sort_by_id(c.inst, err);
    if (!rc && !(c.inst->layer = cp_strdup(c.layer_name)))
        rc = cp_fail_nomem(err);
    if (!rc)
        c.inst->units = "km";
    cp_free(c.fid);
    cp_free(c.from_point);
    cp_free(c.where_column);
    cp_free(c.where_hits);
    if (c.feature_srs)
        OSRDestroySpatialReference(c.feature_srs);
    if (c.ds)
        GDALClose(c.ds);
    CPLPopErrorHandler();
    cp_gdal_end();
    if (rc) {
        cp_instance_free(c.inst);
        return NULL;
    }
    return c.inst;
}

cp_instance *cp_read_ogr_memory(const char *buf, size_t len, const char *display,
                                const cp_scenario *sc, cp_warnings *warn, cp_error *err)
{
    static atomic_long serial;
    char vsi[96];
    VSILFILE *f;
    cp_instance *inst;
    const char *ext = strrchr(display, '.');
    cp_gdal_begin();
    /* the display name's extension helps GDAL identify the driver */
    snprintf(vsi, sizeof vsi, "/vsimem/clusterplan-%ld%s", atomic_fetch_add(&serial, 1),
             ext && strlen(ext) < 12 ? ext : "");
    f = VSIFileFromMemBuffer(vsi, (GByte *)(uintptr_t)buf, (vsi_l_offset)len, FALSE);
    if (!f) {
        cp_gdal_end();
        cp_fail_nomem(err);
        return NULL;
    }
    VSIFCloseL(f);
    inst = cp_read_ogr(vsi, display, sc, warn, err);
    VSIUnlink(vsi);
    cp_gdal_end();
    return inst;
}
