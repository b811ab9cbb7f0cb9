/*
 * test_evaluate.c — the independent evaluator: every indicator on the
 * hand-computed example (tests/data/good/hand*.xml; arithmetic in the
 * comments), and one test per violation kind on tiny layouts.
 */
#include "testutil.h"

#define GOOD "tests/data/good/"

static cp_evaluation *evaluate_files(const char *inst_path, const char *sc_path,
                                     const char *sol_path, cp_instance **inst_out,
                                     cp_layout **lay_out)
{
    cp_scenario sc;
    cp_error err;
    cp_instance *inst = load_instance(inst_path);
    cp_distance_ctx *d;
    cp_evaluation *ev;
    cp_scenario_defaults(&sc);
    assert_non_null(inst);
    if (sc_path)
        assert_int_equal(cp_read_scenario(sc_path, &sc, &err), CP_OK);
    *lay_out = sol_path ? cp_read_solution(sol_path, inst, &err)
                        : cp_layout_existing(inst, 0, NULL, &err);
    assert_non_null(*lay_out);
    d = cp_distance_new(inst, &err);
    ev = cp_evaluate(inst, &sc, *lay_out, d, &err);
    assert_non_null(ev);
    cp_distance_free(d);
    cp_scenario_clear(&sc);
    *inst_out = inst;
    return ev;
}

static int count_kind(const cp_evaluation *ev, cp_violation_kind kind)
{
    int k, n = 0;
    for (k = 0; k < ev->n_violations; k++)
        n += ev->violations[k].kind == kind;
    return n;
}

static const cp_violation *find_kind(const cp_evaluation *ev, cp_violation_kind kind)
{
    int k;
    for (k = 0; k < ev->n_violations; k++)
        if (ev->violations[k].kind == kind)
            return &ev->violations[k];
    return NULL;
}

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void test_hand_indicators(void **state)
{
    cp_instance *inst;
    cp_layout *lay;
    cp_evaluation *ev = evaluate_files(GOOD "hand.xml", GOOD "hand-scenario.xml",
                                       GOOD "hand-solution.xml", &inst, &lay);
    const cp_indicators *ind = &ev->ind;
    (void)state;
    assert_int_equal(ind->clusters, 2);
    assert_int_equal(ind->assigned, 6);
    assert_int_equal(ind->unassigned, 2);           /* G and H */
    assert_int_equal(ind->size_min, 3);
    assert_int_equal(ind->size_max, 3);
    NEAR(ind->size_median, 3);
    /* non-centre members: B 5, C 10, E 3, F 5 */
    NEAR(ind->dist_mean, 23.0 / 4);
    NEAR(ind->dist_median, 5.0);                    /* (5 + 5) / 2 */
    NEAR(ind->dist_p90, 10.0);                      /* nearest rank ceil(3.6) = 4 */
    NEAR(ind->dist_max, 10.0);
    NEAR(ind->travel_weighted, 5 * 5 + 2 * 10 + 6 * 3 + 1 * 5); /* 68 */
    NEAR(ind->share_within_limit, 5.0 / 6);         /* C at 10 > 8 */
    assert_int_equal(ind->centres_meeting_quality, 1); /* A 0.9 >= 0.6; D 0.5 not */
    NEAR(ind->mean_centre_quality, 0.7);
    assert_int_equal(ind->clusters_crossing_admin, 1); /* K2: F is in X3 */
    assert_int_equal(ind->admin_level_checked, 2);
    NEAR(ind->objective, 68 + 100 * 2 - 10 * (0.9 + 0.5)); /* 254 */
    NEAR(ind->annual_cost, 10 * (2 * 0.5 * 68 + 20 * 2));  /* 1080 */
    NEAR(ev->distance[cp_instance_find(inst, "C")], 10.0);
    assert_true(isnan(ev->distance[cp_instance_find(inst, "G")]));
    NEAR(ev->cluster_teachers[0], 17);
    NEAR(ev->cluster_travel[0], 5 * 5 + 2 * 10);
    /* the solution's own claim matches the recomputation */
    NEAR(lay->info.objective, ind->objective);
    cp_evaluation_free(ev);
    cp_layout_free(lay);
    cp_instance_free(inst);
}

/* The cost objective on the same layout: meetings x 2 x per-km x the
 * teacher-km, plus (meetings x stipend + cluster cost) per cluster, less
 * the quality reward; the annual cost split the same way. */
static void test_hand_cost_objective(void **state)
{
    cp_scenario sc;
    cp_error err;
    cp_instance *inst = load_instance(GOOD "hand.xml");
    cp_layout *lay;
    cp_distance_ctx *d;
    cp_evaluation *ev;
    (void)state;
    cp_scenario_defaults(&sc);
    assert_int_equal(cp_read_scenario(GOOD "hand-scenario.xml", &sc, &err), CP_OK);
    assert_int_equal(cp_scenario_objective(&sc), CP_OBJECTIVE_TRAVEL); /* kind="travel" */
    sc.objective = CP_OBJECTIVE_DEFAULT;
    assert_int_equal(cp_scenario_objective(&sc), CP_OBJECTIVE_COST);   /* <costs> given */
    lay = cp_read_solution(GOOD "hand-solution.xml", inst, &err);
    assert_non_null(lay);
    d = cp_distance_new(inst, &err);
    ev = cp_evaluate(inst, &sc, lay, d, &err);
    assert_non_null(ev);
    NEAR(ev->ind.objective, 10 * 2 * 0.5 * 68 + (10 * 20 + 100) * 2 - 10 * (0.9 + 0.5)); /* 1266 */
    NEAR(ev->ind.annual_travel_cost, 10 * 2 * 0.5 * 68);                             /* 680 */
    NEAR(ev->ind.annual_stipends, 10 * 20 * 2);                                       /* 400 */
    NEAR(ev->ind.annual_cost, 1080);
    sc.has_costs = 0;
    sc.objective = CP_OBJECTIVE_COST;
    assert_int_equal(cp_scenario_check(&sc, NULL, &err), CP_EINPUT); /* cost needs <costs> */
    assert_non_null(strstr(err.message, "objective cost"));
    cp_evaluation_free(ev);
    cp_distance_free(d);
    cp_layout_free(lay);
    cp_scenario_clear(&sc);
    cp_instance_free(inst);
}

static void test_hand_violations(void **state)
{
    cp_instance *inst;
    cp_layout *lay;
    cp_evaluation *ev = evaluate_files(GOOD "hand.xml", GOOD "hand-scenario.xml",
                                       GOOD "hand-solution.xml", &inst, &lay);
    const cp_violation *v;
    (void)state;
    assert_int_equal(ev->n_violations, 5);
    v = find_kind(ev, CP_V_CAPACITY);
    assert_non_null(v);
    assert_string_equal(lay->label[v->cluster], "K1");
    NEAR(v->value, 17);
    NEAR(v->limit, 15);
    v = find_kind(ev, CP_V_DISTANCE);
    assert_non_null(v);
    assert_string_equal(inst->schools[v->school].id, "C");
    NEAR(v->value, 10);
    NEAR(v->limit, 8);
    v = find_kind(ev, CP_V_CENTRE_INELIGIBLE);
    assert_non_null(v);
    assert_string_equal(inst->schools[v->school].id, "D");
    v = find_kind(ev, CP_V_ADMIN);
    assert_non_null(v);
    assert_string_equal(inst->schools[v->school].id, "F");
    v = find_kind(ev, CP_V_REQUIRED_CENTRE);
    assert_non_null(v);
    assert_string_equal(inst->schools[v->school].id, "H");
    cp_evaluation_free(ev);
    cp_layout_free(lay);
    cp_instance_free(inst);
}

/* ------------------------------------------------ violation kinds, tiny */

static const char line_instance[] =
    "<instance distance=\"euclidean\">"
    "<school id=\"a\" x=\"0\" y=\"0\" cluster=\"P\"/>"
    "<school id=\"b\" x=\"1\" y=\"0\" cluster=\"P\"/>"
    "<school id=\"c\" x=\"2\" y=\"0\" cluster=\"P\" existing-centre=\"true\"/>"
    "<school id=\"d\" x=\"3\" y=\"0\" cluster=\"Q\" existing-centre=\"true\"/>"
    "<school id=\"e\" x=\"4\" y=\"0\" cluster=\"Q\" existing-centre=\"true\"/>"
    "<school id=\"f\" x=\"9\" y=\"0\" cluster=\"Q\" host=\"false\"/>"
    "</instance>";

static cp_evaluation *eval_text(const char *instance, const char *solution,
                                const cp_scenario *sc, cp_instance **inst, cp_layout **lay)
{
    cp_error err;
    cp_distance_ctx *d;
    cp_evaluation *ev;
    *inst = cp_read_instance_memory(instance, strlen(instance), "tiny", NULL, NULL, &err);
    assert_non_null(*inst);
    *lay = solution ? cp_read_solution_memory(solution, strlen(solution), "sol", *inst, &err)
                    : cp_layout_existing(*inst, 0, NULL, &err);
    if (!*lay)
        fail_msg("%s", err.message);
    d = cp_distance_new(*inst, &err);
    ev = cp_evaluate(*inst, sc, *lay, d, &err);
    assert_non_null(ev);
    cp_distance_free(d);
    return ev;
}

static void check_kind(const char *instance, const char *solution, const cp_scenario *sc,
                       cp_violation_kind kind, const char *cluster, const char *school)
{
    cp_instance *inst;
    cp_layout *lay;
    cp_evaluation *ev = eval_text(instance, solution, sc, &inst, &lay);
    const cp_violation *v = find_kind(ev, kind);
    if (!v)
        fail_msg("no %s violation", cp_violation_name(kind));
    if (cluster)
        assert_string_equal(lay->label[v->cluster], cluster);
    if (school)
        assert_string_equal(inst->schools[v->school].id, school);
    assert_int_equal(count_kind(ev, kind), 1);
    cp_evaluation_free(ev);
    cp_layout_free(lay);
    cp_instance_free(inst);
}

static void test_no_centre(void **state)
{
    cp_scenario sc;
    cp_instance *inst;
    cp_layout *lay;
    cp_evaluation *ev;
    const char *no_centres = "<instance distance=\"euclidean\">"
                             "<school id=\"a\" x=\"0\" y=\"0\" cluster=\"P\"/>"
                             "<school id=\"b\" x=\"1\" y=\"0\" cluster=\"P\"/>"
                             "<school id=\"c\" x=\"5\" y=\"0\" cluster=\"P\"/>"
                             "</instance>";
    (void)state;
    cp_scenario_defaults(&sc);
    check_kind(no_centres, NULL, &sc, CP_V_NO_CENTRE, "P", NULL);
    /* the implied centre is the medoid: b (1 + 0 + 4 = 5) beats a (6) and c (9) */
    ev = eval_text(no_centres, NULL, &sc, &inst, &lay);
    assert_int_equal(ev->centre_used[0], cp_instance_find(inst, "b"));
    assert_int_equal(ev->ind.implied_centres, 1);
    NEAR(ev->ind.travel, 5.0);
    cp_evaluation_free(ev);
    cp_layout_free(lay);
    cp_instance_free(inst);
}

static void test_several_centres(void **state)
{
    cp_scenario sc;
    (void)state;
    cp_scenario_defaults(&sc);
    check_kind(line_instance, NULL, &sc, CP_V_SEVERAL_CENTRES, "Q", "d");
}

static void test_centre_not_member(void **state)
{
    cp_scenario sc;
    (void)state;
    cp_scenario_defaults(&sc);
    check_kind(line_instance,
               "<solution><cluster id=\"K\" centre=\"a\"><member school=\"b\"/>"
               "<member school=\"c\"/></cluster></solution>",
               &sc, CP_V_CENTRE_NOT_MEMBER, "K", "a");
}

static void test_centre_ineligible(void **state)
{
    cp_scenario sc;
    (void)state;
    cp_scenario_defaults(&sc);
    check_kind(line_instance,
               "<solution><cluster id=\"K\" centre=\"f\"><member school=\"f\"/>"
               "<member school=\"e\"/><member school=\"d\"/></cluster></solution>",
               &sc, CP_V_CENTRE_INELIGIBLE, "K", "f");
}

static void test_sizes(void **state)
{
    cp_scenario sc;
    (void)state;
    cp_scenario_defaults(&sc);
    sc.size_max = 3;
    check_kind(line_instance,
               "<solution><cluster id=\"S\" centre=\"a\"><member school=\"a\"/>"
               "<member school=\"b\"/></cluster></solution>",
               &sc, CP_V_SIZE_BELOW_MIN, "S", NULL);
    check_kind(line_instance,
               "<solution><cluster id=\"L\" centre=\"b\"><member school=\"a\"/>"
               "<member school=\"b\"/><member school=\"c\"/><member school=\"d\"/>"
               "</cluster></solution>",
               &sc, CP_V_SIZE_ABOVE_MAX, "L", NULL);
}

static void test_capacity_distance_admin(void **state)
{
    cp_scenario sc;
    const char *sol = "<solution><cluster id=\"K\" centre=\"d\"><member school=\"d\"/>"
                      "<member school=\"e\"/><member school=\"f\"/></cluster></solution>";
    (void)state;
    cp_scenario_defaults(&sc);
    sc.capacity = 2;
    check_kind(line_instance, sol, &sc, CP_V_CAPACITY, "K", NULL);
    cp_scenario_defaults(&sc);
    sc.distance_max = 5;
    check_kind(line_instance, sol, &sc, CP_V_DISTANCE, "K", "f");
}

static void test_admin(void **state)
{
    cp_scenario sc;
    const char *inst = "<instance distance=\"euclidean\">"
                       "<school id=\"a\" x=\"0\" y=\"0\" admin1=\"N\" admin2=\"n1\"/>"
                       "<school id=\"b\" x=\"1\" y=\"0\" admin1=\"N\" admin2=\"n1\"/>"
                       "<school id=\"c\" x=\"2\" y=\"0\" admin1=\"S\" admin2=\"n1\"/>"
                       "</instance>";
    const char *sol = "<solution><cluster id=\"K\" centre=\"a\"><member school=\"a\"/>"
                      "<member school=\"b\"/><member school=\"c\"/></cluster></solution>";
    (void)state;
    cp_scenario_defaults(&sc);
    sc.admin_level = 2; /* n1 under N differs from n1 under S */
    check_kind(inst, sol, &sc, CP_V_ADMIN, "K", "c");
}

static void test_required_and_count(void **state)
{
    cp_scenario sc;
    const char *inst = "<instance distance=\"euclidean\">"
                       "<school id=\"a\" x=\"0\" y=\"0\"/>"
                       "<school id=\"b\" x=\"1\" y=\"0\" centre=\"required\"/>"
                       "<school id=\"c\" x=\"2\" y=\"0\"/>"
                       "</instance>";
    const char *sol = "<solution><cluster id=\"K\" centre=\"a\"><member school=\"a\"/>"
                      "<member school=\"b\"/><member school=\"c\"/></cluster></solution>";
    (void)state;
    cp_scenario_defaults(&sc);
    check_kind(inst, sol, &sc, CP_V_REQUIRED_CENTRE, "K", "b");
    sc.cluster_count = 2;
    check_kind(inst, sol, &sc, CP_V_CLUSTER_COUNT, NULL, NULL);
}

static void test_duplicate_member(void **state)
{
    cp_scenario sc;
    (void)state;
    cp_scenario_defaults(&sc);
    check_kind(line_instance,
               "<solution><cluster id=\"K\" centre=\"a\"><member school=\"a\"/>"
               "<member school=\"b\"/><member school=\"c\"/></cluster>"
               "<cluster id=\"L\" centre=\"d\"><member school=\"d\"/><member school=\"b\"/>"
               "<member school=\"e\"/></cluster></solution>",
               &sc, CP_V_DUPLICATE_MEMBER, "K", "b");
}

static void test_unreachable_network(void **state)
{
    cp_scenario sc;
    const char *inst = "<instance distance=\"network\"><school id=\"p\"/><school id=\"q\"/>"
                       "<school id=\"t\"/><road from=\"p\" to=\"q\" length=\"1\"/></instance>";
    const char *sol = "<solution><cluster id=\"K\" centre=\"p\"><member school=\"p\"/>"
                      "<member school=\"q\"/><member school=\"t\"/></cluster></solution>";
    (void)state;
    cp_scenario_defaults(&sc);
    check_kind(inst, sol, &sc, CP_V_DISTANCE, "K", "t");
}

static void test_per_school_limit(void **state)
{
    cp_scenario sc;
    const char *inst = "<instance distance=\"euclidean\">"
                       "<school id=\"a\" x=\"0\" y=\"0\"/>"
                       "<school id=\"b\" x=\"3\" y=\"0\" max-distance=\"2\"/>"
                       "<school id=\"c\" x=\"4\" y=\"0\"/>"
                       "</instance>";
    const char *sol = "<solution><cluster id=\"K\" centre=\"a\"><member school=\"a\"/>"
                      "<member school=\"b\"/><member school=\"c\"/></cluster></solution>";
    (void)state;
    cp_scenario_defaults(&sc);
    sc.distance_max = 10; /* c (4) is fine; b's own limit of 2 is not */
    check_kind(inst, sol, &sc, CP_V_DISTANCE, "K", "b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_indicators),   cmocka_unit_test(test_hand_violations),
        cmocka_unit_test(test_hand_cost_objective),
        cmocka_unit_test(test_no_centre),         cmocka_unit_test(test_several_centres),
        cmocka_unit_test(test_centre_not_member), cmocka_unit_test(test_centre_ineligible),
        cmocka_unit_test(test_sizes),             cmocka_unit_test(test_capacity_distance_admin),
        cmocka_unit_test(test_admin),             cmocka_unit_test(test_required_and_count),
        cmocka_unit_test(test_duplicate_member),  cmocka_unit_test(test_unreachable_network),
        cmocka_unit_test(test_per_school_limit)};
    return cmocka_run_group_tests_name("evaluate", tests, NULL, NULL);
}
