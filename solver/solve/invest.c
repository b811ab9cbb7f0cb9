/*
 * invest.c — sharing the scenario's upgrades (<invest max-upgrades
 * budget>) among independent parts (README "New exemplar centres").
 *
 * Parts are independent but for the cap and the budget, which couple them.
 * Round 1 solves every part as if it had the whole cap and budget; when the
 * parts' upgrades together fit, that is the answer (each part has at least
 * the share any layout could give it).  Otherwise each part that used
 * upgrades gets its frontier: its best layout at the whole allowance, then
 * again with fewer upgrades than that layout used (one fewer for a cap, a
 * budget just below its cost for a budget; both when both bind), and so on
 * down to none: every layout no cheaper allowance matches.  A master
 * problem (a multiple-choice knapsack, solved exactly by the GLPK wall)
 * picks one point per part within the cap and budget: fewest unassigned,
 * then (soft groups) most clusters hosting every group, then least cost.
 *
 * Exactness.  Point t of a part, solved at allowance A_t, is the best the
 * part can do at any allowance from its own spend up to A_t; every spend a
 * layout can have falls in such a range (the recursion covers them), so
 * when every point is proven (the MILP) the master's choice is the global
 * optimum.  The same master over the points' proven bounds, with their
 * spends as the least a range can spend, bounds every layout: the global
 * bound and gap.  A heuristic's points are its best layouts, not proven.
 *
 * This is the MILP's way (method milp).  The search's (heuristic, auto)
 * is greedy_share below: its layouts are not proven, and a frontier of
 * full searches would cost a search per point.
 * Work: parts in parallel, each part's points one after the other (a point
 * starts from the last one's layout, which the search repairs and the MILP
 * takes when it fits); at most MAX_POINTS points a part (more leaves the
 * allocation unproven).  The master has one binary per point.
 */
#include "solve.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_POINTS 256
/* "A budget just below a spend" is this much below it, relative: GLPK
 * holds a binary to 1e-5 of an integer (tol_int) and a row to about 1e-7,
 * so a step of 1e-5 let the same upgrades through again (each u_j at
 * 0.99999).  Subsets of upgrades whose costs differ by less are one point
 * (the frontier is exact to this precision). */
#define BUDGET_STEP 1e-4

typedef struct {
    int cap_count;          /* the allowance it was solved at (-1 = no cap) */
    double cap_spend;       /* (INFINITY = no budget) */
    int count;              /* upgrades its layout uses */
    double spend;
    long unplaced, hosting;
    cp_milp_result res;
} point;

typedef struct {
    int part;
    point *pts;
    int n, cap;
    int incomplete;         /* MAX_POINTS reached, or the time ran out */
} frontier;

typedef struct {
    cp_invest_job *job;
    frontier *fr;
    int n_fr;
    cp_groups groups;
} invest;

/* --------------------------------------------------------------- spends */

static void measure(const invest *iv, int part, point *pt)
{
    const cp_invest_job *job = iv->job;
    const int *schools = job->part_schools[part];
    int n = job->part_n[part], k, g;
    double *load = NULL;
    pt->count = 0;
    pt->spend = 0.0;
    pt->unplaced = 0;
    pt->hosting = 0;
    for (k = 0; k < n; k++) {
        int s = schools[k];
        pt->unplaced += !pt->res.centre_of || pt->res.centre_of[k] < 0;
        if (pt->res.centre_of && pt->res.centre_of[k] == s && job->cand->upgradable &&
            job->cand->upgradable[s]) {
            pt->count++;
            pt->spend += cp_upgrade_spend(&job->inst->schools[s]);
        }
    }
    if (!iv->groups.soft || iv->groups.n == 0 || !pt->res.centre_of)
        return;
    /* soft groups: the clusters whose teachers reach every group's minimum */
    load = cp_calloc((size_t)n * (size_t)iv->groups.n, sizeof(double));
    for (k = 0; load && k < n; k++) {
        int c = pt->res.centre_of[k];
        if (c < 0)
            continue;
        for (g = 0; g < iv->groups.n; g++)
            load[(size_t)job->local_of[c] * (size_t)iv->groups.n + (size_t)g] +=
                cp_group_teachers(job->inst, &iv->groups, schools[k], g);
    }
    for (k = 0; load && k < n; k++) {
        int hosts = pt->res.centre_of[k] == schools[k];
        for (g = 0; hosts && g < iv->groups.n; g++)
            hosts = load[(size_t)k * (size_t)iv->groups.n + (size_t)g] >= iv->groups.min[g] - 1e-9;
        pt->hosting += hosts;
    }
    cp_free(load);
}

static int beyond(int count, int cap)
{
    return cap >= 0 && count > cap;
}

/* ------------------------------------------------------------- frontier */

/* A point solved at an allowance at least (C, B) that fits within (C, B)
 * answers (C, B) too. */
static int covered(const frontier *f, int C, double B)
{
    int k;
    for (k = 0; k < f->n; k++) {
        const point *p = &f->pts[k];
        if ((p->cap_count < 0 || (C >= 0 && p->cap_count >= C)) && p->cap_spend >= B &&
            !beyond(p->count, C) && p->spend <= B)
            return 1;
    }
    return 0;
}

static cp_code add_point(invest *iv, frontier *f, int C, double B, cp_error *err)
{
    cp_invest_job *job = iv->job;
    point *p;
    const int *incumbent = f->n > 0 ? f->pts[f->n - 1].res.centre_of : NULL;
    if (f->n == f->cap) {
        int cap = f->cap ? 2 * f->cap : 8;
        point *grown = cp_realloc(f->pts, (size_t)cap * sizeof *grown);
        if (!grown)
            return cp_fail_nomem(err);
        f->pts = grown;
        f->cap = cap;
    }
    p = &f->pts[f->n];
    memset(p, 0, sizeof *p);
    if (job->solve(job->arg, f->part, C, B, incumbent, &p->res, err))
        return err->code;
    p->cap_count = C;
    p->cap_spend = B;
    measure(iv, f->part, p);
    f->n++;
    return CP_OK;
}

/* The allowances just below point p's: one fewer upgrade, a budget just
 * below its spend. */
static void push_below(const cp_scenario *sc, const point *p, int *stack_c, double *stack_b,
                       int *top)
{
    if (isfinite(sc->upgrade_budget) && p->spend > 0) {
        stack_c[*top] = p->cap_count;
        stack_b[(*top)++] = p->spend - BUDGET_STEP * fmax(1.0, p->spend);
    }
    if (sc->max_upgrades >= 0 && p->count > 0) {
        stack_c[*top] = p->count - 1;
        stack_b[(*top)++] = p->cap_spend;
    }
}

/* Point 0 is round 1's layout, solved at the whole allowance; then every
 * allowance below the points found (an explicit stack, in a fixed order). */
static cp_code build_frontier(invest *iv, frontier *f, cp_error *err)
{
    const cp_scenario *sc = iv->job->sc;
    int stack_c[2 * MAX_POINTS + 2], top = 0;
    double stack_b[2 * MAX_POINTS + 2];
    cp_code rc = CP_OK;
    if (!(f->pts = cp_calloc(8, sizeof *f->pts)))
        return cp_fail_nomem(err);
    f->cap = 8;
    f->pts[0].res = iv->job->results[f->part]; /* owned by the frontier now */
    memset(&iv->job->results[f->part], 0, sizeof iv->job->results[f->part]);
    f->pts[0].cap_count = sc->max_upgrades;
    f->pts[0].cap_spend = sc->upgrade_budget;
    measure(iv, f->part, &f->pts[0]);
    f->n = 1;
    push_below(sc, &f->pts[0], stack_c, stack_b, &top);
    while (!rc && top > 0) {
        int C = stack_c[--top];
        double B = stack_b[top];
        if (covered(f, C, B))
            continue;
        if (f->n == MAX_POINTS || (iv->job->out_of_time && iv->job->out_of_time(iv->job->arg))) {
            f->incomplete = 1;
            break;
        }
        if ((rc = add_point(iv, f, C, B, err)))
            break;
        if (beyond(f->pts[f->n - 1].count, C) ||
            f->pts[f->n - 1].spend > B + 1e-9 * (1.0 + fabs(B))) {
            f->incomplete = 1; /* a layout past its allowance: a defect, not a loop */
            continue;
        }
        push_below(sc, &f->pts[f->n - 1], stack_c, stack_b, &top);
    }
    return rc;
}

static void frontier_task(int k, void *arg)
{
    invest *iv = arg;
    frontier *f = &iv->fr[k];
    cp_error *err = &iv->job->errors[f->part];
    if (build_frontier(iv, f, err) && !err->code)
        err->code = CP_ERESOURCE;
}

/* --------------------------------------------------------------- master */

typedef struct {
    cp_mip *mip;
    int n_cols;
    int *col_part;          /* per column: frontier index */
    int *col_point;
    double *coef;
    int *cols;
    double *vals;
} master;

static cp_code master_build(invest *iv, master *m, cp_error *err)
{
    const cp_scenario *sc = iv->job->sc;
    int k, t, c = 0;
    for (k = 0; k < iv->n_fr; k++)
        m->n_cols += iv->fr[k].n;
    m->mip = cp_mip_new();
    m->col_part = cp_malloc((size_t)m->n_cols * sizeof(int));
    m->col_point = cp_malloc((size_t)m->n_cols * sizeof(int));
    m->coef = cp_calloc((size_t)m->n_cols, sizeof(double));
    m->cols = cp_malloc((size_t)m->n_cols * sizeof(int));
    m->vals = cp_malloc((size_t)m->n_cols * sizeof(double));
    if (!m->mip || !m->col_part || !m->col_point || !m->coef || !m->cols || !m->vals)
        return cp_fail_nomem(err);
    for (k = 0; k < iv->n_fr; k++)
        for (t = 0; t < iv->fr[k].n; t++, c++) {
            if (cp_mip_add_col(m->mip, 1, 0.0, 1.0) < 0)
                return cp_fail_nomem(err);
            m->col_part[c] = k;
            m->col_point[c] = t;
        }
    for (k = 0, c = 0; k < iv->n_fr; k++) {
        for (t = 0; t < iv->fr[k].n; t++, c++) {
            m->cols[t] = c;
            m->vals[t] = 1.0;
        }
        if (cp_mip_add_row(m->mip, iv->fr[k].n, m->cols, m->vals, 1.0, 1.0) < 0)
            return cp_fail_nomem(err);
    }
    for (c = 0; c < m->n_cols; c++) {
        const point *p = &iv->fr[m->col_part[c]].pts[m->col_point[c]];
        m->cols[c] = c;
        m->vals[c] = p->count;
    }
    if (sc->max_upgrades >= 0 &&
        cp_mip_add_row(m->mip, m->n_cols, m->cols, m->vals, -HUGE_VAL, sc->max_upgrades) < 0)
        return cp_fail_nomem(err);
    for (c = 0; c < m->n_cols; c++)
        m->vals[c] = iv->fr[m->col_part[c]].pts[m->col_point[c]].spend;
    if (isfinite(sc->upgrade_budget) &&
        cp_mip_add_row(m->mip, m->n_cols, m->cols, m->vals, -HUGE_VAL,
                       sc->upgrade_budget * (1 + 1e-12)) < 0)
        return cp_fail_nomem(err);
    return CP_OK;
}

static void master_free(master *m)
{
    cp_mip_free(m->mip);
    cp_free(m->col_part);
    cp_free(m->col_point);
    cp_free(m->coef);
    cp_free(m->cols);
    cp_free(m->vals);
}

enum { BY_UNPLACED, BY_HOSTING, BY_COST, BY_BOUND };

static double key_of(const point *p, int key)
{
    switch (key) {
    case BY_UNPLACED: return (double)p->unplaced;
    case BY_HOSTING: return (double)p->hosting;
    case BY_COST: return p->res.cost;
    default: return p->res.bound;
    }
}

/* One lexicographic level: optimise the key, then hold it at its optimum
 * (a row) for the next.  CP_OK, or the error. */
static cp_code master_level(invest *iv, master *m, int key, double *value, cp_error *err)
{
    int c, maximise = key == BY_HOSTING;
    cp_mip_status st;
    for (c = 0; c < m->n_cols; c++)
        m->coef[c] = key_of(&iv->fr[m->col_part[c]].pts[m->col_point[c]], key);
    if (cp_mip_set_objective(m->mip, m->coef, maximise))
        return cp_fail_nomem(err);
    st = cp_mip_solve(m->mip, 0, err);
    if (st != CP_MIP_OPTIMAL)
        return err->code ? err->code : cp_fail(err, CP_EINTERNAL, "the upgrades' allocation "
                                               "found no choice of layouts within the cap");
    *value = cp_mip_objective(m->mip);
    if (key == BY_COST || key == BY_BOUND)
        return CP_OK;
    for (c = 0; c < m->n_cols; c++)
        m->cols[c] = c;
    if (cp_mip_add_row(m->mip, m->n_cols, m->cols, m->coef, maximise ? *value - 0.5 : -HUGE_VAL,
                       maximise ? HUGE_VAL : *value + 0.5) < 0)
        return cp_fail_nomem(err);
    return CP_OK;
}

/* The master over `last` (BY_COST: the choice, BY_BOUND: the bound). */
static cp_code master_solve(invest *iv, int last, int *choice, double *value, cp_error *err)
{
    master m;
    double v;
    int c;
    cp_code rc;
    memset(&m, 0, sizeof m);
    rc = master_build(iv, &m, err);
    if (!rc)
        rc = master_level(iv, &m, BY_UNPLACED, &v, err);
    if (!rc && iv->groups.soft && iv->groups.n > 0)
        rc = master_level(iv, &m, BY_HOSTING, &v, err);
    if (!rc)
        rc = master_level(iv, &m, last, value, err);
    for (c = 0; !rc && choice && c < m.n_cols; c++)
        if (cp_mip_value(m.mip, c) > 0.5)
            choice[m.col_part[c]] = m.col_point[c];
    master_free(&m);
    return rc;
}

/* Whether every point is proven at its allowance: placement, and a cost
 * bound (soft groups: the MILP's own proof of the hosting count). */
static int all_proven(const invest *iv)
{
    int k, t;
    for (k = 0; k < iv->n_fr; k++) {
        if (iv->fr[k].incomplete)
            return 0;
        for (t = 0; t < iv->fr[k].n; t++) {
            const cp_milp_result *r = &iv->fr[k].pts[t].res;
            if (!r->assigned_proven || isnan(r->bound))
                return 0;
        }
    }
    return 1;
}

/* The chosen point becomes the part's result; the others are freed.  The
 * gap of the whole allocation is carried by the first part's bound. */
static void take_choice(invest *iv, const int *choice, double cost, double bound, int proven)
{
    cp_invest_job *job = iv->job;
    int k, t;
    for (k = 0; k < iv->n_fr; k++) {
        frontier *f = &iv->fr[k];
        cp_milp_result *r = &job->results[f->part];
        for (t = 0; t < f->n; t++)
            if (t != choice[k]) {
                cp_free(f->pts[t].res.centre_of);
                cp_free(f->pts[t].res.keep);
            }
        cp_free(r->centre_of);
        cp_free(r->keep);
        cp_free(f->pts[choice[k]].res.keep); /* fixing is the round before's, not this point's */
        *r = f->pts[choice[k]].res;
        r->keep = NULL;
        r->assigned_proven = r->assigned_proven && proven;
        r->bound = proven ? r->cost : NAN;
        if (proven && k == 0)
            r->bound = r->cost - (cost - bound);
        if (r->status == CP_STATUS_OPTIMAL &&
            (!proven || !cp_bound_meets(bound, cost)))
            r->status = CP_STATUS_FEASIBLE;
        cp_free(f->pts);
        f->pts = NULL;
        f->n = 0;
    }
}

static int upgrades_fit(invest *iv)
{
    const cp_invest_job *job = iv->job;
    const cp_scenario *sc = job->sc;
    int k, count = 0, users = 0;
    double spend = 0.0;
    for (k = 0; k < job->n_parts; k++) {
        point p;
        memset(&p, 0, sizeof p);
        p.res = job->results[k];
        measure(iv, k, &p);
        count += p.count;
        spend += p.spend;
        users += p.count > 0;
    }
    return users <= 1 || (!beyond(count, sc->max_upgrades) &&
                          spend <= sc->upgrade_budget + 1e-9 * (1.0 + fabs(sc->upgrade_budget)));
}

/* ---------------------------------------------------------------- greedy */

/* The search's sharing: every part with upgradable schools starts from its
 * round-1 layout without upgrades; each part's next layout is searched
 * from its current one (the one upgrade that gains most, every upgradable
 * school tried: heur_add_best_upgrade); the upgrades go one at a time to
 * the part whose next layout gains most (fewer unassigned, then (soft
 * groups) more hosting, then less cost; with a budget, per unit of cost).
 * Then the master above picks, among every layout the greedy searched (each
 * part's chain and its last next), the best within the cap and budget: at
 * least the greedy's choice, and better where a part's gains do not
 * diminish or a budget's knapsack defeats the greedy.  Last, each part
 * holding upgrades is searched in full at its share (job->polish).  Not a
 * proven allocation: the parts involved say feasible.
 * Work: a trial per upgradable school of each part to start, then those of
 * one part per upgrade handed out. */
typedef struct {
    point next;             /* one upgrade more, searched from the part's last point */
    int has_next;
} greedy_part;

typedef struct {
    invest *iv;
    greedy_part *g;
    int count_left;         /* -1 = no cap */
    double budget_left;     /* INFINITY = none */
} greedy;

static point *last_point(const invest *iv, int k)
{
    return &iv->fr[k].pts[iv->fr[k].n - 1];
}

/* Appends pt to frontier f (taking its layout). */
static cp_code keep_point(frontier *f, point *pt)
{
    if (f->n == f->cap) {
        int cap = f->cap ? 2 * f->cap : 4;
        point *grown = cp_realloc(f->pts, (size_t)cap * sizeof *grown);
        if (!grown)
            return CP_ERESOURCE;
        f->pts = grown;
        f->cap = cap;
    }
    f->pts[f->n++] = *pt;
    memset(pt, 0, sizeof *pt);
    return CP_OK;
}

static cp_code search_next(greedy *gr, int k, cp_error *err)
{
    cp_invest_job *job = gr->iv->job;
    greedy_part *p = &gr->g[k];
    const point *cur = last_point(gr->iv, k);
    int cap = job->sc->max_upgrades >= 0 ? cur->count + 1 : -1;
    double budget = isfinite(gr->budget_left) ? cur->spend + gr->budget_left : INFINITY;
    cp_free(p->next.res.centre_of);
    cp_free(p->next.res.keep);
    memset(&p->next, 0, sizeof p->next);
    p->has_next = 0;
    if (gr->count_left == 0 || gr->budget_left <= 0)
        return CP_OK;
    if (job->solve(job->arg, gr->iv->fr[k].part, cap, budget, cur->res.centre_of, &p->next.res,
                   err))
        return err->code;
    measure(gr->iv, gr->iv->fr[k].part, &p->next);
    p->next.cap_count = cap;
    p->next.cap_spend = budget;
    p->has_next = p->next.count > cur->count;
    return CP_OK;
}

static void next_task(int k, void *arg)
{
    greedy *gr = arg;
    cp_error *err = &gr->iv->job->errors[gr->iv->fr[k].part];
    if (search_next(gr, k, err) && !err->code)
        err->code = CP_ERESOURCE;
}

/* What part k's next layout gains, as (unassigned, hosting, cost)
 * differences; with a budget, each per unit of what it spends more. */
static void gain_of(const greedy *gr, int k, double per, double g[3])
{
    const point *cur = last_point(gr->iv, k), *next = &gr->g[k].next;
    g[0] = (double)(cur->unplaced - next->unplaced) / per;
    g[1] = (double)(next->hosting - cur->hosting) / per;
    g[2] = (cur->res.cost - next->res.cost) / per;
}

/* The part whose next layout gains most (ties by part order), or -1. */
static int best_next(const greedy *gr, int n)
{
    int k, best = -1, c;
    double gb[3] = {0, 0, 0};
    for (k = 0; k < n; k++) {
        const point *cur = last_point(gr->iv, k), *next = &gr->g[k].next;
        double spent = next->spend - cur->spend, g[3];
        if (!gr->g[k].has_next || (isfinite(gr->budget_left) && spent > gr->budget_left + 1e-9) ||
            (gr->count_left >= 0 && next->count - cur->count > gr->count_left))
            continue; /* searched when more was left */
        gain_of(gr, k, isfinite(gr->budget_left) ? fmax(spent, 1e-9) : 1.0, g);
        if (g[0] < 0 || (g[0] == 0 && (g[1] < 0 || (g[1] == 0 && g[2] <= 1e-9 * fmax(1.0, fabs(cur->res.cost))))))
            continue; /* no gain */
        for (c = 0; best >= 0 && c < 3 && g[c] == gb[c]; c++)
            ;
        if (best < 0 || (c < 3 && g[c] > gb[c])) {
            best = k;
            memcpy(gb, g, sizeof gb);
        }
    }
    return best;
}

/* Each part that holds upgrades: its layout at its share searched in full,
 * and by auto's MILP (job->polish). */
static void polish_task(int k, void *arg)
{
    invest *iv = arg;
    cp_invest_job *job = iv->job;
    int part = iv->fr[k].part;
    point now;
    memset(&now, 0, sizeof now);
    now.res = job->results[part];
    measure(iv, part, &now);
    if (now.count == 0)
        return; /* round 1's layout, searched in full already */
    job->polish(job->arg, part, job->sc->max_upgrades >= 0 ? now.count : -1,
                isfinite(job->sc->upgrade_budget) ? now.spend * (1 + 1e-12) + 1e-9 : INFINITY,
                &job->results[part], &job->errors[part]);
}

static cp_code first_error(const invest *iv, cp_error *err)
{
    int k;
    for (k = 0; k < iv->n_fr; k++)
        if (iv->job->errors[iv->fr[k].part].code)
            return (*err = iv->job->errors[iv->fr[k].part]).code;
    return CP_OK;
}

static cp_code greedy_share(invest *iv, int *choice, cp_error *err)
{
    cp_invest_job *job = iv->job;
    greedy gr;
    int k, n = iv->n_fr, b;
    double cost;
    cp_code rc = CP_OK;
    memset(&gr, 0, sizeof gr);
    gr.iv = iv;
    gr.count_left = job->sc->max_upgrades;
    gr.budget_left = job->sc->upgrade_budget;
    if (!(gr.g = cp_calloc((size_t)(n ? n : 1), sizeof *gr.g)))
        return cp_fail_nomem(err);
    for (k = 0; k < n && !rc; k++) { /* round 1's layout, without upgrades */
        point p0;
        memset(&p0, 0, sizeof p0);
        p0.res = job->results[iv->fr[k].part];
        memset(&job->results[iv->fr[k].part], 0, sizeof job->results[0]);
        measure(iv, iv->fr[k].part, &p0);
        if (keep_point(&iv->fr[k], &p0)) {
            cp_free(p0.res.centre_of);
            rc = cp_fail_nomem(err);
        }
    }
    if (!rc) {
        cp_parallel_for(n, job->threads, next_task, &gr);
        rc = first_error(iv, err);
    }
    while (!rc && (b = best_next(&gr, n)) >= 0) {
        const point *cur = last_point(iv, b);
        if (gr.count_left > 0)
            gr.count_left -= gr.g[b].next.count - cur->count;
        if (isfinite(gr.budget_left))
            gr.budget_left -= gr.g[b].next.spend - cur->spend;
        rc = keep_point(&iv->fr[b], &gr.g[b].next) ? cp_fail_nomem(err) : search_next(&gr, b, err);
    }
    for (k = 0; k < n && !rc; k++) /* the last nexts searched are layouts too */
        if (gr.g[k].has_next && keep_point(&iv->fr[k], &gr.g[k].next))
            rc = cp_fail_nomem(err);
    for (k = 0; k < n; k++) {
        cp_free(gr.g[k].next.res.centre_of);
        cp_free(gr.g[k].next.res.keep);
    }
    cp_free(gr.g);
    if (!rc)
        rc = master_solve(iv, BY_COST, choice, &cost, err);
    if (!rc) {
        take_choice(iv, choice, cost, NAN, 0);
        cp_parallel_for(n, job->threads, polish_task, iv);
        rc = first_error(iv, err);
    }
    for (k = 0; k < n && !rc; k++) { /* a part proven at its share proves nothing of the sharing */
        cp_milp_result *r = &job->results[iv->fr[k].part];
        r->bound = NAN;
        r->assigned_proven = 0;
        if (r->status == CP_STATUS_OPTIMAL)
            r->status = CP_STATUS_FEASIBLE;
    }
    return rc;
}

cp_code cp_invest_share(cp_invest_job *job, cp_error *err)
{
    invest iv;
    int k, *choice = NULL, proven;
    double cost = 0.0, bound = 0.0;
    cp_code rc = CP_OK;
    memset(&iv, 0, sizeof iv);
    iv.job = job;
    if (!job->sc->has_invest || !job->cand->upgradable)
        return CP_OK;
    if (cp_groups_bind(job->inst, job->sc, &iv.groups, err))
        return err->code;
    if (!job->greedy && upgrades_fit(&iv))
        return CP_OK;
    iv.fr = cp_calloc((size_t)job->n_parts, sizeof *iv.fr);
    choice = cp_calloc((size_t)job->n_parts, sizeof *choice);
    if (!iv.fr || !choice) {
        cp_free(iv.fr);
        cp_free(choice);
        return cp_fail_nomem(err);
    }
    /* every part with upgradable centres, largest first (job->order); one
     * that used none in round 1 has that layout at any allowance: its
     * frontier is that one point */
    for (k = 0; k < job->n_parts; k++) {
        int p = job->order[k], i, any = 0;
        for (i = 0; i < job->part_n[p] && !any; i++)
            any = job->cand->upgradable[job->part_schools[p][i]];
        if (any)
            iv.fr[iv.n_fr++].part = p;
    }
    if (job->greedy) {
        rc = greedy_share(&iv, choice, err);
    } else {
        cp_parallel_for(iv.n_fr, job->threads, frontier_task, &iv);
        rc = first_error(&iv, err);
        if (!rc)
            rc = master_solve(&iv, BY_COST, choice, &cost, err);
        proven = !rc && all_proven(&iv);
        if (proven && master_solve(&iv, BY_BOUND, NULL, &bound, err))
            proven = 0;
        if (!rc)
            take_choice(&iv, choice, cost, bound, proven);
    }
    for (k = 0; k < iv.n_fr; k++) {
        int t;
        for (t = 0; t < iv.fr[k].n; t++) {
            cp_free(iv.fr[k].pts[t].res.centre_of);
            cp_free(iv.fr[k].pts[t].res.keep);
        }
        cp_free(iv.fr[k].pts);
    }
    cp_free(iv.fr);
    cp_free(choice);
    return rc;
}
