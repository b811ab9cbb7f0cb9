/*
 * read_gis.c — KML and OGR GML point layers into an instance.
 *
 * Each feature becomes a record of (column, value, line) plus a point.  Model
 * fields take their value from the column named by `--field FIELD=COLUMN`
 * (or a scenario's <fields>), else from a column named like the field.  The
 * school id comes from the mapped/`id` column, else the feature's own id
 * (gml:id, Placemark id), else its 1-based row number.  Empty values mean
 * "absent" and are counted in a warning.
 *
 * Coordinates: KML is always lon,lat (WGS 84).  GML follows srsName:
 *   urn:ogc:def:crs:EPSG::N, http://www.opengis.net/def/crs/EPSG/0/N
 *       EPSG axis order: geographic (N in 4000..4999) is lat,lon;
 *       projected is taken as easting,northing
 *   EPSG:N, ...epsg.xml#N, CRS84, or no srsName: x,y = lon,lat (traditional)
 * A geographic CRS gives haversine distances in km; a projected CRS gives
 * euclidean distances in CRS units.  Layers mixing both are refused.
 */
#include "read_gis.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_COLUMNS 256

typedef struct {
    int n;
    size_t off_name[MAX_COLUMNS], off_value[MAX_COLUMNS];
    int line[MAX_COLUMNS];
    char *buf;
    size_t len, cap;
} gis_record;

typedef struct {
    cp_xml *x;
    cp_instance *inst;
    const cp_scenario *fields;
    cp_warnings *warn;
    gis_record rec;
    double px, py;       /* point as x,y after axis handling; NAN if none */
    int has_point;
    int geographic;      /* -1 unknown yet, 0 projected, 1 geographic */
    int default_latlon;  /* axis order of the collection's own srsName */
    int default_geo;
    char feature_id[256];
    int feature_line;
    const char *element; /* feature element name, for messages */
    long row;
    long empty_count[CP_ADMIN_LEVELS + 16];
    const char *empty_field[CP_ADMIN_LEVELS + 16];
    int n_empty;
    char element_buf[128];
    char *text; /* accumulated text of a GML property */
    size_t text_len, text_cap;
} gis_ctx;

/* ------------------------------------------------------------ the record */

static cp_code rec_append(gis_ctx *g, const char *s, size_t *off)
{
    gis_record *r = &g->rec;
    size_t n = strlen(s) + 1;
    if (cp_reserve(&r->buf, &r->cap, r->len + n))
        return cp_fail_nomem(cp_xml_error(g->x));
    *off = r->len;
    memcpy(r->buf + r->len, s, n);
    r->len += n;
    return CP_OK;
}

static cp_code rec_add(gis_ctx *g, const char *column, const char *value, int line)
{
    gis_record *r = &g->rec;
    if (r->n == MAX_COLUMNS)
        return cp_xml_fail(g->x, NULL, NULL, "more than %d attributes in one feature",
                           MAX_COLUMNS);
    if (rec_append(g, column, &r->off_name[r->n]) ||
        rec_append(g, value, &r->off_value[r->n]))
        return CP_ERESOURCE;
    r->line[r->n++] = line;
    return CP_OK;
}

static int rec_find(const gis_ctx *g, const char *column)
{
    int k;
    for (k = 0; k < g->rec.n; k++)
        if (strcmp(g->rec.buf + g->rec.off_name[k], column) == 0)
            return k;
    return -1;
}

static void rec_reset(gis_ctx *g)
{
    g->rec.n = 0;
    g->rec.len = 0;
    g->has_point = 0;
    g->px = g->py = NAN;
    g->feature_id[0] = '\0';
}

/* ----------------------------------------------------------------- mapping */

static const char *column_for(const gis_ctx *g, const char *field)
{
    int k;
    if (g->fields)
        for (k = 0; k < g->fields->n_fields; k++)
            if (strcmp(g->fields->fields[k].field, field) == 0)
                return g->fields->fields[k].column;
    return field;
}

static void count_empty(gis_ctx *g, const char *field)
{
    int k;
    for (k = 0; k < g->n_empty; k++)
        if (strcmp(g->empty_field[k], field) == 0) {
            g->empty_count[k]++;
            return;
        }
    if (g->n_empty < (int)(sizeof g->empty_count / sizeof *g->empty_count)) {
        g->empty_field[g->n_empty] = field;
        g->empty_count[g->n_empty++] = 1;
    }
}

static const char *const model_fields[] = {
    "name", "teachers", "enrolment", "quality", "host", "centre", "admin1", "admin2",
    "admin3", "admin4", "cluster", "max-distance", "existing-centre", NULL};

static cp_code apply_column(gis_ctx *g, int i, const char *field, cp_admin_names *admin)
{
    const char *column = column_for(g, field);
    int k = rec_find(g, column);
    cp_value_origin at;
    const char *value;
    int rc;
    if (k < 0)
        return CP_OK;
    value = g->rec.buf + g->rec.off_value[k];
    if (!value[0]) {
        count_empty(g, field);
        return CP_OK;
    }
    at.file = cp_xml_file(g->x);
    at.line = g->rec.line[k];
    at.element = g->element;
    at.attr = column;
    at.err = cp_xml_error(g->x);
    rc = cp_apply_field(g->inst, i, field, value, admin, &at);
    return rc < 0 ? CP_OK : (cp_code)rc;
}

static cp_code feature_school_id(gis_ctx *g, char *id, size_t n)
{
    const char *mapped = column_for(g, "id");
    int k = rec_find(g, mapped);
    if (k >= 0) {
        const char *v = g->rec.buf + g->rec.off_value[k];
        if (!v[0])
            return cp_fail_at(cp_xml_error(g->x), cp_xml_file(g->x), g->rec.line[k],
                              g->element, mapped, v, "empty school id");
        snprintf(id, n, "%s", v);
    } else if (strcmp(mapped, "id") != 0) {
        return cp_fail_at(cp_xml_error(g->x), cp_xml_file(g->x), g->feature_line, g->element,
                          mapped, "", "feature has no column \"%s\" for the school id",
                          mapped);
    } else if (g->feature_id[0]) {
        snprintf(id, n, "%s", g->feature_id);
    } else {
        snprintf(id, n, "%ld", g->row);
    }
    return CP_OK;
}

/* Coordinates from the point, else from mapped lat/lon or x/y columns. */
static cp_code feature_coordinates(gis_ctx *g, int i, cp_admin_names *admin)
{
    static const char *const coords[] = {"lat", "lon", "x", "y", NULL};
    cp_school *s = &g->inst->schools[i];
    cp_code rc = CP_OK;
    int k;
    if (g->has_point) {
        s->x = g->px;
        s->y = g->py;
        return CP_OK;
    }
    for (k = 0; coords[k] && !rc; k++)
        rc = apply_column(g, i, coords[k], admin);
    if (!rc && g->geographic < 0 && (!isnan(s->x) || !isnan(s->y)))
        g->geographic = rec_find(g, column_for(g, "lat")) >= 0;
    return rc;
}

static cp_code finish_feature(gis_ctx *g)
{
    cp_value_origin at = {cp_xml_file(g->x), g->feature_line, g->element, NULL,
                          cp_xml_error(g->x)};
    cp_admin_names admin = {{NULL}};
    char id[512];
    int i, k;
    cp_code rc;
    g->row++;
    if ((rc = feature_school_id(g, id, sizeof id)))
        return rc;
    i = cp_instance_add_school(g->inst, id);
    if (i == -1)
        return cp_fail_nomem(at.err);
    if (i == -2)
        return cp_fail_at(at.err, at.file, at.line, at.element, column_for(g, "id"), id,
                          "duplicate school id (first on line %d)",
                          g->inst->schools[cp_instance_find(g->inst, id)].line);
    g->inst->schools[i].line = g->feature_line;
    for (k = 0; model_fields[k]; k++)
        if ((rc = apply_column(g, i, model_fields[k], &admin)))
            return rc;
    if ((rc = feature_coordinates(g, i, &admin)))
        return rc;
    if (cp_instance_set_admin(g->inst, i, admin.admin))
        return cp_fail_nomem(at.err);
    g->inst->distance = g->geographic == 0 ? CP_DIST_EUCLIDEAN : CP_DIST_HAVERSINE;
    return cp_check_coordinates(g->inst, i, &at);
}

/* --------------------------------------------------------------- geometry */

static int parse_epsg_tail(const char *s, int *code)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || v <= 0 || v > 999999)
        return -1;
    *code = (int)v;
    return 0;
}

/* Reads an srsName; sets *latlon (axis order lat,lon / northing first) and
 * *geo (geographic CRS).  Returns -1 when it cannot be understood. */
static int parse_srs(const char *srs, int *latlon, int *geo)
{
    const char *p;
    int code;
    if (strstr(srs, "CRS84")) {
        *latlon = 0;
        *geo = 1;
        return 0;
    }
    if ((p = strstr(srs, "EPSG::")) || (p = strstr(srs, "EPSG/0/"))) {
        p = strrchr(srs, p[4] == ':' ? ':' : '/') + 1;
        if (parse_epsg_tail(p, &code))
            return -1;
        *geo = code >= 4000 && code <= 4999;
        *latlon = *geo;
        return 0;
    }
    if ((p = strstr(srs, "EPSG:")) || (p = strstr(srs, "epsg.xml#"))) {
        p = strpbrk(p, ":#") + 1;
        while (*p == ':')
            p++;
        if (strrchr(p, ':'))
            p = strrchr(p, ':') + 1;
        if (parse_epsg_tail(p, &code))
            return -1;
        *geo = code >= 4000 && code <= 4999;
        *latlon = 0;
        return 0;
    }
    return -1;
}

static cp_code set_point(gis_ctx *g, double a, double b, int latlon, int geo)
{
    if (g->has_point)
        return CP_OK; /* MultiPoint: the first point stands for the school */
    if (g->geographic >= 0 && g->geographic != geo)
        return cp_xml_fail(g->x, NULL, NULL,
                           "layer mixes geographic and projected coordinate systems");
    g->geographic = geo;
    g->px = latlon ? b : a;
    g->py = latlon ? a : b;
    if (geo && (fabs(g->py) > 90 || fabs(g->px) > 180))
        return cp_xml_fail(g->x, NULL, NULL, "coordinate out of range: lat %g, lon %g", g->py,
                           g->px);
    g->has_point = 1;
    return CP_OK;
}

/* "a b [c]" (gml:pos) or "a,b[,c]" (gml:coordinates, KML coordinates). */
static cp_code parse_pair(gis_ctx *g, const char *text, char sep, double *a, double *b)
{
    char *end;
    const char *p = text;
    *a = strtod(p, &end);
    if (end == p)
        goto bad;
    p = end;
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == sep)
        p++;
    *b = strtod(p, &end);
    if (end == p || !isfinite(*a) || !isfinite(*b))
        goto bad;
    return CP_OK;
bad:
    return cp_xml_fail(g->x, cp_xml_qname(g->x), text, "expected two coordinates");
}

static const char *const not_points[] = {"LineString", "Polygon", "LinearRing", "Curve",
                                         "Surface", "MultiCurve", "MultiSurface",
                                         "MultiLineString", "MultiPolygon", "Track", NULL};

static int is_non_point(const char *name)
{
    int k;
    for (k = 0; not_points[k]; k++)
        if (strcmp(name, not_points[k]) == 0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------ traversal */

/* Next event inside an element: -1 (error set) on a parse error or on an
 * end of file before the element closed. */
static int next_inside(gis_ctx *g)
{
    int ev = cp_xml_next(g->x);
    if (ev == CP_XML_EOF) {
        cp_xml_fail(g->x, NULL, NULL, "unexpected end of file");
        return -1;
    }
    return ev;
}

/* Skips the rest of the current element (its START already read). */
static cp_code skip_subtree(gis_ctx *g)
{
    int depth = 1, ev;
    while (depth > 0) {
        if ((ev = next_inside(g)) < 0)
            return cp_xml_error(g->x)->code;
        depth += ev == CP_XML_START ? 1 : ev == CP_XML_END ? -1 : 0;
    }
    return CP_OK;
}

static char *trim(char *t)
{
    char *end;
    while (*t == ' ' || *t == '\t' || *t == '\n' || *t == '\r')
        t++;
    end = t + strlen(t);
    while (end > t && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' || end[-1] == '\r'))
        *--end = '\0';
    return t;
}

/* Text of the current element with surrounding white space removed. */
static const char *trimmed_text(gis_ctx *g)
{
    char *t = cp_xml_text(g->x);
    return t ? trim(t) : NULL;
}

static cp_code add_text_column(gis_ctx *g, const char *column)
{
    int line = cp_xml_line(g->x);
    char name[256];
    const char *text;
    snprintf(name, sizeof name, "%s", column);
    text = trimmed_text(g);
    if (!text)
        return cp_xml_error(g->x)->code;
    return rec_add(g, name, text, line);
}

/* ---------------------------------------------------------------------- GML */

typedef struct {
    int latlon, geo;
    double x_value; /* gml:coord X, waiting for its Y */
} gml_axes;

static cp_code gml_coordinate_element(gis_ctx *g, gml_axes *ax, const char *name)
{
    const char *text = trimmed_text(g);
    double a, b;
    cp_code rc;
    if (!text)
        return cp_xml_error(g->x)->code;
    if (strcmp(name, "X") == 0 || strcmp(name, "Y") == 0) {
        if (cp_parse_double(text, &a))
            return cp_xml_fail(g->x, name, text, "not a number");
        if (name[0] == 'X') {
            ax->x_value = a;
            return CP_OK;
        }
        return set_point(g, ax->x_value, a, 0, ax->geo);
    }
    if ((rc = parse_pair(g, text, strcmp(name, "coordinates") == 0 ? ',' : ' ', &a, &b)))
        return rc;
    return set_point(g, a, b, ax->latlon, ax->geo);
}

/* One START element inside a geometry; *depth counts open elements. */
static cp_code gml_geometry_element(gis_ctx *g, gml_axes *ax, int *depth)
{
    const char *name = cp_xml_name(g->x), *srs = cp_xml_attr(g->x, "srsName");
    if (is_non_point(name))
        return cp_xml_fail(g->x, NULL, NULL, "not a point layer (found a %s)", name);
    if (srs && parse_srs(srs, &ax->latlon, &ax->geo))
        return cp_xml_fail(g->x, "srsName", srs, "unknown coordinate reference system");
    if (strcmp(name, "pos") == 0 || strcmp(name, "coordinates") == 0 ||
        strcmp(name, "X") == 0 || strcmp(name, "Y") == 0)
        return gml_coordinate_element(g, ax, name);
    (*depth)++;
    return CP_OK;
}

/* A geometry property whose first child element was just read. */
static cp_code gml_geometry(gis_ctx *g)
{
    gml_axes ax = {g->default_latlon, g->default_geo, NAN};
    int depth = 0, ev;
    cp_code rc = gml_geometry_element(g, &ax, &depth);
    while (!rc && depth > 0) {
        if ((ev = next_inside(g)) < 0)
            return cp_xml_error(g->x)->code;
        if (ev == CP_XML_END)
            depth--;
        else if (ev == CP_XML_START)
            rc = gml_geometry_element(g, &ax, &depth);
    }
    return rc;
}

static cp_code text_append(gis_ctx *g, const char *v)
{
    size_t n = strlen(v);
    if (g->text_len + n > CP_XML_MAX_TEXT)
        return cp_xml_fail(g->x, NULL, NULL, "text longer than %d bytes", CP_XML_MAX_TEXT);
    if (cp_reserve(&g->text, &g->text_cap, g->text_len + n + 1))
        return cp_fail_nomem(cp_xml_error(g->x));
    memcpy(g->text + g->text_len, v, n + 1);
    g->text_len += n;
    return CP_OK;
}

/* A property of a feature: text (a column) or a geometry element inside. */
static cp_code gml_property(gis_ctx *g)
{
    char column[256];
    int line = cp_xml_line(g->x), ev, geometry = 0;
    cp_code rc = CP_OK;
    snprintf(column, sizeof column, "%s", cp_xml_name(g->x));
    if (strcmp(column, "boundedBy") == 0)
        return skip_subtree(g);
    g->text_len = 0;
    if ((rc = text_append(g, "")))
        return rc;
    while (!rc && (ev = next_inside(g)) != CP_XML_END) {
        if (ev < 0)
            return cp_xml_error(g->x)->code;
        if (ev == CP_XML_TEXT)
            rc = text_append(g, cp_xml_value(g->x));
        else {
            geometry = 1;
            rc = gml_geometry(g);
        }
    }
    if (rc || geometry)
        return rc;
    return rec_add(g, column, trim(g->text), line);
}

/* One feature: its properties are its child elements. */
static cp_code gml_feature(gis_ctx *g)
{
    const char *fid = cp_xml_attr(g->x, "gml:id");
    int ev;
    cp_code rc = CP_OK;
    rec_reset(g);
    snprintf(g->feature_id, sizeof g->feature_id, "%s", fid ? fid : "");
    snprintf(g->element_buf, sizeof g->element_buf, "%s", cp_xml_qname(g->x));
    g->element = g->element_buf;
    g->feature_line = cp_xml_line(g->x);
    while (!rc && (ev = next_inside(g)) != CP_XML_END) {
        if (ev < 0)
            return cp_xml_error(g->x)->code;
        if (ev == CP_XML_START)
            rc = gml_property(g);
    }
    return rc ? rc : finish_feature(g);
}

/* The collection's own srsName (on its boundedBy Envelope) is the default
 * for points that carry none. */
static cp_code gml_collection_bounds(gis_ctx *g)
{
    int ev, depth = 1;
    while (depth > 0) {
        const char *srs;
        if ((ev = next_inside(g)) < 0)
            return cp_xml_error(g->x)->code;
        if (ev == CP_XML_END)
            depth--;
        if (ev != CP_XML_START)
            continue;
        depth++;
        srs = cp_xml_attr(g->x, "srsName");
        if (srs && parse_srs(srs, &g->default_latlon, &g->default_geo))
            return cp_xml_fail(g->x, "srsName", srs, "unknown coordinate reference system");
    }
    return CP_OK;
}

/* featureMember holds one feature, featureMembers (GML 3) several. */
static cp_code gml_members(gis_ctx *g)
{
    int ev;
    cp_code rc = CP_OK;
    while (!rc && (ev = next_inside(g)) != CP_XML_END) {
        if (ev < 0)
            return cp_xml_error(g->x)->code;
        if (ev == CP_XML_START)
            rc = gml_feature(g);
    }
    return rc;
}

static cp_code gml_body(gis_ctx *g)
{
    int ev;
    cp_code rc = CP_OK;
    while (!rc && (ev = cp_xml_next(g->x)) != CP_XML_EOF) {
        const char *name;
        if (ev < 0)
            return cp_xml_error(g->x)->code;
        if (ev != CP_XML_START)
            continue;
        name = cp_xml_name(g->x);
        if (strcmp(name, "boundedBy") == 0)
            rc = gml_collection_bounds(g);
        else if (strcmp(name, "featureMember") == 0 || strcmp(name, "member") == 0 ||
                 strcmp(name, "featureMembers") == 0)
            rc = gml_members(g);
        else
            rc = skip_subtree(g);
    }
    return rc;
}

/* ---------------------------------------------------------------------- KML */

/* <Data name="c"><value>v</value></Data> */
static cp_code kml_data(gis_ctx *g)
{
    char column[256];
    const char *name = cp_xml_attr(g->x, "name");
    int ev;
    cp_code rc = CP_OK;
    snprintf(column, sizeof column, "%s", name ? name : "");
    while (!rc && (ev = next_inside(g)) != CP_XML_END) {
        if (ev < 0)
            return cp_xml_error(g->x)->code;
        if (ev == CP_XML_START && strcmp(cp_xml_name(g->x), "value") == 0)
            rc = add_text_column(g, column);
        else if (ev == CP_XML_START)
            rc = skip_subtree(g);
    }
    return rc;
}

static cp_code kml_coordinates(gis_ctx *g)
{
    const char *text = trimmed_text(g);
    double lon, lat;
    cp_code rc;
    if (!text)
        return cp_xml_error(g->x)->code;
    if ((rc = parse_pair(g, text, ',', &lon, &lat)))
        return rc;
    return set_point(g, lon, lat, 0, 1);
}

static cp_code kml_placemark_element(gis_ctx *g, int depth, int *open)
{
    const char *name = cp_xml_name(g->x);
    if (is_non_point(name))
        return cp_xml_fail(g->x, NULL, NULL, "not a point layer (found a %s)", name);
    if (strcmp(name, "SimpleData") == 0) {
        const char *col = cp_xml_attr(g->x, "name");
        return add_text_column(g, col ? col : "");
    }
    if (strcmp(name, "Data") == 0)
        return kml_data(g);
    if (strcmp(name, "coordinates") == 0)
        return kml_coordinates(g);
    if (depth == 1 && strcmp(name, "name") == 0)
        return add_text_column(g, "name");
    if (strcmp(name, "description") == 0 || strcmp(name, "Style") == 0 ||
        strcmp(name, "styleUrl") == 0 || strcmp(name, "Snippet") == 0)
        return skip_subtree(g);
    (*open)++;
    return CP_OK;
}

static cp_code kml_placemark(gis_ctx *g)
{
    const char *pid = cp_xml_attr(g->x, "id");
    int ev, open = 1;
    cp_code rc = CP_OK;
    rec_reset(g);
    snprintf(g->feature_id, sizeof g->feature_id, "%s", pid ? pid : "");
    g->element = "Placemark";
    g->feature_line = cp_xml_line(g->x);
    while (!rc && open > 0) {
        if ((ev = next_inside(g)) < 0)
            return cp_xml_error(g->x)->code;
        if (ev == CP_XML_END)
            open--;
        else if (ev == CP_XML_START)
            rc = kml_placemark_element(g, open, &open);
    }
    if (!rc && !g->has_point)
        return cp_fail_at(cp_xml_error(g->x), cp_xml_file(g->x), g->feature_line, "Placemark",
                          NULL, NULL, "placemark has no Point");
    return rc ? rc : finish_feature(g);
}

static cp_code kml_body(gis_ctx *g)
{
    int ev;
    cp_code rc = CP_OK;
    while (!rc && (ev = cp_xml_next(g->x)) != CP_XML_EOF) {
        if (ev < 0)
            return cp_xml_error(g->x)->code;
        if (ev != CP_XML_START)
            continue;
        if (strcmp(cp_xml_name(g->x), "Placemark") == 0)
            rc = kml_placemark(g);
        else if (strcmp(cp_xml_name(g->x), "Schema") == 0 ||
                 strcmp(cp_xml_name(g->x), "Style") == 0)
            rc = skip_subtree(g);
    }
    return rc;
}

/* ------------------------------------------------------------------ common */

static cp_code report_mapping(gis_ctx *g)
{
    int k;
    for (k = 0; k < g->n_empty; k++)
        cp_warn(g->warn, "%s: %ld features have an empty %s (column \"%s\"); %s",
                cp_xml_file(g->x), g->empty_count[k], g->empty_field[k],
                column_for(g, g->empty_field[k]),
                strcmp(g->empty_field[k], "teachers") == 0 ? "default 1 used"
                                                           : "treated as absent");
    if (g->inst->n_schools == 0)
        cp_warn(g->warn, "%s: the layer has no features", cp_xml_file(g->x));
    return CP_OK;
}

static cp_instance *read_layer(cp_xml *x, const cp_scenario *fields, cp_warnings *warn,
                               cp_code (*body)(gis_ctx *))
{
    gis_ctx g;
    cp_code rc;
    memset(&g, 0, sizeof g);
    g.x = x;
    g.fields = fields;
    g.warn = warn;
    g.geographic = -1;
    g.default_geo = 1;
    g.inst = cp_instance_new(NULL, CP_DIST_HAVERSINE);
    if (!g.inst) {
        cp_fail_nomem(cp_xml_error(x));
        return NULL;
    }
    rc = body(&g);
    if (!rc)
        rc = report_mapping(&g);
    if (!rc)
        g.inst->units = g.inst->distance == CP_DIST_HAVERSINE ? "km" : "CRS units";
    cp_free(g.rec.buf);
    cp_free(g.text);
    if (rc) {
        cp_instance_free(g.inst);
        return NULL;
    }
    return g.inst;
}

cp_instance *cp_read_kml(cp_xml *x, const cp_scenario *fields, cp_warnings *warn)
{
    return read_layer(x, fields, warn, kml_body);
}

cp_instance *cp_read_gml(cp_xml *x, const cp_scenario *fields, cp_warnings *warn)
{
    return read_layer(x, fields, warn, gml_body);
}
