/*
 * testutil.h — small helpers shared by the cmocka tests: reading a file,
 * skipping tests whose shared data is absent, temporary paths.
 * Tests run from the repository root (tests/run_tests.sh does that).
 */
#ifndef CP_TESTUTIL_H
#define CP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clusterplan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SHARED "../shared"

/* The tests' own generator (splitmix64): random cases that are the same on
 * every machine. */
typedef struct {
    uint64_t s;
} test_rng;

static inline uint64_t next_u64(test_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static inline int uniform(test_rng *r, int lo, int hi)
{
    return lo + (int)(next_u64(r) % (uint64_t)(hi - lo + 1));
}

static inline char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (buf) {
        buf[n] = '\0';
        *len = (size_t)n;
    }
    return buf;
}

/* Whether a shared data file is there to test on.  Outside CI a missing
 * file skips the test; in CI (CI=true), where shared/ is laid beside the
 * clone, it fails it: a silent skip would hide the real-data checks. */
static inline int have_file(const char *path)
{
    const char *ci = getenv("CI");
    if (access(path, R_OK) == 0)
        return 1;
    if (ci && !strcmp(ci, "true"))
        fail_msg("%s absent in CI", path);
    return 0;
}

static inline cp_instance *load_instance(const char *path)
{
    cp_error err;
    cp_warnings w = {0, 0, NULL};
    cp_instance *inst = cp_read_instance(path, NULL, &w, &err);
    if (!inst)
        fprintf(stderr, "load %s: %s\n", path, err.message);
    cp_warnings_free(&w);
    return inst;
}

/* Reads a GIS layer with field mappings ("FIELD=COLUMN", NULL-terminated);
 * warnings go to *w (caller frees). */
static inline cp_instance *load_mapped(const char *path, const char *const *maps, cp_warnings *w)
{
    cp_scenario sc;
    cp_error err;
    cp_instance *inst;
    cp_scenario_defaults(&sc);
    for (; *maps; maps++)
        if (cp_scenario_map_field(&sc, *maps, &err) != CP_OK)
            fprintf(stderr, "mapping %s: %s\n", *maps, err.message);
    inst = cp_read_instance(path, &sc, w, &err);
    if (!inst)
        fprintf(stderr, "load %s: %s\n", path, err.message);
    cp_scenario_clear(&sc);
    return inst;
}

static inline void temp_path(char *buf, size_t n, const char *name)
{
    snprintf(buf, n, "%s/cp-test-%ld-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (long)getpid(), name);
}

#endif
