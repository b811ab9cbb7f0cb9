/*
 * read_study.c — the <study> file of `clusterplan batch`:
 *   <study name="...">
 *     <instance id="kenya" path="..." existing="true" existing-scope="3">
 *       <field name="id" column="school_id"/> ...
 *       <roads path="roads.gpkg" layer="..."/>   (every run of it by road)
 *     </instance>
 *     <scenario id="size-4-6" path="base.xml" size-min="4" size-max="6"
 *               distance-max="10" admin-level="3" min-quality="0.6"
 *               cluster-count="0"/>
 *     <outputs formats="xml html svg geojson"/>
 *     <solver method="auto" time-limit="30" seed="1"/>
 *   </study>
 * Paths are relative to the study file's folder.  Ids name the run folders,
 * so they are limited to letters, digits, '.', '_' and '-', without "--"
 * and without '-' at either end (instance "a-" with scenario "b" and "a"
 * with "-b" would share a folder).
 */
#include "xml.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    cp_xml *x;
    cp_study *st;
    char *folder;               /* of the study file, with a trailing '/' or "" */
    int caps[2];
    cp_study_instance *current; /* the <instance> whose <field>s are read */
    int solver_line, outputs_line; /* where <solver> and <outputs> were read, 0 = not yet */
} reader;

static char *resolve(const reader *r, const char *path)
{
    size_t n = strlen(r->folder), m = strlen(path);
    char *p;
    if (path[0] == '/')
        return cp_strdup(path);
    p = cp_malloc(n + m + 1);
    if (p) {
        memcpy(p, r->folder, n);
        memcpy(p + n, path, m + 1);
    }
    return p;
}

static cp_code check_id(reader *r, const char *id, int instances)
{
    int k;
    if (!id || !id[0] || strspn(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789._-") != strlen(id) || id[0] == '.')
        return cp_xml_fail(r->x, "id", id ? id : "", "ids name folders: use letters, digits, "
                           "'.', '_' and '-' (not first '.')");
    /* run folders are INSTANCE--SCENARIO and INSTANCE--existing--SCENARIO:
     * a scenario "existing--reg" wrote into the existing run's folder */
    if (strstr(id, "--") || id[0] == '-' || id[strlen(id) - 1] == '-')
        return cp_xml_fail(r->x, "id", id, "ids may not hold \"--\", nor start or end with '-': "
                           "\"--\" joins the instance and scenario ids in the run folders' names");
    for (k = 0; instances && k < r->st->n_instances; k++)
        if (!strcmp(r->st->instances[k].id, id))
            return cp_xml_fail(r->x, "id", id, "instance id used twice");
    for (k = 0; !instances && k < r->st->n_scenarios; k++)
        if (!strcmp(r->st->scenarios[k].id, id))
            return cp_xml_fail(r->x, "id", id, "scenario id used twice");
    return CP_OK;
}

static cp_code read_instance(reader *r)
{
    static const char *const known[] = {"id", "path", "existing", "existing-scope", NULL};
    const char *id = cp_xml_attr(r->x, "id"), *path = cp_xml_attr(r->x, "path");
    cp_study_instance *in;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (!rc)
        rc = check_id(r, id, 1);
    if (!rc && (!path || !path[0]))
        rc = cp_xml_fail(r->x, "path", "", "an instance needs its path");
    if (rc)
        return rc;
    if (cp_grow((void **)&r->st->instances, &r->caps[0], r->st->n_instances + 1, sizeof *in))
        return cp_fail_nomem(cp_xml_error(r->x));
    in = &r->st->instances[r->st->n_instances++];
    memset(in, 0, sizeof *in);
    in->line = cp_xml_line(r->x);
    in->id = cp_strdup(id);
    in->path = resolve(r, path);
    if (!in->id || !in->path)
        return cp_fail_nomem(cp_xml_error(r->x));
    r->current = in;
    if ((rc = cp_xml_get_bool(r->x, "existing", &in->existing)) ||
        (rc = cp_xml_get_int(r->x, "existing-scope", 0, CP_ADMIN_LEVELS, &in->existing_scope)))
        return rc;
    /* the scope reads the labels of the existing layout: without one it changes nothing */
    if (!in->existing && cp_xml_attr(r->x, "existing-scope"))
        return cp_xml_fail(r->x, "existing-scope", cp_xml_attr(r->x, "existing-scope"),
                           "applies to the instance's existing layout, which this instance does "
                           "not ask for: add existing=\"true\"");
    return CP_OK;
}

/* "NAME=TEXT" appended to an instance's list (its <field>s or <where>s). */
static cp_code append_pair(reader *r, char ***list, int *count, const char *a, const char *b)
{
    char **grown = cp_realloc(*list, (size_t)(*count + 1) * sizeof *grown);
    size_t n = strlen(a) + strlen(b) + 2;
    if (!grown)
        return cp_fail_nomem(cp_xml_error(r->x));
    *list = grown;
    if (!(grown[*count] = cp_malloc(n)))
        return cp_fail_nomem(cp_xml_error(r->x));
    snprintf(grown[(*count)++], n, "%s=%s", a, b);
    return CP_OK;
}

static cp_code read_field(reader *r)
{
    static const char *const known[] = {"name", "column", NULL};
    const char *name = cp_xml_attr(r->x, "name"), *column = cp_xml_attr(r->x, "column");
    cp_study_instance *in = r->current;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    if (!in)
        return cp_xml_fail(r->x, NULL, NULL, "<field> belongs inside an <instance>");
    if (!name || !name[0] || !column || !column[0])
        return cp_xml_fail(r->x, "name", name ? name : "", "<field> needs name and column");
    return append_pair(r, &in->fields, &in->n_fields, name, column);
}

/* <where field="county" value="Kilifi"/> inside an <instance>: only those
 * schools, in every run of the instance. */
static cp_code read_where(reader *r)
{
    static const char *const known[] = {"field", "value", NULL};
    const char *field = cp_xml_attr(r->x, "field"), *value = cp_xml_attr(r->x, "value");
    cp_study_instance *in = r->current;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    if (!in)
        return cp_xml_fail(r->x, NULL, NULL, "<where> belongs inside an <instance>");
    if (!field || !field[0] || !value)
        return cp_xml_fail(r->x, "field", field ? field : "", "<where> needs field and value");
    return append_pair(r, &in->where, &in->n_where, field, value);
}

/* group-min="math=4 grade1=3": names and minimums, checked here; the run
 * applies them (cp_scenario_set_group). */
static cp_code group_min_override(reader *r, cp_study_scenario *sc)
{
    const char *v = cp_xml_attr(r->x, "group-min"), *p;
    if (!v)
        return CP_OK;
    for (p = v; *p;) {
        size_t len = strcspn(p, " "), name = strcspn(p, "=");
        char *end;
        double min;
        if (len == 0) {
            p++;
            continue;
        }
        min = name < len ? strtod(p + name + 1, &end) : -1;
        if (name == 0 || name >= len || end != p + len || !(min >= 0) ||
            memchr(p + name + 1, 'x', len - name - 1) || memchr(p + name + 1, 'X', len - name - 1))
            return cp_xml_fail(r->x, "group-min", v, "expected GROUP=MIN, space-separated (for "
                               "example \"math=4 grade1=3\")");
        p += len;
    }
    if (!(sc->group_min = cp_strdup(v)))
        return cp_fail_nomem(cp_xml_error(r->x));
    return CP_OK;
}

/* <roads path="..." layer="..."/> inside an <instance>: every run of the
 * instance measures distances by road on that layer (the scenario's
 * snap-max, travel mode and speeds apply). */
static cp_code read_roads(reader *r)
{
    static const char *const known[] = {"path", "layer", NULL};
    const char *path = cp_xml_attr(r->x, "path"), *layer = cp_xml_attr(r->x, "layer");
    cp_study_instance *in = r->current;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    if (!in)
        return cp_xml_fail(r->x, NULL, NULL, "<roads> belongs inside an <instance>");
    if (!path || !path[0])
        return cp_xml_fail(r->x, "path", "", "<roads> needs the path of a line layer");
    cp_free(in->roads);
    cp_free(in->roads_layer);
    in->roads_layer = NULL;
    if (!(in->roads = resolve(r, path)) || (layer && layer[0] && !(in->roads_layer = cp_strdup(layer))))
        return cp_fail_nomem(cp_xml_error(r->x));
    return CP_OK;
}

/* max-upgrades, upgrade-budget, zone-min, zone-max, zone-distance. */
static cp_code rules24_overrides(reader *r, cp_study_scenario *sc)
{
    cp_code rc;
    sc->max_upgrades = sc->zone_min = sc->zone_max = -1;
    sc->upgrade_budget = sc->zone_distance = NAN;
    if ((rc = cp_xml_get_int(r->x, "max-upgrades", 0, 1000000000L, &sc->max_upgrades)) ||
        (rc = cp_xml_get_double(r->x, "upgrade-budget", 0, HUGE_VAL, &sc->upgrade_budget)) ||
        (rc = cp_xml_get_int(r->x, "zone-min", 1, 1000000000L, &sc->zone_min)) ||
        (rc = cp_xml_get_int(r->x, "zone-max", 1, 1000000000L, &sc->zone_max)) ||
        (rc = cp_xml_get_double(r->x, "zone-distance", 0, HUGE_VAL, &sc->zone_distance)))
        return rc;
    if (sc->zone_min > 0 && sc->zone_max > 0 && sc->zone_min > sc->zone_max)
        return cp_xml_fail(r->x, "zone-min", cp_xml_attr(r->x, "zone-min"), "greater than zone-max");
    return group_min_override(r, sc);
}

static cp_code scenario_overrides(reader *r, cp_study_scenario *sc)
{
    static const char *const names[] = {"size-min", "size-max", "distance-max", "admin-level",
                                        "min-quality", "cluster-count", "group-min",
                                        "max-upgrades", "upgrade-budget", "zone-min", "zone-max",
                                        "zone-distance", NULL};
    char buf[512] = "";
    size_t used = 0;
    int k;
    cp_code rc;
    sc->size_min = sc->size_max = sc->admin_level = sc->cluster_count = -1;
    sc->distance_max = sc->min_quality = NAN;
    if ((rc = cp_xml_get_int(r->x, "size-min", 1, 1000000, &sc->size_min)) ||
        (rc = cp_xml_get_int(r->x, "size-max", 1, 1000000, &sc->size_max)) ||
        (rc = cp_xml_get_int(r->x, "admin-level", 0, CP_ADMIN_LEVELS, &sc->admin_level)) ||
        (rc = cp_xml_get_int(r->x, "cluster-count", 0, 1000000000L, &sc->cluster_count)) ||
        (rc = cp_xml_get_double(r->x, "distance-max", 0, HUGE_VAL, &sc->distance_max)) ||
        (rc = cp_xml_get_double(r->x, "min-quality", 0, 1, &sc->min_quality)))
        return rc;
    if (sc->size_min > 0 && sc->size_max > 0 && sc->size_min > sc->size_max)
        return cp_xml_fail(r->x, "size-min", cp_xml_attr(r->x, "size-min"), "greater than size-max");
    if ((rc = rules24_overrides(r, sc)))
        return rc;
    for (k = 0; names[k]; k++)
        if (cp_xml_attr(r->x, names[k]) && used < sizeof buf)
            used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s=%s", used ? " " : "",
                                     names[k], cp_xml_attr(r->x, names[k]));
    sc->overrides = cp_strdup(buf);
    return sc->overrides ? CP_OK : cp_fail_nomem(cp_xml_error(r->x));
}

static cp_code read_scenario(reader *r)
{
    static const char *const known[] = {"id", "path", "size-min", "size-max", "distance-max",
                                        "admin-level", "min-quality", "cluster-count", "group-min",
                                        "max-upgrades", "upgrade-budget", "zone-min", "zone-max",
                                        "zone-distance", NULL};
    const char *id = cp_xml_attr(r->x, "id"), *path = cp_xml_attr(r->x, "path");
    cp_study_scenario *sc;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (!rc)
        rc = check_id(r, id, 0);
    if (rc)
        return rc;
    if (cp_grow((void **)&r->st->scenarios, &r->caps[1], r->st->n_scenarios + 1, sizeof *sc))
        return cp_fail_nomem(cp_xml_error(r->x));
    sc = &r->st->scenarios[r->st->n_scenarios++];
    memset(sc, 0, sizeof *sc);
    sc->line = cp_xml_line(r->x);
    sc->id = cp_strdup(id);
    if (!sc->id || (path && path[0] && !(sc->path = resolve(r, path))))
        return cp_fail_nomem(cp_xml_error(r->x));
    return scenario_overrides(r, sc);
}

static cp_code read_outputs(reader *r)
{
    static const char *const known[] = {"formats", NULL};
    const char *v = cp_xml_attr(r->x, "formats");
    cp_code rc = cp_xml_only_attrs(r->x, known);
    while (!rc && v && *v) {
        size_t n;
        char probe[40], **grown;
        v += strspn(v, " ,\t\n");
        n = strcspn(v, " ,\t\n");
        if (!n)
            break;
        snprintf(probe, sizeof probe, "x.%.*s", (int)(n < 30 ? n : 30), v);
        if (n >= 30 || !cp_layout_format_known(probe))
            return cp_xml_fail(r->x, "formats", cp_xml_attr(r->x, "formats"),
                               "expected xml, geojson, kml, gml, csv, svg, html");
        grown = cp_realloc(r->st->formats, (size_t)(r->st->n_formats + 1) * sizeof *grown);
        if (!grown || !(grown[r->st->n_formats] = cp_malloc(n + 1)))
            return cp_fail_nomem(cp_xml_error(r->x));
        r->st->formats = grown;
        memcpy(grown[r->st->n_formats], v, n);
        grown[r->st->n_formats++][n] = '\0';
        v += n;
    }
    return rc;
}

static cp_code read_solver(reader *r)
{
    static const char *const known[] = {"method", "time-limit", "seed", NULL};
    const char *m = cp_xml_attr(r->x, "method");
    int seed = -1;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (!rc && m) {
        r->st->method = cp_method_parse(m);
        if (r->st->method < 0)
            rc = cp_xml_fail(r->x, "method", m, "expected auto, milp or heuristic");
    }
    if (!rc)
        rc = cp_xml_get_double(r->x, "time-limit", 0, HUGE_VAL, &r->st->time_limit);
    if (!rc)
        rc = cp_xml_get_int(r->x, "seed", 0, 2147483647L, &seed);
    if (!rc && seed >= 0)
        r->st->seed = seed;
    return rc;
}

/* <field>, <where> and <roads> directly inside an <instance>; the rest
 * directly inside <study>.  Elements are read by name, so a <solver> put
 * inside one <scenario> would otherwise have set every run's. */
static cp_code check_place(reader *r)
{
    const char *name = cp_xml_name(r->x), *parent = cp_xml_parent(r->x);
    int in_instance = !strcmp(name, "field") || !strcmp(name, "where") || !strcmp(name, "roads");
    if (cp_xml_depth(r->x) == (in_instance ? 2 : 1) &&
        !strcmp(parent, in_instance ? "instance" : "study"))
        return CP_OK;
    return cp_xml_fail(r->x, NULL, NULL, "inside <%s>: <%s> belongs directly inside <%s>", parent,
                       name, in_instance ? "instance" : "study");
}

static cp_code read_element(reader *r)
{
    const char *name = cp_xml_name(r->x);
    cp_code rc = check_place(r);
    if (rc)
        return rc;
    if (!strcmp(name, "where"))
        return read_where(r);
    if (!strcmp(name, "field"))
        return read_field(r);
    if (!strcmp(name, "roads"))
        return read_roads(r);
    r->current = NULL;
    if (!strcmp(name, "solver") || !strcmp(name, "outputs")) {
        /* a second one would mix with the first (method from one, seed from the other) */
        int *seen = !strcmp(name, "solver") ? &r->solver_line : &r->outputs_line;
        if (*seen)
            return cp_xml_fail(r->x, NULL, NULL, "<%s> given twice (first on line %d): give it "
                               "once", name, *seen);
        *seen = cp_xml_line(r->x);
    }
    if (!strcmp(name, "instance"))
        return read_instance(r);
    if (!strcmp(name, "scenario"))
        return read_scenario(r);
    if (!strcmp(name, "outputs"))
        return read_outputs(r);
    if (!strcmp(name, "solver"))
        return read_solver(r);
    return cp_xml_fail(r->x, NULL, NULL, "unknown element in <study>");
}

static cp_code read_any(void *r)
{
    return read_element(r);
}

static cp_code read_all(reader *r, const char *source)
{
    static const char *const known[] = {"name", NULL};
    cp_code rc = cp_xml_root(r->x, "study", "a study");
    if (!rc)
        rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    r->st->name = cp_strdup(cp_xml_attr(r->x, "name") ? cp_xml_attr(r->x, "name") : "study");
    if (!r->st->name)
        return cp_fail_nomem(cp_xml_error(r->x));
    if ((rc = cp_xml_each_element(r->x, read_any, r)))
        return rc;
    if (r->st->n_instances == 0)
        return cp_fail(cp_xml_error(r->x), CP_EINPUT, "%s: a study needs at least one <instance>",
                       source);
    return CP_OK;
}

void cp_study_free(cp_study *st)
{
    int k, j;
    if (!st)
        return;
    for (k = 0; k < st->n_instances; k++) {
        for (j = 0; j < st->instances[k].n_fields; j++)
            cp_free(st->instances[k].fields[j]);
        for (j = 0; j < st->instances[k].n_where; j++)
            cp_free(st->instances[k].where[j]);
        cp_free(st->instances[k].where);
        cp_free(st->instances[k].fields);
        cp_free(st->instances[k].id);
        cp_free(st->instances[k].path);
        cp_free(st->instances[k].roads);
        cp_free(st->instances[k].roads_layer);
    }
    for (k = 0; k < st->n_scenarios; k++) {
        cp_free(st->scenarios[k].id);
        cp_free(st->scenarios[k].path);
        cp_free(st->scenarios[k].overrides);
        cp_free(st->scenarios[k].group_min);
    }
    for (k = 0; k < st->n_formats; k++)
        cp_free(st->formats[k]);
    cp_free(st->formats);
    cp_free(st->instances);
    cp_free(st->scenarios);
    cp_free(st->name);
    cp_free(st->source);
    cp_free(st);
}

static char *folder_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) + 1 : 0;
    char *f = cp_malloc(n + 1);
    if (f) {
        memcpy(f, path, n);
        f[n] = '\0';
    }
    return f;
}

cp_study *cp_read_study(const char *path, cp_error *err)
{
    return cp_read_study_memory(NULL, 0, path, err);
}

cp_study *cp_read_study_memory(const char *buf, size_t len, const char *path, cp_error *err)
{
    cp_study *st = cp_calloc(1, sizeof *st);
    reader r;
    cp_code rc = CP_ERESOURCE;
    memset(&r, 0, sizeof r);
    if (st && (st->source = cp_strdup(path)) && (r.folder = folder_of(path))) {
        st->method = -1;
        st->time_limit = -1;
        st->seed = -1;
        r.st = st;
        r.x = cp_xml_open(path, buf, len, err);
        rc = r.x ? read_all(&r, path) : err->code;
        cp_xml_close(r.x);
    } else {
        cp_fail_nomem(err);
    }
    cp_free(r.folder);
    if (rc) {
        cp_study_free(st);
        return NULL;
    }
    return st;
}
