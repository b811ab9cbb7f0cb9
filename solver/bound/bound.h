/*
 * bound.h — the bound room's one entry point: a proven lower bound on the
 * cost of a layout that places every school of a local problem (the
 * search room's hstate), by Lagrangian relaxation with cuts (lagrange.c).
 * It stands on the search room's local problem; the solve room calls it.
 */
#ifndef CP_BOUND_H
#define CP_BOUND_H

#include "solver/search/heur.h"

/* NAN when none can be had; the same bound on any thread count (`threads`
 * side by side over fixed chunks of centres).  Rounds: `iterations`,
 * times SMALL_ROUNDS on small problems (lagrange.c).
 * keep (NULL: none): per pair in each member's order (h->kcentre), 1 for
 * the pairs a layout cheaper than `upper` may use, and those of h's own
 * layout; *kept their count, or -1 when no fixing was done (keep untouched).
 * multipliers (NULL: none): per school, the multipliers of the best round
 * (NAN when there is no bound). */
double heur_lagrange_bound(const hstate *h, double upper, int iterations, int threads,
                           unsigned char *keep, long *kept, double *multipliers);

#endif
