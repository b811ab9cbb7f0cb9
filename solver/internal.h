/*
 * internal.h — helpers shared by solver/ and io/, not part of the public API:
 * error and warning formatting, a string pool with interning, an id index,
 * and growable arrays.
 */
#ifndef CP_INTERNAL_H
#define CP_INTERNAL_H

#include "clusterplan.h"

#include <stdarg.h>

#if defined(__GNUC__)
#define CP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CP_PRINTF(a, b)
#endif

/* Sets err (when not NULL) and returns code, so callers can `return cp_fail(...)`. */
cp_code cp_fail(cp_error *err, cp_code code, const char *fmt, ...) CP_PRINTF(3, 4);
cp_code cp_fail_nomem(cp_error *err);
/* The input-error form every reader uses:
 * "FILE:LINE: <ELEMENT> ATTR=\"VALUE\": why" (attr may be NULL). */
cp_code cp_fail_at(cp_error *err, const char *file, int line, const char *element,
                   const char *attr, const char *value, const char *fmt, ...) CP_PRINTF(7, 8);
/* Appends a formatted line; returns CP_ERESOURCE if it could not be stored. */
cp_code cp_warn(cp_warnings *w, const char *fmt, ...) CP_PRINTF(2, 3);

/* Monotonic wall clock in seconds, for time limits. */
double cp_now_seconds(void);
/* A task's share of `left` seconds (0 = no limit): in proportion to its n
 * schools among the `waiting` not yet started (its own included), over
 * `threads` tasks side by side, never more than `left`.  A task that stops
 * early leaves its time to the later ones. */
double cp_time_share(double left, long n, long waiting, int threads);
/* Grows a byte buffer to hold at least `need` bytes (doubling). */
cp_code cp_reserve(char **buf, size_t *capacity, size_t need);
/* Grows *items (element size `size`) to hold at least `need` elements. */
cp_code cp_grow(void **items, int *capacity, int need, size_t size);

/* ------------------------------------------------------------ string pool */

/* Strings stored in fixed blocks that never move, so pointers stay valid. */
typedef struct cp_pool_block cp_pool_block;
typedef struct {
    cp_pool_block *head;
} cp_pool;

const char *cp_pool_add(cp_pool *pool, const char *s, size_t len);
void cp_pool_clear(cp_pool *pool);

/* Open-addressing hash from strings to dense ints 0..count-1.  Keys are
 * copied into the pool; lookups visit at most one probe run. */
typedef struct {
    cp_pool *pool;
    const char **keys;   /* by id */
    int *slots;          /* -1 empty, else id */
    uint32_t *slot_hash; /* hash of the key in each slot: most misses skip the key */
    int n_slots;         /* power of two */
    int count;
    int keys_cap;
} cp_intern;

void cp_intern_init(cp_intern *t, cp_pool *pool);
void cp_intern_clear(cp_intern *t);
/* Returns the id of key (adding it when absent), or -1 on allocation failure. */
int cp_intern_add(cp_intern *t, const char *key, size_t len);
/* Returns the id, or -1 when absent. */
int cp_intern_find(const cp_intern *t, const char *key, size_t len);
uint64_t cp_hash_bytes(const void *p, size_t len);
/* qsort comparator of ints, ascending. */
int cp_cmp_int(const void *a, const void *b);

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

/* ---------------------------------------------------------------- layouts */

/* Members of every cluster, CSR: cluster c's schools, ascending, are
 * (*members)[(*start)[c] .. (*start)[c + 1]).  Caller frees both. */
cp_code cp_layout_members(const cp_layout *lay, int **start, int **members);

/* ------------------------------------------------------------ model rules */

/* A school's distance limit: its own max-distance, else the scenario's. */
double cp_school_limit(const cp_school *s, const cp_scenario *sc);
/* Eligible centre per SPEC: host, not forbidden, quality >= threshold (an
 * unknown quality fails any threshold that is set). */
int cp_centre_eligible(const cp_school *s, const cp_scenario *sc);

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
    unsigned char *eligible; /* per school */
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

/* Network only: calls visit(v, d, arg) for every vertex within `radius` of
 * `source` (d <= radius), in order of distance. */
void cp_distance_within(cp_distance_ctx *ctx, int source, double radius,
                        void (*visit)(int v, double d, void *arg), void *arg);

/* ------------------------------------------------------------------ MILP */

/* One independent part of the model, solved exactly (milp.c). */
typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    const cp_candidates *cand;
    const int *schools;      /* global indices, ascending */
    int n;
    const int *local_of;     /* global -> index in its part (parts are disjoint) */
    int cluster_count;       /* exactly this many clusters in this part; 0 = free */
    double time_limit;       /* seconds; <= 0 = none */
    long event_limit;        /* > 0: the search stops, unproven, after this many
                                nodes and cut rounds (a limit that, unlike the
                                time limit, does not depend on the machine) */
    double gap;
    int verbose;
    const char *export_lp;   /* only write the phase 2 model with sum x >= export_assigned
                                here (CPLEX LP format), do not solve */
    int export_assigned;
    volatile int *interrupt; /* set asynchronously: stop and keep the best */
    const int *incumbent;    /* per local school: a known layout's centre or -1
                                (offered to the search as its first solution) */
    int is_region;           /* heuristic: a region of a part, whose bound would
                                bound nothing: none is computed */
    int threads;             /* heuristic: threads its bound may use (0 = 1) */
    const unsigned char *examine; /* heuristic: per school, whether the first descent
                                     starts from it; NULL = every school */
} cp_milp_input;

typedef struct {
    cp_status status;        /* optimal, time-limit, infeasible, interrupted */
    int *centre_of;          /* per local school: global centre or -1 (caller frees) */
    int assigned;            /* phase 1 optimum (or best found) */
    int assigned_proven;     /* phase 1 closed: no solution assigns more */
    double cost;             /* phase 2 objective of the incumbent */
    double bound;            /* proven lower bound on cost given `assigned`; NAN if none */
    int has_solution;
    double seconds;
} cp_milp_result;

cp_code cp_milp_solve(const cp_milp_input *in, cp_milp_result *out, cp_error *err);
/* Size-minimum cuts for the MILP (milp_cuts.c): columns 1..n_cols, each
 * with its member and centre as part-local indices, self_col[k] the column
 * of x_kk (0 if none), sets of up to max_set schools.  separate() reads the LP values x[1..n_cols] and
 * calls emit() for each violated cut  sum vals*x <= rhs  (at most
 * max_cuts); returns how many. */
typedef struct cp_size_cuts cp_size_cuts;
cp_size_cuts *cp_size_cuts_new(int n, long n_cols, const int *member, const int *centre,
                               const int *self_col, int size_min, int max_set);
int cp_size_cuts_separate(cp_size_cuts *s, const double *x, int max_cuts, int threads,
                          void (*emit)(const int *cols, const double *vals, int len, double rhs,
                                       void *arg),
                          void *arg);
/* The same cuts as their sets T (sorted, part-local schools) and rhs. */
int cp_size_cuts_separate_sets(cp_size_cuts *s, const double *x, int max_cuts, int threads,
                               void (*emit)(const int *set, int size, double rhs, void *arg),
                               void *arg);
/* Cuts violated by less than v are not emitted (default 0.02). */
void cp_size_cuts_set_min_violation(cp_size_cuts *s, double v);
void cp_size_cuts_free(cp_size_cuts *s);
/* Cost term of assigning member i to centre j (weight times distance, plus
 * the cluster terms when i == j). */
double cp_pair_cost(const cp_instance *inst, const cp_scenario *sc, int i, int j, double d);

/* Heuristic tier for one part (heuristic.c): construction, local search,
 * iterated local search for `steps` steps (0 = the default budget times
 * the scenario's effort) and a
 * Lagrangian bound.  Pairs belong to the part when both schools have
 * group[] == group_id.  in->incumbent, when set, is the starting layout. */
cp_code cp_heur_solve(const cp_milp_input *in, const int *group, int group_id, long steps,
                      cp_milp_result *out, cp_error *err);
/* The share of the default ILS budget a scenario's search takes: less
 * because most steps rebuild several clusters (heur_search.c), and less
 * again where rings (heur_cyclic.c) make each step's descent stronger. */
double cp_heur_step_share(const cp_scenario *sc);
/* steps: a descent from the incumbent (or construction), no ILS step. */
#define CP_HEUR_DESCENT_ONLY (-1L)

/* The heuristic on a part of at least cp_region_from schools, on `threads`
 * threads (heur_regions.c): regions solved side by side, a second pass on
 * shifted regions, a descent over the whole part.  Smaller parts, parts
 * with a fixed count or without coordinates go to cp_heur_solve. */
cp_code cp_heur_solve_regions(const cp_milp_input *in, const int *group, int group_id,
                              int threads, cp_milp_result *out, cp_error *err);
extern int cp_region_from, cp_region_schools;
/* Parts of at least this many schools hand their loops to the team (solve.c). */
extern int cp_team_loops_from;

/* ---------------------------------------------------------------- parallel */

/* Runs task(k, arg) for k = 0..count-1 on `threads` threads (0 = all
 * cores), dynamically scheduled in index order; the serial twin runs them in
 * order.  Tasks must write only their own slot of any shared result array. */
void cp_parallel_for(int count, int threads, void (*task)(int k, void *arg), void *arg);
/* Runs main(arg) beside task(k, arg) for k = 0..count-1 on one team of
 * `threads` threads: the tasks go to whichever thread is free, and a
 * cp_parallel_for inside main or a task hands its iterations to the team
 * too, so a thread that runs out of tasks helps main's loops instead of
 * waiting.  The serial twin runs main, then the tasks in order. */
void cp_parallel_beside(int threads, void (*main)(void *arg), int count,
                        void (*task)(int k, void *arg), void *arg);
/* Threads actually used for `threads` (0 = all cores). */
int cp_parallel_threads(int threads);
/* Slice k of `chunks` equal slices of 0..count-1, [*lo, *hi): a fixed cut
 * of the work, the same whatever the thread count. */
void cp_chunk_range(long count, int k, int chunks, long *lo, long *hi);

/* --------------------------------------------------------------- numbers */

/* Parses a whole string as a finite double; returns 0 on success. */
int cp_parse_double(const char *s, double *out);
int cp_parse_int(const char *s, long lo, long hi, long *out);
int cp_parse_bool(const char *s, int *out);
/* Formats a double with the fewest digits that read back exactly. */
void cp_format_double(char *buf, size_t n, double v);

/* The `cap` nearest of a stream of (distance, index), ties by index, kept
 * in a max-heap (root = the farthest kept): O(log cap) per offer. */
typedef struct {
    double d;
    int index;
} cp_nearest;

void cp_nearest_offer(cp_nearest *heap, int *n, int cap, cp_nearest e);
/* qsort comparator: nearest first, ties by index. */
int cp_nearest_cmp(const void *a, const void *b);
/* The same order, sorted in place in O(n log n) without comparator calls. */
void cp_nearest_sort(cp_nearest *a, long n);

/* Median of sorted values (mean of the two middle ones); 0 when empty. */
double cp_sorted_median(const double *v, int n);
/* Nearest-rank percentile p in (0,100] of sorted values; 0 when empty. */
double cp_sorted_percentile(const double *v, int n, double p);

/* ----------------------------------------------------------- facilitators */

struct cp_candidate_pool {
    cp_pool pool;
    cp_intern ids;          /* candidate id -> index */
    int cap;
};

struct cp_rubric_pool {
    cp_pool pool;
    int caps[6];            /* criteria, points, requirements, roles, quotas, targets */
};

/* Value of a candidate's attribute by name, or NULL. */
const char *cp_candidate_attribute(const cp_candidate *c, const char *name);
cp_gender cp_gender_parse(const char *s); /* -1 when not a gender name */
/* Chooses role holders under the rubric's quotas (select.c); fills each
 * item's role and the ranking's effects. */
cp_code cp_select_with_quotas(cp_ranking *r, cp_error *err);
/* Facilitators per cluster in assign.c's first sparse round (32); tests
 * lower it to exercise the optimality proof and the doubling. */
extern int cp_assign_first_neighbours;

/* ------------------------------------------------------------------ batch */

/* One run's line of a study's comparison (batch.c fills it, io writes and
 * reads it as OUT/runs/RUN/summary.txt, key=value per line). */
#define CP_SUMMARY_VALUES 20
extern const char *const cp_summary_names[CP_SUMMARY_VALUES];

typedef enum { CP_SUMMARY_OK = 0, CP_SUMMARY_FAILED, CP_SUMMARY_MISSING } cp_summary_state;

typedef struct {
    char run[300], instance[128], scenario[128], kind[16], status[32], method[16];
    char overrides[512], error[800];
    double v[CP_SUMMARY_VALUES];   /* NAN when unknown */
    cp_summary_state state;
    int has_report;                /* runs/RUN/solution.html exists */
} cp_run_summary;

void cp_summary_fill(cp_run_summary *s, const cp_layout *lay, const cp_evaluation *ev);
cp_code cp_write_summary(const char *path, const cp_run_summary *s, cp_error *err);
int cp_read_summary(const char *path, cp_run_summary *s); /* 0 when read */
cp_code cp_write_text(const char *path, const char *text, cp_error *err);
/* One comparison table, .csv or .html by extension. */
cp_code cp_write_comparison_file(const char *path, const char *title, const cp_run_summary *rows,
                                 int n, cp_error *err);
/* OUT/comparison.csv and OUT/comparison.html. */
cp_code cp_write_comparison(const char *dir, const char *study, const cp_run_summary *rows,
                            int n, cp_error *err);

/* ---------------------------------------------------------------- SHA-256 */

typedef struct {
    uint32_t h[8];
    uint64_t length;
    unsigned char block[64];
    size_t used;
} cp_sha256;

void cp_sha256_init(cp_sha256 *ctx);
void cp_sha256_update(cp_sha256 *ctx, const void *data, size_t len);
void cp_sha256_final(cp_sha256 *ctx, char hex[65]); /* 64 hex digits + NUL */
cp_code cp_sha256_file(const char *path, char hex[65], cp_error *err);
/* The digest of a buffer, or of the file at path when buf is NULL (the
 * two ways every reader is called). */
cp_code cp_sha256_source(const char *buf, size_t len, const char *path, char hex[65],
                         cp_error *err);

/* ------------------------------------------------------- generic small MIP */

/* A thin wall around GLPK (milp.c) for the facilitator models: columns,
 * rows, an objective, one solve.  Columns and rows are 0-based here. */
typedef struct cp_mip cp_mip;

typedef enum { CP_MIP_OPTIMAL = 0, CP_MIP_FEASIBLE, CP_MIP_INFEASIBLE, CP_MIP_NONE } cp_mip_status;

cp_mip *cp_mip_new(void);
void cp_mip_free(cp_mip *m);
/* Adds a column (integer when `integer`), bounds lo..hi (HUGE_VAL = none);
 * returns its index or -1 on failure. */
int cp_mip_add_col(cp_mip *m, int integer, double lo, double hi);
/* Adds lo <= sum vals[k] x[cols[k]] <= hi (+-HUGE_VAL = open); -1 on failure. */
int cp_mip_add_row(cp_mip *m, int count, const int *cols, const double *vals,
                   double lo, double hi);
/* Objective coefficients (all columns) and direction; replaces the last. */
cp_code cp_mip_set_objective(cp_mip *m, const double *coef, int maximise);
cp_mip_status cp_mip_solve(cp_mip *m, double seconds, cp_error *err);
double cp_mip_value(const cp_mip *m, int col);
double cp_mip_objective(const cp_mip *m);

#endif
