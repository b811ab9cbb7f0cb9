/*
 * zones.c — zones of clusters for zonal facilitators (README "Zones"): the
 * guidance's coordinator -> zonal facilitator -> cluster facilitator ->
 * school.  No second solver: the same engine (cp_solve) runs on the
 * clusters as points.
 *
 *   points     one per cluster with a centre: at its centre, weighted by
 *              the cluster's teachers, with the centre's admin units; every
 *              point may be a zone centre;
 *   rules      <zones min max distance admin-level>: min..max clusters a
 *              zone (its centre's included), each cluster's centre within
 *              `distance` of the zone centre's, zones inside the admin units
 *              down to admin-level (default: the scenario's level);
 *   objective  least teacher-weighted travel from each cluster's centre to
 *              its zone centre, after the fewest clusters left without a
 *              zone: the zonal facilitator's meetings;
 *   method     the scenario's (auto, milp or heuristic), seed and effort, so
 *              the zones are proven where the clusters would be.
 * A cluster without a zone carries the zone solve's reason, in words about
 * clusters and zones.  Zones need coordinates: a network or matrix
 * instance is refused (its distances between centres are not built).
 * Work: one cp_solve on as many points as clusters.
 */
#include "solve.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The clusters as an instance of points; cl[k] is the cluster of point k. */
static cp_instance *cluster_points(const cp_instance *inst, const cp_layout *lay, int *cl,
                                   int *n_points, cp_error *err)
{
    cp_instance *zi = cp_instance_new(inst->name, inst->distance);
    int c, i;
    double *teachers = cp_calloc((size_t)(lay->n_clusters ? lay->n_clusters : 1), sizeof(double));
    if (!zi || !teachers) {
        cp_free(teachers);
        cp_instance_free(zi);
        cp_fail_nomem(err);
        return NULL;
    }
    for (i = 0; i < inst->n_schools; i++)
        if (lay->cluster_of[i] >= 0)
            teachers[lay->cluster_of[i]] += inst->schools[i].teachers;
    *n_points = 0;
    for (c = 0; c < lay->n_clusters; c++) {
        int j = lay->centre[c], k;
        char id[48];
        const cp_school *s;
        if (j < 0 || lay->cluster_of[j] != c)
            continue; /* no centre to be a point: no zone */
        s = &inst->schools[j];
        snprintf(id, sizeof id, "%d", c);
        if ((k = cp_instance_add_school(zi, id)) < 0 ||
            cp_instance_set_admin(zi, k, s->admin_name)) {
            cp_free(teachers);
            cp_instance_free(zi);
            cp_fail_nomem(err);
            return NULL;
        }
        zi->schools[k].x = s->x;
        zi->schools[k].y = s->y;
        zi->schools[k].teachers = teachers[c];
        zi->schools[k].name = s->name;
        cl[(*n_points)++] = c;
    }
    cp_free(teachers);
    return zi;
}

/* The zone rules as a scenario over the points. */
static void zone_scenario(const cp_scenario *sc, cp_scenario *zs)
{
    cp_scenario_defaults(zs);
    zs->size_min = sc->has_zones ? sc->zone_min : 3;
    zs->size_max = sc->has_zones ? sc->zone_max : 6;
    zs->distance_max = sc->has_zones ? sc->zone_distance : INFINITY;
    zs->admin_level = sc->has_zones && sc->zone_admin_level >= 0 ? sc->zone_admin_level
                                                                 : sc->admin_level;
    zs->weight = CP_WEIGHT_TEACHERS;
    zs->objective = CP_OBJECTIVE_TRAVEL;
    zs->solver = sc->solver;
    zs->solver.export_lp = NULL;
    zs->solver.progress = NULL;
    zs->solver.check_plant_mismatch = 0;
    zs->solver.anytime = 0;
}

/* A reason about schools and clusters, said of clusters and zones. */
static char *zone_words(const char *reason)
{
    static const char *const from[] = {"clusters", "cluster", "schools", "school"};
    static const char *const to[] = {"zones", "zone", "clusters", "cluster"};
    size_t cap = 2 * strlen(reason) + 64, n = 0;
    char *out = cp_malloc(cap);
    const char *p = reason;
    if (!out)
        return NULL;
    while (*p && n + 16 < cap) {
        size_t k;
        for (k = 0; k < 4; k++)
            if (!strncmp(p, from[k], strlen(from[k])))
                break;
        if (k < 4) {
            n += (size_t)snprintf(out + n, cap - n, "%s", to[k]);
            p += strlen(from[k]);
        } else {
            out[n++] = *p++;
        }
    }
    out[n] = '\0';
    return out;
}

static cp_code map_back(cp_layout *lay, const cp_layout *zl, const int *cl, int n_points,
                        cp_error *err)
{
    cp_zoning *z = cp_calloc(1, sizeof *z);
    int k, c, nc = lay->n_clusters;
    if (!z)
        return cp_fail_nomem(err);
    lay->zones = z;
    z->n_clusters = nc;
    z->n_zones = zl->n_clusters;
    z->zone_of = cp_malloc((size_t)(nc ? nc : 1) * sizeof(int));
    z->reason = cp_calloc((size_t)(nc ? nc : 1), sizeof(char *));
    z->centre = cp_malloc((size_t)(z->n_zones ? z->n_zones : 1) * sizeof(int));
    z->label = cp_calloc((size_t)(z->n_zones ? z->n_zones : 1), sizeof(char *));
    if (!z->zone_of || !z->reason || !z->centre || !z->label)
        return cp_fail_nomem(err);
    for (c = 0; c < nc; c++)
        z->zone_of[c] = -1;
    for (k = 0; k < z->n_zones; k++) {
        char label[32];
        snprintf(label, sizeof label, "Z%d", k + 1);
        z->centre[k] = cl[zl->centre[k]];
        if (!(z->label[k] = cp_strdup(label)))
            return cp_fail_nomem(err);
    }
    for (k = 0; k < n_points; k++) {
        z->zone_of[cl[k]] = zl->cluster_of[k];
        if (zl->cluster_of[k] < 0 && zl->reason[k] && !(z->reason[cl[k]] = zone_words(zl->reason[k])))
            return cp_fail_nomem(err);
    }
    z->info = zl->info;
    z->info.method = zl->info.method ? cp_strdup(zl->info.method) : NULL;
    z->info.scenario = NULL;
    return CP_OK;
}

cp_code cp_form_zones(const cp_instance *inst, const cp_scenario *sc, cp_layout *lay,
                      cp_distance_ctx *dist, cp_error *err)
{
    cp_scenario zs;
    cp_instance *zi;
    cp_layout *zl = NULL;
    int *cl, n_points = 0;
    cp_code rc = CP_OK;
    (void)dist;
    cp_zoning_free(lay->zones);
    lay->zones = NULL;
    if (cp_rules_check_instance(inst, sc, err))
        return err->code;
    if (!(cl = cp_malloc((size_t)(lay->n_clusters ? lay->n_clusters : 1) * sizeof(int))))
        return cp_fail_nomem(err);
    zone_scenario(sc, &zs);
    zi = cluster_points(inst, lay, cl, &n_points, err);
    if (!zi)
        rc = err->code;
    if (!rc && !(zl = cp_solve(zi, &zs, err)))
        rc = err->code;
    if (!rc)
        rc = map_back(lay, zl, cl, n_points, err);
    if (rc) {
        cp_zoning_free(lay->zones);
        lay->zones = NULL;
    }
    cp_layout_free(zl);
    cp_instance_free(zi);
    cp_scenario_clear(&zs);
    cp_free(cl);
    return rc;
}

cp_layout *cp_zone_layout(const cp_layout *lay, cp_error *err)
{
    const cp_zoning *z = lay->zones;
    cp_layout *out = cp_layout_new(lay->n_schools);
    int k, i;
    if (!out || !z) {
        cp_layout_free(out);
        if (!z)
            cp_fail(err, CP_EINPUT, "the layout has no zones");
        else
            cp_fail_nomem(err);
        return NULL;
    }
    for (k = 0; k < z->n_zones; k++)
        if (cp_layout_add_cluster(out, z->label[k], lay->centre[z->centre[k]]) < 0) {
            cp_layout_free(out);
            cp_fail_nomem(err);
            return NULL;
        }
    for (i = 0; i < lay->n_schools; i++) {
        int c = lay->cluster_of[i];
        out->cluster_of[i] = c >= 0 ? z->zone_of[c] : -1;
    }
    return out;
}
