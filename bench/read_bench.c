/*
 * read_bench.c — reader throughput and peak memory: reads one instance file
 * with the library's streaming reader and prints schools, seconds, MB/s and
 * the process's peak resident memory.  Used by bench/run.sh.
 */
#include "clusterplan.h"

#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv)
{
    cp_error err;
    struct stat st;
    struct rusage ru;
    cp_instance *inst;
    double t0, secs, mb;
    if (argc != 2 || stat(argv[1], &st) != 0) {
        fprintf(stderr, "usage: read_bench FILE\n");
        return 2;
    }
    t0 = now();
    inst = cp_read_instance(argv[1], NULL, NULL, &err);
    secs = now() - t0;
    if (!inst) {
        fprintf(stderr, "%s\n", err.message);
        return 2;
    }
    getrusage(RUSAGE_SELF, &ru);
    mb = (double)st.st_size / 1e6;
    printf("schools=%d file_mb=%.1f seconds=%.3f mb_per_s=%.1f peak_rss_mb=%.1f "
           "rss_bytes_per_school=%.0f\n",
           inst->n_schools, mb, secs, mb / secs, (double)ru.ru_maxrss / 1024.0,
           (double)ru.ru_maxrss * 1024.0 / inst->n_schools);
    cp_instance_free(inst);
    return 0;
}
