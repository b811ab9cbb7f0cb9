/*
 * test_neighbourhoods.c — every neighbourhood and perturbation of the
 * heuristic keeps the layout feasible.  On generated countries, under
 * scenarios that make each rule bind (sizes, capacity, distance limits of
 * the scenario and of single schools, the admin rule, a quality threshold,
 * required and forbidden centres, a fixed count, cluster-cost and
 * quality-reward terms), random sequences of neighbourhoods at random
 * schools and of perturbations are applied; after every step the layout is
 * re-evaluated by cp_evaluate, which knows nothing of the heuristic: no
 * violation, and the same objective and unassigned count as the
 * heuristic's running score (rings once with a ring cache of 3 slots, so
 * that clusters evict each other mid-search).  Rolling the journal back
 * restores the layout exactly.  The region pass (regions.c) is checked the same way, and
 * gives the same layout on 1 and 2 threads.
 */
#include "testutil.h"
#include "solver/search/heur.h"
#include "solver/bound/bound.h"
#include "solver/solve/solve.h"

#define STEPS 600

/* The search's own registry (neighbourhoods.c): every neighbourhood it
 * uses is tested, and ring is its last. */
#define RING (N_NEIGHBOURHOODS - 1)
#define N_NEIGHBOURHOODS heur_n_neighbourhoods
#define N_NEIGHBOURHOODS_MAX 16

typedef struct {
    cp_instance *inst;
    cp_scenario sc;
    cp_distance_ctx *dist;
    cp_candidates *cand;
    int required_every;      /* > 0: every k-th school that can head a full
                                cluster (3 x size max admissible members) is required */
    int *schools, *group, *local_of;
    cp_milp_input in;
    hstate h;
} fixture;

/* Required centres that can be honoured, so that the construction is
 * feasible and any violation is the neighbourhoods' doing. */
static void require_centres(fixture *f)
{
    int n = f->inst->n_schools, *members = calloc((size_t)n, sizeof(int)), i, p, seen = 0;
    for (i = 0; i < n; i++)
        for (p = f->cand->start[i]; p < f->cand->start[i + 1]; p++)
            members[f->cand->centre[p]]++;
    for (i = 0; f->required_every > 0 && i < n; i++)
        if (f->cand->eligible[i] && members[i] >= 3 * f->sc.size_max && seen++ % f->required_every == 0)
            f->inst->schools[i].centre = CP_CENTRE_REQUIRED;
    free(members);
    assert_true(f->required_every == 0 || seen > 2 * f->required_every); /* some were required */
}

static void setup_fixture(fixture *f, long n, uint64_t seed, void (*rules)(fixture *))
{
    cp_error err;
    int i;
    memset(f, 0, sizeof *f);
    f->inst = cp_generate(n, seed, &err);
    assert_non_null(f->inst);
    cp_scenario_defaults(&f->sc);
    f->sc.distance_max = 10;
    f->sc.solver.seed = seed;
    rules(f);
    f->dist = cp_distance_new(f->inst, &err);
    f->cand = cp_candidates_build(f->inst, &f->sc, f->dist, &err);
    assert_non_null(f->cand);
    require_centres(f);
    f->schools = malloc(sizeof(int) * (size_t)n);
    f->group = calloc((size_t)n, sizeof(int));
    f->local_of = malloc(sizeof(int) * (size_t)n);
    for (i = 0; i < n; i++)
        f->schools[i] = f->local_of[i] = i;
    f->in.inst = f->inst;
    f->in.sc = &f->sc;
    f->in.cand = f->cand;
    f->in.schools = f->schools;
    f->in.n = (int)n;
    f->in.local_of = f->local_of;
    f->in.cluster_count = f->sc.cluster_count;
    assert_int_equal(heur_setup(&f->h, &f->in, f->group, 0), CP_OK);
    assert_int_equal(heur_construct(&f->h, NULL), CP_OK);
}

static void teardown_fixture(fixture *f)
{
    heur_free(&f->h);
    cp_candidates_free(f->cand);
    cp_distance_free(f->dist);
    cp_instance_free(f->inst);
    free(f->schools);
    free(f->group);
    free(f->local_of);
}

/* The heuristic's layout as a cp_layout, clusters by centre index. */
static cp_layout *to_layout(const hstate *h)
{
    cp_layout *lay = cp_layout_new(h->n);
    int *cluster = malloc(sizeof(int) * (size_t)h->n), i;
    assert_non_null(lay);
    for (i = 0; i < h->n; i++)
        cluster[i] = h->centre[i] == i ? cp_layout_add_cluster(lay, NULL, i) : -1;
    for (i = 0; i < h->n; i++)
        if (h->centre[i] >= 0)
            lay->cluster_of[i] = cluster[h->centre[i]];
    free(cluster);
    return lay;
}

static void expect_feasible(fixture *f, const char *after, int step)
{
    cp_error err;
    cp_layout *lay = to_layout(&f->h);
    cp_evaluation *ev = cp_evaluate(f->inst, &f->sc, lay, f->dist, &err);
    double scale = fmax(1.0, fabs(ev->ind.objective));
    assert_non_null(ev);
    if (ev->n_violations != 0 || ev->ind.unassigned != f->h.score.unassigned ||
        fabs(ev->ind.objective - f->h.score.cost) > 1e-6 * scale) {
        int k;
        for (k = 0; k < ev->n_violations; k++)
            print_message("violation kind %d cluster %d school %d value %g limit %g\n",
                          (int)ev->violations[k].kind, ev->violations[k].cluster,
                          ev->violations[k].school, ev->violations[k].value,
                          ev->violations[k].limit);
        fail_msg("after %s (step %d): %d violations, unassigned %d vs %ld, objective %.9g vs %.9g",
                 after, step, ev->n_violations, ev->ind.unassigned, f->h.score.unassigned,
                 ev->ind.objective, f->h.score.cost);
    }
    cp_evaluation_free(ev);
    cp_layout_free(lay);
}

/* Exact windows around the unplaced schools (heur_window.c) keep the
 * layout feasible and never make it worse. */
static void windows(fixture *f)
{
    hstate *h = &f->h;
    hscore before = h->score;
    int solved;
    assert_true(heur_place_by_windows(h, &f->in, &solved) >= 0);
    h->log_len = 0;
    expect_feasible(f, "windows", STEPS + 3);
    assert_true(h->score.unassigned < before.unassigned ||
                (h->score.unassigned == before.unassigned &&
                 h->score.cost <= before.cost + 1e-9 * fmax(1.0, before.cost)));
}

/* Random neighbourhoods at random schools, and perturbations (each one
 * followed by what a descent would examine first: the queued schools are
 * dropped, so the perturbed layout itself is checked). */
static void random_sequence(fixture *f)
{
    hstate *h = &f->h;
    int step, used[N_NEIGHBOURHOODS_MAX + 1] = {0};
    assert_true(N_NEIGHBOURHOODS <= N_NEIGHBOURHOODS_MAX);
    h->log_on = 1;
    expect_feasible(f, "construction", 0);
    for (step = 1; step <= STEPS; step++) {
        int kind = heur_random_below(h, N_NEIGHBOURHOODS + 1);
        const char *name = kind == N_NEIGHBOURHOODS ? "perturbation" : heur_neighbourhoods[kind].name;
        int r = kind == N_NEIGHBOURHOODS ? heur_perturb(h)
                                         : heur_neighbourhoods[kind].try_at(h, heur_random_below(h, h->n));
        assert_true(r >= 0 && !h->log_failed);
        used[kind] += kind == N_NEIGHBOURHOODS || r > 0;
        h->log_len = 0;
        expect_feasible(f, name, step);
    }
    assert_true(used[N_NEIGHBOURHOODS] > 0); /* perturbations happened */
    if (heur_cyclic_active(h))
        assert_true(used[RING] > 0); /* and rings, where clusters are small enough */
    assert_int_equal(heur_descend(h), CP_OK);
    expect_feasible(f, "descent", STEPS + 1);
    assert_int_equal(heur_iterate(h, 200), CP_OK);
    expect_feasible(f, "iterated local search", STEPS + 2);
    windows(f);
}

/* A journal rolled back to its mark gives back the very same layout. */
static void rollback_restores(fixture *f)
{
    hstate *h = &f->h;
    int *before = malloc(sizeof(int) * (size_t)h->n), step, i;
    hscore score = h->score;
    memcpy(before, h->centre, sizeof(int) * (size_t)h->n);
    h->log_on = 1;
    h->trial = 1;
    h->log_len = 0;
    for (step = 0; step < 50; step++) {
        assert_true(heur_perturb(h));
        assert_int_equal(heur_descend(h), CP_OK);
    }
    heur_rollback(h, 0);
    h->trial = 0;
    for (i = 0; i < h->n; i++)
        assert_int_equal(h->centre[i], before[i]);
    assert_int_equal(h->score.unassigned, score.unassigned);
    assert_float_equal(h->score.cost, score.cost, 1e-6 * fmax(1.0, fabs(score.cost)));
    free(before);
    expect_feasible(f, "rollback", 0);
}

/* ------------------------------------------------------------- scenarios */

static void sizes_admin_quality(fixture *f)
{
    f->sc.size_min = 3;
    f->sc.size_max = 7;
    f->sc.admin_level = 2;
    f->sc.min_quality = 0.6;
}

static void sizes_only(fixture *f)
{
    f->sc.size_min = 3;
    f->sc.size_max = 7;
}

/* The Lagrangian bound with its dualised cuts (lagrange.c) is the same on
 * 1 and 2 threads, and below the cost of the search's layout when that
 * places every school. */
static void test_bound_threads(void **state)
{
    fixture f;
    double one, two;
    (void)state;
    setup_fixture(&f, 3000, 5, sizes_only);
    assert_int_equal(heur_descend(&f.h), CP_OK);
    one = heur_lagrange_bound(&f.h, f.h.score.cost, 150, 1, NULL, NULL, NULL);
    two = heur_lagrange_bound(&f.h, f.h.score.cost, 150, 2, NULL, NULL, NULL);
    assert_false(isnan(one));
    assert_true(one == two);
    if (f.h.score.unassigned == 0)
        assert_true(one <= f.h.score.cost + 1e-6);
    print_message("    bound %.3f on 1 and 2 threads; layout %.3f with %ld unplaced\n", one,
                  f.h.score.cost, f.h.score.unassigned);
    teardown_fixture(&f);
}

static void sizes_by_teachers(fixture *f)
{
    sizes_only(f);
    f->sc.weight = CP_WEIGHT_TEACHERS;
}

/* Valuing a centre stops at the pair where no further member can enter
 * (lagrange.c): the same bound as reading every pair, with teachers as
 * weights (w_min) and with schools weighted 1. */
static void test_bound_pruning(void **state)
{
    void (*rules[])(fixture *) = {sizes_only, sizes_by_teachers};
    size_t k;
    (void)state;
    for (k = 0; k < sizeof rules / sizeof rules[0]; k++) {
        fixture f;
        double pruned, full;
        setup_fixture(&f, 2000, 11 + k, rules[k]);
        assert_int_equal(heur_descend(&f.h), CP_OK);
        pruned = heur_lagrange_bound(&f.h, f.h.score.cost, 200, 2, NULL, NULL, NULL);
        f.sc.solver.lagrange_prune = 0;
        full = heur_lagrange_bound(&f.h, f.h.score.cost, 200, 2, NULL, NULL, NULL);
        f.sc.solver.lagrange_prune = 1;
        assert_false(isnan(pruned));
        assert_true(fabs(pruned - full) <= 1e-9 * fmax(1.0, fabs(full)));
        print_message("    bound %.6f pruned, %.6f reading every pair\n", pruned, full);
        teardown_fixture(&f);
    }
}

/* Coordinate ascent after a short subgradient ascent (100 rounds, far from
 * converged) raises the bound, which stays below the layout's cost. */
static void test_bound_coordinate_ascent(void **state)
{
    fixture f;
    double plain, polished;
    (void)state;
    setup_fixture(&f, 2000, 11, sizes_only);
    assert_int_equal(heur_descend(&f.h), CP_OK);
    f.sc.solver.lagrange_ascent = 0;
    plain = heur_lagrange_bound(&f.h, f.h.score.cost, 100, 2, NULL, NULL, NULL);
    f.sc.solver.lagrange_ascent = 1;
    polished = heur_lagrange_bound(&f.h, f.h.score.cost, 100, 2, NULL, NULL, NULL);
    assert_false(isnan(plain));
    assert_true(polished > plain + 1e-6 * fmax(1.0, fabs(plain)));
    assert_true(polished <= f.h.score.cost + 1e-6);
    print_message("    bound %.6f after 100 rounds, %.6f with coordinate ascent\n", plain, polished);
    teardown_fixture(&f);
}

/* Every school within reach of every other, weighted 1 and in twins at one
 * place (as Kenya national): the bound is then for a layout that places
 * them all, and the first round's value lies below 0. */
static void sizes_unlimited(fixture *f)
{
    int i;
    sizes_only(f);
    f->sc.weight = CP_WEIGHT_NONE;
    f->sc.distance_max = 1e6;
    for (i = 1; i < f->inst->n_schools; i += 2) { /* twins at one place, as 1,265 Kenya schools */
        f->inst->schools[i].x = f->inst->schools[i - 1].x;
        f->inst->schools[i].y = f->inst->schools[i - 1].y;
    }
}

/* An ascent cut short (one round) still bounds at least as well as every
 * school at its cheapest term, and never above the layout's cost. */
static void test_bound_cut_short(void **state)
{
    fixture f;
    double bound, cheapest = 0.0;
    int i, p;
    (void)state;
    setup_fixture(&f, 500, 17, sizes_unlimited);
    assert_int_equal(heur_descend(&f.h), CP_OK);
    assert_int_equal(f.h.score.unassigned, 0);
    for (i = 0; i < f.h.n; i++) {
        double least = f.h.eligible[i] ? f.h.open_cost[i] : INFINITY;
        for (p = f.h.kstart[i]; p < f.h.kstart[i + 1]; p++)
            if (f.h.kcentre[p] != i && f.h.w[i] * f.h.kdist[p] < least)
                least = f.h.w[i] * f.h.kdist[p];
        cheapest += least;
    }
    bound = heur_lagrange_bound(&f.h, f.h.score.cost, 1, 1, NULL, NULL, NULL);
    assert_true(isfinite(cheapest));
    assert_true(bound >= cheapest - 1e-9 * fmax(1.0, cheapest));
    assert_true(bound <= f.h.score.cost + 1e-6);
    print_message("    one round: bound %.3f, cheapest terms %.3f\n", bound, cheapest);
    teardown_fixture(&f);
}

static void capacity_and_limits(fixture *f)
{
    int i;
    f->sc.size_min = 2;
    f->sc.size_max = 8; /* the largest clusters rings enter */
    f->sc.capacity = 60;
    for (i = 0; i < f->inst->n_schools; i += 5)
        f->inst->schools[i].max_distance = 3;
}

static void required_forbidden_costs(fixture *f)
{
    int i;
    f->sc.size_min = 4;
    f->sc.size_max = 6;
    f->sc.weight = CP_WEIGHT_TEACHERS;
    f->sc.cluster_cost = 25;
    f->sc.quality_reward = 10;
    f->required_every = 12;
    for (i = 7; i < f->inst->n_schools; i += 4)
        f->inst->schools[i].centre = CP_CENTRE_FORBIDDEN;
    for (i = 1; i < f->inst->n_schools; i += 9)
        f->inst->schools[i].host = 0;
}

static void fixed_count(fixture *f)
{
    f->sc.size_min = 1;
    f->sc.size_max = 12;
    f->sc.distance_max = 40;
    f->sc.cluster_count = 60;
}

/* cache_slots: the ring cache's slots (0 = the default). */
static void run_with(void (*rules)(fixture *), uint64_t seed, int cache_slots)
{
    fixture f;
    setup_fixture(&f, 500, seed, rules);
    if (cache_slots > 0)
        f.sc.solver.cyclic_cache_slots = cache_slots;
    random_sequence(&f);
    rollback_restores(&f);
    teardown_fixture(&f);
}

static void run(void (*rules)(fixture *), uint64_t seed)
{
    run_with(rules, seed, 0);
}

static void test_sizes_admin_quality(void **state)
{
    (void)state;
    run(sizes_admin_quality, 1);
    run_with(sizes_admin_quality, 2, 3); /* clusters share slots, even on one ring */
}

static void test_capacity_and_limits(void **state)
{
    (void)state;
    run(capacity_and_limits, 3);
    run(capacity_and_limits, 4);
}

static void test_required_forbidden_costs(void **state)
{
    (void)state;
    run(required_forbidden_costs, 5);
    run(required_forbidden_costs, 6);
}

static void test_fixed_count(void **state)
{
    (void)state;
    run(fixed_count, 7);
}

/* --------------------------------------------------------------- regions */

static cp_layout *solve_with(const cp_instance *inst, cp_scenario sc, int threads)
{
    cp_error err;
    cp_layout *lay;
    sc.solver.threads = threads;
    lay = cp_solve(inst, &sc, &err);
    assert_non_null(lay);
    return lay;
}

/* Parts of 400 schools and more are cut into regions of about 150, and
 * parts of 20 or more hand their loops to the team that runs the large
 * part beside them (all lowered from their defaults): the layout evaluates
 * clean, matches its own claims, and is the same on 1 and 2 threads. */
static void test_regions(void **state)
{
    cp_error err;
    cp_instance *inst = cp_generate(6000, 11, &err);
    cp_scenario sc;
    cp_layout *one, *two;
    cp_evaluation *ev;
    cp_distance_ctx *dist;
    int i;
    (void)state;
    assert_non_null(inst);
    cp_scenario_defaults(&sc);
    sc.distance_max = 10;
    sc.solver.method = CP_METHOD_HEURISTIC;
    sc.solver.time_limit = 0; /* a limit that binds (valgrind is slow) may differ by thread count */
    sc.solver.effort = 0.25;  /* quick: the regions and threads are what is tested, not the search */
    sc.solver.bound_rounds = 20;
    sc.solver.region_from = 400;
    sc.solver.region_schools = 150;
    sc.solver.team_loops_from = 20;
    two = solve_with(inst, sc, 2);
    one = solve_with(inst, sc, 1);
    assert_true(two->info.largest_part >= 400); /* regions were cut */
    for (i = 0; i < inst->n_schools; i++)
        assert_int_equal(one->cluster_of[i] < 0 ? -1 : one->centre[one->cluster_of[i]],
                         two->cluster_of[i] < 0 ? -1 : two->centre[two->cluster_of[i]]);
    /* the large part's bound, valued on every thread, is the same too */
    assert_true(isnan(one->info.bound) == isnan(two->info.bound));
    assert_true(isnan(one->info.bound) || one->info.bound == two->info.bound);
    print_message("    regions: objective %.3f, bound %.3f on 1 and 2 threads\n", two->info.objective,
                  two->info.bound);
    dist = cp_distance_new(inst, &err);
    ev = cp_evaluate(inst, &sc, two, dist, &err);
    assert_non_null(ev);
    assert_int_equal(ev->n_violations, 0);
    assert_int_equal(ev->ind.unassigned, two->info.unassigned);
    assert_float_equal(ev->ind.objective, two->info.objective, 1e-6 * fmax(1.0, ev->ind.objective));
    cp_evaluation_free(ev);
    cp_distance_free(dist);
    cp_layout_free(one);
    cp_layout_free(two);
    cp_instance_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sizes_admin_quality),
        cmocka_unit_test(test_capacity_and_limits),
        cmocka_unit_test(test_required_forbidden_costs),
        cmocka_unit_test(test_fixed_count),
        cmocka_unit_test(test_regions),
        cmocka_unit_test(test_bound_threads),
        cmocka_unit_test(test_bound_pruning),
        cmocka_unit_test(test_bound_coordinate_ascent),
        cmocka_unit_test(test_bound_cut_short),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
