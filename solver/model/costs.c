/*
 * costs.c — the cost of one (member, centre) pair in SPEC's objective, the
 * one definition every solver room and the evaluator's callers share: the
 * member's weight (its teachers, or 1 with weight="none", times the
 * objective's travel factor: 1, or the annual cost of a km) times its
 * distance, plus, for the centre's own pair, the per-cluster term (the
 * cluster cost, or the annual stipend) less the quality reward.
 */
#include "model.h"

#include <math.h>

double cp_objective_weight(const cp_instance *inst, const cp_scenario *sc, int i)
{
    double w = sc->weight == CP_WEIGHT_NONE ? 1.0 : inst->schools[i].teachers;
    return w * cp_objective_travel_factor(sc);
}

double cp_pair_cost(const cp_instance *inst, const cp_scenario *sc, int i, int j, double d)
{
    double c = cp_objective_weight(inst, sc, i) * d;
    if (i == j) {
        double q = inst->schools[j].quality;
        c += cp_objective_per_cluster(sc) - sc->quality_reward * (isnan(q) ? 0.0 : q);
    }
    return c;
}
