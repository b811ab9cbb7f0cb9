/*
 * solve.h — the solve room: the heuristic tier's driver for one part
 * (part_heuristic.c: search, then the bound), the region decomposition of
 * a large part (regions.c) and cp_solve itself (solve.c).  It stands on
 * every other solver room; io/ and cli/ stand on it.
 */
#ifndef CP_SOLVE_H
#define CP_SOLVE_H

#include "solver/exact/exact.h"

/* Heuristic tier for one part (part_heuristic.c): construction, local search,
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
/* steps: from the incumbent, the one upgrade that gains most, then a
 * descent (solve/invest.c's next upgrade of a part). */
#define CP_HEUR_ADD_UPGRADE (-2L)

/* The heuristic on a part of at least cp_region_from schools, on `threads`
 * threads (regions.c): regions solved side by side, a second pass on
 * shifted regions, a descent over the whole part.  Smaller parts, parts
 * with a fixed count or without coordinates go to cp_heur_solve. */
cp_code cp_heur_solve_regions(const cp_milp_input *in, const int *group, int group_id,
                              int threads, cp_milp_result *out, cp_error *err);
extern int cp_region_from, cp_region_schools;
/* Parts of at least this many schools hand their loops to the team (solve.c). */
extern int cp_team_loops_from;

/* Sharing the scenario's upgrades among parts (invest.c): when round 1's
 * layouts together pass the cap or the budget, each part's frontier of
 * layouts at smaller allowances, then the choice of one per part within
 * them (exact when every point is proven).  The chosen layouts replace
 * results[]; their bounds carry the allocation's bound, or none. */
typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    const cp_candidates *cand;
    int n_parts;
    const int *const *part_schools; /* per part: its global schools, ascending */
    const int *part_n;
    const int *order;               /* parts, largest first */
    const int *local_of;            /* global -> index in its part */
    cp_milp_result *results;
    cp_error *errors;               /* per part */
    /* one part at an allowance (count_max -1 = no cap, budget_max INFINITY =
     * none), from incumbent (per local school a global centre) or NULL */
    cp_code (*solve)(void *arg, int part, int count_max, double budget_max,
                     const int *incumbent, cp_milp_result *out, cp_error *err);
    int (*out_of_time)(void *arg);  /* the time limit's guard has fired */
    void *arg;
    int threads;
    /* auto: the MILP warm-started from result, at the part's share, kept
     * when not worse (the greedy's layouts; NULL = none) */
    void (*polish)(void *arg, int part, int count_max, double budget_max,
                   cp_milp_result *result, cp_error *err);
    int greedy;                     /* the search's sharing: round 1 solved every part
                                       with no upgrade; they are handed out one by
                                       one, each where it gains most (invest.c) */
} cp_invest_job;
cp_code cp_invest_share(cp_invest_job *job, cp_error *err);

#endif
