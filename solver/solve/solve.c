/*
 * solve.c — forming clusters: admissible pairs, diagnostics of schools that
 * can never be placed, decomposition into independent parts, parts solved
 * in parallel (largest first) by the method asked for (MILP, heuristic, or
 * auto: heuristic then the MILP warm-started from it on small parts), and
 * the combined layout with status, objective, bound and gap.
 *
 * Parts are the connected components of the admissible-pair graph: a
 * cluster never spans two of them, so each is an independent model.  With a
 * fixed cluster count the parts are coupled through the count, and all of
 * them are one model (never ignoring the count); where there would be
 * several, count_price.c first solves the free parts at a price per
 * cluster until they have the count, and that layout (optimal when the
 * price's bound meets it) is the result.
 *
 * Budgets are work, never time: the heuristic's steps, auto's MILP
 * iterations (AUTO_MILP_ITERATIONS, or a share of AUTO_MILP_POOL); auto's
 * MILP runs on the pairs the heuristic's bound kept (FIXING_MAX_FACTOR);
 * a time limit is only a guard over the
 * whole run, passed to every part as the time left.  Parts large enough to
 * be cut into regions run after the others, one at a time, each on every
 * thread (regions.c).
 *
 * Work outside the parts' own solves: the pairs are built once
 * (candidates.c); the parts come from one union-find pass over the pairs,
 * O(pairs * alpha(n)); collecting, ordering and assembling are O(n + parts
 * log parts); the diagnostics visit each school's pairs once.  So for
 * 10^6 schools the bookkeeping is a few hundred milliseconds and the time
 * is the parts' search.
 *
 * Settings read here (sc->solver, cp_settings): method, time_limit, gap,
 * threads, verbose, export_lp, interrupt, progress, region_from (which
 * parts go to regions.c), team_loops_from, auto_milp_columns.
 */
#include "solve.h"
#include "count_price.h"
#include "reasons.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* auto's round-2 MILP stops, unproven, after this many simplex iterations
 * per part (times the effort): a work budget, the same on every machine,
 * where a time share made the layout depend on the machine's load (issue
 * 27).  An iteration costs about 0.2-0.45 us per column of the part, so a
 * part of C columns gets at most about 1-2 ms per column.  Kenya by zones,
 * travel: the hardest part (Kayole, 128 schools, 14,464 columns) proves in
 * 4,572 iterations (29 s); the cost objective's packed zones need tens of
 * thousands (Mwibale, 37 schools: 71,000, 13 s) and stay unproven. */
#define AUTO_MILP_ITERATIONS 5000.0
/* ... or an equal share of this pool of work among the parts round 2
 * takes, when that is more: a run with few unproven parts gives each of
 * them more work.  Work is simplex iterations times the part's columns (an
 * iteration costs about that many times 0.2-0.45 us), so a large part gets
 * fewer iterations of the same work.  The share depends on the count of
 * those parts, not on the order they finish, so it is the same on any
 * thread count.  Osman-Christofides 8 (50 points, p = 5, Q = 120, 1,509
 * pairs kept of 2,500) proves in 25,000-100,000 iterations; Kenya's zones
 * under the cost objective leave 34 parts to round 2, which stay at the
 * floor above. */
#define AUTO_MILP_POOL 1.5e8
/* auto asks the heuristic's bound to fix pairs (heur_lagrange_bound) on
 * parts of at most this many times auto_milp_columns pairs: round 2 then
 * takes the part when the pairs kept fit auto_milp_columns.  Lorena-Senne
 * SJC2 (200 points, 40,000 pairs) is such a part. */
#define FIXING_MAX_FACTOR 10
/* Every work budget is per school (search steps, repair windows, auto's
 * MILP iterations), so a run's work grows with its schools; above
 * FULL_EFFORT_SCHOOLS schools in parts the budgets shrink in proportion,
 * so the whole run's search work stays about that of FULL_EFFORT_SCHOOLS
 * schools at the effort asked for.  Kenya (29,542 schools) runs at its
 * full effort; a generated country of 10^6 at 0.05 of it, which keeps it
 * within two minutes on 2 cores (bench/RESULTS.md, issue 27).  It
 * depends on the schools alone, so the layout stays the same anywhere. */
#define FULL_EFFORT_SCHOOLS 50000.0

typedef struct {
    int *schools; /* ascending global indices */
    int n;
    long cols;
} part;

typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    const cp_settings *opt;  /* sc->solver */
    cp_candidates *cand;
    int *local_of;
    int *part_of;           /* per school: its part, -1 when it has none */
    part *parts;
    int n_parts;
    int *order;             /* parts by decreasing columns, ties by index */
    cp_milp_result *results;
    cp_error *errors;
    long total_cols;
    double start;
    int threads;
    cp_layout *lay;
    int *retry, n_retry;    /* round 2: parts to solve again */
    int anytime_round;      /* > 0: an anytime restart of the unproven parts */
    /* progress: the current round's counts; one report at a time */
    atomic_long schools_done, alone_ticked;
    atomic_int parts_done;
    long schools_total;
    int parts_total;
    atomic_flag reporting;
    unsigned char *why;     /* per school: CP_WHY_* for reasons.c */
    int invest_greedy;      /* upgrades handed out by invest.c's greedy (search methods,
                               several parts with upgradable schools) */
    unsigned char *has_upgradable; /* per part: it holds an upgradable school */
    int *part_size;         /* per stranded school: schools in its part */
    const cp_scenario *sc_asked; /* the run's scenario, its effort not scaled */
    int free_run;           /* a run of count_price.c: the free model at a price */
    int **priced_start;     /* per part: count_price.c's layout to start from, or NULL */
    cp_price_result price;  /* and its bound */
    int price_settled;      /* the pricing's layout is the result (settle_by_price) */
    int free_parts;         /* the parts there would be without a fixed count */
} solve_ctx;

/* ----------------------------------------------------------------- parts */

static int has_pairs(const cp_candidates *cand, int i)
{
    return cand->start[i + 1] > cand->start[i];
}

/* The parts the free model would have: components of at least size_min
 * schools with pairs (smaller ones are stranded, diagnose below).  O(n). */
static void count_free_parts(solve_ctx *c, const int *root)
{
    int n = c->inst->n_schools, i;
    int *size = cp_calloc((size_t)(n ? n : 1), sizeof(int));
    c->free_parts = 0;
    if (!size)
        return; /* no pricing: the search of all parts as one */
    for (i = 0; i < n; i++)
        if (has_pairs(c->cand, i) && ++size[root[i]] == c->sc->size_min)
            c->free_parts++;
    cp_free(size);
}

/* Components of the pair graph; with a fixed count, one component (the
 * count couples every part, so they are one model).  O(pairs alpha(n)). */
static cp_code components(solve_ctx *c, int *root)
{
    const cp_candidates *cand = c->cand;
    int n = c->inst->n_schools, i, p, first = -1;
    for (i = 0; i < n; i++)
        root[i] = i;
    for (i = 0; i < n; i++)
        for (p = cand->start[i]; p < cand->start[i + 1]; p++)
            cp_uf_unite(root, i, cand->centre[p]);
    for (i = 0; i < n; i++)
        root[i] = cp_uf_find(root, i);
    count_free_parts(c, root);
    for (i = 0; i < n; i++) {
        if (c->sc->cluster_count > 0 && has_pairs(cand, i)) {
            if (first < 0)
                first = root[i];
            root[i] = first;
        }
    }
    return CP_OK;
}

/* Part ids in order of each part's first school, so the numbering (and
 * every seed derived from it) does not depend on the pair order; two
 * passes over the schools, so each part's array is allocated once at its
 * exact size.  O(n). */
static cp_code collect_parts(solve_ctx *c, int *root)
{
    int n = c->inst->n_schools, i, k;
    int *id_of_root = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    if (!id_of_root)
        return CP_ERESOURCE;
    for (i = 0; i < n; i++)
        id_of_root[i] = c->part_of[i] = -1;
    for (i = 0; i < n; i++)
        if (has_pairs(c->cand, i) && id_of_root[root[i]] < 0)
            id_of_root[root[i]] = c->n_parts++;
    c->parts = cp_calloc((size_t)(c->n_parts ? c->n_parts : 1), sizeof(part));
    for (i = 0; c->parts && i < n; i++)
        if (has_pairs(c->cand, i))
            c->parts[id_of_root[root[i]]].n++;
    for (k = 0; c->parts && k < c->n_parts; k++) {
        c->parts[k].schools = cp_malloc((size_t)c->parts[k].n * sizeof(int));
        if (!c->parts[k].schools)
            break;
        c->parts[k].n = 0;
    }
    if (!c->parts || k < c->n_parts) {
        cp_free(id_of_root);
        return CP_ERESOURCE;
    }
    for (i = 0; i < n; i++) {
        part *pt;
        if (!has_pairs(c->cand, i))
            continue;
        pt = &c->parts[id_of_root[root[i]]];
        c->part_of[i] = id_of_root[root[i]];
        c->local_of[i] = pt->n;
        pt->schools[pt->n++] = i;
        pt->cols += c->cand->start[i + 1] - c->cand->start[i];
    }
    cp_free(id_of_root);
    return CP_OK;
}

/* Schools that no model can place: no pair at all, or a part smaller than
 * the minimum cluster size.  Such parts are emptied; reasons.c writes
 * their reasons once the layout is known. */
static cp_code diagnose(solve_ctx *c)
{
    int i, k, j;
    for (i = 0; i < c->inst->n_schools; i++)
        if (!has_pairs(c->cand, i)) {
            c->why[i] = CP_WHY_STRANDED;
            c->part_size[i] = 1;
        }
    for (k = 0; k < c->n_parts; k++) {
        part *pt = &c->parts[k];
        if (pt->n >= c->sc->size_min)
            continue;
        for (j = 0; j < pt->n; j++) {
            c->why[pt->schools[j]] = CP_WHY_STRANDED;
            c->part_size[pt->schools[j]] = pt->n;
        }
        pt->n = 0;
        pt->cols = 0;
    }
    return CP_OK;
}

typedef struct {
    long cols;
    int index;
} part_key;

static int cmp_part_key(const void *x, const void *y)
{
    const part_key *a = x, *b = y;
    if (a->cols != b->cols)
        return a->cols > b->cols ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

/* Parts by decreasing columns (largest first), ties by index: on a shared
 * pool of threads the longest tasks must start first, or one of them
 * starts last and runs alone (longest-processing-time order). */
static cp_code order_parts(solve_ctx *c)
{
    part_key *keys = cp_malloc((size_t)(c->n_parts ? c->n_parts : 1) * sizeof *keys);
    int k;
    c->order = cp_malloc((size_t)(c->n_parts ? c->n_parts : 1) * sizeof(int));
    if (!keys || !c->order) {
        cp_free(keys);
        return CP_ERESOURCE;
    }
    for (k = 0; k < c->n_parts; k++) {
        keys[k].cols = c->parts[k].cols;
        keys[k].index = k;
        c->total_cols += c->parts[k].cols;
    }
    qsort(keys, (size_t)c->n_parts, sizeof *keys, cmp_part_key);
    for (k = 0; k < c->n_parts; k++)
        c->order[k] = keys[k].index;
    cp_free(keys);
    return CP_OK;
}

/* ----------------------------------------------------------------- solving */

static void part_input(const solve_ctx *c, const part *pt, cp_milp_input *in)
{
    memset(in, 0, sizeof *in);
    in->inst = c->inst;
    in->sc = c->sc;
    in->cand = c->cand;
    in->schools = pt->schools;
    in->n = pt->n;
    in->local_of = c->local_of;
    in->cluster_count = c->sc->cluster_count;
    in->incumbent = c->priced_start ? c->priced_start[pt - c->parts] : NULL;
    in->gap = c->sc->solver.gap;
    in->verbose = c->opt->verbose;
    in->interrupt = c->opt->interrupt;
    /* a part of team_loops_from schools or more runs its loops on every
     * thread (inside round 1's loop, as tasks that idle threads take up); a
     * small one's last microseconds, less than handing them out costs */
    in->threads = pt->n >= c->opt->team_loops_from ? c->threads : 1;
    /* a repair window's MILP is tens of milliseconds: worth handing out in
     * any part (heur_window.c; a 600-point capacitated part left a thread idle) */
    in->window_threads = c->threads;
    /* soft study groups put the hosting count before the cost: pairs fixed
     * by a cost bound could be ones the most hosting layout needs */
    in->want_keep = c->sc->solver.method == CP_METHOD_AUTO && !c->retry &&
                    pt->cols <= FIXING_MAX_FACTOR * c->opt->auto_milp_columns &&
                    !(c->sc->n_groups > 0 && c->sc->groups_soft);
    if (c->invest_greedy) { /* round 1 without upgrades: invest.c hands them out */
        in->upgrade_limited = 1;
        in->upgrade_count_max = 0;
        in->upgrade_budget_max = 0;
        /* invest.c decides such a part's status: a bound would be wasted */
        in->skip_bound = c->has_upgradable[pt - c->parts];
    }
}

static void result_free(cp_milp_result *r)
{
    cp_free(r->centre_of);
    cp_free(r->keep);
    r->centre_of = NULL;
    r->keep = NULL;
}

/* Time left of the whole limit for a heuristic (0 = no limit).  Once the
 * limit has passed, a part still gets its construction and first descent
 * (milliseconds) but no search: a tiny deadline, never a floor of its own,
 * which across a thousand parts would add up to seconds. */
static double time_left(const solve_ctx *c)
{
    double left;
    if (c->sc->solver.time_limit <= 0)
        return 0;
    left = c->sc->solver.time_limit - (cp_now_seconds() - c->start);
    return left > 1e-6 ? left : 1e-6;
}

static long auto_milp_iterations(const solve_ctx *c, int idx)
{
    const cp_milp_result *r = &c->results[idx];
    double cols = (double)(r->keep ? r->kept : c->parts[idx].cols);
    double share = AUTO_MILP_POOL / (c->n_retry > 0 ? c->n_retry : 1) / fmax(cols, 1.0);
    return (long)llround(fmax(AUTO_MILP_ITERATIONS, share) * fmax(c->sc->solver.effort, 0.05));
}

/* The clusters of part idx's layout (per local school a global centre)
 * that host every study group; 0 without soft groups, which alone rank
 * layouts by it.  O(n * groups). */
static int hosting_count(const solve_ctx *c, int idx, const int *centre_of)
{
    const part *pt = &c->parts[idx];
    cp_groups g;
    double *load;
    int j, k, hosting = 0;
    if (!(c->sc->n_groups > 0 && c->sc->groups_soft) || !centre_of ||
        cp_groups_bind(c->inst, c->sc, &g, NULL) || g.n == 0)
        return 0;
    if (!(load = cp_calloc((size_t)pt->n * (size_t)g.n, sizeof(double))))
        return 0;
    for (j = 0; j < pt->n; j++)
        for (k = 0; centre_of[j] >= 0 && k < g.n; k++)
            load[(size_t)c->local_of[centre_of[j]] * (size_t)g.n + (size_t)k] +=
                cp_group_teachers(c->inst, &g, pt->schools[j], k);
    for (j = 0; j < pt->n; j++) {
        int all = centre_of[j] == pt->schools[j];
        for (k = 0; all && k < g.n; k++)
            all = load[(size_t)j * (size_t)g.n + (size_t)k] >= g.min[k] - 1e-9;
        hosting += all;
    }
    cp_free(load);
    return hosting;
}

/* Lexicographic: fewer unassigned first, then (soft study groups) more
 * clusters hosting every group, then the cost.  Round 2 had compared the
 * cost alone after placement, so it kept a search layout hosting fewer
 * and gave it the MILP's bound: "optimal" at a cost below the optimum's
 * (5 of 120 runs on random soft-group instances with a count). */
static int milp_not_worse(const cp_milp_result *m, const cp_milp_result *h, int m_hosting,
                          int h_hosting)
{
    if (!m->has_solution)
        return 0;
    if (m->assigned != h->assigned)
        return m->assigned > h->assigned;
    if (m_hosting != h_hosting)
        return m_hosting > h_hosting;
    return m->cost <= h->cost + 1e-9 * fmax(1.0, fabs(h->cost));
}

/* auto, round 2: the MILP warm-started from the heuristic's layout; the
 * better layout and the best bound stay, and a bound that meets the cost
 * makes the part optimal. */
static void auto_milp(solve_ctx *c, int idx, cp_milp_input *in)
{
    cp_milp_result h = c->results[idx], m, *best;
    int m_hosting, h_hosting;
    in->incumbent = h.centre_of;
    in->keep_col = h.keep; /* the pairs the bound proved useless left out */
    if (c->sc->solver.time_limit > 0 && time_left(c) < 0.05)
        return; /* the guard has fired: the heuristic's result stays */
    in->time_limit = time_left(c);
    in->iteration_limit = auto_milp_iterations(c, idx);
    if (cp_milp_solve(in, &m, &c->errors[idx]))
        return; /* the heuristic's result stays */
    m.seconds += h.seconds;
    m_hosting = m.has_solution ? hosting_count(c, idx, m.centre_of) : 0;
    h_hosting = hosting_count(c, idx, h.centre_of);
    if (milp_not_worse(&m, &h, m_hosting, h_hosting)) {
        if (h.assigned_proven && h.assigned == m.assigned && h_hosting == m_hosting) {
            m.assigned_proven = 1;
            if (!isnan(h.bound))
                m.bound = isnan(m.bound) ? h.bound : fmax(m.bound, h.bound);
        }
        result_free(&h);
        c->results[idx] = m;
    } else {
        h.seconds = m.seconds;
        /* the MILP's bound holds at its own hosting count only */
        if (m.assigned_proven && h.assigned == m.assigned && h_hosting == m_hosting &&
            !isnan(m.bound))
            h.bound = isnan(h.bound) ? m.bound : fmax(h.bound, fmin(m.bound, h.cost));
        result_free(&m);
        cp_free(h.keep);
        h.keep = NULL;
        c->results[idx] = h;
    }
    best = &c->results[idx];
    if (best->assigned_proven && !isnan(best->bound) && cp_bound_meets(best->bound, best->cost))
        best->status = CP_STATUS_OPTIMAL;
}

/* milp: the MILP found no layout before the guard fired.  The guard is not
 * shared out, so one hard part can take all of it, and the parts after it
 * start with none left (the Kenya zones under the cost objective and a
 * 600 s guard left 2,648 schools so).  The search's construction and one
 * descent (work bounded by the part's pairs, no time limit) give the part
 * a layout; it stays time-limit, with no bound. */
static void milp_fallback(solve_ctx *c, int idx, cp_milp_input *in)
{
    cp_milp_result *r = &c->results[idx], h;
    /* a fixed cluster count: the search's layout need not meet it, and a
     * count not met would read as infeasible; upgrades: the MILP shares
     * their cap between the parts, the search of one part does not know its
     * share.  Then the part stays without a layout, as before. */
    if (r->has_solution || r->status != CP_STATUS_TIME_LIMIT || c->sc->cluster_count > 0 ||
        c->sc->has_invest)
        return;
    in->time_limit = 0;
    in->skip_bound = 1;
    if (cp_heur_solve(in, c->part_of, idx, CP_HEUR_DESCENT_ONLY, &h, &c->errors[idx]))
        return; /* out of memory: the part stays without a layout, as it was */
    h.status = CP_STATUS_TIME_LIMIT;
    h.bound = NAN;
    h.seconds += r->seconds;
    result_free(r);
    *r = h;
}

/* One part in the current round, by the method asked for. */
static void solve_part(solve_ctx *c, int idx, cp_milp_input *inp)
{
    cp_milp_input in = *inp;
    in.time_limit = time_left(c); /* a guard: every budget is work */
    if (c->retry) { /* round 2 is auto's */
        auto_milp(c, idx, &in);
    } else if (c->sc->solver.method != CP_METHOD_MILP) { /* auto starts with the heuristic too */
        cp_heur_solve(&in, c->part_of, idx, 0, &c->results[idx], &c->errors[idx]);
    } else {
        cp_milp_solve(&in, &c->results[idx], &c->errors[idx]);
        milp_fallback(c, idx, &in);
    }
}

/* Round 1 of the heuristic (and auto): a part large enough to be cut into
 * regions is solved on its own, on every thread (regions.c). */
static int solved_alone(const solve_ctx *c, int idx)
{
    return !c->retry && c->sc->solver.method != CP_METHOD_MILP && c->parts[idx].n >= c->opt->region_from;
}

/* Round 1 with the layout the count's pricing gave (settle_by_price):
 * nothing left to solve. */
static int settled_by_price(const solve_ctx *c)
{
    return !c->retry && c->price_settled;
}

static void report(solve_ctx *c, const char *phase)
{
    cp_progress p;
    if (!c->opt->progress)
        return;
    while (atomic_flag_test_and_set(&c->reporting))
        ;
    p.phase = phase;
    p.schools_done = atomic_load(&c->schools_done);
    p.schools_total = c->schools_total;
    p.parts_done = atomic_load(&c->parts_done);
    p.parts_total = c->parts_total;
    c->opt->progress(&p, c->opt->progress_arg);
    atomic_flag_clear(&c->reporting);
}

/* The round's totals: the parts with schools, as the summary counts them. */
static void progress_start(solve_ctx *c, const int *parts, int n)
{
    int k;
    c->schools_total = 0;
    c->parts_total = 0;
    atomic_store(&c->schools_done, 0);
    atomic_store(&c->parts_done, 0);
    for (k = 0; k < n; k++)
        if (c->parts[parts[k]].n > 0) {
            c->schools_total += c->parts[parts[k]].n;
            c->parts_total++;
        }
    report(c, c->retry ? "round 2 (MILP)" : "parts");
}

static void part_done(solve_ctx *c, const part *pt, long ticked)
{
    if (pt->n == 0)
        return;
    atomic_fetch_add(&c->schools_done, (long)pt->n - ticked);
    atomic_fetch_add(&c->parts_done, 1);
    report(c, c->retry ? "round 2 (MILP)" : "parts");
}

/* A region of the large part solved (regions.c). */
static void region_tick(long schools, const char *phase, void *arg)
{
    solve_ctx *c = arg;
    atomic_fetch_add(&c->schools_done, schools);
    atomic_fetch_add(&c->alone_ticked, schools);
    report(c, phase);
}

static void solve_task(int k, void *arg)
{
    solve_ctx *c = arg;
    int idx = c->retry ? c->retry[k] : c->order[k];
    part *pt = &c->parts[idx];
    cp_milp_input in;
    if (solved_alone(c, idx))
        return;
    if (settled_by_price(c)) {
        part_done(c, pt, 0);
        return;
    }
    if (c->opt->interrupt && *c->opt->interrupt) { /* stop now: no new part starts */
        if (!c->retry && pt->n > 0)
            c->results[idx].status = CP_STATUS_INTERRUPTED;
    } else if (pt->n > 0) {
        part_input(c, pt, &in);
        cp_error_clear(&c->errors[idx]);
        solve_part(c, idx, &in);
    }
    part_done(c, pt, 0);
}

/* Round 1's large parts, one after the other, each on every thread. */
static void solve_large_parts(solve_ctx *c)
{
    int k;
    for (k = 0; k < c->n_parts; k++) {
        int idx = c->order[k];
        cp_milp_input in;
        if (!solved_alone(c, idx) || settled_by_price(c))
            continue;
        atomic_store(&c->alone_ticked, 0);
        if (c->opt->interrupt && *c->opt->interrupt) {
            c->results[idx].status = CP_STATUS_INTERRUPTED;
        } else {
            part_input(c, &c->parts[idx], &in);
            in.time_limit = time_left(c);
            in.tick = region_tick;
            in.tick_arg = c;
            cp_error_clear(&c->errors[idx]);
            cp_heur_solve_regions(&in, c->part_of, idx, c->threads, &c->results[idx], &c->errors[idx]);
        }
        part_done(c, &c->parts[idx], atomic_load(&c->alone_ticked));
    }
}

/* Round 1: the small parts first, largest first on whichever thread is
 * free, then each large part alone on every thread (its region passes and
 * its bound are parallel loops of their own).  Beside the small parts (as
 * tasks of one team) a large part's passes ran on one thread: libgomp left
 * the second worker of a pass's loop queued while the other thread took the
 * pass's nested loops, so Kenya national's first pass took 7.1 s on 2
 * threads and 6.7 s on 1 (bench/RESULTS.md).  Budgets are work, so the
 * order changes no layout; under a time limit (or an interrupt) it is the
 * large parts that are cut short, and they say so in their status. */
static void first_round(solve_ctx *c)
{
    progress_start(c, c->order, c->n_parts);
    cp_parallel_for(c->n_parts, c->threads, solve_task, c);
    solve_large_parts(c);
}

/* Which parts round 2 takes (auto only): every part the heuristic did not
 * prove that is small enough for the MILP, but not the layout the count's
 * pricing gave (settle_by_price). */
static int wants_round2(const solve_ctx *c, int idx)
{
    const cp_milp_result *r = &c->results[idx];
    return c->parts[idx].n > 0 && r->has_solution && r->status != CP_STATUS_OPTIMAL &&
           !c->price_settled &&
           (r->keep ? r->kept : c->parts[idx].cols) <= c->opt->auto_milp_columns;
}

/* auto, round 2: the MILP warm-started from the round-1 layout, each part
 * within its work budget (auto_milp_events).  Without a time limit the
 * largest parts go first, so the last ones to finish are short and no
 * thread waits long for another (the Kenya zones under the annual cost
 * objective: 64 parts, the largest 3-4 s of 29 s of the threads' time,
 * ran last); with one, the smallest go first, so the guard, if it fires,
 * leaves the fewest parts unproven.  The order changes no part's result.
 * milp has no round 2: its parts ran until proven or until the guard
 * fired, and then no time is left. */
static cp_code second_round(solve_ctx *c)
{
    int k, largest_first = !(c->sc->solver.time_limit > 0);
    /* with each school's nearest centres only (national scale), no MILP can
     * prove anything of the model: round 2 would spend its work for nothing
     * (a generated country of 200,000 schools spent a quarter of its time in it) */
    if (c->sc->solver.method != CP_METHOD_AUTO || (c->opt->interrupt && *c->opt->interrupt) ||
        (c->sc->solver.time_limit > 0 && time_left(c) <= 0.5) || c->cand->capped)
        return CP_OK;
    c->retry = cp_malloc((size_t)(c->n_parts ? c->n_parts : 1) * sizeof(int));
    if (!c->retry)
        return CP_ERESOURCE;
    for (k = 0; k < c->n_parts; k++) {
        int idx = c->order[largest_first ? k : c->n_parts - 1 - k];
        if (wants_round2(c, idx))
            c->retry[c->n_retry++] = idx;
    }
    if (c->n_retry > 0) {
        progress_start(c, c->retry, c->n_retry);
        cp_parallel_for(c->n_retry, c->threads, solve_task, c);
    }
    cp_free(c->retry);
    c->retry = NULL;
    return CP_OK;
}

/* ----------------------------------------------------------------- anytime */

/* Whether a restart's layout replaces the part's: more schools placed, or
 * as many for less. */
static int better_layout(const cp_milp_result *r, const cp_milp_result *old)
{
    if (!r->has_solution)
        return 0;
    if (r->assigned != old->assigned)
        return r->assigned > old->assigned;
    return r->cost < old->cost - 1e-9 * fmax(1.0, fabs(old->cost));
}

/* One unproven part restarted from its layout with another seed and twice
 * the last restart's effort; the better layout and the best bound stay. */
static void anytime_task(int k, void *arg)
{
    solve_ctx *c = arg;
    int idx = c->retry[k];
    cp_milp_result *old = &c->results[idx], r;
    cp_scenario sc = *c->sc; /* shallow: only the effort differs */
    cp_milp_input in;
    cp_error err;
    if (time_left(c) < 0.05 || (c->opt->interrupt && *c->opt->interrupt))
        return;
    part_input(c, &c->parts[idx], &in);
    sc.solver.effort = fmax(c->sc->solver.effort, 0.25) * ldexp(1.0, c->anytime_round);
    in.sc = &sc;
    in.want_keep = 0;
    in.incumbent = old->centre_of;
    in.seed_offset = (uint64_t)c->anytime_round * 0x9E3779B9ULL;
    in.time_limit = time_left(c);
    cp_error_clear(&err);
    if (cp_heur_solve(&in, c->part_of, idx, 0, &r, &err))
        return; /* out of memory: the part keeps what it has */
    r.seconds += old->seconds;
    if (better_layout(&r, old)) {
        if (r.assigned == old->assigned && !isnan(old->bound))
            r.bound = isnan(r.bound) ? old->bound : fmax(r.bound, old->bound);
        result_free(old);
        *old = r;
    } else {
        if (r.assigned == old->assigned && !isnan(r.bound))
            old->bound = isnan(old->bound) ? r.bound : fmax(old->bound, fmin(r.bound, old->cost));
        old->seconds = r.seconds;
        result_free(&r);
    }
    if (old->assigned_proven && !isnan(old->bound) && cp_bound_meets(old->bound, old->cost))
        old->status = CP_STATUS_OPTIMAL;
    else if (old->status == CP_STATUS_FEASIBLE && time_left(c) < 0.05)
        old->status = CP_STATUS_TIME_LIMIT; /* the limit decided how far it got */
}

/* --anytime: while the time limit lasts, every unproven part is restarted
 * from its layout with a new seed and twice the effort of the last
 * restart.  The time limit decides how far it gets, so the layout is not
 * the same on another machine (the status and the program say so). */
static cp_code anytime_rounds(solve_ctx *c)
{
    int k;
    if (!c->sc->solver.anytime)
        return CP_OK;
    c->retry = cp_malloc((size_t)(c->n_parts ? c->n_parts : 1) * sizeof(int));
    if (!c->retry)
        return CP_ERESOURCE;
    for (c->anytime_round = 1; time_left(c) >= 0.05; c->anytime_round++) {
        if (c->opt->interrupt && *c->opt->interrupt)
            break;
        c->n_retry = 0;
        for (k = 0; k < c->n_parts; k++) {
            int idx = c->order[k];
            if (c->parts[idx].n > 0 && c->results[idx].has_solution &&
                c->results[idx].status != CP_STATUS_OPTIMAL)
                c->retry[c->n_retry++] = idx;
        }
        if (c->n_retry == 0)
            break;
        report(c, "anytime restarts");
        cp_parallel_for(c->n_retry, c->threads, anytime_task, c);
    }
    cp_free(c->retry);
    c->retry = NULL;
    c->n_retry = 0;
    return CP_OK;
}

/* ---------------------------------------------------------------- upgrades */

/* A part's input at an allowance of upgrades (invest.c). */
static void allowance_input(solve_ctx *c, int idx, int count_max, double budget_max,
                            cp_milp_input *in)
{
    part_input(c, &c->parts[idx], in);
    in->upgrade_limited = 1;
    in->upgrade_count_max = count_max;
    in->upgrade_budget_max = budget_max;
    in->want_keep = 0;
    in->time_limit = time_left(c);
}

/* One part at an allowance of upgrades (invest.c): the MILP, or the
 * heuristic from the incumbent (the MILP takes it only when it fits). */
static cp_code solve_at(void *arg, int idx, int count_max, double budget_max,
                        const int *incumbent, cp_milp_result *out, cp_error *err)
{
    solve_ctx *c = arg;
    cp_milp_input in;
    allowance_input(c, idx, count_max, budget_max, &in);
    in.incumbent = incumbent;
    if (c->sc->solver.method == CP_METHOD_MILP)
        return cp_milp_solve(&in, out, err);
    in.skip_bound = c->invest_greedy;
    return cp_heur_solve(&in, c->part_of, idx, c->invest_greedy ? CP_HEUR_ADD_UPGRADE : 0, out, err)
               ? err->code : CP_OK;
}

/* After the upgrades were handed out one by one: the part's layout at its
 * share searched in full (the search methods), then, with auto, the MILP
 * warm-started from it within auto's work budget, on a part small enough;
 * the better layout stays. */
static void polish_at(void *arg, int idx, int count_max, double budget_max,
                      cp_milp_result *out, cp_error *err)
{
    solve_ctx *c = arg;
    cp_milp_input in;
    cp_milp_result m;
    allowance_input(c, idx, count_max, budget_max, &in);
    in.skip_bound = 1;
    in.incumbent = out->centre_of;
    if (cp_heur_solve(&in, c->part_of, idx, 0, &m, err))
        return;
    if (milp_not_worse(&m, out, hosting_count(c, idx, m.has_solution ? m.centre_of : NULL),
                       hosting_count(c, idx, out->centre_of))) {
        result_free(out);
        *out = m;
    } else {
        result_free(&m);
    }
    if (c->sc->solver.method != CP_METHOD_AUTO || c->parts[idx].cols > c->opt->auto_milp_columns ||
        (c->sc->solver.time_limit > 0 && time_left(c) < 0.05))
        return;
    allowance_input(c, idx, count_max, budget_max, &in);
    in.incumbent = out->centre_of;
    in.iteration_limit = (long)llround(AUTO_MILP_ITERATIONS * fmax(c->sc->solver.effort, 0.05));
    if (cp_milp_solve(&in, &m, err)) {
        cp_error_clear(err); /* the heuristic's layout stands */
        return;
    }
    if (milp_not_worse(&m, out, hosting_count(c, idx, m.has_solution ? m.centre_of : NULL),
                       hosting_count(c, idx, out->centre_of))) {
        m.seconds += out->seconds;
        result_free(out);
        *out = m;
    } else {
        result_free(&m);
    }
}

static int invest_out_of_time(void *arg)
{
    solve_ctx *c = arg;
    return (c->sc->solver.time_limit > 0 && time_left(c) < 0.05) ||
           (c->opt->interrupt && *c->opt->interrupt);
}

/* The scenario's upgrades shared among the parts (invest.c). */
static cp_code share_upgrades(solve_ctx *c, cp_error *err)
{
    cp_invest_job job;
    const int **schools;
    int *sizes, k;
    cp_code rc;
    if (!c->sc->has_invest || !c->cand->upgradable)
        return CP_OK;
    schools = cp_malloc((size_t)(c->n_parts ? c->n_parts : 1) * sizeof *schools);
    sizes = cp_malloc((size_t)(c->n_parts ? c->n_parts : 1) * sizeof *sizes);
    if (!schools || !sizes) {
        cp_free(schools);
        cp_free(sizes);
        return cp_fail_nomem(err);
    }
    for (k = 0; k < c->n_parts; k++) {
        schools[k] = c->parts[k].schools;
        sizes[k] = c->parts[k].n;
    }
    memset(&job, 0, sizeof job);
    job.inst = c->inst;
    job.sc = c->sc;
    job.cand = c->cand;
    job.n_parts = c->n_parts;
    job.part_schools = schools;
    job.part_n = sizes;
    job.order = c->order;
    job.local_of = c->local_of;
    job.results = c->results;
    job.errors = c->errors;
    job.solve = solve_at;
    job.out_of_time = invest_out_of_time;
    job.arg = c;
    job.threads = c->threads;
    job.greedy = c->invest_greedy;
    job.polish = polish_at;
    report(c, "upgrades shared among parts");
    rc = cp_invest_share(&job, err);
    cp_free(schools);
    cp_free(sizes);
    return rc;
}

/* ---------------------------------------------------------------- assembly */

/* The parts' results as one layout.  Clusters are numbered in the order
 * of their centres' indices, not of the parts or threads that found them,
 * so the same layout always gets the same labels.  O(n). */
static cp_code place_centres(solve_ctx *c)
{
    int n = c->inst->n_schools, i, k, j;
    int *centre_of = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    int *cluster_of_centre = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    cp_code rc = CP_OK;
    if (!centre_of || !cluster_of_centre)
        rc = CP_ERESOURCE;
    for (i = 0; !rc && i < n; i++)
        centre_of[i] = cluster_of_centre[i] = -1;
    for (k = 0; !rc && k < c->n_parts; k++)
        for (j = 0; c->results[k].centre_of && j < c->parts[k].n; j++)
            centre_of[c->parts[k].schools[j]] = c->results[k].centre_of[j];
    /* clusters numbered by centre index: the same layout gives the same labels */
    for (i = 0; !rc && i < n; i++)
        if (centre_of[i] == i) {
            cluster_of_centre[i] = cp_layout_add_cluster(c->lay, NULL, i);
            if (cluster_of_centre[i] < 0)
                rc = CP_ERESOURCE;
        }
    for (i = 0; !rc && i < n; i++)
        if (centre_of[i] >= 0)
            c->lay->cluster_of[i] = cluster_of_centre[centre_of[i]];
    cp_free(centre_of);
    cp_free(cluster_of_centre);
    return rc;
}

/* A required centre that heads no cluster gets the reason first: it is
 * why the run is infeasible, with how many schools can join it (its
 * admissible pairs, itself included).  One pass over the pairs counts
 * them for every centre, once, and only when such a school exists. */
static cp_code explain_required(solve_ctx *c)
{
    int i, n = c->inst->n_schools, *joinable = NULL;
    long p;
    cp_code rc = CP_OK;
    for (i = 0; !rc && i < n; i++) {
        int k = c->lay->cluster_of[i];
        if (c->inst->schools[i].centre != CP_CENTRE_REQUIRED || c->why[i] == CP_WHY_STRANDED ||
            k >= 0)
            continue; /* honoured, stranded (reasons.c says why), or a member elsewhere */
        if (!joinable) {
            if (!(joinable = cp_calloc((size_t)n, sizeof *joinable)))
                return CP_ERESOURCE;
            for (p = 0; p < c->cand->start[c->cand->n]; p++)
                joinable[c->cand->centre[p]]++;
        }
        rc = cp_layout_set_reason(c->lay, i, "centre=\"required\" cannot be honoured: no cluster of "
                        "%d..%d schools within the rules can be formed around it (%d schools "
                        "can join it, itself included)", c->sc->size_min, c->sc->size_max,
                        joinable[i]);
    }
    cp_free(joinable);
    return rc;
}

static cp_code explain_unplaced(solve_ctx *c)
{
    int k, j;
    cp_code rc = CP_OK;
    for (k = 0; !rc && k < c->n_parts; k++) {
        const cp_milp_result *r = &c->results[k];
        for (j = 0; !rc && j < c->parts[k].n; j++) {
            int i = c->parts[k].schools[j];
            if (c->lay->cluster_of[i] >= 0 || c->lay->reason[i])
                continue;
            if (!r->has_solution)
                rc = cp_layout_set_reason(c->lay, i, r->status == CP_STATUS_INFEASIBLE
                                               ? "its part has no feasible layout"
                                           : r->status == CP_STATUS_INTERRUPTED
                                               ? "interrupted before its part was solved"
                                               : "no solution for its part within the time limit");
            else
                c->why[i] = r->assigned_proven ? CP_WHY_CROWDED : CP_WHY_SEARCH;
        }
    }
    return rc;
}

/* Worst status wins: infeasible > interrupted > time-limit > feasible > optimal. */
static cp_status combine_status(cp_status a, cp_status b)
{
    static const int rank[] = {0, 0, 1, 4, 2, 3};
    return rank[b] > rank[a] ? b : a;
}

/* Required centres and a fixed count are hard: parts set aside by the
 * diagnostics (or an empty model) cannot honour them. */
static int required_broken(const solve_ctx *c)
{
    int i;
    for (i = 0; i < c->inst->n_schools; i++) {
        int k = c->lay->cluster_of[i];
        if (c->inst->schools[i].centre == CP_CENTRE_REQUIRED && (k < 0 || c->lay->centre[k] != i))
            return 1;
    }
    return 0;
}

static int count_unmet(const solve_ctx *c)
{
    return c->sc->cluster_count > 0 && c->lay->n_clusters != c->sc->cluster_count;
}

/* A part the time limit stopped before it had any layout. */
static int limit_left_part_unsolved(const solve_ctx *c)
{
    int k;
    for (k = 0; k < c->n_parts; k++)
        if (c->parts[k].n > 0 && !c->results[k].has_solution &&
            c->results[k].status == CP_STATUS_TIME_LIMIT)
            return 1;
    return 0;
}

static void summarise(solve_ctx *c)
{
    cp_info *info = &c->lay->info;
    double cost = 0.0, bound = 0.0;
    int k, assigned = 0, bounded = 1;
    info->status = CP_STATUS_OPTIMAL;
    info->nearest_cap = c->cand->capped;
    for (k = 0; k < c->n_parts && c->cand->capped; k++) { /* a restriction proves nothing */
        if (c->results[k].status == CP_STATUS_OPTIMAL)
            c->results[k].status = CP_STATUS_FEASIBLE;
        c->results[k].bound = NAN;
    }
    for (k = 0; k < c->n_parts; k++) {
        const cp_milp_result *r = &c->results[k];
        if (c->parts[k].n == 0)
            continue;
        info->parts++;
        info->parts_optimal += r->status == CP_STATUS_OPTIMAL;
        info->largest_part = c->parts[k].n > info->largest_part ? c->parts[k].n : info->largest_part;
        info->slowest_part_seconds = fmax(info->slowest_part_seconds, r->seconds);
        info->status = combine_status(info->status, r->status);
        if (r->has_solution)
            cost += r->cost;
        bounded = bounded && r->assigned_proven && !isnan(r->bound);
        bound += r->bound;
    }
    for (k = 0; k < c->inst->n_schools; k++)
        assigned += c->lay->cluster_of[k] >= 0;
    info->objective = cost;
    info->unassigned = c->inst->n_schools - assigned;
    info->bound = bounded ? fmin(bound, cost) : NAN;
    info->gap = bounded ? (cost - info->bound) / fmax(fabs(cost), 1e-9) : NAN;
    if (bounded && fabs(cost - info->bound) <= 1e-9 * fmax(1.0, fabs(cost)))
        info->gap = 0.0;
    /* any layout, proven or not, that breaks a hard rule is no solution of
     * the model (SPEC: infeasible also when a required centre cannot be
     * honoured); an interrupted run keeps its status and its best layout,
     * and so does a run whose time limit came before a part had any layout
     * (it proved nothing infeasible: a 600-point capacitated p-median under
     * a 1,200 s limit said "infeasible"), or cut the search short (Kilifi
     * by zones, 110 clusters under a 3 s guard: the count's pricing had
     * reached 95 when it fired; the layout then breaks the count, and says
     * so) */
    if (info->status != CP_STATUS_INTERRUPTED && !limit_left_part_unsolved(c) &&
        (required_broken(c) || (count_unmet(c) && info->status != CP_STATUS_TIME_LIMIT))) {
        info->status = CP_STATUS_INFEASIBLE;
        info->bound = info->gap = NAN;
    }
}

static cp_code export_whole_model(solve_ctx *c, cp_error *err)
{
    cp_milp_input in;
    cp_milp_result r;
    int *schools = cp_malloc((size_t)(c->inst->n_schools ? c->inst->n_schools : 1) * sizeof(int));
    int *local = cp_malloc((size_t)(c->inst->n_schools ? c->inst->n_schools : 1) * sizeof(int));
    int i, n = 0;
    cp_code rc;
    if (!schools || !local) {
        cp_free(schools);
        cp_free(local);
        return cp_fail_nomem(err);
    }
    for (i = 0; i < c->inst->n_schools; i++)
        if (has_pairs(c->cand, i)) {
            local[i] = n;
            schools[n++] = i;
        }
    memset(&in, 0, sizeof in);
    in.inst = c->inst;
    in.sc = c->sc;
    in.cand = c->cand;
    in.schools = schools;
    in.n = n;
    in.local_of = local;
    in.cluster_count = c->sc->cluster_count;
    in.export_lp = c->opt->export_lp;
    /* the count our solve placed, or (no solution yet) every placeable school */
    in.export_assigned = c->lay->n_clusters ? c->inst->n_schools - c->lay->info.unassigned : n;
    rc = cp_milp_solve(&in, &r, err);
    cp_free(r.centre_of);
    cp_free(schools);
    cp_free(local);
    return rc;
}

/* ------------------------------------------------------ a fixed count */

static cp_layout *solve_model(const cp_instance *inst, const cp_scenario *sc, int free_run,
                              cp_error *err);

/* Whether count_price.c reaches the count: where the free model falls
 * into several parts (an admin rule, or schools far apart), which the
 * search of them as one handles worst; with the search's methods (milp
 * takes the count as one model and proves it); not with upgrades to share
 * (invest.c shares them between the parts of one model), nor with soft
 * study groups (the hosting count comes before the cost, and the price's
 * bound is the cost's alone).  One part, such
 * as the capacitated p-median's, keeps the search with the count (its
 * whole clusters and repair windows know the count). */
static int prices_count(const solve_ctx *c)
{
    return !c->free_run && c->sc->cluster_count > 0 && c->free_parts >= 2 &&
           c->sc->solver.method != CP_METHOD_MILP && !c->sc->has_invest &&
           !(c->sc->n_groups > 0 && c->sc->groups_soft);
}

/* Whether N clusters could place every school of part idx: if not, every
 * free run places more with more clusters, and no price reaches N. */
static int count_can_place_all(const solve_ctx *c, int idx)
{
    const part *pt = &c->parts[idx];
    double teachers = 0.0;
    int j;
    for (j = 0; j < pt->n; j++)
        teachers += c->inst->schools[pt->schools[j]].teachers;
    return (long)c->sc->cluster_count * c->sc->size_max >= pt->n &&
           !(c->sc->cluster_count * c->sc->capacity < teachers);
}

static cp_layout *solve_free(void *arg, const cp_scenario *priced, cp_error *err)
{
    solve_ctx *c = arg;
    cp_scenario run = *priced;
    run.has_zones = 0;
    run.solver.anytime = 0; /* its restarts would take the whole limit at the first price */
    run.solver.export_lp = NULL;
    run.solver.progress = NULL;
    run.solver.time_limit = time_left(c);
    return solve_model(c->inst, &run, 1, err);
}

/* School i's cost in the cluster of `centre` under the run's costs. */
static double school_cost(void *arg, int i, int centre)
{
    const solve_ctx *c = arg;
    double d = 0.0;
    int p;
    for (p = c->cand->start[i]; i != centre && p < c->cand->start[i + 1]; p++)
        if (c->cand->centre[p] == centre)
            d = c->cand->dist[p];
    return cp_pair_cost(c->inst, c->sc_asked, i, centre, d);
}

static int price_stop(void *arg)
{
    const solve_ctx *c = arg;
    return (c->opt->interrupt && *c->opt->interrupt) ||
           (c->sc->solver.time_limit > 0 &&
            cp_now_seconds() - c->start >= c->sc->solver.time_limit);
}

/* The clusters of part pt's layout (per local school a global centre). */
static int clusters_in(const part *pt, const int *centre_of)
{
    int j, open = 0;
    for (j = 0; j < pt->n; j++)
        open += centre_of[j] == pt->schools[j];
    return open;
}

/* Part idx's layout `start` as its result when it has the count: a
 * layout of the free model with each part solved as the run solves it,
 * optimal when the price's bound meets its cost.  Neither round takes the
 * part again: the search of all parts as one model, with the count held,
 * is weaker than the free model's search of each (Kilifi by zones, 95
 * clusters: 9 s of it for no gain, and round 2's MILP of the 642 schools
 * 10 s more; a generated country of 2,000 schools, 520 clusters: no ILS
 * step of 3,364 improved). */
static cp_code settle_by_price(solve_ctx *c, int idx, const int *start)
{
    const part *pt = &c->parts[idx];
    cp_milp_result *r = &c->results[idx];
    double cost = 0.0;
    int j, assigned = 0, open = clusters_in(pt, start);
    for (j = 0; j < pt->n; j++)
        if (start[j] >= 0) {
            cost += school_cost(c, pt->schools[j], start[j]);
            assigned++;
        }
    /* short of the count, the search of all parts as one goes on from it,
     * unless an interrupt came: then it is the best layout there is */
    if (open != c->sc->cluster_count && !(c->price.cut && c->opt->interrupt && *c->opt->interrupt))
        return CP_OK;
    if (!(r->centre_of = cp_malloc((size_t)(pt->n ? pt->n : 1) * sizeof(int))))
        return CP_ERESOURCE;
    memcpy(r->centre_of, start, (size_t)pt->n * sizeof(int));
    c->price_settled = 1;
    r->has_solution = 1;
    r->cost = cost;
    r->assigned = assigned;
    r->bound = NAN;
    r->status = CP_STATUS_FEASIBLE;
    if (!isnan(c->price.bound) && assigned == c->price.bound_assigned &&
        open == c->sc->cluster_count) {
        r->assigned_proven = 1;
        r->bound = fmin(c->price.bound, cost);
        if (cp_bound_meets(r->bound, cost))
            r->status = CP_STATUS_OPTIMAL;
    }
    /* a layout the guard shaped says so (it may not be reproducible) */
    if (r->status != CP_STATUS_OPTIMAL && c->price.cut)
        r->status = c->opt->interrupt && *c->opt->interrupt ? CP_STATUS_INTERRUPTED
                                                             : CP_STATUS_TIME_LIMIT;
    return CP_OK;
}

/* Before round 1: the count reached by pricing clusters (count_price.c);
 * its layout is where the part's search starts, or the part's result when
 * the price proves it.  A count couples every school with pairs into one
 * part, so the price's bound is that part's. */
static cp_code price_count(solve_ctx *c, cp_error *err)
{
    cp_price_job job;
    int k, j, parts = 0, idx = -1;
    cp_code rc;
    for (k = 0; k < c->n_parts; k++)
        if (c->parts[k].n > 0) {
            idx = k;
            parts++;
        }
    if (parts != 1 || !count_can_place_all(c, idx))
        return CP_OK;
    memset(&job, 0, sizeof job);
    job.inst = c->inst;
    job.sc = c->sc_asked;
    job.solve_free = solve_free;
    job.school_cost = school_cost;
    job.stop = price_stop;
    job.arg = c;
    job.verbose = c->opt->verbose;
    report(c, "pricing the count");
    if ((rc = cp_count_by_price(&job, &c->price, err)))
        return rc;
    if (!c->price.centre_of)
        return CP_OK;
    if (!(c->priced_start = cp_calloc((size_t)c->n_parts, sizeof *c->priced_start)) ||
        !(c->priced_start[idx] = cp_malloc((size_t)c->parts[idx].n * sizeof(int))))
        return cp_fail_nomem(err);
    for (j = 0; j < c->parts[idx].n; j++)
        c->priced_start[idx][j] = c->price.centre_of[c->parts[idx].schools[j]];
    return settle_by_price(c, idx, c->priced_start[idx]) ? cp_fail_nomem(err) : CP_OK;
}

/* After the rounds: the price's bound where the part's layout places as
 * many schools (it bounds only those), and the status it then proves. */
static void apply_price_bound(solve_ctx *c)
{
    int k;
    for (k = 0; c->priced_start && k < c->n_parts; k++) {
        cp_milp_result *r = &c->results[k];
        if (c->parts[k].n == 0 || !r->has_solution || r->status == CP_STATUS_OPTIMAL ||
            isnan(c->price.bound) || r->assigned != c->price.bound_assigned)
            continue;
        if (clusters_in(&c->parts[k], r->centre_of) != c->sc->cluster_count)
            continue; /* it bounds layouts of the count only */
        r->assigned_proven = 1;
        r->bound = isnan(r->bound) ? c->price.bound : fmax(r->bound, c->price.bound);
        r->bound = fmin(r->bound, r->cost);
        if (cp_bound_meets(r->bound, r->cost) && r->status == CP_STATUS_FEASIBLE)
            r->status = CP_STATUS_OPTIMAL;
    }
}

/* ------------------------------------------------------------------- API */

static void free_ctx(solve_ctx *c)
{
    int k;
    for (k = 0; c->parts && k < c->n_parts; k++) {
        cp_free(c->parts[k].schools);
        if (c->results)
            result_free(&c->results[k]);
    }
    for (k = 0; c->priced_start && k < c->n_parts; k++)
        cp_free(c->priced_start[k]);
    cp_free(c->priced_start);
    cp_free(c->price.centre_of);
    cp_free(c->parts);
    cp_free(c->results);
    cp_free(c->errors);
    cp_free(c->order);
    cp_free(c->local_of);
    cp_free(c->part_of);
    cp_free(c->why);
    cp_free(c->part_size);
    cp_free(c->has_upgradable);
    cp_candidates_free(c->cand);
}

/* The search's way of sharing upgrades (invest.c) when several parts hold
 * upgradable schools: round 1 without upgrades, then one by one.  -1 when
 * memory runs out. */
static int greedy_invest(solve_ctx *c)
{
    int k, i, parts = 0;
    if (!c->sc->has_invest || !c->cand->upgradable || c->sc->solver.method == CP_METHOD_MILP)
        return 0;
    if (!(c->has_upgradable = cp_calloc((size_t)(c->n_parts ? c->n_parts : 1), 1)))
        return -1;
    for (k = 0; k < c->n_parts; k++) {
        for (i = 0; i < c->parts[k].n && !c->has_upgradable[k]; i++)
            c->has_upgradable[k] = c->cand->upgradable[c->parts[k].schools[i]];
        parts += c->has_upgradable[k];
    }
    return parts >= 2;
}

static cp_code prepare(solve_ctx *c, cp_distance_ctx *dist, cp_error *err)
{
    int n = c->inst->n_schools;
    int *root = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    cp_code rc = CP_OK;
    c->local_of = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    c->part_of = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    c->lay = cp_layout_new(n);
    c->why = cp_calloc((size_t)(n ? n : 1), 1);
    c->part_size = cp_calloc((size_t)(n ? n : 1), sizeof(int));
    if (!root || !c->local_of || !c->part_of || !c->lay || !c->why || !c->part_size) {
        cp_free(root);
        return cp_fail_nomem(err);
    }
    report(c, "pairs");
    c->cand = cp_candidates_build(c->inst, c->sc, dist, err);
    if (!c->cand) {
        cp_free(root);
        return err->code;
    }
    if (components(c, root) || collect_parts(c, root) || diagnose(c) || order_parts(c))
        rc = cp_fail_nomem(err);
    if (!rc && (c->invest_greedy = greedy_invest(c)) < 0)
        rc = cp_fail_nomem(err);
    cp_free(root);
    if (!rc) {
        c->results = cp_calloc((size_t)(c->n_parts ? c->n_parts : 1), sizeof *c->results);
        c->errors = cp_calloc((size_t)(c->n_parts ? c->n_parts : 1), sizeof *c->errors);
        if (!c->results || !c->errors)
            rc = cp_fail_nomem(err);
    }
    return rc;
}

static cp_code first_part_error(const solve_ctx *c, cp_error *err)
{
    int k;
    for (k = 0; k < c->n_parts; k++)
        if (c->errors[k].code) {
            if (err)
                *err = c->errors[k];
            return c->errors[k].code;
        }
    return CP_OK;
}

static cp_code set_info(solve_ctx *c)
{
    cp_info *info = &c->lay->info;
    static const char *const names[] = {"auto", "milp", "heuristic"};
    info->method = cp_strdup(names[c->sc->solver.method]);
    info->scenario = cp_strdup(c->sc->name ? c->sc->name : "");
    info->seed = c->sc->solver.seed;
    info->effort = c->sc->solver.effort;
    info->threads = c->threads;
    info->seconds = cp_now_seconds() - c->start;
    return info->method && info->scenario ? CP_OK : CP_ERESOURCE;
}

/* The run's effort: the one asked for, scaled down above
 * FULL_EFFORT_SCHOOLS schools in parts (a shallow copy of the scenario
 * carries it: only solver.effort differs). */
static void scale_effort(solve_ctx *c, cp_scenario *scaled)
{
    long schools = 0;
    int k;
    for (k = 0; k < c->n_parts; k++)
        schools += c->parts[k].n;
    *scaled = *c->sc;
    if (schools > FULL_EFFORT_SCHOOLS)
        scaled->solver.effort *= FULL_EFFORT_SCHOOLS / (double)schools;
    c->sc = scaled;
    c->opt = &scaled->solver;
}

/* The model solved: the run itself, or (free_run) one of count_price.c's
 * runs of the free model at a price, which needs no reasons, zones or
 * export, and prices no count of its own. */
static cp_layout *solve_model(const cp_instance *inst, const cp_scenario *sc, int free_run,
                              cp_error *err)
{
    solve_ctx c;
    cp_scenario scaled;
    cp_distance_ctx *dist;
    cp_code rc;
    memset(&c, 0, sizeof c);
    c.inst = inst;
    c.sc = c.sc_asked = sc;
    c.opt = &sc->solver;
    c.free_run = free_run;
    c.start = cp_now_seconds();
    c.threads = cp_parallel_threads(sc->solver.threads);
    atomic_flag_clear(&c.reporting);
    dist = cp_distance_new(inst, err);
    if (!dist)
        return NULL;
    rc = prepare(&c, dist, err);
    if (!rc) {
        scale_effort(&c, &scaled);
        if (prices_count(&c))
            rc = price_count(&c, err);
    }
    if (!rc) {
        first_round(&c);
        rc = first_part_error(&c, err);
    }
    if (!rc && (second_round(&c) || anytime_rounds(&c)))
        rc = cp_fail_nomem(err);
    if (!rc)
        rc = first_part_error(&c, err);
    if (!rc) {
        apply_price_bound(&c);
        rc = share_upgrades(&c, err);
    }
    if (!rc && (place_centres(&c) || set_info(&c)))
        rc = cp_fail_nomem(err);
    if (!rc && !free_run && (explain_required(&c) || explain_unplaced(&c)))
        rc = cp_fail_nomem(err);
    if (!rc && !free_run)
        rc = cp_explain_unplaced(inst, sc, c.cand, dist, c.why, c.part_size, c.lay, err);
    if (!rc && !free_run && sc->has_zones && !(c.opt->interrupt && *c.opt->interrupt)) {
        /* the same engine on the clusters as points (zones.c), within what
         * is left of the run's time limit */
        cp_scenario left = *sc;
        if (sc->solver.time_limit > 0)
            left.solver.time_limit = fmax(sc->solver.time_limit - (cp_now_seconds() - c.start), 1e-3);
        report(&c, "zones");
        rc = cp_form_zones(inst, &left, c.lay, dist, err);
    }
    cp_distance_free(dist);
    if (!rc) {
        summarise(&c);
        if (c.opt->export_lp && !free_run)
            rc = export_whole_model(&c, err);
    }
    free_ctx(&c);
    if (rc) {
        cp_layout_free(c.lay);
        return NULL;
    }
    return c.lay;
}

cp_layout *cp_solve(const cp_instance *inst, const cp_scenario *sc, cp_error *err)
{
    if (cp_scenario_check(sc, NULL, err) || cp_rules_check_instance(inst, sc, err))
        return NULL;
    return solve_model(inst, sc, 0, err);
}
