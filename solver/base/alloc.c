/*
 * alloc.c — the one allocation wrapper.  Every allocation of the library goes
 * through here so tests can make the k-th allocation fail and check that
 * each caller reports a clean error and leaks nothing.
 */
#include "base.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* Injection state is process-wide; tests run single-threaded while using
 * it.  The count is atomic because solves allocate from every thread. */
static atomic_long alloc_count;
static long fail_at; /* 0 = never */

void cp_alloc_fail_after(long k)
{
    atomic_store(&alloc_count, 0);
    fail_at = k;
}

long cp_alloc_count(void)
{
    return atomic_load(&alloc_count);
}

static int should_fail(void)
{
    long n = atomic_fetch_add(&alloc_count, 1) + 1;
    return fail_at > 0 && n >= fail_at;
}

void *cp_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return malloc(n ? n : 1);
}

void *cp_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    if (count == 0 || size == 0)
        count = size = 1;
    return calloc(count, size);
}

void *cp_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return realloc(p, n ? n : 1);
}

char *cp_strdup(const char *s)
{
    size_t len;
    char *copy;
    if (!s)
        return NULL;
    len = strlen(s);
    copy = cp_malloc(len + 1);
    if (copy)
        memcpy(copy, s, len + 1);
    return copy;
}

void cp_free(void *p)
{
    free(p);
}
