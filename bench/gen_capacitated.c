/*
 * gen_capacitated.c — the harder capacitated set of issue 27: capacitated
 * p-median instances of 300-3,000 points, drawn the same way every time
 * from a seed, as a native instance and a scenario.
 *
 * How they are drawn (bench/RESULTS.md "The harder capacitated set"):
 *   - points on a 1,000 x 1,000 square: half uniform, half around
 *     n / 50 towns (normal, sd 30), so density varies as a country's does;
 *   - demands ("teachers") uniform whole numbers 1..20;
 *   - p = n / 10 medians, each of capacity  ceil(1.12 * total demand / p),
 *     so the medians are 89 % full on average and capacity binds;
 *   - a member is admissible to a median within D, the radius that holds
 *     about 60 points at the average density (as 10 km does for schools),
 *     so the pairs grow with n, not n^2;
 *   - real euclidean distances, every point weight 1 (SJC's convention).
 * Usage: gen_capacitated N SEED OUT.xml OUT-scenario.xml
 * Bench-only: never part of the library.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static double uniform01(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(state >> 11) / 9007199254740992.0;
}

static double normal(void)
{
    double u = uniform01(), v = uniform01();
    return sqrt(-2.0 * log(u > 1e-300 ? u : 1e-300)) * cos(2.0 * 3.14159265358979323846 * v);
}

static double clamp(double v)
{
    return v < 0 ? 0 : v > 1000 ? 1000 : v;
}

int main(int argc, char **argv)
{
    int n, seed, towns, i, p;
    long total = 0;
    double *tx, *ty, radius;
    FILE *inst, *scen;
    if (argc != 5 || (n = atoi(argv[1])) < 20 || (seed = atoi(argv[2])) < 0) {
        fprintf(stderr, "usage: gen_capacitated N SEED OUT.xml OUT-scenario.xml\n");
        return 2;
    }
    state = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)seed * 0xBF58476D1CE4E5B9ULL) ^ (uint64_t)n;
    towns = n / 50 > 1 ? n / 50 : 1;
    tx = malloc((size_t)towns * sizeof *tx);
    ty = malloc((size_t)towns * sizeof *ty);
    inst = fopen(argv[3], "w");
    scen = fopen(argv[4], "w");
    if (!tx || !ty || !inst || !scen) {
        perror("gen_capacitated");
        return 1;
    }
    for (i = 0; i < towns; i++) {
        tx[i] = 100 + 800 * uniform01();
        ty[i] = 100 + 800 * uniform01();
    }
    fprintf(inst, "<instance name=\"capacitated-%d-%d\" distance=\"euclidean\">\n", n, seed);
    for (i = 0; i < n; i++) {
        double x, y;
        int demand = 1 + (int)(20 * uniform01());
        if (i % 2 == 0) {
            x = 1000 * uniform01();
            y = 1000 * uniform01();
        } else {
            int t = (int)(towns * uniform01());
            x = clamp(tx[t] + 30 * normal());
            y = clamp(ty[t] + 30 * normal());
        }
        total += demand;
        fprintf(inst, "  <school id=\"v%d\" x=\"%.3f\" y=\"%.3f\" teachers=\"%d\"/>\n", i + 1, x,
                y, demand);
    }
    fprintf(inst, "</instance>\n");
    p = n / 10;
    radius = sqrt(60.0 * 1e6 / (3.14159265358979323846 * n));
    fprintf(scen,
            "<scenario name=\"capacitated-%d-%d\">\n  <size min=\"1\" max=\"%d\"/>\n"
            "  <distance max=\"%.1f\"/>\n  <capacity teachers=\"%ld\"/>\n"
            "  <clusters count=\"%d\"/>\n  <objective weight=\"none\"/>\n"
            "  <solver time-limit=\"0\"/>\n</scenario>\n",
            n, seed, n, radius, (long)ceil(1.12 * (double)total / p), p);
    fclose(inst);
    fclose(scen);
    free(tx);
    free(ty);
    return 0;
}
