/*
 * costs.c — the cost of one (member, centre) pair in SPEC's objective, the
 * one definition every solver room and the evaluator's callers share: the
 * member's weight (its teachers, or 1 with weight="none") times its
 * distance, plus, for the centre's own pair, the cluster cost less the
 * quality reward.
 */
#include "model.h"

#include <math.h>

double cp_pair_cost(const cp_instance *inst, const cp_scenario *sc, int i, int j, double d)
{
    double w = sc->weight == CP_WEIGHT_NONE ? 1.0 : inst->schools[i].teachers;
    double c = w * d;
    if (i == j) {
        double q = inst->schools[j].quality;
        c += sc->cluster_cost - sc->quality_reward * (isnan(q) ? 0.0 : q);
    }
    return c;
}
