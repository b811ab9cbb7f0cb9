/*
 * report.c — the readable tables printed on stdout: indicators (one column
 * per layout, so `compare` reads across) and violations grouped by kind.
 */
#include "cli.h"

#include <math.h>
#include <string.h>

typedef enum { K_INT, K_NUM, K_SHARE } value_kind;

typedef struct {
    const char *label;
    value_kind kind;
    size_t offset;
    int is_int;
} row;

#define IROW(label, field) {label, K_INT, offsetof(cp_indicators, field), 1}
#define NROW(label, field) {label, K_NUM, offsetof(cp_indicators, field), 0}
#define SROW(label, field) {label, K_SHARE, offsetof(cp_indicators, field), 0}

static const row rows[] = {
    IROW("clusters", clusters),
    IROW("schools assigned", assigned),
    IROW("schools unassigned", unassigned),
    IROW("clusters without centre (medoid used)", implied_centres),
    IROW("cluster size min", size_min),
    NROW("cluster size median", size_median),
    IROW("cluster size max", size_max),
    NROW("distance to centre mean", dist_mean),
    NROW("distance to centre median", dist_median),
    NROW("distance to centre p90", dist_p90),
    NROW("distance to centre max", dist_max),
    NROW("teacher-weighted travel", travel_weighted),
    SROW("schools within their limit", share_within_limit),
    IROW("centres meeting quality rule", centres_meeting_quality),
    NROW("mean centre quality", mean_centre_quality),
    IROW("clusters crossing admin units", clusters_crossing_admin),
    NROW("annual cost", annual_cost),
    NROW("objective (after unassigned)", objective),
};

static void print_value(FILE *f, const row *r, const cp_indicators *ind, int width)
{
    const char *base = (const char *)ind + r->offset;
    double v;
    if (r->is_int) {
        int n;
        memcpy(&n, base, sizeof n);
        fprintf(f, " %*d", width, n);
        return;
    }
    memcpy(&v, base, sizeof v);
    if (isnan(v))
        fprintf(f, " %*s", width, "-");
    else if (r->kind == K_SHARE)
        fprintf(f, " %*.1f%%", width - 1, 100.0 * v);
    else
        fprintf(f, " %*.3f", width, v);
}

/* A layout's column name: its file's base name without extension. */
static int column_name(const char *path, const char **start)
{
    const char *base = strrchr(path, '/');
    const char *dot;
    base = base ? base + 1 : path;
    dot = strrchr(base, '.');
    *start = base;
    return dot && dot != base ? (int)(dot - base) : (int)strlen(base);
}

/* Columns 14 characters wide, or as wide as the longest name (up to 40):
 * a name cut short reads as another file. */
static int column_width(const char *const *names, int count)
{
    int width = 14, k;
    for (k = 0; k < count; k++) {
        const char *start;
        int len = column_name(names[k], &start);
        width = len > width ? (len < 40 ? len : 40) : width;
    }
    return width;
}

/* With roads: the straight lines beside the routes. */
static const row road_rows[] = {
    NROW("route length by road mean (km)", road_km_mean),
    NROW("straight-line distance mean (km)", straight_mean),
    NROW("straight-line distance max (km)", straight_max),
    NROW("circuity (road km / straight km)", circuity),
};

void report_indicators(FILE *f, const char *const *names, const cp_evaluation *const *evs,
                       int count, const char *units)
{
    size_t r;
    int k, roads = 0, unreachable, width = column_width(names, count);
    fprintf(f, "%-40s", "indicator");
    for (k = 0; k < count; k++) {
        const char *start;
        int len = column_name(names[k], &start);
        fprintf(f, " %*.*s", width, len < width ? len : width, start);
    }
    fprintf(f, "\n");
    for (r = 0; r < sizeof rows / sizeof *rows; r++) {
        fprintf(f, "%-40s", rows[r].label);
        for (k = 0; k < count; k++)
            print_value(f, &rows[r], &evs[k]->ind, width);
        fprintf(f, "\n");
    }
    for (k = 0, unreachable = 0; k < count; k++)
        unreachable |= evs[k]->ind.unreachable > 0;
    if (unreachable) { /* the distances and travel above leave these out */
        fprintf(f, "%-40s", "members out of reach (left out above)");
        for (k = 0; k < count; k++)
            fprintf(f, " %*d", width, evs[k]->ind.unreachable);
        fprintf(f, "\n");
    }
    for (k = 0; k < count; k++)
        roads |= evs[k]->road_km != NULL;
    for (r = 0; roads && r < sizeof road_rows / sizeof *road_rows; r++) {
        fprintf(f, "%-40s", road_rows[r].label);
        for (k = 0; k < count; k++)
            print_value(f, &road_rows[r], &evs[k]->ind, width);
        fprintf(f, "\n");
    }
    fprintf(f, "(distances in %s; admin units checked at level %d; violations:", units,
            count ? evs[0]->ind.admin_level_checked : 0);
    for (k = 0; k < count; k++)
        fprintf(f, " %d", evs[k]->n_violations);
    fprintf(f, ")\n");
}

static void print_violation(FILE *f, const cp_instance *inst, const cp_layout *lay,
                            const cp_violation *v)
{
    fprintf(f, "  %-18s", cp_violation_name(v->kind));
    if (v->cluster >= 0)
        fprintf(f, " cluster %s", lay->label[v->cluster]);
    if (v->school >= 0)
        fprintf(f, " school %s", inst->schools[v->school].id);
    if (v->zone >= 0 && lay->zones)
        fprintf(f, " zone %s", lay->zones->label[v->zone]);
    if (v->group >= 0)
        fprintf(f, " group %d", v->group + 1);
    if (v->kind == CP_V_SIZE_BELOW_MIN || v->kind == CP_V_SIZE_ABOVE_MAX ||
        v->kind == CP_V_CAPACITY || v->kind == CP_V_DISTANCE || v->kind == CP_V_CLUSTER_COUNT ||
        v->kind == CP_V_CENTRE_INELIGIBLE || v->kind >= CP_V_GROUP_BELOW_MIN)
        fprintf(f, " value %g limit %g", v->value, v->limit);
    fprintf(f, "\n");
}

void report_violations(FILE *f, const cp_instance *inst, const cp_layout *lay,
                       const cp_evaluation *ev, int list_all)
{
    int counts[CP_V_KIND_COUNT] = {0}, k, shown = 0;
    const int per_kind = 5;
    int listed[CP_V_KIND_COUNT] = {0};
    for (k = 0; k < ev->n_violations; k++)
        counts[ev->violations[k].kind]++;
    if (ev->n_violations == 0) {
        fprintf(f, "violations: none\n");
        return;
    }
    fprintf(f, "violations: %d\n", ev->n_violations);
    for (k = 0; k < CP_V_KIND_COUNT; k++)
        if (counts[k])
            fprintf(f, "  %-18s %d\n", cp_violation_name((cp_violation_kind)k), counts[k]);
    fprintf(f, "%s:\n", list_all ? "all violations" : "first violations of each kind");
    for (k = 0; k < ev->n_violations; k++) {
        const cp_violation *v = &ev->violations[k];
        if (!list_all && listed[v->kind]++ >= per_kind)
            continue;
        print_violation(f, inst, lay, v);
        shown++;
    }
    if (shown < ev->n_violations)
        fprintf(f, "  ... %d more (--verbose lists all; -o FILE.xml keeps all)\n",
                ev->n_violations - shown);
}

/* The annual cost as the ministry pays it (SPEC "costs"): every teacher to
 * the centre and back at each meeting, and a stipend to each host. */
void cli_print_annual_cost(const cp_scenario *sc, const cp_evaluation *ev)
{
    const cp_indicators *ind = &ev->ind;
    const char *cur = sc->currency ? sc->currency : "(no currency named)";
    if (!sc->has_costs) {
        printf("annual cost: not computed (no <costs> in the scenario)\n");
        return;
    }
    printf("annual cost %.0f %s = travel %.0f (%g meetings x 2 x %g per km x %.1f teacher-km) "
           "+ host stipends %.0f (%g meetings x %g x %d clusters)\n",
           ind->annual_cost, cur, ind->annual_travel_cost, sc->meetings_per_year,
           sc->cost_per_km, ind->teacher_km, ind->annual_stipends,
           sc->meetings_per_year, sc->host_stipend, ind->clusters);
    if (ind->unreachable > 0)
        printf("  (%d member%s out of reach of %s centre left out of the travel: each is a "
               "distance violation)\n", ind->unreachable, ind->unreachable == 1 ? "" : "s",
               ind->unreachable == 1 ? "its" : "their");
    /* under the cost objective the two figures differ only by these terms */
    if (cp_scenario_objective(sc) == CP_OBJECTIVE_COST) {
        char why[512] = "";
        size_t used = 0;
        if (sc->weight != CP_WEIGHT_TEACHERS)
            used += (size_t)snprintf(why + used, sizeof why - used, "; weight=\"none\" counts "
                                     "each school once in its travel, where this cost counts "
                                     "teachers");
        if (sc->cluster_cost != 0 && used < sizeof why)
            used += (size_t)snprintf(why + used, sizeof why - used, "; it adds cluster-cost %g "
                                     "per cluster", sc->cluster_cost);
        if (sc->quality_reward != 0 && used < sizeof why)
            snprintf(why + used, sizeof why - used, "; it subtracts quality-reward %g times each "
                     "centre's quality", sc->quality_reward);
        if (why[0])
            printf("  (the objective, %.1f, is not this cost%s)\n", ind->objective, why);
    }
}

/* "97 unassigned: 94 admin rule, 2 distance rule, ..." with one example
 * each, so the summary says which rule to relax. */
void cli_print_reason_groups(const cp_instance *inst, const cp_layout *lay)
{
    cp_reason_group g[16];
    int others, n = cp_layout_reason_groups(lay, g, 16, &others), k, total = others;
    if (n == 0)
        return;
    for (k = 0; k < n; k++)
        total += g[k].count;
    printf("unassigned by rule (%d school%s):\n", total, total == 1 ? "" : "s");
    for (k = 0; k < n; k++)
        printf("  %5d  %s, e.g. %s: %s\n", g[k].count, g[k].rule, inst->schools[g[k].first].id,
               lay->reason[g[k].first] ? lay->reason[g[k].first] : "not in the layout");
    if (others)
        printf("  %5d  under other rules (the solution file lists every school's reason)\n",
               others);
}

/* ------------------------------------------------------ issue 24's rules */

static void print_groups(const cp_scenario *sc, const cp_evaluation *ev)
{
    int k;
    if (!ev->group_hosting)
        return;
    printf("study groups (%s): %d of %d clusters can host every group's meeting;", sc->groups_soft ?
           "soft: most clusters hosting, after placement" : "every cluster", ev->ind.clusters_hosting_all,
           ev->ind.clusters);
    for (k = 0; k < ev->n_groups; k++)
        printf(" %s (%g teachers) %d", sc->groups[k].name, sc->groups[k].min, ev->group_hosting[k]);
    printf("\n");
}

static void print_upgrades(const cp_instance *inst, const cp_scenario *sc, const cp_layout *lay,
                           const cp_evaluation *ev)
{
    const cp_upgrades *u = lay->upgrades;
    int k, i, answered = 0, unassigned = 0;
    if (!sc->has_invest)
        return;
    printf("upgrades: %d new exemplar centres", ev->ind.upgrades);
    if (sc->max_upgrades >= 0)
        printf(" of at most %d", sc->max_upgrades);
    if (isfinite(sc->upgrade_budget))
        printf(", costing %g of the budget of %g", ev->ind.upgrade_spend, sc->upgrade_budget);
    printf("\n");
    for (k = 0; u && k < u->n; k++) {
        const cp_school *s = &inst->schools[u->items[k].school];
        double saves = u->items[k].saves;
        printf("  upgrade %s%s%s%s: brings in %d school%s, %s %.4g%s%s for the others\n", s->id,
               s->name[0] ? " (" : "", s->name, s->name[0] ? ")" : "", u->items[k].brings,
               u->items[k].brings == 1 ? "" : "s", saves < 0 ? "costs" : "saves", fabs(saves),
               sc->currency ? " " : "", sc->currency ? sc->currency : "");
    }
    for (i = 0; u && i < inst->n_schools; i++) {
        unassigned += lay->cluster_of[i] < 0;
        answered += u->answer[i] >= 0;
    }
    if (u && unassigned)
        printf("  %d of %d unassigned schools would be placed by one more upgrade (the "
               "solution lists which)\n", answered, unassigned);
}

static void print_zones(const cp_instance *inst, const cp_layout *lay, const cp_evaluation *ev)
{
    /* zones are measured in straight lines, also when clusters are by road */
    const char *units = inst->distance == CP_DIST_HAVERSINE ? "km" : inst->units;
    const cp_zoning *z = lay->zones;
    if (!z)
        return;
    printf("zones: %d zones of %d..%d clusters, %d clusters zoned, %d not; status %s",
           ev->ind.zones, ev->ind.zone_size_min, ev->ind.zone_size_max, ev->ind.zoned_clusters,
           ev->ind.unzoned_clusters, cp_status_name(z->info.status));
    if (!isnan(z->info.gap))
        printf(", gap %.4g%%", 100.0 * z->info.gap);
    printf("; zonal travel %.1f teacher-%s, farthest cluster centre %.1f %s from its zone's "
           "(straight lines)\n", ev->ind.zone_travel, units, ev->ind.zone_distance_max, units);
}

void cli_print_rules(const cp_instance *inst, const cp_scenario *sc, const cp_layout *lay,
                     const cp_evaluation *ev)
{
    print_groups(sc, ev);
    print_upgrades(inst, sc, lay, ev);
    print_zones(inst, lay, ev);
}

void cli_print_roads(const cp_instance *inst)
{
    const cp_road_summary *r = cp_road_info(inst);
    if (!r)
        return;
    printf("roads %s: %ld lines, %ld nodes, %ld edges (%.0f km, %ld one-way); distances in %s\n",
           r->source, r->lines, r->nodes, r->edges, r->km, r->one_way, inst->units);
    printf("  %d of %d schools joined the roads within %g km (their walk to the road: median "
           "%.2f km, p90 %.2f, max %.2f)", r->on_road, inst->n_schools, r->snap_max,
           r->off_median_km, r->off_p90_km, r->off_max_km);
    if (r->off_road)
        printf("; %d farther: no route reaches them (road rule)", r->off_road);
    if (r->straight)
        printf("; %d farther keep straight-line access", r->straight);
    printf("\n");
}
