/*
 * ascent.h — coordinate ascent on the Lagrangian dual (ascent.c), run on
 * the last multipliers of the subgradient rounds.
 */
#ifndef CP_ASCENT_H
#define CP_ASCENT_H

#include "relax.h"

/* Coordinate ascent from x's multipliers and cut prices (ascent.c).
 * Returns 0 when it did not run (a fixed count, or memory ran out); the
 * multipliers are valid either way. */
int lagrange_coordinate_ascent(relax *x, double value);

#endif
