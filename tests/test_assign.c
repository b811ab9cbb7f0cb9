/*
 * test_assign.c — facilitators to clusters against exhaustive enumeration:
 * on random small cases (up to 5 clusters, 5 facilitators, 1 or 2 clusters
 * each, with and without the admin rule) every choice of facilitator per
 * cluster is tried, and cp_assign must reach the lexicographic optimum
 * (most covered, then most insiders, then least travel), say it is proven,
 * and explain every uncovered cluster.
 */
#include "testutil.h"
#include "solver/facilitators/facilitators.h"

#define CASES 300

static uint64_t rng = 42;

static int next(int n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((rng >> 33) % (uint64_t)n);
}

typedef struct {
    cp_instance *inst;
    cp_distance_ctx *dist;
    cp_layout *lay;
    cp_published_ranking pub;
    cp_published_entry entries[8];
    char names[8][16];
    cp_scenario sc;
    int per;
} case_data;

static void make_case(case_data *c)
{
    char xml[4096];
    size_t used = 0;
    int n = 6 + next(6), k, i, K = 1 + next(5), F = 1 + next(5);
    cp_error err;
    cp_warnings w = {0, 0, NULL};
    used += (size_t)snprintf(xml, sizeof xml, "<instance name='t'>");
    for (i = 0; i < n; i++)
        used += (size_t)snprintf(xml + used, sizeof xml - used,
                                 "<school id='S%d' lat='%.4f' lon='%.4f' admin1='%c'/>", i,
                                 -1.0 + next(1000) / 10000.0, 36.0 + next(1000) / 10000.0,
                                 'A' + next(2));
    snprintf(xml + used, sizeof xml - used, "</instance>");
    c->inst = cp_read_instance_memory(xml, strlen(xml), "t.xml", NULL, &w, &err);
    assert_non_null(c->inst);
    cp_warnings_free(&w);
    c->dist = cp_distance_new(c->inst, &err);
    c->lay = cp_layout_new(n);
    if (K > n)
        K = n;
    for (k = 0; k < K; k++) { /* centres are schools 0..K-1 */
        char label[16];
        snprintf(label, sizeof label, "K%d", k);
        assert_int_equal(cp_layout_add_cluster(c->lay, label, k), k);
        c->lay->cluster_of[k] = k;
    }
    for (i = K; i < n; i++)
        c->lay->cluster_of[i] = next(K + 1) - 1;
    memset(&c->pub, 0, sizeof c->pub);
    for (k = 0; k < F; k++) {
        snprintf(c->names[k], sizeof c->names[k], "S%d", next(n));
        memset(&c->entries[k], 0, sizeof c->entries[k]);
        c->entries[k].id = c->names[k];
        c->entries[k].school = c->names[k];
        c->entries[k].role = "facilitator";
    }
    c->pub.n = F;
    c->pub.items = c->entries;
    cp_scenario_defaults(&c->sc);
    c->sc.admin_level = next(2);
    c->per = 1 + next(2);
}

typedef struct {
    int uncovered, outsiders;
    double travel;
} score;

static int better(const score *a, const score *b)
{
    if (a->uncovered != b->uncovered)
        return a->uncovered < b->uncovered;
    if (a->outsiders != b->outsiders)
        return a->outsiders < b->outsiders;
    return a->travel < b->travel - 1e-9;
}

/* Every choice per cluster (none or one facilitator), within capacities
 * and the admin rule: (F + 1)^K <= 7776 layouts. */
static score brute_force(const case_data *c)
{
    int K = c->lay->n_clusters, F = c->pub.n, choice[5] = {0}, k, f;
    score best = {1 << 30, 0, 0};
    long total = 1, code;
    for (k = 0; k < K; k++)
        total *= F + 1;
    for (code = 0; code < total; code++) {
        int load[8] = {0}, ok = 1;
        long x = code;
        score s = {0, 0, 0.0};
        for (k = 0; k < K; k++, x /= F + 1)
            choice[k] = (int)(x % (F + 1)) - 1;
        for (k = 0; k < K && ok; k++) {
            int school, centre = c->lay->centre[k];
            if (choice[k] < 0) {
                s.uncovered++;
                continue;
            }
            f = choice[k];
            school = cp_instance_find(c->inst, c->entries[f].school);
            ok = ++load[f] <= c->per &&
                 (c->sc.admin_level == 0 ||
                  c->inst->schools[school].admin[0] == c->inst->schools[centre].admin[0]);
            s.outsiders += c->lay->cluster_of[school] != k;
            s.travel += cp_distance(c->dist, school, centre);
        }
        if (ok && better(&s, &best))
            best = s;
    }
    return best;
}

static void test_against_enumeration(void **state)
{
    int t, explained = 0;
    (void)state;
    for (t = 0; t < CASES; t++) {
        case_data c;
        cp_error err;
        cp_assign_options opt = {NULL, 0, 0, 1, NULL, NULL, NULL};
        cp_assignment *a;
        score want;
        make_case(&c);
        opt.per_facilitator = c.per;
        c.sc.solver.assign_first_neighbours = t % 2 ? 1 : 32; /* odd cases: sparse start, proof, doubling */
        want = brute_force(&c);
        a = cp_assign(c.inst, &c.sc, c.lay, &c.pub, &opt, c.dist, &err);
        assert_non_null(a);
        assert_true(a->optimal);
        assert_int_equal(c.lay->n_clusters - a->covered, want.uncovered);
        assert_int_equal(a->covered - a->inside_count, want.outsiders);
        assert_float_equal(a->total_travel, want.travel, 1e-9);
        if (want.uncovered > 0) { /* every uncovered cluster is explained by a unit line */
            assert_true(a->shortfalls.count > 0);
            assert_non_null(strstr(a->shortfalls.items[0], "lacks"));
            explained++;
        }
        cp_assignment_free(a);
        cp_scenario_clear(&c.sc);
        cp_layout_free(c.lay);
        cp_distance_free(c.dist);
        cp_instance_free(c.inst);
    }
    assert_true(explained > 10); /* the cases do exercise shortages */
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_enumeration)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
