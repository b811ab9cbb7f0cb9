/*
 * knapsack.c — one centre's Lagrangian subproblem with its capacity:
 *   min { sum_{i in S} r_i : count_min <= |S| <= count_max,
 *                            sum_{i in S} t_i <= room }
 * by dynamic programming over (members taken, teachers used).  Kept in the
 * subproblem, the capacity makes the bound at least the LP relaxation's at
 * the same multipliers' optimum (issue 27: without it the bound ignored the
 * rule that binds, and overstated the gap fivefold on Lorena-Senne's SJC).
 *
 * Two relaxations keep the table small; each can only lower the value, so
 * the bound stays valid:
 *   - only members with a negative reduced cost are items, plus the
 *     count_min smallest others, which count with the part's fewest
 *     teachers (a set that needs members beyond its negative ones to reach
 *     the minimum takes the cheapest, and none weighs less than the
 *     lightest school);
 *   - teachers are whole numbers when every one is and the room is at
 *     most EXACT_UNITS; otherwise each is scaled to at most SCALED_UNITS
 *     units and rounded down (and the room with it).
 * Work: items x (count_max + 1) x (units + 1), at most WORK_MAX; past it
 * the units shrink to fit, and below MIN_UNITS the solve declines (NAN),
 * leaving the caller's relaxation without capacity, also a valid bound.
 */
#include "knapsack.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_UNITS 8192
#define SCALED_UNITS 2048
#define WORK_MAX (4L << 20)
#define MIN_UNITS 32

struct lknap {
    double t_min;           /* the fewest teachers of any school of the part */
    double *f;              /* (count rows) x (units + 1): least sum at exactly w units;
                               after the solve, the least at w units or fewer */
    unsigned char *take;    /* item x row x unit: the item improved that state */
    long f_cap, take_cap;
    int *item, *weight;     /* per item: index in v, units */
    int items_cap;
    unsigned char *mark;    /* per entry of v: chosen */
    int marks_cap;
    int rows, units, count_min, count_max, count_max_asked, by_count, none_fits;
    double scale, room;
};

lknap *lknap_new(const hstate *h)
{
    lknap *k = cp_calloc(1, sizeof *k);
    int i;
    if (!k)
        return NULL;
    k->t_min = INFINITY;
    for (i = 0; i < h->n; i++)
        k->t_min = fmin(k->t_min, h->teachers[i]);
    if (!isfinite(k->t_min) || k->t_min < 0)
        k->t_min = 0;
    return k;
}

void lknap_free(lknap *k)
{
    if (!k)
        return;
    cp_free(k->f);
    cp_free(k->take);
    cp_free(k->item);
    cp_free(k->weight);
    cp_free(k->mark);
    cp_free(k);
}

static int grow(lknap *k, int items, long f_size, long take_size)
{
    if (items > k->items_cap) {
        int *a = cp_realloc(k->item, (size_t)items * sizeof(int));
        int *b = a ? cp_realloc(k->weight, (size_t)items * sizeof(int)) : NULL;
        if (a)
            k->item = a;
        if (!a || !b)
            return 0;
        k->weight = b;
        k->items_cap = items;
    }
    if (f_size > k->f_cap) {
        double *a = cp_realloc(k->f, (size_t)f_size * sizeof(double));
        if (!a)
            return 0;
        k->f = a;
        k->f_cap = f_size;
    }
    if (take_size > k->take_cap) {
        unsigned char *a = cp_realloc(k->take, (size_t)take_size);
        if (!a)
            return 0;
        k->take = a;
        k->take_cap = take_size;
    }
    return 1;
}

static int grow_marks(lknap *k, int n)
{
    if (n > k->marks_cap) {
        unsigned char *a = cp_realloc(k->mark, (size_t)(n ? n : 1));
        if (!a)
            return 0;
        k->mark = a;
        k->marks_cap = n;
    }
    return 1;
}

/* The items: every negative reduced cost, then the count_min smallest of
 * the others (v is left in its order; a selection pass per slot, as
 * count_min is a handful).  Returns how many. */
static int pick_items(lknap *k, const lreduced *v, int n, int count_min)
{
    int q, taken = 0, extra;
    for (q = 0; q < n; q++)
        if (v[q].r < 0)
            k->item[taken++] = q;
    for (extra = 0; extra < count_min; extra++) {
        int best = -1;
        for (q = 0; q < n; q++) {
            int seen = 0, e;
            if (v[q].r < 0)
                continue;
            for (e = taken - extra; e < taken && !seen; e++)
                seen = k->item[e] == q;
            if (!seen && (best < 0 || v[q].r < v[best].r ||
                          (v[q].r == v[best].r && v[q].i < v[best].i)))
                best = q;
        }
        if (best < 0)
            break;
        k->item[taken++] = best;
    }
    return taken;
}

/* Units of the room and of each item: exact whole teachers when possible,
 * else scaled and rounded down; shrunk until the table fits WORK_MAX.
 * Returns the room's units, or -1 to decline. */
static int size_units(lknap *k, const hstate *h, const lreduced *v, int items, double room)
{
    int whole = room == floor(room) && room <= EXACT_UNITS, e, W;
    long cells;
    for (e = 0; e < items && whole; e++) {
        double t = v[k->item[e]].r < 0 ? h->teachers[v[k->item[e]].i] : k->t_min;
        whole = t == floor(t);
    }
    k->scale = whole || room < 1e-9 ? 1.0 : SCALED_UNITS / room;
    cells = (long)items * k->rows;
    if (cells > 0 && (long)floor(room * k->scale) + 1 > WORK_MAX / cells)
        k->scale = (double)(WORK_MAX / cells - 1) / fmax(room, 1e-12);
    if ((long)floor(room * k->scale) < MIN_UNITS && room * k->scale < room)
        return -1; /* too coarse to be worth it: the caller keeps its own */
    W = (int)floor(room * k->scale + 1e-9);
    for (e = 0; e < items; e++) {
        double t = (v[k->item[e]].r < 0 ? h->teachers[v[k->item[e]].i] : k->t_min) * k->scale;
        k->weight[e] = t > W ? W + 1 : (int)floor(t + 1e-9);
    }
    return W;
}

static void fill_table(lknap *k, const lreduced *v, int items)
{
    int W = k->units, e, c, w;
    long cells = (long)k->rows * (W + 1);
    for (w = 0; w < cells; w++)
        k->f[w] = INFINITY;
    k->f[0] = 0.0;
    if (items > 0) /* with none, take may be NULL (memset's pointer must not be) */
        memset(k->take, 0, (size_t)items * (size_t)cells);
    for (e = 0; e < items; e++) {
        double r = v[k->item[e]].r;
        int t = k->weight[e];
        unsigned char *take = k->take + (size_t)e * (size_t)cells;
        if (!k->by_count) { /* one row: the classic 0/1 table, units downwards */
            for (w = W; w >= t; w--)
                if (k->f[w - t] + r < k->f[w]) {
                    k->f[w] = k->f[w - t] + r;
                    take[w] = 1;
                }
            continue;
        }
        for (c = e + 1 < k->rows - 1 ? e + 1 : k->rows - 1; c >= 1; c--) {
            double *to = k->f + (long)c * (W + 1);
            const double *from = to - (W + 1);
            for (w = W; w >= t; w--)
                if (from[w - t] + r < to[w]) {
                    to[w] = from[w - t] + r;
                    take[(long)c * (W + 1) + w] = 1;
                }
        }
    }
}

/* The chosen items to v's front, in one partition pass. */
static void chosen_to_front(lknap *k, lreduced *v, int n)
{
    int q, front = 0;
    for (q = 0; q < n; q++)
        if (k->mark[q]) {
            lreduced t = v[front];
            unsigned char m = k->mark[front];
            v[front] = v[q];
            v[q] = t;
            k->mark[q] = m;
            k->mark[front++] = 1;
        }
}

/* The best final state, its set moved to v's front; then each row turned
 * into its running minimum for lknap_with_member. */
static double read_best(lknap *k, lreduced *v, int n, int items, int *chosen)
{
    int W = k->units, c, w, best_c = -1, best_w = -1, e;
    long cells = (long)k->rows * (W + 1);
    double best = INFINITY;
    int lo = k->by_count ? k->count_min : 0;
    for (c = lo; c < k->rows; c++)
        for (w = 0; w <= W; w++)
            if (k->f[(long)c * (W + 1) + w] < best) {
                best = k->f[(long)c * (W + 1) + w];
                best_c = c;
                best_w = w;
            }
    *chosen = 0;
    k->none_fits = isinf(best);
    if (k->none_fits)
        return INFINITY;
    if (n > 0)
        memset(k->mark, 0, (size_t)n);
    for (c = best_c, w = best_w, e = items - 1; e >= 0; e--) {
        if (!k->take[(size_t)e * (size_t)cells + (size_t)((long)c * (W + 1) + w)])
            continue;
        k->mark[k->item[e]] = 1;
        (*chosen)++;
        w -= k->weight[e];
        c -= k->by_count;
    }
    chosen_to_front(k, v, n);
    for (c = 0; c < k->rows; c++) {
        double *row = k->f + (long)c * (W + 1);
        for (w = 1; w <= W; w++)
            row[w] = fmin(row[w], row[w - 1]);
    }
    return best;
}

double lknap_solve(lknap *k, const hstate *h, lreduced *v, int n, int count_min, int count_max,
                   double room, int *chosen)
{
    int items, W;
    *chosen = 0;
    k->room = room;
    k->count_max_asked = count_max;
    k->units = -1;
    k->none_fits = room < 0;
    if (room < 0)
        return INFINITY;
    if (!grow(k, n + count_min + 1, 0, 0) || !grow_marks(k, n))
        return NAN;
    items = pick_items(k, v, n, count_min);
    if (count_max > items)
        count_max = items;
    if (count_min > count_max) {
        k->none_fits = 1;
        return INFINITY;
    }
    k->count_min = count_min;
    k->count_max = count_max;
    k->by_count = count_min > 0 || count_max < items;
    k->rows = k->by_count ? count_max + 1 : 1;
    if ((W = size_units(k, h, v, items, room)) < 0)
        return NAN;
    k->units = W;
    if (!grow(k, items, (long)k->rows * (W + 1), (long)items * k->rows * (W + 1)))
        return NAN;
    fill_table(k, v, items);
    return read_best(k, v, n, items, chosen);
}

double lknap_with_member(const lknap *k, double teachers)
{
    int W, c, lo, hi;
    double best = INFINITY;
    if (k->room - teachers < 0 || k->none_fits)
        return INFINITY;
    if (k->units < 0)
        return NAN;
    W = (int)floor((k->room - teachers) * k->scale + 1e-9);
    if (W > k->units)
        W = k->units;
    lo = k->by_count && k->count_min > 0 ? k->count_min - 1 : 0;
    hi = k->by_count ? k->count_max_asked - 1 : 0;
    if (hi > k->rows - 1)
        hi = k->rows - 1;
    for (c = lo; c <= hi; c++)
        best = fmin(best, k->f[(long)c * (k->units + 1) + W]);
    return best;
}
