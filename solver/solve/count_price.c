/*
 * count_price.c — a fixed cluster count (--clusters N) reached by pricing
 * clusters: the count's Lagrangian relaxation.
 *
 * A fixed count couples every part, so the search used to take all of
 * them as one model and chose its N centres greedily; under an admin rule
 * many of those centres stood where too few schools could join, and the
 * count was not reached (Kilifi by zones, 642 schools, 95 clusters asked,
 * the free solve's own count: 55 clusters and 358 schools placed).
 *
 * Here the free model is solved instead, part by part with every method
 * the run has, with each cluster's cost raised by a price lambda: a
 * higher price, fewer clusters.  For a layout of the free model at price
 * lambda that places the most schools, cost + lambda * count is least, so
 *
 *     bound(lambda) - lambda * N
 *
 * (the free run's proven bound) bounds the cost of any layout of N
 * clusters placing as many schools; and a free layout with exactly N
 * clusters whose bound meets its cost is the optimum of the fixed count.
 * The price moves to where the lines cost + lambda * count of the two
 * layouts nearest N (one above, one below) cross, the classic search for
 * the breakpoint of a parametric problem; at most PRICE_ROUNDS free runs.
 * If no run has N clusters, the two layouts either side are mixed: the
 * schools fall into units that no cluster of either crosses, and units
 * from the layout above replace those of the one below, cheapest extra
 * cost per extra cluster first, while the count stays at most N.  A
 * layout of N clusters is the caller's result; short of N, its search of
 * all parts as one model starts there and opens or closes the last few.
 *
 * Parameters: PRICE_ROUNDS.
 * Work: at most PRICE_ROUNDS + 1 free runs of the whole model, each a
 * solve of the run's own kind; the mixing is O(n log n).  Every run is
 * deterministic, so the price, the layout and the bound are too.
 */
#include "count_price.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PRICE_ROUNDS 10

typedef struct {
    int have;
    int cut;         /* the guard or an interrupt stopped this run */
    double lambda;
    int count, assigned;
    double cost; /* under the run's own costs, without the price */
    int *centre_of;
} price_point;

static void point_free(price_point *p)
{
    cp_free(p->centre_of);
    memset(p, 0, sizeof *p);
}

/* The free model at price lambda: its layout as each school's centre. */
static cp_code solve_at(const cp_price_job *job, double lambda, price_point *out,
                        cp_price_result *res, cp_error *err)
{
    cp_scenario priced = *job->sc;
    cp_layout *lay;
    int i, n = job->inst->n_schools;
    priced.cluster_count = 0;
    priced.cluster_cost += lambda;
    lay = job->solve_free(job->arg, &priced, err);
    if (!lay)
        return err->code ? err->code : CP_ERESOURCE;
    memset(out, 0, sizeof *out);
    out->centre_of = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    if (!out->centre_of) {
        cp_layout_free(lay);
        return cp_fail_nomem(err);
    }
    for (i = 0; i < n; i++) {
        int k = lay->cluster_of[i];
        out->centre_of[i] = k >= 0 ? lay->centre[k] : -1;
    }
    out->have = 1;
    out->lambda = lambda;
    out->count = lay->n_clusters;
    out->assigned = n - lay->info.unassigned;
    out->cost = lay->info.objective - lambda * lay->n_clusters;
    out->cut = lay->info.status == CP_STATUS_TIME_LIMIT || lay->info.status == CP_STATUS_INTERRUPTED;
    res->rounds++;
    res->cut |= out->cut;
    if (job->verbose)
        fprintf(stderr, "count by price: lambda %.6g gives %d clusters, %d schools placed, cost %.6g, "
                "bound %.6g\n", lambda, out->count, out->assigned, out->cost,
                lay->info.bound - lambda * job->sc->cluster_count);
    /* a proven free run bounds every layout of N clusters that places as
     * many schools (the lexicographic objective: it placed the most) */
    if (!isnan(lay->info.bound)) {
        double b = lay->info.bound - lambda * job->sc->cluster_count;
        if (isnan(res->bound) || out->assigned > res->bound_assigned ||
            (out->assigned == res->bound_assigned && b > res->bound)) {
            res->bound = b;
            res->bound_assigned = out->assigned;
        }
    }
    cp_layout_free(lay);
    return CP_OK;
}

/* The lines cost + lambda * count of a (above N) and b (below) cross here. */
static double crossing(const price_point *a, const price_point *b)
{
    return (b->cost - a->cost) / (double)(a->count - b->count);
}

/* p becomes the bracket's end on its side of N (the newest, so the
 * interval of prices shrinks), and a copy of it the nearest layout on
 * that side when it is nearer N than the one kept (with the search's
 * layouts, unproven, the count need not fall steadily with the price). */
static cp_code keep_point(price_point *p, int n_wanted, price_point *bracket, price_point *near,
                          int n_schools)
{
    int side = p->count > n_wanted ? 0 : 1;
    /* more schools placed first (a layout placing fewer is never nearer) */
    if (!near[side].have || p->assigned > near[side].assigned ||
        (p->assigned == near[side].assigned &&
         abs(p->count - n_wanted) <= abs(near[side].count - n_wanted))) {
        int *copy = cp_malloc((size_t)(n_schools ? n_schools : 1) * sizeof(int));
        if (!copy) {
            point_free(p);
            return CP_ERESOURCE;
        }
        memcpy(copy, p->centre_of, (size_t)n_schools * sizeof(int));
        point_free(&near[side]);
        near[side] = *p;
        near[side].centre_of = copy;
    }
    point_free(&bracket[side]);
    bracket[side] = *p;
    memset(p, 0, sizeof *p);
    return CP_OK;
}

/* ------------------------------------------------------------- mixing */

typedef struct {
    int unit;
    int extra;          /* clusters the layout above adds there */
    double extra_cost;  /* and what they cost */
} unit_gain;

static int cmp_gain(const void *x, const void *y)
{
    const unit_gain *a = x, *b = y;
    double pa = a->extra_cost / a->extra, pb = b->extra_cost / b->extra;
    if (pa != pb)
        return pa < pb ? -1 : 1;
    return (a->unit > b->unit) - (a->unit < b->unit);
}

/* Per unit (root of its schools): clusters, schools placed and cost of
 * one layout, added into count[], placed[] and cost[]. */
static void unit_totals(const cp_price_job *job, const int *centre_of, const int *root,
                        int *count, int *placed, double *cost)
{
    int i;
    for (i = 0; i < job->inst->n_schools; i++) {
        int c = centre_of[i];
        if (c < 0)
            continue;
        count[root[i]] += c == i;
        placed[root[i]]++;
        cost[root[i]] += job->school_cost(job->arg, i, c);
    }
}

/* The layout below with units of the layout above swapped in, up to N
 * clusters: written into below->centre_of, its count into below->count. */
static cp_code mix(const cp_price_job *job, const price_point *above, price_point *below)
{
    int n = job->inst->n_schools, i, k, units = 0, want = job->sc->cluster_count - below->count;
    size_t sz = (size_t)(n ? n : 1);
    int *root = cp_malloc(sz * sizeof(int)), *count_a = cp_calloc(sz, sizeof(int)),
        *count_b = cp_calloc(sz, sizeof(int)), *placed_a = cp_calloc(sz, sizeof(int)),
        *placed_b = cp_calloc(sz, sizeof(int));
    double *cost_a = cp_calloc(sz, sizeof(double)), *cost_b = cp_calloc(sz, sizeof(double));
    unit_gain *gain = cp_malloc(sz * sizeof *gain);
    cp_code rc = root && count_a && count_b && placed_a && placed_b && cost_a && cost_b && gain
                     ? CP_OK
                     : CP_ERESOURCE;
    for (i = 0; !rc && i < n; i++)
        root[i] = i;
    for (i = 0; !rc && i < n; i++) {
        if (above->centre_of[i] >= 0)
            cp_uf_unite(root, i, above->centre_of[i]);
        if (below->centre_of[i] >= 0)
            cp_uf_unite(root, i, below->centre_of[i]);
    }
    for (i = 0; !rc && i < n; i++)
        root[i] = cp_uf_find(root, i);
    if (!rc) {
        unit_totals(job, above->centre_of, root, count_a, placed_a, cost_a);
        unit_totals(job, below->centre_of, root, count_b, placed_b, cost_b);
        for (i = 0; i < n; i++) /* a unit that places fewer schools is never taken */
            if (root[i] == i && count_a[i] > count_b[i] && placed_a[i] >= placed_b[i]) {
                gain[units].unit = i;
                gain[units].extra = count_a[i] - count_b[i];
                gain[units++].extra_cost = cost_a[i] - cost_b[i];
            }
        qsort(gain, (size_t)units, sizeof *gain, cmp_gain);
        for (k = 0; k < units && want > 0; k++) {
            int u = gain[k].unit;
            if (gain[k].extra > want)
                continue;
            want -= gain[k].extra;
            below->count += gain[k].extra;
            for (i = 0; i < n; i++)
                if (root[i] == u)
                    below->centre_of[i] = above->centre_of[i];
        }
    }
    cp_free(root);
    cp_free(count_a);
    cp_free(count_b);
    cp_free(placed_a);
    cp_free(placed_b);
    cp_free(cost_a);
    cp_free(cost_b);
    cp_free(gain);
    return rc;
}

/* ----------------------------------------------------------------- API */

/* The first step of the price: a cluster's mean cost in the free layout
 * (the price at which about as many clusters would close as open), then
 * doubled while the count has not crossed N, up to a price above the free
 * layout's whole cost, at which any cluster that could close without a
 * school left out would have. */
static double first_step(const price_point *p)
{
    double mean = fabs(p->cost) / (p->count > 0 ? p->count : 1);
    return mean > 0.0 ? mean : 1.0;
}

static double last_price(const price_point *p)
{
    return 2.0 * fabs(p->cost) + 1.0;
}

cp_code cp_count_by_price(const cp_price_job *job, cp_price_result *out, cp_error *err)
{
    /* [0]: more clusters than N, [1]: N or fewer */
    price_point bracket[2], near[2], p, *chosen;
    int n_wanted = job->sc->cluster_count, n = job->inst->n_schools, round, k;
    int flat = 0;
    double step = 0.0, limit = 0.0;
    cp_code rc;
    memset(out, 0, sizeof *out);
    memset(bracket, 0, sizeof bracket);
    memset(near, 0, sizeof near);
    out->bound = NAN;
    rc = solve_at(job, 0.0, &p, out, err);
    if (!rc) {
        step = first_step(&p);
        limit = last_price(&p);
        rc = keep_point(&p, n_wanted, bracket, near, n);
    }
    for (round = 0; !rc && !near[0].cut && !near[1].cut && round < PRICE_ROUNDS; round++) {
        double lambda, matched_cost = NAN;
        int side, at_crossing = 0;
        if (near[1].have && near[1].count == n_wanted)
            break;
        if (job->stop && job->stop(job->arg)) {
            out->cut = 1;
            break;
        }
        if (bracket[0].have && bracket[1].have) {
            double lo = fmin(bracket[0].lambda, bracket[1].lambda);
            double hi = fmax(bracket[0].lambda, bracket[1].lambda);
            lambda = crossing(&bracket[0], &bracket[1]);
            /* a crossing outside them: a layout not the free optimum at its
             * price (the search's, unproven); halve the interval instead */
            at_crossing = lambda > lo && lambda < hi;
            if (!at_crossing)
                lambda = 0.5 * (lo + hi);
            if (!(lambda > lo && lambda < hi))
                break; /* no price left between them */
        } else {
            if (step > limit || flat >= 2)
                break; /* N cannot be crossed while placing the most schools */
            lambda = bracket[0].have ? bracket[0].lambda + step : bracket[1].lambda - step;
            step *= 2.0;
        }
        if ((rc = solve_at(job, lambda, &p, out, err)))
            break;
        if (p.cut) { /* a layout the guard cut short is no point of the search */
            point_free(&p);
            break;
        }
        side = p.count > n_wanted ? 0 : 1;
        if (bracket[side].have && p.count == bracket[side].count)
            matched_cost = bracket[side].cost;
        flat = bracket[0].have != bracket[1].have && !isnan(matched_cost) ? flat + 1 : 0;
        if ((rc = keep_point(&p, n_wanted, bracket, near, n)))
            break;
        /* the crossing gave an end's own layout again: that price is the
         * breakpoint between the two counts, and none between them is the
         * cheapest at any price */
        if (at_crossing && !isnan(matched_cost) &&
            fabs(bracket[side].cost - matched_cost) <= 1e-9 * fmax(1.0, fabs(matched_cost)))
            break;
    }
    if (!rc && near[0].have && near[1].have && near[1].count != n_wanted)
        rc = mix(job, &near[0], &near[1]);
    /* the layout nearer N; a tie to the one with fewer clusters (the mix's) */
    chosen = near[1].have && (!near[0].have || abs(near[1].count - n_wanted) <=
                                                   abs(near[0].count - n_wanted))
                 ? &near[1]
                 : &near[0];
    if (!rc && chosen->have) {
        out->centre_of = chosen->centre_of;
        out->count = chosen->count;
        chosen->centre_of = NULL;
    }
    if (rc == CP_ERESOURCE && !err->code)
        rc = cp_fail_nomem(err);
    for (k = 0; k < 2; k++) {
        point_free(&bracket[k]);
        point_free(&near[k]);
    }
    return rc;
}
