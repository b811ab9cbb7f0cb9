/*
 * roads_bench.c — distances by road at scale (issue 28): reads an instance
 * and a road layer, builds the network and joins the schools
 * (cp_instance_use_roads), then finds every admissible pair within the
 * limit by road (one bounded Dijkstra per eligible centre, in parallel),
 * and prints each phase's seconds, the network, the pairs and the peak
 * resident memory.  Used by bench/run_roads.sh.
 *
 *   roads_bench INSTANCE ROADS|- SCENARIO|- KM THREADS [SNAP_MAX_KM [NEAREST]]
 * ROADS "-": straight lines (the same pairs by the grid, for comparison);
 * SCENARIO "-": SPEC's defaults (every school a centre, no admin rule).
 * NEAREST N: the national-scale restriction at any size (each school's N
 * nearest admissible centres, as heuristic runs of 200,000 schools or more
 * keep 64).
 */
#include "clusterplan.h"
#include "solver/model/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

int main(int argc, char **argv)
{
    cp_error err;
    cp_scenario sc;
    cp_instance *inst;
    cp_distance_ctx *dist = NULL;
    cp_candidates *cand = NULL;
    const cp_road_summary *r;
    struct rusage ru;
    double t0, t_read, t_roads, t_pairs;
    if (argc < 6) {
        fprintf(stderr, "usage: roads_bench INSTANCE ROADS|- SCENARIO|- KM THREADS [SNAP_MAX_KM]\n");
        return 2;
    }
    cp_scenario_defaults(&sc);
    if (strcmp(argv[3], "-") && cp_read_scenario(argv[3], &sc, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    sc.roads = strcmp(argv[2], "-") ? cp_strdup(argv[2]) : NULL;
    sc.distance_max = atof(argv[4]);
    sc.solver.threads = atoi(argv[5]);
    if (argc > 6)
        sc.snap_max = atof(argv[6]);
    if (argc > 7) {
        sc.solver.nearest_from = 1;
        sc.solver.nearest_count = atoi(argv[7]);
        sc.solver.method = CP_METHOD_HEURISTIC;
    }
    t0 = cp_now_seconds();
    if (!(inst = cp_read_instance(argv[1], &sc, NULL, &err))) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    t_read = cp_now_seconds() - t0;
    t0 = cp_now_seconds();
    if (cp_instance_use_roads(inst, &sc, NULL, &err) || !(dist = cp_distance_new(inst, &err))) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    t_roads = cp_now_seconds() - t0;
    t0 = cp_now_seconds();
    if (!(cand = cp_candidates_build(inst, &sc, dist, &err))) {
        fprintf(stderr, "%s\n", err.message);
        return 3;
    }
    t_pairs = cp_now_seconds() - t0;
    r = cp_road_info(inst);
    getrusage(RUSAGE_SELF, &ru);
    if (!r) {
        printf("schools=%d straight-line km=%s threads=%d read_s=%.2f pairs_s=%.2f pairs=%ld "
               "pairs_per_school=%.1f peak_rss_mb=%.0f\n", inst->n_schools, argv[4],
               sc.solver.threads, t_read, t_pairs, cand->n_pairs,
               (double)cand->n_pairs / inst->n_schools, (double)ru.ru_maxrss / 1024.0);
        return 0;
    }
    printf("schools=%d nodes=%ld edges=%ld road_km=%.0f one_way=%ld joined=%d off=%d "
           "km=%s threads=%d read_s=%.2f roads_s=%.2f pairs_s=%.2f pairs=%ld "
           "pairs_per_school=%.1f capped=%d peak_rss_mb=%.0f\n",
           inst->n_schools, r->nodes, r->edges, r->km, r->one_way, r->on_road, r->off_road,
           argv[4], sc.solver.threads, t_read, t_roads, t_pairs, cand->n_pairs,
           (double)cand->n_pairs / inst->n_schools, cand->capped,
           (double)ru.ru_maxrss / 1024.0);
    cp_candidates_free(cand);
    cp_distance_free(dist);
    cp_instance_free(inst);
    cp_scenario_clear(&sc);
    return 0;
}
