/*
 * test_cuts.c — the MILP's size-minimum cuts (solver/milp_cuts.c).
 *
 * Validity: on 300 random small parts (n <= 8 schools, random admissible
 * pairs, size minimum 2 or 3, maximum up to 5), every cut the separator
 * emits for random fractional points is checked against every feasible
 * integer layout, enumerated here (each school unassigned or with an open
 * centre it may join, every open cluster within the sizes): no layout may
 * violate it.  Each emitted cut must also cut off the point it was found
 * for, and over all cases many cuts must be found, so the check has teeth.
 * The cuts found on 2 threads equal those found on 1, in the same order.
 * Strength: the textbook case (four schools as four fractional triples)
 * gives the cut "at most one centre among the four".
 */
#include "testutil.h"
#include "solver/solve/solve.h"

#define MAX_N 8
#define CASES 300
#define POINTS 20


typedef struct {
    int n, size_min, size_max;
    long n_cols;
    int member[MAX_N * MAX_N + 1], centre[MAX_N * MAX_N + 1];
    int self_col[MAX_N];
    int col_of[MAX_N][MAX_N];        /* 0 = pair not admissible */
    /* the cuts found for one point, checked against every layout */
    int n_cuts;
    double coef[64][MAX_N * MAX_N + 1], rhs[64];
    const double *point;
    int cut_off;                     /* emitted cuts the point violates */
    long layouts;
} part;

static void random_part(test_rng *r, part *p)
{
    int can_open[MAX_N], i, j;
    memset(p, 0, sizeof *p);
    p->n = uniform(r, 3, MAX_N);
    p->size_min = uniform(r, 2, 3);
    p->size_max = p->size_min + uniform(r, 0, 2);
    for (j = 0; j < p->n; j++)
        can_open[j] = uniform(r, 1, 100) <= 85;
    for (i = 0; i < p->n; i++) /* i may join j only if j can open, as in the model */
        for (j = 0; j < p->n; j++)
            if (can_open[j] && (i == j || uniform(r, 1, 100) <= 60)) {
                p->n_cols++;
                p->member[p->n_cols] = i;
                p->centre[p->n_cols] = j;
                p->col_of[i][j] = (int)p->n_cols;
                if (i == j)
                    p->self_col[i] = (int)p->n_cols;
            }
}

static void collect(const int *cols, const double *vals, int len, double rhs, void *arg)
{
    part *p = arg;
    double lhs = 0.0;
    int k;
    assert_true(p->n_cuts < 64);
    memset(p->coef[p->n_cuts], 0, sizeof p->coef[0]);
    for (k = 0; k < len; k++) {
        assert_true(cols[k] >= 1 && cols[k] <= p->n_cols);
        p->coef[p->n_cuts][cols[k]] += vals[k];
        lhs += vals[k] * p->point[cols[k]];
    }
    p->cut_off += lhs > rhs + 1e-9;
    p->rhs[p->n_cuts++] = rhs;
}

/* ------------------------------------------------------------ layouts */

/* centre_of[i] = -1 (unassigned) or the open centre i joins. */
static void check_layout(part *p, const int *centre_of)
{
    int size[MAX_N] = {0}, i, c;
    for (i = 0; i < p->n; i++)
        if (centre_of[i] >= 0)
            size[centre_of[i]]++;
    for (i = 0; i < p->n; i++)
        if (centre_of[i] == i && (size[i] < p->size_min || size[i] > p->size_max))
            return; /* not feasible */
    p->layouts++;
    for (c = 0; c < p->n_cuts; c++) {
        double lhs = 0.0;
        for (i = 0; i < p->n; i++)
            if (centre_of[i] >= 0)
                lhs += p->coef[c][p->col_of[i][centre_of[i]]];
        if (lhs > p->rhs[c] + 1e-9)
            fail_msg("a layout violates a cut: %g > %g", lhs, p->rhs[c]);
    }
}

/* Every school, in order: unassigned or joins an admissible open centre
 * (centres are the schools of `open`, each with its own self column). */
static void members(part *p, int open, int *centre_of, int i)
{
    int j;
    if (i == p->n) {
        check_layout(p, centre_of);
        return;
    }
    if (open & (1 << i)) {
        centre_of[i] = i;
        members(p, open, centre_of, i + 1);
        return;
    }
    centre_of[i] = -1;
    members(p, open, centre_of, i + 1);
    for (j = 0; j < p->n; j++)
        if ((open & (1 << j)) && p->col_of[i][j]) {
            centre_of[i] = j;
            members(p, open, centre_of, i + 1);
        }
}

static void every_layout(part *p)
{
    int centre_of[MAX_N], open, j;
    for (open = 0; open < (1 << p->n); open++) {
        for (j = 0; j < p->n; j++)
            if ((open & (1 << j)) && !p->self_col[j])
                break;
        if (j == p->n)
            members(p, open, centre_of, 0);
    }
}

/* The same cuts, in the same order, when the seeds run on one thread. */
static void same_on_one_thread(cp_size_cuts *s, const part *p, const double *x)
{
    static part again;
    int c;
    again = *p;
    again.n_cuts = again.cut_off = 0;
    cp_size_cuts_separate(s, x, 64, 1, collect, &again);
    assert_int_equal(again.n_cuts, p->n_cuts);
    for (c = 0; c < p->n_cuts; c++) {
        assert_true(again.rhs[c] == p->rhs[c]);
        assert_memory_equal(again.coef[c], p->coef[c], sizeof p->coef[c]);
    }
}

/* ---------------------------------------------------------------- tests */

static void test_cuts_are_valid(void **state)
{
    long cuts = 0, cut_off = 0;
    int k, t;
    (void)state;
    for (k = 0; k < CASES; k++) {
        test_rng r = {0xc075ULL + (uint64_t)k};
        part p;
        cp_size_cuts *s;
        random_part(&r, &p);
        s = cp_size_cuts_new(p.n, p.n_cols, p.member, p.centre, p.self_col, p.size_min, 12);
        assert_non_null(s);
        for (t = 0; t < POINTS; t++) {
            double x[MAX_N * MAX_N + 1];
            long c;
            for (c = 1; c <= p.n_cols; c++) /* thirds and halves, as LPs give */
                x[c] = uniform(&r, 0, 6) / 6.0;
            p.point = x;
            p.n_cuts = p.cut_off = 0;
            cp_size_cuts_separate(s, x, 64, 2, collect, &p);
            assert_int_equal(p.cut_off, p.n_cuts);
            same_on_one_thread(s, &p, x);
            cuts += p.n_cuts;
            cut_off += p.cut_off;
            if (p.n_cuts)
                every_layout(&p);
        }
        cp_size_cuts_free(s);
    }
    printf("    %d parts x %d points: %ld cuts, each checked against every layout\n", CASES,
           POINTS, cuts);
    assert_true(cuts > 500);
}

/* Four schools, each may join any other: the LP's four triples at 1/3
 * (centres 1 and 2 at 2/3 each) break "at most one centre among four". */
static void test_four_triples(void **state)
{
    part p;
    double x[MAX_N * MAX_N + 1] = {0};
    int i, j;
    cp_size_cuts *s;
    (void)state;
    memset(&p, 0, sizeof p);
    p.n = 4;
    p.size_min = 3;
    p.size_max = 7;
    for (i = 0; i < 4; i++)
        for (j = 0; j < 4; j++) {
            p.n_cols++;
            p.member[p.n_cols] = i;
            p.centre[p.n_cols] = j;
            p.col_of[i][j] = (int)p.n_cols;
            if (i == j)
                p.self_col[i] = (int)p.n_cols;
        }
    x[p.col_of[1][1]] = x[p.col_of[2][2]] = 2.0 / 3.0;
    x[p.col_of[0][1]] = x[p.col_of[3][2]] = 2.0 / 3.0;
    x[p.col_of[2][1]] = x[p.col_of[3][1]] = 1.0 / 3.0;
    x[p.col_of[1][2]] = x[p.col_of[0][2]] = 1.0 / 3.0;
    p.point = x;
    s = cp_size_cuts_new(p.n, p.n_cols, p.member, p.centre, p.self_col, p.size_min, 12);
    assert_non_null(s);
    assert_true(cp_size_cuts_separate(s, x, 64, 1, collect, &p) >= 1);
    assert_int_equal(p.cut_off, p.n_cuts);
    assert_true(p.rhs[0] == 1.0);
    for (i = 0; i < 4; i++)
        assert_true(p.coef[0][p.self_col[i]] == 1.0);
    every_layout(&p);
    assert_true(p.layouts > 0);
    cp_size_cuts_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_cuts_are_valid),
                                       cmocka_unit_test(test_four_triples)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
