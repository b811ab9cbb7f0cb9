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

/* The heuristic on a part of at least cp_region_from schools, on `threads`
 * threads (regions.c): regions solved side by side, a second pass on
 * shifted regions, a descent over the whole part.  Smaller parts, parts
 * with a fixed count or without coordinates go to cp_heur_solve. */
cp_code cp_heur_solve_regions(const cp_milp_input *in, const int *group, int group_id,
                              int threads, cp_milp_result *out, cp_error *err);
extern int cp_region_from, cp_region_schools;
/* Parts of at least this many schools hand their loops to the team (solve.c). */
extern int cp_team_loops_from;

#endif
