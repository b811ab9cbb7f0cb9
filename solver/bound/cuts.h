/*
 * cuts.h — relax-and-cut (cuts.c): the size-minimum cuts of the MILP,
 * separated on the relaxed layouts' moving average, priced per centre and
 * stepped with their own subgradients.
 */
#ifndef CP_CUTS_H
#define CP_CUTS_H

#include "relax.h"

/* NULL when memory runs out (then the plain relaxation, still valid). */
lcuts *lcuts_new(const hstate *h, int set_size);
void lcuts_free(lcuts *c);
/* The relaxed layout of this round into the moving average. */
void lcuts_record(relax *x);
/* Cut subgradients into c->g; returns their squared norm (cuts at mu = 0
 * that the layout satisfies left out: the projection). */
double lcuts_subgradient(relax *x);
/* mu += step * g, projected on mu >= 0. */
void lcuts_step(lcuts *c, double step);
/* Centre j's prices M_j and inner_ij from the current mu: summed afresh
 * when exact, else updated by the multipliers' changes. */
void lcuts_price_centre(lcuts *c, int j, int exact);
/* -sum mu * rhs: the cuts' constant in L. */
double lcuts_constant(const lcuts *c);
/* New violated cuts of the moving average (kept with mu = 0). */
void lcuts_separate(lcuts *c, int threads);

#endif
