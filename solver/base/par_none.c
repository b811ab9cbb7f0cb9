/*
 * par_none.c — the serial twin of par_omp.c, built with PAR=none (no
 * OpenMP anywhere in the build).  Every loop runs its tasks in index order
 * on the calling thread; since tasks write only their own slots and
 * results are merged by index, the output is the same bytes as par_omp.c's
 * on any number of threads (make check compares them).
 */
#include "base.h"

int cp_parallel_threads(int threads)
{
    (void)threads;
    return 1;
}

void cp_parallel_for(int count, int threads, void (*task)(int k, void *arg), void *arg)
{
    int k;
    (void)threads;
    for (k = 0; k < count; k++)
        task(k, arg);
}
