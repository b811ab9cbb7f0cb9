/*
 * facilitator_bench.c — phase timings for the facilitator benchmarks
 * (bench/run_facilitators.sh), measured inside one process so reading,
 * ranking, writing and assigning are reported apart.
 *   facilitator_bench rank CANDIDATES RUBRIC OUT.xml
 *   facilitator_bench assign INSTANCE SOLUTION RANKING ADMIN_LEVEL
 */
#include "clusterplan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int die(const cp_error *err)
{
    fprintf(stderr, "facilitator_bench: %s\n", err->message);
    return 2;
}

static int bench_rank(char **argv)
{
    cp_error err;
    double t0 = now(), t1, t2, t3, t4;
    cp_candidate_set *set = cp_read_candidates(argv[2], &err);
    cp_rubric *rub;
    cp_ranking *r;
    if (!set)
        return die(&err);
    t1 = now();
    if (!(rub = cp_read_rubric(argv[3], &err)))
        return die(&err);
    t2 = now();
    if (!(r = cp_rank(set, rub, &err)))
        return die(&err);
    t3 = now();
    if (cp_write_ranking(argv[4], r, &err))
        return die(&err);
    t4 = now();
    printf("rank: %d candidates (%d ranked); read+validate+SHA-256 %.3f s, rank %.3f s, "
           "write XML %.3f s, total %.3f s\n", set->n, r->ranked, t1 - t0, t3 - t2, t4 - t3,
           t4 - t0);
    cp_ranking_free(r);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
    return 0;
}

static int bench_assign(char **argv)
{
    cp_error err;
    cp_warnings warn = {0, 0, NULL};
    cp_scenario sc;
    cp_instance *inst;
    cp_distance_ctx *dist;
    cp_layout *lay;
    cp_published_ranking *pub;
    cp_assignment *a;
    cp_assign_options opt = {NULL, 0, 1, 1, NULL, NULL, NULL};
    double t0, t1;
    cp_scenario_defaults(&sc);
    sc.admin_level = atoi(argv[5]);
    if (!(inst = cp_read_instance(argv[2], NULL, &warn, &err)) ||
        !(dist = cp_distance_new(inst, &err)) || !(lay = cp_read_solution(argv[3], inst, &err)) ||
        !(pub = cp_read_ranking(argv[4], &err)))
        return die(&err);
    t0 = now();
    if (!(a = cp_assign(inst, &sc, lay, pub, &opt, dist, &err)))
        return die(&err);
    t1 = now();
    printf("assign (admin level %d): %d facilitators, %d clusters; covered %d, inside %d, "
           "travel %.1f, %s; %.3f s\n", sc.admin_level, a->facilitators, lay->n_clusters,
           a->covered, a->inside_count, a->total_travel,
           a->optimal ? "proven optimal" : "NOT proven", t1 - t0);
    cp_assignment_free(a);
    cp_published_ranking_free(pub);
    cp_layout_free(lay);
    cp_distance_free(dist);
    cp_instance_free(inst);
    cp_warnings_free(&warn);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 5 && !strcmp(argv[1], "rank"))
        return bench_rank(argv);
    if (argc == 6 && !strcmp(argv[1], "assign"))
        return bench_assign(argv);
    fprintf(stderr, "usage: facilitator_bench rank CANDIDATES RUBRIC OUT.xml\n"
                    "       facilitator_bench assign INSTANCE SOLUTION RANKING ADMIN_LEVEL\n");
    return 2;
}
