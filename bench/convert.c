/*
 * convert.c — turns the classic benchmark files of ../shared/benchmarks into
 * a native instance and a scenario, exactly as the benchmarks' README
 * defines them:
 *   pmed  FILE  OR-Library p-median: edges in order, the last occurrence of
 *               a repeated edge wins, then all-pairs shortest paths; matrix
 *               distances; weight none, size 1..n, count p
 *   osman FILE  capacitated p-median (Osman & Christofides): floor of the
 *               euclidean distance as a matrix; demand as teachers; capacity Q
 *   sjc   FILE  capacitated p-median (Lorena & Senne): real euclidean; demand
 *               as teachers; capacity (uniform in these files)
 * Usage: convert KIND FILE OUT.xml OUT-scenario.xml [TIME_LIMIT]
 * Bench-only: never part of the library.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void scenario(const char *path, const char *name, int n, int p, double capacity,
                     double time_limit)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fprintf(f, "<scenario name=\"%s\">\n  <size min=\"1\" max=\"%d\"/>\n", name, n);
    if (capacity > 0)
        fprintf(f, "  <capacity teachers=\"%g\"/>\n", capacity);
    fprintf(f, "  <clusters count=\"%d\"/>\n  <objective weight=\"none\"/>\n", p);
    fprintf(f, "  <solver time-limit=\"%g\"/>\n</scenario>\n", time_limit);
    fclose(f);
}

static void write_matrix(FILE *f, int n, double *d)
{
    int i, j;
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++)
            if (isfinite(d[(size_t)i * n + j]))
                fprintf(f, "  <od from=\"v%d\" to=\"v%d\" cost=\"%.17g\"/>\n", i + 1, j + 1,
                        d[(size_t)i * n + j]);
}

static void pmed(FILE *in, FILE *out, int *n_out, int *p_out)
{
    int n, m, p, k, i, j, a, b;
    double c, *d;
    if (fscanf(in, "%d %d %d", &n, &m, &p) != 3)
        exit(1);
    d = malloc((size_t)n * n * sizeof *d);
    for (i = 0; i < n * n; i++)
        d[i] = i % (n + 1) == 0 ? 0 : INFINITY;
    for (k = 0; k < m; k++) {
        if (fscanf(in, "%d %d %lf", &a, &b, &c) != 3)
            exit(1);
        d[(size_t)(a - 1) * n + b - 1] = d[(size_t)(b - 1) * n + a - 1] = c; /* last wins */
    }
    for (k = 0; k < n; k++)
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++)
                if (d[(size_t)i * n + k] + d[(size_t)k * n + j] < d[(size_t)i * n + j])
                    d[(size_t)i * n + j] = d[(size_t)i * n + k] + d[(size_t)k * n + j];
    fprintf(out, "<instance name=\"pmed\" distance=\"matrix\">\n");
    for (i = 0; i < n; i++)
        fprintf(out, "  <school id=\"v%d\"/>\n", i + 1);
    write_matrix(out, n, d);
    fprintf(out, "</instance>\n");
    free(d);
    *n_out = n;
    *p_out = p;
}

static void osman(FILE *in, FILE *out, int *n_out, int *p_out, double *q_out)
{
    int prob, n, p, i, j, id;
    double opt, q, *x, *y, *dem, *d;
    if (fscanf(in, "%d %lf %d %d %lf", &prob, &opt, &n, &p, &q) != 5)
        exit(1);
    x = malloc((size_t)n * sizeof *x);
    y = malloc((size_t)n * sizeof *y);
    dem = malloc((size_t)n * sizeof *dem);
    d = malloc((size_t)n * n * sizeof *d);
    for (i = 0; i < n; i++)
        if (fscanf(in, "%d %lf %lf %lf", &id, &x[i], &y[i], &dem[i]) != 4)
            exit(1);
    for (i = 0; i < n; i++)
        for (j = 0; j < n; j++)
            d[(size_t)i * n + j] = floor(sqrt((x[i] - x[j]) * (x[i] - x[j]) +
                                              (y[i] - y[j]) * (y[i] - y[j])));
    fprintf(out, "<instance name=\"osman-%d\" distance=\"matrix\">\n", prob);
    for (i = 0; i < n; i++)
        fprintf(out, "  <school id=\"v%d\" teachers=\"%g\"/>\n", i + 1, dem[i]);
    write_matrix(out, n, d);
    fprintf(out, "</instance>\n");
    *n_out = n;
    *p_out = p;
    *q_out = q;
    free(x);
    free(y);
    free(dem);
    free(d);
}

static void sjc(FILE *in, FILE *out, int *n_out, int *p_out, double *q_out)
{
    int n, p, i;
    double x, y, cap, dem;
    if (fscanf(in, "%d %d", &n, &p) != 2)
        exit(1);
    fprintf(out, "<instance name=\"sjc\" distance=\"euclidean\">\n");
    for (i = 0; i < n; i++) {
        if (fscanf(in, "%lf %lf %lf %lf", &x, &y, &cap, &dem) != 4)
            exit(1);
        fprintf(out, "  <school id=\"v%d\" x=\"%.17g\" y=\"%.17g\" teachers=\"%g\"/>\n", i + 1,
                x, y, dem);
        *q_out = cap;
    }
    fprintf(out, "</instance>\n");
    *n_out = n;
    *p_out = p;
}

int main(int argc, char **argv)
{
    FILE *in, *out;
    int n = 0, p = 0;
    double q = 0;
    if (argc < 5) {
        fprintf(stderr, "usage: convert pmed|osman|sjc FILE OUT.xml OUT-scenario.xml [TIME]\n");
        return 2;
    }
    in = fopen(argv[2], "r");
    out = fopen(argv[3], "w");
    if (!in || !out) {
        perror("convert");
        return 1;
    }
    if (!strcmp(argv[1], "pmed"))
        pmed(in, out, &n, &p);
    else if (!strcmp(argv[1], "osman"))
        osman(in, out, &n, &p, &q);
    else
        sjc(in, out, &n, &p, &q);
    fclose(in);
    fclose(out);
    scenario(argv[4], argv[1], n, p, q, argc > 5 ? atof(argv[5]) : 60);
    return 0;
}
