/*
 * colgen.c — proves a part over whole clusters where opening a cluster
 * costs something (the annual cost objective's host stipend) or a
 * capacity binds with the count given (the capacitated p-median): branch
 * and price on the set-partitioning model, its root LP tightened by cover
 * and subset-row cuts.  auto calls it (solve/part_heuristic.c) on parts
 * its Lagrangian bound leaves unproven, within a work budget; where it
 * does not prove the part, its root bound still tightens the part's.
 *
 * Why: the compact MILP's LP (x_ij <= x_jj) opens clusters by fractions,
 * and the Lagrangian bound equals the set-partitioning LP, so tightly
 * packed zones stay 0.05-1 % from a proof (a 55-school Bungoma zone: GLPK
 * 601.7 s).  What closes such gaps are cuts on whole clusters and
 * branching:
 *   cover     for a set S of schools, at least ceil(|S| / size max)
 *             clusters headed by the centres S may join (milp_cover.c's
 *             separator): a 20-school Kisii zone, 13 % below its optimum
 *             without, proven at the root with;
 *   subset    for three schools T, the clusters holding two or more of T
 *   row       take at most one of them (sum <= 1);
 *   count     the cheapest openings alone cap the clusters a layout no
 *             dearer than the incumbent opens at k, so every cluster holds
 *             at least n - (k - 1) size max schools.
 *
 * Rows: one per school (covered once, as centre or member), one per
 * required centre, the cluster-count row (exactly `count`, else
 * ceil(n / size max) .. floor(n / size min)), the cuts.  Columns: the
 * artificials (costing more than the incumbent: a node whose clusters
 * cannot meet a row is priced out, never infeasible), then the clusters,
 * at most COLUMNS_KEPT kept when a node starts.  Pricing: per centre, a
 * depth-first walk over its members sorted by reduced cost, exact (the
 * least reduced cost of any cluster it may head at the node, cuts
 * included), or given up after PRICE_VISITS steps and then bounded
 * without the subset-row cuts (and by the knapsack's LP with a capacity).
 * With a capacity, a branch of the walk ends where even the knapsack's
 * LP over the members left cannot beat the best cluster so far.  At the
 * root, until the first cut, the pricing is stabilised around the
 * search's Lagrangian multipliers (below, "the stabilisation").
 *
 * The bound: for any duals of the right signs, a layout of the node costs
 * at least u.b + the sum over centres of min(0, the least reduced cost of
 * a cluster the centre may head) (Lagrangian relaxation: a centre heads at
 * most one cluster).  It is computed from the duals afresh, so it holds
 * whatever the simplex's tolerances, and a node is closed when it reaches
 * the incumbent.
 *
 * Fixing, for a part the tree leaves unproven: at the root's duals, a
 * pair (centre, member) whose cheapest cluster would lift the bound to the
 * best layout's cost is used by no cheaper layout (fix_at_root); round 2's
 * MILP then leaves it out.
 *
 * Branching, depth first: on the most fractional opening of a centre
 * (open: the school is no member of any cluster; closed: it heads none),
 * then on the most fractional membership of a school in a centre's
 * cluster (in: it joins no other; out: this centre never takes it).  With
 * every opening and membership integral the LP's layout is integral.
 *
 * Work: pricing steps plus ITERATION_WORK per simplex iteration, at most
 * in->work_limit (the root alone up to in->root_work_limit, when more); the
 * same on every machine.  Parameters below.
 */
#include "exact.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#define PRICE_VISITS 200000    /* steps of one centre's pricing walk */
#define CUTS_PER_ROUND 40      /* subset-row cuts added per round, most violated first */
/* Subset-row cuts: at the root only, up to CUTS_MAX.  Nairobi's Kayole
 * zone (128 schools), to its proof: 490 cuts, 81 nodes, 38 s; at most 200
 * cuts, 1,899 nodes and still unproven at 180 s; cuts at every node, 43
 * nodes but 94 s (each LP dearer). */
#define CUTS_MAX 800
#define CUT_VIOLATION 1e-3
#define CANDIDATES_MAX 4096    /* violated triples looked at per round */
#define COVERS_PER_ROUND 20
#define COVERS_MAX 200
#define COVER_SET_SIZE 40      /* the largest set of schools a cover grows */
#define FRACTIONAL 1e-6        /* an LP value this far from 0 and 1 is fractional */
/* A column enters when its reduced cost is below NEGATIVE times (1 +
 * 0.001 |its cost|): GLPK calls a basis optimal down to -(1e-7 + 1e-10
 * |cost|), and a column it would not take must not be added again and
 * again (a review's find). */
#define NEGATIVE (-1e-6)
/* A simplex iteration counts as this many pricing steps: on the Kenya
 * zones an iteration took 100-250 us (1,000-4,000 clusters, 400-900
 * rows), a step about 0.2 us. */
#define ITERATION_WORK 500
/* The LP keeps at most COLUMNS_KEPT clusters when a node starts (the
 * nonbasic ones of least reduced cost): the pricing is exact, so a
 * cluster dropped comes back when it prices out again, and GLPK's
 * iterations cost in proportion to the columns (Bungoma's zone: 250 us
 * an iteration at 4,000 clusters). */
#define COLUMNS_KEPT 1000

typedef struct {
    int a, b, c;
} triple;

typedef struct {
    double r, cost, teachers;
    int i;
} entry;

typedef struct {
    double key; /* reduced cost per teacher */
    int k;      /* the entry */
} ratio_rank;

enum { BRANCH_NONE, BRANCH_OPEN, BRANCH_CLOSE, BRANCH_IN, BRANCH_OUT };

/* A node of the tree: its parent's index and the one decision it adds. */
typedef struct {
    int parent, kind, centre, school;
} node;

typedef struct {
    const cp_colgen_input *in;
    int n;
    int size_min;              /* in->size_min, raised where the count is settled */
    glp_prob *lp;
    jmp_buf on_error;
    long work;
    long limit;                /* the work the current node may reach: the root's, then the tree's */
    int glpk_failure, out_of_memory;
    double upper;              /* the best layout's cost */
    int *best;                 /* its centres per school, when better than the incumbent */
    int n_art;                 /* artificial columns, LP columns 1 .. n_art */
    /* clusters: centre, members member[start[c] .. start[c+1]), cost; LP column n_art + c + 1 */
    long n_cols, col_cap, mem_cap;
    int *centre;
    long *start;
    int *member;
    double *cost;
    int *required_row;         /* per school: its required row, or 0 */
    int count_row;
    double count_lo, count_hi;
    /* cuts: the schools of each, and per school the cuts holding it */
    triple *cut;
    int n_cuts, *cut_row;
    int *cut_start, *cut_list;
    /* cover rows (milp_cover.c's cuts over the centres): at least rhs
     * clusters headed in a set of centres; cover_has[k * n + j] */
    cp_cover_cuts *cover;
    int *cover_self, *cover_member, *cover_centre; /* its view of the part as pairs */
    double *cover_x;
    unsigned char *cover_has;
    int n_covers, *cover_row;
    double *cover_rhs;
    /* duals, a cut's clamped to at most 0, a cover's to at least 0;
     * cover_price[j]: the covers' duals summed over those holding centre j */
    double *pi, *rho, kappa, *sigma, *tau, *cover_price;
    /* the root's stabilisation (in->centre_duals): the school and count
     * duals of the best bound so far, and the LP's own, kept while the
     * pricing runs between them */
    int smoothing;
    long smoothed;             /* rounds priced at smoothed duals */
    double *centre_pi, centre_kappa, centre_bound, *lp_pi, *lp_rho, lp_kappa;
    /* the node's decisions */
    unsigned char *closed;     /* heads no cluster */
    unsigned char *centre_only;/* member of no cluster (so it heads one) */
    int *assigned_to;          /* member of this centre's cluster, or -1 */
    int *forced;               /* per centre: the schools the node puts with it */
    int *out_centre, *out_school, n_out; /* pairs the node forbids */
    unsigned char *skip;       /* scratch: members the centre priced may not take */
    /* the tree */
    node *nodes;
    int n_nodes, node_cap;
    /* pricing and separation scratch */
    entry *e;
    ratio_rank *by_ratio;      /* e's indices, the most negative reduced cost per teacher first */
    double *prefix;
    int *chosen, *best_set, *hits;
    double *rcmin, *pair, *x;
    /* the root's reduced-cost fixing (fix_at_root), from the LP's duals as
     * the root left them (root_*, kept while the tree runs): per pair of
     * centre j and member in->member[p], useful[p]; per centre j,
     * useful[pairs + j] */
    double *root_pi, *root_rho, root_kappa, *root_sigma, *root_tau, *root_cover_price;
    unsigned char *useful;
} cg;

/* ---------------------------------------------------------- the columns */

static int reserve_columns(cg *g, long cols, long members)
{
    if (cols > g->col_cap) {
        long cap = g->col_cap ? 2 * g->col_cap : 256;
        int *centre;
        long *start;
        double *cost;
        while (cap < cols)
            cap *= 2;
        centre = cp_realloc(g->centre, (size_t)cap * sizeof(int));
        if (centre)
            g->centre = centre;
        start = cp_realloc(g->start, (size_t)(cap + 1) * sizeof(long));
        if (start)
            g->start = start;
        cost = cp_realloc(g->cost, (size_t)cap * sizeof(double));
        if (cost)
            g->cost = cost;
        if (!centre || !start || !cost)
            return -1;
        g->col_cap = cap;
    }
    if (members > g->mem_cap) {
        long cap = g->mem_cap ? 2 * g->mem_cap : 2048;
        int *member;
        while (cap < members)
            cap *= 2;
        member = cp_realloc(g->member, (size_t)cap * sizeof(int));
        if (!member)
            return -1;
        g->member = member;
        g->mem_cap = cap;
    }
    return 0;
}

/* How many of cut k's schools the cluster (centre j, members m[0..len)) holds. */
static int cut_hits(const cg *g, int k, int j, const int *m, int len)
{
    const triple *t = &g->cut[k];
    int hits = (j == t->a) + (j == t->b) + (j == t->c), q;
    for (q = 0; q < len; q++)
        hits += (m[q] == t->a) + (m[q] == t->b) + (m[q] == t->c);
    return hits;
}

/* Appends cluster (j, m[0..len)) to the store and as an LP column: its
 * schools' rows, j's required row, the count row and every cut it holds
 * two schools of.  Work: O(len + cuts). */
static int add_column(cg *g, int j, const int *m, int len, double cost)
{
    int *ind, nz = 0, k, col;
    double *val;
    long at;
    if (reserve_columns(g, g->n_cols + 1, (g->n_cols ? g->start[g->n_cols] : 0) + len))
        return -1;
    ind = cp_malloc((size_t)(len + 4 + g->n_cuts + g->n_covers) * sizeof(int)); /* 1-based */
    val = cp_malloc((size_t)(len + 4 + g->n_cuts + g->n_covers) * sizeof(double));
    if (!ind || !val) {
        cp_free(ind);
        cp_free(val);
        return -1;
    }
    if (g->n_cols == 0)
        g->start[0] = 0;
    at = g->start[g->n_cols];
    if (len > 0) /* a cluster of its centre alone may meet a member array not yet allocated */
        memcpy(g->member + at, m, (size_t)len * sizeof(int));
    g->centre[g->n_cols] = j;
    g->cost[g->n_cols] = cost;
    g->start[g->n_cols + 1] = at + len;
    g->n_cols++;
    ind[++nz] = j + 1;
    for (k = 0; k < len; k++)
        ind[++nz] = m[k] + 1;
    if (g->required_row[j])
        ind[++nz] = g->required_row[j];
    ind[++nz] = g->count_row;
    for (k = 0; k < g->n_cuts; k++)
        if (cut_hits(g, k, j, m, len) >= 2)
            ind[++nz] = g->cut_row[k];
    for (k = 0; k < g->n_covers; k++)
        if (g->cover_has[(size_t)k * g->n + j])
            ind[++nz] = g->cover_row[k];
    for (k = 1; k <= nz; k++)
        val[k] = 1.0;
    col = glp_add_cols(g->lp, 1);
    glp_set_col_bnds(g->lp, col, GLP_LO, 0.0, 0.0);
    glp_set_obj_coef(g->lp, col, cost);
    glp_set_mat_col(g->lp, col, nz, ind, val);
    cp_free(ind);
    cp_free(val);
    return 0;
}

/* ------------------------------------------------------------- the rows */

/* One artificial column, costing more than the incumbent (so its value
 * in any layout below the incumbent is 0), with `coef` in `row`. */
static void add_artificial(cg *g, int row, double coef)
{
    int ind[2], col = glp_add_cols(g->lp, 1);
    double val[2];
    ind[1] = row;
    val[1] = coef;
    glp_set_col_bnds(g->lp, col, GLP_LO, 0.0, 0.0);
    glp_set_obj_coef(g->lp, col, 2.0 * fabs(g->upper) + 1000.0);
    glp_set_mat_col(g->lp, col, 1, ind, val);
    g->n_art++;
}

/* The rows, and artificial columns that keep every node's LP feasible
 * whatever clusters it has: one per school and required centre, two for
 * the count row. */
static void build_rows(cg *g)
{
    const cp_colgen_input *in = g->in;
    int n = g->n, i, row;
    glp_set_obj_dir(g->lp, GLP_MIN);
    glp_add_rows(g->lp, n);
    for (i = 0; i < n; i++) {
        glp_set_row_bnds(g->lp, i + 1, GLP_FX, 1.0, 1.0);
        add_artificial(g, i + 1, 1.0);
    }
    for (i = 0; i < n; i++)
        if (in->required && in->required[i]) {
            row = glp_add_rows(g->lp, 1);
            glp_set_row_bnds(g->lp, row, GLP_FX, 1.0, 1.0);
            g->required_row[i] = row;
            add_artificial(g, row, 1.0);
        }
    g->count_row = glp_add_rows(g->lp, 1);
    if (in->count > 0) {
        g->count_lo = g->count_hi = in->count;
        glp_set_row_bnds(g->lp, g->count_row, GLP_FX, in->count, in->count);
    } else {
        g->count_lo = ceil((double)n / in->size_max);
        g->count_hi = floor((double)n / (g->size_min > 1 ? g->size_min : 1));
        glp_set_row_bnds(g->lp, g->count_row, g->count_lo < g->count_hi ? GLP_DB : GLP_FX,
                         g->count_lo, g->count_hi);
    }
    add_artificial(g, g->count_row, 1.0);
    add_artificial(g, g->count_row, -1.0);
}

/* The incumbent's clusters: a first feasible LP.  -2 when the incumbent
 * is not a layout of the part. */
static int add_incumbent(cg *g)
{
    const cp_colgen_input *in = g->in;
    int j, i, len;
    for (j = 0; j < g->n; j++) {
        double cost;
        if (in->incumbent[j] != j)
            continue;
        cost = in->open_cost[j];
        len = 0;
        for (i = 0; i < g->n; i++)
            if (i != j && in->incumbent[i] == j) {
                int p;
                for (p = in->mstart[j]; p < in->mstart[j + 1] && in->member[p] != i; p++)
                    ;
                if (p == in->mstart[j + 1])
                    return -2;
                g->chosen[len++] = i;
                cost += in->mcost[p];
            }
        if (add_column(g, j, g->chosen, len, cost))
            return -1;
    }
    for (i = 0; i < g->n; i++)
        if (in->incumbent[i] < 0 || in->incumbent[in->incumbent[i]] != in->incumbent[i])
            return -2;
    return 0;
}

/* Per school, the cuts that hold it (cut_start/cut_list).  O(cuts + n). */
static void index_cuts(cg *g)
{
    int n = g->n, k, i;
    memset(g->cut_start, 0, (size_t)(n + 1) * sizeof(int));
    for (k = 0; k < g->n_cuts; k++) {
        g->cut_start[g->cut[k].a + 1]++;
        g->cut_start[g->cut[k].b + 1]++;
        g->cut_start[g->cut[k].c + 1]++;
    }
    for (i = 0; i < n; i++)
        g->cut_start[i + 1] += g->cut_start[i];
    memcpy(g->hits, g->cut_start, (size_t)n * sizeof(int)); /* as fill pointers */
    for (k = 0; k < g->n_cuts; k++) {
        g->cut_list[g->hits[g->cut[k].a]++] = k;
        g->cut_list[g->hits[g->cut[k].b]++] = k;
        g->cut_list[g->hits[g->cut[k].c]++] = k;
    }
    memset(g->hits, 0, (size_t)(n + CUTS_MAX) * sizeof(int));
}

/* Reads the duals; a cut's (a <= row of a minimisation) is clamped to at
 * most 0 and a cover's (>=) to at least 0, so the bound below holds
 * whatever the simplex's tolerances.  Also per centre the covers' duals
 * it collects.  O(rows + covers x n). */
static void read_duals(cg *g)
{
    int i, k;
    for (i = 0; i < g->n; i++) {
        g->pi[i] = glp_get_row_dual(g->lp, i + 1);
        g->rho[i] = g->required_row[i] ? glp_get_row_dual(g->lp, g->required_row[i]) : 0.0;
    }
    g->kappa = glp_get_row_dual(g->lp, g->count_row);
    for (k = 0; k < g->n_cuts; k++)
        g->sigma[k] = fmin(glp_get_row_dual(g->lp, g->cut_row[k]), 0.0);
    memset(g->cover_price, 0, (size_t)g->n * sizeof(double));
    for (k = 0; k < g->n_covers; k++) {
        g->tau[k] = fmax(glp_get_row_dual(g->lp, g->cover_row[k]), 0.0);
        if (g->tau[k] > 0)
            for (i = 0; i < g->n; i++)
                if (g->cover_has[(size_t)k * g->n + i])
                    g->cover_price[i] += g->tau[k];
    }
}

/* u.b: the duals times their rows' binding sides (the count row's lower
 * side for a positive dual, its upper side for a negative one). */
static double dual_value(const cg *g)
{
    double v = 0.0;
    int i, k;
    for (i = 0; i < g->n; i++)
        v += g->pi[i] + g->rho[i];
    v += g->kappa * (g->kappa > 0 ? g->count_lo : g->count_hi);
    for (k = 0; k < g->n_cuts; k++)
        v += g->sigma[k];
    for (k = 0; k < g->n_covers; k++)
        v += g->tau[k] * g->cover_rhs[k];
    return v;
}

/* ----------------------------------------------------------- the walks */

typedef struct {
    cg *g;
    int j, lo, hi, n, negative_end, fixed;
    double base, load_max, load0;
    long visits, steps;        /* the walk's nodes; the knapsack bound's steps */
    int truncated;
    double best;
    int best_len;
    double best_cost;
} walker;

/* The least that members e[t+1..] add to a cluster that takes e[t] with
 * `count` chosen before it: the next ones up to the minimum, then the
 * next negative ones up to the maximum (e is sorted: nothing adds less). */
static double cheapest_rest(const walker *w, int t, int count)
{
    int need = w->lo - count - 1 > 0 ? w->lo - count - 1 : 0;
    int most = w->hi - count - 1, m = w->negative_end - (t + 1);
    if (m < need)
        m = need;
    if (m > most)
        m = most;
    if (m > w->n - t - 1)
        m = w->n - t - 1;
    return w->g->prefix[t + 1 + m] - w->g->prefix[t + 1];
}

/* The cut penalty of adding school i: -sigma of every cut it brings to
 * two schools (hits counts each cut's schools taken). */
static double take(cg *g, int i)
{
    double pen = 0.0;
    int q;
    for (q = g->cut_start[i]; q < g->cut_start[i + 1]; q++) {
        int k = g->cut_list[q];
        if (++g->hits[k] == 2)
            pen -= g->sigma[k];
    }
    return pen;
}

static void give_back(cg *g, int i)
{
    int q;
    for (q = g->cut_start[i]; q < g->cut_start[i + 1]; q++)
        g->hits[g->cut_list[q]]--;
}

/* The least that members e[from..] of negative reduced cost add within
 * `room` teachers, fractions allowed (the knapsack's LP): a lower bound
 * on any completion, the size limits and the cuts left out.  Members
 * without teachers fit in any room (a capacity of 0 included).  Visits at
 * most the centre's negative members, a few flops each: one more step in
 * w->steps (about the walk node's own cost; counted per member instead,
 * c300's bound at the default budget stayed at 14,131, against 14,204). */
static double knapsack_rest(walker *w, int from, double room)
{
    const cg *g = w->g;
    double sum = 0.0;
    int q;
    w->steps++;
    for (q = 0; q < w->negative_end; q++) {
        const entry *x = &g->e[g->by_ratio[q].k];
        if (g->by_ratio[q].k < from)
            continue;
        if (x->teachers <= room) {
            sum += x->r;
            room -= x->teachers;
        } else if (room > 0) {
            sum += x->r * room / x->teachers;
            room = 0;
        }
    }
    return sum;
}

/* Clusters headed by w->j that add members from e[from..] to the `count`
 * chosen; the least reduced cost is kept.  A member whose cheapest
 * completion reaches the best so far ends the loop: every later one adds
 * as much at least. */
static void walk(walker *w, int from, int count, double sum, double cost, double load,
                 double pen)
{
    cg *g = w->g;
    int t;
    if (++w->visits > PRICE_VISITS) {
        w->truncated = 1;
        return;
    }
    if (count >= w->lo && w->base + sum + pen < w->best) {
        w->best = w->base + sum + pen;
        w->best_len = count;
        w->best_cost = cost;
        memcpy(g->best_set, g->chosen, (size_t)count * sizeof(int));
    }
    if (count == w->hi)
        return;
    if (isfinite(w->load_max) &&
        w->base + sum + pen + knapsack_rest(w, from, w->load_max - load) >= w->best)
        return;
    for (t = from; t < w->n && !w->truncated; t++) {
        int need = w->lo - count - 1 > 0 ? w->lo - count - 1 : 0;
        if (t + 1 + need > w->n)
            break;
        if (w->base + sum + pen + g->e[t].r + cheapest_rest(w, t, count) >= w->best)
            break;
        if (load + g->e[t].teachers > w->load_max)
            continue;
        g->chosen[count] = g->e[t].i;
        walk(w, t + 1, count + 1, sum + g->e[t].r, cost + g->e[t].cost,
             load + g->e[t].teachers, pen + take(g, g->e[t].i));
        give_back(g, g->e[t].i);
    }
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *p = a, *q = b;
    if (p->r != q->r)
        return p->r < q->r ? -1 : 1;
    return (p->i > q->i) - (p->i < q->i);
}

/* by_ratio's order: reduced cost per teacher, most negative first
 * (members without teachers first of all), ties by index. */
static int cmp_ratio(const void *a, const void *b)
{
    const ratio_rank *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->k > y->k) - (x->k < y->k);
}

/* Whether the node lets centre j take member i. */
static int may_join(const cg *g, int j, int i)
{
    return i != j && !g->centre_only[i] && (g->assigned_to[i] < 0 || g->assigned_to[i] == j);
}

/* Sets up the walk over what centre j may head at the node, at the
 * current duals: the members it must take chosen first (fixed, their
 * reduced costs in base), the others sorted by reduced cost.  0 when j
 * may head no cluster.  The caller walks from (fixed, cost, load, pen). */
static int start_walk(cg *g, walker *w, int j, double *cost, double *load, double *pen)
{
    const cp_colgen_input *in = g->in;
    int p, k = 0, q;
    memset(w, 0, sizeof *w);
    w->g = g;
    w->j = j;
    w->lo = g->size_min > 1 ? g->size_min - 1 : 0;
    w->hi = in->size_max - 1;
    if (!in->eligible[j] || g->closed[j] || g->assigned_to[j] >= 0)
        return 0;
    for (q = 0; q < g->n_out; q++)
        if (g->out_centre[q] == j)
            g->skip[g->out_school[q]] = 1;
    w->base = in->open_cost[j] - g->pi[j] - g->rho[j] - g->kappa - g->cover_price[j];
    *cost = in->open_cost[j];
    *load = in->teachers[j];
    for (p = in->mstart[j]; p < in->mstart[j + 1]; p++) {
        int i = in->member[p];
        if (!may_join(g, j, i) || g->skip[i])
            continue;
        if (g->assigned_to[i] == j) {
            g->chosen[w->fixed++] = i;
            w->base += in->mcost[p] - g->pi[i];
            *cost += in->mcost[p];
            *load += in->teachers[i];
            continue;
        }
        g->e[k].i = i;
        g->e[k].cost = in->mcost[p];
        g->e[k].r = in->mcost[p] - g->pi[i];
        g->e[k].teachers = in->teachers[i];
        k++;
    }
    for (q = 0; q < g->n_out; q++)
        g->skip[g->out_school[q]] = 0;
    w->load_max = isfinite(in->capacity) ? in->capacity * (1 + 1e-12) : INFINITY;
    if (*load > w->load_max)
        return 0; /* the members the node gives j already overfill it */
    w->n = k;
    qsort(g->e, (size_t)k, sizeof *g->e, cmp_entry);
    g->prefix[0] = 0.0;
    for (k = 0; k < w->n; k++)
        g->prefix[k + 1] = g->prefix[k] + g->e[k].r;
    while (w->negative_end < w->n && g->e[w->negative_end].r < 0)
        w->negative_end++;
    w->load0 = *load;
    if (isfinite(w->load_max)) { /* the knapsack bound's order */
        for (k = 0; k < w->negative_end; k++) {
            g->by_ratio[k].k = k;
            g->by_ratio[k].key = g->e[k].teachers > 0 ? g->e[k].r / g->e[k].teachers : -INFINITY;
        }
        qsort(g->by_ratio, (size_t)w->negative_end, sizeof *g->by_ratio, cmp_ratio);
        w->steps += w->negative_end;
    }
    /* j and the members it must take count towards the cuts */
    *pen = take(g, j);
    for (q = 0; q < w->fixed; q++)
        *pen += take(g, g->chosen[q]);
    return 1;
}

static void end_walk(cg *g, const walker *w)
{
    int q;
    give_back(g, w->j);
    for (q = 0; q < w->fixed; q++)
        give_back(g, g->chosen[q]);
}

/* The least reduced cost of a cluster j may head, without the cuts and
 * the capacity (which only add): a lower bound when the walk gave up. */
static double relaxed_least(walker *w)
{
    int m = w->negative_end, lo = w->lo - w->fixed, hi = w->hi - w->fixed;
    if (m < lo)
        m = lo;
    if (m > hi)
        m = hi;
    if (m < 0 || m > w->n)
        return INFINITY;
    if (isfinite(w->load_max))
        return fmax(w->base + w->g->prefix[m],
                    w->base + knapsack_rest(w, 0, w->load_max - w->load0));
    return w->base + w->g->prefix[m];
}

/* The reduced cost of the cluster of centre j and members m[0..len) at
 * the LP's own duals (before any cut: smoothing ends when cuts begin). */
static double lp_reduced_cost(const cg *g, int j, const int *m, int len, double cost)
{
    double r = cost - g->lp_pi[j] - g->lp_rho[j] - g->lp_kappa;
    int q;
    for (q = 0; q < len; q++)
        r -= g->lp_pi[m[q]];
    return r;
}

enum { PRICE_ONLY, ADD_NEGATIVE, ADD_NEGATIVE_AT_LP };

/* Centre j's cheapest cluster at the node's duals, by the walk: its
 * reduced cost (a lower bound on it when the walk gave up, then
 * *truncated), INFINITY when j may head none; the cluster in
 * g->best_set, its size and cost in w (w->best INFINITY when none). */
static double cheapest_cluster(cg *g, int j, walker *w, int *truncated)
{
    double cost, load, pen;
    int heads = start_walk(g, w, j, &cost, &load, &pen);
    w->best = INFINITY;
    *truncated = 0;
    if (!heads)
        return INFINITY;
    if (w->fixed <= w->hi)
        walk(w, 0, w->fixed, 0.0, cost, load, pen);
    end_walk(g, w);
    g->work += w->visits + w->steps;
    *truncated = w->truncated;
    return w->truncated ? fmin(w->best, relaxed_least(w)) : w->best;
}

/* One pricing round at the node: per centre the least reduced cost
 * (rcmin) at the current duals, its cluster added when negative
 * (ADD_NEGATIVE) or when negative at the LP's own duals
 * (ADD_NEGATIVE_AT_LP, the stabilised duals differing).  Returns the
 * Lagrangian bound at these duals; *added the columns added, *exact
 * whether every walk finished.  -1 in *added when out of memory. */
static double price(cg *g, int mode, int *added, int *exact)
{
    double bound = dual_value(g);
    int j;
    *added = 0;
    *exact = 1;
    for (j = 0; j < g->n; j++) {
        walker w;
        double r;
        int truncated;
        g->rcmin[j] = cheapest_cluster(g, j, &w, &truncated);
        if (truncated)
            *exact = 0;
        if (g->rcmin[j] < 0)
            bound += g->rcmin[j];
        if (mode == PRICE_ONLY || !isfinite(w.best))
            continue;
        r = mode == ADD_NEGATIVE_AT_LP
                ? lp_reduced_cost(g, j, g->best_set, w.best_len, w.best_cost)
                : w.best;
        if (r < NEGATIVE * (1.0 + 1e-3 * fabs(w.best_cost))) {
            if (add_column(g, j, g->best_set, w.best_len, w.best_cost)) {
                *added = -1;
                return bound;
            }
            ++*added;
        }
    }
    return bound;
}

/* ---------------------------------------------------- the stabilisation
 *
 * Why: from the artificial columns the LP's duals swing wildly, and a
 * tightly capacitated part's root took 10^7 work to come within sight of
 * the Lagrangian bound the search had already found (SJC2, 200 schools:
 * still -470,000 against 33,271).  So at the root, until the first cut,
 * the pricing runs at SMOOTHING x the centre's duals + (1 - SMOOTHING) x
 * the LP's (Wentges), the centre starting at the search's Lagrangian
 * multipliers and moving to any duals that bound better.  A cluster
 * enters when it prices out at the LP's own duals; when none does, the
 * round is priced again at the LP's duals alone, so the root's LP ends as
 * without smoothing.  Every bound is still computed afresh at the duals
 * priced, so it stays valid.  Side by side (2 threads): SJC2 proven with
 * 2.2 M work (3 nodes) where 10 M left its root LP unconverged; c300 of
 * the harder set, bound 14,013 -> 14,223 at 10 M; Kenya by zones under
 * the annual cost objective, 1,252 -> 1,254 zones proven, 38.2 -> 36.4 s.
 * Tried before without the search's multipliers (the centre the best
 * duals colgen had seen), it lost Kayole's proof. */
#define SMOOTHING 0.8

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The count's dual that bounds best with the school duals g->pi, from
 * the centres' least reduced costs at kappa 0 (rcmin, just priced): the
 * bound is concave in kappa, rising while fewer than count_lo centres
 * (kappa > 0) or more than count_hi (kappa < 0) price below it, so kappa
 * is the count_lo-th least of them when that is above 0, the count_hi-th
 * when that is below 0, else 0.  Returns the bound there. */
static double best_count_dual(cg *g, double bound_at_zero)
{
    double *r = cp_malloc((size_t)g->n * sizeof(double)), kappa = 0.0, v;
    int j, m = 0, lo = (int)g->count_lo, hi = (int)g->count_hi;
    if (!r)
        return bound_at_zero;
    for (j = 0; j < g->n; j++)
        if (isfinite(g->rcmin[j]))
            r[m++] = g->rcmin[j];
    qsort(r, (size_t)m, sizeof(double), cmp_double);
    if (lo >= 1 && lo <= m && r[lo - 1] > 0)
        kappa = r[lo - 1];
    else if (hi >= 1 && hi <= m && r[hi - 1] < 0)
        kappa = r[hi - 1];
    v = bound_at_zero + kappa * (kappa > 0 ? g->count_lo : g->count_hi);
    for (j = 0; j < m; j++)
        v += fmin(0.0, r[j] - kappa) - fmin(0.0, r[j]);
    cp_free(r);
    if (!(v > bound_at_zero))
        return bound_at_zero;
    g->kappa = kappa;
    return v;
}

/* The centre: in->centre_duals (the required rows' duals 0), the count's
 * dual that suits them, valued by one pricing round at the root (its
 * node applied).  0 when there is no centre to start from (smoothing
 * off). */
static int start_smoothing(cg *g)
{
    int added, exact;
    double bound;
    if (!g->in->centre_duals)
        return 0;
    memcpy(g->pi, g->in->centre_duals, (size_t)g->n * sizeof(double));
    memset(g->rho, 0, (size_t)g->n * sizeof(double));
    g->kappa = 0.0;
    bound = best_count_dual(g, price(g, PRICE_ONLY, &added, &exact));
    memcpy(g->centre_pi, g->pi, (size_t)g->n * sizeof(double));
    g->centre_kappa = g->kappa;
    g->centre_bound = bound;
    return 1;
}

/* The duals between the centre and the LP's (just read), the LP's kept. */
static void smooth_duals(cg *g)
{
    int i;
    memcpy(g->lp_pi, g->pi, (size_t)g->n * sizeof(double));
    memcpy(g->lp_rho, g->rho, (size_t)g->n * sizeof(double));
    g->lp_kappa = g->kappa;
    for (i = 0; i < g->n; i++) {
        g->pi[i] = SMOOTHING * g->centre_pi[i] + (1 - SMOOTHING) * g->lp_pi[i];
        g->rho[i] = (1 - SMOOTHING) * g->lp_rho[i];
    }
    g->kappa = SMOOTHING * g->centre_kappa + (1 - SMOOTHING) * g->lp_kappa;
}

/* The LP's duals back (after a round that added nothing). */
static void unsmooth_duals(cg *g)
{
    memcpy(g->pi, g->lp_pi, (size_t)g->n * sizeof(double));
    memcpy(g->rho, g->lp_rho, (size_t)g->n * sizeof(double));
    g->kappa = g->lp_kappa;
}

/* One stabilised pricing round: at the smoothed duals, the centre moved
 * where they bound better, then at the LP's own when nothing entered. */
static double price_smoothed(cg *g, int *added, int *exact)
{
    double bound;
    smooth_duals(g);
    g->smoothed++;
    bound = price(g, ADD_NEGATIVE_AT_LP, added, exact);
    if (bound > g->centre_bound) {
        memcpy(g->centre_pi, g->pi, (size_t)g->n * sizeof(double));
        g->centre_kappa = g->kappa;
        g->centre_bound = bound;
    }
    unsmooth_duals(g);
    if (*added == 0)
        bound = fmax(bound, price(g, ADD_NEGATIVE, added, exact));
    return bound;
}

/* -------------------------------------------------------- the separator */

static int cmp_violation(const void *a, const void *b)
{
    const double *p = a, *q = b;
    if (p[0] != q[0])
        return p[0] > q[0] ? -1 : 1;
    return (p[1] > q[1]) - (p[1] < q[1]);
}

static int has_cut(const cg *g, int a, int b, int c)
{
    int k;
    for (k = 0; k < g->n_cuts; k++)
        if (g->cut[k].a == a && g->cut[k].b == b && g->cut[k].c == c)
            return 1;
    return 0;
}

/* Whether cluster c holds school i (its centre or a member). */
static int holds(const cg *g, long c, int i)
{
    long at;
    if (g->centre[c] == i)
        return 1;
    for (at = g->start[c]; at < g->start[c + 1]; at++)
        if (g->member[at] == i)
            return 1;
    return 0;
}

/* Adds cut t as a row over every cluster holding two of its schools. */
static int add_cut(cg *g, triple t)
{
    int row, nz = 0;
    long c;
    int *ind = cp_malloc((size_t)(g->n_cols + 1) * sizeof(int));
    double *val = cp_malloc((size_t)(g->n_cols + 1) * sizeof(double));
    if (!ind || !val) {
        cp_free(ind);
        cp_free(val);
        return -1;
    }
    g->cut[g->n_cuts] = t;
    row = glp_add_rows(g->lp, 1);
    glp_set_row_bnds(g->lp, row, GLP_UP, 0.0, 1.0);
    g->cut_row[g->n_cuts] = row;
    for (c = 0; c < g->n_cols; c++)
        if (cut_hits(g, g->n_cuts, g->centre[c], g->member + g->start[c],
                     (int)(g->start[c + 1] - g->start[c])) >= 2) {
            ind[++nz] = g->n_art + (int)c + 1;
            val[nz] = 1.0;
        }
    glp_set_mat_row(g->lp, row, nz, ind, val);
    cp_free(ind);
    cp_free(val);
    g->n_cuts++;
    return 0;
}

/* Adds up to CUTS_PER_ROUND subset-row cuts the LP solution violates by
 * more than CUT_VIOLATION, most violated first.  Work: the fractional
 * clusters' pairs (<= 21 each) times n, plus a pass over the clusters per
 * cut.  Returns the cuts added, -1 when out of memory. */
static int separate(cg *g)
{
    int n = g->n, a, b, c, found = 0, k, added = 0;
    long col, f_len = 0, *frac = cp_malloc((size_t)(g->n_cols ? g->n_cols : 1) * sizeof(long));
    double *cand = cp_malloc((size_t)2 * CANDIDATES_MAX * sizeof(double));
    if (!frac || !cand) {
        cp_free(frac);
        cp_free(cand);
        return -1;
    }
    memset(g->pair, 0, (size_t)n * n * sizeof(double));
    for (col = 0; col < g->n_cols; col++) {
        long p, q;
        double x = g->x[col];
        if (x < FRACTIONAL || x > 1 - FRACTIONAL)
            continue;
        frac[f_len++] = col;
        for (p = g->start[col] - 1; p < g->start[col + 1]; p++)
            for (q = p + 1; q < g->start[col + 1]; q++) {
                int u = p < g->start[col] ? g->centre[col] : g->member[p], v = g->member[q];
                g->pair[u * n + v] += x;
                g->pair[v * n + u] += x;
            }
    }
    for (a = 0; a < n && found < CANDIDATES_MAX; a++)
        for (b = a + 1; b < n && found < CANDIDATES_MAX; b++) {
            if (g->pair[a * n + b] < FRACTIONAL)
                continue;
            for (c = b + 1; c < n && found < CANDIDATES_MAX; c++) {
                double lhs = g->pair[a * n + b] + g->pair[a * n + c] + g->pair[b * n + c];
                long f;
                if (lhs <= 1 + CUT_VIOLATION)
                    continue;
                for (f = 0; f < f_len; f++) /* clusters holding all three count once */
                    if (holds(g, frac[f], a) && holds(g, frac[f], b) && holds(g, frac[f], c))
                        lhs -= 2 * g->x[frac[f]];
                if (lhs > 1 + CUT_VIOLATION && !has_cut(g, a, b, c)) {
                    cand[2 * found] = lhs;
                    cand[2 * found + 1] = ((double)a * n + b) * n + c;
                    found++;
                }
            }
        }
    qsort(cand, (size_t)found, 2 * sizeof(double), cmp_violation);
    for (k = 0; k < found && added < CUTS_PER_ROUND && g->n_cuts < CUTS_MAX; k++) {
        long code = (long)cand[2 * k + 1];
        triple t;
        t.a = (int)(code / ((long)n * n));
        t.b = (int)(code / n % n);
        t.c = (int)(code % n);
        if (add_cut(g, t)) {
            added = -1;
            break;
        }
        added++;
    }
    if (added > 0)
        index_cuts(g);
    cp_free(frac);
    cp_free(cand);
    return added;
}

/* The cover separator's view of the part: one column per admissible
 * (member, centre) pair and per centre's own x_jj, 1-based. */
static int setup_covers(cg *g)
{
    const cp_colgen_input *in = g->in;
    long cols = 0;
    int j, p;
    if (in->count > 0)
        return 0; /* the count row already says how many */
    g->cover_self = cp_calloc((size_t)g->n, sizeof(int));
    g->cover_member = cp_malloc((size_t)(in->mstart[g->n] + g->n + 1) * sizeof(int));
    g->cover_centre = cp_malloc((size_t)(in->mstart[g->n] + g->n + 1) * sizeof(int));
    g->cover_x = cp_calloc((size_t)(in->mstart[g->n] + g->n + 1), sizeof(double));
    g->cover_has = cp_calloc((size_t)COVERS_MAX * g->n, 1);
    g->cover_row = cp_malloc(COVERS_MAX * sizeof(int));
    g->cover_rhs = cp_malloc(COVERS_MAX * sizeof(double));
    if (!g->cover_self || !g->cover_member || !g->cover_centre || !g->cover_x ||
        !g->cover_has || !g->cover_row || !g->cover_rhs)
        return -1;
    for (j = 0; j < g->n; j++) {
        if (!in->eligible[j])
            continue;
        g->cover_self[j] = (int)++cols;
        g->cover_member[cols] = g->cover_centre[cols] = j;
        for (p = in->mstart[j]; p < in->mstart[j + 1]; p++)
            if (in->member[p] != j) {
                g->cover_member[++cols] = in->member[p];
                g->cover_centre[cols] = j;
            }
    }
    g->cover = cp_cover_cuts_new(g->n, cols, g->cover_member, g->cover_centre, g->cover_self,
                                 in->size_max, COVER_SET_SIZE);
    return g->cover ? 0 : -1;
}

typedef struct {
    cg *g;
    int added, failed;
} cover_emit;

/* A cover from the separator (-sum_{j in N(S)} x_jj <= -r): the row
 * "at least r clusters headed in N(S)" over the clusters so far. */
static void emit_cover(const int *cols, const double *vals, int len, double rhs, void *arg)
{
    cover_emit *ce = arg;
    cg *g = ce->g;
    unsigned char *has;
    int q, row, nz = 0, *ind;
    double *val;
    long c;
    (void)vals;
    if (g->n_covers >= COVERS_MAX || ce->failed)
        return;
    ind = cp_malloc((size_t)(g->n_cols + 1) * sizeof(int));
    val = cp_malloc((size_t)(g->n_cols + 1) * sizeof(double));
    if (!ind || !val) {
        cp_free(ind);
        cp_free(val);
        ce->failed = 1;
        return;
    }
    has = g->cover_has + (size_t)g->n_covers * g->n;
    for (q = 0; q < len; q++)
        has[g->cover_centre[cols[q]]] = 1;
    row = glp_add_rows(g->lp, 1);
    glp_set_row_bnds(g->lp, row, GLP_LO, -rhs, 0.0);
    for (c = 0; c < g->n_cols; c++)
        if (has[g->centre[c]]) {
            ind[++nz] = g->n_art + (int)c + 1;
            val[nz] = 1.0;
        }
    glp_set_mat_row(g->lp, row, nz, ind, val);
    cp_free(ind);
    cp_free(val);
    g->cover_row[g->n_covers] = row;
    g->cover_rhs[g->n_covers++] = -rhs;
    ce->added++;
}

/* Covers the LP's openings violate (milp_cover.c's separator).  Returns
 * the rows added, -1 when out of memory. */
static int separate_covers(cg *g)
{
    cover_emit ce;
    long c;
    int j;
    if (!g->cover || g->n_covers >= COVERS_MAX)
        return 0;
    for (j = 0; j < g->n; j++)
        if (g->cover_self[j])
            g->cover_x[g->cover_self[j]] = 0.0;
    for (c = 0; c < g->n_cols; c++)
        if (g->cover_self[g->centre[c]])
            g->cover_x[g->cover_self[g->centre[c]]] += g->x[c];
    ce.g = g;
    ce.added = 0;
    ce.failed = 0;
    if (cp_cover_cuts_separate(g->cover, g->cover_x, COVERS_PER_ROUND, emit_cover, &ce) < 0 ||
        ce.failed)
        return -1;
    return ce.added;
}

/* --------------------------------------------------------------- the LP */

static void error_hook(void *info)
{
    cg *g = info;
    longjmp(g->on_error, 1);
}

/* The LP after columns were added (primal) or rows and bounds changed
 * (dual).  0 when optimal; 1 when the work budget is spent; -1 when GLPK
 * failed. */
static int solve_lp(cg *g, int dual)
{
    glp_smcp p;
    int rc, before = glp_get_it_cnt(g->lp);
    long c;
    glp_init_smcp(&p);
    p.msg_lev = g->in->verbose ? GLP_MSG_ERR : GLP_MSG_OFF;
    p.meth = dual ? GLP_DUALP : GLP_PRIMAL;
    p.it_lim = (int)fmin(fmax((double)(g->limit - g->work) / ITERATION_WORK, 1.0), 2e9);
    rc = glp_simplex(g->lp, &p);
    g->work += (long)(glp_get_it_cnt(g->lp) - before) * ITERATION_WORK;
    if (rc == GLP_EITLIM)
        return 1;
    if (rc != 0 || glp_get_status(g->lp) != GLP_OPT) {
        g->glpk_failure = rc ? rc : 100 + glp_get_status(g->lp);
        return -1;
    }
    for (c = 0; c < g->n_cols; c++)
        g->x[c] = glp_get_col_prim(g->lp, g->n_art + (int)c + 1);
    return 0;
}

/* The LP values' array, as long as the clusters' store. */
static int reserve_x(cg *g)
{
    double *x = cp_realloc(g->x, (size_t)(g->col_cap ? g->col_cap : 1) * sizeof(double));
    if (!x)
        return -1;
    g->x = x;
    return 0;
}

/* Whether the guard or an interrupt has stopped the run. */
static int stopped(const cg *g)
{
    return (g->in->interrupt && *g->in->interrupt) ||
           (g->in->deadline > 0 && cp_now_seconds() > g->in->deadline);
}

enum { NODE_CLOSED, NODE_FRACTIONAL, NODE_STOPPED, NODE_FAILED };

/* Column generation at the current node (root: with cut rounds) until
 * no cluster prices out, the bound reaches the upper bound or the work
 * is spent.  *bound: the best Lagrangian bound seen. */
static int generate(cg *g, int root, double *bound)
{
    int added, exact, dual = 1, st;
    *bound = -INFINITY;
    for (;;) {
        if (stopped(g) || g->work >= g->limit)
            return NODE_STOPPED;
        st = solve_lp(g, dual);
        if (st)
            return st > 0 ? NODE_STOPPED : NODE_FAILED;
        read_duals(g);
        *bound = fmax(*bound, root && g->smoothing && g->n_cuts == 0 && g->n_covers == 0
                                  ? price_smoothed(g, &added, &exact)
                                  : price(g, ADD_NEGATIVE, &added, &exact));
        if (added < 0 || reserve_x(g)) {
            g->out_of_memory = 1;
            return NODE_FAILED;
        }
        if (cp_bound_meets(*bound, g->upper))
            return NODE_CLOSED;
        dual = 0;
        if (added > 0)
            continue;
        if (!exact)
            return NODE_STOPPED; /* nothing found, but not every centre was looked at */
        if (!root)
            return NODE_FRACTIONAL;
        st = separate_covers(g);
        if (st >= 0) {
            int cuts = separate(g);
            st = cuts < 0 ? -1 : st + cuts;
        }
        if (st < 0) {
            g->out_of_memory = 1;
            return NODE_FAILED;
        }
        if (st == 0)
            return NODE_FRACTIONAL; /* the root's LP, as tight as these cuts make it */
        dual = 1;
    }
}

/* --------------------------------------------------------------- the tree */

/* Whether cluster c is allowed at the node: its centre may head one, its
 * members may join it, and it holds every school the node puts with its
 * centre (g->forced).  O(members x pairs the node forbids). */
static int allowed(const cg *g, long c)
{
    int j = g->centre[c], q;
    long at;
    int held = 0;
    if (g->closed[j] || g->assigned_to[j] >= 0)
        return 0;
    for (at = g->start[c]; at < g->start[c + 1]; at++) {
        int i = g->member[at];
        if (!may_join(g, j, i))
            return 0;
        held += g->assigned_to[i] == j;
        for (q = 0; q < g->n_out; q++)
            if (g->out_centre[q] == j && g->out_school[q] == i)
                return 0;
    }
    return held == g->forced[j];
}

/* Drops nonbasic clusters, dearest reduced cost first, down to
 * COLUMNS_KEPT (basic ones stay, so the basis does).  Work: O(columns log
 * columns).  -1 when out of memory (nothing dropped). */
static int drop_columns(cg *g)
{
    long c, kept = 0, n_rc = 0, surplus = g->n_cols - COLUMNS_KEPT;
    double *rc, cut_off;
    int *gone, n_gone = 0;
    if (g->n_cols <= COLUMNS_KEPT)
        return 0;
    rc = cp_malloc((size_t)g->n_cols * sizeof(double));
    gone = cp_malloc((size_t)(g->n_cols + 1) * sizeof(int));
    if (!rc || !gone) {
        cp_free(rc);
        cp_free(gone);
        return -1;
    }
    for (c = 0; c < g->n_cols; c++)
        if (glp_get_col_stat(g->lp, g->n_art + (int)c + 1) != GLP_BS)
            rc[n_rc++] = glp_get_col_dual(g->lp, g->n_art + (int)c + 1);
    qsort(rc, (size_t)n_rc, sizeof(double), cmp_double);
    /* the surplus dearest go (fewer where reduced costs tie at the cut-off) */
    cut_off = n_rc > surplus ? rc[n_rc - surplus - 1] : -INFINITY;
    for (c = 0; c < g->n_cols; c++) {
        int col = g->n_art + (int)c + 1;
        if (glp_get_col_stat(g->lp, col) != GLP_BS && glp_get_col_dual(g->lp, col) > cut_off &&
            n_gone < surplus) {
            gone[++n_gone] = col;
            continue;
        }
        /* kept: moved down in the store */
        if (kept != c) {
            long len = g->start[c + 1] - g->start[c], from = g->start[c];
            memmove(g->member + g->start[kept], g->member + from, (size_t)len * sizeof(int));
            g->centre[kept] = g->centre[c];
            g->cost[kept] = g->cost[c];
            g->x[kept] = g->x[c];
            g->start[kept + 1] = g->start[kept] + len;
        } else {
            g->start[kept + 1] = g->start[c + 1];
        }
        kept++;
    }
    if (n_gone > 0)
        glp_del_cols(g->lp, n_gone, gone);
    g->n_cols = kept;
    cp_free(rc);
    cp_free(gone);
    return 0;
}

/* The node's decisions (its own and its ancestors'), and the LP's
 * clusters fixed to 0 where the node forbids them. */
static void apply_node(cg *g, int at)
{
    long c;
    int i;
    memset(g->closed, 0, (size_t)g->n);
    memset(g->centre_only, 0, (size_t)g->n);
    memset(g->skip, 0, (size_t)g->n);
    memset(g->assigned_to, 0xff, (size_t)g->n * sizeof(int));
    g->n_out = 0;
    for (; at > 0; at = g->nodes[at].parent) {
        const node *v = &g->nodes[at];
        switch (v->kind) {
        case BRANCH_OPEN:
            g->centre_only[v->centre] = 1;
            break;
        case BRANCH_CLOSE:
            g->closed[v->centre] = 1;
            break;
        case BRANCH_IN:
            g->assigned_to[v->school] = v->centre;
            g->centre_only[v->centre] = 1;
            break;
        case BRANCH_OUT:
            g->out_centre[g->n_out] = v->centre;
            g->out_school[g->n_out++] = v->school;
            break;
        }
    }
    memset(g->forced, 0, (size_t)g->n * sizeof(int));
    for (i = 0; i < g->n; i++)
        if (g->assigned_to[i] >= 0)
            g->forced[g->assigned_to[i]]++;
    for (c = 0; c < g->n_cols; c++)
        glp_set_col_bnds(g->lp, g->n_art + (int)c + 1, allowed(g, c) ? GLP_LO : GLP_FX, 0.0, 0.0);
}

static int push(cg *g, int parent, int kind, int centre, int school)
{
    if (g->n_nodes == g->node_cap) {
        int cap = g->node_cap ? 2 * g->node_cap : 64;
        node *nodes = cp_realloc(g->nodes, (size_t)cap * sizeof *nodes);
        if (!nodes)
            return -1;
        g->nodes = nodes;
        g->node_cap = cap;
    }
    g->nodes[g->n_nodes].parent = parent;
    g->nodes[g->n_nodes].kind = kind;
    g->nodes[g->n_nodes].centre = centre;
    g->nodes[g->n_nodes].school = school;
    return g->n_nodes++;
}

/* The LP layout's most fractional opening, else its most fractional
 * membership (ties by index): *kind BRANCH_NONE when both are integral,
 * and then the layout is integral. */
static void choose_branch(cg *g, int *kind, int *centre, int *school, double *value)
{
    int n = g->n, j, i;
    double best = FRACTIONAL;
    long c, at;
    *kind = BRANCH_NONE;
    memset(g->rcmin, 0, (size_t)n * sizeof(double)); /* openings, reused */
    for (c = 0; c < g->n_cols; c++)
        g->rcmin[g->centre[c]] += g->x[c];
    for (j = 0; j < n; j++) {
        double f = fmin(g->rcmin[j], 1 - g->rcmin[j]);
        if (f > best) {
            best = f;
            *kind = BRANCH_OPEN;
            *centre = j;
            *value = g->rcmin[j];
        }
    }
    if (*kind != BRANCH_NONE)
        return;
    memset(g->pair, 0, (size_t)n * n * sizeof(double));
    for (c = 0; c < g->n_cols; c++)
        if (g->x[c] > FRACTIONAL)
            for (at = g->start[c]; at < g->start[c + 1]; at++)
                g->pair[g->centre[c] * n + g->member[at]] += g->x[c];
    for (j = 0; j < n; j++)
        for (i = 0; i < n; i++) {
            double v = g->pair[j * n + i], f = fmin(v, 1 - v);
            if (f > best) {
                best = f;
                *kind = BRANCH_IN;
                *centre = j;
                *school = i;
                *value = v;
            }
        }
}

/* The node's LP layout, integral in every opening and membership: kept
 * when cheaper than the best.  0 when done (kept or not cheaper); 1 when
 * it is not a layout (an artificial in it, or a school covered other than
 * once: tolerances), which closes nothing; -1 out of memory. */
static int keep_layout(cg *g)
{
    double cost = 0.0;
    long c, at;
    int i, *placed;
    for (i = 1; i <= g->n_art; i++)
        if (glp_get_col_prim(g->lp, i) > FRACTIONAL)
            return 1;
    placed = cp_calloc((size_t)g->n, sizeof(int));
    if (!placed)
        return -1;
    for (c = 0; c < g->n_cols; c++)
        if (g->x[c] > 0.5) {
            cost += g->cost[c];
            placed[g->centre[c]]++;
            for (at = g->start[c]; at < g->start[c + 1]; at++)
                placed[g->member[at]]++;
        }
    for (i = 0; i < g->n && placed[i] == 1; i++)
        ;
    cp_free(placed);
    if (i < g->n)
        return 1;
    if (cp_bound_meets(cost, g->upper))
        return 0;
    if (!g->best && !(g->best = cp_malloc((size_t)g->n * sizeof(int))))
        return -1;
    for (c = 0; c < g->n_cols; c++)
        if (g->x[c] > 0.5) {
            g->best[g->centre[c]] = g->centre[c];
            for (at = g->start[c]; at < g->start[c + 1]; at++)
                g->best[g->member[at]] = g->centre[c];
        }
    g->upper = cost;
    return 0;
}

/* The work the root may reach: in->root_work_limit when larger than the
 * whole tree's in->work_limit. */
static long root_limit(const cg *g)
{
    return g->in->root_work_limit > g->in->work_limit ? g->in->root_work_limit
                                                      : g->in->work_limit;
}

/* The duals the pricing reads, into the root's copy (to_root) or back
 * from it. */
static void copy_duals(cg *g, int to_root)
{
    size_t n = (size_t)g->n;
    struct {
        double *live, *kept;
        size_t len;
    } v[] = {{g->pi, g->root_pi, n},
             {g->rho, g->root_rho, n},
             {g->sigma, g->root_sigma, CUTS_MAX},
             {g->tau, g->root_tau, COVERS_MAX},
             {g->cover_price, g->root_cover_price, n}};
    size_t k;
    for (k = 0; k < sizeof v / sizeof *v; k++)
        memcpy(to_root ? v[k].kept : v[k].live, to_root ? v[k].live : v[k].kept,
               v[k].len * sizeof(double));
    if (to_root)
        g->root_kappa = g->kappa;
    else
        g->kappa = g->root_kappa;
}

/* The LP's duals as the root leaves them, for fix_at_root after the tree
 * (any node's would do, but the root's bound no node's decisions). */
static void keep_root_duals(cg *g)
{
    size_t n = (size_t)g->n;
    read_duals(g); /* the LP's own, not the stabilised ones */
    g->root_pi = cp_malloc(n * sizeof(double));
    g->root_rho = cp_malloc(n * sizeof(double));
    g->root_sigma = cp_malloc(CUTS_MAX * sizeof(double));
    g->root_tau = cp_malloc(COVERS_MAX * sizeof(double));
    g->root_cover_price = cp_malloc(n * sizeof(double));
    if (!g->root_pi || !g->root_rho || !g->root_sigma || !g->root_tau || !g->root_cover_price) {
        cp_free(g->root_pi);
        g->root_pi = NULL; /* no fixing: round 2 takes every pair, as without */
        return;
    }
    copy_duals(g, 1);
}

/* Reduced-cost fixing, at the root's duals (keep_root_duals), for a part
 * the tree did not prove: a layout in which centre j heads a cluster
 * holding school i costs at least the Lagrangian bound with j's term,
 * min(0, rcmin[j]), replaced by the least reduced cost of j's clusters
 * holding i (the walk with i made to join j).  Where that meets the best
 * layout's cost, no cheaper layout uses the pair; where j's own least
 * reduced cost does, none opens j.  Any duals of the right signs give a
 * valid bound, and a walk given up gives a lower bound, so the fixing
 * holds whatever the LP's tolerances, and also where the root stopped
 * short of its LP's optimum (the work ran out), only weaker.  Why: round
 * 2's MILP takes only the pairs kept; on Kenya's zones under the annual
 * cost objective it proved 4 more zones (1,258 of 1,279), and a 95-school
 * zone kept 652 of 4,455 pairs.  Work: a walk per pair, counted, at most
 * as much again as the root could have; it also stops at the guard or an
 * interrupt, and the pairs not yet looked at then stay kept.  g->useful
 * is left NULL when out of memory. */
static void fix_at_root(cg *g)
{
    const cp_colgen_input *in = g->in;
    long pairs = in->mstart[g->n], limit = g->work + root_limit(g);
    size_t n = (size_t)g->n;
    double bound;
    int added, exact, j, p;
    g->useful = cp_malloc((size_t)pairs + n);
    if (!g->useful)
        return;
    memset(g->useful, 1, (size_t)pairs + n);
    apply_node(g, 0); /* the root's decisions: none */
    copy_duals(g, 0);
    bound = price(g, PRICE_ONLY, &added, &exact);
    for (j = 0; j < g->n; j++) {
        double others = bound - fmin(0.0, g->rcmin[j]);
        if (g->work >= limit || stopped(g))
            return;
        if (!isfinite(g->rcmin[j]) || cp_bound_meets(others + g->rcmin[j], g->upper)) {
            g->useful[pairs + j] = 0; /* j heads no cluster of a cheaper layout */
            memset(g->useful + in->mstart[j], 0, (size_t)(in->mstart[j + 1] - in->mstart[j]));
            continue;
        }
        for (p = in->mstart[j]; p < in->mstart[j + 1]; p++) {
            int i = in->member[p], truncated;
            walker w;
            double least;
            if (g->work >= limit || stopped(g))
                return;
            if (i == j) { /* the centre's own entry: as its heading */
                g->useful[p] = g->useful[pairs + j];
                continue;
            }
            g->assigned_to[i] = j;
            least = cheapest_cluster(g, j, &w, &truncated);
            g->assigned_to[i] = -1;
            if (!isfinite(least) || cp_bound_meets(others + least, g->upper))
                g->useful[p] = 0;
        }
    }
}

/* Depth first over the tree from the root.  Returns 1 when every node was
 * closed (the best layout is proven), 0 when the work ran out (then, with
 * in->want_useful, the root's fixing in g->useful), -1 on a failure;
 * *root_bound the root's bound. */
static int branch_and_price(cg *g, double *root_bound)
{
    int *stack = NULL, depth = 0, cap = 0, done = 1;
    if (push(g, -1, BRANCH_NONE, -1, -1) < 0)
        return -1;
    *root_bound = -INFINITY;
    stack = cp_malloc(64 * sizeof(int));
    if (!stack)
        return -1;
    cap = 64;
    stack[depth++] = 0;
    while (depth > 0) {
        int at = stack[--depth], st, kind, centre = -1, school = -1, first, second;
        double bound, value = 0.0;
        if (drop_columns(g)) {
            done = -1;
            break;
        }
        apply_node(g, at);
        g->limit = at == 0 ? root_limit(g) : g->in->work_limit;
        if (at == 0)
            g->smoothing = start_smoothing(g);
        st = generate(g, at == 0, &bound);
        if (at == 0)
            *root_bound = bound;
        if (at == 0 && (st == NODE_FRACTIONAL || st == NODE_STOPPED) && g->in->want_useful)
            keep_root_duals(g);
        if (st == NODE_FAILED || st == NODE_STOPPED) {
            done = st == NODE_FAILED ? -1 : 0;
            break;
        }
        if (st == NODE_CLOSED)
            continue;
        choose_branch(g, &kind, &centre, &school, &value);
        if (kind == BRANCH_NONE) {
            st = keep_layout(g);
            if (st) { /* -1: out of memory; 1: the node cannot be closed, nor the tree */
                done = st < 0 ? -1 : 0;
                break;
            }
            continue;
        }
        if (depth + 2 > cap) {
            int *grown = cp_realloc(stack, (size_t)(2 * cap) * sizeof(int));
            if (!grown) {
                done = -1;
                break;
            }
            stack = grown;
            cap *= 2;
        }
        /* the child nearer the LP's value is searched first (pushed last) */
        first = push(g, at, kind == BRANCH_OPEN ? BRANCH_CLOSE : BRANCH_OUT, centre, school);
        second = push(g, at, kind, centre, school);
        if (first < 0 || second < 0) {
            done = -1;
            break;
        }
        if (value >= 0.5) {
            stack[depth++] = first;
            stack[depth++] = second;
        } else {
            stack[depth++] = second;
            stack[depth++] = first;
        }
    }
    cp_free(stack);
    /* a part the tree leaves unproven: its root's fixing, for round 2 */
    if (done == 0 && g->root_pi && !stopped(g))
        fix_at_root(g);
    return done;
}

/* --------------------------------------------------------- setup, cleanup */

static void release(cg *g)
{
    void *owned[] = {g->best,      g->centre,      g->start,      g->member,   g->cost,
                     g->required_row, g->cut,      g->cut_row,    g->cut_start, g->cut_list,
                     g->pi,        g->rho,      g->sigma,      g->tau,       g->closed,
                     g->centre_only,
                     g->assigned_to, g->forced, g->out_centre, g->out_school, g->skip,    g->nodes,
                     g->e, g->by_ratio, g->prefix,      g->chosen,     g->best_set, g->hits,
                     g->rcmin,       g->pair,       g->x,          g->cover_self, g->cover_member,
                     g->cover_centre, g->cover_x,   g->cover_has,  g->cover_row, g->cover_rhs,
                     g->cover_price, g->centre_pi, g->lp_pi,  g->lp_rho,
                     g->useful,      g->root_pi,    g->root_rho,   g->root_sigma, g->root_tau,
                     g->root_cover_price};
    size_t k;
    for (k = 0; k < sizeof owned / sizeof *owned; k++)
        cp_free(owned[k]);
    cp_cover_cuts_free(g->cover);
}

static int allocate(cg *g)
{
    const cp_colgen_input *in = g->in;
    size_t n = (size_t)g->n;
    int j, most = 1;
    for (j = 0; j < g->n; j++)
        if (in->mstart[j + 1] - in->mstart[j] > most)
            most = in->mstart[j + 1] - in->mstart[j];
    g->required_row = cp_calloc(n, sizeof(int));
    g->cut = cp_malloc(CUTS_MAX * sizeof(triple));
    g->cut_row = cp_malloc(CUTS_MAX * sizeof(int));
    g->cut_start = cp_calloc(n + 1, sizeof(int));
    g->cut_list = cp_malloc(3 * CUTS_MAX * sizeof(int));
    g->pi = cp_calloc(n, sizeof(double));
    g->rho = cp_calloc(n, sizeof(double));
    g->sigma = cp_calloc(CUTS_MAX, sizeof(double));
    g->tau = cp_calloc(COVERS_MAX, sizeof(double));
    g->cover_price = cp_calloc(n, sizeof(double));
    g->closed = cp_calloc(n, 1);
    g->centre_only = cp_calloc(n, 1);
    g->assigned_to = cp_malloc(n * sizeof(int));
    g->forced = cp_malloc(n * sizeof(int));
    g->out_centre = cp_malloc(n * n * sizeof(int)); /* a path forbids each pair once at most */
    g->out_school = cp_malloc(n * n * sizeof(int));
    g->skip = cp_calloc(n, 1);
    g->e = cp_malloc((size_t)most * sizeof(entry));
    g->prefix = cp_malloc((size_t)(most + 1) * sizeof(double));
    g->by_ratio = cp_malloc((size_t)most * sizeof(ratio_rank));
    g->centre_pi = cp_malloc(n * sizeof(double));
    g->lp_pi = cp_malloc(n * sizeof(double));
    g->lp_rho = cp_malloc(n * sizeof(double));
    g->chosen = cp_malloc((size_t)(in->size_max + n) * sizeof(int));
    g->best_set = cp_malloc((size_t)(in->size_max + n) * sizeof(int));
    g->hits = cp_calloc(n + CUTS_MAX, sizeof(int));
    g->rcmin = cp_malloc(n * sizeof(double));
    g->pair = cp_malloc(n * n * sizeof(double));
    return g->required_row && g->cut && g->cut_row && g->cut_start && g->cut_list && g->pi &&
                   g->rho && g->sigma && g->tau && g->cover_price && g->closed &&
                   g->centre_only && g->assigned_to && g->forced && g->out_centre &&
                   g->out_school && g->skip && g->e && g->by_ratio && g->prefix &&
                   g->centre_pi && g->lp_pi && g->lp_rho && g->chosen && g->best_set &&
                   g->hits && g->rcmin && g->pair
               ? 0
               : -1;
}

/* The most clusters a layout no dearer than the incumbent can open (the
 * cheapest openings alone would pass it beyond), and so the fewest
 * schools any of its clusters holds: with at most k clusters of at most
 * size max each, every one holds at least n - (k - 1) size max.  Where
 * the host stipend dwarfs the travel (the Kenya zones), this settles the
 * count and keeps only nearly full clusters.  O(n log n). */
static int settle_count(cg *g)
{
    const cp_colgen_input *in = g->in;
    double *open = cp_malloc((size_t)g->n * sizeof(double)), sum = 0.0;
    int j, m = 0, k, least;
    if (!open)
        return -1;
    for (j = 0; j < g->n; j++)
        if (in->eligible[j])
            open[m++] = in->open_cost[j];
    qsort(open, (size_t)m, sizeof(double), cmp_double);
    for (k = 0; k < m && open[k] >= 0; k++) {
        if (sum + open[k] > g->upper + 1e-9 * fmax(1.0, fabs(g->upper)))
            break;
        sum += open[k];
    }
    cp_free(open);
    if (k < m && k > 0) {
        least = g->n - (k - 1) * in->size_max;
        if (least > g->size_min)
            g->size_min = least;
    }
    return 0;
}

static cp_code run(cg *g, cp_colgen_result *out, cp_error *err)
{
    double root_bound;
    int st;
    if (settle_count(g) || setup_covers(g))
        return cp_fail_nomem(err);
    build_rows(g);
    st = add_incumbent(g);
    if (st == -2)
        return cp_fail(err, CP_EINTERNAL, "colgen: the incumbent is not a layout of the part");
    if (st || reserve_x(g))
        return cp_fail_nomem(err);
    st = branch_and_price(g, &root_bound);
    out->nodes = g->n_nodes;
    out->smoothed = g->smoothed;
    if (st < 0) {
        if (g->glpk_failure && !g->out_of_memory)
            return cp_fail(err, CP_ERESOURCE, "GLPK failed with code %d", g->glpk_failure);
        return cp_fail_nomem(err);
    }
    if (g->best) {
        out->centre = g->best;
        g->best = NULL;
        out->cost = g->upper;
    }
    if (st == 0 && g->useful) {
        out->useful = g->useful;
        g->useful = NULL;
    }
    if (st == 1) {
        out->status = CP_STATUS_OPTIMAL;
        out->bound = g->upper;
    } else if (isfinite(root_bound)) {
        out->bound = fmin(root_bound, g->upper);
    }
    return CP_OK;
}

double cp_colgen_least_cluster(const cp_colgen_input *in, const double *duals, int centre)
{
    cg g;
    walker w;
    double least;
    int truncated;
    memset(&g, 0, sizeof g);
    g.in = in;
    g.n = in->n;
    g.size_min = in->size_min;
    if (allocate(&g)) {
        release(&g);
        return NAN;
    }
    apply_node(&g, 0); /* the root: no decision, no column */
    memcpy(g.pi, duals, (size_t)g.n * sizeof(double));
    least = cheapest_cluster(&g, centre, &w, &truncated);
    release(&g);
    return least;
}

cp_code cp_colgen_prove(const cp_colgen_input *in, cp_colgen_result *out, cp_error *err)
{
    cg g;
    cp_code rc;
    memset(&g, 0, sizeof g);
    memset(out, 0, sizeof *out);
    out->status = CP_STATUS_FEASIBLE;
    out->bound = NAN;
    out->cost = in->incumbent_cost;
    g.in = in;
    g.n = in->n;
    g.upper = in->incumbent_cost;
    g.size_min = in->size_min;
    if (in->n <= 0 || in->size_max < 1 || in->work_limit <= 0)
        return CP_OK;
    if (allocate(&g)) {
        release(&g);
        return cp_fail_nomem(err);
    }
    glp_term_out(in->verbose ? GLP_ON : GLP_OFF);
    g.lp = glp_create_prob();
    if (setjmp(g.on_error)) {
        glp_error_hook(NULL, NULL);
        glp_free_env(); /* frees every GLPK object of this thread, g.lp included */
        release(&g);
        cp_free(out->centre);
        cp_free(out->useful);
        out->centre = NULL;
        out->useful = NULL;
        return cp_fail(err, CP_ERESOURCE, "GLPK failed (internal error or out of memory)");
    }
    glp_error_hook(error_hook, &g);
    rc = run(&g, out, err);
    glp_error_hook(NULL, NULL);
    glp_delete_prob(g.lp);
    release(&g);
    if (rc) {
        cp_free(out->centre);
        cp_free(out->useful);
        out->centre = NULL;
        out->useful = NULL;
        out->status = CP_STATUS_FEASIBLE;
    }
    return rc;
}
