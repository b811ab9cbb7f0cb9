/*
 * write_solution.c — the solution format of SPEC.md: clusters with their
 * members (centre first, then by school order), unassigned schools with
 * their reasons, the evaluate indicators and every violation; with issue
 * 24's rules each cluster's teachers per study group, whether its centre is
 * an upgrade and its zone, then the zones, the upgrades with what each buys
 * and, for an unassigned school, the one upgrade that would place it.
 * Numbers are written with the fewest digits that read back exactly.
 */
#include "output.h"
#include "solver/model/roads.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    FILE *f;
    const cp_instance *inst;
    const cp_scenario *sc;
    const cp_layout *lay;
    const cp_evaluation *ev;
    int *start, *members;
} writer;

/* Distances by road: which layer (its SHA-256, so `evaluate` can insist on
 * the same one), how, and how the schools joined it. */
static void write_roads(FILE *f, const cp_road_summary *r)
{
    cp_out_text_attr(f, "distance", "road");
    cp_out_text_attr(f, "roads", r->source);
    if (r->layer && r->layer[0])
        cp_out_text_attr(f, "roads-layer", r->layer);
    cp_out_text_attr(f, "roads-sha256", r->sha256);
    cp_out_text_attr(f, "travel", cp_travel_name(r->travel));
    cp_out_double_attr(f, "snap-max", r->snap_max);
}

/* The rules the layout was made or evaluated under: a reader under other
 * rules is told, and drops the status claimed (cli/pipeline.c). */
static void write_rules_digest(FILE *f, const cp_scenario *sc)
{
    char rules[65];
    cp_scenario_rules_digest(sc, rules);
    cp_out_text_attr(f, "rules-sha256", rules);
}

static void write_root(writer *w)
{
    const cp_info *info = &w->lay->info;
    const cp_indicators *ind = w->ev ? &w->ev->ind : NULL;
    FILE *f = w->f;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<solution", f);
    cp_out_text_attr(f, "instance", w->inst->name);
    cp_out_text_attr(f, "scenario", w->sc->name ? w->sc->name : (info->scenario ? info->scenario : ""));
    if (w->sc->n_where > 0) { /* the schools it was made for: evaluate compares */
        char where[4096];
        if (cp_scenario_where_text(w->sc, where, sizeof where) < (int)sizeof where)
            cp_out_text_attr(f, "where", where);
    }
    if (info->status != CP_STATUS_NONE)
        cp_out_text_attr(f, "status", cp_status_name(info->status));
    cp_out_double_attr(f, "objective", ind ? ind->objective : info->objective);
    cp_out_text_attr(f, "objective-kind", cp_objective_name(cp_scenario_objective(w->sc)));
    if (w->sc->currency)
        cp_out_text_attr(f, "currency", w->sc->currency);
    cp_out_double_attr(f, "bound", info->bound);
    cp_out_double_attr(f, "gap", info->gap);
    if (ind) {
        fprintf(f, " clusters=\"%d\" assigned=\"%d\" unassigned=\"%d\"", ind->clusters,
                ind->assigned, ind->unassigned);
    }
    if (info->method)
        cp_out_text_attr(f, "method", info->method);
    if (info->method)
        fprintf(f, " seed=\"%llu\" threads=\"%d\"", (unsigned long long)info->seed,
                info->threads);
    cp_out_double_attr(f, "seconds", info->seconds);
    if (ind && w->sc->has_invest)
        fprintf(f, " upgrades=\"%d\"", ind->upgrades);
    if (w->lay->zones)
        fprintf(f, " zones=\"%d\"", w->lay->zones->n_zones);
    if (info->nearest_cap > 0)
        fprintf(f, " nearest-centres=\"%d\"", info->nearest_cap);
    cp_out_text_attr(f, "units", w->inst->units);
    if (cp_road_info(w->inst))
        write_roads(f, cp_road_info(w->inst));
    write_rules_digest(f, w->sc);
    fputs(">\n", f);
}

static void write_member(writer *w, int i)
{
    fputs("    <member", w->f);
    cp_out_text_attr(w->f, "school", w->inst->schools[i].id);
    if (w->ev)
        cp_out_double_attr(w->f, "distance", w->ev->distance[i]);
    if (w->ev && w->ev->road_km) {
        if (cp_road_timed(w->inst->road))
            cp_out_double_attr(w->f, "road-km", w->ev->road_km[i]);
        cp_out_double_attr(w->f, "straight-km", w->ev->straight_km[i]);
    }
    fputs("/>\n", w->f);
}

/* A cluster's teachers of each study group, its upgrade and its zone. */
static void cluster_rules(writer *w, int c)
{
    const cp_evaluation *ev = w->ev;
    int k;
    for (k = 0; ev && ev->cluster_group_teachers && k < ev->n_groups; k++) {
        char attr[64];
        snprintf(attr, sizeof attr, "teachers-%s", w->sc->groups[k].name);
        cp_out_double_attr(w->f, attr, ev->cluster_group_teachers[(size_t)c * (size_t)ev->n_groups +
                                                                  (size_t)k]);
    }
    if (ev && ev->upgraded && ev->upgraded[c])
        fputs(" upgrade=\"true\"", w->f);
    if (w->lay->zones && w->lay->zones->zone_of[c] >= 0)
        cp_out_text_attr(w->f, "zone", w->lay->zones->label[w->lay->zones->zone_of[c]]);
}

static void write_cluster(writer *w, int c)
{
    FILE *f = w->f;
    int centre = w->lay->centre[c], j;
    fputs("  <cluster", f);
    cp_out_text_attr(f, "id", w->lay->label[c]);
    if (centre >= 0)
        cp_out_text_attr(f, "centre", w->inst->schools[centre].id);
    if (w->ev && centre < 0 && w->ev->centre_used[c] >= 0)
        cp_out_text_attr(f, "implied-centre", w->inst->schools[w->ev->centre_used[c]].id);
    fprintf(f, " size=\"%d\"", w->start[c + 1] - w->start[c]);
    if (w->ev) {
        cp_out_double_attr(f, "teachers", w->ev->cluster_teachers[c]);
        cp_out_double_attr(f, "travel", w->ev->cluster_travel[c]);
        cp_out_double_attr(f, "max-distance", w->ev->cluster_maxdist[c]);
        if (w->ev->cluster_circuity)
            cp_out_double_attr(f, "circuity", w->ev->cluster_circuity[c]);
    }
    cluster_rules(w, c);
    fputs(">\n", f);
    if (centre >= 0 && w->lay->cluster_of[centre] == c)
        write_member(w, centre);
    for (j = w->start[c]; j < w->start[c + 1]; j++)
        if (w->members[j] != centre)
            write_member(w, w->members[j]);
    fputs("  </cluster>\n", f);
}

static void write_unassigned(writer *w)
{
    int i;
    for (i = 0; i < w->lay->n_schools; i++) {
        if (w->lay->cluster_of[i] >= 0)
            continue;
        fputs("  <unassigned", w->f);
        cp_out_text_attr(w->f, "school", w->inst->schools[i].id);
        cp_out_text_attr(w->f, "reason", w->lay->reason[i] ? w->lay->reason[i] : "not in the layout");
        if (w->lay->upgrades && w->lay->upgrades->answer[i] >= 0) {
            cp_out_text_attr(w->f, "upgrade", w->inst->schools[w->lay->upgrades->answer[i]].id);
            fprintf(w->f, " upgrade-places=\"%d\"", w->lay->upgrades->answer_places[i]);
        }
        fputs("/>\n", w->f);
    }
}

/* Each zone with its centre cluster and size; each cluster left out of
 * every zone with its reason. */
static void write_zones(writer *w)
{
    const cp_zoning *z = w->lay->zones;
    int k, c;
    if (!z)
        return;
    for (k = 0; k < z->n_zones; k++) {
        int size = 0;
        double teachers = 0.0, travel = 0.0, far = 0.0;
        for (c = 0; c < z->n_clusters; c++) {
            double d = w->ev && w->ev->cluster_zone_distance ? w->ev->cluster_zone_distance[c] : NAN;
            if (z->zone_of[c] != k || w->start[c + 1] == w->start[c])
                continue;
            size++;
            if (w->ev) {
                teachers += w->ev->cluster_teachers[c];
                travel += isnan(d) ? 0.0 : w->ev->cluster_teachers[c] * d;
                far = isnan(d) ? far : fmax(far, d);
            }
        }
        fputs("  <zone", w->f);
        cp_out_text_attr(w->f, "id", z->label[k]);
        cp_out_text_attr(w->f, "centre-cluster", w->lay->label[z->centre[k]]);
        fprintf(w->f, " clusters=\"%d\"", size);
        if (w->ev) {
            cp_out_double_attr(w->f, "teachers", teachers);
            cp_out_double_attr(w->f, "travel", travel);
            cp_out_double_attr(w->f, "max-distance", far);
        }
        fputs("/>\n", w->f);
    }
    for (c = 0; c < z->n_clusters; c++) {
        if (z->zone_of[c] >= 0 || w->start[c + 1] == w->start[c])
            continue;
        fputs("  <unzoned", w->f);
        cp_out_text_attr(w->f, "cluster", w->lay->label[c]);
        cp_out_text_attr(w->f, "reason", z->reason[c] ? z->reason[c] : "no centre");
        fputs("/>\n", w->f);
    }
}

/* Each upgrade with the schools it brings and what it saves. */
static void write_upgrades(writer *w)
{
    const cp_upgrades *u = w->lay->upgrades;
    int k;
    for (k = 0; u && k < u->n; k++) {
        fputs("  <upgrade", w->f);
        cp_out_text_attr(w->f, "school", w->inst->schools[u->items[k].school].id);
        if (u->items[k].cluster >= 0)
            cp_out_text_attr(w->f, "cluster", w->lay->label[u->items[k].cluster]);
        cp_out_double_attr(w->f, "cost", u->items[k].cost);
        fprintf(w->f, " brings=\"%d\"", u->items[k].brings);
        cp_out_double_attr(w->f, "saves", u->items[k].saves);
        fputs("/>\n", w->f);
    }
}

static void rule_indicators(writer *w)
{
    const cp_indicators *ind = &w->ev->ind;
    FILE *f = w->f;
    int k;
    if (w->ev->group_hosting) {
        fprintf(f, " clusters-hosting-every-group=\"%d\"", ind->clusters_hosting_all);
        for (k = 0; k < w->ev->n_groups; k++)
            fprintf(f, " hosting-%s=\"%d\"", w->sc->groups[k].name, w->ev->group_hosting[k]);
    }
    if (w->sc->has_invest) {
        fprintf(f, " upgrades=\"%d\"", ind->upgrades);
        cp_out_double_attr(f, "upgrade-spend", ind->upgrade_spend);
    }
    if (w->lay->zones)
        fprintf(f, " zones=\"%d\" zoned-clusters=\"%d\" unzoned-clusters=\"%d\" "
                   "zone-size-min=\"%d\" zone-size-max=\"%d\"", ind->zones,
                ind->zoned_clusters, ind->unzoned_clusters, ind->zone_size_min,
                ind->zone_size_max);
    if (w->lay->zones) {
        cp_out_double_attr(f, "zone-travel", ind->zone_travel);
        cp_out_double_attr(f, "zone-distance-max", ind->zone_distance_max);
    }
}

static void write_indicators(writer *w)
{
    const cp_indicators *ind = &w->ev->ind;
    FILE *f = w->f;
    fprintf(f, "  <indicators clusters=\"%d\" assigned=\"%d\" unassigned=\"%d\""
               " implied-centres=\"%d\" size-min=\"%d\" size-max=\"%d\"",
            ind->clusters, ind->assigned, ind->unassigned, ind->implied_centres,
            ind->size_min, ind->size_max);
    cp_out_double_attr(f, "size-median", ind->size_median);
    cp_out_double_attr(f, "distance-mean", ind->dist_mean);
    cp_out_double_attr(f, "distance-median", ind->dist_median);
    cp_out_double_attr(f, "distance-p90", ind->dist_p90);
    cp_out_double_attr(f, "distance-max", ind->dist_max);
    cp_out_double_attr(f, "travel-teacher-weighted", ind->travel_weighted);
    if (ind->unreachable > 0) /* members out of reach, left out of the travel */
        fprintf(f, " unreachable=\"%d\"", ind->unreachable);
    cp_out_double_attr(f, "share-within-limit", ind->share_within_limit);
    fprintf(f, " centres-meeting-quality=\"%d\"", ind->centres_meeting_quality);
    cp_out_double_attr(f, "mean-centre-quality", ind->mean_centre_quality);
    fprintf(f, " clusters-crossing-admin=\"%d\" admin-level-checked=\"%d\"",
            ind->clusters_crossing_admin, ind->admin_level_checked);
    cp_out_double_attr(f, "annual-cost", ind->annual_cost);
    cp_out_double_attr(f, "annual-travel-cost", ind->annual_travel_cost);
    cp_out_double_attr(f, "annual-stipends", ind->annual_stipends);
    rule_indicators(w);
    if (w->ev->road_km) {
        cp_out_double_attr(f, "straight-km-mean", ind->straight_mean);
        cp_out_double_attr(f, "straight-km-max", ind->straight_max);
        cp_out_double_attr(f, "road-km-mean", ind->road_km_mean);
        cp_out_double_attr(f, "circuity", ind->circuity);
    }
    fprintf(f, " violations=\"%d\"/>\n", w->ev->n_violations);
}

static void write_violations(writer *w)
{
    int k;
    for (k = 0; k < w->ev->n_violations; k++) {
        const cp_violation *v = &w->ev->violations[k];
        fputs("  <violation", w->f);
        cp_out_text_attr(w->f, "kind", cp_violation_name(v->kind));
        if (v->cluster >= 0)
            cp_out_text_attr(w->f, "cluster", w->lay->label[v->cluster]);
        if (v->school >= 0)
            cp_out_text_attr(w->f, "school", w->inst->schools[v->school].id);
        cp_out_double_attr(w->f, "value", v->value);
        cp_out_double_attr(w->f, "limit", v->limit);
        if (v->group >= 0)
            cp_out_text_attr(w->f, "group", w->sc->groups[v->group].name);
        if (v->zone >= 0 && w->lay->zones)
            cp_out_text_attr(w->f, "zone", w->lay->zones->label[v->zone]);
        fputs("/>\n", w->f);
    }
}

static void write_body(writer *w)
{
    int c;
    write_root(w);
    for (c = 0; c < w->lay->n_clusters; c++)
        if (w->start[c + 1] > w->start[c])
            write_cluster(w, c);
    write_unassigned(w);
    write_zones(w);
    write_upgrades(w);
    if (w->ev) {
        write_indicators(w);
        write_violations(w);
    }
    fputs("</solution>\n", w->f);
}

cp_code cp_write_solution(const char *path, const cp_instance *inst, const cp_scenario *sc,
                          const cp_layout *lay, const cp_evaluation *ev, cp_error *err)
{
    writer w;
    cp_out out;
    cp_code rc;
    memset(&w, 0, sizeof w);
    w.inst = inst;
    w.sc = sc;
    w.lay = lay;
    w.ev = ev;
    rc = cp_layout_members(lay, &w.start, &w.members) ? cp_fail_nomem(err) : CP_OK;
    if (rc == CP_OK && (rc = cp_out_open(&out, path, err)) == CP_OK) {
        w.f = out.f;
        write_body(&w);
        rc = cp_out_commit(&out, err);
    }
    cp_free(w.start);
    cp_free(w.members);
    return rc;
}
