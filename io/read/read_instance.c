/*
 * read_instance.c — reads an instance: the native <instance> format here,
 * any GIS point layer through GDAL (read_ogr.c).  The first bytes decide
 * (sniff.c): XML whose root element is not a GIS one (kml,
 * FeatureCollection, gpx) is native and goes to libxml2's streaming
 * reader, which reports its errors by line; anything else goes to GDAL.
 * Native reading streams: one pass, memory proportional to schools and
 * links, never a DOM.
 *
 * Links (<road>, <od>) may name schools defined later in the file; they are
 * kept with their ids and line and resolved once the file is read.
 */
#include "read_ogr.h"
#include "xml.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *from, *to; /* pool strings */
    double length;
    int line, is_road;
} pending_link;

typedef struct {
    cp_xml *x;
    cp_instance *inst;
    cp_warnings *warn;
    pending_link *links;
    int n_links, links_cap;
    const char *warned[32]; /* unknown attribute names already warned about */
    int n_warned;
} native_ctx;

static const char *const instance_attrs[] = {"name", "distance", NULL};

static int parse_mode(const char *s, cp_distance_mode *mode)
{
    static const char *const names[] = {"haversine", "euclidean", "network", "matrix"};
    int k;
    for (k = 0; k < 4; k++)
        if (strcmp(s, names[k]) == 0) {
            *mode = (cp_distance_mode)k;
            return 0;
        }
    return -1;
}

static void warn_unknown_attr(native_ctx *c, const char *name)
{
    int k;
    for (k = 0; k < c->n_warned; k++)
        if (strcmp(c->warned[k], name) == 0)
            return;
    if (c->n_warned < 32 && (c->warned[c->n_warned] = cp_instance_str(c->inst, name)))
        c->n_warned++;
    cp_warn(c->warn, "%s:%d: <school> attribute \"%s\" is not a model field; ignored",
            cp_xml_file(c->x), cp_xml_line(c->x), name);
}

static cp_code school_attrs(native_ctx *c, int i)
{
    cp_xml *x = c->x;
    cp_value_origin at = {cp_xml_file(x), cp_xml_line(x), "school", NULL, cp_xml_error(x),
                          NULL, 0};
    cp_admin_names admin = {{NULL}};
    int k, rc;
    for (k = 0; k < cp_xml_attr_count(x); k++) {
        const char *name = cp_xml_attr_name(x, k);
        if (strcmp(name, "id") == 0 || strchr(name, ':'))
            continue;
        at.attr = name;
        rc = cp_apply_field(c->inst, i, name, cp_xml_attr_value(x, k), &admin, &at);
        if (rc < 0)
            warn_unknown_attr(c, name);
        else if (rc)
            return (cp_code)rc;
    }
    if (cp_instance_set_admin(c->inst, i, admin.admin))
        return cp_fail_nomem(cp_xml_error(x));
    return cp_check_coordinates(c->inst, i, &at);
}

static cp_code read_school(native_ctx *c)
{
    cp_xml *x = c->x;
    const char *id = cp_xml_attr(x, "id");
    int i;
    if (!id)
        return cp_xml_fail(x, NULL, NULL, "missing required attribute id");
    if (!id[0])
        return cp_xml_fail(x, "id", id, "empty id");
    i = cp_instance_add_school(c->inst, id);
    if (i == -1)
        return cp_fail_nomem(cp_xml_error(x));
    if (i == -2)
        return cp_xml_fail(x, "id", id, "duplicate id (first defined on line %d)",
                           c->inst->schools[cp_instance_find(c->inst, id)].line);
    c->inst->schools[i].line = cp_xml_line(x);
    return school_attrs(c, i);
}

static cp_code read_link(native_ctx *c, int is_road)
{
    static const char *const road_attrs[] = {"from", "to", "length", NULL};
    static const char *const od_attrs[] = {"from", "to", "cost", NULL};
    cp_xml *x = c->x;
    const char *from = cp_xml_attr(x, "from"), *to = cp_xml_attr(x, "to");
    const char *len_attr = is_road ? "length" : "cost";
    pending_link *l;
    double length = NAN;
    cp_code rc = cp_xml_only_attrs(x, is_road ? road_attrs : od_attrs);
    if (rc)
        return rc;
    if (!from || !from[0] || !to || !to[0])
        return cp_xml_fail(x, from && from[0] ? "to" : "from", "", "required school id missing");
    if ((rc = cp_xml_get_double(x, len_attr, 0, HUGE_VAL, &length)))
        return rc;
    if (isnan(length))
        return cp_xml_fail(x, len_attr, "", "required attribute missing");
    if (cp_grow((void **)&c->links, &c->links_cap, c->n_links + 1, sizeof *l))
        return cp_fail_nomem(cp_xml_error(x));
    l = &c->links[c->n_links];
    l->from = cp_instance_str(c->inst, from);
    l->to = cp_instance_str(c->inst, to);
    if (!l->from || !l->to)
        return cp_fail_nomem(cp_xml_error(x));
    l->length = length;
    l->line = cp_xml_line(x);
    l->is_road = is_road;
    c->n_links++;
    return CP_OK;
}

static cp_code resolve_links(native_ctx *c)
{
    int k;
    for (k = 0; k < c->n_links; k++) {
        const pending_link *l = &c->links[k];
        int a = cp_instance_find(c->inst, l->from), b = cp_instance_find(c->inst, l->to);
        const char *elem = l->is_road ? "road" : "od";
        if (a < 0 || b < 0)
            return cp_fail_at(cp_xml_error(c->x), cp_xml_file(c->x), l->line, elem,
                              a < 0 ? "from" : "to", a < 0 ? l->from : l->to,
                              "no school has this id");
        if (cp_instance_add_link(c->inst, l->is_road, a, b, l->length, l->line))
            return cp_fail_nomem(cp_xml_error(c->x));
    }
    if (c->inst->n_roads && c->inst->distance != CP_DIST_NETWORK)
        cp_warn(c->warn, "%s: %d <road> elements are ignored unless distance=\"network\"",
                cp_xml_file(c->x), c->inst->n_roads);
    if (c->inst->n_od && c->inst->distance != CP_DIST_MATRIX)
        cp_warn(c->warn, "%s: %d <od> elements are ignored unless distance=\"matrix\"",
                cp_xml_file(c->x), c->inst->n_od);
    return CP_OK;
}

static cp_code read_child(native_ctx *c)
{
    const char *name = cp_xml_name(c->x);
    if (strcmp(name, "school") == 0)
        return read_school(c);
    if (strcmp(name, "road") == 0)
        return read_link(c, 1);
    if (strcmp(name, "od") == 0)
        return read_link(c, 0);
    return cp_xml_fail(c->x, NULL, NULL,
                       "unknown element in <instance> (expected school, road or od)");
}

static cp_code read_native_body(native_ctx *c)
{
    int ev, depth = 1;
    cp_code rc;
    while ((ev = cp_xml_next(c->x)) != CP_XML_EOF) {
        if (ev < 0)
            return cp_xml_error(c->x)->code;
        if (ev == CP_XML_START && ++depth == 2 && (rc = read_child(c)))
            return rc;
        if (ev == CP_XML_START && depth > 2)
            return cp_xml_fail(c->x, NULL, NULL, "unexpected nested element");
        if (ev == CP_XML_END)
            depth--;
    }
    return resolve_links(c);
}

static cp_instance *read_native(cp_xml *x, cp_warnings *warn, cp_error *err)
{
    native_ctx c;
    cp_distance_mode mode = CP_DIST_HAVERSINE;
    const char *dist = cp_xml_attr(x, "distance");
    const char *name = cp_xml_attr(x, "name");
    cp_code rc = cp_xml_only_attrs(x, instance_attrs);
    memset(&c, 0, sizeof c);
    if (rc)
        return NULL;
    if (dist && parse_mode(dist, &mode)) {
        cp_xml_fail(x, "distance", dist, "expected haversine, euclidean, network or matrix");
        return NULL;
    }
    c.x = x;
    c.warn = warn;
    c.inst = cp_instance_new(name, mode);
    if (!c.inst) {
        cp_fail_nomem(err);
        return NULL;
    }
    rc = read_native_body(&c);
    cp_free(c.links);
    if (rc) {
        cp_instance_free(c.inst);
        return NULL;
    }
    return c.inst;
}

/* A GIS layer has no instance name: use the file's base name, no extension. */
static cp_code name_from_path(cp_instance *inst, const char *path)
{
    const char *base = strrchr(path, '/');
    const char *dot;
    char *name;
    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    name = cp_strdup(base);
    if (!name)
        return CP_ERESOURCE;
    if (dot && dot != base)
        name[dot - base] = '\0';
    cp_free(inst->name);
    inst->name = name;
    return CP_OK;
}

static cp_instance *read_any(cp_xml *x, const char *source, cp_warnings *warn, cp_error *err)
{
    cp_instance *inst = NULL;
    int ev = cp_xml_next(x);
    if (ev == CP_XML_EOF)
        cp_fail(err, CP_EINPUT, "%s: empty document", source);
    if (ev != CP_XML_START)
        return NULL;
    if (strcmp(cp_xml_name(x), "instance") == 0)
        inst = read_native(x, warn, err);
    else
        cp_xml_fail(x, NULL, NULL,
                    "not an instance (expected <instance>, or a GIS layer GDAL reads)");
    if (inst && !inst->name[0] && name_from_path(inst, source)) {
        cp_instance_free(inst);
        cp_fail_nomem(err);
        return NULL;
    }
    if (inst && !(inst->source = cp_strdup(source))) {
        cp_instance_free(inst);
        cp_fail_nomem(err);
        return NULL;
    }
    return inst;
}

/* --where on a native instance (a GIS source is filtered while read). */
static cp_instance *keep_where(cp_instance *inst, const cp_scenario *sc, cp_error *err)
{
    if (inst && cp_instance_where(inst, sc, err)) {
        cp_instance_free(inst);
        return NULL;
    }
    return inst;
}

/* A GIS layer names the instance after its file (or its layer). */
static cp_instance *finish_gis(cp_instance *inst, const char *source, cp_error *err)
{
    if (inst && (name_from_path(inst, source) || !(inst->source = cp_strdup(source)))) {
        cp_instance_free(inst);
        cp_fail_nomem(err);
        return NULL;
    }
    return inst;
}

cp_instance *cp_read_instance_memory(const char *buf, size_t len, const char *name,
                                     const cp_scenario *fields, cp_warnings *warn,
                                     cp_error *err)
{
    cp_xml *x;
    cp_instance *inst;
    if (!cp_sniff_native(buf, len))
        return finish_gis(cp_read_ogr_memory(buf, len, name, fields, warn, err), name, err);
    x = cp_xml_open(name, buf, len, err);
    if (!x)
        return NULL;
    inst = read_any(x, name, warn, err);
    cp_xml_close(x);
    return keep_where(inst, fields, err);
}

/* --field, --layer and --crs read GIS layers; a native file's attributes
 * have their fixed names and its coordinates theirs, so they change
 * nothing there, which is said.  CP_ERESOURCE when out of memory. */
static cp_code warn_gis_settings(const char *path, const cp_scenario *sc, cp_warnings *warn)
{
    const char *what = !sc ? NULL : sc->n_fields > 0 ? "--field (or <fields><field>)"
                                  : sc->layer        ? "--layer (or <fields layer>)"
                                  : sc->crs          ? "--crs (or <fields crs>)" : NULL;
    if (!what || !warn)
        return CP_OK;
    return cp_warn(warn, "%s: %s applies to GIS layers; this is clusterplan's own XML, whose "
                   "attributes have fixed names (SPEC), so it changes nothing here", path, what);
}

cp_instance *cp_read_instance(const char *path, const cp_scenario *fields,
                              cp_warnings *warn, cp_error *err)
{
    cp_xml *x;
    cp_instance *inst;
    int native = 1;
    if (cp_sniff_native_file(path, &native) == 0 && !native)
        return finish_gis(cp_read_ogr(path, path, fields, warn, err), path, err);
    x = cp_xml_open(path, NULL, 0, err);
    if (!x)
        return NULL;
    inst = read_any(x, path, warn, err);
    cp_xml_close(x);
    if (inst && warn_gis_settings(path, fields, warn)) {
        cp_instance_free(inst);
        cp_fail_nomem(err);
        return NULL;
    }
    return keep_where(inst, fields, err);
}
