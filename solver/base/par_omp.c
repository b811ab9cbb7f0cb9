/*
 * par_omp.c — the parallel loops on OpenMP, the one place OpenMP is used.
 * Its serial twin, par_none.c, is built instead with PAR=none.  With one
 * thread this file also runs the tasks in index order, so results merged
 * by index are identical whatever the thread count, and the same as the
 * twin's.
 *
 * Inside a team (a loop within a loop) a loop's iterations become tasks of
 * that team rather than a team of their own: the threads stay `threads`,
 * and one that is idle takes them up.
 */
#include "base.h"

#include <stdatomic.h>

#include <omp.h>

int cp_parallel_threads(int threads)
{
    return threads > 0 ? threads : omp_get_num_procs();
}

static void serial_for(int count, void (*task)(int, void *), void *arg)
{
    int k;
    for (k = 0; k < count; k++)
        task(k, arg);
}

/* Inside a team: t tasks that each take the next index until none is
 * left, so the iterations still start in index order (a taskloop in
 * libgomp ran them in no fixed order: largest-first schedules came apart). */
static void team_loop(int count, int t, void (*task)(int, void *), void *arg)
{
    atomic_int next = 0;
#pragma omp taskgroup
    {
        int w;
        for (w = 0; w < t && w < count; w++) {
#pragma omp task shared(next)
            {
                int k;
                while ((k = atomic_fetch_add(&next, 1)) < count)
                    task(k, arg);
            }
        }
    }
}

void cp_parallel_for(int count, int threads, void (*task)(int k, void *arg), void *arg)
{
    int t = cp_parallel_threads(threads);
    if (t <= 1 || count <= 1) {
        serial_for(count, task, arg);
        return;
    }
    if (omp_in_parallel()) {
        team_loop(count, t, task, arg);
    } else {
        int k;
#pragma omp parallel for schedule(dynamic, 1) num_threads(t)
        for (k = 0; k < count; k++)
            task(k, arg);
    }
}
