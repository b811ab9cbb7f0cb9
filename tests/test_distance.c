/*
 * test_distance.c — the four distance modes.  Haversine against known city
 * pairs (values from the spherical Vincenty formula, R = 6371.0 km, computed
 * independently; published great-circle distances agree within 1 km);
 * euclidean; network shortest paths with unreachable schools and the early
 * stop of the bounded Dijkstra; od matrix lookups in both directions.
 */
#include "testutil.h"

static void test_haversine_city_pairs(void **state)
{
    static const struct {
        double lat1, lon1, lat2, lon2, km;
    } pairs[] = {
        {51.5074, -0.1278, 48.8566, 2.3522, 343.556060},       /* London - Paris   */
        {40.7128, -74.0060, 34.0522, -118.2437, 3935.746255},  /* New York - LA    */
        {-1.2921, 36.8219, -4.0435, 39.6682, 439.923262},      /* Nairobi - Mombasa */
        {-33.8688, 151.2093, -33.4489, -70.6693, 11346.715121},/* Sydney - Santiago */
        {0, 0, 0, 180, 20015.086796},                           /* antipodes        */
        {10, 20, 10, 20, 0.0},
    };
    size_t k;
    (void)state;
    for (k = 0; k < sizeof pairs / sizeof *pairs; k++) {
        double d = cp_haversine_km(pairs[k].lat1, pairs[k].lon1, pairs[k].lat2, pairs[k].lon2);
        double back = cp_haversine_km(pairs[k].lat2, pairs[k].lon2, pairs[k].lat1, pairs[k].lon1);
        if (fabs(d - pairs[k].km) > 1e-5)
            fail_msg("pair %zu: %.6f km, expected %.6f", k, d, pairs[k].km);
        assert_true(fabs(d - back) < 1e-9);
    }
}

static void test_euclidean(void **state)
{
    cp_instance *inst = load_instance("tests/data/good/hand.xml");
    cp_distance_ctx *d = cp_distance_new(inst, NULL);
    int a = cp_instance_find(inst, "A"), b = cp_instance_find(inst, "B");
    int c = cp_instance_find(inst, "C");
    (void)state;
    assert_true(cp_distance(d, b, a) == 5.0);
    assert_true(cp_distance(d, c, a) == 10.0);
    assert_true(cp_distance(d, a, a) == 0.0);
    cp_distance_free(d);
    cp_instance_free(inst);
}

static void test_haversine_instance(void **state)
{
    cp_instance *inst = load_instance("tests/data/good/layer2.gml");
    cp_distance_ctx *d = cp_distance_new(inst, NULL);
    (void)state;
    assert_true(fabs(cp_distance(d, 0, 1) - 439.923262) < 1e-5);
    cp_distance_free(d);
    cp_instance_free(inst);
}

static void test_network(void **state)
{
    cp_instance *inst = load_instance("tests/data/good/network.xml");
    cp_distance_ctx *d = cp_distance_new(inst, NULL);
    int p = cp_instance_find(inst, "P"), q = cp_instance_find(inst, "Q");
    int r = cp_instance_find(inst, "R"), s = cp_instance_find(inst, "S");
    int t = cp_instance_find(inst, "T");
    int members[5];
    double out[5];
    (void)state;
    assert_true(cp_distance(d, r, p) == 5.0); /* via Q, not the direct road of 10 */
    assert_true(cp_distance(d, s, p) == 6.0);
    assert_true(cp_distance(d, p, s) == 6.0);
    assert_true(isinf(cp_distance(d, t, p)));
    assert_true(cp_distance(d, q, q) == 0.0);
    members[0] = p; members[1] = q; members[2] = r; members[3] = s; members[4] = t;
    assert_int_equal(cp_distance_to_centre(d, r, members, 5, out), CP_OK);
    assert_true(out[0] == 5 && out[1] == 3 && out[2] == 0 && out[3] == 1 && isinf(out[4]));
    /* repeated calls reuse scratch state: results must not leak between calls */
    members[0] = s;
    assert_int_equal(cp_distance_to_centre(d, p, members, 1, out), CP_OK);
    assert_true(out[0] == 6.0);
    cp_distance_free(d);
    cp_instance_free(inst);
}

static void test_matrix(void **state)
{
    cp_instance *inst = load_instance("tests/data/good/matrix.xml");
    cp_distance_ctx *d = cp_distance_new(inst, NULL);
    int m1 = cp_instance_find(inst, "M1"), m2 = cp_instance_find(inst, "M2");
    int m3 = cp_instance_find(inst, "M3");
    (void)state;
    assert_true(cp_distance(d, m1, m2) == 12.5); /* member M1 -> centre M2 as given */
    assert_true(cp_distance(d, m2, m1) == 14.0); /* the other direction is given too */
    assert_true(cp_distance(d, m3, m1) == 7.0);
    assert_true(cp_distance(d, m1, m3) == 7.0);  /* one way only: symmetric */
    assert_true(isinf(cp_distance(d, m2, m3)));  /* missing pair: unreachable */
    assert_true(cp_distance(d, m2, m2) == 0.0);
    cp_distance_free(d);
    cp_instance_free(inst);
}

/* A random road grid: bounded Dijkstra from the centre agrees with
 * Floyd-Warshall over the same graph. */
static void test_network_against_floyd(void **state)
{
    enum { N = 40 };
    static double w[N][N];
    char buf[65536];
    size_t len = 0;
    unsigned seed = 7;
    int i, j, k;
    cp_instance *inst;
    cp_distance_ctx *d;
    cp_error err;
    (void)state;
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++)
            w[i][j] = i == j ? 0 : INFINITY;
    len += (size_t)snprintf(buf + len, sizeof buf - len, "<instance distance=\"network\">");
    for (i = 0; i < N; i++)
        len += (size_t)snprintf(buf + len, sizeof buf - len, "<school id=\"v%d\"/>", i);
    for (k = 0; k < 70; k++) {
        double l;
        seed = seed * 1103515245u + 12345u;
        i = (int)((seed >> 8) % N);
        seed = seed * 1103515245u + 12345u;
        j = (int)((seed >> 8) % N);
        l = 1 + (double)((seed >> 4) % 20);
        if (i == j)
            continue;
        if (l < w[i][j])
            w[i][j] = w[j][i] = l;
        len += (size_t)snprintf(buf + len, sizeof buf - len,
                                "<road from=\"v%d\" to=\"v%d\" length=\"%g\"/>", i, j, l);
    }
    len += (size_t)snprintf(buf + len, sizeof buf - len, "</instance>");
    for (k = 0; k < N; k++)
        for (i = 0; i < N; i++)
            for (j = 0; j < N; j++)
                if (w[i][k] + w[k][j] < w[i][j])
                    w[i][j] = w[i][k] + w[k][j];
    inst = cp_read_instance_memory(buf, len, "grid", NULL, NULL, &err);
    assert_non_null(inst);
    d = cp_distance_new(inst, &err);
    for (i = 0; i < N; i++)
        for (j = 0; j < N; j++) {
            double got = cp_distance(d, i, j);
            if (!(got == w[i][j] || (isinf(got) && isinf(w[i][j]))))
                fail_msg("d(v%d, v%d) = %g, Floyd-Warshall %g", i, j, got, w[i][j]);
        }
    cp_distance_free(d);
    cp_instance_free(inst);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_haversine_city_pairs), cmocka_unit_test(test_euclidean),
        cmocka_unit_test(test_haversine_instance),   cmocka_unit_test(test_network),
        cmocka_unit_test(test_matrix),               cmocka_unit_test(test_network_against_floyd)};
    return cmocka_run_group_tests_name("distance", tests, NULL, NULL);
}
