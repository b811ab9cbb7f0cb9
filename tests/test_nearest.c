/*
 * test_nearest.c — the national-scale restriction of the candidates
 * (each school's k nearest admissible centres, found by the ring search):
 * on generated countries every school's capped list must be exactly the
 * first k of its full sorted list (ties by centre index), and a heuristic
 * solve on it must evaluate clean and claim neither a bound nor optimality.
 */
#include "testutil.h"
#include "solver/solve/solve.h"

static void check_prefixes(const cp_instance *inst, const cp_scenario *sc, int k)
{
    cp_error err;
    cp_distance_ctx *d = cp_distance_new(inst, &err);
    cp_scenario full_sc = *sc, capped_sc = *sc;
    cp_candidates *full, *capped;
    int i, p, checked = 0;
    full_sc.solver.method = CP_METHOD_MILP; /* never capped */
    capped_sc.solver.method = CP_METHOD_HEURISTIC;
    full_sc.solver.nearest_count = capped_sc.solver.nearest_count = k;
    full_sc.solver.nearest_from = capped_sc.solver.nearest_from = 1;
    full = cp_candidates_build(inst, &full_sc, d, &err);
    capped = cp_candidates_build(inst, &capped_sc, d, &err);
    assert_non_null(full);
    assert_non_null(capped);
    assert_true(capped->capped == k);
    for (i = 0; i < inst->n_schools; i++) {
        int nf = full->start[i + 1] - full->start[i], nc = capped->start[i + 1] - capped->start[i];
        assert_int_equal(nc, nf < k ? nf : k);
        for (p = 0; p < nc; p++) {
            assert_int_equal(capped->centre[capped->start[i] + p], full->centre[full->start[i] + p]);
            assert_float_equal(capped->dist[capped->start[i] + p], full->dist[full->start[i] + p], 0);
        }
        checked += nf > k;
    }
    assert_true(checked > 100); /* the cap did bite */
    cp_candidates_free(full);
    cp_candidates_free(capped);
    cp_distance_free(d);
}

static void base_scenario(cp_scenario *sc)
{
    cp_scenario_defaults(sc);
    sc->distance_max = 10;
    sc->admin_level = 2;
    sc->min_quality = 0.6;
    sc->solver.threads = 2;
}

static void test_prefix_of_full_lists(void **state)
{
    cp_error err;
    cp_scenario sc;
    cp_instance *inst = cp_generate(4000, 7, &err);
    (void)state;
    assert_non_null(inst);
    base_scenario(&sc);
    check_prefixes(inst, &sc, 8);
    check_prefixes(inst, &sc, 3);
    sc.admin_level = 0;
    check_prefixes(inst, &sc, 12);
    cp_instance_free(inst);
}

static void test_capped_solve(void **state)
{
    cp_error err;
    cp_scenario sc;
    cp_instance *inst = cp_generate(3000, 3, &err);
    cp_distance_ctx *d;
    cp_layout *lay;
    cp_evaluation *ev;
    (void)state;
    base_scenario(&sc);
    sc.solver.method = CP_METHOD_HEURISTIC;
    sc.solver.nearest_count = 6;
    sc.solver.nearest_from = 1000;
    lay = cp_solve(inst, &sc, &err);
    assert_non_null(lay);
    assert_int_equal(lay->info.nearest_cap, 6);
    assert_true(lay->info.status != CP_STATUS_OPTIMAL);
    assert_true(isnan(lay->info.bound));
    d = cp_distance_new(inst, &err);
    ev = cp_evaluate(inst, &sc, lay, d, &err);
    assert_non_null(ev);
    assert_int_equal(ev->n_violations, 0);
    assert_float_equal(ev->ind.objective, lay->info.objective, 1e-6 * fabs(lay->info.objective));
    cp_evaluation_free(ev);
    cp_distance_free(d);
    cp_layout_free(lay);
    cp_instance_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_prefix_of_full_lists),
                                       cmocka_unit_test(test_capped_solve)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
