/*
 * heur_pairopt.c — neighbourhood "re-split": the schools of two nearby
 * clusters A and B are re-divided optimally between two new centres (or,
 * with a free count, merged into one cluster when that is cheaper).
 * For a pair of centres (c1, c2) the best division without capacity is
 * exact by sorting: each school costs b_m at c2 plus (a_m - b_m) if it goes
 * to c1, so the k with the smallest differences go to c1, for the best k
 * the size bounds allow.  Capacity is checked on the result.  This escapes
 * the local optima where every cluster sits at its minimum size and no
 * single move, swap or re-centre is allowed.
 * Work: at most PAIR_NEIGHBOURS pairs per cluster, each O(u^3 log u) for
 * u <= PAIR_MAX schools, and only pairs where a cluster changed since the
 * last fruitless try and whose two clusters, as they stand, were never
 * found fruitless (a table of signatures, h->fruitless: an ILS step that
 * is rolled back brings the same pairs back; on Kenya national this cut
 * the search's time by about 40 %, same layouts).
 * Parameters: PAIR_NEIGHBOURS, PAIR_MAX.
 *
 * Registry: "resplit", tried 7th (neighbourhoods.c).
 */
#include "heur.h"

#include <math.h>

#define PAIR_NEIGHBOURS 3
#define PAIR_MAX 24

typedef struct {
    int u[PAIR_MAX];
    int n;
    /* [centre][member] by position, inf = not admissible: a centre's row
     * is contiguous, so the floor of a pair of centres reads two rows */
    double cost_at[PAIR_MAX][PAIR_MAX];
    double cost;          /* current cost of these schools */
    double best;          /* best new cost found */
    int c1, c2;           /* its centres (c2 = -1: one cluster) */
    int to_first[PAIR_MAX];
} resplit;

/* A school of the pair by its cost difference a - b (d) and its position
 * in the pair (index), sorted by cp_nearest_sort: insertion sort at these
 * sizes (at most PAIR_MAX - 2), with no comparator calls. */
typedef cp_nearest ranked;

static double member_cost(const hstate *h, int m, int c)
{
    double d = m == c ? 0.0 : heur_pair(h, m, c);
    return d < 0 ? INFINITY : h->w[m] * d;
}

/* The u x u costs, looked up once per pair of clusters. */
static void fill_costs(const hstate *h, resplit *r)
{
    int x, y;
    for (x = 0; x < r->n; x++)
        for (y = 0; y < r->n; y++)
            r->cost_at[y][x] = h->eligible[r->u[y]] ? member_cost(h, r->u[x], r->u[y]) : INFINITY;
}

/* One cluster at position x holding all of r. */
static void try_single(const hstate *h, resplit *r, int x)
{
    int c = r->u[x], k;
    double cost = h->open_cost[c], load = 0.0;
    if (r->n > h->size_max)
        return;
    for (k = 0; k < r->n; k++) {
        cost += r->cost_at[x][k];
        load += h->teachers[r->u[k]];
    }
    if (cost < r->best && load <= h->capacity * (1 + 1e-12)) {
        r->best = cost;
        r->c1 = c;
        r->c2 = -1;
        for (k = 0; k < r->n; k++)
            r->to_first[k] = 1;
    }
}

static int split_fits(const hstate *h, const resplit *r, const ranked *rk, int take, int c1, int c2)
{
    double load1 = h->teachers[c1], load2 = h->teachers[c2];
    int k;
    for (k = 0; k < r->n - 2; k++) {
        if (k < take)
            load1 += h->teachers[r->u[rk[k].index]];
        else
            load2 += h->teachers[r->u[rk[k].index]];
    }
    return load1 <= h->capacity * (1 + 1e-12) && load2 <= h->capacity * (1 + 1e-12);
}

static void record(resplit *r, const ranked *rk, int take, int c1, int c2, double cost)
{
    int k;
    r->best = cost;
    r->c1 = c1;
    r->c2 = c2;
    for (k = 0; k < r->n; k++)
        r->to_first[k] = 0;
    for (k = 0; k < r->n - 2; k++)
        r->to_first[rk[k].index] = k < take;
    for (k = 0; k < r->n; k++)
        if (r->u[k] == c1)
            r->to_first[k] = 1;
}

/* The cost with every school at the nearer of c1 and c2, sizes and
 * capacity aside: no division of the pair costs less.  Two running sums
 * over the two contiguous rows, no branch: this is the one loop most pairs
 * see (most pairs of centres are far worse than the two clusters as they
 * stand), and it took a quarter of a capacitated search's time when it
 * also ranked the schools.  The centres' own entries add 0 (a centre costs
 * nothing at itself, and no cost is negative); a school neither centre can
 * take makes it infinite. */
static double pair_floor(const resplit *r, int x1, int x2)
{
    const double *a = r->cost_at[x1], *b = r->cost_at[x2];
    double even = 0.0, odd = 0.0;
    int k;
    for (k = 0; k + 1 < r->n; k += 2) { /* not fmin: a libm call */
        even += a[k] < b[k] ? a[k] : b[k];
        odd += a[k + 1] < b[k + 1] ? a[k + 1] : b[k + 1];
    }
    if (k < r->n)
        even += a[k] < b[k] ? a[k] : b[k];
    return even + odd;
}

/* Two clusters at c1 and c2: the k schools with the smallest a - b go to
 * c1.  A school only c1 can take sorts first (-inf), one only c2 can take
 * last (+inf); `forced` of them must be among the k. */
static void try_pair(const hstate *h, resplit *r, int x1, int x2)
{
    ranked rk[PAIR_MAX];
    int c1 = r->u[x1], c2 = r->u[x2];
    double base = h->open_cost[c1] + h->open_cost[c2], prefix = 0.0;
    int k, n = 0, forced = 0, lo = h->size_min - 1, hi = h->size_max - 1;
    if (base + pair_floor(r, x1, x2) >= r->best - HEUR_EPS * fmax(1.0, fabs(r->best)))
        return; /* every school at its nearer centre is no better: no division is */
    for (k = 0; k < r->n; k++) {
        double a, b;
        if (k == x1 || k == x2)
            continue;
        a = r->cost_at[x1][k];
        b = r->cost_at[x2][k];
        if (isinf(a) && isinf(b))
            return;
        forced += isinf(b);
        base += isinf(b) ? 0.0 : b;
        rk[n].d = isinf(b) ? -INFINITY : isinf(a) ? INFINITY : a - b;
        rk[n++].index = k;
    }
    cp_nearest_sort(rk, n);
    for (k = 0; k <= n && k <= hi; k++) {
        double cost;
        if (k > 0) {
            if (rk[k - 1].d == INFINITY)
                break;
            prefix += rk[k - 1].d == -INFINITY ? r->cost_at[x1][rk[k - 1].index] : rk[k - 1].d;
        }
        if (k < forced || k < lo || n - k < lo || n - k > hi)
            continue;
        cost = base + prefix;
        if (cost < r->best - HEUR_EPS * fmax(1.0, fabs(r->best)) && split_fits(h, r, rk, k, c1, c2))
            record(r, rk, k, c1, c2, cost);
    }
}

static void gather(const hstate *h, resplit *r, int a, int b)
{
    int m, c;
    r->n = 0;
    r->cost = 0.0;
    for (c = 0; c < 2; c++)
        for (m = h->head[c ? b : a]; m >= 0; m = h->next[m]) {
            r->u[r->n++] = m;
            r->cost += m == h->centre[m] ? h->open_cost[m] : h->w[m] * h->dist[m];
        }
}

static void search_pair(const hstate *h, resplit *r)
{
    int x, y;
    r->best = r->cost;
    r->c1 = -1;
    fill_costs(h, r);
    for (x = 0; x < r->n; x++) {
        if (!h->eligible[r->u[x]])
            continue;
        if (h->count == 0)
            try_single(h, r, x);
        for (y = x + 1; y < r->n; y++) /* (c1, c2) covers (c2, c1): k and n - k */
            if (h->eligible[r->u[y]])
                try_pair(h, r, x, y);
    }
}

static int apply(hstate *h, const resplit *r, int a, int b)
{
    int k;
    if (!heur_dissolve(h, a) || !heur_dissolve(h, b) || !heur_open(h, r->c1) ||
        (r->c2 >= 0 && !heur_open(h, r->c2)))
        return 0;
    for (k = 0; k < r->n; k++) {
        int m = r->u[k], c = r->to_first[k] ? r->c1 : r->c2;
        if (m != c && !heur_assign(h, m, c, heur_pair(h, m, c)))
            return 0;
    }
    heur_push_around(h, r->c1);
    if (r->c2 >= 0)
        heur_push_around(h, r->c2);
    return 1;
}

/* The pair (a, b) as it stands: both clusters' schools and centres.  Its
 * re-split depends on nothing else, so a pair found fruitless once is not
 * searched again when the same two clusters come back (an ILS step rolled
 * back, say).  Never 0 (0 marks an empty slot).  Two configurations with
 * the same 64-bit signature would only skip a search: never a wrong layout,
 * and the same skip on every run. */
static uint64_t pair_signature(const hstate *h, int a, int b)
{
    uint64_t s = h->cluster_sig[a] * 0xD6E8FEB86659FD93ULL + (uint64_t)h->schools[a];
    s = (s ^ (s >> 32)) * 0xD6E8FEB86659FD93ULL + (h->cluster_sig[b] ^ ((uint64_t)h->schools[b] << 32));
    s = (s ^ (s >> 29)) * 0xBF58476D1CE4E5B9ULL;
    s ^= s >> 32;
    return s ? s : 1;
}

static int neither_required(const hstate *h, int a, int b)
{
    return !h->required[a] && !h->required[b];
}

int heur_try_resplit(hstate *h, int i)
{
    int a = h->centre[i], g = h->schools[i], p, tried = 0;
    uint64_t sig;
    resplit r;
    r.c2 = -1;
    if (a != i || h->size[a] > PAIR_MAX / 2)
        return 0;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1] && tried < PAIR_NEIGHBOURS; p++) {
        int b = heur_local(h, h->cand->centre[p]);
        if (b < 0 || b == a || h->centre[b] != b || h->size[a] + h->size[b] > PAIR_MAX ||
            !neither_required(h, a, b))
            continue;
        tried++;
        if (h->changed_at[a] <= h->resplit_at[a] && h->changed_at[b] <= h->resplit_at[a])
            continue; /* neither changed since this pair was last found fruitless */
        sig = pair_signature(h, a, b);
        if (h->fruitless[sig & h->fruitless_mask] == sig)
            continue;
        gather(h, &r, a, b);
        search_pair(h, &r);
        if (r.c1 >= 0 && r.best < r.cost - HEUR_EPS * fmax(1.0, fabs(h->score.cost)))
            return apply(h, &r, a, b) ? 1 : -1;
        h->fruitless[sig & h->fruitless_mask] = sig;
    }
    h->resplit_at[a] = h->clock;
    return 0;
}
