/*
 * neighbourhoods.c — the registry of the local search's neighbourhoods, in
 * the order the descent (heur_search.c) tries them at each queued school:
 * first improvement, so the cheap ones that pay most often come first and
 * the expensive ones that escape their local optima come last.  Each lives
 * in its own file, whose header states what it does, its parameters and
 * its work bound.  To add one: write heur_NAME.c with a heur_try_NAME
 * (returns 1 when the score improved, 0 when not, -1 when memory ran out),
 * declare it in heur.h and list it here; the neighbourhood test
 * (tests/test_neighbourhoods.c) then runs it in random sequences and
 * re-evaluates the layout after every step.
 */
#include "heur.h"

const heur_neighbourhood heur_neighbourhoods[] = {
    {"move", heur_try_move},                       /* heur_move.c */
    {"swap", heur_try_swap},                       /* heur_swap.c */
    {"recentre", heur_try_recentre},               /* heur_recentre.c */
    {"eject", heur_try_eject},                     /* heur_eject.c */
    {"open", heur_try_open},                       /* heur_open.c */
    {"exchange-centre", heur_try_exchange_centre}, /* heur_close.c */
    {"resplit", heur_try_resplit},                 /* heur_pairopt.c */
    {"close", heur_try_close},                     /* heur_close.c */
    {"groups", heur_try_groups},                   /* heur_groups.c: study groups only */
    {"upgrade", heur_try_upgrade},                 /* heur_upgrade.c: upgradable centres only */
    {"ring", heur_try_cyclic},                     /* heur_cyclic.c (last: the costliest) */
};

const int heur_n_neighbourhoods = (int)(sizeof heur_neighbourhoods / sizeof heur_neighbourhoods[0]);
