/*
 * milp.c — the exact tier: one part of the cluster model as a GLPK MILP.
 * With mip.c (the small selection models) the only files that include
 * glpk.h: GLPK stays inside solver/exact/ (make lint checks it).  The
 * cluster model calls GLPK directly rather than through mip.c's wall
 * because it needs GLPK's branch-and-cut callbacks (its own branching,
 * cuts, bound tracking and event limit).
 *
 * Sparse formulation over the admissible pairs (candidates.c): x_ij = 1 when
 * member i joins centre j; x_jj doubles as "centre j is open".
 *   assign     sum_j x_ij <= 1  (= 1 when every school is to be placed)
 *   link       x_ij <= x_jj                             each pair, i != j
 *   size       min x_jj <= sum_i x_ij <= max x_jj       each centre j
 *   capacity   sum_i t_i x_ij <= C x_jj                 each centre j, if C finite
 *   count      sum_j x_jj = p                           if the count is fixed
 *   required   x_jj = 1                                 centre="required"
 *   symmetry   x_bb <= x_aa                             interchangeable a < b
 *   groups     sum_i g_i x_ij >= gmin x_jj              each centre j and study group
 *              (soft: sum_i g_i x_ij >= gmin h_j, h_j <= x_jj, h_j binary: cluster j
 *              hosts every group's meeting)
 *   upgrades   x_jj <= u_j, u_j binary                  each upgradable centre j
 *              sum_j u_j <= K, sum_j c_j u_j <= B       the part's cap and budget
 *   cuts       sum_{j in T} x_jj - sum_{i not in T, j in T} x_ij <= floor(|T|/min)
 *              for sets T found violated by the node LP (milp_cuts.c)
 * Lexicographic objective in phases (not a big-M weighting, which would mix
 * magnitudes of 1e6 and more in one objective and blur GLPK's relative gap
 * and tolerances):
 *   first    every school placed (assign rows as equalities), minimise the
 *            cost; feasible in almost every part, and then lexicographically
 *            optimal;
 *   else     phase 1 maximises sum x_ij -> A*; phase 2 minimises the cost
 *            with sum x_ij >= A*, phase 1's solution as its first incumbent;
 *   soft groups: between placement and cost, maximise sum h_j -> H*, then
 *            phase 2 with sum h_j >= H*.
 * Search: scaled, all-slack basis, dual simplex for the root, GLPK's
 * branch-and-cut branching on the most fractional centre variable first,
 * our size-minimum cuts in place of GLPK's Gomory and MIR cuts.
 * GLPK is silent unless verbose; its fatal errors are caught by the error
 * hook and become CP_ERESOURCE, never an abort.  The proven bound is the
 * best open node's bound, tracked in the search callback.
 */
#include "exact.h"

#include <glpk.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

/* Size: one column per admissible pair of the part (P), about 2P + 3n
 * rows' worth of nonzeros (assign, link, two size rows and a capacity row
 * per centre), so memory and each LP solve grow with the pairs, never with
 * n^2.  That is why auto hands the MILP only parts of at most
 * auto_milp_columns pairs (cp_settings): those it proves in seconds.
 * Parameters: CUTS_PER_ROUND (cuts added per separation round at a node),
 * CUT_SET_SIZE (largest set T the separator grows). */
#define CUTS_PER_ROUND 50
#define CUT_SET_SIZE 40

typedef struct {
    const cp_milp_input *in;
    glp_prob *lp;
    long n_cols;
    int *col_member, *col_centre;  /* per column (1-based): global indices */
    double *col_dist;
    int *self_col;                 /* per local school: column of x_jj or 0 */
    int *row_ind;                  /* scratch for rows (1-based) */
    double *row_val;
    double bound;                  /* best bound seen in the search */
    int have_bound;
    const double *warm;            /* phase 1 solution offered to phase 2 */
    int glpk_failure;              /* a GLPK return code other than a limit */
    int *assign_row;               /* per local school: its assign row */
    int open_row;                  /* the open-centre count row, or 0 */
    int scaled, has_basis;
    cp_size_cuts *cuts;            /* size-minimum separator; NULL = none */
    cp_cover_cuts *cover;          /* cluster-count covers; NULL = none */
    int all_placed;                /* the assign rows are equalities */
    int *local_member, *local_centre; /* per column: part-local indices */
    double *x;                     /* scratch: the node LP's values */
    glp_tree *tree;                /* during a cut round */
    int warm_used;
    long events;                   /* nodes and cut rounds so far (in->event_limit) */
    long n_all;                    /* columns: the n_cols pairs, then u_j and h_j */
    int *up_col, *host_col;        /* per local school: its u_j / h_j column, or 0 */
    cp_groups groups;              /* the scenario's study groups */
    int hosting_proven;            /* soft groups: the hosting phase was proven */
    int *group_cols;               /* scratch: a cluster's columns (group rows) */
    int budget_row;                /* the budget of upgrades' row, or 0 */
    int work_spent;                /* the event limit stopped the search: a work
                                      budget, not a time limit (status feasible) */
    jmp_buf on_error;
} model;

/* ---------------------------------------------------------------- columns */

/* The part's pairs, those kept (in->keep_col): O(n + P). */
static long count_columns(const cp_milp_input *in)
{
    long total = 0, q = 0;
    int k, p;
    for (k = 0; k < in->n; k++) {
        int i = in->schools[k];
        for (p = in->cand->start[i]; p < in->cand->start[i + 1]; p++)
            total += !in->keep_col || in->keep_col[q++];
    }
    return total;
}

/* After the pairs: a binary u_j per upgradable centre and, with soft
 * groups, a binary h_j per centre, numbered n_cols + 1 .. n_all. */
static void extra_columns(model *m)
{
    const cp_milp_input *in = m->in;
    int soft = m->groups.n > 0 && m->groups.soft, k, extra = 0;
    long col = m->n_cols;
    for (k = 0; k < in->n; k++)
        extra += (m->self_col[k] && in->cand->upgradable && in->cand->upgradable[in->schools[k]]) +
                 (m->self_col[k] && soft);
    m->n_all = m->n_cols + extra;
    if (extra == 0)
        return;
    glp_add_cols(m->lp, extra);
    for (k = 0; k < in->n; k++) {
        if (!m->self_col[k])
            continue;
        if (in->cand->upgradable && in->cand->upgradable[in->schools[k]])
            m->up_col[k] = (int)++col;
        if (soft)
            m->host_col[k] = (int)++col;
    }
    for (col = m->n_cols + 1; col <= m->n_all; col++)
        glp_set_col_kind(m->lp, (int)col, GLP_BV);
}

/* One binary column x_ij per pair kept, its cost as the objective
 * coefficient: O(P).  Columns come school by school (assign_rows reads
 * them so). */
static void add_columns(model *m)
{
    const cp_milp_input *in = m->in;
    long col = 0, q = 0;
    int k, p;
    glp_add_cols(m->lp, (int)m->n_cols);
    for (k = 0; k < in->n; k++) {
        int i = in->schools[k];
        for (p = in->cand->start[i]; p < in->cand->start[i + 1]; p++) {
            int j = in->cand->centre[p];
            if (in->keep_col && !in->keep_col[q++])
                continue;
            col++;
            m->col_member[col] = i;
            m->col_centre[col] = j;
            m->col_dist[col] = in->cand->dist[p];
            glp_set_col_kind(m->lp, (int)col, GLP_BV);
            if (i == j) {
                m->self_col[k] = (int)col;
                if (in->inst->schools[j].centre == CP_CENTRE_REQUIRED)
                    glp_set_col_bnds(m->lp, (int)col, GLP_FX, 1.0, 1.0);
            }
        }
    }
    extra_columns(m);
}

/* ------------------------------------------------------------------- rows */

static int add_row(model *m, int count, int type, double lo, double hi)
{
    int r = glp_add_rows(m->lp, 1);
    glp_set_row_bnds(m->lp, r, type, lo, hi);
    glp_set_mat_row(m->lp, r, count, m->row_ind, m->row_val);
    return r;
}

/* sum_j x_ij <= 1 per school (an equality while every school is to be
 * placed, set_all_placed): O(P) nonzeros. */
static void assign_rows(model *m)
{
    const cp_milp_input *in = m->in;
    long col = 1;
    int k;
    for (k = 0; k < in->n; k++) {
        int i = in->schools[k], cnt = 0;
        for (; col <= m->n_cols && m->col_member[col] == i; col++) {
            m->row_ind[++cnt] = (int)col;
            m->row_val[cnt] = 1.0;
        }
        if (cnt)
            m->assign_row[k] = add_row(m, cnt, GLP_UP, 0.0, 1.0);
    }
}

/* x_ij <= x_jj for each pair with i != j.  Tighter than one aggregated row
 * per centre (sum_i x_ij <= max x_jj alone lets the LP open a centre by a
 * fraction and fill it), which is what keeps the LP bound close: O(P)
 * rows of two nonzeros. */
static void link_rows(model *m)
{
    long col;
    for (col = 1; col <= m->n_cols; col++) {
        int j = m->col_centre[col];
        if (m->col_member[col] == j)
            continue;
        m->row_ind[1] = (int)col;
        m->row_val[1] = 1.0;
        m->row_ind[2] = m->self_col[m->in->local_of[j]];
        m->row_val[2] = -1.0;
        add_row(m, 2, GLP_UP, 0.0, 0.0);
    }
}

/* Columns of centre k's cluster (its members' pairs with it) into row_ind;
 * returns the count. */
static int centre_columns(model *m, const int *first, const int *by_centre, int k)
{
    int q, cnt = 0;
    for (q = first[k]; q < first[k + 1]; q++)
        m->row_ind[++cnt] = by_centre[q];
    return cnt;
}

/* Centre k's covering row per study group, over its cluster's columns
 * cols[1..cnt] (self column included):
 *   hard  sum_{c != s} g_c x_c + (g_s - gmin) x_s >= 0
 *   soft  sum_c g_c x_c - gmin h_k >= 0, and h_k - x_s <= 0
 * Zero coefficients are left out (GLPK keeps no explicit zeros). */
static void group_rows(model *m, int k, const int *cols, int cnt)
{
    int s = m->self_col[k], g, c, len;
    for (g = 0; g < m->groups.n; g++) {
        if (m->groups.min[g] <= 0)
            continue;
        len = 0;
        for (c = 1; c <= cnt; c++) {
            double t = cp_group_teachers(m->in->inst, &m->groups, m->col_member[cols[c]], g);
            if (cols[c] == s && !m->groups.soft)
                t -= m->groups.min[g];
            if (t != 0.0) {
                m->row_ind[++len] = cols[c];
                m->row_val[len] = t;
            }
        }
        if (m->groups.soft) {
            m->row_ind[++len] = m->host_col[k];
            m->row_val[len] = -m->groups.min[g];
        }
        add_row(m, len, GLP_LO, 0.0, 0.0);
    }
    if (m->groups.soft && m->host_col[k]) {
        m->row_ind[1] = m->host_col[k];
        m->row_val[1] = 1.0;
        m->row_ind[2] = s;
        m->row_val[2] = -1.0;
        add_row(m, 2, GLP_UP, 0.0, 0.0);
    }
}

/* Size and capacity rows of centre k (self column s), the self column's
 * coefficient carrying the right-hand side:
 *   sum_{c != s} x_c + (1 - max) x_s <= 0,  sum_{c != s} x_c + (1 - min) x_s >= 0,
 *   sum_{c != s} t_c x_c + (t_s - C) x_s <= 0. */
static void centre_rows(model *m, const int *first, const int *by_centre, int k)
{
    const cp_scenario *sc = m->in->sc;
    int s = m->self_col[k], cnt = centre_columns(m, first, by_centre, k), c;
    if (cnt > sc->size_max) {
        for (c = 1; c <= cnt; c++)
            m->row_val[c] = m->row_ind[c] == s ? 1.0 - sc->size_max : 1.0;
        add_row(m, cnt, GLP_UP, 0.0, 0.0);
    }
    if (sc->size_min > 1) {
        for (c = 1; c <= cnt; c++)
            m->row_val[c] = m->row_ind[c] == s ? 1.0 - sc->size_min : 1.0;
        add_row(m, cnt, GLP_LO, 0.0, 0.0);
    }
    if (isfinite(sc->capacity)) {
        for (c = 1; c <= cnt; c++) {
            double t = m->in->inst->schools[m->col_member[m->row_ind[c]]].teachers;
            m->row_val[c] = m->row_ind[c] == s ? t - sc->capacity : t;
        }
        add_row(m, cnt, GLP_UP, 0.0, 0.0);
    }
    if (m->groups.n > 0) { /* row_ind is the rows' scratch: the cluster's columns kept apart */
        memcpy(m->group_cols + 1, m->row_ind + 1, (size_t)cnt * sizeof(int));
        group_rows(m, k, m->group_cols, cnt);
    }
}

static cp_code all_centre_rows(model *m)
{
    const cp_milp_input *in = m->in;
    int *first = cp_calloc((size_t)in->n + 2, sizeof(int));
    int *by_centre = cp_malloc((size_t)(m->n_cols + 1) * sizeof(int));
    int *fill = cp_malloc(((size_t)in->n + 1) * sizeof(int));
    long col;
    int k;
    if (!first || !by_centre || !fill) {
        cp_free(first);
        cp_free(by_centre);
        cp_free(fill);
        return CP_ERESOURCE;
    }
    for (col = 1; col <= m->n_cols; col++)
        first[in->local_of[m->col_centre[col]] + 1]++;
    for (k = 0; k < in->n; k++)
        first[k + 1] += first[k];
    memcpy(fill, first, ((size_t)in->n + 1) * sizeof(int));
    for (col = 1; col <= m->n_cols; col++)
        by_centre[fill[in->local_of[m->col_centre[col]]]++] = (int)col;
    for (k = 0; k < in->n; k++)
        if (m->self_col[k])
            centre_rows(m, first, by_centre, k);
    cp_free(first);
    cp_free(by_centre);
    cp_free(fill);
    return CP_OK;
}

/* Two schools are interchangeable when nothing in the model tells them
 * apart: same point, units, eligibility, weight, teachers, quality, limit,
 * centre rule.  Swapping them maps any layout to one of equal cost, so the
 * later of the two may be a centre only if the earlier is (x_bb <= x_aa),
 * which removes symmetric optima that branch-and-bound would enumerate
 * (8.4 % of Kenya's schools share a point with another). */
static int interchangeable(const cp_instance *in, int a, int b)
{
    const cp_school *s = &in->schools[a], *t = &in->schools[b];
    int k;
    for (k = 0; k < CP_ADMIN_LEVELS; k++)
        if (s->admin[k] != t->admin[k])
            return 0;
    return s->x == t->x && s->y == t->y && s->teachers == t->teachers &&
           s->host == t->host && s->centre == t->centre && s->centre != CP_CENTRE_REQUIRED &&
           ((isnan(s->quality) && isnan(t->quality)) || s->quality == t->quality) &&
           ((isnan(s->max_distance) && isnan(t->max_distance)) ||
            s->max_distance == t->max_distance) && cp_schools_same_rules(s, t) &&
           in->distance != CP_DIST_NETWORK && in->distance != CP_DIST_MATRIX;
}

typedef struct {
    double x, y;
    int k;
} point_key;

static int cmp_point(const void *p, const void *q)
{
    const point_key *a = p, *b = q;
    if (a->x != b->x)
        return a->x < b->x ? -1 : 1;
    if (a->y != b->y)
        return a->y < b->y ? -1 : 1;
    return (a->k > b->k) - (a->k < b->k);
}

/* Sorting the schools by position finds the interchangeable groups in
 * O(n log n); one row per neighbouring pair in a group. */
static cp_code symmetry_rows(model *m)
{
    const cp_milp_input *in = m->in;
    point_key *keys = cp_malloc((size_t)(in->n ? in->n : 1) * sizeof *keys);
    int k, cnt = 0;
    if (!keys)
        return CP_ERESOURCE;
    for (k = 0; k < in->n; k++)
        if (m->self_col[k]) {
            keys[cnt].x = in->inst->schools[in->schools[k]].x;
            keys[cnt].y = in->inst->schools[in->schools[k]].y;
            keys[cnt++].k = k;
        }
    qsort(keys, (size_t)cnt, sizeof *keys, cmp_point);
    for (k = 1; k < cnt; k++) {
        int a = keys[k - 1].k, b = keys[k].k;
        if (!interchangeable(in->inst, in->schools[a], in->schools[b]))
            continue;
        m->row_ind[1] = m->self_col[b];
        m->row_val[1] = 1.0;
        m->row_ind[2] = m->self_col[a];
        m->row_val[2] = -1.0;
        add_row(m, 2, GLP_UP, 0.0, 0.0);
    }
    cp_free(keys);
    return CP_OK;
}

/* sum_j x_jj = p with a fixed count: one dense row over the centres. */
static void count_row(model *m)
{
    int k, cnt = 0;
    if (m->in->cluster_count <= 0)
        return;
    for (k = 0; k < m->in->n; k++)
        if (m->self_col[k]) {
            m->row_ind[++cnt] = m->self_col[k];
            m->row_val[cnt] = 1.0;
        }
    add_row(m, cnt, GLP_FX, m->in->cluster_count, m->in->cluster_count);
}

/* ceil(A / max) <= sum_j x_jj <= floor(n / min) when clusters cost
 * something (the cost objective's stipend, a cluster cost): the LP would
 * otherwise open A / max centres, a fraction, and a part of 10 schools
 * would be bounded by 10/7 clusters where 2 are needed.  The lower side
 * holds only once A schools are to be placed (open_count_bounds). */
static void open_count_row(model *m)
{
    int k, cnt = 0;
    if (m->in->cluster_count > 0 || cp_objective_per_cluster(m->in->sc) <= 0.0)
        return;
    for (k = 0; k < m->in->n; k++)
        if (m->self_col[k]) {
            m->row_ind[++cnt] = m->self_col[k];
            m->row_val[cnt] = 1.0;
        }
    if (cnt > 0)
        m->open_row = add_row(m, cnt, GLP_UP, 0.0, floor((double)m->in->n / m->in->sc->size_min));
}

/* The open-count row's lower side for `placed` schools (0: none). */
static void open_count_bounds(model *m, int placed)
{
    double hi = floor((double)m->in->n / m->in->sc->size_min);
    double lo = ceil((double)placed / m->in->sc->size_max);
    if (!m->open_row)
        return;
    if (lo > 0 && lo <= hi)
        glp_set_row_bnds(m->lp, m->open_row, lo == hi ? GLP_FX : GLP_DB, lo, hi);
    else
        glp_set_row_bnds(m->lp, m->open_row, GLP_UP, 0.0, hi);
}

/* The part's cap and budget of upgrades (solve/invest.c shares the
 * scenario's among parts); -1 / INFINITY = none. */
static int upgrade_cap(const cp_milp_input *in)
{
    return in->upgrade_limited ? in->upgrade_count_max : in->sc->max_upgrades;
}

static double upgrade_budget(const cp_milp_input *in)
{
    return in->upgrade_limited ? in->upgrade_budget_max : in->sc->upgrade_budget;
}

/* x_jj - u_j <= 0 per upgradable centre j, then sum u_j <= K and
 * sum c_j u_j <= B (rows only for a cap or budget that can bind). */
static void upgrade_rows(model *m)
{
    const cp_milp_input *in = m->in;
    int k, cnt = 0, cap = upgrade_cap(in);
    double budget = upgrade_budget(in), total = 0.0;
    for (k = 0; k < in->n; k++) {
        if (!m->up_col[k])
            continue;
        m->row_ind[1] = m->self_col[k];
        m->row_val[1] = 1.0;
        m->row_ind[2] = m->up_col[k];
        m->row_val[2] = -1.0;
        add_row(m, 2, GLP_UP, 0.0, 0.0);
        cnt++;
    }
    if (cnt == 0)
        return;
    if (cap >= 0 && cap < cnt) {
        int len = 0;
        for (k = 0; k < in->n; k++)
            if (m->up_col[k]) {
                m->row_ind[++len] = m->up_col[k];
                m->row_val[len] = 1.0;
            }
        add_row(m, len, GLP_UP, 0.0, cap);
    }
    if (isfinite(budget)) {
        int len = 0;
        for (k = 0; k < in->n; k++) {
            double c = m->up_col[k] ? cp_upgrade_spend(&in->inst->schools[in->schools[k]]) : 0.0;
            if (c > 0.0) {
                m->row_ind[++len] = m->up_col[k];
                m->row_val[len] = c;
                total += c;
            }
        }
        if (len > 0 && total > budget)
            m->budget_row = add_row(m, len, GLP_UP, 0.0, budget);
    }
}

/* ------------------------------------------------------------ objectives */

/* u_j and h_j weigh nothing in the placement and cost phases. */
static void clear_extra_objective(model *m)
{
    long col;
    for (col = m->n_cols + 1; col <= m->n_all; col++)
        glp_set_obj_coef(m->lp, (int)col, 0.0);
}

static void phase1_objective(model *m)
{
    long col;
    glp_set_obj_dir(m->lp, GLP_MAX);
    for (col = 1; col <= m->n_cols; col++)
        glp_set_obj_coef(m->lp, (int)col, 1.0);
    clear_extra_objective(m);
}

/* Soft groups: the most clusters hosting every group, sum h_j. */
static void hosting_objective(model *m)
{
    long col;
    int k;
    glp_set_obj_dir(m->lp, GLP_MAX);
    for (col = 1; col <= m->n_all; col++)
        glp_set_obj_coef(m->lp, (int)col, 0.0);
    for (k = 0; k < m->in->n; k++)
        if (m->host_col[k])
            glp_set_obj_coef(m->lp, m->host_col[k], 1.0);
}

/* Phase 2: minimum cost. */
static void cost_objective(model *m)
{
    long col;
    glp_set_obj_dir(m->lp, GLP_MIN);
    for (col = 1; col <= m->n_cols; col++)
        glp_set_obj_coef(m->lp, (int)col,
                         cp_pair_cost(m->in->inst, m->in->sc, m->col_member[col],
                                      m->col_centre[col], m->col_dist[col]));
    clear_extra_objective(m);
}

/* At least `assigned` schools placed: one dense row (phase 2 after phase 1). */
static void count_placed_row(model *m, int assigned)
{
    long col;
    for (col = 1; col <= m->n_cols; col++) {
        m->row_ind[col] = (int)col;
        m->row_val[col] = 1.0;
    }
    add_row(m, (int)m->n_cols, GLP_LO, assigned, 0.0);
}

/* Every school placed: each assign row becomes an equality (sparser and
 * tighter than the dense count row). */
static void set_all_placed(model *m, int on)
{
    int k;
    m->all_placed = on;
    for (k = 0; k < m->in->n; k++)
        if (m->assign_row[k])
            glp_set_row_bnds(m->lp, m->assign_row[k], on ? GLP_FX : GLP_UP, on ? 1.0 : 0.0, 1.0);
}

/* ----------------------------------------------------------------- search */

/* Branch on the most fractional open-centre variable x_jj first: deciding
 * the centres settles most member variables (the classic rule for facility
 * location); GLPK's own rule takes over when every x_jj is integral. */
static void branch_on_centre(model *m, glp_tree *tree)
{
    int k, best = 0;
    double best_frac = 0.0;
    for (k = 0; k < m->in->n; k++) {
        int col = m->self_col[k];
        double v, frac;
        if (!col || !glp_ios_can_branch(tree, col))
            continue;
        v = glp_get_col_prim(m->lp, col);
        frac = fmin(v - floor(v), ceil(v) - v);
        if (frac > best_frac + 1e-9) {
            best_frac = frac;
            best = col;
        }
    }
    if (best)
        glp_ios_branch_upon(tree, best, GLP_UP_BRNCH);
}

static void add_cut(const int *cols, const double *vals, int len, double rhs, void *arg)
{
    model *m = arg;
    int k;
    for (k = 0; k < len; k++) {
        m->row_ind[k + 1] = cols[k];
        m->row_val[k + 1] = vals[k];
    }
    glp_ios_add_row(m->tree, NULL, 101, 0, len, m->row_ind, m->row_val, GLP_UP, rhs);
}

/* Size-minimum cuts (milp_cuts.c), at every node: at most CUTS_PER_ROUND
 * per round, GLPK keeps those its LP finds binding. */
static void separate_cuts(model *m, glp_tree *tree)
{
    long col;
    if (!m->cuts && !m->cover)
        return;
    for (col = 1; col <= m->n_cols; col++)
        m->x[col] = glp_get_col_prim(m->lp, (int)col);
    m->tree = tree;
    if (m->cuts)
        cp_size_cuts_separate(m->cuts, m->x, CUTS_PER_ROUND, 1, add_cut, m);
    if (m->cover && m->all_placed)
        cp_cover_cuts_separate(m->cover, m->x, CUTS_PER_ROUND, add_cut, m);
    m->tree = NULL;
}

/* GLPK's callback: branching, cut rounds, the best bound of the open nodes
 * (the proven bound reported), the event limit (nodes and cut rounds
 * counted, the same on every machine, unlike the time limit) and the
 * interrupt flag, which asks GLPK to stop and keep its incumbent. */
static void on_search_event(glp_tree *tree, void *info)
{
    model *m = info;
    int node;
    int reason = glp_ios_reason(tree);
    if (reason == GLP_ISELECT || reason == GLP_ICUTGEN)
        m->events++;
    if ((m->in->interrupt && *m->in->interrupt) ||
        (m->in->event_limit > 0 && m->events > m->in->event_limit) ||
        (m->in->iteration_limit > 0 && glp_get_it_cnt(m->lp) > m->in->iteration_limit)) {
        m->work_spent = !(m->in->interrupt && *m->in->interrupt);
        glp_ios_terminate(tree);
        return;
    }
    switch (reason) {
    case GLP_IBRANCH:
        branch_on_centre(m, tree);
        break;
    case GLP_ICUTGEN:
        separate_cuts(m, tree);
        break;
    case GLP_IHEUR:
        if (m->warm && !m->warm_used) {
            m->warm_used = 1;
            glp_ios_heur_sol(tree, m->warm);
        }
        break;
    case GLP_ISELECT:
    case GLP_IBINGO:
        node = glp_ios_best_node(tree);
        /* a node whose LP is not solved yet carries -DBL_MAX: no bound */
        if (node && isfinite(glp_ios_node_bound(tree, node)) &&
            glp_ios_node_bound(tree, node) > -DBL_MAX) {
            m->bound = glp_ios_node_bound(tree, node);
            m->have_bound = 1;
        }
        break;
    default:
        break;
    }
}

/* GLPK's Gomory and MIR cuts help where our size cuts do not apply; next
 * to them they slow the search (16 hard Kenya zones: 48 s without them,
 * 240 s with them and no size cuts), and with a capacity they stall it:
 * Osman-Christofides 8 (50 points, p = 5) proves in 18 s without them and
 * not in 120 s with them (SJC1 the other way: 52 s with, unproven at 120 s
 * without; with the bound's fixing, auto proves both either way). */
static int gomory_and_mir(const model *m)
{
    return !m->cuts && !isfinite(m->in->sc->capacity);
}

/* Runs simplex then branch-and-cut within `seconds`; returns GLPK's MIP
 * status (GLP_OPT, GLP_FEAS, GLP_NOFEAS, GLP_UNDEF). */
static int run_search(model *m, double seconds, int *hit_limit)
{
    glp_smcp lpp;
    glp_iocp ip;
    int rc;
    double begin = cp_now_seconds();
    glp_init_smcp(&lpp);
    lpp.msg_lev = m->in->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    lpp.meth = GLP_DUALP; /* 7x faster than primal on pmed6's root LP (3.4 s vs 23.7 s) */
    if (seconds > 0)
        lpp.tm_lim = (int)fmin(seconds * 1000.0, 2e9);
    if (!m->scaled) {
        glp_scale_prob(m->lp, GLP_SF_AUTO);
        m->scaled = 1;
    }
    if (!m->has_basis)
        glp_std_basis(m->lp); /* all-slack: glpsol's advanced basis made pmed1 11x and
                                 pmed6 6x slower (2.4 s vs 0.22 s, 88 s vs 14 s) */
    m->has_basis = 1;
    rc = glp_simplex(m->lp, &lpp);
    *hit_limit = rc == GLP_ETMLIM;
    if (rc != 0 && rc != GLP_ETMLIM)
        m->glpk_failure = rc;
    if (rc != 0 || glp_get_status(m->lp) != GLP_OPT)
        return rc == 0 && glp_get_status(m->lp) == GLP_NOFEAS ? GLP_NOFEAS : GLP_UNDEF;
    glp_init_iocp(&ip);
    ip.msg_lev = m->in->verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    ip.mip_gap = m->in->gap;
    ip.cb_func = on_search_event;
    ip.cb_info = m;
    /* a budget row over binaries u_j: at GLPK's 1e-5, u_j = 0.99999 counts
     * as 1 while spending a little less, and the layout passed its budget */
    if (m->budget_row)
        ip.tol_int = 1e-9;
    ip.gmi_cuts = gomory_and_mir(m) ? GLP_ON : GLP_OFF;
    ip.mir_cuts = ip.gmi_cuts;
    if (seconds > 0) /* what the simplex left of the time */
        ip.tm_lim = (int)fmin(fmax(seconds - (cp_now_seconds() - begin), 0.01) * 1000.0, 2e9);
    m->have_bound = 0;
    m->work_spent = 0;
    rc = glp_intopt(m->lp, &ip);
    *hit_limit = rc == GLP_ETMLIM || (rc == GLP_ESTOP && !m->work_spent);
    if (rc == GLP_ESTOP && m->work_spent)
        rc = 0; /* the work budget is spent: the incumbent stands, unproven */
    if (rc != 0 && !*hit_limit && rc != GLP_EMIPGAP)
        m->glpk_failure = rc;
    return glp_mip_status(m->lp);
}

static double remaining(const cp_milp_input *in, double start)
{
    double left;
    if (in->time_limit <= 0)
        return 0; /* none */
    left = in->time_limit - (cp_now_seconds() - start);
    return left > 0.05 ? left : 0.05;
}

/* ------------------------------------------------------------------ driver */

static void error_hook(void *info)
{
    model *m = info;
    longjmp(m->on_error, 1);
}

/* The size-minimum separator over part-local indices (none when every
 * cluster may have one school: no cut to find). */
static cp_code cut_separator(model *m)
{
    long col;
    int covers = m->in->cluster_count <= 0 && cp_objective_per_cluster(m->in->sc) > 0.0 &&
                 m->in->sc->size_max < m->in->n;
    if (m->in->sc->size_min < 2 && !covers)
        return CP_OK;
    m->local_member = cp_malloc((size_t)(m->n_cols + 1) * sizeof(int));
    m->local_centre = cp_malloc((size_t)(m->n_cols + 1) * sizeof(int));
    m->x = cp_malloc((size_t)(m->n_cols + 1) * sizeof(double));
    if (!m->local_member || !m->local_centre || !m->x)
        return CP_ERESOURCE;
    for (col = 1; col <= m->n_cols; col++) {
        m->local_member[col] = m->in->local_of[m->col_member[col]];
        m->local_centre[col] = m->in->local_of[m->col_centre[col]];
    }
    if (covers && !(m->cover = cp_cover_cuts_new(m->in->n, m->n_cols, m->local_member,
                                                 m->local_centre, m->self_col,
                                                 m->in->sc->size_max, CUT_SET_SIZE)))
        return CP_ERESOURCE;
    if (m->in->sc->size_min < 2)
        return CP_OK;
    m->cuts = cp_size_cuts_new(m->in->n, m->n_cols, m->local_member, m->local_centre,
                               m->self_col, m->in->sc->size_min, CUT_SET_SIZE);
    return m->cuts ? CP_OK : CP_ERESOURCE;
}

static cp_code build_model(model *m)
{
    m->lp = glp_create_prob();
    m->n_cols = count_columns(m->in);
    m->col_member = cp_malloc((size_t)(m->n_cols + 1) * sizeof(int));
    m->col_centre = cp_malloc((size_t)(m->n_cols + 1) * sizeof(int));
    m->col_dist = cp_malloc((size_t)(m->n_cols + 1) * sizeof(double));
    m->self_col = cp_calloc((size_t)m->in->n + 1, sizeof(int));
    m->assign_row = cp_calloc((size_t)m->in->n + 1, sizeof(int));
    m->row_ind = cp_malloc((size_t)(m->n_cols + 2) * sizeof(int));
    m->row_val = cp_malloc((size_t)(m->n_cols + 2) * sizeof(double));
    m->up_col = cp_calloc((size_t)m->in->n + 1, sizeof(int));
    m->host_col = cp_calloc((size_t)m->in->n + 1, sizeof(int));
    m->group_cols = cp_malloc((size_t)(m->n_cols + 2) * sizeof(int));
    if (!m->col_member || !m->col_centre || !m->col_dist || !m->self_col || !m->row_ind ||
        !m->row_val || !m->assign_row || !m->up_col || !m->host_col || !m->group_cols)
        return CP_ERESOURCE;
    /* cp_solve bound the groups before any part: this cannot fail here */
    if (cp_groups_bind(m->in->inst, m->in->sc, &m->groups, NULL))
        return CP_ERESOURCE;
    if (m->n_cols == 0)
        return CP_OK;
    add_columns(m);
    assign_rows(m);
    link_rows(m);
    /* with pairs left out (keep_col), the mirror of the incumbent may need one
     * of them: no symmetry rows, so the incumbent stays a solution */
    if (all_centre_rows(m) || (!m->in->keep_col && symmetry_rows(m)))
        return CP_ERESOURCE;
    count_row(m);
    open_count_row(m);
    upgrade_rows(m);
    return cut_separator(m);
}

static void free_model(model *m)
{
    cp_free(m->col_member);
    cp_free(m->col_centre);
    cp_free(m->col_dist);
    cp_free(m->self_col);
    cp_free(m->assign_row);
    cp_free(m->row_ind);
    cp_free(m->row_val);
    cp_size_cuts_free(m->cuts);
    cp_cover_cuts_free(m->cover);
    cp_free(m->local_member);
    cp_free(m->local_centre);
    cp_free(m->x);
    cp_free(m->up_col);
    cp_free(m->host_col);
    cp_free(m->group_cols);
}

static void read_solution(model *m, cp_milp_result *out)
{
    long col;
    int k;
    for (k = 0; k < m->in->n; k++)
        out->centre_of[k] = -1;
    for (col = 1; col <= m->n_cols; col++)
        if (glp_mip_col_val(m->lp, (int)col) > 0.5)
            out->centre_of[m->in->local_of[m->col_member[col]]] = m->col_centre[col];
    out->has_solution = 1;
}

static cp_status status_of(int mip_status, int hit_limit, const cp_milp_input *in)
{
    if (in->interrupt && *in->interrupt && mip_status != GLP_OPT)
        return CP_STATUS_INTERRUPTED;
    if (mip_status == GLP_OPT)
        return CP_STATUS_OPTIMAL;
    if (mip_status == GLP_NOFEAS)
        return CP_STATUS_INFEASIBLE;
    return hit_limit ? CP_STATUS_TIME_LIMIT : CP_STATUS_FEASIBLE;
}

/* The MIP solution of every column (pairs, u_j, h_j), 0/1, to seed the
 * next phase; NULL when memory runs out. */
static double *mip_columns(model *m)
{
    double *v = cp_malloc((size_t)(m->n_all + 1) * sizeof(double));
    long col;
    for (col = 1; v && col <= m->n_all; col++)
        v[col] = glp_mip_col_val(m->lp, (int)col) > 0.5 ? 1.0 : 0.0;
    return v;
}

/* Phase 1: the most schools placeable; its solution seeds phase 2. */
static int phase1(model *m, cp_milp_result *out, double start, double **warm)
{
    int hit, st;
    phase1_objective(m);
    st = run_search(m, m->in->time_limit > 0 ? remaining(m->in, start) / 2 : 0, &hit);
    out->status = status_of(st, hit, m->in);
    if (st != GLP_OPT && st != GLP_FEAS)
        return -1;
    out->assigned = (int)lround(glp_mip_obj_val(m->lp));
    out->assigned_proven = st == GLP_OPT;
    *warm = mip_columns(m);
    return 0;
}

/* Phase 2 found nothing in time: phase 1's solution still stands. */
static void keep_warm_solution(model *m, cp_milp_result *out)
{
    long col;
    int k;
    for (k = 0; k < m->in->n; k++)
        out->centre_of[k] = -1;
    out->cost = 0.0;
    for (col = 1; col <= m->n_cols; col++)
        if (m->warm[col] > 0.5) {
            out->centre_of[m->in->local_of[m->col_member[col]]] = m->col_centre[col];
            out->cost += cp_pair_cost(m->in->inst, m->in->sc, m->col_member[col],
                                      m->col_centre[col], m->col_dist[col]);
        }
    out->has_solution = 1;
}

/* Phase 2 on the current rows: minimum cost. Returns GLPK's MIP status. */
static int phase2(model *m, cp_milp_result *out, double start)
{
    int hit, st;
    cost_objective(m);
    st = run_search(m, remaining(m->in, start), &hit);
    if (st == GLP_OPT || st == GLP_FEAS) {
        read_solution(m, out);
        out->cost = glp_mip_obj_val(m->lp);
        out->bound = st == GLP_OPT ? out->cost : m->have_bound ? m->bound : NAN;
    }
    if (out->status == CP_STATUS_OPTIMAL || out->status == CP_STATUS_NONE || st != GLP_OPT)
        out->status = status_of(st, hit, m->in);
    return st;
}

/* Whether the incumbent keeps the rules the pairs do not carry: every
 * cluster's study groups (hard), the part's cap and budget of upgrades;
 * fills the incumbent's u_j and h_j into v.  GLPK does not check an offered
 * solution, and a search layout may break them (its deficient clusters are
 * dissolved only at its end).  O(n groups); -1 when memory runs out. */
static int incumbent_keeps_rules(const model *m, const int *inc, double *v)
{
    const cp_milp_input *in = m->in;
    int k, g, count = 0, ok = 1, ng = m->groups.n;
    double spend = 0.0, *t = cp_calloc((size_t)in->n * (size_t)(ng ? ng : 1), sizeof(double));
    if (!t)
        return -1;
    for (k = 0; k < in->n && ng > 0; k++)
        for (g = 0; g < ng; g++)
            t[(size_t)in->local_of[inc[k]] * (size_t)ng + (size_t)g] +=
                cp_group_teachers(in->inst, &m->groups, in->schools[k], g);
    for (k = 0; k < in->n; k++) {
        int hosts = 1;
        if (inc[k] != in->schools[k])
            continue;
        for (g = 0; g < ng; g++)
            hosts &= t[(size_t)k * (size_t)ng + (size_t)g] >= m->groups.min[g] - 1e-9;
        ok &= hosts || m->groups.soft;
        if (m->host_col[k])
            v[m->host_col[k]] = hosts;
        if (m->up_col[k]) {
            v[m->up_col[k]] = 1.0;
            count++;
            spend += cp_upgrade_spend(&in->inst->schools[in->schools[k]]);
        }
    }
    cp_free(t);
    return ok && (upgrade_cap(in) < 0 || count <= upgrade_cap(in)) &&
           spend <= upgrade_budget(in) + 1e-9 * (1.0 + fabs(spend));
}

/* A known layout (from an earlier, shorter attempt) as a column vector,
 * offered to the search only when it places every school and keeps the
 * rules; its u_j and h_j follow from its centres. */
static double *incumbent_columns(model *m)
{
    const int *inc = m->in->incumbent;
    double *v;
    long col;
    int k;
    if (!inc)
        return NULL;
    for (k = 0; k < m->in->n; k++)
        if (inc[k] < 0)
            return NULL;
    v = cp_calloc((size_t)(m->n_all + 1), sizeof(double));
    for (col = 1; v && col <= m->n_cols; col++)
        v[col] = inc[m->in->local_of[m->col_member[col]]] == m->col_centre[col] ? 1.0 : 0.0;
    if (v && incumbent_keeps_rules(m, inc, v) != 1) {
        cp_free(v);
        return NULL;
    }
    return v;
}

/* Soft groups: the most clusters hosting every group under the rows so far
 * (every school placed, or phase 1's count), from *warm; then the row
 * sum h_j >= H*, and *warm becomes this phase's solution.  Returns GLPK's
 * MIP status. */
static int hosting_phase(model *m, cp_milp_result *out, double start, double **warm)
{
    int hit, st, k, len = 0;
    hosting_objective(m);
    m->warm = *warm;
    m->warm_used = 0;
    st = run_search(m, remaining(m->in, start), &hit);
    m->warm = NULL;
    if (out->status == CP_STATUS_NONE || out->status == CP_STATUS_OPTIMAL || st != GLP_OPT)
        out->status = status_of(st, hit, m->in);
    if (st != GLP_OPT && st != GLP_FEAS)
        return st;
    m->hosting_proven = st == GLP_OPT;
    cp_free(*warm);
    *warm = mip_columns(m);
    for (k = 0; k < m->in->n; k++)
        if (m->host_col[k]) {
            m->row_ind[++len] = m->host_col[k];
            m->row_val[len] = 1.0;
        }
    if (len > 0)
        add_row(m, len, GLP_LO, (double)lround(glp_mip_obj_val(m->lp)), 0.0);
    return st;
}

/* Phase 2 after the hosting phase: its cost bound holds only for layouts
 * hosting H*, so it proves nothing unless H* is proven maximal. */
static int phase2_after_hosting(model *m, cp_milp_result *out, double start, double *warm)
{
    int st;
    m->warm = warm;
    m->warm_used = 0;
    st = phase2(m, out, start);
    m->warm = NULL;
    if (m->groups.soft && m->groups.n > 0 && !m->hosting_proven) {
        out->bound = NAN;
        if (out->status == CP_STATUS_OPTIMAL)
            out->status = CP_STATUS_FEASIBLE;
    }
    return st;
}

/* Everyone placed is the usual case: try phase 2 with every school placed
 * first; its optimum is then the lexicographic optimum.  Only if that is
 * infeasible, find the most schools placeable (phase 1) and solve phase 2
 * with that many placed.  Soft groups put the hosting phase before each
 * phase 2. */
static void solve_phases(model *m, cp_milp_result *out, double start)
{
    int soft = m->groups.soft && m->groups.n > 0;
    double *warm = NULL;
    int st = GLP_OPT;
    if (m->n_cols == 0) {
        out->status = CP_STATUS_OPTIMAL;
        out->assigned_proven = 1;
        out->has_solution = 1;
        out->bound = out->cost = 0.0;
        return;
    }
    set_all_placed(m, 1);
    open_count_bounds(m, m->in->n);
    warm = incumbent_columns(m);
    if (soft)
        st = hosting_phase(m, out, start, &warm);
    if (st == GLP_OPT || st == GLP_FEAS)
        st = phase2_after_hosting(m, out, start, warm);
    cp_free(warm);
    warm = NULL;
    if (st == GLP_OPT || st == GLP_FEAS) {
        out->assigned = m->in->n;
        out->assigned_proven = 1;
        return;
    }
    if (st != GLP_NOFEAS || m->in->keep_col)
        return; /* out of time before anything was found; or a reduced model,
                   which only the all-placed phase may use */
    set_all_placed(m, 0);
    open_count_bounds(m, 0);
    out->status = CP_STATUS_NONE;
    if (phase1(m, out, start, &warm) == 0) {
        count_placed_row(m, out->assigned);
        open_count_bounds(m, out->assigned);
        st = soft ? hosting_phase(m, out, start, &warm) : GLP_OPT;
        if (st == GLP_OPT || st == GLP_FEAS)
            phase2_after_hosting(m, out, start, warm);
        m->warm = warm;
        if (!out->has_solution && warm)
            keep_warm_solution(m, out);
        m->warm = NULL;
    }
    cp_free(warm);
}

cp_code cp_milp_solve(const cp_milp_input *in, cp_milp_result *out, cp_error *err)
{
    model m;
    double start = cp_now_seconds();
    int k;
    memset(&m, 0, sizeof m);
    memset(out, 0, sizeof *out);
    m.in = in;
    out->bound = NAN;
    out->cost = NAN;
    out->centre_of = cp_malloc((size_t)(in->n ? in->n : 1) * sizeof(int));
    if (!out->centre_of)
        return cp_fail_nomem(err);
    for (k = 0; k < in->n; k++)
        out->centre_of[k] = -1;
    glp_term_out(in->verbose ? GLP_ON : GLP_OFF);
    if (setjmp(m.on_error)) {
        glp_error_hook(NULL, NULL);
        glp_free_env(); /* frees every GLPK object of this thread, m.lp included */
        free_model(&m);
        return cp_fail(err, CP_ERESOURCE, "GLPK failed (internal error or out of memory)");
    }
    glp_error_hook(error_hook, &m);
    if (build_model(&m)) {
        glp_error_hook(NULL, NULL);
        glp_delete_prob(m.lp);
        free_model(&m);
        return cp_fail_nomem(err);
    }
    if (in->export_lp) {
        cost_objective(&m);
        if (in->export_assigned >= in->n)
            set_all_placed(&m, 1);
        else
            count_placed_row(&m, in->export_assigned);
        if (glp_write_lp(m.lp, NULL, in->export_lp) != 0)
            cp_fail(err, CP_ERESOURCE, "%s: cannot write the model", in->export_lp);
    } else {
        solve_phases(&m, out, start);
        if (m.glpk_failure)
            cp_fail(err, CP_ERESOURCE, "GLPK failed with code %d", m.glpk_failure);
    }
    glp_error_hook(NULL, NULL);
    glp_delete_prob(m.lp);
    free_model(&m);
    out->seconds = cp_now_seconds() - start;
    return err && err->code ? err->code : CP_OK;
}
