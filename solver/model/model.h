/*
 * model.h — the model room: building instances, layouts, the model's rules
 * (limits, eligibility), admissible pairs and the cost of a pair.  Every
 * solver room (exact, search, bound, facilitators, solve) stands on it.
 */
#ifndef CP_MODEL_H
#define CP_MODEL_H

#include "solver/base/base.h"

/* ------------------------------------------------------- instance building */

struct cp_instance_private {
    cp_pool pool;
    cp_intern ids;        /* school id -> index (ids are added in order)   */
    cp_intern admin;      /* admin path -> id                               */
    int last_admin[CP_ADMIN_LEVELS]; /* previous school's path ids: files come
                                        sorted by region, so most repeat     */
    int schools_cap, roads_cap, od_cap;
};

/* Appends a default school with the given id; returns its index, -2 if the
 * id exists already, -1 on allocation failure. */
int cp_instance_add_school(cp_instance *inst, const char *id);
const char *cp_instance_str(cp_instance *inst, const char *s);
/* Sets the admin path of school i from leaf names (NULL = absent). */
cp_code cp_instance_set_admin(cp_instance *inst, int i, const char *const names[CP_ADMIN_LEVELS]);
cp_code cp_instance_add_link(cp_instance *inst, int is_road, int from, int to,
                             double length, int line);

/* One more than the largest admin id at `level` (1 for level 0, where the
 * whole instance is one unit): the size of an array indexed by unit. */
int cp_admin_id_bound(const cp_instance *inst, int level);

/* ---------------------------------------------------------------- layouts */

/* Sets school i's unassigned reason (formatted, at most 400 bytes);
 * CP_OK or CP_ERESOURCE. */
cp_code cp_layout_set_reason(cp_layout *lay, int i, const char *fmt, ...) CP_PRINTF(3, 4);

/* Members of every cluster, CSR: cluster c's schools, ascending, are
 * (*members)[(*start)[c] .. (*start)[c + 1]).  Caller frees both. */
cp_code cp_layout_members(const cp_layout *lay, int **start, int **members);

/* ------------------------------------------------------------ model rules */

/* A school's limit in the metric in force: its own max-distance, else the
 * scenario's; in time mode (roads with a travel mode) the scenario's
 * time-max, in minutes, for every school. */
double cp_school_limit(const cp_school *s, const cp_scenario *sc);
/* In time mode, the cap on the road km of a school's route: its own
 * max-distance, else the scenario's <distance max>; INFINITY otherwise
 * (the limit above is km already). */
double cp_school_km_limit(const cp_school *s, const cp_scenario *sc);
/* The scenario measures time (a travel mode), not km. */
int cp_scenario_timed(const cp_scenario *sc);
/* CP_EINPUT when the scenario's metric needs roads the instance lacks, or
 * the network was built for another travel mode. */
cp_code cp_roads_match(const cp_instance *inst, const cp_scenario *sc, cp_error *err);
/* Eligible centre per SPEC: host, not forbidden, quality >= threshold (an
 * unknown quality fails any threshold above 0; a threshold of 0 asks
 * nothing). */
int cp_centre_eligible(const cp_school *s, const cp_scenario *sc);

/* The straight line between schools a and b (km for haversine, the
 * instance's units for euclidean), also when the instance's distances are
 * by road; NAN for a network or matrix instance (distance.c).  Zones are
 * measured by it: their centres are points, not places on a road. */
double cp_straight_distance(const cp_instance *in, int a, int b);

/* ------------------------------------------- issue 24's rules (groups.c) */

/* The scenario's study groups bound to the instance's teachers-<group>
 * columns: col[k] is the instance group of scenario group k. */
typedef struct {
    int n;
    int col[CP_MAX_GROUPS];
    double min[CP_MAX_GROUPS];
    int soft;
} cp_groups;

/* CP_OK, or CP_EINPUT naming a scenario group no school of the instance
 * carries (and the --field that would map it). */
cp_code cp_groups_bind(const cp_instance *inst, const cp_scenario *sc, cp_groups *g,
                       cp_error *err);
/* School i's teachers of bound group k (an absent value counts 0). */
double cp_group_teachers(const cp_instance *inst, const cp_groups *g, int i, int k);
/* The rules against the instance, before any solving: every scenario group
 * carried by some school (cp_groups_bind's error), zones on coordinates (not
 * a network or matrix instance) and inside admin levels the instance has.
 * CP_OK or CP_EINPUT naming the setting. */
cp_code cp_rules_check_instance(const cp_instance *inst, const cp_scenario *sc, cp_error *err);
/* The checks of <groups>, <invest> and <zones> (cp_scenario_check calls it). */
cp_code cp_scenario_check_rules(const cp_scenario *sc, const char *where, cp_error *err);
/* With <invest>: a school that is not an eligible centre but may be made one
 * (a host below the quality rule, or one with upgrade-cost; under a budget,
 * only with a cost within it; never centre="forbidden"). */
int cp_centre_upgradable(const cp_school *s, const cp_scenario *sc);
/* What upgrading s spends of the budget: its upgrade-cost (0 when none). */
double cp_upgrade_spend(const cp_school *s);
/* 1 when a and b are the same to every rule of issue 24 (group teachers,
 * upgrade cost): with the older fields, the MILP's test of interchangeable
 * schools. */
int cp_schools_same_rules(const cp_school *a, const cp_school *b);

/* The evaluator's violations: appends one (cap: the array's capacity). */
cp_code cp_evaluation_add(cp_evaluation *ev, int *cap, cp_violation_kind kind, int cluster,
                          int school, double value, double limit, int group, int zone,
                          cp_error *err);
/* The evaluator's part for study groups, upgrades and zones
 * (evaluate_rules.c), after every cluster is evaluated; members of cluster
 * c are members[start[c]..start[c+1]). */
cp_code cp_evaluate_rules(const cp_instance *inst, const cp_scenario *sc, const cp_layout *lay,
                          cp_evaluation *ev, const int *start,
                          const int *members, int *cap, cp_error *err);

/* ------------------------------------------------------------- candidates */

/* Admissible (member, centre) pairs: the centre is eligible, the member is
 * within its limit of it, both share admin units down to the scenario's
 * level, and their teachers fit the capacity together.  CSR by member, each
 * member's centres sorted by distance (ties by index); a member that is an
 * eligible centre has its own pair at distance 0. */
typedef struct {
    int n;
    int *start;      /* n + 1 */
    int *centre;     /* n_pairs */
    double *dist;    /* n_pairs */
    long n_pairs;
    unsigned char *eligible; /* per school: may be a centre (eligible, or
                                upgradable under <invest>) */
    unsigned char *upgradable; /* per school: a centre only by an upgrade;
                                  NULL without <invest> */
    int capped;      /* > 0: each member kept only this many nearest centres
                        (a restriction of the model: no bound, no optimality) */
} cp_candidates;

cp_candidates *cp_candidates_build(const cp_instance *inst, const cp_scenario *sc,
                                   cp_distance_ctx *dist, cp_error *err);
/* The national-scale restriction (candidates.c): heuristic runs on at
 * least cp_candidates_nearest_from schools keep each school's
 * cp_candidates_nearest nearest centres.  Tests lower both. */
extern int cp_candidates_nearest, cp_candidates_nearest_from;
void cp_candidates_free(cp_candidates *cand);
/* Every school within each member's limit (members[i] != 0), ignoring the
 * admin rule, eligibility and capacity; the member itself included.  For
 * the reasons of unplaced schools (a member without a limit: see
 * candidates.c). */
cp_candidates *cp_neighbours_build(const cp_instance *inst, const cp_scenario *sc,
                                   cp_distance_ctx *dist, const unsigned char *members,
                                   cp_error *err);

/* Distances and their road km (equal to the distances without roads; in
 * time mode the km of the fastest route): what evaluation needs. */
cp_code cp_distance_to_centre_km(cp_distance_ctx *ctx, int centre, const int *members, int count,
                                 double *out, double *km);
/* The context's road search scratch (NULL without roads). */
struct cp_road_search *cp_distance_road_search(cp_distance_ctx *ctx);

/* The generators' random numbers (splitmix64): the same on every machine. */
uint64_t cp_splitmix64(uint64_t *state);

/* Network only: calls visit(v, d, arg) for every vertex within `radius` of
 * `source` (d <= radius), in order of distance. */
void cp_distance_within(cp_distance_ctx *ctx, int source, double radius,
                        void (*visit)(int v, double d, void *arg), void *arg);

/* Cost term of assigning member i to centre j (weight times distance, plus
 * the cluster terms when i == j). */
double cp_pair_cost(const cp_instance *inst, const cp_scenario *sc, int i, int j, double d);
/* School i's coefficient of distance in the objective: its weight times
 * cp_objective_travel_factor. */
double cp_objective_weight(const cp_instance *inst, const cp_scenario *sc, int i);

#endif
