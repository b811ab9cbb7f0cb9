/*
 * mip.c — a thin wall around GLPK for the small selection models of the
 * facilitators room (select.c): columns, rows, an objective, solves that
 * start from the last basis (and from a known solution when given).
 * Columns and rows are 0-based here.  The cluster MILP (milp.c) uses GLPK
 * directly for its callbacks; no file outside solver/exact/ sees glpk.h.
 */
#include "exact.h"

#include <glpk.h>
#include <math.h>
#include <setjmp.h>
#include <string.h>

/* The facilitator models (select.c) are small and fully specified by their
 * caller, so this wrapper only keeps GLPK behind the wall: no terminal
 * output, its fatal errors caught.  A model is solved many times with small
 * changes (an objective, row bounds), so each solve starts the simplex from
 * the last basis, and branch and bound from a known integer solution when
 * the caller gives one. */
struct cp_mip {
    glp_prob *lp;
    jmp_buf on_error;
    int failed;
    double *start;          /* 1-based: a feasible integer solution, or NULL */
    int lp_integral;        /* the relaxation's optimum was integral: it is the answer */
};

static void mip_error_hook(void *info)
{
    cp_mip *m = info;
    m->failed = 1;
    longjmp(m->on_error, 1);
}

cp_mip *cp_mip_new(void)
{
    cp_mip *m = cp_calloc(1, sizeof *m);
    if (!m)
        return NULL;
    glp_term_out(GLP_OFF);
    m->lp = glp_create_prob();
    return m;
}

void cp_mip_free(cp_mip *m)
{
    if (!m)
        return;
    if (m->failed)
        glp_free_env(); /* after a caught GLPK error its state is unusable */
    else if (m->lp)
        glp_delete_prob(m->lp);
    cp_free(m->start);
    cp_free(m);
}

static int glpk_bounds_type(double lo, double hi)
{
    if (isinf(lo) && isinf(hi))
        return GLP_FR;
    if (isinf(hi))
        return GLP_LO;
    if (isinf(lo))
        return GLP_UP;
    return lo == hi ? GLP_FX : GLP_DB;
}

/* Bounds lo..hi (+-HUGE_VAL = open) of GLPK's row or column k (1-based). */
static void set_bounds(glp_prob *lp, int row, int k, double lo, double hi)
{
    int type = glpk_bounds_type(lo, hi);
    if (row)
        glp_set_row_bnds(lp, k, type, isinf(lo) ? 0 : lo, isinf(hi) ? 0 : hi);
    else
        glp_set_col_bnds(lp, k, type, isinf(lo) ? 0 : lo, isinf(hi) ? 0 : hi);
}

int cp_mip_add_col(cp_mip *m, int integer, double lo, double hi)
{
    int col;
    if (m->failed)
        return -1;
    glp_error_hook(mip_error_hook, m);
    if (setjmp(m->on_error)) {
        glp_error_hook(NULL, NULL);
        return -1;
    }
    col = glp_add_cols(m->lp, 1);
    glp_set_col_kind(m->lp, col, integer ? (lo == 0 && hi == 1 ? GLP_BV : GLP_IV) : GLP_CV);
    set_bounds(m->lp, 0, col, lo, hi);
    glp_error_hook(NULL, NULL);
    return col - 1;
}

int cp_mip_add_row(cp_mip *m, int count, const int *cols, const double *vals, double lo,
                   double hi)
{
    int *ind = cp_malloc((size_t)(count + 1) * sizeof(int));
    double *val = cp_malloc((size_t)(count + 1) * sizeof(double));
    int k, row = -1;
    if (ind && val && !m->failed) {
        for (k = 0; k < count; k++) {
            ind[k + 1] = cols[k] + 1;
            val[k + 1] = vals[k];
        }
        glp_error_hook(mip_error_hook, m);
        if (!setjmp(m->on_error)) {
            row = glp_add_rows(m->lp, 1);
            set_bounds(m->lp, 1, row, lo, hi);
            glp_set_mat_row(m->lp, row, count, ind, val);
            row--;
        }
        glp_error_hook(NULL, NULL);
    }
    cp_free(ind);
    cp_free(val);
    return row;
}

cp_code cp_mip_set_row_bounds(cp_mip *m, int row, double lo, double hi)
{
    if (m->failed)
        return CP_ERESOURCE;
    set_bounds(m->lp, 1, row + 1, lo, hi);
    return CP_OK;
}

cp_code cp_mip_set_col_bounds(cp_mip *m, int col, double lo, double hi)
{
    if (m->failed)
        return CP_ERESOURCE;
    set_bounds(m->lp, 0, col + 1, lo, hi);
    return CP_OK;
}

cp_code cp_mip_set_start(cp_mip *m, const double *x)
{
    int n = glp_get_num_cols(m->lp);
    if (!m->start && !(m->start = cp_malloc((size_t)(n + 1) * sizeof(double))))
        return CP_ERESOURCE;
    memcpy(m->start + 1, x, (size_t)n * sizeof(double));
    m->start[0] = 1; /* given */
    return CP_OK;
}

/* Branch and bound's first call for a heuristic solution takes the start:
 * with an integral objective, a start that is optimal is proven at the
 * root as soon as the LP bound rounds to it. */
static void give_start(glp_tree *tree, void *info)
{
    cp_mip *m = info;
    if (glp_ios_reason(tree) == GLP_IHEUR && m->start && m->start[0] != 0) {
        m->start[0] = 0;
        glp_ios_heur_sol(tree, m->start);
    }
}

cp_code cp_mip_set_objective(cp_mip *m, const double *coef, int maximise)
{
    int col, n = glp_get_num_cols(m->lp);
    if (m->failed)
        return CP_ERESOURCE;
    glp_set_obj_dir(m->lp, maximise ? GLP_MAX : GLP_MIN);
    for (col = 1; col <= n; col++)
        glp_set_obj_coef(m->lp, col, coef[col - 1]);
    return CP_OK;
}

/* The LP relaxation from the last basis (a fresh one when it no longer
 * fits the model); GLP_OPT, GLP_NOFEAS, or -1 when the simplex failed. */
static int relaxation(cp_mip *m, double seconds)
{
    glp_smcp sp;
    int rc;
    glp_init_smcp(&sp);
    sp.msg_lev = GLP_MSG_OFF;
    sp.meth = GLP_PRIMAL; /* between solves the last solution stays feasible */
    if (seconds > 0)
        sp.tm_lim = (int)fmin(seconds * 1000.0, 2e9);
    rc = glp_simplex(m->lp, &sp);
    if (rc == GLP_EBADB || rc == GLP_ESING || rc == GLP_ECOND) {
        glp_adv_basis(m->lp, 0);
        rc = glp_simplex(m->lp, &sp);
    }
    if (rc != 0)
        return -1;
    rc = glp_get_status(m->lp);
    return rc == GLP_OPT || rc == GLP_NOFEAS ? rc : -1;
}

/* An integral LP optimum is the integer optimum: no branch and bound. */
static int relaxation_integral(const cp_mip *m)
{
    int n = glp_get_num_cols(m->lp), j;
    for (j = 1; j <= n; j++) {
        double v = glp_get_col_prim(m->lp, j);
        if (glp_get_col_kind(m->lp, j) != GLP_CV && fabs(v - floor(v + 0.5)) > 1e-9)
            return 0;
    }
    return 1;
}

cp_mip_status cp_mip_solve(cp_mip *m, double seconds, cp_error *err)
{
    glp_iocp ip;
    int rc, st;
    if (m->failed)
        return cp_fail(err, CP_ERESOURCE, "GLPK failed earlier"), CP_MIP_NONE;
    glp_init_iocp(&ip);
    ip.msg_lev = GLP_MSG_OFF;
    ip.presolve = GLP_OFF; /* the relaxation below is solved warm instead */
    ip.cb_func = give_start;
    ip.cb_info = m;
    /* The callers' objectives are integers below 2^50: a node whose bound is
     * within tol_obj x |objective| of the incumbent is pruned, so that
     * margin must stay below a unit (GLPK's default 1e-7 would be 10^8). */
    ip.tol_obj = 1e-16;
    if (seconds > 0)
        ip.tm_lim = (int)fmin(seconds * 1000.0, 2e9);
    glp_error_hook(mip_error_hook, m);
    if (setjmp(m->on_error)) {
        glp_error_hook(NULL, NULL);
        cp_fail(err, CP_ERESOURCE, "GLPK failed (internal error or out of memory)");
        return CP_MIP_NONE;
    }
    rc = relaxation(m, seconds);
    if (rc != GLP_OPT) {
        glp_error_hook(NULL, NULL);
        if (m->start)
            m->start[0] = 0;
        if (rc == GLP_NOFEAS)
            return CP_MIP_INFEASIBLE;
        cp_fail(err, CP_ERESOURCE, "GLPK's simplex failed on the LP relaxation");
        return CP_MIP_NONE;
    }
    if ((m->lp_integral = relaxation_integral(m))) {
        glp_error_hook(NULL, NULL);
        if (m->start)
            m->start[0] = 0;
        return CP_MIP_OPTIMAL;
    }
    rc = glp_intopt(m->lp, &ip);
    glp_error_hook(NULL, NULL);
    if (m->start)
        m->start[0] = 0;
    if (rc == GLP_ENOPFS || rc == GLP_ENODFS)
        return CP_MIP_INFEASIBLE;
    st = glp_mip_status(m->lp);
    if (rc != 0 && rc != GLP_ETMLIM) {
        cp_fail(err, CP_ERESOURCE, "GLPK failed with code %d", rc);
        return CP_MIP_NONE;
    }
    if (st == GLP_OPT)
        return rc == 0 ? CP_MIP_OPTIMAL : CP_MIP_FEASIBLE;
    if (st == GLP_FEAS)
        return CP_MIP_FEASIBLE;
    return st == GLP_NOFEAS ? CP_MIP_INFEASIBLE : CP_MIP_NONE;
}

double cp_mip_value(const cp_mip *m, int col)
{
    return m->lp_integral ? glp_get_col_prim(m->lp, col + 1) : glp_mip_col_val(m->lp, col + 1);
}

double cp_mip_objective(const cp_mip *m)
{
    return m->lp_integral ? glp_get_obj_val(m->lp) : glp_mip_obj_val(m->lp);
}
