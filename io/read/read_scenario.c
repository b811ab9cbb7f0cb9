/*
 * read_scenario.c — the <scenario> format of SPEC.md.  Every setting is
 * checked where it is read, so an error names its line and attribute.
 * A <fields> element maps GIS columns: <field name="teachers" column="TSC"/>,
 * and may name the layer and the CRSs (read_fields).  <roads>, <travel> and
 * <speed> measure distances by road (README "Within reach by road"); the
 * road layer's path is relative to the scenario file's folder.
 */
#include "xml.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef cp_code (*element_reader)(cp_xml *x, cp_scenario *sc);

static cp_code read_size(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"min", "max", NULL};
    cp_code rc = cp_xml_only_attrs(x, known);
    if (!rc)
        rc = cp_xml_get_int(x, "min", 1, 1000000000L, &sc->size_min);
    if (!rc)
        rc = cp_xml_get_int(x, "max", 1, 1000000000L, &sc->size_max);
    if (!rc && sc->size_min > sc->size_max)
        rc = cp_xml_attr(x, "min")
                 ? cp_xml_fail(x, "min", cp_xml_attr(x, "min"), "greater than max=\"%d\"",
                               sc->size_max)
                 : cp_xml_fail(x, "max", cp_xml_attr(x, "max"), "below the size min %d (give "
                               "min=\"...\" too)", sc->size_min);
    return rc;
}

static cp_code read_capacity(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"teachers", NULL};
    cp_code rc = cp_xml_only_attrs(x, known);
    return rc ? rc : cp_xml_get_double(x, "teachers", 0, HUGE_VAL, &sc->capacity);
}

static cp_code read_distance(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"max", NULL};
    cp_code rc = cp_xml_only_attrs(x, known);
    return rc ? rc : cp_xml_get_double(x, "max", 0, HUGE_VAL, &sc->distance_max);
}

static cp_code read_centre(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"min-quality", NULL};
    cp_code rc = cp_xml_only_attrs(x, known);
    return rc ? rc : cp_xml_get_double(x, "min-quality", 0, 1, &sc->min_quality);
}

static cp_code read_clusters(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"count", NULL};
    cp_code rc = cp_xml_only_attrs(x, known);
    return rc ? rc : cp_xml_get_int(x, "count", 0, 1000000000L, &sc->cluster_count);
}

static cp_code read_admin(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"level", NULL};
    cp_code rc = cp_xml_only_attrs(x, known);
    return rc ? rc : cp_xml_get_int(x, "level", 0, CP_ADMIN_LEVELS, &sc->admin_level);
}

static cp_code read_objective(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"weight", "cluster-cost", "quality-reward", "kind", NULL};
    const char *w = cp_xml_attr(x, "weight"), *kind = cp_xml_attr(x, "kind");
    cp_code rc = cp_xml_only_attrs(x, known);
    if (!rc && kind && strcmp(kind, "travel") == 0)
        sc->objective = CP_OBJECTIVE_TRAVEL;
    else if (!rc && kind && strcmp(kind, "cost") == 0)
        sc->objective = CP_OBJECTIVE_COST;
    else if (!rc && kind)
        rc = cp_xml_fail(x, "kind", kind, "expected travel or cost");
    if (!rc && w && strcmp(w, "teachers") == 0)
        sc->weight = CP_WEIGHT_TEACHERS;
    else if (!rc && w && strcmp(w, "none") == 0)
        sc->weight = CP_WEIGHT_NONE;
    else if (!rc && w)
        rc = cp_xml_fail(x, "weight", w, "expected teachers or none");
    if (!rc)
        rc = cp_xml_get_double(x, "cluster-cost", -HUGE_VAL, HUGE_VAL, &sc->cluster_cost);
    if (!rc)
        rc = cp_xml_get_double(x, "quality-reward", -HUGE_VAL, HUGE_VAL, &sc->quality_reward);
    return rc;
}

static cp_code read_costs(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"per-km", "meetings-per-year", "host-stipend",
                                        "currency", NULL};
    const char *currency = cp_xml_attr(x, "currency");
    cp_code rc = cp_xml_only_attrs(x, known);
    sc->has_costs = 1;
    if (!rc && currency && (strlen(currency) > 16 || strpbrk(currency, "<>&\"'")))
        rc = cp_xml_fail(x, "currency", currency,
                         "expected a short currency code or symbol (KES, USD, $), without <>&\"'");
    if (!rc && currency && currency[0]) {
        cp_free(sc->currency);
        if (!(sc->currency = cp_strdup(currency)))
            rc = cp_fail_nomem(cp_xml_error(x));
    }
    if (!rc)
        rc = cp_xml_get_double(x, "per-km", 0, HUGE_VAL, &sc->cost_per_km);
    if (!rc)
        rc = cp_xml_get_double(x, "meetings-per-year", 0, HUGE_VAL, &sc->meetings_per_year);
    if (!rc)
        rc = cp_xml_get_double(x, "host-stipend", 0, HUGE_VAL, &sc->host_stipend);
    return rc;
}

static cp_code read_method(cp_xml *x, cp_scenario *sc)
{
    const char *m = cp_xml_attr(x, "method");
    if (!m || !m[0])
        return CP_OK;
    if (cp_method_parse(m) < 0)
        return cp_xml_fail(x, "method", m, "expected auto, milp or heuristic");
    sc->solver.method = (cp_method)cp_method_parse(m);
    return CP_OK;
}

/* effort="quick|default|thorough|NUMBER" */
static cp_code read_effort(cp_xml *x, cp_scenario *sc)
{
    const char *e = cp_xml_attr(x, "effort");
    cp_error err;
    if (!e)
        return CP_OK;
    if (cp_effort_parse(e, &sc->solver.effort, &err))
        return cp_xml_fail(x, "effort", e, "expected quick, default, thorough or a number 0..1000");
    return CP_OK;
}

static cp_code read_solver(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"method", "time-limit", "threads", "seed", "gap",
                                        "effort", "bound-rounds", "anytime", NULL};
    int seed = -1;
    cp_code rc = cp_xml_only_attrs(x, known);
    if (!rc)
        rc = read_method(x, sc);
    if (!rc)
        rc = cp_xml_get_double(x, "time-limit", 0, HUGE_VAL, &sc->solver.time_limit);
    if (!rc)
        rc = cp_xml_get_int(x, "threads", 0, 4096, &sc->solver.threads);
    if (!rc)
        rc = cp_xml_get_int(x, "seed", 0, 2147483647L, &seed);
    if (!rc && seed >= 0)
        sc->solver.seed = (uint64_t)seed;
    if (!rc)
        rc = cp_xml_get_double(x, "gap", 0, 1, &sc->solver.gap);
    if (!rc)
        rc = read_effort(x, sc);
    if (!rc)
        rc = cp_xml_get_bool(x, "anytime", &sc->solver.anytime);
    if (!rc)
        rc = cp_xml_get_int(x, "bound-rounds", 1, 1000000, &sc->solver.bound_rounds);
    return rc;
}

static cp_code read_field(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"name", "column", NULL};
    const char *name = cp_xml_attr(x, "name"), *column = cp_xml_attr(x, "column");
    char spec[1024];
    cp_code rc = cp_xml_only_attrs(x, known);
    int k;
    if (rc)
        return rc;
    if (!name || !name[0] || !column || !column[0])
        return cp_xml_fail(x, name && name[0] ? "column" : "name", "",
                           "<field> needs name and column");
    /* the file is read before the command line's --field: a mapping here is the file's own */
    for (k = 0; k < sc->n_fields; k++)
        if (!strcmp(sc->fields[k].field, name))
            return cp_xml_fail(x, "name", name, "mapped twice in this file (to %s and to %s): "
                               "give it once", sc->fields[k].column, column);
    snprintf(spec, sizeof spec, "%s=%s", name, column);
    if (cp_scenario_map_field(sc, spec, cp_xml_error(x)) == CP_EINPUT)
        return cp_xml_fail(x, "name", name, "not a model field");
    return cp_xml_error(x)->code;
}

/* <where field="county" value="Kilifi"/> (repeatable): --where in the file. */
static cp_code read_where(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"field", "value", NULL};
    const char *field = cp_xml_attr(x, "field"), *value = cp_xml_attr(x, "value");
    char spec[1024];
    cp_code rc = cp_xml_only_attrs(x, known);
    if (rc)
        return rc;
    if (!field || !field[0] || !value)
        return cp_xml_fail(x, field && field[0] ? "value" : "field", "",
                           "<where> needs field and value");
    snprintf(spec, sizeof spec, "%s=%s", field, value);
    return cp_scenario_add_where(sc, spec, cp_xml_error(x));
}

/* <fields layer="schools" crs="EPSG:21037" output-crs="EPSG:4326">: how to
 * read the GIS source and write the GIS outputs (the --layer, --crs and
 * --output-crs of a scenario file). */
static cp_code read_fields(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"layer", "crs", "output-crs", NULL};
    static const char *const attrs[] = {"layer", "crs", "output-crs"};
    char **slots[3];
    cp_code rc = cp_xml_only_attrs(x, known);
    int k;
    slots[0] = &sc->layer;
    slots[1] = &sc->crs;
    slots[2] = &sc->output_crs;
    for (k = 0; !rc && k < 3; k++) {
        const char *v = cp_xml_attr(x, attrs[k]);
        if (!v)
            continue;
        if (!v[0])
            return cp_xml_fail(x, attrs[k], v, "empty");
        cp_free(*slots[k]);
        if (!(*slots[k] = cp_strdup(v)))
            return cp_fail_nomem(cp_xml_error(x));
    }
    return rc;
}

/* <groups soft="true">: the study groups' rule (README "Study groups"). */
static cp_code read_groups(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"soft", NULL};
    cp_code rc = cp_xml_only_attrs(x, known);
    return rc ? rc : cp_xml_get_bool(x, "soft", &sc->groups_soft);
}

/* <group name="math" min="4"/>: every cluster holds at least min teachers
 * of math (teachers-math per school). */
static cp_code read_group(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"name", "min", NULL};
    const char *name = cp_xml_attr(x, "name");
    double min = NAN;
    char spec[256];
    int k;
    cp_code rc = cp_xml_only_attrs(x, known);
    if (!rc)
        rc = cp_xml_get_double(x, "min", 0, 1e9, &min);
    if (rc)
        return rc;
    if (!name || !name[0] || strlen(name) > 40 ||
        strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") !=
            strlen(name))
        return cp_xml_fail(x, "name", name ? name : "", "expected a group name of letters, "
                           "digits, _ and - (its teachers are the attribute teachers-NAME)");
    if (isnan(min))
        return cp_xml_fail(x, "min", "", "required: the teachers of this group every cluster "
                           "needs");
    for (k = 0; k < sc->n_groups; k++)
        if (!strcmp(sc->groups[k].name, name))
            return cp_xml_fail(x, "name", name, "a second <group> of this name");
    if (sc->n_groups == CP_MAX_GROUPS)
        return cp_xml_fail(x, "name", name, "at most %d groups", CP_MAX_GROUPS);
    snprintf(spec, sizeof spec, "%s=%.17g", name, min);
    return cp_scenario_set_group(sc, spec, cp_xml_error(x));
}

/* <invest max-upgrades="10"/> or budget="B" (README "New exemplar centres"). */
static cp_code read_invest(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"max-upgrades", "budget", NULL};
    cp_code rc = cp_xml_only_attrs(x, known);
    sc->has_invest = 1;
    if (!rc)
        rc = cp_xml_get_int(x, "max-upgrades", 0, 1000000000L, &sc->max_upgrades);
    if (!rc)
        rc = cp_xml_get_double(x, "budget", 0, HUGE_VAL, &sc->upgrade_budget);
    if (!rc && !cp_xml_attr(x, "max-upgrades") && !cp_xml_attr(x, "budget"))
        rc = cp_xml_fail(x, NULL, NULL, "<invest> needs max-upgrades=\"N\" or budget=\"B\"");
    return rc;
}

/* <zones min="3" max="6" distance="40" admin-level="2"/> (README "Zones"). */
static cp_code read_zones(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"min", "max", "distance", "admin-level", NULL};
    cp_code rc = cp_xml_only_attrs(x, known);
    sc->has_zones = 1;
    if (!rc)
        rc = cp_xml_get_int(x, "min", 1, 1000000000L, &sc->zone_min);
    if (!rc)
        rc = cp_xml_get_int(x, "max", 1, 1000000000L, &sc->zone_max);
    if (!rc)
        rc = cp_xml_get_double(x, "distance", 0, HUGE_VAL, &sc->zone_distance);
    if (!rc)
        rc = cp_xml_get_int(x, "admin-level", 0, CP_ADMIN_LEVELS, &sc->zone_admin_level);
    if (!rc && sc->zone_min > sc->zone_max && cp_xml_attr(x, "min"))
        rc = cp_xml_fail(x, "min", cp_xml_attr(x, "min"), "greater than max=\"%d\"%s",
                         sc->zone_max, cp_xml_attr(x, "max") ? "" : " (the default)");
    else if (!rc && sc->zone_min > sc->zone_max)
        rc = cp_xml_fail(x, "max", cp_xml_attr(x, "max"), "below the default min=\"%d\": give "
                         "min too", sc->zone_min);
    return rc;
}

/* A path relative to the scenario file's folder (an absolute one as is). */
static char *beside(const cp_xml *x, const char *path)
{
    const char *file = cp_xml_file(x), *slash = file ? strrchr(file, '/') : NULL;
    size_t n = slash ? (size_t)(slash - file) + 1 : 0, m = strlen(path);
    char *p;
    if (path[0] == '/' || n == 0)
        return cp_strdup(path);
    if ((p = cp_malloc(n + m + 1)) != NULL) {
        memcpy(p, file, n);
        memcpy(p + n, path, m + 1);
    }
    return p;
}

static cp_code replace_text(cp_xml *x, char **slot, const char *attr, int relative)
{
    const char *v = cp_xml_attr(x, attr);
    char *copy;
    if (!v)
        return CP_OK;
    if (!v[0])
        return cp_xml_fail(x, attr, v, "empty");
    if (!(copy = relative ? beside(x, v) : cp_strdup(v)))
        return cp_fail_nomem(cp_xml_error(x));
    cp_free(*slot);
    *slot = copy;
    return CP_OK;
}

/* <roads path="roads.gpkg" layer="lines" class-field="highway" snap-max="2"
 * straight-access="false"/>: distances by road. */
static cp_code read_roads(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"path", "layer", "class-field", "snap-max",
                                        "straight-access", NULL};
    cp_code rc = cp_xml_only_attrs(x, known);
    if (!rc && !cp_xml_attr(x, "path"))
        rc = cp_xml_fail(x, "path", "", "<roads> needs the path of a line layer");
    if (!rc)
        rc = replace_text(x, &sc->roads, "path", 1);
    if (!rc)
        rc = replace_text(x, &sc->roads_layer, "layer", 0);
    if (!rc)
        rc = replace_text(x, &sc->roads_class, "class-field", 0);
    if (!rc)
        rc = cp_xml_get_double(x, "snap-max", 0, 1e6, &sc->snap_max);
    if (!rc && cp_xml_attr(x, "snap-max"))
        sc->snap_max_given = 1;
    if (!rc)
        rc = cp_xml_get_bool(x, "straight-access", &sc->straight_access);
    return rc;
}

/* <travel mode="motorbike" time-max="45"/>: limits and objective in
 * minutes at the mode's speeds. */
static cp_code read_travel(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"mode", "time-max", NULL};
    const char *mode = cp_xml_attr(x, "mode");
    cp_code rc = cp_xml_only_attrs(x, known);
    if (!rc && (!mode || cp_travel_parse(mode) <= CP_TRAVEL_DISTANCE))
        rc = cp_xml_fail(x, "mode", mode ? mode : "", "expected walk, bike, motorbike or car");
    if (!rc)
        sc->travel = (cp_travel_mode)cp_travel_parse(mode);
    if (!rc)
        rc = cp_xml_get_double(x, "time-max", 0, 1e9, &sc->time_max);
    return rc;
}

/* <speed class="track" kmh="20"/>: a road class's speed (0: not usable);
 * class "off-road" is the walk between a school and its road. */
static cp_code read_speed(cp_xml *x, cp_scenario *sc)
{
    static const char *const known[] = {"class", "kmh", NULL};
    const char *cls = cp_xml_attr(x, "class");
    double kmh = NAN;
    cp_code rc = cp_xml_only_attrs(x, known);
    if (!rc && (!cls || !cls[0]))
        rc = cp_xml_fail(x, "class", "", "<speed> needs the road class it is for");
    if (!rc)
        rc = cp_xml_get_double(x, "kmh", 0, 1000, &kmh);
    if (!rc && isnan(kmh))
        rc = cp_xml_fail(x, "kmh", "", "<speed> needs kmh");
    if (!rc && cp_scenario_set_speed(sc, cls, kmh, cp_xml_error(x)))
        rc = cp_xml_error(x)->code;
    return rc;
}

static const struct {
    const char *name;
    element_reader read;
} readers[] = {{"size", read_size},         {"capacity", read_capacity},
               {"distance", read_distance}, {"centre", read_centre},
               {"clusters", read_clusters}, {"admin", read_admin},
               {"objective", read_objective}, {"costs", read_costs},
               {"solver", read_solver},     {"field", read_field},
               {"fields", read_fields},     {"where", read_where},
               {"groups", read_groups},     {"group", read_group},
               {"invest", read_invest},     {"zones", read_zones},
               {"roads", read_roads},       {"travel", read_travel},
               {"speed", read_speed}};

/* Where an element may stand: directly in <scenario>, or <field> in
 * <fields> and <group> in <groups>.  The readers take each element by its
 * name, so a <distance> put inside <zones> (meant as the zones' distance)
 * would silently have replaced the members' limit. */
static cp_code check_place(cp_xml *x)
{
    const char *name = cp_xml_name(x), *parent = cp_xml_parent(x);
    if (!strcmp(parent, "scenario") ||
        (!strcmp(name, "field") && !strcmp(parent, "fields") && cp_xml_depth(x) == 2) ||
        (!strcmp(name, "group") && !strcmp(parent, "groups") && cp_xml_depth(x) == 2))
        return CP_OK;
    return cp_xml_fail(x, NULL, NULL, "inside <%s>: <%s> belongs directly inside <scenario>%s",
                       parent, name,
                       !strcmp(name, "field") ? " or <fields>"
                       : !strcmp(name, "group") ? " or <groups>"
                       : !strcmp(name, "distance") && !strcmp(parent, "zones")
                           ? " (the zones' own limit is <zones distance=\"...\">)" : "");
}

/* Elements a scenario may hold several of (their entries add up: a second
 * <fields> or <groups> adds its children); any other given twice would
 * silently keep its last value (a second <distance>). */
static int repeatable(const char *name)
{
    return !strcmp(name, "field") || !strcmp(name, "where") || !strcmp(name, "group") ||
           !strcmp(name, "speed") || !strcmp(name, "fields") || !strcmp(name, "groups");
}

static cp_code read_element(cp_xml *x, cp_scenario *sc, int *seen_line)
{
    size_t k;
    cp_code rc = check_place(x);
    if (rc)
        return rc;
    for (k = 0; k < sizeof readers / sizeof *readers; k++)
        if (strcmp(cp_xml_name(x), readers[k].name) == 0) {
            if (!repeatable(readers[k].name) && seen_line[k])
                return cp_xml_fail(x, NULL, NULL, "given twice (also on line %d): the second "
                                   "would silently replace the first", seen_line[k]);
            seen_line[k] = cp_xml_line(x);
            return readers[k].read ? readers[k].read(x, sc) : CP_OK;
        }
    return cp_xml_fail(x, NULL, NULL, "unknown element in <scenario>");
}

static cp_code read_scenario(cp_xml *x, cp_scenario *sc, cp_error *err, const char *source)
{
    static const char *const known[] = {"name", NULL};
    int seen_line[sizeof readers / sizeof *readers] = {0};
    int ev = cp_xml_next(x);
    cp_code rc;
    if (ev == CP_XML_EOF)
        return cp_fail(err, CP_EINPUT, "%s: empty document", source);
    if (ev < 0)
        return err->code;
    if (strcmp(cp_xml_name(x), "scenario") != 0)
        return cp_xml_fail(x, NULL, NULL, "not a scenario (expected <scenario>)");
    if ((rc = cp_xml_only_attrs(x, known)))
        return rc;
    if (cp_xml_attr(x, "name")) {
        cp_free(sc->name);
        if (!(sc->name = cp_strdup(cp_xml_attr(x, "name"))))
            return cp_fail_nomem(err);
    }
    while ((ev = cp_xml_next(x)) != CP_XML_EOF) {
        if (ev < 0)
            return err->code;
        if (ev == CP_XML_START && (rc = read_element(x, sc, seen_line)))
            return rc;
    }
    return CP_OK;
}

cp_code cp_read_scenario_memory(const char *buf, size_t len, const char *name,
                                cp_scenario *sc, cp_error *err)
{
    cp_xml *x = cp_xml_open(name, buf, len, err);
    cp_code rc;
    if (!x)
        return err->code;
    rc = read_scenario(x, sc, err, name);
    cp_xml_close(x);
    return rc;
}

cp_code cp_read_scenario(const char *path, cp_scenario *sc, cp_error *err)
{
    return cp_read_scenario_memory(NULL, 0, path, sc, err);
}
