/*
 * reasons.h — the reasons of unplaced schools (reasons.c), for cp_solve.
 */
#ifndef CP_REASONS_H
#define CP_REASONS_H

#include "solver/model/model.h"

/* Per school, what the solve knows of it before the reasons are written. */
enum {
    CP_WHY_PLACED = 0,  /* placed, or explained already (left alone)       */
    CP_WHY_STRANDED,    /* no admissible pair, or a part below size min    */
    CP_WHY_CROWDED,     /* its part solved, the assigned count proven      */
    CP_WHY_SEARCH       /* its part's layout is the best found, not proven */
};

/* Writes lay->reason[i] for every school with why[i] != CP_WHY_PLACED,
 * naming the binding rule with its counts; part_size[i] is the number of
 * schools in i's part (stranded schools).  CP_OK or CP_ERESOURCE. */
cp_code cp_explain_unplaced(const cp_instance *inst, const cp_scenario *sc,
                            const cp_candidates *cand, cp_distance_ctx *dist,
                            const unsigned char *why, const int *part_size, cp_layout *lay,
                            cp_error *err);

#endif
