/*
 * heur_construct.c — a first feasible layout for the local search.
 *
 *   incumbent   a known layout (MILP round, earlier region pass): its
 *               centres reopened, members rejoined where they still fit;
 *   free count  schools, most constrained first (fewest admissible
 *               centres), join the nearest open cluster with room, else open
 *               the nearest unused eligible school as a new centre;
 *   fixed count the centres are chosen by greedy addition (each new centre
 *               the one that most lowers the uncapacitated cost), then
 *               schools, largest first, join the nearest cluster with room.
 * Then clusters below the minimum pull schools from around them, or are
 * dissolved; the count is brought to its value; every school still out is
 * offered a place.  Work: O(pairs) per pass, and O(count * pairs) for the
 * greedy addition.
 */
#include "heur.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static cp_code from_incumbent(hstate *h, const int *incumbent)
{
    int i;
    for (i = 0; i < h->n; i++)
        if (incumbent[i] == h->schools[i] && h->eligible[i] && !heur_open(h, i))
            return CP_ERESOURCE;
    for (i = 0; i < h->n; i++) {
        int c = incumbent[i] >= 0 ? heur_local(h, incumbent[i]) : -1;
        double d = c >= 0 && c != i ? heur_pair(h, i, c) : -1.0;
        if (d >= 0 && h->centre[i] < 0 && h->centre[c] == c && heur_fits(h, c, i) &&
            !heur_assign(h, i, c, d))
            return CP_ERESOURCE;
    }
    return CP_OK;
}

typedef struct {
    int key, index;
} order_key;

static int cmp_order(const void *x, const void *y)
{
    const order_key *a = x, *b = y;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Schools by a key ascending, ties by index. */
static int *schools_by(const hstate *h, int (*key)(const hstate *, int))
{
    order_key *keys = cp_malloc((size_t)(h->n ? h->n : 1) * sizeof *keys);
    int *order = cp_malloc((size_t)(h->n ? h->n : 1) * sizeof(int)), i;
    if (!keys || !order) {
        cp_free(keys);
        cp_free(order);
        return NULL;
    }
    for (i = 0; i < h->n; i++) {
        keys[i].key = key(h, i);
        keys[i].index = i;
    }
    qsort(keys, (size_t)h->n, sizeof *keys, cmp_order);
    for (i = 0; i < h->n; i++)
        order[i] = keys[i].index;
    cp_free(keys);
    return order;
}

static int admissible_count(const hstate *h, int i)
{
    return h->kstart[i + 1] - h->kstart[i];
}

static int larger_first(const hstate *h, int i)
{
    return -(int)fmin(h->teachers[i] * 16.0, 2e9);
}

/* i joins the nearest open cluster with room, else opens the nearest
 * unused eligible school (itself, or one it may join). */
static int join_or_open(hstate *h, int i)
{
    int g = h->schools[i], p;
    if (h->centre[i] >= 0 || heur_place(h, i))
        return 1;
    if (h->count > 0 && h->n_open >= h->count)
        return 1;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1]; p++) {
        int c = heur_local(h, h->cand->centre[p]);
        if (c < 0 || h->centre[c] >= 0 || (c != i && h->size_max < 2) || !h->eligible[c])
            continue; /* not eligible: an upgradable school the search may not open here */
        if (!heur_open(h, c))
            return 0;
        return c == i || heur_assign(h, i, c, h->cand->dist[p]);
    }
    return 1;
}

static cp_code greedy_free(hstate *h)
{
    int *order = schools_by(h, admissible_count), k;
    cp_code rc = order ? CP_OK : CP_ERESOURCE;
    for (k = 0; !rc && k < h->n; k++)
        if (h->required[k] && h->centre[k] < 0 && !heur_open(h, k))
            rc = CP_ERESOURCE;
    for (k = 0; !rc && k < h->n; k++)
        if (!join_or_open(h, order[k]))
            rc = CP_ERESOURCE;
    cp_free(order);
    return rc;
}

/* ---------------------------------------------------- fixed count: centres */

/* Cost drop of opening c given each school's best open distance best[]. */
static double opening_gain(const hstate *h, int c, const double *best)
{
    double gain = 0.0;
    int p;
    for (p = h->rstart[c]; p < h->rstart[c + 1]; p++) {
        int i = h->rmember[p];
        double now = h->w[i] * h->rdist[p];
        if (now < best[i])
            gain += best[i] - now;
    }
    return gain - h->open_cost[c];
}

static int best_new_centre(const hstate *h, const double *best)
{
    int c, chosen = -1;
    double top = -INFINITY;
    for (c = 0; c < h->n; c++) {
        double g;
        if (!h->eligible[c] || h->centre[c] >= 0)
            continue;
        g = opening_gain(h, c, best);
        if (g > top) {
            top = g;
            chosen = c;
        }
    }
    return chosen;
}

static void lower_best(const hstate *h, int c, double *best)
{
    int p;
    for (p = h->rstart[c]; p < h->rstart[c + 1]; p++) {
        int i = h->rmember[p];
        best[i] = fmin(best[i], h->w[i] * h->rdist[p]);
    }
}

static cp_code greedy_fixed(hstate *h)
{
    double *best = cp_malloc((size_t)(h->n ? h->n : 1) * sizeof(double));
    /* a school out of reach of every centre weighs more than any distance */
    double out_of_reach = 1e6;
    int *order, i;
    if (!best)
        return CP_ERESOURCE;
    for (i = 0; i < h->n; i++)
        best[i] = out_of_reach * (1.0 + h->w[i]);
    for (i = 0; i < h->n; i++)
        if (h->required[i] && heur_open(h, i))
            lower_best(h, i, best);
    while (h->n_open < h->count) {
        int c = best_new_centre(h, best);
        if (c < 0 || !heur_open(h, c))
            break;
        lower_best(h, c, best);
    }
    cp_free(best);
    order = schools_by(h, larger_first);
    if (!order)
        return CP_ERESOURCE;
    for (i = 0; i < h->n; i++)
        if (h->centre[order[i]] < 0 && !heur_place(h, order[i]) && h->log_failed)
            break;
    cp_free(order);
    return h->log_failed ? CP_ERESOURCE : CP_OK;
}

/* ------------------------------------------------------------- repairs */

static cp_code place_rest(hstate *h)
{
    int i;
    for (i = 0; i < h->n; i++)
        if (h->centre[i] < 0 && !heur_place(h, i) && h->log_failed)
            return CP_ERESOURCE;
    return CP_OK;
}

/* Clusters below the minimum are filled or dissolved (a required centre
 * too: the layout then breaks the required rule, which the caller reports). */
static cp_code repair_sizes(hstate *h)
{
    int c;
    for (c = 0; c < h->n; c++) {
        if (h->centre[c] != c || h->size[c] >= h->size_min)
            continue;
        if (!heur_pull(h, c))
            return CP_ERESOURCE;
        if (h->size[c] < h->size_min && !heur_dissolve(h, c))
            return CP_ERESOURCE;
    }
    return CP_OK;
}

static int smallest_closable(const hstate *h)
{
    int c, best = -1;
    for (c = 0; c < h->n; c++)
        if (h->centre[c] == c && !h->required[c] && (best < 0 || h->size[c] < h->size[best]))
            best = c;
    return best;
}

/* An eligible school to open next: unassigned first, else a member whose
 * cluster can spare it, the farthest from its centre. */
static int spare_centre(const hstate *h)
{
    int i, best = -1;
    for (i = 0; i < h->n; i++) {
        if (!h->eligible[i] || h->centre[i] == i)
            continue;
        if (h->centre[i] < 0)
            return i;
        if (h->size[h->centre[i]] > h->size_min && (best < 0 || h->dist[i] > h->dist[best]))
            best = i;
    }
    return best;
}

/* Brings the number of clusters to the fixed count where it can. */
static cp_code adjust_count(hstate *h)
{
    while (h->count > 0 && h->n_open > h->count) {
        int c = smallest_closable(h);
        if (c < 0)
            break;
        if (!heur_dissolve(h, c) || place_rest(h))
            return CP_ERESOURCE;
    }
    while (h->count > 0 && h->n_open < h->count) {
        int j = spare_centre(h);
        if (j < 0)
            break;
        if ((h->centre[j] >= 0 && !heur_unassign(h, j)) || !heur_open(h, j) || !heur_pull(h, j))
            return CP_ERESOURCE;
        if (h->size[j] < h->size_min) {
            if (!heur_dissolve(h, j))
                return CP_ERESOURCE;
            break;
        }
    }
    return CP_OK;
}

cp_code heur_construct(hstate *h, const int *incumbent)
{
    cp_code rc;
    h->score.unassigned = h->n;
    h->score.cost = 0.0;
    h->n_open = 0;
    if (incumbent)
        rc = from_incumbent(h, incumbent);
    else if (h->count > 0)
        rc = greedy_fixed(h);
    else
        rc = greedy_free(h);
    if (!rc)
        rc = repair_sizes(h);
    if (!rc)
        rc = place_rest(h);
    if (!rc)
        rc = adjust_count(h);
    return rc;
}
