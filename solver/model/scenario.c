/*
 * scenario.c — the defaults and the checks of the settings and of the
 * scenario's rules (the one place each lives), and the GIS field mapping.
 */
#include "model.h"

#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

/* Model fields a GIS column can be mapped to. */
static const char *const mappable[] = {
    "id", "name", "lat", "lon", "x", "y", "teachers", "enrolment", "quality",
    "host", "centre", "admin1", "admin2", "admin3", "admin4", "cluster",
    "max-distance", "existing-centre", "upgrade-cost", NULL};

void cp_settings_default(cp_settings *set)
{
    memset(set, 0, sizeof *set);
    set->method = CP_METHOD_AUTO;
    set->time_limit = 0.0; /* none: every budget is work, the layout the same anywhere */
    set->threads = 0;
    set->seed = 1;
    set->gap = 0.0;
    set->effort = 1.0;
    /* Kenya national (26,349 schools in one part), side by side: 300 rounds
     * 23,495.9, 400 23,512.2, 450 23,517.0, for about 1.3 s per 100 rounds
     * on 2 threads; past the search's last steps a round buys more than a
     * step does (bench/RESULTS.md). */
    set->bound_rounds = 400;
    /* Dense towns put hundreds of centres within reach of each school: at
     * 200,000 schools and more the heuristic keeps each school's 64 nearest
     * (memory O(64 n); candidates.c). */
    set->nearest_from = 200000;
    set->nearest_count = 64;
    /* Parts of 5,000 schools and more are cut into regions of about 3,000,
     * solved side by side (regions.c). */
    set->region_from = 5000;
    set->region_schools = 3000;
    /* Parts of 1,000 schools or more run their loops on the team: with
     * every part's loops on it, Kenya by zones (1,209 parts) took 5.4 s
     * instead of 4.6 s on 2 threads (solve.c). */
    set->team_loops_from = 1000;
    /* auto: parts up to 20,000 admissible pairs go on to the MILP after the
     * heuristic (the size the exact tier proves in seconds); the bound gives
     * the same parts 3x its rounds, since their rounds are cheap
     * (lagrange.c; bench/RESULTS.md). */
    set->auto_milp_columns = 20000;
    set->cyclic_cache_slots = 4096;
    set->lagrange_prune = 1;
    set->lagrange_ascent = 1;
    /* assignment's first sparse round: each cluster's 32 nearest admissible
     * facilitators, doubled until proven (assign.c) */
    set->assign_first_neighbours = 32;
}

cp_code cp_settings_check(const cp_settings *set, cp_error *err)
{
    if ((int)set->method < CP_METHOD_AUTO || set->method > CP_METHOD_HEURISTIC)
        return cp_fail(err, CP_EINPUT, "solver method %d: expected auto, milp or heuristic",
                       (int)set->method);
    if (!(set->time_limit >= 0))
        return cp_fail(err, CP_EINPUT, "time limit %g: expected 0 (none) or more seconds",
                       set->time_limit);
    if (set->threads < 0)
        return cp_fail(err, CP_EINPUT, "threads %d: expected 0 (all cores) or more",
                       set->threads);
    if (!(set->gap >= 0 && set->gap <= 1))
        return cp_fail(err, CP_EINPUT, "gap %g: expected 0..1", set->gap);
    if (!(set->effort >= 0 && set->effort <= 1000))
        return cp_fail(err, CP_EINPUT, "effort %g: expected 0..1000", set->effort);
    if (set->anytime && !(set->time_limit > 0))
        return cp_fail(err, CP_EINPUT, "anytime needs a time limit: it searches until the limit "
                       "(give --time-limit SECONDS)");
    if (set->bound_rounds < 1)
        return cp_fail(err, CP_EINPUT, "bound rounds %d: expected 1 or more", set->bound_rounds);
    if (set->nearest_from < 1 || set->nearest_count < 1 || set->region_from < 1 ||
        set->region_schools < 1 || set->team_loops_from < 1 || set->auto_milp_columns < 0 ||
        set->cyclic_cache_slots < 1 || set->assign_first_neighbours < 1)
        return cp_fail(err, CP_EINPUT, "a solver threshold is below 1 (nearest %d/%d, regions "
                       "%d/%d, team %d, ring cache %d, assignment %d)", set->nearest_from,
                       set->nearest_count, set->region_from, set->region_schools,
                       set->team_loops_from, set->cyclic_cache_slots,
                       set->assign_first_neighbours);
    return CP_OK;
}

void cp_scenario_defaults(cp_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->size_min = 3;
    sc->size_max = 7;
    sc->capacity = INFINITY;
    sc->distance_max = INFINITY;
    sc->min_quality = -INFINITY;
    sc->cluster_count = 0;
    sc->admin_level = 0;
    sc->weight = CP_WEIGHT_TEACHERS;
    sc->max_upgrades = -1;
    sc->upgrade_budget = INFINITY;
    /* SPEC's example of <zones>: 3..6 clusters a zone */
    sc->zone_min = 3;
    sc->zone_max = 6;
    sc->zone_distance = INFINITY;
    sc->zone_admin_level = -1;
    /* a school more than 2 km from every road is not reached by it (the
     * issue's figure; Kenya's median school is 1.9 km from its national
     * layer, so sparse layers want more: README) */
    sc->snap_max = 2.0;
    sc->travel = CP_TRAVEL_DISTANCE;
    sc->time_max = INFINITY;
    cp_settings_default(&sc->solver);
}

cp_objective_kind cp_scenario_objective(const cp_scenario *sc)
{
    if (sc->objective != CP_OBJECTIVE_DEFAULT)
        return sc->objective;
    return sc->has_costs && sc->travel == CP_TRAVEL_DISTANCE ? CP_OBJECTIVE_COST
                                                           : CP_OBJECTIVE_TRAVEL;
}

double cp_objective_travel_factor(const cp_scenario *sc)
{
    if (cp_scenario_objective(sc) != CP_OBJECTIVE_COST)
        return 1.0;
    return sc->meetings_per_year * 2.0 * sc->cost_per_km;
}

double cp_objective_per_cluster(const cp_scenario *sc)
{
    if (cp_scenario_objective(sc) != CP_OBJECTIVE_COST)
        return sc->cluster_cost;
    return sc->meetings_per_year * sc->host_stipend + sc->cluster_cost;
}

const char *cp_objective_name(cp_objective_kind kind)
{
    return kind == CP_OBJECTIVE_COST ? "cost" : "travel";
}

/* The rules that can contradict each other are checked here, once, for
 * every path that fills a scenario (file, command line, study). */
cp_code cp_scenario_check(const cp_scenario *sc, const char *where, cp_error *err)
{
    const char *sep = where ? ": " : "";
    int k;
    where = where ? where : "";
    if (sc->size_min < 1)
        return cp_fail(err, CP_EINPUT, "%s%ssize min %d: expected 1 or more", where, sep,
                       sc->size_min);
    if (sc->size_min > sc->size_max)
        return cp_fail(err, CP_EINPUT, "%s%ssize min %d above max %d", where, sep,
                       sc->size_min, sc->size_max);
    if (sc->admin_level < 0 || sc->admin_level > CP_ADMIN_LEVELS)
        return cp_fail(err, CP_EINPUT, "%s%sadmin level %d: expected 0..%d", where, sep,
                       sc->admin_level, CP_ADMIN_LEVELS);
    if (sc->cluster_count < 0)
        return cp_fail(err, CP_EINPUT, "%s%sclusters count %d: expected 0 (free) or more",
                       where, sep, sc->cluster_count);
    if (sc->objective == CP_OBJECTIVE_COST && !sc->has_costs)
        return cp_fail(err, CP_EINPUT, "%s%sobjective cost: the annual cost needs <costs per-km=\"..\" "
                       "meetings-per-year=\"..\" host-stipend=\"..\"/> in the scenario", where, sep);
    if (cp_scenario_objective(sc) == CP_OBJECTIVE_COST &&
        (!(sc->meetings_per_year > 0) || (!(sc->cost_per_km > 0) && !(sc->host_stipend > 0))))
        return cp_fail(err, CP_EINPUT, "%s%s<costs>: %s: the annual cost of every layout would "
                       "be 0, and any layout optimal", where, sep,
                       !(sc->meetings_per_year > 0) ? "meetings-per-year is 0 or missing"
                                                    : "per-km and host-stipend are both 0");
    if (sc->quality_reward < 0)
        return cp_fail(err, CP_EINPUT, "%s%squality-reward %g: expected 0 or more (a negative "
                       "reward would favour the weakest centres)", where, sep, sc->quality_reward);
    if (sc->cluster_cost < 0)
        return cp_fail(err, CP_EINPUT, "%s%scluster-cost %g: expected 0 or more (a negative "
                       "cost would reward every cluster opened)", where, sep, sc->cluster_cost);
    if (sc->has_zones && !(sc->zone_distance > 0)) /* the zone solve would blame "distance max" */
        return cp_fail(err, CP_EINPUT, "%s%szone distance %g: expected a limit above 0 km from a "
                       "cluster's centre to its zone centre's (for no limit, leave it out)", where,
                       sep, sc->zone_distance);
    if (!(sc->distance_max > 0))
        return cp_fail(err, CP_EINPUT, "%s%sdistance max %g: expected a limit above 0 km (for "
                       "no limit, leave it out)", where, sep, sc->distance_max);
    if (cp_scenario_check_rules(sc, where, err))
        return err->code;
    if (!(sc->snap_max >= 0) || !isfinite(sc->snap_max))
        return cp_fail(err, CP_EINPUT, "%s%ssnap-max %g: expected a distance in km, 0 or more",
                       where, sep, sc->snap_max);
    if ((int)sc->travel < CP_TRAVEL_DISTANCE || sc->travel > CP_TRAVEL_CAR)
        return cp_fail(err, CP_EINPUT, "%s%stravel mode %d: expected distance, walk, bike, "
                       "motorbike or car", where, sep, (int)sc->travel);
    if (sc->travel != CP_TRAVEL_DISTANCE && !sc->roads)
        return cp_fail(err, CP_EINPUT, "%s%stravel mode %s measures minutes along roads: give "
                       "the road layer (--roads FILE or <roads path=\"...\"/>)", where, sep,
                       cp_travel_name(sc->travel));
    if (sc->travel != CP_TRAVEL_DISTANCE && sc->objective == CP_OBJECTIVE_COST)
        return cp_fail(err, CP_EINPUT, "%s%sobjective cost prices km, and travel mode %s measures "
                       "minutes: use the travel objective (teacher-minutes; the annual cost is "
                       "still reported from the routes' road km), or road km (no travel mode)",
                       where, sep, cp_travel_name(sc->travel));
    if (sc->travel == CP_TRAVEL_DISTANCE && isfinite(sc->time_max))
        return cp_fail(err, CP_EINPUT, "%s%stime-max %g min needs a travel mode (<travel "
                       "mode=\"walk|bike|motorbike|car\">, --travel-mode)", where, sep,
                       sc->time_max);
    if (sc->n_speeds > 0 && !sc->roads)
        return cp_fail(err, CP_EINPUT, "%s%sspeed of class %s asks for a road layer (--roads FILE "
                       "or <roads path=\"...\"/>): without one it would be ignored", where, sep,
                       sc->speeds[0].cls);
    if (sc->snap_max_given && !sc->roads)
        return cp_fail(err, CP_EINPUT, "%s%ssnap-max %g km asks for a road layer (--roads FILE "
                       "or <roads path=\"...\"/>): without one, distances are straight lines and "
                       "it would be ignored", where, sep, sc->snap_max);
    if (sc->travel == CP_TRAVEL_DISTANCE && !sc->roads && sc->straight_access)
        return cp_fail(err, CP_EINPUT, "%s%sstraight-line access beyond snap-max asks for a "
                       "road layer (--roads FILE or <roads path=\"...\"/>)", where, sep);
    for (k = 0; k < sc->n_speeds; k++)
        if (!strcmp(sc->speeds[k].cls, "off-road") && !(sc->speeds[k].kmh > 0))
            return cp_fail(err, CP_EINPUT, "%s%s<speed class=\"off-road\" kmh=\"%g\">: the walk "
                           "between a school and its road needs a speed above 0", where, sep,
                           sc->speeds[k].kmh);
    if (cp_settings_check(&sc->solver, err)) {
        char why[CP_MSG_MAX];
        snprintf(why, sizeof why, "%s", err->message);
        return cp_fail(err, CP_EINPUT, "%s%s%s", where, sep, why);
    }
    return CP_OK;
}

void cp_scenario_clear(cp_scenario *sc)
{
    int i;
    if (!sc)
        return;
    for (i = 0; i < sc->n_fields; i++) {
        cp_free(sc->fields[i].field);
        cp_free(sc->fields[i].column);
    }
    cp_free(sc->fields);
    cp_free(sc->name);
    cp_free(sc->layer);
    cp_free(sc->crs);
    cp_free(sc->output_crs);
    cp_free(sc->currency);
    sc->currency = NULL;
    for (i = 0; i < sc->n_where; i++) {
        cp_free(sc->where[i].field);
        cp_free(sc->where[i].column);
    }
    cp_free(sc->where);
    sc->where = NULL;
    sc->n_where = 0;
    for (i = 0; i < sc->n_groups; i++)
        cp_free(sc->groups[i].name);
    cp_free(sc->groups);
    sc->groups = NULL;
    sc->n_groups = 0;
    for (i = 0; i < sc->n_speeds; i++)
        cp_free(sc->speeds[i].cls);
    cp_free(sc->speeds);
    sc->speeds = NULL;
    sc->n_speeds = 0;
    cp_free(sc->roads);
    cp_free(sc->roads_layer);
    cp_free(sc->roads_class);
    sc->roads = sc->roads_layer = sc->roads_class = NULL;
    sc->fields = NULL;
    sc->name = NULL;
    sc->layer = sc->crs = sc->output_crs = NULL;
    sc->n_fields = 0;
}

static int is_mappable(const char *field, size_t len)
{
    int i;
    if (len > 9 && strncmp(field, "teachers-", 9) == 0) /* a study group's teachers */
        return 1;
    for (i = 0; mappable[i]; i++)
        if (strlen(mappable[i]) == len && strncmp(mappable[i], field, len) == 0)
            return 1;
    return 0;
}

cp_code cp_scenario_map_field(cp_scenario *sc, const char *spec, cp_error *err)
{
    const char *eq = strchr(spec, '=');
    size_t flen;
    char *field, *column;
    int i;
    cp_field_map *grown;
    if (!eq || eq == spec || eq[1] == '\0')
        return cp_fail(err, CP_EINPUT, "--field \"%s\": expected FIELD=COLUMN", spec);
    flen = (size_t)(eq - spec);
    if (!is_mappable(spec, flen))
        return cp_fail(err, CP_EINPUT,
                       "--field \"%s\": unknown field \"%.*s\" (known: id name lat lon x y "
                       "teachers enrolment quality host centre admin1..admin4 cluster "
                       "max-distance existing-centre upgrade-cost teachers-GROUP)", spec,
                       (int)flen, spec);
    field = cp_malloc(flen + 1);
    column = cp_strdup(eq + 1);
    if (!field || !column) {
        cp_free(field);
        cp_free(column);
        return cp_fail_nomem(err);
    }
    memcpy(field, spec, flen);
    field[flen] = '\0';
    for (i = 0; i < sc->n_fields; i++) {
        if (strcmp(sc->fields[i].field, field) == 0) {
            cp_free(sc->fields[i].column);
            cp_free(field);
            sc->fields[i].column = column;
            return CP_OK;
        }
    }
    grown = cp_realloc(sc->fields, (size_t)(sc->n_fields + 1) * sizeof *grown);
    if (!grown) {
        cp_free(field);
        cp_free(column);
        return cp_fail_nomem(err);
    }
    sc->fields = grown;
    sc->fields[sc->n_fields].field = field;
    sc->fields[sc->n_fields].column = column;
    sc->n_fields++;
    return CP_OK;
}

/* The named efforts: every work budget times these.  quick is for a first
 * look; thorough reaches the proven optima of the harder capacitated set
 * where default stops within 0.05 % (bench/RESULTS.md, issue 27). */
static const struct {
    const char *name;
    double effort;
} effort_names[] = {{"quick", 0.25}, {"default", 1.0}, {"thorough", 4.0}};

cp_code cp_effort_parse(const char *text, double *effort, cp_error *err)
{
    char *end;
    double v;
    size_t k;
    for (k = 0; text && k < sizeof effort_names / sizeof effort_names[0]; k++)
        if (strcmp(text, effort_names[k].name) == 0) {
            *effort = effort_names[k].effort;
            return CP_OK;
        }
    v = text && *text ? strtod(text, &end) : NAN;
    if (!text || !*text || *end || strpbrk(text, "xX") || !(v >= 0 && v <= 1000))
        return cp_fail(err, CP_EINPUT, "effort \"%s\": expected quick, default, thorough or a "
                       "number 0..1000 (the default budgets times it)", text ? text : "");
    *effort = v;
    return CP_OK;
}

int cp_method_parse(const char *name)
{
    static const char *const names[] = {"auto", "milp", "heuristic"};
    int k;
    for (k = 0; name && k < 3; k++)
        if (strcmp(name, names[k]) == 0)
            return k; /* the order of cp_method */
    return -1;
}

const char *cp_scenario_column(const cp_scenario *sc, const char *field)
{
    int k;
    for (k = 0; sc && k < sc->n_fields; k++)
        if (strcmp(sc->fields[k].field, field) == 0)
            return sc->fields[k].column;
    return NULL;
}

cp_code cp_scenario_add_where(cp_scenario *sc, const char *spec, cp_error *err)
{
    const char *eq = strchr(spec, '=');
    cp_field_map *grown;
    char *field, *value;
    if (!eq || eq == spec)
        return cp_fail(err, CP_EINPUT, "--where \"%s\": expected FIELD=VALUE (for example "
                       "county=Kilifi)", spec);
    field = cp_malloc((size_t)(eq - spec) + 1);
    value = cp_strdup(eq + 1);
    grown = field && value ? cp_realloc(sc->where, (size_t)(sc->n_where + 1) * sizeof *grown)
                           : NULL;
    if (!grown) {
        cp_free(field);
        cp_free(value);
        return cp_fail_nomem(err);
    }
    memcpy(field, spec, (size_t)(eq - spec));
    field[eq - spec] = '\0';
    sc->where = grown;
    sc->where[sc->n_where].field = field;
    sc->where[sc->n_where].column = value;
    sc->n_where++;
    return CP_OK;
}

int cp_scenario_where_text(const cp_scenario *sc, char *buf, size_t n)
{
    size_t used = 0;
    int k;
    if (n > 0)
        buf[0] = '\0';
    for (k = 0; sc && k < sc->n_where; k++) {
        int w = snprintf(used < n ? buf + used : NULL, used < n ? n - used : 0, "%s%s=%s",
                         k ? "; " : "", sc->where[k].field, sc->where[k].column);
        used += (size_t)(w > 0 ? w : 0);
    }
    return (int)used;
}

cp_code cp_scenario_set_speed(cp_scenario *sc, const char *cls, double kmh, cp_error *err)
{
    cp_speed *grown;
    char *copy;
    int k;
    if (!cls || !cls[0] || !(kmh >= 0) || !isfinite(kmh))
        return cp_fail(err, CP_EINPUT, "speed of class \"%s\": %g km/h: expected a class and "
                       "0 (not usable) or more km/h", cls ? cls : "", kmh);
    for (k = 0; k < sc->n_speeds; k++)
        if (!strcmp(sc->speeds[k].cls, cls)) {
            sc->speeds[k].kmh = kmh;
            return CP_OK;
        }
    copy = cp_strdup(cls);
    grown = copy ? cp_realloc(sc->speeds, (size_t)(sc->n_speeds + 1) * sizeof *grown) : NULL;
    if (!grown) {
        cp_free(copy);
        return cp_fail_nomem(err);
    }
    sc->speeds = grown;
    sc->speeds[sc->n_speeds].cls = copy;
    sc->speeds[sc->n_speeds++].kmh = kmh;
    return CP_OK;
}

/* Named rules (groups, speeds) hashed as "kind name value|" in name order,
 * so the order they were typed in does not count.  Names are unique (a
 * second one replaces or is refused), so each round takes the least name
 * above the last; no allocation (the digest cannot fail).  O(k^2), k at
 * most a few dozen. */
static void hash_named(cp_sha256 *h, const char *kind, int count,
                       const char *(*name)(const cp_scenario *, int),
                       double (*value)(const cp_scenario *, int), const cp_scenario *sc)
{
    const char *last = NULL;
    char line[64];
    int round, k;
    for (round = 0; round < count; round++) {
        int next = -1;
        for (k = 0; k < count; k++)
            if ((!last || strcmp(name(sc, k), last) > 0) &&
                (next < 0 || strcmp(name(sc, k), name(sc, next)) < 0))
                next = k;
        if (next < 0)
            break;
        last = name(sc, next);
        snprintf(line, sizeof line, "%s ", kind);
        cp_sha256_update(h, line, strlen(line));
        cp_sha256_update(h, last, strlen(last));
        snprintf(line, sizeof line, " %.17g|", value(sc, next));
        cp_sha256_update(h, line, strlen(line));
    }
}

static const char *group_name(const cp_scenario *sc, int k) { return sc->groups[k].name; }
static double group_min(const cp_scenario *sc, int k) { return sc->groups[k].min; }
static const char *speed_class(const cp_scenario *sc, int k) { return sc->speeds[k].cls; }
static double speed_kmh(const cp_scenario *sc, int k) { return sc->speeds[k].kmh; }

/* One canonical text of the clusters' rules, %.17g for each number so that
 * equal rules give equal bytes on every machine.  Left out: the zones'
 * rules (`zones` groups a solved layout under rules of its own, and
 * evaluate checks the zones anyway), the road file (the solution's
 * roads-sha256) and the schools (its `where`). */
void cp_scenario_rules_digest(const cp_scenario *sc, char hex[65])
{
    cp_sha256 h;
    char line[512];
    cp_sha256_init(&h);
    snprintf(line, sizeof line,
             "size %d %d|capacity %.17g|distance %.17g|quality %.17g|count %d|admin %d|"
             "weight %d|objective %d|cluster-cost %.17g|reward %.17g|costs %d %.17g %.17g %.17g|",
             sc->size_min, sc->size_max, sc->capacity, sc->distance_max, sc->min_quality,
             sc->cluster_count, sc->admin_level, (int)sc->weight, (int)cp_scenario_objective(sc),
             sc->cluster_cost, sc->quality_reward, sc->has_costs, sc->cost_per_km,
             sc->meetings_per_year, sc->host_stipend);
    cp_sha256_update(&h, line, strlen(line));
    snprintf(line, sizeof line, "groups-soft %d|invest %d %d %.17g|travel %d %.17g %.17g %d|",
             sc->groups_soft, sc->has_invest, sc->max_upgrades, sc->upgrade_budget,
             (int)sc->travel, sc->time_max, sc->snap_max, sc->straight_access);
    cp_sha256_update(&h, line, strlen(line));
    hash_named(&h, "group", sc->n_groups, group_name, group_min, sc);
    hash_named(&h, "speed", sc->n_speeds, speed_class, speed_kmh, sc);
    cp_sha256_final(&h, hex);
}
