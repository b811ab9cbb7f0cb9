/*
 * count_price.h — a fixed cluster count reached by pricing clusters
 * (count_price.c): the free model solved at a price per cluster, the
 * price moved until the count is N, and the bound that gives.
 */
#ifndef CP_COUNT_PRICE_H
#define CP_COUNT_PRICE_H

#include "solver/model/model.h"

typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc; /* the run's, cluster_count > 0 */
    /* the whole free model under `priced` (no count, its cluster cost
     * raised), solved as the run solves; NULL with err set on failure */
    cp_layout *(*solve_free)(void *arg, const cp_scenario *priced, cp_error *err);
    /* what school i costs in the cluster of centre c, the run's costs
     * (the centre's own: its opening) */
    double (*school_cost)(void *arg, int school, int centre);
    int (*stop)(void *arg); /* the time guard fired, or an interrupt: no further run */
    void *arg;
    int verbose;            /* each run's price and count on stderr */
} cp_price_job;

typedef struct {
    int *centre_of;     /* per school: its centre, or -1; NULL = none found */
    int count;          /* clusters in it (N when the price reached N) */
    double bound;       /* bounds the cost of any layout of N clusters that
                           places bound_assigned schools; NAN = none */
    int bound_assigned;
    int rounds;         /* free runs made */
    int cut;            /* the time guard or an interrupt stopped a run or the
                           search for the price: the layout may depend on it */
} cp_price_result;

cp_code cp_count_by_price(const cp_price_job *job, cp_price_result *out, cp_error *err);

#endif
