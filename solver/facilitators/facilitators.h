/*
 * facilitators.h — the facilitators room: scoring and ranking (rank.c),
 * constrained selection under quotas (select.c, through the GLPK wall of
 * exact/), verification of a published ranking (verify_ranking.c) and
 * assignment to clusters (assign.c).
 */
#ifndef CP_FACILITATORS_H
#define CP_FACILITATORS_H

#include "solver/exact/exact.h"

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

#endif
