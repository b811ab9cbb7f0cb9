/*
 * select.c — constrained selection: when the rubric has quotas, the role
 * holders are chosen by a MILP (through the cp_mip wall in exact/mip.c) instead
 * of by the percentile bands alone.
 *   x_kr = 1   ranked candidate k holds role r      sum_r x_kr <= 1
 *   seats      sum_k x_kr + u_r = seats_r            (seats from the bands)
 *   women      sum_{k female} x_kr + s_q >= ceil(share * seats)
 *   region     sum_{k in region} x_kr + s_q >= count,  or  <= count
 *   school     sum_{k at school} x_kr <= count       each school
 * (a quota without a role sums over every role).  Lexicographic phases:
 *   0  minimise the shortfall sum s + sum u (0 when every quota can be met;
 *      otherwise the report explains what could not be);
 *   r  for each role in rubric order, maximise the role holders' total score;
 *   last  among equal totals, prefer the better ranks.
 * Each quota's cost is measured by solving again without it: the score the
 * quota gave up, and who it displaced and admitted.  Models have
 * ranked x roles columns; every solve is exact (no time limit).
 */
#include "facilitators.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    cp_ranking *r;
    cp_mip *m;
    int n_pool;              /* ranked candidates, by rank: r->order[0..) */
    int n_roles;
    int n_cols;
    int *slack;              /* shortfall columns (s_q, u_r), -1 terminated */
    int n_slack;
    int *cols;               /* scratch row */
    double *vals;
    double *coef;            /* scratch objective */
} model;

static int x_col(const model *md, int k, int role)
{
    return k * md->n_roles + role;
}

static const cp_candidate *pool_candidate(const model *md, int k)
{
    return &md->r->candidates->items[md->r->order[k]];
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

static cp_code add_slack(model *md, double hi)
{
    int col = cp_mip_add_col(md->m, 0, 0.0, hi);
    if (col < 0)
        return CP_ERESOURCE;
    md->slack[md->n_slack++] = col;
    return CP_OK;
}

static cp_code group_row(model *md, const cp_quota *q)
{
    int k, j, n = 0, needed = quota_needed(md->r, q);
    for (k = 0; k < md->n_pool; k++)
        for (j = 0; j < md->n_roles; j++)
            if (role_matches(q, j) && in_quota_group(q, pool_candidate(md, k))) {
                md->cols[n] = x_col(md, k, j);
                md->vals[n++] = 1.0;
            }
    if (q->kind == CP_QUOTA_REGION_MAX)
        return cp_mip_add_row(md->m, n, md->cols, md->vals, -HUGE_VAL, q->count) < 0;
    if (add_slack(md, needed))
        return CP_ERESOURCE;
    md->cols[n] = md->slack[md->n_slack - 1];
    md->vals[n++] = 1.0;
    return cp_mip_add_row(md->m, n, md->cols, md->vals, needed, HUGE_VAL) < 0;
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

/* One row per school with more candidates in the pool than the quota
 * allows; candidates without a school are not limited. */
static cp_code school_rows(model *md, const cp_quota *q)
{
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
        for (k = start; end - start > q->count && k < end; k++)
            for (j = 0; j < md->n_roles; j++)
                if (role_matches(q, j)) {
                    md->cols[cnt] = x_col(md, by[k], j);
                    md->vals[cnt++] = 1.0;
                }
        if (cnt && cp_mip_add_row(md->m, cnt, md->cols, md->vals, -HUGE_VAL, q->count) < 0) {
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
    int k, j;
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
        if (add_slack(md, md->r->seats[j]))
            return CP_ERESOURCE;
        md->cols[md->n_pool] = md->slack[md->n_slack - 1];
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
    cp_free(md->slack);
    cp_free(md->cols);
    cp_free(md->vals);
    cp_free(md->coef);
}

/* Builds the model with every quota except `skip` (-1 = none). */
static cp_code model_build(model *md, cp_ranking *r, int skip)
{
    const cp_rubric *rub = r->rubric;
    /* a row or an objective spans at most every x column and every slack */
    size_t width = (size_t)r->ranked * (size_t)(rub->n_roles ? rub->n_roles : 1) +
                   (size_t)rub->n_quotas + (size_t)rub->n_roles + 2;
    int k;
    cp_code rc = CP_OK;
    memset(md, 0, sizeof *md);
    md->r = r;
    md->n_pool = r->ranked;
    md->n_roles = rub->n_roles;
    md->n_cols = md->n_pool * md->n_roles;
    md->m = cp_mip_new();
    md->slack = cp_malloc((size_t)(rub->n_quotas + rub->n_roles + 1) * sizeof(int));
    md->cols = cp_malloc(width * sizeof(int));
    md->vals = cp_malloc(width * sizeof(double));
    md->coef = cp_calloc(width, sizeof(double));
    if (!md->m || !md->slack || !md->cols || !md->vals || !md->coef)
        return CP_ERESOURCE;
    for (k = 0; k < md->n_cols; k++)
        if (cp_mip_add_col(md->m, 1, 0.0, 1.0) < 0)
            return CP_ERESOURCE;
    rc = base_rows(md);
    for (k = 0; !rc && k < rub->n_quotas; k++) {
        if (k == skip)
            continue;
        rc = rub->quotas[k].kind == CP_QUOTA_SCHOOL_MAX ? school_rows(md, &rub->quotas[k])
                                                          : group_row(md, &rub->quotas[k]);
    }
    return rc;
}

/* ---------------------------------------------------------------- phases */

static int total_cols(const model *md)
{
    return md->n_cols + md->n_slack;
}

/* Solves with the current objective and fixes its optimum as a row
 * (objective >= z - tol when maximising, <= z + tol when minimising). */
static cp_code solve_and_fix(model *md, int maximise, cp_error *err)
{
    int k, n = 0;
    double z, tol;
    cp_mip_status st;
    if (cp_mip_set_objective(md->m, md->coef, maximise))
        return cp_fail_nomem(err);
    st = cp_mip_solve(md->m, 0, err);
    if (st == CP_MIP_NONE)
        return err && err->code ? err->code : cp_fail(err, CP_ERESOURCE, "selection MILP failed");
    if (st == CP_MIP_INFEASIBLE) /* cannot happen: every row has its slack */
        return cp_fail(err, CP_ERESOURCE, "selection MILP infeasible");
    z = cp_mip_objective(md->m);
    tol = 1e-6 * fmax(1.0, fabs(z));
    for (k = 0; k < total_cols(md); k++)
        if (md->coef[k] != 0.0) {
            md->cols[n] = k;
            md->vals[n++] = md->coef[k];
        }
    if (n && cp_mip_add_row(md->m, n, md->cols, md->vals, maximise ? z - tol : -HUGE_VAL,
                            maximise ? HUGE_VAL : z + tol) < 0)
        return cp_fail_nomem(err);
    return CP_OK;
}

static void clear_objective(model *md)
{
    memset(md->coef, 0, (size_t)total_cols(md) * sizeof(double));
}

/* Runs the phases; writes each pool member's role (or -1) into role_of[]
 * (indexed by candidate). */
static cp_code run_phases(model *md, int *role_of, cp_error *err)
{
    int k, j;
    cp_code rc;
    clear_objective(md);
    for (k = 0; k < md->n_slack; k++)
        md->coef[md->slack[k]] = 1.0;
    if ((rc = solve_and_fix(md, 0, err)))
        return rc;
    for (j = 0; j < md->n_roles; j++) {
        clear_objective(md);
        for (k = 0; k < md->n_pool; k++)
            md->coef[x_col(md, k, j)] = md->r->items[md->r->order[k]].total;
        if ((rc = solve_and_fix(md, 1, err)))
            return rc;
    }
    clear_objective(md);
    for (k = 0; k < md->n_pool; k++)
        for (j = 0; j < md->n_roles; j++)
            md->coef[x_col(md, k, j)] = md->n_pool - k;
    if ((rc = solve_and_fix(md, 1, err)))
        return rc;
    for (k = 0; k < md->r->n; k++)
        role_of[k] = -1;
    for (k = 0; k < md->n_pool; k++)
        for (j = 0; j < md->n_roles; j++)
            if (cp_mip_value(md->m, x_col(md, k, j)) > 0.5)
                role_of[md->r->order[k]] = j;
    return CP_OK;
}

static cp_code select_roles(cp_ranking *r, int skip, int *role_of, cp_error *err)
{
    model md;
    cp_code rc = model_build(&md, r, skip);
    if (rc)
        rc = cp_fail_nomem(err);
    else
        rc = run_phases(&md, role_of, err);
    model_free(&md);
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

/* What quota q cost: the selection without it against the final one. */
static cp_code measure_quota(cp_ranking *r, int q, int *without, cp_error *err)
{
    cp_quota_effect *e = &r->effects[q];
    int *with = cp_malloc((size_t)(r->n ? r->n : 1) * sizeof(int));
    int k;
    cp_code rc;
    if (!with)
        return cp_fail_nomem(err);
    for (k = 0; k < r->n; k++)
        with[k] = r->items[k].role;
    rc = select_roles(r, q, without, err);
    if (!rc && (list_difference(r, without, with, &e->displaced, &e->n_displaced) ||
                list_difference(r, with, without, &e->admitted, &e->n_admitted)))
        rc = cp_fail_nomem(err);
    for (k = 0; !rc && k < r->n; k++)
        e->cost += (without[k] >= 0 ? r->items[k].total : 0) - (with[k] >= 0 ? r->items[k].total : 0);
    e->cost = fmax(0.0, e->cost);
    e->needed = quota_needed(r, &r->rubric->quotas[q]);
    e->achieved = e->needed ? quota_achieved(r, &r->rubric->quotas[q]) : 0;
    cp_free(with);
    return rc;
}

cp_code cp_select_with_quotas(cp_ranking *r, cp_error *err)
{
    int *role_of = cp_malloc((size_t)(r->n ? r->n : 1) * sizeof(int));
    int k;
    cp_code rc;
    r->effects = cp_calloc((size_t)r->rubric->n_quotas, sizeof *r->effects);
    if (!role_of || !r->effects) {
        cp_free(role_of);
        return cp_fail_nomem(err);
    }
    r->constrained = 1;
    rc = select_roles(r, -1, role_of, err);
    for (k = 0; !rc && k < r->n; k++)
        r->items[k].role = role_of[k];
    for (k = 0; !rc && k < r->rubric->n_quotas; k++)
        rc = measure_quota(r, k, role_of, err);
    cp_free(role_of);
    return rc;
}
