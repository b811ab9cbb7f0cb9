/*
 * parallel.c — the one place OpenMP is used.  Without OpenMP (or with one
 * thread) the serial twin runs the same tasks in index order, so results
 * merged by index are identical whatever the thread count.
 */
#include "internal.h"

#ifdef _OPENMP
#include <omp.h>
#endif

int cp_parallel_threads(int threads)
{
#ifdef _OPENMP
    return threads > 0 ? threads : omp_get_num_procs();
#else
    (void)threads;
    return 1;
#endif
}

static void serial_for(int count, void (*task)(int, void *), void *arg)
{
    int k;
    for (k = 0; k < count; k++)
        task(k, arg);
}

void cp_chunk_range(long count, int k, int chunks, long *lo, long *hi)
{
    *lo = count * k / chunks;
    *hi = count * (k + 1) / chunks;
}

void cp_parallel_for(int count, int threads, void (*task)(int k, void *arg), void *arg)
{
    int t = cp_parallel_threads(threads);
    if (t <= 1 || count <= 1) {
        serial_for(count, task, arg);
        return;
    }
#ifdef _OPENMP
    {
        int k;
#pragma omp parallel for schedule(dynamic, 1) num_threads(t)
        for (k = 0; k < count; k++)
            task(k, arg);
    }
#endif
}
