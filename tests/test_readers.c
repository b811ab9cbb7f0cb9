/*
 * test_readers.c — every reader on valid input (values read exactly) and on
 * every pathological input in tests/data/bad (one cmocka test per file,
 * asserting that the message names the file, line, element and attribute),
 * and the solution round trip: read -> write -> read gives the same layout.
 */
#include "testutil.h"

#define BAD "tests/data/bad/"
#define GOOD "tests/data/good/"

typedef struct {
    char file[128];
    char reader[16];
    int line;
    char expect[8][128];
    int n_expect;
} bad_case;

static cp_code read_bad(const bad_case *c, cp_error *err)
{
    char path[256];
    cp_scenario sc;
    cp_warnings w = {0, 0, NULL};
    cp_code rc = CP_OK;
    snprintf(path, sizeof path, BAD "%s", c->file);
    cp_scenario_defaults(&sc);
    if (!strcmp(c->reader, "scenario")) {
        rc = cp_read_scenario(path, &sc, err);
    } else if (!strcmp(c->reader, "candidates")) {
        cp_candidate_set *set = cp_read_candidates(path, err);
        rc = set ? CP_OK : err->code;
        cp_candidate_set_free(set);
    } else if (!strcmp(c->reader, "rubric")) {
        cp_rubric *rub = cp_read_rubric(path, err);
        rc = rub ? CP_OK : err->code;
        cp_rubric_free(rub);
    } else if (!strcmp(c->reader, "solution")) {
        cp_instance *inst = load_instance(GOOD "hand.xml");
        cp_layout *lay;
        assert_non_null(inst);
        lay = cp_read_solution(path, inst, err);
        rc = lay ? CP_OK : err->code;
        cp_layout_free(lay);
        cp_instance_free(inst);
    } else {
        cp_instance *inst;
        if (!strcmp(c->reader, "gis-tsc")) {
            assert_int_equal(cp_scenario_map_field(&sc, "teachers=TSC", err), CP_OK);
            assert_int_equal(cp_scenario_map_field(&sc, "id=school_id", err), CP_OK);
        }
        inst = cp_read_instance(path, !strcmp(c->reader, "gis-tsc") ? &sc : NULL, &w, err);
        rc = inst ? CP_OK : err->code;
        cp_instance_free(inst);
    }
    cp_scenario_clear(&sc);
    cp_warnings_free(&w);
    return rc;
}

static void test_bad_input(void **state)
{
    const bad_case *c = *state;
    cp_error err;
    char where[300];
    int k;
    cp_error_clear(&err);
    assert_int_equal(read_bad(c, &err), CP_EINPUT);
    if (!strncmp(c->reader, "gis", 3)) { /* a GIS layer's errors name the feature */
        snprintf(where, sizeof where, "feature %d", c->line);
        if (c->line >= 0 && !strstr(err.message, where))
            fail_msg("%s: message does not name feature %d: %s", c->file, c->line, err.message);
    } else {
        snprintf(where, sizeof where, "%s:%d:", c->file, c->line);
        if (c->line > 0 && !strstr(err.message, where))
            fail_msg("%s: message does not name line %d: %s", c->file, c->line, err.message);
    }
    for (k = 0; k < c->n_expect; k++)
        if (!strstr(err.message, c->expect[k]))
            fail_msg("%s: message lacks \"%s\": %s", c->file, c->expect[k], err.message);
}

static int parse_manifest(bad_case **out)
{
    FILE *f = fopen(BAD "MANIFEST", "r");
    char line[1024];
    int n = 0, cap = 256;
    bad_case *cases = calloc((size_t)cap, sizeof *cases);
    if (!f || !cases)
        return -1;
    while (fgets(line, sizeof line, f)) {
        bad_case *c = &cases[n];
        char *tok, *save;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if (n == cap)
            break;
        tok = strtok_r(line, " \t\n", &save);
        snprintf(c->file, sizeof c->file, "%s", tok);
        snprintf(c->reader, sizeof c->reader, "%s", strtok_r(NULL, " \t\n", &save));
        c->line = atoi(strtok_r(NULL, " \t\n", &save));
        while ((tok = strtok_r(NULL, " \t\n", &save)) && c->n_expect < 8) {
            char *u;
            snprintf(c->expect[c->n_expect], sizeof c->expect[0], "%s", tok);
            for (u = c->expect[c->n_expect]; *u; u++)
                if (*u == '_')
                    *u = ' ';
            c->n_expect++;
        }
        n++;
    }
    fclose(f);
    *out = cases;
    return n;
}

/* ---------------------------------------------------------- valid inputs */

static void test_native_values(void **state)
{
    cp_instance *inst = load_instance(GOOD "hand.xml");
    const cp_school *a, *h;
    (void)state;
    assert_non_null(inst);
    assert_int_equal(inst->n_schools, 8);
    assert_int_equal(inst->distance, CP_DIST_EUCLIDEAN);
    a = &inst->schools[cp_instance_find(inst, "A")];
    assert_string_equal(a->name, "Alpha & Sons");
    assert_true(a->quality == 0.9 && a->teachers == 10 && a->existing_centre);
    assert_string_equal(a->cluster, "K1");
    assert_int_equal(inst->admin_levels_present, 2);
    h = &inst->schools[cp_instance_find(inst, "H")];
    assert_int_equal(h->centre, CP_CENTRE_REQUIRED);
    assert_true(isnan(inst->schools[1].quality));
    assert_true(inst->schools[1].teachers == 5 && inst->schools[1].host == 1);
    assert_int_equal(a->admin[0], inst->schools[6].admin[0]);
    assert_int_not_equal(a->admin[1], inst->schools[3].admin[1]);
    assert_int_equal(a->line, 5);
    cp_instance_free(inst);
}

static void test_gml32_mapping(void **state)
{
    static const char *const maps[] = {"id=code", "teachers=TSC_TEACHERS", "admin1=county", NULL};
    cp_warnings w = {0, 0, NULL};
    cp_instance *inst = load_mapped(GOOD "layer.gml", maps, &w);
    (void)state;
    assert_non_null(inst);
    assert_int_equal(inst->n_schools, 2);
    assert_int_equal(inst->distance, CP_DIST_HAVERSINE);
    /* a layer's schools come in the natural order of their ids (M1, N1),
     * not the file's (N1, M1) */
    assert_string_equal(inst->schools[0].id, "M1");
    assert_string_equal(inst->schools[1].id, "N1");
    assert_string_equal(inst->schools[1].name, "Nairobi & Co");
    /* EPSG::4326 in GML 3.2: pos is lat lon */
    assert_true(inst->schools[1].y == -1.2921 && inst->schools[1].x == 36.8219);
    assert_true(inst->schools[1].teachers == 12);
    assert_true(inst->schools[0].teachers == 1); /* empty -> default */
    assert_string_equal(inst->schools[0].admin_name[0], "Mombasa");
    assert_int_equal(w.count, 1);
    assert_non_null(strstr(w.items[0], "empty teachers"));
    cp_warnings_free(&w);
    cp_instance_free(inst);
}

static void test_gml2_and_projected(void **state)
{
    cp_instance *g2 = load_instance(GOOD "layer2.gml");
    cp_instance *pr = load_instance(GOOD "projected.gml");
    cp_distance_ctx *d;
    (void)state;
    assert_non_null(g2);
    assert_non_null(pr);
    /* EPSG:4326 (GML 2): coordinates are lon,lat */
    assert_string_equal(g2->schools[0].id, "M1"); /* ids in natural order */
    assert_true(g2->schools[0].x == 39.6682 && g2->schools[0].y == -4.0435);
    assert_true(g2->schools[0].teachers == 7);
    /* UTM 37S through PROJ: WGS 84 lon/lat and haversine km, whatever the
     * source's CRS.  The points are 3 km east and 4 km north apart on the
     * grid: 5.002 km on the ellipsoid at the zone's scale factor 0.9996,
     * and 5.018 km by haversine on SPEC's sphere of 6,371 km (within 0.5 %) */
    assert_int_equal(pr->distance, CP_DIST_HAVERSINE);
    assert_string_equal(pr->units, "km");
    assert_string_equal(pr->schools[0].id, "schools.0"); /* gml:id fallback */
    assert_true(fabs(pr->schools[0].x - 39.0) < 1e-9); /* the zone's central meridian */
    assert_true(pr->schools[0].y < 0 && pr->schools[0].y > -2);
    d = cp_distance_new(pr, NULL);
    assert_true(fabs(cp_distance(d, 0, 1) / 5.002 - 1.0) < 0.005);
    cp_distance_free(d);
    cp_instance_free(g2);
    cp_instance_free(pr);
}

static void test_kml(void **state)
{
    static const char *const maps[] = {"id=code", "cluster=zone", NULL};
    cp_warnings w = {0, 0, NULL};
    cp_instance *inst = load_mapped(GOOD "layer.kml", maps, &w);
    (void)state;
    assert_non_null(inst);
    assert_int_equal(inst->n_schools, 2);
    assert_string_equal(inst->schools[0].name, "TAMBAYA SEC & SCH");
    assert_true(inst->schools[0].x == 37.019456 && inst->schools[0].y == -0.524287);
    assert_true(inst->schools[0].teachers == 16 && inst->schools[1].teachers == 1);
    assert_string_equal(inst->schools[0].cluster, "Z1");
    assert_null(inst->schools[1].cluster);
    assert_string_equal(inst->schools[1].id, "A2");
    cp_warnings_free(&w);
    cp_instance_free(inst);
}

static void test_scenario_values(void **state)
{
    cp_scenario sc;
    cp_error err;
    (void)state;
    cp_scenario_defaults(&sc);
    assert_int_equal(cp_read_scenario(GOOD "hand-scenario.xml", &sc, &err), CP_OK);
    assert_string_equal(sc.name, "hand");
    assert_true(sc.capacity == 15 && sc.distance_max == 8 && sc.min_quality == 0.6);
    assert_int_equal(sc.admin_level, 2);
    assert_true(sc.cluster_cost == 100 && sc.quality_reward == 10 && sc.has_costs);
    assert_true(sc.cost_per_km == 0.5 && sc.meetings_per_year == 10 && sc.host_stipend == 20);
    assert_int_equal(sc.size_min, 3);
    assert_int_equal(sc.cluster_count, 0);
    cp_scenario_clear(&sc);
}

static void test_defaults(void **state)
{
    cp_scenario sc;
    (void)state;
    cp_scenario_defaults(&sc);
    assert_int_equal(sc.size_min, 3);
    assert_int_equal(sc.size_max, 7);
    assert_true(isinf(sc.capacity) && isinf(sc.distance_max));
    assert_int_equal(sc.weight, CP_WEIGHT_TEACHERS);
    assert_int_equal(sc.solver.method, CP_METHOD_AUTO);
    assert_int_equal(sc.admin_level, 0);
}

static void test_round_trip(void **state)
{
    cp_instance *inst = load_instance(GOOD "hand.xml");
    cp_scenario sc;
    cp_error err;
    cp_layout *a, *b;
    char out[256];
    int i, c;
    (void)state;
    cp_scenario_defaults(&sc);
    a = cp_read_solution(GOOD "hand-solution.xml", inst, &err);
    assert_non_null(a);
    temp_path(out, sizeof out, "round.xml");
    assert_int_equal(cp_write_solution(out, inst, &sc, a, NULL, &err), CP_OK);
    b = cp_read_solution(out, inst, &err);
    assert_non_null(b);
    assert_int_equal(a->n_clusters, b->n_clusters);
    for (c = 0; c < a->n_clusters; c++) {
        assert_string_equal(a->label[c], b->label[c]);
        assert_int_equal(a->centre[c], b->centre[c]);
    }
    for (i = 0; i < inst->n_schools; i++) {
        assert_int_equal(a->cluster_of[i], b->cluster_of[i]);
        assert_true((a->reason[i] == NULL) == (b->reason[i] == NULL));
        if (a->reason[i])
            assert_string_equal(a->reason[i], b->reason[i]);
    }
    assert_int_equal(b->info.status, CP_STATUS_FEASIBLE);
    assert_true(b->info.objective == 254);
    unlink(out);
    cp_layout_free(a);
    cp_layout_free(b);
    cp_instance_free(inst);
}

static void test_detect(void **state)
{
    cp_error err;
    (void)state;
    assert_int_equal(cp_detect_file(GOOD "hand.xml", &err), CP_FILE_INSTANCE);
    assert_int_equal(cp_detect_file(GOOD "hand-scenario.xml", &err), CP_FILE_SCENARIO);
    assert_int_equal(cp_detect_file(GOOD "hand-solution.xml", &err), CP_FILE_SOLUTION);
    assert_int_equal(cp_detect_file(GOOD "layer.kml", &err), CP_FILE_GIS);
    assert_int_equal(cp_detect_file(GOOD "layer.gml", &err), CP_FILE_GIS);
    assert_int_equal(cp_detect_file(BAD "inst-wrong-root.xml", &err), CP_FILE_UNKNOWN);
    assert_non_null(strstr(err.message, "schools"));
}

static void test_missing_file(void **state)
{
    cp_error err;
    (void)state;
    assert_null(cp_read_instance("tests/data/no-such-file.xml", NULL, NULL, &err));
    assert_int_equal(err.code, CP_EINPUT);
    assert_non_null(strstr(err.message, "no-such-file.xml"));
}

/* The real exports in ../shared/data, when present. */
static void test_shared_kenya_gml(void **state)
{
    static const char *const maps[] = {"id=school_id", "admin1=county", "admin2=district",
                                       "admin3=zone", NULL};
    const char *path = SHARED "/data/kenya-schools-2016.gml";
    cp_warnings w = {0, 0, NULL};
    cp_instance *inst;
    (void)state;
    if (!have_file(path))
        skip();
    inst = load_mapped(path, maps, &w);
    assert_non_null(inst);
    assert_int_equal(inst->n_schools, 29542);
    assert_string_equal(inst->schools[0].id, "1");
    assert_string_equal(inst->schools[0].name, "BAKWANIN");
    assert_true(inst->schools[0].y == 0.40955 && inst->schools[0].x == 35.79708);
    assert_string_equal(inst->schools[0].admin_name[2], "Kabasis");
    assert_int_equal(inst->admin_levels_present, 3);
    cp_warnings_free(&w);
    cp_instance_free(inst);
}

static void test_shared_kenya_kml(void **state)
{
    static const char *const maps[] = {"id=code", NULL};
    const char *path = SHARED "/data/kenya-secondary-2007.kml";
    cp_warnings w = {0, 0, NULL};
    cp_instance *inst;
    (void)state;
    if (!have_file(path))
        skip();
    inst = load_mapped(path, maps, &w);
    assert_non_null(inst);
    assert_int_equal(inst->n_schools, 6494);
    assert_string_equal(inst->schools[0].id, "A2050004");
    assert_string_equal(inst->schools[0].name, "TAMBAYA SEC SCH");
    assert_true(inst->schools[0].x == 37.019456 && inst->schools[0].y == -0.524287);
    assert_true(inst->schools[0].teachers == 16 && inst->schools[0].enrolment == 352);
    cp_warnings_free(&w);
    cp_instance_free(inst);
}

int main(void)
{
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_native_values),      cmocka_unit_test(test_gml32_mapping),
        cmocka_unit_test(test_gml2_and_projected), cmocka_unit_test(test_kml),
        cmocka_unit_test(test_scenario_values),    cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_round_trip),         cmocka_unit_test(test_detect),
        cmocka_unit_test(test_missing_file),       cmocka_unit_test(test_shared_kenya_gml),
        cmocka_unit_test(test_shared_kenya_kml)};
    size_t n_fixed = sizeof fixed / sizeof *fixed, k;
    bad_case *cases = NULL;
    int n_bad = parse_manifest(&cases), rc;
    struct CMUnitTest *tests;
    if (n_bad < 0) {
        fprintf(stderr, "cannot read " BAD "MANIFEST (run from the repository root)\n");
        return 1;
    }
    tests = calloc(n_fixed + (size_t)n_bad, sizeof *tests);
    memcpy(tests, fixed, sizeof fixed);
    for (k = 0; k < (size_t)n_bad; k++) {
        struct CMUnitTest t = {cases[k].file, test_bad_input, NULL, NULL, &cases[k]};
        tests[n_fixed + k] = t;
    }
    rc = _cmocka_run_group_tests("readers", tests, n_fixed + (size_t)n_bad, NULL, NULL);
    free(tests);
    free(cases);
    return rc;
}
