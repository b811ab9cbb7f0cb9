/*
 * relax.h — private to the bound room: the Lagrangian relaxation's state,
 * the size-minimum cuts it dualises (relax-and-cut) as data, and the
 * valuation of one centre's subproblem (relax.c), which the driver
 * (lagrange.c), the cuts (cuts.c) and the ascent (ascent.c) all use.
 * Include order in the room: relax.h <- cuts.h <- ascent.h <- lagrange.c.
 */
#ifndef CP_RELAX_H
#define CP_RELAX_H

#include "solver/search/heur.h"

#define LAGRANGE_CHUNKS 64 /* of centres, valued and recorded side by side */

typedef struct {
    double r;
    int i, p;          /* member, pair */
} lreduced;

typedef struct lcuts lcuts;

typedef struct {
    const hstate *h;
    double *lambda, *value, *g;
    int *chosen_end;  /* per centre: how many of its reduced costs S takes */
    lreduced *buf;    /* per pair, grouped by centre */
    int *open;
    double upper;
    lcuts *cuts;      /* NULL: the plain relaxation */
    int threads;
    double *lambda_cap; /* per centre: at least every member's lambda */
    double w_min;       /* the smallest member weight */
    int full_scan;      /* this round reads every pair and resets lambda_cap */
    struct lknap *knap[LAGRANGE_CHUNKS]; /* per chunk of centres: the capacity's
                                            table (knapsack.c); NULL: no capacity */
    int knap_always;    /* solve with the capacity even where the plain set fits
                           (the fixing pass reads the table) */
    double *best_lambda, *best_mu; /* the best round's multipliers (fixing only) */
    int best_cuts;                 /* cuts at that round */
    /* The part's cover row, dualised: a layout that places all n schools
     * opens at least cover_min = ceil(n / size max) clusters (0 with a
     * fixed count); cover_mu >= 0 lowers every opening by as much and adds
     * cover_mu * cover_min to L. */
    int cover_min;
    double cover_mu;
    double best_cover_mu;          /* the best round's (fixing only) */
    double g_cover;                /* the row's subgradient: cover_min - centres opened */
} relax;

/* A size-minimum cut  sum_{j in T} x_jj - sum_{i not in T, j in T} x_ij
 * <= floor(|T| / min)  is kept as its set T, so its multiplier mu prices a
 * pair (i, j) as  -M_j + inner_ij  with M_j the sum of mu over the cuts
 * whose set holds j and inner_ij that sum over the cuts holding both i and
 * j; x_jj costs +M_j.  Prices are gathered per centre (each centre's own
 * entries, so chunks of centres never write the same place).  Work per
 * round: O(sum |T|^2), not O(cut length) (a cut's inflow pairs run to
 * thousands in a dense area). */
struct lcuts {
    const hstate *h;
    cp_size_cuts *sep;
    int *col_member, *col_centre, *self_col;
    double *avg;          /* per column: the relaxed layouts' moving average, over avg_scale */
    double avg_scale;
    double *rounded;      /* per column: avg rounded off for the separator */
    double *centre_mu;    /* per centre: M_j */
    double *inner;        /* per column: inner_ij (pair columns inside a set) */
    int n, cap;           /* cuts kept, most kept */
    int set_size;         /* largest set */
    /* cut k's set: entries set_start[k] .. set_start[k+1]-1 of set[] (sorted),
     * each entry e with its cut and its inner pair columns
     * inner_col[inner_at[e] .. inner_at[e+1]) (pairs into set[e] from T) */
    int *set_start, *set, *cut_of;
    long *inner_at;
    int *inner_col;
    long inner_cap;
    int *entries_start, *entries; /* per centre: its entries (rebuilt after a separation) */
    double *applied;              /* per entry: the mu its inner prices hold (0: none) */
    unsigned char *touched;       /* per entry: priced since its prices were last reset */
    double *mu, *rhs, *g;
    unsigned long *hash;  /* per cut: its set's hash */
    int *slot, n_slots;   /* open addressing: cut index + 1 by hash, 0 = empty */
    int *stamp, stamp_now; /* per school: marks the set being looked at */
};

/* Centres k*n/CHUNKS .. (k+1)*n/CHUNKS - 1 (a fixed cut, whatever the
 * thread count). */
void lagrange_chunk(const relax *x, int k, int *lo, int *hi);
/* The chunk that holds centre j. */
int lagrange_chunk_of(const relax *x, int j);
/* Member i's reduced cost in centre j's set, pair p: its weighted
 * distance less its multiplier, plus j's centre price (-M_j) and the
 * pair's inner cut price. */
static inline double lagrange_reduced(const relax *x, int i, int p, double centre_price)
{
    return x->h->w[i] * x->h->rdist[p] - x->lambda[i] + centre_price +
           (x->cuts ? x->cuts->inner[p + 1] : 0.0);
}
/* What opening centre j costs in the relaxation: its cost less the cover
 * row's multiplier. */
static inline double lagrange_open_price(const relax *x, int j)
{
    return x->h->open_cost[j] - x->cover_mu;
}
/* v_j (INFINITY: j cannot reach the minimum), with its best set S in
 * buf's front (chosen_end[j] of the *scanned reduced costs left there;
 * scanned may be NULL).  Reads every pair when x->full_scan is set. */
double lagrange_centre_value(relax *x, int j, int *scanned);
/* Moves the k smallest of v[0..n) to the front (ties by index). */
void lagrange_smallest_first(lreduced *v, int n, int k);

#endif
