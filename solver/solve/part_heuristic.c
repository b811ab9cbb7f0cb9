/*
 * part_heuristic.c — the heuristic tier for one part: construction, local
 * search, iterated local search for a fixed budget of steps, and the
 * Lagrangian bound, returned in the same form as the MILP's result; for
 * auto (in->want_keep) also the pairs the bound proves no cheaper layout
 * uses, which auto's MILP then leaves out.
 *
 * The budget is counted in steps, not seconds, so a given seed gives the
 * same layout on any machine and any thread count; the time limit only
 * stops a search early (and then says so in the status).
 * Parameters: STEPS_PER_SCHOOL, STEPS_MIN, SMALL_EXTRA, SMALL_PART (ILS
 * steps), RING_STEP_SHARE, REBUILD_STEP_SHARE, CAPACITY_STEP_FACTOR,
 * COLUMNS_STEP_SHARE; the bound's rounds are the scenario's; the whole
 * clusters' COLUMNS_MAX_SCHOOLS, COLUMNS_WORK, COLUMNS_SIZE and their
 * capacity twins.
 */
#include "solve.h"
#include "solver/search/heur.h"
#include "solver/bound/bound.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define STEPS_PER_SCHOOL 8
#define STEPS_MIN 200
/* Small parts (an admin unit's schools) get SMALL_EXTRA more steps per
 * school, up to SMALL_PART schools: they are cheap, and on the Kenya zones
 * 8 steps per school left 79 zones worse than the MILP's optimum, 32 left
 * 44 (bench/RESULTS.md). */
#define SMALL_EXTRA 24
#define SMALL_PART 150
#define SHAKES_PER_SCHOOL 3     /* centre interchange: VNS shakes */
#define SHAKES_MIN 100
/* With rings (heur_cyclic.c) each ILS step's descent costs more and gains
 * more.  Kenya national, side by side with the search without rings
 * (24,020 in 13.8-16.1 s): the full budget 23,791 in 21.1 s, three
 * quarters 23,797 in 17.6 s, half 23,835 in 14.7 s (bench/RESULTS.md). */
#define RING_STEP_SHARE 0.5
/* Steps that mostly rebuild up to 8 clusters (heur_search.c) cost more and
 * gain more: 0.35 of the steps keeps the time of the former mix. */
#define REBUILD_STEP_SHARE 0.35
/* Where a capacity binds, more ILS steps cost far less time than their
 * count says (the rest of such a part's time, the repair windows and the
 * bound, stays) and gain the most of any budget tried.  The harder capacitated set (bench/run_capacitated.sh, 2
 * threads), 1x -> 3x the steps: c600 20,830.2 -> 20,732.7 (8.3 -> 9.7 s),
 * c1000 28,434.8 -> 28,430.4, c2000 42,052.0 -> 41,913.9 (18.3 -> 27.0 s),
 * c3000 52,351.4 -> 52,312.0 (31.1 -> 39.8 s); c300 unchanged.  Osman 1-10
 * and SJC1-2 stay proven, in up to twice the time (SJC2 5.7 s).  Tried and
 * dropped: restarts from the layout (2 chains side by side, 2 rounds),
 * c600 20,731.7 in 22.0 s and c2000 41,904.3 in 57.1 s; the extra steps
 * only after the bound failed to prove the part, c600 20,751.0 in 20.6 s,
 * c2000 42,047.2 in 37.1 s. */
#define CAPACITY_STEP_FACTOR 3
/* Repair windows per open cluster (heur_window.c), where a capacity binds. */
#define REPAIRS_PER_CLUSTER 3
/* Parts proven over whole clusters (prove_by_columns): at most this many
 * schools (the separator keeps an n x n table), and this much work
 * (pricing steps, a simplex iteration counting as 500) at the default
 * effort, about 0.3 s.  Kenya by zones under the annual cost objective, 2
 * threads (bench/RESULTS.md): without 38.9 s and 1,247 of 1,279 zones
 * proven; 1 M 40.2 s and 1,252; 2 M 43.2 s and 1,255; 5 M 58.6 s and
 * 1,258; 20 M 112 s and 1,265. */
#define COLUMNS_MAX_SCHOOLS 400
#define COLUMNS_WORK 1000000
/* Its root alone may spend (n / COLUMNS_SIZE)^2 times that above
 * COLUMNS_SIZE schools, at most COLUMNS_SCALE_MAX times: a large zone's
 * root did not converge within 10^6 (Kayole, 128 schools: 3.1 M), so
 * neither its tree nor its fixing for round 2 started.  Kenya by zones,
 * cost objective, side by side (bench/RESULTS.md): 1,258 zones proven in
 * 28.8 s -> 1,263 in 29.4 s; by districts (admin level 2, 426 parts of up
 * to 265 schools) 264 in 177.7 s -> 283 in 172.9 s, 0.02 % cheaper; the
 * generated 3,000 schools under instances/base.xml 2.05 -> 2.94 s, all
 * proven either way.  The whole tree at that scale instead (not the root
 * alone): the zones 1,264, but the generated country 5.6 s and the
 * districts 247 s. */
#define COLUMNS_SIZE 40.0
#define COLUMNS_SCALE_MAX 10.0
/* Where a capacity binds and the count is given, 10 M times (n / 300)^2
 * (the Lagrangian bound leaves the gap that subset-row cuts close, and the
 * MILP after it rarely proves such a part): c300 of the harder set, 2
 * threads, bound 14,130 -> 14,204 in 11.5 -> 12.3 s; c600 20,396 ->
 * 20,498 in 7.2 -> 13.5 s; SJC1 and SJC2 proven; Osman 8 (50 points),
 * which the MILP proves after it, 6.9 -> 9.6 s with 10 M unscaled, 7.2 s
 * with (bench/RESULTS.md). */
#define CAPACITY_COLUMNS_WORK (10 * COLUMNS_WORK)
#define CAPACITY_COLUMNS_MAX_SCHOOLS 600
/* Where whole clusters follow under a host stipend, the ILS runs this
 * share of its steps: the branch and price finds a cheaper layout where
 * the search's is not the optimum, and proves the rest, so most of the
 * steps gained nothing.  Kenya by zones under the annual cost objective,
 * 2 threads (bench/RESULTS.md): the full budget 36.5 s, the search 27.6 s
 * of the threads' time; 0.35 29.7 s; 0.25 30.4 s; 0.15 26.8 s; 0.1 26.7 s;
 * 1,254 zones proven with each but 0.1 (1,253), and 2,314,421 KES a year,
 * 2 more at 0.35, 20 more at 0.25 and below. */
#define COLUMNS_STEP_SHARE 0.35

/* The cost of the layout summed afresh (the running total drifts). */
static double exact_cost(const hstate *h)
{
    double cost = 0.0;
    int i;
    for (i = 0; i < h->n; i++)
        if (h->centre[i] >= 0)
            cost += cp_pair_cost(h->inst, h->sc, h->schools[i], h->schools[h->centre[i]],
                                 h->centre[i] == i ? 0.0 : h->dist[i]);
    return cost;
}

static cp_code export_layout(hstate *h, cp_milp_result *out)
{
    int i;
    /* issue 24's rules: clusters short of a hard study group dissolved,
     * upgrades within the part's cap (heur_rules.c) */
    if (heur_rules_finish(h))
        return CP_ERESOURCE;
    out->centre_of = cp_malloc((size_t)(h->n ? h->n : 1) * sizeof(int));
    if (!out->centre_of)
        return CP_ERESOURCE;
    out->assigned = 0;
    for (i = 0; i < h->n; i++) {
        out->centre_of[i] = h->centre[i] >= 0 ? h->schools[h->centre[i]] : -1;
        out->assigned += h->centre[i] >= 0;
    }
    out->cost = exact_cost(h);
    out->has_solution = 1;
    return CP_OK;
}

static int cmp_descending(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

/* Whether some cluster could pass the capacity: the size-max largest
 * teacher counts of the part together exceed it.  O(n log n). */
static int capacity_can_bind(const hstate *h)
{
    double *t, load = 0.0;
    int k, take = h->size_max < h->n ? h->size_max : h->n;
    if (!isfinite(h->capacity))
        return 0;
    t = cp_malloc((size_t)(h->n ? h->n : 1) * sizeof(double));
    if (!t)
        return 1; /* short of memory: the larger budget rather than a wrong smaller one */
    memcpy(t, h->teachers, (size_t)h->n * sizeof(double));
    qsort(t, (size_t)h->n, sizeof(double), cmp_descending);
    for (k = 0; k < take; k++)
        load += t[k];
    cp_free(t);
    return load > h->capacity * (1 + 1e-12);
}

/* Which whole clusters (prove_by_columns, solver/exact/colgen.c) may
 * follow the search on the part: where opening a cluster costs something
 * (the annual cost objective's host stipend), up to COLUMNS_MAX_SCHOOLS
 * schools, or where a capacity can bind with the count given (the
 * capacitated p-median), up to CAPACITY_COLUMNS_MAX_SCHOOLS; not where an
 * opening costs less than 0 (a quality reward above the stipend:
 * colgen.c's artificial columns and its settled count assume none); not
 * where issue 24's rules apply (the clusters' costs leave them out); only
 * in auto's first round (want_keep): the search alone claims no more than
 * its own bound.  They run only where, besides, the search placed every
 * school (columns_work). */
enum { COLUMNS_NONE, COLUMNS_OPENING, COLUMNS_CAPACITY };

static int columns_kind(const hstate *h, const cp_milp_input *in)
{
    int j, opening = 0;
    for (j = 0; j < h->n; j++) {
        if (h->open_cost[j] < 0.0)
            return COLUMNS_NONE;
        opening |= h->open_cost[j] > 0.0;
    }
    /* where no bound is computed (set_status), none follow */
    if (!in->want_keep || h->rules || h->n_groups > 0 || h->sc->has_invest || in->cand->capped ||
        in->is_region || in->skip_bound)
        return COLUMNS_NONE;
    if (opening)
        return h->n <= COLUMNS_MAX_SCHOOLS ? COLUMNS_OPENING : COLUMNS_NONE;
    if (h->count > 0 && h->n <= CAPACITY_COLUMNS_MAX_SCHOOLS && capacity_can_bind(h))
        return COLUMNS_CAPACITY;
    return COLUMNS_NONE;
}

double cp_heur_step_share(const cp_scenario *sc)
{
    return (heur_cyclic_sizes(sc->size_max) ? RING_STEP_SHARE : 1.0) * REBUILD_STEP_SHARE;
}

/* ILS steps (or VNS shakes for interchange): `steps` when given, else the
 * default budget times the scenario's effort. */
static long step_budget(const hstate *h, const cp_milp_input *in, long steps, int interchange)
{
    double base;
    if (steps > 0)
        return steps;
    base = interchange ? SHAKES_MIN + (double)SHAKES_PER_SCHOOL * h->n
                       : STEPS_MIN + (double)STEPS_PER_SCHOOL * h->n +
                             (double)SMALL_EXTRA * (h->n < SMALL_PART ? h->n : SMALL_PART);
    if (!interchange)
        base *= cp_heur_step_share(h->sc);
    if (!interchange && capacity_can_bind(h))
        base *= CAPACITY_STEP_FACTOR;
    if (!interchange && columns_kind(h, in) == COLUMNS_OPENING)
        base *= COLUMNS_STEP_SHARE;
    return (long)llround(base * h->sc->solver.effort);
}

/* Schools still unplaced get exact windows (heur_window.c), then a descent
 * from what changed.  Regions leave this to their part's last pass. */
static cp_code place_by_windows(hstate *h, const cp_milp_input *in)
{
    int placed;
    /* a window's MILP knows neither the part's share of the upgrades nor
     * the hosting count soft groups maximise: no windows with either */
    if (in->is_region || h->score.unassigned == 0 || h->upgradable_in_part > 0 ||
        (h->n_groups > 0 && h->groups_soft))
        return CP_OK;
    placed = heur_place_by_windows(h, in, &h->solved);
    if (placed < 0)
        return CP_ERESOURCE;
    return placed > 0 ? heur_descend(h) : CP_OK;
}

/* Repair windows where a capacity binds (heur_window.c), then a descent
 * from what they changed: REPAIRS_PER_CLUSTER windows per open cluster,
 * times the effort.  Regions leave it to their part's last pass. */
static cp_code repair(hstate *h, const cp_milp_input *in)
{
    long budget = llround(REPAIRS_PER_CLUSTER * h->n_open * h->sc->solver.effort);
    int improved;
    /* as for placing windows: a window's MILP knows neither the part's
     * share of the upgrades nor the hosting count of soft groups */
    if (in->is_region || !isfinite(h->capacity) || h->upgradable_in_part > 0 ||
        (h->n_groups > 0 && h->groups_soft))
        return CP_OK;
    improved = heur_repair_by_windows(h, in, budget);
    if (improved < 0)
        return CP_ERESOURCE;
    return improved > 0 ? heur_descend(h) : CP_OK;
}

/* Construction, first descent and the ILS: all of the search before the
 * windows.  *interchange: the part is a p-median, searched by centre
 * interchange instead, which has no windows after it. */
static cp_code climb(hstate *h, const cp_milp_input *in, long steps, int *interchange)
{
    cp_code rc;
    int i;
    *interchange = 0;
    /* from scratch the construction opens no upgrade; the search adds them
     * where they pay (heur_upgrade.c) */
    heur_rules_hide_upgrades(h, !in->incumbent);
    rc = heur_construct(h, in->incumbent);
    heur_rules_hide_upgrades(h, 0);
    h->log_on = 1; /* pricing an upgrade's closing rolls back */
    if (!rc) /* an incumbent from a larger allowance: its dearest upgrades go first */
        rc = heur_upgrades_within_cap(h);
    h->log_len = 0;
    if (rc)
        return rc;
    if (steps == CP_HEUR_ADD_UPGRADE) {
        /* the best next upgrade, then the search round it with the
         * upgrades as they are (no further one opens: the cap is reached) */
        if ((rc = heur_add_best_upgrade(h)))
            return rc;
        heur_rules_freeze_upgrades(h);
        steps = 0;
    }
    if (heur_uncapacitated(h) && !h->rules) {
        *interchange = 1;
        return heur_interchange(h, steps == CP_HEUR_DESCENT_ONLY ? 0 : step_budget(h, in, steps, 1));
    }
    for (i = 0; i < h->n; i++)
        if (!in->examine || in->examine[i])
            heur_push(h, i);
    /* rings join after the first descent, which visits every school of a
     * constructed layout: there they cost most and the ILS finds them
     * anyway (Kenya national 23,835 -> 23,802, zones 6.8 s -> 4.3 s,
     * 10^6 schools 105.6 s -> 99.0 s; Machakos 955.5 -> 959.2) */
    h->rings_off = steps != CP_HEUR_DESCENT_ONLY;
    rc = heur_descend(h);
    h->rings_off = 0;
    if (!rc && steps != CP_HEUR_DESCENT_ONLY)
        rc = heur_iterate(h, step_budget(h, in, steps, 0));
    return rc;
}

/* After the climb: the repair windows, then the windows that place. */
static cp_code finish(hstate *h, const cp_milp_input *in, long steps)
{
    cp_code rc = steps != CP_HEUR_DESCENT_ONLY ? repair(h, in) : CP_OK;
    return rc ? rc : place_by_windows(h, in);
}

/* ---------------------------------------------------------------- chains
 *
 * Where a capacity binds, CAPACITY_CHAINS climbs run from scratch side by
 * side, chain k with its own seed (chain 0 the part's, so its climb is the
 * one a single search makes), and the best layout after the ILS goes on to
 * the windows; ties go to the lower chain.  Every chain always runs its
 * full budget and the choice depends on the layouts alone, so the result
 * is the same on any thread count; on 2 threads the second chain uses the
 * thread the ILS leaves idle (a capacitated part is one task).  Why: the
 * ILS on a tightly capacitated part ends where its seed leads (c600 of the
 * harder set at the default effort: 20,693.0 to 20,770.8 for seeds 1-5,
 * 0.4 %); restarts from the layout and more steps in one chain gained less
 * (bench/RESULTS.md, the fourth session).  A chain after the first that
 * cannot run (out of memory, or the time guard or an interrupt came
 * first, as on 1 thread it can) is left out: the first chain's layout
 * stands.  Work: CAPACITY_CHAINS times the climb's; memory CAPACITY_CHAINS
 * times the part's search state. */
#define CAPACITY_CHAINS 2

typedef struct {
    const cp_milp_input *in;
    const int *group;
    int group_id;
    long steps;
    hstate *h[CAPACITY_CHAINS];  /* h[0]: the caller's, set up */
    cp_code rc[CAPACITY_CHAINS];
    int ran[CAPACITY_CHAINS];    /* the climb ran to its end */
} chains;

static void chain_task(int k, void *arg)
{
    chains *c = arg;
    hstate *h = c->h[k];
    cp_code rc = CP_OK;
    int interchange; /* stays 0: interchange runs only without a capacity */
    if (k > 0) {
        if (heur_should_stop(c->h[0]))
            return; /* the guard or an interrupt: no further chain */
        if (!(rc = heur_setup(h, c->in, c->group, c->group_id))) {
            h->rng ^= 0xD1B54A32D192ED03ULL * (uint64_t)k;
            h->deadline = c->h[0]->deadline;
        }
    }
    c->rc[k] = rc ? rc : climb(h, c->in, c->steps, &interchange);
    c->ran[k] = c->rc[k] == CP_OK && !heur_should_stop(h);
}

/* The chains' climbs; the best one's state ends in *h (the others'
 * freed), then its windows. */
static cp_code search_in_chains(hstate *h, const cp_milp_input *in, const int *group,
                                int group_id, long steps)
{
    hstate others[CAPACITY_CHAINS - 1];
    chains c;
    cp_code rc;
    int k, best = 0;
    memset(&c, 0, sizeof c);
    memset(others, 0, sizeof others);
    c.in = in;
    c.group = group;
    c.group_id = group_id;
    c.steps = steps;
    c.h[0] = h;
    for (k = 1; k < CAPACITY_CHAINS; k++)
        c.h[k] = &others[k - 1];
    cp_parallel_for(CAPACITY_CHAINS, in->window_threads > 0 ? in->window_threads : 1, chain_task,
                    &c);
    rc = c.rc[0];
    /* the search's own order: upgrades over the allowance, unplaced
     * schools, clusters short of a soft group, then the cost */
    for (k = 1; !rc && k < CAPACITY_CHAINS; k++)
        if (c.ran[k] && heur_better(c.h[k]->score, c.h[best]->score))
            best = k;
    if (best > 0) { /* the state moves whole: it holds no pointer into itself */
        hstate kept = *c.h[best];
        *c.h[best] = *h;
        *h = kept;
    }
    for (k = 1; k < CAPACITY_CHAINS; k++)
        heur_free(c.h[k]);
    return rc ? rc : finish(h, in, steps);
}

/* The search: in chains where a capacity binds and the default budget
 * runs, else one climb; then the windows. */
static cp_code search(hstate *h, const cp_milp_input *in, const int *group, int group_id,
                      long steps)
{
    cp_code rc;
    int interchange;
    if (steps == 0 && !in->is_region && capacity_can_bind(h))
        return search_in_chains(h, in, group, group_id, steps);
    rc = climb(h, in, steps, &interchange);
    return rc || interchange ? rc : finish(h, in, steps);
}

/* A fixing given in each member's order of centres (keep_k, as
 * heur_lagrange_bound writes it) laid over out->keep, in the MILP's
 * column order (each school's pairs as the candidates list them): a pair
 * stays kept where both keep it (out->keep NULL: every pair was), and,
 * with `layout_kept`, wherever the layout uses it (round 2 starts from
 * it).  out->kept recounted.  O(P log degree). */
static cp_code keep_in_column_order(const hstate *h, const unsigned char *keep_k, int layout_kept,
                                    cp_milp_result *out)
{
    size_t pairs = (size_t)(h->kstart[h->n] ? h->kstart[h->n] : 1);
    unsigned char *keep = out->keep ? out->keep : cp_malloc(pairs);
    long col = 0, kept = 0;
    int i, p;
    if (!keep)
        return CP_ERESOURCE;
    for (i = 0; i < h->n; i++) {
        int g = h->schools[i];
        for (p = h->cand->start[g]; p < h->cand->start[g + 1]; p++, col++) {
            int q = heur_pair_index(h, i, heur_local(h, h->cand->centre[p]));
            int was = out->keep ? keep[col] : 1;
            keep[col] = (was && (q < 0 || keep_k[q])) ||
                        (layout_kept && out->centre_of[i] == h->cand->centre[p]);
            kept += keep[col];
        }
    }
    out->keep = keep;
    out->kept = kept;
    return CP_OK;
}

/* The bound, and with in->want_keep the pairs a cheaper layout may use;
 * the best multipliers in `multipliers` when not NULL. */
static double bound_and_fixing(const hstate *h, const cp_milp_input *in, double *multipliers,
                               cp_milp_result *out)
{
    unsigned char *keep_k = NULL;
    long kept = -1;
    double bound;
    if (in->want_keep)
        keep_k = cp_malloc((size_t)(h->kstart[h->n] ? h->kstart[h->n] : 1));
    bound = heur_lagrange_bound(h, out->cost, h->sc->solver.bound_rounds, in->threads, keep_k,
                                keep_k ? &kept : NULL, multipliers);
    if (kept >= 0)
        keep_in_column_order(h, keep_k, 0, out); /* out of memory: every pair stays */
    cp_free(keep_k);
    return bound;
}

/* The work prove_by_columns may spend on the part, 0 where it does not
 * run (the root alone may spend root_columns_work). */
static long columns_work(const hstate *h, const cp_milp_input *in)
{
    double effort = fmax(h->sc->solver.effort, 0.05);
    if (h->score.unassigned > 0)
        return 0;
    switch (columns_kind(h, in)) {
    case COLUMNS_OPENING:
        return (long)llround(COLUMNS_WORK * effort);
    case COLUMNS_CAPACITY:
        return (long)llround(CAPACITY_COLUMNS_WORK * effort * (h->n / 300.0) * (h->n / 300.0));
    default:
        return 0;
    }
}

/* The work the root of whole clusters may reach under a stipend: `work`,
 * times (n / COLUMNS_SIZE)^2 above COLUMNS_SIZE schools, at most
 * COLUMNS_SCALE_MAX times. */
static long root_columns_work(const hstate *h, long work)
{
    double scale = fmax(1.0, (h->n / COLUMNS_SIZE) * (h->n / COLUMNS_SIZE));
    return (long)llround((double)work * fmin(COLUMNS_SCALE_MAX, scale));
}

/* The pairs whole clusters' root fixed (res->useful, colgen.c's pair
 * order, by centre) left out of out->keep, which then holds what both
 * fixings keep; the layout's own pairs always stay.  Leaves out->keep as
 * it was when out of memory.  O(P log degree). */
static void keep_useful(const hstate *h, const unsigned char *useful, cp_milp_result *out)
{
    unsigned char *useful_k = cp_malloc((size_t)(h->kstart[h->n] ? h->kstart[h->n] : 1));
    int j, p;
    if (!useful_k)
        return;
    /* a centre's own entry says whether it may head a cluster (exact.h) */
    for (j = 0; j < h->n; j++)
        for (p = h->rstart[j]; p < h->rstart[j + 1]; p++)
            useful_k[heur_pair_index(h, h->rmember[p], j)] = useful[p];
    keep_in_column_order(h, useful_k, 1, out);
    cp_free(useful_k);
}

/* The part proven over whole clusters where the Lagrangian bound fell
 * short; a cheaper layout it finds replaces the search's, and the pairs
 * its root fixes leave round 2's MILP.  Leaves out as it was when the
 * work runs out or memory does. */
static void prove_by_columns(const hstate *h, const cp_milp_input *in, long work,
                             const double *multipliers, cp_milp_result *out)
{
    cp_colgen_input cin;
    cp_colgen_result res;
    double *mcost = cp_malloc((size_t)(h->rstart[h->n] ? h->rstart[h->n] : 1) * sizeof(double));
    int i, p;
    if (!mcost)
        return;
    for (i = 0; i < h->n; i++)
        for (p = h->rstart[i]; p < h->rstart[i + 1]; p++)
            mcost[p] = h->w[h->rmember[p]] * h->rdist[p];
    memset(&cin, 0, sizeof cin);
    cin.n = h->n;
    cin.size_min = h->size_min;
    cin.size_max = h->size_max;
    cin.count = h->count;
    cin.capacity = h->capacity;
    cin.teachers = h->teachers;
    cin.open_cost = h->open_cost;
    cin.eligible = h->eligible;
    cin.required = h->required;
    cin.mstart = h->rstart;
    cin.member = h->rmember;
    cin.mcost = mcost;
    cin.incumbent = h->centre;
    cin.incumbent_cost = out->cost;
    cin.work_limit = work;
    cin.deadline = h->deadline;
    cin.centre_duals = multipliers && !isnan(multipliers[0]) ? multipliers : NULL;
    cin.interrupt = in->interrupt;
    cin.verbose = in->verbose;
    if (columns_kind(h, in) == COLUMNS_OPENING) {
        cin.want_useful = 1; /* round 2 then takes fewer pairs */
        cin.root_work_limit = root_columns_work(h, work);
    }
    if (cp_colgen_prove(&cin, &res, NULL) == CP_OK) {
        if (res.centre) { /* cheaper than the search's layout */
            for (i = 0; i < h->n; i++)
                out->centre_of[i] = h->schools[res.centre[i]];
            out->cost = res.cost;
        }
        if (!isnan(res.bound) && (isnan(out->bound) || res.bound > out->bound))
            out->bound = res.bound;
        if (res.useful)
            keep_useful(h, res.useful, out);
    }
    cp_free(res.centre);
    cp_free(res.useful);
    cp_free(mcost);
}

static void set_status(const hstate *h, const cp_milp_input *in, cp_milp_result *out)
{
    long work = columns_work(h, in);
    /* the columns' pricing starts from the bound's multipliers */
    double *multipliers = work > 0 && h->n > 0 ? cp_malloc((size_t)h->n * sizeof(double)) : NULL;
    if (multipliers)
        multipliers[0] = NAN; /* none until the bound sets them */
    out->assigned_proven = h->score.unassigned == 0 || (h->solved && !in->cand->capped);
    out->bound = NAN;
    /* The bound relaxes issue 24's rules: it leaves the study groups out
     * and lets every upgradable school be a centre (no cap, no budget), so
     * it stays a valid lower bound of the cost; soft groups put the hosting
     * count before the cost, which it does not bound: none is claimed. */
    if (h->n_groups > 0 && h->groups_soft)
        ; /* no bound */
    else if (h->solved && !in->cand->capped)
        out->bound = out->cost; /* the whole part was one exact window */
    else if (out->assigned_proven && !in->cand->capped && !in->is_region && !in->skip_bound)
        /* a restriction bounds nothing */
        out->bound = h->score.unassigned == 0 ? bound_and_fixing(h, in, multipliers, out)
                                              : heur_lagrange_bound(h, out->cost,
                                                                    h->sc->solver.bound_rounds,
                                                                    in->threads, NULL, NULL, NULL);
    /* whole clusters where the bound falls short (it came from the branch
     * above, so the part is no restriction), not once the guard has fired,
     * even during the bound (its multipliers would depend on the machine) */
    if (!isnan(out->bound) && !cp_bound_meets(out->bound, out->cost) && work > 0 &&
        !heur_should_stop(h))
        prove_by_columns(h, in, work, multipliers, out);
    cp_free(multipliers);
    if (!isnan(out->bound) && cp_bound_meets(out->bound, out->cost))
        out->status = CP_STATUS_OPTIMAL;
    else if (in->interrupt && *in->interrupt)
        out->status = CP_STATUS_INTERRUPTED;
    else /* the guard fired in the search, the bound or the columns (it stays fired) */
        out->status = heur_should_stop(h) ? CP_STATUS_TIME_LIMIT : CP_STATUS_FEASIBLE;
}

cp_code cp_heur_solve(const cp_milp_input *in, const int *group, int group_id, long steps,
                      cp_milp_result *out, cp_error *err)
{
    hstate h;
    double start = cp_now_seconds();
    cp_code rc;
    memset(out, 0, sizeof *out);
    rc = heur_setup(&h, in, group, group_id);
    if (!rc) {
        h.deadline = in->time_limit > 0 ? start + in->time_limit : 0;
        rc = search(&h, in, group, group_id, steps);
    }
    if (!rc)
        rc = export_layout(&h, out);
    if (!rc)
        set_status(&h, in, out);
    heur_free(&h);
    out->seconds = cp_now_seconds() - start;
    if (rc) {
        cp_free(out->centre_of);
        cp_free(out->keep);
        out->centre_of = NULL;
        out->keep = NULL;
        return cp_fail_nomem(err);
    }
    return CP_OK;
}
