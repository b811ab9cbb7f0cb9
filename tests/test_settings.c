/*
 * test_settings.c — the one settings struct: cp_settings_default fills
 * every knob, cp_settings_check and cp_scenario_check refuse each setting
 * out of range with a message that names it, and cp_solve checks both
 * before it runs, so no caller can solve under rules that cannot hold.
 */
#include "testutil.h"

static void test_defaults_pass(void **state)
{
    cp_settings set;
    cp_scenario sc;
    cp_error err;
    (void)state;
    cp_settings_default(&set);
    assert_int_equal(cp_settings_check(&set, &err), CP_OK);
    assert_int_equal(set.method, CP_METHOD_AUTO);
    assert_int_equal(set.bound_rounds, 400);
    assert_int_equal(set.region_from, 5000);
    assert_int_equal(set.auto_milp_columns, 20000);
    assert_int_equal(set.check_plant_mismatch, 0);
    cp_scenario_defaults(&sc);
    assert_int_equal(cp_scenario_check(&sc, NULL, &err), CP_OK);
    assert_memory_equal(&sc.solver, &set, sizeof set); /* the scenario's are the same defaults */
}

static void spoil_time(cp_settings *s) { s->time_limit = -1; }
static void spoil_threads(cp_settings *s) { s->threads = -2; }
static void spoil_gap(cp_settings *s) { s->gap = 2; }
static void spoil_effort(cp_settings *s) { s->effort = -1; }
static void spoil_rounds(cp_settings *s) { s->bound_rounds = 0; }
static void spoil_method(cp_settings *s) { s->method = (cp_method)7; }
static void spoil_region(cp_settings *s) { s->region_schools = 0; }
static void spoil_nan_time(cp_settings *s) { s->time_limit = NAN; }

/* Each bad setting is refused, and the message names it. */
static void test_settings_refused(void **state)
{
    static const struct {
        void (*spoil)(cp_settings *);
        const char *named;
    } cases[] = {{spoil_time, "time limit"},   {spoil_threads, "threads"},
                 {spoil_gap, "gap"},           {spoil_effort, "effort"},
                 {spoil_rounds, "bound rounds"}, {spoil_method, "solver method"},
                 {spoil_region, "threshold"},  {spoil_nan_time, "time limit"}};
    size_t k;
    (void)state;
    for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        cp_settings set;
        cp_error err;
        cp_settings_default(&set);
        cases[k].spoil(&set);
        cp_error_clear(&err);
        assert_int_equal(cp_settings_check(&set, &err), CP_EINPUT);
        if (!strstr(err.message, cases[k].named))
            fail_msg("case %zu: \"%s\" does not name %s", k, err.message, cases[k].named);
    }
}

/* cp_solve checks the scenario first: size min above max is an input
 * error naming both, and no layout is returned. */
static void test_solve_checks_first(void **state)
{
    cp_error err;
    cp_scenario sc;
    cp_instance *inst = cp_generate(200, 3, &err);
    (void)state;
    assert_non_null(inst);
    cp_scenario_defaults(&sc);
    sc.size_min = 6;
    sc.size_max = 4;
    cp_error_clear(&err);
    assert_null(cp_solve(inst, &sc, &err));
    assert_int_equal(err.code, CP_EINPUT);
    assert_non_null(strstr(err.message, "size min 6 above max 4"));
    cp_scenario_defaults(&sc);
    sc.solver.bound_rounds = 0;
    assert_null(cp_solve(inst, &sc, &err));
    assert_int_equal(err.code, CP_EINPUT);
    assert_non_null(strstr(err.message, "bound rounds 0"));
    cp_instance_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_pass), cmocka_unit_test(test_settings_refused),
        cmocka_unit_test(test_solve_checks_first)};
    return cmocka_run_group_tests_name("settings", tests, NULL, NULL);
}
