/*
 * generate.c — a synthetic country for scale tests (10^3 to 10^6 schools),
 * deterministic for a given seed (own PRNG, splitmix64).
 *
 * Geography on a Kenya-sized box (lat -5..5, lon 34..42):
 *   towns     n / 150 of them; 85 % in a fertile west-to-centre band, the
 *             rest anywhere, except that the arid north-east (lat > 1,
 *             lon > 38.5) keeps only one town in four it draws;
 *   schools   each town gets a heavy-tailed share (Pareto-like weights), and
 *             its schools scatter around it, compact in big towns (sigma
 *             near 2 km) and wide in villages (up to 12 km);
 *   units     admin1..admin3 are nested grid cells (1.25, 0.3125 and 0.125
 *             degrees) named C.., C..-D.., C..-D..-Z..; the existing
 *             `cluster` is the zone, as in Kenya's register;
 *   schools   teachers 3 + an exponential draw (mean 6, up to 30 in towns 20
 *             times the average), quality the mean of two uniforms, 8 % not
 *             able to host.
 */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    uint64_t s;
} rng;

uint64_t cp_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static uint64_t next_u64(rng *r)
{
    return cp_splitmix64(&r->s);
}

static double uniform(rng *r)
{
    return (double)(next_u64(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double gaussian(rng *r)
{
    double u = uniform(r), v = uniform(r);
    return sqrt(-2.0 * log(u > 1e-300 ? u : 1e-300)) * cos(2.0 * 3.14159265358979323846 * v);
}

typedef struct {
    double lat, lon, weight;
} town;

static void place_town(rng *r, town *t)
{
    for (;;) {
        int fertile = uniform(r) < 0.85;
        t->lat = fertile ? -4.5 + 6.0 * uniform(r) : -5.0 + 10.0 * uniform(r);
        t->lon = fertile ? 34.0 + 4.0 * uniform(r) : 34.0 + 8.0 * uniform(r);
        if (!(t->lat > 1.0 && t->lon > 38.5) || uniform(r) < 0.25)
            return;
    }
}

static void unit_names(double lat, double lon, char names[3][48])
{
    int a = (int)floor((lat + 5.0) / 1.25), b = (int)floor((lon - 34.0) / 1.25);
    int c = (int)floor((lat + 5.0) / 0.3125), d = (int)floor((lon - 34.0) / 0.3125);
    int e = (int)floor((lat + 5.0) / 0.125), f = (int)floor((lon - 34.0) / 0.125);
    snprintf(names[0], 48, "C%02d", a * 8 + b);
    snprintf(names[1], 48, "C%02d-D%03d", a * 8 + b, (c % 4) * 4 + d % 4);
    snprintf(names[2], 48, "C%02d-D%03d-Z%02d", a * 8 + b, (c % 4) * 4 + d % 4,
             (e % 3) * 3 + f % 3);
}

/* `size`: the town's share relative to an average town's (1 = average). */
static cp_code add_school(cp_instance *inst, rng *r, const town *t, double size, long k)
{
    char id[32], names[3][48];
    const char *admin[CP_ADMIN_LEVELS] = {NULL, NULL, NULL, NULL};
    double sigma_km = 2.0 + 10.0 / (1.0 + 0.5 * size);
    cp_school *s;
    int i;
    snprintf(id, sizeof id, "G%07ld", k + 1);
    i = cp_instance_add_school(inst, id);
    if (i < 0)
        return CP_ERESOURCE;
    s = &inst->schools[i];
    /* 6 decimals of a degree (about 0.1 m), as GIS exports carry */
    s->y = round(fmax(-5.0, fmin(5.0, t->lat + gaussian(r) * sigma_km / 111.195)) * 1e6) / 1e6;
    s->x = round(fmax(34.0, fmin(42.0, t->lon + gaussian(r) * sigma_km / 111.195)) * 1e6) / 1e6;
    s->teachers = 3.0 + floor(-log(1.0 - uniform(r)) * (6.0 + 24.0 * fmin(1.0, size / 20.0)));
    s->enrolment = floor(s->teachers * (25.0 + 20.0 * uniform(r)));
    s->quality = floor(50.0 * (uniform(r) + uniform(r))) / 100.0;
    s->host = uniform(r) >= 0.08;
    s->line = (int)(k + 1);
    unit_names(s->y, s->x, names);
    admin[0] = names[0];
    admin[1] = names[1];
    admin[2] = names[2];
    if (cp_instance_set_admin(inst, i, admin))
        return CP_ERESOURCE;
    s->cluster = inst->schools[i].admin_name[2];
    return CP_OK;
}

/* Town weights ~ 1/u^0.7 (heavy tail), normalised to n schools in all. */
static cp_code populate(cp_instance *inst, rng *r, town *towns, long n_towns, long n)
{
    double total = 0.0, carry = 0.0;
    long t, k = 0;
    for (t = 0; t < n_towns; t++) {
        place_town(r, &towns[t]);
        towns[t].weight = pow(1.0 - uniform(r), -0.7);
        total += towns[t].weight;
    }
    for (t = 0; t < n_towns && k < n; t++) {
        double share = towns[t].weight / total, want = share * (double)n + carry;
        long count = t == n_towns - 1 ? n - k : (long)floor(want);
        carry = want - (double)count;
        for (; count > 0 && k < n; count--, k++)
            if (add_school(inst, r, &towns[t], share * (double)n_towns, k))
                return CP_ERESOURCE;
    }
    return CP_OK;
}

cp_instance *cp_generate(long n, uint64_t seed, cp_error *err)
{
    char name[64];
    rng r = {seed * 0x2545F4914F6CDD1DULL + 1};
    long n_towns = n / 150 > 0 ? n / 150 : 1;
    town *towns;
    cp_instance *inst;
    if (n < 0 || n > 100000000L) {
        cp_fail(err, CP_EINPUT, "--schools %ld: expected 0 to 100000000", n);
        return NULL;
    }
    snprintf(name, sizeof name, "synthetic-%ld-seed-%llu", n, (unsigned long long)seed);
    inst = cp_instance_new(name, CP_DIST_HAVERSINE);
    towns = cp_malloc((size_t)n_towns * sizeof *towns);
    if (!inst || !towns || populate(inst, &r, towns, n_towns, n)) {
        cp_free(towns);
        cp_instance_free(inst);
        cp_fail_nomem(err);
        return NULL;
    }
    cp_free(towns);
    return inst;
}

/* Teachers of each group: a school's teachers times a share drawn from
 * 0.12..0.28 (a primary school's maths or English teachers are about a
 * fifth of its staff), rounded at random; a stream of its own per group,
 * so the country's other fields are those of cp_generate. */
cp_code cp_generate_groups(cp_instance *inst, const char *const *names, int n, uint64_t seed,
                           cp_error *err)
{
    int g, i;
    if (n > CP_MAX_GROUPS)
        return cp_fail(err, CP_EINPUT, "--groups: at most %d groups", CP_MAX_GROUPS);
    for (g = 0; g < n; g++) {
        rng r = {(seed + 101 * (uint64_t)(g + 1)) * 0x9E3779B97F4A7C15ULL};
        if (!names[g][0] || strspn(names[g], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                              "0123456789_-") != strlen(names[g]))
            return cp_fail(err, CP_EINPUT, "--groups: \"%s\": expected names of letters, digits, "
                           "_ and -, separated by commas", names[g]);
        for (i = 0; i < inst->n_schools; i++) {
            double share = 0.12 + 0.16 * uniform(&r);
            double t = floor(inst->schools[i].teachers * share + uniform(&r));
            if (cp_instance_set_group(inst, i, names[g], t, err))
                return err->code;
        }
    }
    return CP_OK;
}
