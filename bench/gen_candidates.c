/*
 * gen_candidates.c — a synthetic candidates file for the facilitator
 * benchmarks (bench/run_facilitators.sh): N nominees at schools read from
 * standard input (one id per line), with genders, regions, education,
 * experience, a written score, three interview raters and two demonstration
 * raters.  A fixed LCG makes the file the same on every machine.
 * Usage: gen_candidates N SEED < school-ids > candidates.xml
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned long long state;

static int next(int n)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)((state >> 33) % (unsigned long long)n);
}

int main(int argc, char **argv)
{
    static const char *const education[] = {"diploma", "bachelor", "bachelor", "master", "doctorate"};
    static const char *const regions[] = {"North", "South", "East", "West", "Central", "Coast"};
    char **ids = NULL, line[256];
    long n_ids = 0, cap = 0, n, k;
    if (argc != 3)
        return fprintf(stderr, "usage: gen_candidates N SEED < school-ids\n"), 2;
    n = atol(argv[1]);
    state = strtoull(argv[2], NULL, 10);
    while (fgets(line, sizeof line, stdin)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (n_ids == cap && !(ids = realloc(ids, (size_t)(cap = cap ? 2 * cap : 1024) * sizeof *ids)))
            return 3;
        ids[n_ids++] = strdup(line);
    }
    if (n_ids == 0)
        return fprintf(stderr, "gen_candidates: no school ids on standard input\n"), 2;
    printf("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<candidates name=\"synthetic %ld\">\n", n);
    for (k = 0; k < n; k++) {
        printf("  <candidate id=\"N%07ld\" gender=\"%s\" school=\"%s\" region=\"%s\" "
               "education=\"%s\" experience-years=\"%d\">\n", k + 1, next(5) < 2 ? "female" : "male",
               ids[next((int)n_ids)], regions[next(6)], education[next(5)], 1 + next(20));
        printf("    <score criterion=\"written\" value=\"%d\"/>\n", 40 + next(61));
        printf("    <score criterion=\"interview\" rater=\"R1\" value=\"%d\"/>\n", 5 + next(16));
        printf("    <score criterion=\"interview\" rater=\"R2\" value=\"%d\"/>\n", 5 + next(16));
        printf("    <score criterion=\"interview\" rater=\"R3\" value=\"%d\"/>\n", 5 + next(16));
        printf("    <score criterion=\"demonstration\" rater=\"D1\" value=\"%d\"/>\n", 10 + next(21));
        printf("    <score criterion=\"demonstration\" rater=\"D2\" value=\"%d\"/>\n", 10 + next(21));
        printf("  </candidate>\n");
    }
    printf("</candidates>\n");
    return 0;
}
