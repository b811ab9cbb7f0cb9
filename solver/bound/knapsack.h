/*
 * knapsack.h — private to the bound room: one centre's Lagrangian
 * subproblem with the capacity kept in it (knapsack.c), so that the bound
 * does not leave out the rule that binds in capacitated parts.
 * Include order in the room: relax.h <- knapsack.h <- relax.c, lagrange.c.
 */
#ifndef CP_KNAPSACK_H
#define CP_KNAPSACK_H

#include "relax.h"

typedef struct lknap lknap;

lknap *lknap_new(const hstate *h);
void lknap_free(lknap *k);

/* The least sum of reduced costs over sets S of v[0..n) with
 * count_min <= |S| <= count_max and teachers within `room` (the capacity
 * less the centre's own teachers); INFINITY when no set fits.  A
 * relaxation of the exact subproblem, never above it (knapsack.c says
 * how), so the value stays a valid part of a bound.  The chosen set is
 * moved to v's front and its size left in *chosen.  The table behind it
 * stays for lknap_with_member until the next call. */
double lknap_solve(lknap *k, const hstate *h, lreduced *v, int n, int count_min, int count_max,
                   double room, int *chosen);

/* After lknap_solve: a lower bound on the least sum over the other
 * members of the sets that hold one given member of `teachers` teachers
 * (the caller adds that member's own reduced cost); INFINITY when no such
 * set fits, NAN when the solve declined. */
double lknap_with_member(const lknap *k, double teachers);

#endif
