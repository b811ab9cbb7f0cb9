/*
 * select.c — constrained selection: when the rubric has quotas, the role
 * holders are chosen by a MILP (through the cp_mip wall in exact/mip.c) instead
 * of by the percentile bands alone.  The pool is the ranked nominees who
 * have not withdrawn; every role keeps the seats of its band.
 *   x_kr = 1   pool member k holds role r      sum_r x_kr <= 1
 *   seats      sum_k x_kr + u_r = seats_r
 *   women      sum_{k female} x_kr + s_q >= ceil(share * seats)
 *   region     sum_{k in region} x_kr + s_q >= count,  or  <= count
 *   school     sum_{k at school} x_kr <= count       each school
 * (a quota without a role sums over every role).  Phases, in order:
 *   0  minimise the shortfall sum s + sum u (0 when every quota can be met;
 *      otherwise the report explains what could not be), fixed as a row;
 *   r  for each role in rubric order (precedence): its holders with the
 *      largest total score, then the better ranks (rank-sum), among the
 *      nominees the earlier roles left; then its holders are fixed.
 * Totals are whole units of the rubric's last decimal (rank.c rounds every
 * figure), so a role's two aims are one integer objective, total x W +
 * rank-sum with W above any rank-sum, exact in a double (when it would not
 * be, the total is a phase of its own, fixed by a row, then the ranks).
 * Fixing a role's holders, not its total, keeps the later phases free of
 * knapsack rows, whose LP relaxations are a unit off and need branching.
 * Each quota's cost is measured by solving again without it: the score the
 * quota gave up (+) or raised (-) per role, and who it displaced and
 * admitted.  Speed: one model is built once; the phase rows exist from the
 * start (free until their phase fixes them), a quota is left out by freeing
 * its rows, so every solve starts from the last simplex basis, and each
 * phase from the previous phase's solution, which is feasible for it; with
 * integral objectives a start that is optimal is proven as soon as the LP
 * bound rounds to it.  A run's shortfall phase is skipped when the
 * selection with every quota, its own shortfall dropped, has none left: 0
 * is the least there is.  400 nominees, 3 roles, 27 quotas take 0.3-0.7 s
 * (bench/run_quotas.sh; 25-30 s when every phase was a fresh model with the
 * totals fixed by rows).  Every solve is exact (no time limit).
 */
#include "facilitators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    cp_ranking *r;
    cp_mip *m;
    int n_pool;              /* nominees who may hold a role, by rank */
    int *pool;               /* their candidate indices */
    int n_roles;
    int n_cols;              /* x columns; slacks follow */
    int n_slack;
    int *quota_row, *quota_rows; /* first row and row count of each quota */
    double *quota_lo, *quota_hi;
    int n_phases;            /* 1 + roles (+ 1 per role whose total is its own phase) */
    double *phase_coef;      /* [phase][column] */
    int *phase_row;          /* per phase: its fixing row, or -1 */
    int *phase_role;         /* per phase: the role whose holders it fixes, or -1 */
    double *x;               /* the last solution, every column */
    double *best;            /* the solution with every quota */
    int *quota_slack;        /* an at-least quota's shortfall column, or -1 */
    double scale;            /* 10^decimals: totals in whole units */
    int *cols;               /* scratch row */
    double *vals;
} model;

static int x_col(const model *md, int k, int role)
{
    return k * md->n_roles + role;
}

static const cp_candidate *pool_candidate(const model *md, int k)
{
    return &md->r->candidates->items[md->pool[k]];
}

static int role_matches(const cp_quota *q, int role)
{
    return q->role < 0 || q->role == role;
}

static int quota_seats(const cp_ranking *r, const cp_quota *q)
{
    int j, seats = 0;
    for (j = 0; j < r->rubric->n_roles; j++)
        seats += role_matches(q, j) ? r->seats[j] : 0;
    return seats;
}

/* How many holders an at-least quota needs (0 for at-most quotas). */
static int quota_needed(const cp_ranking *r, const cp_quota *q)
{
    if (q->kind == CP_QUOTA_WOMEN_SHARE)
        return (int)ceil(q->share * quota_seats(r, q) - 1e-9);
    return q->kind == CP_QUOTA_REGION_MIN ? q->count : 0;
}

static int in_quota_group(const cp_quota *q, const cp_candidate *c)
{
    if (q->kind == CP_QUOTA_WOMEN_SHARE)
        return c->gender == CP_GENDER_FEMALE;
    return c->region && strcmp(c->region, q->region) == 0;
}

static int add_slack(model *md, double hi)
{
    int col = cp_mip_add_col(md->m, 1, 0.0, hi);
    md->n_slack += col >= 0;
    return col;
}

static cp_code add_quota_row(model *md, int q, int n)
{
    int row = cp_mip_add_row(md->m, n, md->cols, md->vals, md->quota_lo[q], md->quota_hi[q]);
    if (row < 0)
        return CP_ERESOURCE;
    if (!md->quota_rows[q])
        md->quota_row[q] = row;
    md->quota_rows[q]++;
    return CP_OK;
}

static cp_code group_row(model *md, int q)
{
    const cp_quota *quota = &md->r->rubric->quotas[q];
    int k, j, n = 0, slack;
    for (k = 0; k < md->n_pool; k++)
        for (j = 0; j < md->n_roles; j++)
            if (role_matches(quota, j) && in_quota_group(quota, pool_candidate(md, k))) {
                md->cols[n] = x_col(md, k, j);
                md->vals[n++] = 1.0;
            }
    if (quota->kind != CP_QUOTA_REGION_MAX) {
        if ((slack = add_slack(md, md->quota_lo[q])) < 0)
            return CP_ERESOURCE;
        md->cols[n] = slack;
        md->vals[n++] = 1.0;
        md->quota_slack[q] = slack;
    }
    return add_quota_row(md, q, n);
}

static const char *school_of(const model *md, int k)
{
    return pool_candidate(md, k)->school;
}

static const model *school_ctx;

static int by_school(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    int c = strcmp(school_of(school_ctx, x), school_of(school_ctx, y));
    return c ? c : x - y;
}

/* One row per school with more nominees in the pool than the quota
 * allows; nominees without a school are not limited. */
static cp_code school_rows(model *md, int q)
{
    const cp_quota *quota = &md->r->rubric->quotas[q];
    int k, n = 0, start, j;
    int *by = cp_malloc((size_t)(md->n_pool ? md->n_pool : 1) * sizeof(int));
    if (!by)
        return CP_ERESOURCE;
    for (k = 0; k < md->n_pool; k++)
        if (school_of(md, k))
            by[n++] = k;
    school_ctx = md;
    qsort(by, (size_t)n, sizeof(int), by_school);
    for (start = 0; start < n;) {
        int end = start, cnt = 0;
        while (end < n && strcmp(school_of(md, by[end]), school_of(md, by[start])) == 0)
            end++;
        for (k = start; end - start > quota->count && k < end; k++)
            for (j = 0; j < md->n_roles; j++)
                if (role_matches(quota, j)) {
                    md->cols[cnt] = x_col(md, by[k], j);
                    md->vals[cnt++] = 1.0;
                }
        if (cnt && add_quota_row(md, q, cnt)) {
            cp_free(by);
            return CP_ERESOURCE;
        }
        start = end;
    }
    cp_free(by);
    return CP_OK;
}

static cp_code base_rows(model *md)
{
    int k, j, slack;
    for (k = 0; k < md->n_pool; k++) {
        for (j = 0; j < md->n_roles; j++) {
            md->cols[j] = x_col(md, k, j);
            md->vals[j] = 1.0;
        }
        if (cp_mip_add_row(md->m, md->n_roles, md->cols, md->vals, -HUGE_VAL, 1.0) < 0)
            return CP_ERESOURCE;
    }
    for (j = 0; j < md->n_roles; j++) {
        for (k = 0; k < md->n_pool; k++) {
            md->cols[k] = x_col(md, k, j);
            md->vals[k] = 1.0;
        }
        if ((slack = add_slack(md, md->r->seats[j])) < 0)
            return CP_ERESOURCE;
        md->cols[md->n_pool] = slack;
        md->vals[md->n_pool] = 1.0;
        if (cp_mip_add_row(md->m, md->n_pool + 1, md->cols, md->vals, md->r->seats[j],
                           md->r->seats[j]) < 0)
            return CP_ERESOURCE;
    }
    return CP_OK;
}

static void model_free(model *md)
{
    cp_mip_free(md->m);
    cp_free(md->pool);
    cp_free(md->quota_row);
    cp_free(md->quota_rows);
    cp_free(md->quota_lo);
    cp_free(md->quota_hi);
    cp_free(md->phase_coef);
    cp_free(md->phase_row);
    cp_free(md->phase_role);
    cp_free(md->x);
    cp_free(md->best);
    cp_free(md->quota_slack);
    cp_free(md->cols);
    cp_free(md->vals);
}

static int total_cols(const model *md)
{
    return md->n_cols + md->n_slack;
}

/* Role j's aims as one integer objective, units x W + (pool - k), where
 * W exceeds any rank-sum of the role: exact while the largest value stays
 * below 2^50 (exact in a double, and within mip.c's pruning margin); 0 when
 * it would not. */
static double rank_weight(const model *md, int j)
{
    double most = 0, w = (double)md->r->seats[j] * md->n_pool + 1;
    int k;
    for (k = 0; k < md->n_pool; k++)
        most = fmax(most, fabs((double)llround(md->r->items[md->pool[k]].total * md->scale)));
    return (most + 1) * w * (md->r->seats[j] + 1) < 1125899906842624.0 ? w : 0;
}

/* A phase: its objective (role < 0: the shortfall; else role j's total
 * times `w` plus, when `ranks`, the rank-sum), its fixing row when `row`,
 * the role whose holders it fixes when `fixes`. */
static cp_code add_phase(model *md, int role, double w, int ranks, int row, int fixes)
{
    int n = total_cols(md), p = md->n_phases++, k, cnt = 0;
    double *c = md->phase_coef + (size_t)p * n;
    for (k = role < 0 ? md->n_cols : n; k < n; k++)
        c[k] = 1.0;
    for (k = 0; role >= 0 && k < md->n_pool; k++)
        c[x_col(md, k, role)] = (double)llround(md->r->items[md->pool[k]].total * md->scale) * w +
                                (ranks ? md->n_pool - k : 0);
    md->phase_role[p] = fixes ? role : -1;
    md->phase_row[p] = -1;
    if (!row)
        return CP_OK;
    for (k = 0; k < n; k++)
        if (c[k] != 0.0) {
            md->cols[cnt] = k;
            md->vals[cnt++] = c[k];
        }
    md->phase_row[p] = cp_mip_add_row(md->m, cnt, md->cols, md->vals, -HUGE_VAL, HUGE_VAL);
    return md->phase_row[p] < 0 ? CP_ERESOURCE : CP_OK;
}

static cp_code phase_rows(model *md)
{
    int n = total_cols(md), most = 1 + 2 * md->n_roles, j;
    cp_code rc;
    md->phase_coef = cp_calloc((size_t)most * (size_t)n, sizeof(double));
    md->phase_row = cp_malloc((size_t)most * sizeof(int));
    md->phase_role = cp_malloc((size_t)most * sizeof(int));
    md->x = cp_calloc((size_t)n, sizeof(double));
    md->best = cp_calloc((size_t)n, sizeof(double));
    if (!md->phase_coef || !md->phase_row || !md->phase_role || !md->x || !md->best)
        return CP_ERESOURCE;
    rc = add_phase(md, -1, 0, 0, 1, 0);
    for (j = 0; !rc && j < md->n_roles; j++) {
        double w = rank_weight(md, j);
        if (w > 0)
            rc = add_phase(md, j, w, 1, 0, 1);
        else if (!(rc = add_phase(md, j, 1, 0, 1, 0)))
            rc = add_phase(md, j, 0, 1, 0, 1);
    }
    return rc;
}

static cp_code quota_rows(model *md)
{
    const cp_rubric *rub = md->r->rubric;
    int q;
    cp_code rc = CP_OK;
    for (q = 0; !rc && q < rub->n_quotas; q++) {
        const cp_quota *quota = &rub->quotas[q];
        int needed = quota_needed(md->r, quota);
        md->quota_lo[q] = quota->kind == CP_QUOTA_REGION_MAX || quota->kind == CP_QUOTA_SCHOOL_MAX
                              ? -HUGE_VAL : needed;
        md->quota_hi[q] = md->quota_lo[q] == -HUGE_VAL ? quota->count : HUGE_VAL;
        rc = quota->kind == CP_QUOTA_SCHOOL_MAX ? school_rows(md, q) : group_row(md, q);
    }
    return rc;
}

/* The model with every quota; its pool is the ranked nominees who have not
 * withdrawn, in rank order. */
static cp_code model_build(model *md, cp_ranking *r)
{
    const cp_rubric *rub = r->rubric;
    /* a row spans at most every x column and every slack */
    size_t width = (size_t)r->ranked * (size_t)(rub->n_roles ? rub->n_roles : 1) +
                   (size_t)rub->n_quotas + (size_t)rub->n_roles + 2;
    int k, nq = rub->n_quotas ? rub->n_quotas : 1;
    cp_code rc;
    memset(md, 0, sizeof *md);
    md->r = r;
    md->n_roles = rub->n_roles;
    md->scale = pow(10.0, rub->decimals);
    md->m = cp_mip_new();
    md->pool = cp_malloc((size_t)(r->ranked ? r->ranked : 1) * sizeof(int));
    md->quota_row = cp_calloc((size_t)nq, sizeof(int));
    md->quota_rows = cp_calloc((size_t)nq, sizeof(int));
    md->quota_lo = cp_calloc((size_t)nq, sizeof(double));
    md->quota_hi = cp_calloc((size_t)nq, sizeof(double));
    md->quota_slack = cp_malloc((size_t)nq * sizeof(int));
    md->cols = cp_malloc(width * sizeof(int));
    md->vals = cp_malloc(width * sizeof(double));
    if (!md->m || !md->pool || !md->quota_row || !md->quota_rows || !md->quota_lo ||
        !md->quota_hi || !md->quota_slack || !md->cols || !md->vals)
        return CP_ERESOURCE;
    for (k = 0; k < rub->n_quotas; k++)
        md->quota_slack[k] = -1;
    for (k = 0; k < r->ranked; k++)
        if (!r->candidates->items[r->order[k]].withdrawn)
            md->pool[md->n_pool++] = r->order[k];
    md->n_cols = md->n_pool * md->n_roles;
    for (k = 0; k < md->n_cols; k++)
        if (cp_mip_add_col(md->m, 1, 0.0, 1.0) < 0)
            return CP_ERESOURCE;
    rc = base_rows(md);
    if (!rc)
        rc = quota_rows(md);
    return rc ? rc : phase_rows(md);
}

/* ---------------------------------------------------------------- phases */

/* Frees (on = 0) or restores (on = 1) the rows of quota q. */
static cp_code quota_switch(model *md, int q, int on)
{
    int k;
    for (k = 0; k < md->quota_rows[q]; k++)
        if (cp_mip_set_row_bounds(md->m, md->quota_row[q] + k, on ? md->quota_lo[q] : -HUGE_VAL,
                                  on ? md->quota_hi[q] : HUGE_VAL))
            return CP_ERESOURCE;
    return CP_OK;
}

/* Without quota q, the full selection with q's own shortfall dropped: when
 * no shortfall is left, it is the shortfall phase's optimum (0 is least). */
static int shortfall_free_start(model *md, int q)
{
    int k;
    double left = 0;
    memcpy(md->x, md->best, (size_t)total_cols(md) * sizeof(double));
    if (md->quota_slack[q] >= 0)
        md->x[md->quota_slack[q]] = 0;
    for (k = md->n_cols; k < total_cols(md); k++)
        left += md->x[k];
    return left == 0;
}

/* Fixes the phase's outcome: its row at its optimum z (an integer: every
 * coefficient is), or its role's holders as found. */
static cp_code fix_phase(model *md, int p, double z)
{
    int k, j = md->phase_role[p], maximise = p > 0;
    if (md->phase_row[p] >= 0 &&
        cp_mip_set_row_bounds(md->m, md->phase_row[p], maximise ? z - 0.5 : -HUGE_VAL,
                              maximise ? HUGE_VAL : z + 0.5))
        return CP_ERESOURCE;
    for (k = 0; j >= 0 && k < md->n_pool; k++) {
        double v = md->x[x_col(md, k, j)];
        if (cp_mip_set_col_bounds(md->m, x_col(md, k, j), v, v))
            return CP_ERESOURCE;
    }
    return CP_OK;
}

/* Solves phase p from the previous phase's solution and fixes its outcome. */
static cp_code solve_phase(model *md, int p, cp_error *err)
{
    int n = total_cols(md), k, maximise = p > 0;
    double z;
    cp_mip_status st;
    if (cp_mip_set_objective(md->m, md->phase_coef + (size_t)p * n, maximise) ||
        (p > 0 && cp_mip_set_start(md->m, md->x)))
        return cp_fail_nomem(err);
    st = cp_mip_solve(md->m, 0, err);
    if (st == CP_MIP_NONE)
        return err && err->code ? err->code : cp_fail(err, CP_ERESOURCE, "selection MILP failed");
    if (st == CP_MIP_INFEASIBLE) /* cannot happen: every row has its slack */
        return cp_fail(err, CP_ERESOURCE, "selection MILP infeasible");
    z = round(cp_mip_objective(md->m));
    for (k = 0; k < n; k++)
        md->x[k] = round(cp_mip_value(md->m, k));
    return fix_phase(md, p, z) ? cp_fail_nomem(err) : CP_OK;
}

/* Frees every phase row and every holder fixed by the last run. */
static cp_code reset_phases(model *md)
{
    int p, k;
    for (p = 0; p < md->n_phases; p++)
        if (md->phase_row[p] >= 0 &&
            cp_mip_set_row_bounds(md->m, md->phase_row[p], -HUGE_VAL, HUGE_VAL))
            return CP_ERESOURCE;
    for (k = 0; k < md->n_cols; k++)
        if (cp_mip_set_col_bounds(md->m, k, 0.0, 1.0))
            return CP_ERESOURCE;
    return CP_OK;
}

/* Runs the phases without quota `skip` (-1 = with every quota); writes
 * each pool member's role (or -1) into role_of[] (indexed by candidate). */
static cp_code run_phases(model *md, int skip, int *role_of, cp_error *err)
{
    int k, j, p = 0;
    cp_code rc = reset_phases(md);
    if (!rc && skip >= 0)
        rc = quota_switch(md, skip, 0);
    if (rc)
        return cp_fail_nomem(err);
    if (skip >= 0 && shortfall_free_start(md, skip)) {
        if (fix_phase(md, 0, 0.0))
            return cp_fail_nomem(err);
        p = 1;
    }
    for (; !rc && p < md->n_phases; p++)
        rc = solve_phase(md, p, err);
    if (!rc && skip >= 0 && quota_switch(md, skip, 1))
        rc = cp_fail_nomem(err);
    for (k = 0; k < md->r->n; k++)
        role_of[k] = -1;
    for (k = 0; !rc && k < md->n_pool; k++)
        for (j = 0; j < md->n_roles; j++)
            if (md->x[x_col(md, k, j)] > 0.5)
                role_of[md->pool[k]] = j;
    return rc;
}

/* ---------------------------------------------------------------- effects */

static int quota_achieved(const cp_ranking *r, const cp_quota *q)
{
    int k, n = 0;
    for (k = 0; k < r->n; k++)
        n += r->items[k].role >= 0 && (q->role < 0 || q->role == r->items[k].role) &&
             in_quota_group(q, &r->candidates->items[k]);
    return n;
}

static cp_code list_difference(const cp_ranking *r, const int *a, const int *b, int **out,
                               int *count)
{
    int k;
    *count = 0;
    *out = cp_malloc((size_t)(r->n ? r->n : 1) * sizeof(int));
    if (!*out)
        return CP_ERESOURCE;
    for (k = 0; k < r->ranked; k++) {
        int c = r->order[k];
        if (a[c] >= 0 && b[c] < 0)
            (*out)[(*count)++] = c;
    }
    return CP_OK;
}

/* What quota q cost, per role: the holders' total without it minus with it,
 * in whole units (so the sign and the sum are exact). */
static cp_code quota_costs(cp_ranking *r, cp_quota_effect *e, const int *without,
                           const int *with)
{
    double scale = pow(10.0, r->rubric->decimals), total = 0;
    long long *units = cp_calloc((size_t)(r->rubric->n_roles ? r->rubric->n_roles : 1),
                                 sizeof *units);
    int k;
    e->role_cost = cp_calloc((size_t)(r->rubric->n_roles ? r->rubric->n_roles : 1),
                             sizeof(double));
    if (!units || !e->role_cost) {
        cp_free(units);
        return CP_ERESOURCE;
    }
    for (k = 0; k < r->n; k++) {
        long long t = llround(r->items[k].total * scale);
        if (without[k] >= 0)
            units[without[k]] += t;
        if (with[k] >= 0)
            units[with[k]] -= t;
    }
    for (k = 0; k < r->rubric->n_roles; k++) {
        e->role_cost[k] = (double)units[k] / scale;
        total += (double)units[k];
    }
    e->cost = total / scale;
    cp_free(units);
    return CP_OK;
}

static cp_code measure_quota(model *md, int q, int *without, const int *with, cp_error *err)
{
    cp_ranking *r = md->r;
    cp_quota_effect *e = &r->effects[q];
    cp_code rc = run_phases(md, q, without, err);
    if (!rc && (list_difference(r, without, with, &e->displaced, &e->n_displaced) ||
                list_difference(r, with, without, &e->admitted, &e->n_admitted) ||
                quota_costs(r, e, without, with) ||
                !(e->without = cp_malloc((size_t)(r->n ? r->n : 1) * sizeof(int)))))
        rc = cp_fail_nomem(err);
    if (!rc)
        memcpy(e->without, without, (size_t)r->n * sizeof(int));
    e->needed = quota_needed(r, &r->rubric->quotas[q]);
    e->achieved = e->needed ? quota_achieved(r, &r->rubric->quotas[q]) : 0;
    return rc;
}

cp_code cp_select_with_quotas(cp_ranking *r, cp_error *err)
{
    size_t n = (size_t)(r->n ? r->n : 1);
    int *with = cp_malloc(n * sizeof(int)), *without = cp_malloc(n * sizeof(int));
    int k;
    model md;
    cp_code rc;
    r->effects = cp_calloc((size_t)(r->rubric->n_quotas ? r->rubric->n_quotas : 1),
                           sizeof *r->effects);
    rc = with && without && r->effects ? model_build(&md, r) : (memset(&md, 0, sizeof md),
                                                                CP_ERESOURCE);
    if (rc)
        rc = cp_fail_nomem(err);
    r->constrained = 1;
    if (!rc)
        rc = run_phases(&md, -1, with, err);
    if (!rc)
        memcpy(md.best, md.x, (size_t)total_cols(&md) * sizeof(double));
    for (k = 0; !rc && k < r->n; k++)
        r->items[k].role = with[k];
    for (k = 0; !rc && k < r->rubric->n_quotas; k++)
        rc = measure_quota(&md, k, without, with, err);
    model_free(&md);
    cp_free(with);
    cp_free(without);
    return rc;
}
