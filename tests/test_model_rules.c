/*
 * test_model_rules.c — issue 24's rules against exhaustive enumeration, as
 * test_milp.c checks the base model (its pattern, copied): study groups
 * (hard and soft), upgrades under a cap and under a budget (one part, and
 * several parts that must share them), and zones of clusters.
 *
 * For each random tiny instance (n <= 8) the enumeration below, written
 * again from README's rules and sharing no code with the library, finds
 * the lexicographic optimum: fewest unassigned, then (soft groups) most
 * clusters hosting every group, then least cost.  The MILP must say
 * optimal and equal it; the heuristic's layout must re-evaluate with no
 * violation, never beat it, and equal it whenever it says optimal; auto
 * from effort 0 likewise.  Every layout goes through cp_evaluate, whose
 * indicators (hosting clusters, upgrades) must match the enumeration's
 * count of the same layout.
 */
#include "testutil.h"

#define MAX_N 8
#define CASES 320

static int chance(test_rng *r, int percent) { return uniform(r, 1, 100) <= percent; }

enum { HARD_GROUPS, SOFT_GROUPS, UPGRADE_CAP, UPGRADE_BUDGET, GROUPS_AND_CAP, MODES };
static const char *const mode_names[MODES] = {"hard groups", "soft groups", "upgrade cap",
                                              "upgrade budget", "groups and cap"};

/* ------------------------------------------------------------ generation */

static size_t make_instance(test_rng *r, int mode, char *buf, size_t cap, int *n_out)
{
    int n = uniform(r, 2, MAX_N), i, with_admin = chance(r, 40);
    size_t len = (size_t)snprintf(buf, cap, "<instance distance=\"euclidean\">");
    for (i = 0; i < n; i++) {
        len += (size_t)snprintf(buf + len, cap - len,
                                "<school id=\"s%d\" x=\"%d\" y=\"%d\" teachers=\"%d\"", i,
                                uniform(r, 0, 10), uniform(r, 0, 10), uniform(r, 1, 6));
        if (chance(r, 85))
            len += (size_t)snprintf(buf + len, cap - len, " quality=\"%.2f\"",
                                    uniform(r, 0, 100) / 100.0);
        if (chance(r, 10))
            len += (size_t)snprintf(buf + len, cap - len, " host=\"false\"");
        if (chance(r, 8))
            len += (size_t)snprintf(buf + len, cap - len, " centre=\"forbidden\"");
        if (with_admin)
            len += (size_t)snprintf(buf + len, cap - len, " admin1=\"%c\"", 'A' + uniform(r, 0, 1));
        if (mode != UPGRADE_CAP && mode != UPGRADE_BUDGET) {
            if (chance(r, 90))
                len += (size_t)snprintf(buf + len, cap - len, " teachers-math=\"%d\"",
                                        uniform(r, 0, 3));
            if (chance(r, 70))
                len += (size_t)snprintf(buf + len, cap - len, " teachers-sci=\"%d\"",
                                        uniform(r, 0, 2));
        }
        if ((mode == UPGRADE_BUDGET && chance(r, 80)) || (mode != UPGRADE_BUDGET && chance(r, 15)))
            len += (size_t)snprintf(buf + len, cap - len, " upgrade-cost=\"%d\"", uniform(r, 1, 5));
        len += (size_t)snprintf(buf + len, cap - len, "/>");
    }
    len += (size_t)snprintf(buf + len, cap - len, "</instance>");
    *n_out = n;
    return len;
}

static void make_scenario(test_rng *r, int mode, cp_scenario *sc, int with_admin)
{
    cp_error err;
    char spec[64];
    cp_scenario_defaults(sc);
    sc->size_min = uniform(r, 1, 3);
    sc->size_max = sc->size_min + uniform(r, 0, 3);
    if (chance(r, 30))
        sc->capacity = uniform(r, 8, 20);
    if (chance(r, 60))
        sc->distance_max = uniform(r, 3, 9);
    sc->min_quality = 0.5;
    if (with_admin && chance(r, 85))
        sc->admin_level = 1;
    sc->weight = chance(r, 50) ? CP_WEIGHT_TEACHERS : CP_WEIGHT_NONE;
    if (chance(r, 40))
        sc->cluster_cost = uniform(r, 0, 20) / 2.0;
    if (mode == HARD_GROUPS || mode == SOFT_GROUPS || mode == GROUPS_AND_CAP) {
        snprintf(spec, sizeof spec, "math=%d", uniform(r, 1, 4));
        assert_int_equal(cp_scenario_set_group(sc, spec, &err), CP_OK);
        if (chance(r, 50)) {
            snprintf(spec, sizeof spec, "sci=%d", uniform(r, 1, 2));
            assert_int_equal(cp_scenario_set_group(sc, spec, &err), CP_OK);
        }
        sc->groups_soft = mode == SOFT_GROUPS;
    }
    if (mode == UPGRADE_CAP || mode == GROUPS_AND_CAP) {
        sc->has_invest = 1;
        sc->max_upgrades = uniform(r, 0, 2);
    }
    if (mode == UPGRADE_BUDGET) {
        sc->has_invest = 1;
        sc->upgrade_budget = uniform(r, 0, 8);
        if (chance(r, 30))
            sc->max_upgrades = uniform(r, 1, 2); /* both: the frontier's two branches */
    }
    sc->solver.time_limit = 0;
    sc->solver.threads = 1;
}

/* ----------------------------------------------------------- enumeration */

typedef struct {
    const cp_instance *in;
    const cp_scenario *sc;
    int n;
    double d[MAX_N][MAX_N];
    int ok[MAX_N][MAX_N];
    int can_centre[MAX_N], upgrade[MAX_N];
    double math[MAX_N], sci[MAX_N];
    double need_math, need_sci;   /* 0 when the scenario has no such group */
    int centres[MAX_N], n_centres;
    int size[MAX_N];
    double teachers[MAX_N], gm[MAX_N], gs[MAX_N];
    int best_u, best_h;
    double best_cost;
    int found;
} enum_ctx;

/* README's rules written again: eligible, upgradable. */
static int eligible(const cp_school *s, const cp_scenario *sc)
{
    return s->host && s->centre != CP_CENTRE_FORBIDDEN && !isnan(s->quality) &&
           s->quality >= sc->min_quality;
}

static int upgradable(const cp_school *s, const cp_scenario *sc)
{
    if (!sc->has_invest || s->centre == CP_CENTRE_FORBIDDEN || eligible(s, sc))
        return 0;
    if (isfinite(sc->upgrade_budget))
        return !isnan(s->upgrade_cost) && s->upgrade_cost <= sc->upgrade_budget;
    return s->host || !isnan(s->upgrade_cost);
}

static double weight(const enum_ctx *e, int i)
{
    return e->sc->weight == CP_WEIGHT_NONE ? 1.0 : e->in->schools[i].teachers;
}

static int better(const enum_ctx *e, int u, int h, double cost)
{
    if (!e->found || u != e->best_u)
        return !e->found || u < e->best_u;
    if (h != e->best_h)
        return h > e->best_h;
    return cost < e->best_cost - 1e-9;
}

static void leaf(enum_ctx *e, int u, double cost)
{
    int k, h = 0;
    for (k = 0; k < e->n_centres; k++) {
        int hosts = e->gm[k] >= e->need_math && e->gs[k] >= e->need_sci;
        if (e->size[k] < e->sc->size_min)
            return;
        if (!hosts && !e->sc->groups_soft)
            return;
        h += hosts;
    }
    if (!e->sc->groups_soft)
        h = 0;
    if (better(e, u, h, cost)) {
        e->found = 1;
        e->best_u = u;
        e->best_h = h;
        e->best_cost = cost;
    }
}

static void assign(enum_ctx *e, int i, int mask, int u, double cost)
{
    int k;
    if (e->found && u > e->best_u)
        return;
    if (i == e->n) {
        leaf(e, u, cost);
        return;
    }
    if (mask & (1 << i)) {
        assign(e, i + 1, mask, u, cost);
        return;
    }
    for (k = 0; k < e->n_centres; k++) {
        int j = e->centres[k];
        double t = e->in->schools[i].teachers;
        if (!e->ok[i][j] || e->size[k] + 1 > e->sc->size_max || e->teachers[k] + t > e->sc->capacity)
            continue;
        e->size[k]++;
        e->teachers[k] += t;
        e->gm[k] += e->math[i];
        e->gs[k] += e->sci[i];
        assign(e, i + 1, mask, u, cost + weight(e, i) * e->d[i][j]);
        e->size[k]--;
        e->teachers[k] -= t;
        e->gm[k] -= e->math[i];
        e->gs[k] -= e->sci[i];
    }
    assign(e, i + 1, mask, u + 1, cost);
}

static void try_centre_set(enum_ctx *e, int mask)
{
    const cp_scenario *sc = e->sc;
    double cost = 0.0, spend = 0.0;
    int j, count = 0;
    e->n_centres = 0;
    for (j = 0; j < e->n; j++) {
        const cp_school *s = &e->in->schools[j];
        if (!(mask & (1 << j)))
            continue;
        if (!e->can_centre[j])
            return;
        count += e->upgrade[j];
        spend += e->upgrade[j] && !isnan(s->upgrade_cost) ? s->upgrade_cost : 0.0;
        e->size[e->n_centres] = 1;
        e->teachers[e->n_centres] = s->teachers;
        e->gm[e->n_centres] = e->math[j];
        e->gs[e->n_centres] = e->sci[j];
        e->centres[e->n_centres++] = j;
        cost += sc->cluster_cost;
    }
    if ((sc->max_upgrades >= 0 && count > sc->max_upgrades) || spend > sc->upgrade_budget + 1e-9)
        return;
    assign(e, 0, mask, 0, cost);
}

static double attr_or_zero(const cp_instance *in, int i, const char *group)
{
    int k = cp_instance_group(in, group);
    return k < 0 || isnan(in->schools[i].group_teachers[k]) ? 0.0 : in->schools[i].group_teachers[k];
}

static void enumerate(enum_ctx *e)
{
    int i, j, k, mask;
    cp_distance_ctx *dist = cp_distance_new(e->in, NULL);
    for (k = 0; k < e->sc->n_groups; k++) {
        if (!strcmp(e->sc->groups[k].name, "math"))
            e->need_math = e->sc->groups[k].min;
        else
            e->need_sci = e->sc->groups[k].min;
    }
    for (i = 0; i < e->n; i++) {
        const cp_school *s = &e->in->schools[i];
        e->upgrade[i] = upgradable(s, e->sc);
        e->can_centre[i] = (eligible(s, e->sc) || e->upgrade[i]) && s->teachers <= e->sc->capacity;
        e->math[i] = attr_or_zero(e->in, i, "math");
        e->sci[i] = attr_or_zero(e->in, i, "sci");
        for (j = 0; j < e->n; j++) {
            e->d[i][j] = cp_distance(dist, i, j);
            e->ok[i][j] = e->d[i][j] <= e->sc->distance_max &&
                          (e->sc->admin_level == 0 || s->admin[0] == e->in->schools[j].admin[0]);
        }
    }
    cp_distance_free(dist);
    for (mask = 0; mask < (1 << e->n); mask++)
        try_centre_set(e, mask);
}

/* ------------------------------------------------------------------ test */

static int stats[MODES][4]; /* cases, heuristic at the optimum, heuristic claims, auto optimal */
static int stats_unassigned, stats_upgrades, stats_short, stats_parts_shared;

static cp_evaluation *evaluate(cp_instance *inst, cp_scenario *sc, cp_layout *lay)
{
    cp_error err;
    cp_distance_ctx *d = cp_distance_new(inst, NULL);
    cp_evaluation *ev = cp_evaluate(inst, sc, lay, d, &err);
    if (!ev)
        fail_msg("evaluate: %s", err.message);
    cp_distance_free(d);
    return ev;
}

/* The layout re-evaluates to its claims with no violation; returns its
 * hosting count (soft groups) for the lexicographic comparison. */
static int check_evaluation(int k, const char *tier, cp_instance *inst, cp_scenario *sc,
                            cp_layout *lay, const char *buf)
{
    cp_evaluation *ev = evaluate(inst, sc, lay);
    int h = sc->groups_soft ? ev->ind.clusters_hosting_all : 0;
    if (ev->n_violations != 0 || ev->ind.unassigned != lay->info.unassigned ||
        fabs(ev->ind.objective - lay->info.objective) > 1e-6)
        fail_msg("case %d: %s: evaluate finds %d violations (first %s), objective %.6f vs %.6f, "
                 "unassigned %d vs %d\n%s", k, tier, ev->n_violations,
                 ev->n_violations ? cp_violation_name(ev->violations[0].kind) : "-",
                 ev->ind.objective, lay->info.objective, ev->ind.unassigned,
                 lay->info.unassigned, buf);
    stats_upgrades += ev->ind.upgrades > 0;
    cp_evaluation_free(ev);
    return h;
}

static cp_layout *solve_with(int k, cp_instance *inst, cp_scenario *sc, cp_method method)
{
    cp_error err;
    cp_layout *lay;
    sc->solver.method = method;
    lay = cp_solve(inst, sc, &err);
    if (!lay)
        fail_msg("case %d: solve (method %d) failed: code %d: %s", k, (int)method, (int)err.code, err.message);
    return lay;
}

static int beats(int u, int h, double cost, const enum_ctx *e)
{
    if (u != e->best_u)
        return u < e->best_u;
    if (h != e->best_h)
        return h > e->best_h;
    return cost < e->best_cost - 1e-6;
}

static int equals(int u, int h, double cost, const enum_ctx *e)
{
    return u == e->best_u && h == e->best_h && fabs(cost - e->best_cost) <= 1e-6;
}

static void check_case(int k)
{
    test_rng r = {0x24000000ULL + (uint64_t)k};
    int mode = k % MODES, n, h;
    char buf[8192];
    size_t len = make_instance(&r, mode, buf, sizeof buf, &n);
    cp_error err;
    cp_instance *inst = cp_read_instance_memory(buf, len, "case", NULL, NULL, &err);
    cp_scenario sc;
    enum_ctx e;
    cp_layout *lay;
    assert_non_null(inst);
    make_scenario(&r, mode, &sc, inst->admin_levels_present > 0);
    if (sc.n_groups > 0 && cp_instance_group(inst, "math") < 0) { /* no school drew math */
        cp_instance_free(inst);
        cp_scenario_clear(&sc);
        return;
    }
    if (sc.n_groups > 1 && cp_instance_group(inst, "sci") < 0)
        sc.n_groups = 1, cp_free(sc.groups[1].name);
    memset(&e, 0, sizeof e);
    e.in = inst;
    e.sc = &sc;
    e.n = n;
    enumerate(&e);
    assert_true(e.found); /* no required centre, no fixed count: placing none is a layout */
    stats[mode][0]++;
    stats_unassigned += e.best_u > 0;
    stats_parts_shared += sc.has_invest && sc.admin_level > 0;

    lay = solve_with(k, inst, &sc, CP_METHOD_MILP);
    h = check_evaluation(k, "milp", inst, &sc, lay, buf);
    if (lay->info.status != CP_STATUS_OPTIMAL || !equals(lay->info.unassigned, h,
                                                         lay->info.objective, &e))
        fail_msg("case %d (%s): MILP %s unassigned %d hosting %d cost %.6f; enumeration %d, %d, "
                 "%.6f\n%s", k, mode_names[mode], cp_status_name(lay->info.status),
                 lay->info.unassigned, h, lay->info.objective, e.best_u, e.best_h, e.best_cost,
                 buf);
    cp_layout_free(lay);

    lay = solve_with(k, inst, &sc, CP_METHOD_HEURISTIC);
    h = check_evaluation(k, "heuristic", inst, &sc, lay, buf);
    if (beats(lay->info.unassigned, h, lay->info.objective, &e))
        fail_msg("case %d (%s): heuristic beats the optimum\n%s", k, mode_names[mode], buf);
    stats[mode][1] += equals(lay->info.unassigned, h, lay->info.objective, &e);
    if (lay->info.status == CP_STATUS_OPTIMAL) {
        stats[mode][2]++;
        if (!equals(lay->info.unassigned, h, lay->info.objective, &e))
            fail_msg("case %d (%s): heuristic claims optimal at %.6f, optimum %.6f\n%s", k,
                     mode_names[mode], lay->info.objective, e.best_cost, buf);
    }
    cp_layout_free(lay);

    sc.solver.effort = 0;
    lay = solve_with(k, inst, &sc, CP_METHOD_AUTO);
    h = check_evaluation(k, "auto", inst, &sc, lay, buf);
    if (beats(lay->info.unassigned, h, lay->info.objective, &e) ||
        (lay->info.status == CP_STATUS_OPTIMAL && !equals(lay->info.unassigned, h,
                                                          lay->info.objective, &e)))
        fail_msg("case %d (%s): auto %s at %d, %.6f; optimum %d, %.6f\n%s", k, mode_names[mode],
                 cp_status_name(lay->info.status), lay->info.unassigned, lay->info.objective,
                 e.best_u, e.best_cost, buf);
    stats[mode][3] += lay->info.status == CP_STATUS_OPTIMAL;
    cp_layout_free(lay);
    cp_instance_free(inst);
    cp_scenario_clear(&sc);
}

static void test_against_enumeration(void **state)
{
    int k, m;
    (void)state;
    for (k = 0; k < CASES; k++)
        check_case(k);
    for (m = 0; m < MODES; m++)
        printf("    %-15s %3d cases: heuristic at the optimum %d, claimed optimal %d (each "
               "checked); auto (effort 0) proven %d\n", mode_names[m], stats[m][0], stats[m][1],
               stats[m][2], stats[m][3]);
    printf("    %d optima leave schools unassigned; %d layouts use upgrades; %d cases share "
           "upgrades among admin units\n", stats_unassigned, stats_upgrades, stats_parts_shared);
    (void)stats_short;
    for (m = 0; m < MODES; m++)
        assert_true(stats[m][0] >= CASES / MODES - 12);
    assert_true(stats_unassigned > 20 && stats_upgrades > 40 && stats_parts_shared > 20);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_against_enumeration)};
    return cmocka_run_group_tests_name("model rules", tests, NULL, NULL);
}
