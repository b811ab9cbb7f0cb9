/*
 * test_alloc.c — injected allocation failures.  For every reader, the
 * evaluator and the writer: make the k-th allocation fail, for every k
 * until the operation no longer allocates that many times.  Each failing
 * run must end in CP_ERESOURCE with a message (no crash), and leak nothing
 * (checked when `make check` runs this under ASan/LeakSanitizer).
 */
#include "testutil.h"

#include <glob.h>

#define GOOD "tests/data/good/"
#define RANKING "/tmp/cp-alloc-ranking.xml"   /* op_rank writes it, op_assign reads it */
#define ASSIGNMENT "/tmp/cp-alloc-assignment.xml"

typedef int (*operation)(cp_error *err); /* 0 ok, else the error code */

static cp_scenario gml_fields, kml_fields; /* each layer's own columns */

static int read_one(const char *path, const cp_scenario *fields, cp_error *err)
{
    cp_warnings w = {0, 0, NULL};
    cp_instance *inst = cp_read_instance(path, fields, &w, err);
    cp_warnings_free(&w);
    cp_instance_free(inst);
    return inst ? 0 : err->code;
}

static int op_native(cp_error *err) { return read_one(GOOD "hand.xml", NULL, err); }
static int op_network(cp_error *err) { return read_one(GOOD "network.xml", NULL, err); }
static int op_matrix(cp_error *err) { return read_one(GOOD "matrix.xml", NULL, err); }
static int op_gml(cp_error *err) { return read_one(GOOD "layer.gml", &gml_fields, err); }
static int op_gml2(cp_error *err) { return read_one(GOOD "layer2.gml", NULL, err); }
static int op_kml(cp_error *err) { return read_one(GOOD "layer.kml", &kml_fields, err); }

static int op_scenario(cp_error *err)
{
    cp_scenario sc;
    int rc;
    cp_scenario_defaults(&sc);
    rc = cp_read_scenario(GOOD "hand-scenario.xml", &sc, err);
    cp_scenario_clear(&sc);
    return rc;
}

/* Reads, evaluates, writes: the whole evaluate pipeline. */
/* Every GIS, map and report writer that takes planar x/y (each builds its
 * own view of the layout; GeoJSON and KML need lon/lat, which hand.xml
 * lacks, and are swept in test_pipeline_lonlat). */
static const char *const format_names[] = {"alloc.gpkg", "alloc.gml", "alloc.shp", "alloc.csv",
                                            "alloc.svg", "alloc.html", NULL};
static const char *const lonlat_format_names[] = {"alloc.geojson", "alloc.kml", NULL};

static cp_code write_formats(const char *const *names, const cp_instance *inst,
                             const cp_scenario *sc, const cp_layout *lay,
                             const cp_evaluation *ev, cp_error *err)
{
    char path[256];
    int k;
    for (k = 0; names[k]; k++) {
        temp_path(path, sizeof path, names[k]);
        if (cp_write_layout(path, inst, sc, lay, ev, err))
            return err->code;
    }
    return CP_OK;
}

/* The files the writers left, siblings included (a GML's .xsd, a
 * shapefile's .shx .dbf .prj .cpg, OUT-links, OUT-clusters, a CSV's .csvt). */
static void remove_every_format(void)
{
    char pattern[256];
    glob_t g;
    size_t k;
    temp_path(pattern, sizeof pattern, "alloc*");
    if (glob(pattern, 0, NULL, &g) == 0)
        for (k = 0; k < g.gl_pathc; k++)
            unlink(g.gl_pathv[k]);
    globfree(&g);
}

static int op_pipeline(cp_error *err)
{
    cp_scenario sc;
    cp_instance *inst = NULL;
    cp_layout *lay = NULL, *existing = NULL;
    cp_distance_ctx *d = NULL;
    cp_evaluation *ev = NULL;
    char out[256];
    int rc = 0;
    temp_path(out, sizeof out, "alloc.xml");
    cp_scenario_defaults(&sc);
    if ((rc = cp_read_scenario(GOOD "hand-scenario.xml", &sc, err)) ||
        !(inst = cp_read_instance(GOOD "hand.xml", NULL, NULL, err)) ||
        !(lay = cp_read_solution(GOOD "hand-solution.xml", inst, err)) ||
        !(existing = cp_layout_existing(inst, 0, NULL, err)) ||
        !(d = cp_distance_new(inst, err)) || !(ev = cp_evaluate(inst, &sc, lay, d, err)) ||
        write_formats(format_names, inst, &sc, lay, ev, err) ||
        cp_write_solution(out, inst, &sc, lay, ev, err))
        rc = err->code;
    cp_evaluation_free(ev);
    cp_distance_free(d);
    cp_layout_free(existing);
    cp_layout_free(lay);
    cp_instance_free(inst);
    cp_scenario_clear(&sc);
    if (rc == 0 && access(out, F_OK) != 0)
        fail_msg("pipeline succeeded but wrote no file");
    if (rc != 0 && access(out, F_OK) == 0)
        fail_msg("a failed run left an output file");
    unlink(out);
    remove_every_format();
    return rc;
}

/* The lon/lat writers on the Kilifi demo's existing layout. */
static int op_pipeline_lonlat(cp_error *err)
{
    cp_scenario sc;
    cp_instance *inst = NULL;
    cp_layout *lay = NULL;
    cp_distance_ctx *d = NULL;
    cp_evaluation *ev = NULL;
    int rc = 0;
    cp_scenario_defaults(&sc);
    if (!(inst = cp_read_instance("instances/kilifi-demo.xml", NULL, NULL, err)) ||
        !(lay = cp_layout_existing(inst, 0, NULL, err)) || !(d = cp_distance_new(inst, err)) ||
        !(ev = cp_evaluate(inst, &sc, lay, d, err)) ||
        write_formats(lonlat_format_names, inst, &sc, lay, ev, err))
        rc = err->code;
    cp_evaluation_free(ev);
    cp_distance_free(d);
    cp_layout_free(lay);
    cp_instance_free(inst);
    cp_scenario_clear(&sc);
    remove_every_format();
    return rc;
}

static int op_network_eval(cp_error *err)
{
    cp_scenario sc;
    cp_instance *inst = NULL;
    cp_layout *lay = NULL;
    cp_distance_ctx *d = NULL;
    cp_evaluation *ev = NULL;
    static const char sol[] = "<solution><cluster id=\"K\" centre=\"Q\"><member school=\"P\"/>"
                              "<member school=\"Q\"/><member school=\"T\"/></cluster></solution>";
    int rc = 0;
    cp_scenario_defaults(&sc);
    if (!(inst = cp_read_instance(GOOD "network.xml", NULL, NULL, err)) ||
        !(lay = cp_read_solution_memory(sol, sizeof sol - 1, "sol", inst, err)) ||
        !(d = cp_distance_new(inst, err)) || !(ev = cp_evaluate(inst, &sc, lay, d, err)))
        rc = err->code;
    cp_evaluation_free(ev);
    cp_distance_free(d);
    cp_layout_free(lay);
    cp_instance_free(inst);
    return rc;
}

/* Candidates, parts, the MILP's own arrays and the layout: the whole solve. */
static int op_solve(cp_error *err)
{
    cp_scenario sc;
    cp_instance *inst = NULL;
    cp_layout *lay = NULL;
    int rc = 0;
    cp_scenario_defaults(&sc);
    sc.solver.threads = 1;
    sc.distance_max = 8;
    if (!(inst = cp_read_instance(GOOD "hand.xml", NULL, NULL, err)) ||
        !(lay = cp_solve(inst, &sc, err)))
        rc = err->code;
    cp_layout_free(lay);
    cp_instance_free(inst);
    return rc;
}

/* Candidates, rubric with quotas (the selection MILP), ranking written. */
static int op_rank(cp_error *err)
{
    cp_candidate_set *set = NULL;
    cp_rubric *rub = NULL;
    cp_ranking *r = NULL;
    int rc = 0;
    if (!(set = cp_read_candidates("instances/kilifi-candidates.xml", err)) ||
        !(rub = cp_read_rubric("instances/kilifi-rubric.xml", err)) ||
        !(r = cp_rank(set, rub, err)) || cp_write_ranking(RANKING, r, err))
        rc = err->code;
    cp_ranking_free(r);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
    return rc;
}

/* The existing Kilifi layout, the ranking read back, the flow, the writer. */
static int op_assign(cp_error *err)
{
    cp_scenario sc;
    cp_instance *inst = NULL;
    cp_distance_ctx *dist = NULL;
    cp_layout *lay = NULL;
    cp_published_ranking *pub = NULL;
    cp_assignment *a = NULL;
    cp_assign_options opt = {NULL, 0, 1, 1, NULL, NULL, NULL};
    int rc = 0;
    cp_scenario_defaults(&sc);
    sc.admin_level = 2;
    if (!(inst = cp_read_instance("instances/kilifi-demo.xml", NULL, NULL, err)) ||
        !(dist = cp_distance_new(inst, err)) || !(lay = cp_layout_existing(inst, 0, NULL, err)) ||
        !(pub = cp_read_ranking(RANKING, err)) ||
        !(a = cp_assign(inst, &sc, lay, pub, &opt, dist, err)) ||
        cp_write_assignment(ASSIGNMENT, inst, lay, pub, a, NULL, err))
        rc = err->code;
    cp_assignment_free(a);
    cp_published_ranking_free(pub);
    cp_layout_free(lay);
    cp_distance_free(dist);
    cp_instance_free(inst);
    return rc;
}

static void sweep(operation op)
{
    long k, total;
    cp_error err;
    cp_alloc_fail_after(0);
    assert_int_equal(op(&err), 0);
    total = cp_alloc_count();
    assert_true(total > 0);
    for (k = 1; k <= total; k++) {
        int rc;
        cp_error_clear(&err);
        cp_alloc_fail_after(k);
        rc = op(&err);
        cp_alloc_fail_after(0);
        if (rc != CP_ERESOURCE)
            fail_msg("allocation %ld of %ld failed: expected CP_ERESOURCE, got %d (%s)", k,
                     total, rc, err.message);
        assert_true(err.message[0] != '\0');
    }
}

#define SWEEP_TEST(name, op)      \
    static void name(void **state) \
    {                              \
        (void)state;               \
        sweep(op);                 \
    }

SWEEP_TEST(test_native, op_native)
SWEEP_TEST(test_network_reader, op_network)
SWEEP_TEST(test_matrix_reader, op_matrix)
SWEEP_TEST(test_gml, op_gml)
SWEEP_TEST(test_gml2, op_gml2)
SWEEP_TEST(test_kml, op_kml)
SWEEP_TEST(test_scenario, op_scenario)
SWEEP_TEST(test_pipeline, op_pipeline)
SWEEP_TEST(test_pipeline_lonlat, op_pipeline_lonlat)
SWEEP_TEST(test_network_evaluation, op_network_eval)
SWEEP_TEST(test_solve, op_solve)
SWEEP_TEST(test_rank, op_rank)
SWEEP_TEST(test_assign, op_assign)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_native),   cmocka_unit_test(test_network_reader),
        cmocka_unit_test(test_matrix_reader), cmocka_unit_test(test_gml),
        cmocka_unit_test(test_gml2),     cmocka_unit_test(test_kml),
        cmocka_unit_test(test_scenario), cmocka_unit_test(test_pipeline),
        cmocka_unit_test(test_pipeline_lonlat),
        cmocka_unit_test(test_network_evaluation), cmocka_unit_test(test_solve),
        cmocka_unit_test(test_rank), cmocka_unit_test(test_assign)};
    cp_error err;
    int rc;
    cp_scenario_defaults(&gml_fields);
    cp_scenario_map_field(&gml_fields, "id=code", &err);
    cp_scenario_map_field(&gml_fields, "teachers=TSC_TEACHERS", &err);
    cp_scenario_map_field(&gml_fields, "admin1=county", &err);
    cp_scenario_defaults(&kml_fields);
    cp_scenario_map_field(&kml_fields, "id=code", &err);
    cp_scenario_map_field(&kml_fields, "cluster=zone", &err);
    rc = cmocka_run_group_tests_name("allocation failures", tests, NULL, NULL);
    cp_scenario_clear(&gml_fields);
    cp_scenario_clear(&kml_fields);
    return rc;
}
