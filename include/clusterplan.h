/*
 * clusterplan.h — the one public header of the clusterplan library.
 *
 * clusterplan forms school clusters for teacher professional development and
 * evaluates cluster layouts against the model of SPEC.md.  The library holds
 * all logic; the `clusterplan` program only parses arguments.
 *
 * Conventions (after OSQP):
 *   - error codes (could not run) are kept apart from solve status (ran, here
 *     is the outcome);
 *   - every object has a create/read function and a free function that
 *     accepts NULL;
 *   - settings (every knob of a solve) live in one struct, cp_settings, with
 *     one function that fills its defaults (cp_settings_default) and one
 *     that validates it (cp_settings_check); a scenario's model rules are
 *     filled by cp_scenario_defaults and validated by cp_scenario_check;
 *   - what a solve reports is a cp_info, kept apart from the settings;
 *   - every input error fills a cp_error whose message names the file, the
 *     line, the element, the attribute and the value.
 */
#ifndef CLUSTERPLAN_H
#define CLUSTERPLAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CP_VERSION "0.3.0"

/* ------------------------------------------------------------------ errors */

/* Could not run.  An interrupt is not an error: the run stops with status
 * CP_STATUS_INTERRUPTED and its best layout.  Exit codes are the program's
 * business (cli/), not these values. */
typedef enum {
    CP_OK = 0,
    CP_EINPUT,        /* bad usage or bad input: nothing written          */
    CP_ERESOURCE,     /* out of memory, I/O failure, internal limit        */
    CP_EINTERNAL      /* a result failed its own check (e.g. a layout that
                         does not re-evaluate to its claims): a defect     */
} cp_code;

#define CP_MSG_MAX 1024

typedef struct {
    cp_code code;
    char message[CP_MSG_MAX]; /* "FILE:LINE: <element> attr=\"value\": why" */
} cp_error;

void cp_error_clear(cp_error *err);

/* Warnings are collected, not fatal: the caller decides whether to print. */
typedef struct {
    int count;
    int capacity;
    char **items;
} cp_warnings;

void cp_warnings_free(cp_warnings *w);

/* ------------------------------------------------------------- allocation */

/* All allocation in the library goes through these; tests inject failures. */
void *cp_malloc(size_t n);
void *cp_calloc(size_t count, size_t size);
void *cp_realloc(void *p, size_t n);
char *cp_strdup(const char *s);
void cp_free(void *p);
/* Make the k-th allocation from now (1-based) and every later one fail;
 * k = 0 switches injection off.  Returns allocations counted so far. */
void cp_alloc_fail_after(long k);
long cp_alloc_count(void);

/* --------------------------------------------------------------- instance */

typedef enum {
    CP_DIST_HAVERSINE = 0,
    CP_DIST_EUCLIDEAN,
    CP_DIST_NETWORK,
    CP_DIST_MATRIX
} cp_distance_mode;

typedef enum {
    CP_CENTRE_ALLOWED = 0,
    CP_CENTRE_REQUIRED,
    CP_CENTRE_FORBIDDEN
} cp_centre_rule;

#define CP_ADMIN_LEVELS 4
/* Teacher groups (subjects, grades) an instance may carry: teachers-<group>
 * attributes (README "Study groups"). */
#define CP_MAX_GROUPS 8

typedef struct {
    const char *id;
    const char *name;       /* may be "" */
    double x, y;            /* lon/lat for haversine; NAN when absent     */
    double teachers;        /* default 1                                  */
    double enrolment;       /* NAN when absent                            */
    double quality;         /* NAN = unknown                              */
    double max_distance;    /* NAN = the scenario's limit                 */
    int host;               /* default 1                                  */
    cp_centre_rule centre;  /* default allowed                            */
    int existing_centre;    /* centre of its existing cluster             */
    /* admin[k]: id of the admin path admin1..admin(k+1); -1 when absent.
     * Two schools share units up to level L iff admin[L-1] are equal.     */
    int admin[CP_ADMIN_LEVELS];
    const char *admin_name[CP_ADMIN_LEVELS]; /* leaf names, or NULL       */
    const char *cluster;    /* existing cluster label, or NULL             */
    int line;               /* source line, for messages                  */
    double upgrade_cost;    /* upgrade-cost="...": what making it an exemplar
                               centre costs; NAN = not given               */
    /* teachers of each group of the instance (inst->group_name[k]);
     * NAN = absent (counts 0) */
    double group_teachers[CP_MAX_GROUPS];
} cp_school;

typedef struct {
    int from, to;   /* school indices */
    double length;  /* road length or od cost */
    int line;
} cp_link;

typedef struct cp_instance_private cp_instance_private;
typedef struct cp_road_network cp_road_network;

typedef struct {
    char *name;
    char *source;            /* file it was read from                      */
    cp_distance_mode distance;
    const char *units;       /* "km", "units", ... for reports             */
    int n_schools;
    cp_school *schools;
    int n_roads;
    cp_link *roads;
    int n_od;
    cp_link *od;
    int admin_levels_present; /* deepest admin level any school has       */
    /* A GIS source's CRS as WKT (its schools are held in WGS 84 lon/lat, x
     * = longitude, y = latitude, whatever the source's CRS); NULL for a
     * native file.  Outputs that keep the source's CRS use it. */
    char *crs;
    char *layer;              /* the GIS layer read, or NULL              */
    int n_groups;             /* teachers-<group> columns read            */
    const char *group_name[CP_MAX_GROUPS]; /* "math" for teachers-math    */
    cp_instance_private *priv; /* string pool, id index                     */
    /* Travel by road (README "Within reach by road"): the road network the
     * schools were joined to by cp_instance_use_roads, or NULL.  With it,
     * every distance of this instance is by road (km, or minutes in time
     * mode), `units` says which, and the instance owns the network. */
    cp_road_network *road;
} cp_instance;

cp_instance *cp_instance_new(const char *name, cp_distance_mode mode);
void cp_instance_free(cp_instance *inst);
/* Index of the school with this id, or -1. */
int cp_instance_find(const cp_instance *inst, const char *id);
/* The index of teacher group `name` ("math"), or -1 when no school has it. */
int cp_instance_group(const cp_instance *inst, const char *name);
/* Sets school i's teachers of group `name`, adding the group to the
 * instance when new.  CP_OK, CP_EINPUT (more than CP_MAX_GROUPS groups; the
 * message names the group) or CP_ERESOURCE. */
cp_code cp_instance_set_group(cp_instance *inst, int i, const char *name, double teachers,
                              cp_error *err);

/* --------------------------------------------------------------- scenario */

typedef enum { CP_WEIGHT_TEACHERS = 0, CP_WEIGHT_NONE } cp_weight;
typedef enum { CP_OBJECTIVE_DEFAULT = 0, CP_OBJECTIVE_TRAVEL, CP_OBJECTIVE_COST } cp_objective_kind;
typedef enum { CP_METHOD_AUTO = 0, CP_METHOD_MILP, CP_METHOD_HEURISTIC } cp_method;

/* One study group of a scenario: its name (teachers-<name>) and the
 * teachers of it every cluster needs. */
typedef struct {
    char *name;
    double min;
} cp_group_rule;
/* How distances are measured on roads: road km, or minutes at the speeds
 * of a mode (README "Within reach by road" lists every default). */
typedef enum {
    CP_TRAVEL_DISTANCE = 0, CP_TRAVEL_WALK, CP_TRAVEL_BIKE, CP_TRAVEL_MOTORBIKE, CP_TRAVEL_CAR
} cp_travel_mode;
/* A road class's speed (<speed class="track" kmh="25"/>); 0 = not usable. */
typedef struct {
    char *cls;
    double kmh;
} cp_speed;

/* GIS attribute mapping: model field -> column name in the GIS layer. */
typedef struct {
    char *field;
    char *column;
} cp_field_map;

/* Where a solve is: its phase ("pairs", "parts", "regions", "descent and
 * bound", "round 2 (MILP)"), the schools of the parts finished (a part cut
 * into regions counts region by region, so one large part moves the bar
 * too), and the parts as the summary counts them (those with schools to
 * place). */
typedef struct {
    const char *phase;
    long schools_done, schools_total;
    int parts_done, parts_total;
} cp_progress;

/* Every knob of a solve (after OSQP's settings): how to solve, how long,
 * and the thresholds where the engine changes strategy.  The scenario
 * file's <solver> element and the command line fill it;
 * cp_settings_default() holds every default, cp_settings_check() every
 * rule.  The thresholds are tuned on the benchmarks (bench/RESULTS.md);
 * tests lower them to reach the same code paths on small instances. */
typedef struct {
    cp_method method;
    double time_limit;          /* seconds; 0 = none (a guard, not a budget) */
    int threads;                /* 0 = all cores                          */
    uint64_t seed;
    double gap;                 /* relative gap tolerance                 */
    double effort;              /* every work budget (search steps, auto's MILP
                                   iterations), times the default (1); the names
                                   quick, default, thorough (cp_effort_parse);
                                   0 = construction and descent */
    int anytime;                /* 1: use the whole time limit (required) to
                                   search on from the layout found, restarting
                                   unproven parts with new seeds and more steps;
                                   not reproducible, and said so */
    int bound_rounds;           /* heuristic: Lagrangian rounds for the bound
                                   (400); more give a tighter bound */
    int verbose;                /* let GLPK print its progress              */
    const char *export_lp;      /* also write the whole model as one MILP in
                                   CPLEX LP format (phase 2 form), unsolved  */
    volatile int *interrupt;    /* set (e.g. by a signal handler) to stop:
                                   the best solution so far is returned     */
    /* called at each phase and as parts and regions finish (one call at a
     * time, from whichever thread finished) */
    void (*progress)(const cp_progress *p, void *arg);
    void *progress_arg;
    /* thresholds (defaults in cp_settings_default, reasons beside them) */
    int nearest_from;           /* heuristic runs on at least this many schools
                                   keep each school's nearest_count centres */
    int nearest_count;
    int region_from;            /* parts of at least this many schools are cut
                                   into regions of about region_schools */
    int region_schools;
    int team_loops_from;        /* parts of at least this many schools hand
                                   their loops to the thread team */
    long auto_milp_columns;     /* auto: parts of at most this many admissible
                                   pairs go to the MILP after the heuristic;
                                   the bound gives them more rounds too */
    int cyclic_cache_slots;     /* slots of the ring neighbourhood's cache */
    int lagrange_prune;         /* 0: every valuation reads every pair     */
    int lagrange_ascent;        /* 0: no coordinate ascent after the rounds */
    int assign_first_neighbours; /* facilitators per cluster in assignment's
                                    first sparse round */
    int check_plant_mismatch;   /* test hook: the solve reports an objective
                                   that is off by one, so the pipeline's
                                   re-evaluation must catch it (exit 3) */
} cp_settings;

/* Fills every field with its default (the one place they live). */
void cp_settings_default(cp_settings *set);
/* CP_OK, or CP_EINPUT naming the first setting out of range. */
cp_code cp_settings_check(const cp_settings *set, cp_error *err);

/* The model's rules (SPEC "Scenario") and, in `solver`, the settings of its
 * <solver> element. */
typedef struct {
    char *name;
    int size_min, size_max;     /* schools per cluster, centre included   */
    double capacity;            /* teachers per cluster; INFINITY = none   */
    double distance_max;        /* INFINITY = none                        */
    double min_quality;         /* -INFINITY = every host eligible         */
    int cluster_count;          /* 0 = free                               */
    int admin_level;            /* 0 = no admin rule                      */
    cp_weight weight;
    cp_objective_kind objective;  /* travel or annual cost; CP_OBJECTIVE_DEFAULT
                                     = cost when <costs> is given (cp_scenario_objective) */
    double cluster_cost;
    double quality_reward;
    int has_costs;
    double cost_per_km, meetings_per_year, host_stipend;
    char *currency;             /* <costs currency>; NULL = none named */
    cp_settings solver;
    /* reading a GIS source and writing GIS outputs (the scenario's <fields>
     * element, --field, --layer, --crs, --output-crs) */
    int n_fields;
    cp_field_map *fields;
    char *layer;                /* the layer to read; NULL = the only one   */
    char *crs;                  /* "EPSG:N" (any PROJ string) for a source
                                   that states no CRS; NULL = none given    */
    char *output_crs;           /* GPKG, GML and SHP outputs in this CRS;
                                   NULL = the source's                      */
    /* --where FIELD=VALUE (repeatable; <where field value> in the scenario):
     * only the schools whose FIELD equals VALUE, every condition at once.
     * FIELD is a model field (admin1..admin4, cluster, id, name, centre,
     * host), or for a GIS source any column of the layer. */
    int n_where;
    cp_field_map *where;        /* field = FIELD, column = VALUE */
    /* study groups (<groups><group name min/></groups>, README "Study
     * groups"): every cluster holds at least `min` teachers of each group
     * (teachers-<name> per school); soft: maximise the clusters that can
     * host every group, after placement, instead */
    int n_groups;
    cp_group_rule *groups;
    int groups_soft;
    /* upgrades (<invest max-upgrades budget/>, README "New exemplar
     * centres"): hosts below the quality rule, or schools with
     * upgrade-cost, may become centres, at most max_upgrades of them and
     * costing at most upgrade_budget in all */
    int has_invest;
    int max_upgrades;           /* -1 = no cap on the count */
    double upgrade_budget;      /* INFINITY = no budget */
    /* zones (<zones min max distance admin-level/>, README "Zones"):
     * clusters grouped around a zone-centre cluster for zonal facilitators */
    int has_zones;
    int zone_min, zone_max;     /* clusters per zone, the centre's included */
    double zone_distance;       /* cluster centre to zone centre; INFINITY = none */
    int zone_admin_level;       /* zones inside admin units down to this
                                   level; -1 = the scenario's admin level */
    /* travel by road (<roads>, <travel>, <speed>; --roads, --snap-max,
     * --travel-mode, --time-max): README "Within reach by road" */
    char *roads;                /* an OGR line layer; NULL = straight-line distances */
    char *roads_layer;          /* its layer; NULL = the only one */
    char *roads_class;          /* column of road classes; NULL = highway, else fclass */
    double snap_max;            /* km a school may lie from the nearest road (2) */
    int snap_max_given;         /* set by <roads snap-max> or --snap-max: then a road
                                   layer must be given too (cp_scenario_check) */
    int straight_access;        /* 1: a school beyond snap_max keeps straight-line
                                   access; 0: it is unassigned (the default) */
    cp_travel_mode travel;      /* CP_TRAVEL_DISTANCE: limits and objective in road
                                   km; else in minutes at the mode's speeds */
    double time_max;            /* minutes; INFINITY = none (time modes only) */
    int n_speeds;
    cp_speed *speeds;           /* <speed class kmh>: the mode's speeds overridden */
} cp_scenario;

/* The objective kind in force: sc->objective, or for the default, cost
 * when the scenario has <costs> and travel otherwise (SPEC "Scenario");
 * travel (teacher-minutes) in time mode, where a cost per km cannot price
 * minutes. */
cp_objective_kind cp_scenario_objective(const cp_scenario *sc);
/* SPEC's second objective term is
 *   travel_factor * sum_members w_i d(i, centre) + per_cluster * #clusters
 *   - quality_reward * sum_centres quality,
 * with, for the travel kind, factor 1 and per_cluster = cluster-cost; for the
 * cost kind, the annual cost: factor meetings * 2 * per-km and per_cluster
 * meetings * host-stipend (plus any cluster-cost).  Every solver room and
 * the evaluator take the two numbers from here. */
double cp_objective_travel_factor(const cp_scenario *sc);
double cp_objective_per_cluster(const cp_scenario *sc);
/* "travel" or "cost". */
const char *cp_objective_name(cp_objective_kind kind);

/* "auto", "milp" or "heuristic" as a cp_method; -1 for anything else. */
int cp_method_parse(const char *name);
/* An effort: quick (0.25), default (1), thorough (4), or a number 0..1000.
 * CP_OK, or CP_EINPUT naming the word. */
cp_code cp_effort_parse(const char *text, double *effort, cp_error *err);

/* Fills every field with the defaults of SPEC.md, and the settings with
 * cp_settings_default (the one place they live). */
void cp_scenario_defaults(cp_scenario *sc);
/* CP_OK, or CP_EINPUT naming the first rule that cannot hold (size min
 * above max, ...) or the first bad setting; `where` prefixes the message
 * (a file name, or NULL). */
cp_code cp_scenario_check(const cp_scenario *sc, const char *where, cp_error *err);
void cp_scenario_clear(cp_scenario *sc); /* frees owned memory */
/* Adds or replaces a field mapping "FIELD=COLUMN".  Returns CP_OK or
 * CP_EINPUT with a message. */
cp_code cp_scenario_map_field(cp_scenario *sc, const char *spec, cp_error *err);
/* The column mapped to a model field by the scenario's field mapping, or
 * NULL (sc may be NULL). */
const char *cp_scenario_column(const cp_scenario *sc, const char *field);
/* Adds or replaces study group NAME's minimum, from "NAME=MIN" (--group-min
 * and the study's group-min override).  CP_OK, CP_EINPUT or CP_ERESOURCE. */
cp_code cp_scenario_set_group(cp_scenario *sc, const char *spec, cp_error *err);
/* Sets a road class's speed in km/h (<speed class kmh>; replaces an
 * earlier one of the class).  CP_OK, CP_EINPUT or CP_ERESOURCE. */
cp_code cp_scenario_set_speed(cp_scenario *sc, const char *cls, double kmh, cp_error *err);
/* Adds a condition "FIELD=VALUE" of --where.  CP_OK or CP_EINPUT. */
cp_code cp_scenario_add_where(cp_scenario *sc, const char *spec, cp_error *err);
/* The --where conditions as one text, "county=Machakos; zone=Kathiani"
 * ("" when none), as a solution file records them.  Returns the length it
 * needed (>= n: cut short). */
int cp_scenario_where_text(const cp_scenario *sc, char *buf, size_t n);
/* The SHA-256 of the model's rules as this run applies them (sizes,
 * limits, quality, admin level, capacity, count, objective and costs,
 * groups, upgrades, zones, travel mode and speeds): a solution records it,
 * so a layout read under other rules (the same scenario file with a
 * --distance-max) is told apart from one read under its own. */
void cp_scenario_rules_digest(const cp_scenario *sc, char hex[65]);
/* Whether a school's value meets a --where condition's: the same text,
 * letters compared without case (Machakos = machakos = MACHAKOS), on every
 * kind of source. */
int cp_where_matches(const char *value, const char *wanted);
/* Why no school met the --where conditions, from how many schools met each
 * alone (hits[k]): the first condition none meets ("--where zone=Kalolenii:
 * no school has it"), else that none meets them all at once, with each
 * one's count.  Into out (n bytes). */
void cp_where_no_match(const cp_scenario *sc, const long *hits, char *out, size_t n);
/* Keeps the schools of a native instance that meet sc's --where conditions
 * (roads and od pairs between kept schools with them); CP_EINPUT naming the
 * condition when a field is not one a native school has, or when no school
 * is left.  A GIS source is filtered while it is read instead, by the
 * same rule (cp_where_matches). */
cp_code cp_instance_where(cp_instance *inst, const cp_scenario *sc, cp_error *err);
/* Puts the schools in the natural order of their ids (digit runs by value:
 * "S9" before "S10"), whatever order the source held them in: a GIS layer
 * reordered by a spatial index or an SQL query then gives the same layout,
 * since ties are broken by index.  Nothing is copied when already in order. */
cp_code cp_instance_sort_by_id(cp_instance *inst, cp_error *err);

/* ----------------------------------------------------------------- layout */

typedef enum {
    CP_STATUS_NONE = 0,
    CP_STATUS_OPTIMAL,
    CP_STATUS_FEASIBLE,
    CP_STATUS_INFEASIBLE,
    CP_STATUS_TIME_LIMIT,
    CP_STATUS_INTERRUPTED
} cp_status;

/* What a solve reports, or what the producer of a solution file claimed
 * (kept to compare with evaluate). */
typedef struct {
    cp_status status;
    double objective;   /* NAN when absent */
    double bound;       /* NAN when unknown */
    double gap;
    int unassigned;     /* -1 when absent */
    char *method;
    char *scenario;
    uint64_t seed;
    int threads;
    double seconds;
    int parts, parts_optimal;     /* independent parts solved, proven optimal */
    int largest_part;             /* schools in the largest part */
    int nearest_cap;              /* > 0: the heuristic searched each school's
                                     this many nearest centres only */
    double slowest_part_seconds;
    /* distances by road: the layer's SHA-256 and the travel mode
     * ("distance", "walk", ...) the layout was made or written with; NULL
     * for straight-line distances */
    char *roads_sha256;
    char *roads_travel;
    /* a solution file's `where`: the --where conditions of the run that
     * wrote it (cp_scenario_where_text); NULL when it names none */
    char *where;
    /* a solution file's rules-sha256 (cp_scenario_rules_digest of the run
     * that wrote it); NULL when it has none */
    char *rules_sha256;
    double effort;      /* the run's effort: the one asked for, scaled down
                           above 50,000 schools (solve.c); 0 when not a solve */
} cp_info;

#define CP_LAYOUT_CENTRE_NOT_MEMBER 1 /* the named centre was not listed  */
#define CP_LAYOUT_SEVERAL_CENTRES 2   /* more than one centre was named   */

/* A school the layout upgrades to an exemplar centre, and what it buys
 * against the same layout without it (README "New exemplar centres"). */
typedef struct {
    int school;             /* the upgraded centre */
    int cluster;            /* the cluster it heads */
    double cost;            /* its upgrade-cost (NAN when not given) */
    int brings;             /* schools placed that would be unplaced without it */
    double saves;           /* the objective saved (travel, or the annual cost) */
} cp_upgrade;

typedef struct {
    int n;
    cp_upgrade *items;      /* by school order */
    int *answer;            /* per school: for an unassigned school the one upgrade
                               (school index) that would place it, or -1 */
    int *answer_places;     /* per school: schools that upgrade would place */
} cp_upgrades;

/* Zones of clusters for zonal facilitators (README "Zones"): each zone is
 * min..max clusters around a zone-centre cluster. */
typedef struct {
    int n_zones;
    int n_clusters;         /* of the layout it belongs to */
    int *zone_of;           /* per cluster: zone index or -1 */
    int *centre;            /* per zone: the cluster it is centred on */
    char **label;           /* per zone: its id ("Z1", ...) */
    char **reason;          /* per cluster without a zone: why (or NULL) */
    cp_info info;           /* the zone solve: status, objective (teacher-weighted
                               km from each cluster centre to its zone's), bound,
                               gap, unassigned clusters, seconds */
} cp_zoning;

void cp_upgrades_free(cp_upgrades *u);
void cp_zoning_free(cp_zoning *z);

/* A cluster layout: which cluster every school is in, and each centre. */
typedef struct {
    int n_schools;
    int n_clusters;
    int *cluster_of;       /* per school: cluster index or -1            */
    int *centre;           /* per cluster: school index or -1 (none)     */
    char **label;          /* per cluster: its id in the file            */
    char **reason;         /* per school: unassigned reason or NULL      */
    int *flags;            /* per cluster: CP_LAYOUT_* bits               */
    int cluster_capacity;
    int *duplicates;       /* schools listed again in another cluster    */
    int n_duplicates, duplicates_capacity;
    cp_info info;
    cp_upgrades *upgrades;  /* solve with <invest>: what each upgrade buys; NULL */
    cp_zoning *zones;       /* zones of clusters (solve with <zones>, `zones`,
                               or read from a solution); NULL = none */
} cp_layout;

cp_layout *cp_layout_new(int n_schools);
void cp_layout_free(cp_layout *lay);
/* Appends a cluster; returns its index or -1 on allocation failure. */
int cp_layout_add_cluster(cp_layout *lay, const char *label, int centre);
/* The instance's own cluster/centre attributes.  scope = admin level that
 * qualifies cluster labels (0 = the label alone). */
cp_layout *cp_layout_existing(const cp_instance *inst, int scope,
                              cp_warnings *warn, cp_error *err);

const char *cp_status_name(cp_status s);

/* The unassigned schools' reasons grouped by their rule (the words before
 * the first ':' of each reason, "admin rule", "distance rule", ...; a
 * reason without one is its own rule): count and first school of each,
 * most common first, ties in order of first school. */
typedef struct {
    char rule[64];
    int count;
    int first;      /* the first school with this rule */
} cp_reason_group;
/* Fills up to `cap` groups and returns how many; *others counts the
 * schools of rules beyond the first cap found.  Schools not in any cluster
 * and without a reason count as "not in the layout". */
int cp_layout_reason_groups(const cp_layout *lay, cp_reason_group *groups, int cap,
                            int *others);

/* -------------------------------------------------------------- distances */

typedef struct cp_distance_ctx cp_distance_ctx;

cp_distance_ctx *cp_distance_new(const cp_instance *inst, cp_error *err);
void cp_distance_free(cp_distance_ctx *ctx);
/* Distance from member i to centre c; INFINITY when unreachable.
 * For networks this runs a Dijkstra from c: prefer cp_distance_to_centre. */
double cp_distance(cp_distance_ctx *ctx, int member, int centre);
/* Distances from `count` members to one centre into out[]; a network
 * Dijkstra stops as soon as every member is settled. */
cp_code cp_distance_to_centre(cp_distance_ctx *ctx, int centre,
                              const int *members, int count, double *out);
double cp_haversine_km(double lat1, double lon1, double lat2, double lon2);

/* ------------------------------------------------------------------ roads */

/* Reads the road layer sc->roads (any OGR line layer, any CRS, through
 * GDAL) and joins inst's schools to it (README "Within reach by road"):
 * nodes where lines share a vertex, edges between consecutive vertices with
 * great-circle lengths, OSM's oneway, each school at the nearest point of
 * the nearest edge within sc->snap_max.  Afterwards every distance of inst
 * is by road, in road km or in minutes of sc->travel.  CP_OK when sc names
 * no roads (nothing changes); CP_EINPUT naming the file, layer and feature
 * for a bad layer. */
cp_code cp_instance_use_roads(cp_instance *inst, const cp_scenario *sc, cp_warnings *warn,
                              cp_error *err);
/* What the network is and how the schools joined it, for summaries. */
typedef struct {
    const char *source;      /* the layer's file */
    const char *layer;
    char sha256[65];         /* of the file's bytes (a layout records it) */
    long lines, nodes, edges;
    double km;               /* every edge's length */
    long one_way;            /* edges usable in one direction only */
    int on_road, straight, off_road; /* schools joined, kept straight-line
                                        access beyond snap-max, or left out */
    double off_median_km, off_p90_km, off_max_km; /* of the schools joined */
    double snap_max;
    cp_travel_mode travel;
} cp_road_summary;
/* NULL when inst has no roads. */
const cp_road_summary *cp_road_info(const cp_instance *inst);
/* "distance", "walk", "bike", "motorbike", "car"; cp_travel_parse: -1 for
 * anything else. */
const char *cp_travel_name(cp_travel_mode mode);
int cp_travel_parse(const char *name);

/* ------------------------------------------------------------- evaluation */

typedef enum {
    CP_V_NO_CENTRE = 0,      /* cluster has no centre                       */
    CP_V_SEVERAL_CENTRES,    /* cluster names more than one centre          */
    CP_V_CENTRE_NOT_MEMBER,  /* centre is not a member of its cluster       */
    CP_V_CENTRE_INELIGIBLE,  /* host=false, forbidden or quality too low    */
    CP_V_SIZE_BELOW_MIN,
    CP_V_SIZE_ABOVE_MAX,
    CP_V_CAPACITY,
    CP_V_DISTANCE,           /* member beyond its limit (or unreachable)    */
    CP_V_ADMIN,              /* member outside its centre's admin unit      */
    CP_V_REQUIRED_CENTRE,    /* centre="required" school is not a centre    */
    CP_V_CLUSTER_COUNT,
    CP_V_DUPLICATE_MEMBER,   /* school listed in several clusters           */
    CP_V_GROUP_BELOW_MIN,    /* a cluster with too few teachers of a group  */
    CP_V_UPGRADES_ABOVE_MAX, /* more upgraded centres than max-upgrades     */
    CP_V_UPGRADE_BUDGET,     /* upgrades cost more than the budget          */
    CP_V_ZONE_SIZE_BELOW_MIN,
    CP_V_ZONE_SIZE_ABOVE_MAX,
    CP_V_ZONE_DISTANCE,      /* a cluster's centre too far from its zone's  */
    CP_V_ZONE_ADMIN,         /* a cluster outside its zone centre's unit    */
    CP_V_ROAD_KM,            /* time mode: the road km of a member's route
                                beyond its max-distance (or <distance max>)  */
    CP_V_KIND_COUNT
} cp_violation_kind;

typedef struct {
    cp_violation_kind kind;
    int cluster;   /* -1 when not about one cluster */
    int school;    /* -1 when not about one school  */
    double value;
    double limit;
    int group;     /* group-below-min: index into the scenario's groups; else -1 */
    int zone;      /* zone-*: the zone; else -1 */
} cp_violation;

const char *cp_violation_name(cp_violation_kind k);

typedef struct {
    int clusters, assigned, unassigned;
    int implied_centres;          /* clusters without centre: medoid used  */
    int size_min, size_max;
    double size_median;
    double dist_mean, dist_median, dist_p90, dist_max; /* non-centre members */
    double travel_weighted;       /* sum teachers * distance               */
    double travel;                /* sum w_i * distance (objective's term) */
    int unreachable;              /* members with no route to their centre (by
                                     road: off the network, or another piece of
                                     it); left out of the travel sums above and
                                     of teacher_km, each a distance violation */
    double share_within_limit;    /* assigned schools within their limit   */
    int centres_meeting_quality;
    double mean_centre_quality;   /* over centres with known quality       */
    int clusters_crossing_admin;
    int admin_level_checked;
    double annual_cost;           /* NAN without <costs>: travel + stipends */
    double annual_travel_cost;    /* meetings * 2 * per-km * teacher-km    */
    double annual_stipends;       /* meetings * host-stipend * clusters    */
    double objective;             /* second lexicographic term            */
    /* study groups: clusters holding enough teachers of every group */
    int clusters_hosting_all;
    /* upgrades: centres that are upgrades, and their cost (NAN when a cost
     * is not given) */
    int upgrades;
    double upgrade_spend;
    /* zones */
    int zones, zoned_clusters, unzoned_clusters;
    int zone_size_min, zone_size_max;
    double zone_travel;           /* sum cluster teachers * km to the zone centre */
    double zone_distance_max;
    /* with roads (NAN otherwise), over non-centre members: */
    double straight_mean, straight_max; /* straight-line km to the centre  */
    double road_km_mean;          /* road km of their routes               */
    double circuity;              /* sum of road km / sum of straight km    */
    double teacher_km;            /* sum teachers * km: travel_weighted, or in time
                                     mode over the routes' road km (what the annual
                                     cost prices) */
} cp_indicators;

typedef struct {
    cp_indicators ind;
    int n_violations;
    cp_violation *violations;
    double *distance;   /* per school: to its centre; NAN when unassigned */
    int *centre_used;   /* per cluster: given or implied centre, or -1     */
    double *cluster_travel, *cluster_maxdist, *cluster_teachers;
    int *cluster_size;
    int n_clusters;
    int n_groups;                 /* the scenario's groups */
    double *cluster_group_teachers; /* per cluster x group (row-major), or NULL */
    int *group_hosting;           /* per group: clusters with enough of it, or NULL */
    unsigned char *upgraded;      /* per cluster: its centre is an upgrade, or NULL */
    double *cluster_zone_distance; /* per cluster: km from its centre to its zone
                                      centre's (NAN: no zone), or NULL */
    /* with roads (NULL otherwise): per school, the straight-line km and the
     * road km of its route to its centre (NAN when unassigned); per
     * cluster, its circuity: road km / straight km over its members that
     * are not the centre (NAN when none) */
    double *straight_km, *road_km, *cluster_circuity;
} cp_evaluation;

/* Recomputes everything from the instance and the layout alone. */
cp_evaluation *cp_evaluate(const cp_instance *inst, const cp_scenario *sc,
                           const cp_layout *lay, cp_distance_ctx *dist,
                           cp_error *err);
void cp_evaluation_free(cp_evaluation *ev);

/* ---------------------------------------------------------------- solving */

/* Forms clusters under sc's rules with sc->solver's settings (both checked
 * first).  Returns a layout whose info holds status, objective (second
 * lexicographic term), bound, gap, unassigned, method, threads and seconds;
 * unassigned schools carry their reason.  NULL only on error. */
cp_layout *cp_solve(const cp_instance *inst, const cp_scenario *sc, cp_error *err);

/* Zones of the layout's clusters (README "Zones"): the same engine run on
 * the cluster centres as points, each weighted by its cluster's teachers,
 * under the scenario's <zones> rules (a scenario without <zones> gets the
 * defaults 3..6 clusters, no distance limit).  Replaces lay->zones.
 * cp_solve does it itself when the scenario has <zones>. */
cp_code cp_form_zones(const cp_instance *inst, const cp_scenario *sc, cp_layout *lay,
                      cp_distance_ctx *dist, cp_error *err);
/* With <invest>: what each upgraded centre of the layout buys (the schools
 * it brings in, the objective it saves) and, for each unassigned school,
 * the one upgrade that would place it (README "New exemplar centres").
 * Replaces lay->upgrades; the program's pipeline does it for every layout
 * it solves or reads. */
cp_code cp_report_upgrades(const cp_instance *inst, const cp_scenario *sc, cp_layout *lay,
                           cp_distance_ctx *dist, cp_error *err);
/* The layout whose clusters are lay's zones (every school of a zone's
 * clusters a member, the zone-centre cluster's centre its centre, the zone
 * labels as cluster labels): what zonal supervisors are assigned to. */
cp_layout *cp_zone_layout(const cp_layout *lay, cp_error *err);

/* A synthetic country of n schools (towns, sparse arid region, nested admin
 * units, teachers, quality); the same seed gives the same instance. */
cp_instance *cp_generate(long n, uint64_t seed, cp_error *err);
/* Teachers of each named group (teachers-<name>) for a generated country,
 * made up plausibly from each school's teachers (README); the schools'
 * other fields are unchanged.  CP_OK, CP_EINPUT or CP_ERESOURCE. */
cp_code cp_generate_groups(cp_instance *inst, const char *const *names, int n, uint64_t seed,
                           cp_error *err);

/* A dense synthetic road network around inst's schools (street grids where
 * schools are, trunk roads between regions crossing them as bridges, some
 * one-way streets), written to path (.gpkg .geojson .shp .fgb) with OSM's
 * highway and oneway columns; the same seed gives the same file.  *lines
 * and *edges: what was written.  For `generate --roads`. */
cp_code cp_generate_roads(const char *path, const cp_instance *inst, uint64_t seed,
                          long *lines, long *edges, cp_error *err);

/* ------------------------------------------------------------------- I/O */

typedef enum {
    CP_FILE_UNKNOWN = 0,
    CP_FILE_INSTANCE,
    CP_FILE_SCENARIO,
    CP_FILE_SOLUTION,
    CP_FILE_GIS,            /* any layer GDAL reads: an instance */
    CP_FILE_CANDIDATES,
    CP_FILE_RUBRIC,
    CP_FILE_RANKING,
    CP_FILE_STUDY           /* a `batch` study */
} cp_file_kind;

/* By the root element of an XML file; anything that is not native XML is
 * CP_FILE_GIS (read through GDAL). */
cp_file_kind cp_detect_file(const char *path, cp_error *err);
const char *cp_file_kind_name(cp_file_kind k);

/* Reads a native <instance> file, or else any vector point layer GDAL/OGR
 * opens (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, CSV, KML/KMZ, GML),
 * transformed to WGS 84 lon/lat with haversine km.  `fields` (a scenario:
 * its field mapping, layer and CRS) may be NULL. */
cp_instance *cp_read_instance(const char *path, const cp_scenario *fields,
                              cp_warnings *warn, cp_error *err);
cp_instance *cp_read_instance_memory(const char *buf, size_t len,
                                     const char *name,
                                     const cp_scenario *fields,
                                     cp_warnings *warn, cp_error *err);
/* Reads a scenario into sc (which the caller has set to defaults). */
cp_code cp_read_scenario(const char *path, cp_scenario *sc, cp_error *err);
cp_code cp_read_scenario_memory(const char *buf, size_t len, const char *name,
                                cp_scenario *sc, cp_error *err);
/* Reads a solution file as a layout over this instance. */
cp_layout *cp_read_solution(const char *path, const cp_instance *inst,
                            cp_error *err);
cp_layout *cp_read_solution_memory(const char *buf, size_t len,
                                   const char *name, const cp_instance *inst,
                                   cp_error *err);

/* Writes a solution (with indicators and violations when ev != NULL).
 * Written whole to a temporary file and renamed: never a partial file. */
cp_code cp_write_solution(const char *path, const cp_instance *inst,
                          const cp_scenario *sc, const cp_layout *lay,
                          const cp_evaluation *ev, cp_error *err);

/* Writes a layout by the extension of path: .xml (the solution format),
 * .geojson, .kml, .gml (with its .xsd beside it), .csv (GIS layers of
 * centres, members, unassigned schools and member-centre lines), .svg (a
 * map), .html (a self-contained report).  ev is needed for all but .xml. */
cp_code cp_write_layout(const char *path, const cp_instance *inst, const cp_scenario *sc,
                        const cp_layout *lay, const cp_evaluation *ev, cp_error *err);
/* How the maps are drawn; zeroed = the defaults cp_write_layout uses. */
typedef struct {
    const char *basemap; /* the report's tile URL template ({z} {x} {y}); NULL = no tiles,
                            the report needs no network */
    int thumbnail;       /* .svg: a study page's small map (300 px, hulls, no legend) */
} cp_output_options;
cp_code cp_write_layout_with(const char *path, const cp_instance *inst, const cp_scenario *sc,
                             const cp_layout *lay, const cp_evaluation *ev,
                             const cp_output_options *opt, cp_error *err);
/* NULL when url is a tile URL template a browser can fill, else what is
 * wrong with it (for the --basemap error). */
const char *cp_basemap_problem(const char *url);
/* The indicators of several layouts of one instance side by side, .csv or
 * .html by extension (`compare -o`). */
cp_code cp_write_compare(const char *path, const cp_instance *inst, const cp_scenario *sc,
                         const char *const *names, const cp_layout *const *lays,
                         const cp_evaluation *const *evs, int n, cp_error *err);
/* 1 when cp_write_layout knows the extension of path ("-" = XML). */
int cp_layout_format_known(const char *path);
/* CP_EINPUT (named) when the instance cannot be written to path's format
 * at all (GeoJSON or KML of planar x/y, --output-crs without a CRS to
 * transform from): checked before a run, so nothing is solved in vain. */
cp_code cp_layout_output_fits(const char *path, const cp_instance *inst, const cp_scenario *sc,
                              cp_error *err);
/* Every file cp_write_layout writes for path, siblings included (a GML's
 * .xsd; a shapefile's .shx .dbf .prj .cpg and its -links and -clusters
 * shapefiles; a GeoJSON's -links and -clusters; a CSV's .csvt and .prj),
 * as "%s" paths into files[0..max), each of CP_PATH_MAX bytes; returns the
 * count. */
#define CP_PATH_MAX 4096
int cp_layout_output_files(const char *path, char (*files)[CP_PATH_MAX], int max);

/* Writes an instance in the native format (atomic, like every output). */
cp_code cp_write_instance(const char *path, const cp_instance *inst, cp_error *err);

/* Model checks of an instance with a scenario, beyond what the readers
 * check line by line: contradictions that make the model unusable are
 * errors; settings that leave schools unassigned are warnings.
 * Returns the number of errors (-1 when out of memory). */
int cp_validate_instance(const cp_instance *inst, const cp_scenario *sc,
                         cp_warnings *errors, cp_warnings *warn);

/* Likely coordinate errors (outliers.c has the rule): schools far from the
 * rest of their admin unit.  Flagged, never dropped; the maps leave them
 * out of their extent and list them. */
typedef struct {
    int school;
    int level;              /* admin level of the unit it was tested in (0 = all) */
    double distance;        /* to the unit's median point, instance units */
    double spread;          /* the unit's median distance to that point */
    int unit_schools;       /* located schools in the unit */
    double centre_x, centre_y; /* the unit's median point */
} cp_outlier;
typedef struct {
    cp_outlier *items;      /* in school order */
    int n, cap;
} cp_outliers;
cp_code cp_find_outliers(const cp_instance *inst, cp_outliers *out, cp_error *err);
void cp_outliers_clear(cp_outliers *o);


/* ----------------------------------------------------------- facilitators */

/* Nominees for facilitator roles and the rubric that scores them (README,
 * "Facilitator selection", defines every number exactly). */
typedef enum { CP_GENDER_UNSPECIFIED = 0, CP_GENDER_FEMALE, CP_GENDER_MALE, CP_GENDER_OTHER } cp_gender;

typedef struct {
    const char *criterion;
    double value;
    const char *rater;      /* NULL when not given */
    int line;
} cp_score;

typedef struct {
    const char *name;       /* education, experience-years, ... or free */
    const char *value;
} cp_attribute;

typedef struct {
    const char *id;
    const char *name;       /* "" when absent */
    cp_gender gender;
    const char *school;     /* school id (of an instance), or NULL */
    const char *region;     /* NULL when absent */
    int n_attributes;
    cp_attribute *attributes;
    int n_scores;
    cp_score *scores;
    int withdrawn;          /* withdrawn="true": keeps its rank, holds no role */
    int line;
} cp_candidate;

/* A rater of the scores (optional <rater> elements of the candidates file):
 * a rater who works at the nominee's school has that score excluded. */
typedef struct {
    const char *id;
    const char *name;       /* "" when absent */
    const char *school;     /* NULL when not given */
    int line;
} cp_rater;

/* <recuse rater nominee [reason]>: that rater's scores of that nominee are
 * excluded (a declared conflict of interest). */
typedef struct {
    const char *rater;
    const char *nominee;
    const char *reason;     /* NULL when not given */
    int line;
} cp_recusal;

typedef struct cp_candidate_pool cp_candidate_pool;

typedef struct {
    char *source;
    char sha256[65];        /* of the file's bytes */
    int n;
    cp_candidate *items;
    int n_raters;           /* 0: raters not declared (any rater id accepted) */
    cp_rater *raters;
    int n_recusals;
    cp_recusal *recusals;
    cp_candidate_pool *priv;
} cp_candidate_set;

typedef enum { CP_COMBINE_MEAN = 0, CP_COMBINE_MEDIAN, CP_COMBINE_TRIMMED_MEAN } cp_combine;

typedef struct {
    const char *id;
    double max;             /* a score is in 0..max */
    double weight;          /* points at full marks: contribution = weight*score/max */
    cp_combine combine;
    int trim;               /* trimmed mean: drop this many lowest and highest */
    double flag_spread;     /* flag raters further apart than this; NAN = never */
    int missing_excludes;   /* 1: no score excludes; 0: counts as 0 */
    int line;
} cp_criterion;

/* Points for an attribute: a table of values (listed low to high, which
 * is also the order `at-least` requirements use), or per unit with a cap. */
typedef struct {
    const char *attribute;
    int n_values;
    const char **values;
    double *points;
    double per_unit;        /* NAN for a table */
    double cap;             /* INFINITY = none */
    int line;
} cp_points_rule;

typedef enum {
    CP_REQ_MIN = 0,         /* attribute or criterion score >= value */
    CP_REQ_AT_LEAST,        /* attribute's level >= level (table order) */
    CP_REQ_ONE_OF,          /* attribute in a list of values */
    CP_REQ_TOTAL            /* total >= value */
} cp_requirement_kind;

typedef struct {
    cp_requirement_kind kind;
    const char *attribute;  /* NULL for criterion and total requirements */
    const char *criterion;  /* NULL unless about a criterion's combined score */
    cp_gender gender;       /* UNSPECIFIED = everyone without a gender-specific
                               requirement on the same subject */
    double min;
    const char *level;      /* CP_REQ_AT_LEAST */
    int n_values;
    const char **values;    /* CP_REQ_ONE_OF */
    int line;
} cp_requirement;

typedef struct {
    const char *name;
    double min_percentile;  /* band: min <= percentile (< max when max set) */
    double max_percentile;  /* INFINITY = none */
    int line;
} cp_role;

typedef enum {
    CP_QUOTA_WOMEN_SHARE = 0,  /* at least share of the role's seats women */
    CP_QUOTA_REGION_MIN,       /* at least count from a region */
    CP_QUOTA_REGION_MAX,       /* at most count from a region */
    CP_QUOTA_SCHOOL_MAX        /* at most count from any one school */
} cp_quota_kind;

typedef struct {
    cp_quota_kind kind;
    int role;               /* index into roles; -1 = all roles together */
    const char *role_name;  /* as written (NULL = all roles) */
    const char *region;
    double share;
    int count;
    int line;
} cp_quota;

typedef struct cp_rubric_pool cp_rubric_pool;

/* Fields a redacted public version (rank --public) leaves out: the
 * rubric's <private fields="..."> (README, "Facilitator selection"). */
enum {
    CP_PRIVATE_NAME = 1 << 0,
    CP_PRIVATE_GENDER = 1 << 1,
    CP_PRIVATE_SCHOOL = 1 << 2,
    CP_PRIVATE_REGION = 1 << 3,
    CP_PRIVATE_RATER_SCORES = 1 << 4,   /* each rater's score of each nominee */
    CP_PRIVATE_ATTRIBUTE_VALUES = 1 << 5, /* education, years ... behind points */
    CP_PRIVATE_REASONS = 1 << 6,        /* why a nominee was excluded */
    CP_PRIVATE_FLAGS = 1 << 7,          /* notes for the committee */
    CP_PRIVATE_RATERS = 1 << 8          /* rater statistics and recusals */
};
/* The names of the bits above, in bit order, NULL-terminated. */
extern const char *const cp_private_field_names[];

typedef struct {
    char *source;
    char sha256[65];
    const char *name;
    const char *decree;     /* the decree or act the selection follows; "" */
    const char *lang;       /* BCP 47 language of names and decree; "" */
    int rtl;                /* lang is written right to left */
    int decimals;           /* every figure is rounded to this (0..6, default 2) */
    unsigned private_fields; /* CP_PRIVATE_* */
    int private_line, tie_line;
    int n_criteria;
    cp_criterion *criteria;
    int n_points;
    cp_points_rule *points;
    int n_requirements;
    cp_requirement *requirements;
    int n_roles;
    cp_role *roles;
    int n_quotas;
    cp_quota *quotas;
    int n_targets;
    const char **targets;   /* targeted regions; none = every region */
    int *target_lines;      /* each target's line in the rubric */
    int n_tie_keys;
    const char **tie_keys;  /* criterion ids or attribute names, then "id" */
    cp_rubric_pool *priv;
} cp_rubric;

/* How a score counted: used, or excluded for a conflict of interest. */
typedef enum { CP_SCORE_USED = 0, CP_SCORE_SAME_SCHOOL, CP_SCORE_RECUSED } cp_score_use;

/* One candidate's line of the ranking, everything needed to recompute it.
 * Every figure is rounded to the rubric's decimals before it is used, so
 * the printed figures add up (README, "Facilitator selection"). */
typedef struct {
    double *combined;       /* per criterion: raters combined; NAN = missing */
    double *contribution;   /* per criterion: weight * combined / max        */
    double *points;         /* per points rule                               */
    unsigned char *score_use; /* per score of the candidate: cp_score_use    */
    double total;
    int rank;               /* 1 = best; 0 = excluded                        */
    double percentile;      /* 100 (ranked - rank + 1) / ranked; NAN excluded */
    int band_role;          /* role by percentile alone; -1 none             */
    int role;               /* role held after withdrawals and quotas; -1 none */
    int n_reasons;
    char **reasons;         /* every failed requirement                      */
    int n_flags;
    char **flags;           /* rater disagreement, ties left to the id       */
    int tied_by_id;         /* 1: tied with the nominee ranked just above it on
                               the total and every tie-break key: the id
                               ordered them */
} cp_ranked;

/* What a quota did to the selection: its seats, how far it was met, and what
 * it cost against the selection without it (the others kept). */
typedef struct {
    int needed, achieved;   /* at-least quotas; 0, 0 otherwise               */
    double cost;            /* holders' total without the quota minus with it:
                               > 0 the quota gave up score, < 0 it raised it */
    double *role_cost;      /* the same per role (rubric order): the totals of
                               those it displaced from the role minus those it
                               admitted to it                                */
    int *without;           /* per candidate: the role held without the quota */
    int n_displaced, n_admitted;
    int *displaced;         /* candidates holding a role without the quota   */
    int *admitted;          /* ... and holding one only because of it        */
} cp_quota_effect;

/* Inter-rater reliability of one criterion: Krippendorff's alpha with the
 * interval metric over the nominees scored by at least two raters (scores
 * excluded for a conflict of interest left out). */
typedef struct {
    int criterion;
    double alpha;           /* NAN when undefined (no pairable scores, or no variation) */
    int units;              /* nominees with >= 2 usable scores */
    int values;             /* their usable scores */
    int raters;
} cp_reliability;
/* What an alpha says, in the committee's words: "reliable (at least
 * 0.800)", "tentative (0.667 to 0.800)", "unreliable (below 0.667): the
 * committee should review", or undefined (NAN). */
const char *cp_alpha_reading(double alpha);

/* A rater's mean offset on one criterion: the mean of (own score - mean of
 * the other raters' scores of the same nominee), over nominees that another
 * rater also scored. */
typedef struct {
    const char *rater;
    int criterion;
    int scores;             /* usable scores given */
    int compared;           /* of them, with another rater on the same nominee */
    double mean_offset;     /* NAN when none compared */
    int excluded;           /* scores excluded for a conflict of interest */
} cp_rater_offset;

typedef struct {
    const cp_candidate_set *candidates;
    const cp_rubric *rubric;
    int n;                  /* candidates */
    cp_ranked *items;       /* in candidate order */
    int *order;             /* candidates by rank, then the excluded by id */
    int ranked;
    int *seats;             /* per role: seats (from the bands)              */
    int constrained;        /* roles chosen by the quota MILP                */
    cp_quota_effect *effects; /* per quota */
    int withdrawn;          /* ranked nominees who withdrew                  */
    int *n_reserve;         /* per role: length of its reserve list          */
    int **reserve;          /* per role: candidates next in line, rank order */
    int n_reliability;
    cp_reliability *reliability;  /* per criterion scored by several raters */
    int n_offsets;
    cp_rater_offset *offsets;     /* per rater and criterion */
} cp_ranking;

cp_candidate_set *cp_read_candidates(const char *path, cp_error *err);
cp_candidate_set *cp_read_candidates_memory(const char *buf, size_t len, const char *name,
                                            cp_error *err);
void cp_candidate_set_free(cp_candidate_set *set);
cp_rubric *cp_read_rubric(const char *path, cp_error *err);
cp_rubric *cp_read_rubric_memory(const char *buf, size_t len, const char *name,
                                 cp_error *err);
void cp_rubric_free(cp_rubric *rub);
const char *cp_gender_name(cp_gender g);

/* Scores, ranks, bands and (with quotas) the constrained selection. */
cp_ranking *cp_rank(const cp_candidate_set *set, const cp_rubric *rub, cp_error *err);
void cp_ranking_free(cp_ranking *r);

/* Writes the ranking: .xml, .csv or .html by extension (atomic). */
cp_code cp_write_ranking(const char *path, const cp_ranking *r, cp_error *err);
/* Writes every path or none (all are written to temporary files first);
 * `public_version` leaves out the fields the rubric marks private. */
cp_code cp_write_rankings(const char *const *paths, int n, const cp_ranking *r,
                          int public_version, cp_error *err);

/* ------------------------------------------------------------ publication */

/* What a ranking publishes, as records (publish.c): the XML's elements with
 * their attributes in document order, or the CSV's rows with their cells by
 * column.  The writers print them, the readers read them back, `--verify`
 * compares a file's records with the recomputation's field by field, and
 * `--diff` explains the changes between two.  Children follow their parent. */
typedef struct {
    const char *name, *value;
} cp_pub_field;

typedef struct {
    const char *element;    /* XML element; "row", "header" or "footer" in a CSV */
    int parent;             /* record index, -1 for the root */
    int first_field, n_fields; /* into the publication's fields */
    const char *text;       /* an element's text (reason, flag), or NULL */
    int line;               /* in the file read; 0 when built */
} cp_pub_record;

typedef struct cp_pub_pool cp_pub_pool;

typedef struct {
    char *source;
    int csv;                /* rows of a CSV, not an XML tree */
    int n, cap;
    cp_pub_record *items;
    int n_fields, fields_cap;
    cp_pub_field *fields;
    int failed;             /* an allocation failed while building */
    cp_pub_pool *priv;
} cp_publication;

/* Whether some nominee of the set is from this region (as written). */
int cp_some_region(const cp_candidate_set *set, const char *region);
/* The XML tree of a ranking, with its list-sha256 and public-sha256;
 * `public_version` drops the fields the rubric marks private. */
cp_publication *cp_ranking_publish(const cp_ranking *r, int public_version, cp_error *err);
/* The CSV rows of a published tree: a header, one row per nominee, a footer
 * with the digests; text cells neutralised as OWASP advises. */
cp_publication *cp_publication_rows(const cp_publication *tree, cp_error *err);
void cp_publication_free(cp_publication *p);
/* A field of a record, or NULL. */
const char *cp_pub_get(const cp_publication *p, int record, const char *name);
/* The SHA-256 of the canonical content: every record (depth, element,
 * fields sorted by name, text), leaving out the file paths, the program
 * version and the digests themselves; attribute order, quoting, entities
 * and white space do not change it. */
cp_code cp_publication_digest(const cp_publication *p, char hex[65], cp_error *err);
/* An XML ranking's own list-sha256 (public-sha256 for a public version)
 * against its content: CP_EINPUT, naming both, when it was edited after it
 * was published; CP_OK for a CSV (its digests are the XML tree's) or a file
 * that states none. */
cp_code cp_publication_check_own_digest(const cp_publication *p, cp_error *err);
/* The digest a ranking names itself by: "public-sha256" in a public
 * version, else "list-sha256". */
const char *cp_publication_own_digest_name(const cp_publication *p);
/* A published ranking file (XML or CSV, by its content) as records. */
cp_publication *cp_read_publication(const char *path, cp_error *err);
cp_publication *cp_read_publication_memory(const char *buf, size_t len, const char *name,
                                           cp_error *err);
/* Field by field: one line per difference, naming the record and field
 * ("candidate Y05: name: published \"X\", recomputed \"Y\"").  Returns the
 * number of differences, -1 when out of memory. */
int cp_publication_compare(const cp_publication *published, const cp_publication *recomputed,
                           cp_warnings *diff);
/* Two published rankings (XML): who moved and why, one line per nominee
 * (and per changed file digest or quota).  Returns the number of lines,
 * -1 when out of memory. */
int cp_publication_diff(const cp_publication *before, const cp_publication *after,
                        cp_warnings *lines);

/* A published ranking as read back: enough to verify it and to assign. */
typedef struct {
    const char *id;
    const char *name;       /* "" when absent */
    const char *school;
    const char *region;
    cp_gender gender;
    double total;
    int rank;
    const char *role;       /* NULL = none */
    int excluded;
    int withdrawn;
    int line;
} cp_published_entry;

typedef struct {
    char *source;
    char candidates_sha256[65], rubric_sha256[65];
    int n;
    cp_published_entry *items;
    int n_roles;
    const char **roles;     /* the ranking's roles, in precedence order */
    cp_publication *records;
} cp_published_ranking;

cp_published_ranking *cp_read_ranking(const char *path, cp_error *err);
cp_published_ranking *cp_read_ranking_memory(const char *buf, size_t len, const char *name,
                                             cp_error *err);
void cp_published_ranking_free(cp_published_ranking *p);
/* Compares a published ranking file (XML or CSV, full or public) with the
 * recomputation, field by field; appends one line per difference to
 * `diff`.  Returns the number of differences (-1 on memory). */
int cp_ranking_verify(const cp_publication *pub, const cp_ranking *r, cp_warnings *diff);
/* The role index of a published ranking's role name, or -1. */
int cp_published_role(const cp_published_ranking *p, const char *name);

/* Facilitators to clusters (assign.c).  Each cluster gets at most one
 * facilitator, each facilitator at most `per_facilitator` clusters, both in
 * the same admin unit at the scenario's level.  Lexicographic objective:
 * most clusters covered, then most facilitators working in their own
 * cluster, then least total travel (facilitator's school to the centre). */
typedef struct {
    const char *const *roles; /* roles that facilitate; NULL = every role   */
    int n_roles;
    int per_facilitator;      /* clusters per facilitator (>= 1)            */
    int inside_first;         /* prefer facilitators from inside the cluster */
    const char *except_role;  /* with roles NULL: every role but this one   */
    /* what the shortfalls call the people and the groups they serve:
     * NULL for "facilitator" and "cluster" (supervisors of zones: "supervisor",
     * "zone") */
    const char *person_noun, *group_noun;
} cp_assign_options;

typedef struct {
    int n_clusters;
    int *facilitator;       /* per cluster: index into the ranking, or -1   */
    double *travel;         /* per cluster: km (units); NAN when none       */
    int *inside;            /* per cluster: facilitator's school is a member */
    int facilitators;       /* available */
    int covered, inside_count;
    double total_travel;
    int elsewhere;          /* role holders whose school is not in the instance */
    int *elsewhere_entry;   /* their indices into the ranking, in its order */
    int optimal;            /* proven optimal over every admissible pair    */
    cp_warnings shortfalls; /* "admin unit X: 12 clusters, 4 facilitators x 1
                               = 4 places: lacks 8 facilitators"            */
} cp_assignment;

cp_assignment *cp_assign(const cp_instance *inst, const cp_scenario *sc,
                         const cp_layout *lay, const cp_published_ranking *pub,
                         const cp_assign_options *opt, cp_distance_ctx *dist,
                         cp_error *err);
void cp_assignment_free(cp_assignment *a);
/* Writes .xml, .csv or .html by extension; `sup` (supervisors, e.g.
 * master trainers over groups of clusters) may be NULL. */
cp_code cp_write_assignment(const char *path, const cp_instance *inst, const cp_layout *lay,
                            const cp_published_ranking *pub, const cp_assignment *fac,
                            const cp_assignment *sup, cp_error *err);
/* The same to every path, all or nothing. */
cp_code cp_write_assignments(const char *const *paths, int n, const cp_instance *inst,
                             const cp_layout *lay, const cp_published_ranking *pub,
                             const cp_assignment *fac, const cp_assignment *sup, cp_error *err);


/* ------------------------------------------------------------------ batch */

/* A scenario study (README, "Scenario studies"): instances x scenarios,
 * optionally each instance's existing layout evaluated under every
 * scenario, the output formats of every run, and solver settings. */
typedef struct {
    char *id;
    char *path;              /* resolved against the study file's folder */
    int n_fields;
    char **fields;           /* "FIELD=COLUMN" */
    int n_where;
    char **where;            /* "FIELD=VALUE": <where field value> inside <instance> */
    int existing;            /* also evaluate the instance's own layout */
    int existing_scope;
    int line;
    char *roads;             /* <roads path layer> inside <instance>: every run of */
    char *roads_layer;       /* the instance by road (NULL = the scenario's)      */
} cp_study_instance;

typedef struct {
    char *id;
    char *path;              /* NULL = SPEC's defaults */
    char *overrides;         /* "size-min=4 distance-max=5 ..." as written */
    int size_min, size_max, admin_level, cluster_count; /* -1 = not overridden */
    double distance_max, min_quality;                   /* NAN = not overridden */
    char *group_min;         /* "math=4 grade1=3", or NULL: group mins overridden */
    int max_upgrades;        /* -1 = not overridden */
    double upgrade_budget;   /* NAN = not overridden */
    int zone_min, zone_max;  /* -1 = not overridden */
    double zone_distance;    /* NAN = not overridden */
    int line;
} cp_study_scenario;

typedef struct {
    char *source;
    char *name;
    int n_instances;
    cp_study_instance *instances;
    int n_scenarios;
    cp_study_scenario *scenarios;
    int n_formats;
    char **formats;          /* output extensions without the dot: xml html ... */
    int method;              /* -1 = the scenario's */
    double time_limit;       /* -1 = the scenario's */
    long long seed;          /* -1 = the scenario's */
} cp_study;

cp_study *cp_read_study(const char *path, cp_error *err);
cp_study *cp_read_study_memory(const char *buf, size_t len, const char *name, cp_error *err);
void cp_study_free(cp_study *st);

#ifdef __cplusplus
}
#endif
#endif
