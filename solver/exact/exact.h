/*
 * exact.h — the exact room: one part of the cluster model as a GLPK MILP
 * (milp.c), its size-minimum cuts (milp_cuts.c, no GLPK), and a thin wall
 * around GLPK for the small selection models (mip.c).  Only this room
 * includes glpk.h.
 */
#ifndef CP_EXACT_H
#define CP_EXACT_H

#include "solver/model/model.h"

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
    long iteration_limit;    /* > 0: likewise after this many simplex iterations
                                (each costs about 0.2-0.45 us per column) */
    double gap;
    int verbose;
    const char *export_lp;   /* only write the phase 2 model with sum x >= export_assigned
                                here (CPLEX LP format), do not solve */
    int export_assigned;
    volatile int *interrupt; /* set asynchronously: stop and keep the best */
    const int *incumbent;    /* per local school: a known layout's centre or -1
                                (offered to the search as its first solution) */
    /* regions.c: called with the schools of each region solved and the
     * phase (NULL = none) */
    void (*tick)(long schools, const char *phase, void *arg);
    void *tick_arg;
    int is_region;           /* heuristic: a region of a part, whose bound would
                                bound nothing: none is computed */
    int threads;             /* heuristic: threads its bound may use (0 = 1) */
    int window_threads;      /* heuristic: threads its repair windows may use side by
                                side (0 = 1); the same layout for any count */
    const unsigned char *examine; /* heuristic: per school, whether the first descent
                                     starts from it; NULL = every school */
    const unsigned char *keep_col; /* MILP: per pair of the part, in column order (each
                                      school's pairs in turn), whether it is a column;
                                      NULL = every pair.  Only pairs proven in no layout
                                      cheaper than the incumbent may be left out, and the
                                      incumbent must place every school (its pairs kept) */
    int want_keep;           /* heuristic: fix pairs by the bound (out->keep) */
    /* upgrades (<invest>): with upgrade_limited, this part may upgrade at
     * most upgrade_count_max centres (-1 = no cap) costing at most
     * upgrade_budget_max (INFINITY = none), its share of the scenario's
     * (solve/invest.c); without, the scenario's cap and budget */
    int upgrade_limited;
    int upgrade_count_max;
    double upgrade_budget_max;
    int skip_bound;          /* heuristic: no bound (a layout whose status the sharing of
                                upgrades decides, solve/invest.c) */

    uint64_t seed_offset;    /* heuristic: added to the scenario's seed (anytime restarts) */
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
    unsigned char *keep;     /* heuristic with want_keep: the pairs a cheaper layout
                                may use, in column order (caller frees); NULL = none */
    long kept;               /* how many */
} cp_milp_result;

cp_code cp_milp_solve(const cp_milp_input *in, cp_milp_result *out, cp_error *err);

/* ------------------------------------------- clusters as columns (colgen.c) */

/* One part as clusters: every school placed, each cluster a centre and
 * size_min - 1 .. size_max - 1 of its admissible members.  Part-local
 * indices throughout; every cost at least 0. */
typedef struct {
    int n;
    int size_min, size_max;
    int count;                      /* exactly this many clusters; 0 = free */
    double capacity;                /* teachers per cluster; INFINITY = none */
    const double *teachers;         /* per school */
    const double *open_cost;        /* per school: what heading a cluster costs */
    const unsigned char *eligible;  /* per school: may head a cluster */
    const unsigned char *required;  /* per school: must head one (NULL = none) */
    const int *mstart, *member;     /* centre j's admissible members: member[mstart[j] ..
                                       mstart[j+1]), j itself left out */
    const double *mcost;            /* each such pair's cost (weight times distance) */
    const int *incumbent;           /* per school: its centre in a layout placing all */
    double incumbent_cost;
    const double *centre_duals;     /* per school: multipliers (the search's Lagrangian
                                       ones) to stabilise the root's pricing around;
                                       NULL = none */
    long work_limit;                /* pricing steps plus simplex iterations */
    long root_work_limit;           /* the root alone may reach this, when larger; the
                                       tree's nodes stop at work_limit, counted from
                                       the start */
    double deadline;                /* cp_now_seconds() past which it stops (a guard);
                                       0 = none */
    volatile int *interrupt;
    int verbose;
    int want_useful;                /* fix pairs at the root (cp_colgen_result.useful) */
} cp_colgen_input;

typedef struct {
    cp_status status;   /* optimal: `centre` (or the incumbent) is proven cheapest */
    double bound;       /* a valid lower bound on the cost; NAN if none */
    int *centre;        /* a cheaper layout found, per school its centre (caller
                           frees); NULL = the incumbent stands */
    double cost;        /* its cost */
    long nodes;         /* the tree's nodes */
    long smoothed;      /* pricing rounds at stabilised duals (in->centre_duals) */
    unsigned char *useful; /* with in->want_useful, when the part is not proven: per
                              pair p of in->member, useful[p], and per centre j,
                              useful[mstart[n] + j] (heading a cluster; also j's own
                              entry in its member list); 0 where no layout cheaper
                              than `cost` uses it (caller frees); NULL = none fixed */
} cp_colgen_result;

cp_code cp_colgen_prove(const cp_colgen_input *in, cp_colgen_result *out, cp_error *err);
/* For the tests: the least reduced cost of a cluster `centre` may head at
 * the root, at school duals `duals` (no other dual, no cut), found by the
 * pricing's own walk; INFINITY when it may head none, NAN when out of
 * memory. */
double cp_colgen_least_cluster(const cp_colgen_input *in, const double *duals, int centre);
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

/* Cluster-count cover cuts (milp_cover.c), with the same column arrays and
 * cluster size max: for sets S of schools that must all be placed,
 * -sum_{j in N(S)} x_jj <= -ceil(|S| / max). */
typedef struct cp_cover_cuts cp_cover_cuts;
cp_cover_cuts *cp_cover_cuts_new(int n, long n_cols, const int *member, const int *centre,
                                 const int *self_col, int size_max, int max_set);
int cp_cover_cuts_separate(cp_cover_cuts *s, const double *x, int max_cuts,
                           void (*emit)(const int *cols, const double *vals, int len,
                                        double rhs, void *arg),
                           void *arg);
void cp_cover_cuts_free(cp_cover_cuts *s);

/* ------------------------------------------------------- generic small MIP */

/* A thin wall around GLPK (mip.c) for the facilitator models: columns,
 * rows, an objective, solves that start from the last basis.  Columns and
 * rows are 0-based here. */
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
/* New bounds of a row (+-HUGE_VAL = open; both open frees the row). */
cp_code cp_mip_set_row_bounds(cp_mip *m, int row, double lo, double hi);
/* New bounds of a column (lo == hi fixes it). */
cp_code cp_mip_set_col_bounds(cp_mip *m, int col, double lo, double hi);
/* A feasible integer solution (every column) for the next solve to start
 * from; it must satisfy every row, which GLPK does not check. */
cp_code cp_mip_set_start(cp_mip *m, const double *x);
cp_mip_status cp_mip_solve(cp_mip *m, double seconds, cp_error *err);
double cp_mip_value(const cp_mip *m, int col);
double cp_mip_objective(const cp_mip *m);

#endif
