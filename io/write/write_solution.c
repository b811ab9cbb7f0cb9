/*
 * write_solution.c — the solution format of SPEC.md: clusters with their
 * members (centre first, then by school order), unassigned schools with
 * their reasons, the evaluate indicators and every violation.  Numbers are
 * written with the fewest digits that read back exactly.
 */
#include "output.h"
#include "solver/model/roads.h"

#include <math.h>
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

static void write_root(writer *w)
{
    const cp_info *info = &w->lay->info;
    const cp_indicators *ind = w->ev ? &w->ev->ind : NULL;
    FILE *f = w->f;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<solution", f);
    cp_out_text_attr(f, "instance", w->inst->name);
    cp_out_text_attr(f, "scenario", w->sc->name ? w->sc->name : (info->scenario ? info->scenario : ""));
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
    if (info->nearest_cap > 0)
        fprintf(f, " nearest-centres=\"%d\"", info->nearest_cap);
    cp_out_text_attr(f, "units", w->inst->units);
    if (cp_road_info(w->inst))
        write_roads(f, cp_road_info(w->inst));
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
        fputs("/>\n", w->f);
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
    cp_out_double_attr(f, "share-within-limit", ind->share_within_limit);
    fprintf(f, " centres-meeting-quality=\"%d\"", ind->centres_meeting_quality);
    cp_out_double_attr(f, "mean-centre-quality", ind->mean_centre_quality);
    fprintf(f, " clusters-crossing-admin=\"%d\" admin-level-checked=\"%d\"",
            ind->clusters_crossing_admin, ind->admin_level_checked);
    cp_out_double_attr(f, "annual-cost", ind->annual_cost);
    cp_out_double_attr(f, "annual-travel-cost", ind->annual_travel_cost);
    cp_out_double_attr(f, "annual-stipends", ind->annual_stipends);
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
