/*
 * milp_cover.c — cluster-count cover cuts for the cluster MILP, used when
 * clusters cost something (the cost objective's host stipend, a cluster
 * cost) and every school is to be placed.  milp.c adds them to GLPK's
 * search; this file knows nothing of GLPK.
 *
 * For a set S of schools that must all be placed and N(S) the centres any
 * of them may join, with M the largest cluster size,
 *     sum_{j in N(S)} x_jj  >=  ceil(|S| / M).
 * The size rows already give sum >= |S| / M; the rounding is the cut.
 * Why: with a stipend per cluster the LP opens fractions of centres, a
 * group of 8 schools as 8/7 of a cluster where 2 are needed; on Machakos
 * by zones (cost objective) the bound was 4 % below the optimum after
 * 120 s, its hardest zone unproven.
 *
 * Separation (heuristic): from every school with a fractional centre among
 * its admissible ones as a seed, S grows one school at a time, always by
 * the school sharing a centre with S that adds the least LP mass
 * (sum of x_jj) of new centres to N(S), ties by the fewest new centres,
 * then by index; each prefix of the growth is a candidate cut and the most
 * violated prefix of each seed is kept, duplicates (the same N(S) and
 * |S|) dropped.  Each candidate's added mass and count are kept up to date
 * as centres enter N(S) (a centre entering visits its members once), so a
 * step scans the candidates only.  Work per seed: max_set x candidates plus
 * the pairs of the centres that enter N(S).  (Summing each candidate's
 * centres afresh at every step, as before, made this separator a sixth of
 * the Kenya zones' run under the cost objective.)
 */
#include "exact.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_VIOLATION 0.05
#define EPS 1e-6

struct cp_cover_cuts {
    int n, size_max, max_set;
    const int *self_col;            /* per local school: x_jj's column or 0 */
    int *centres_start, *centres;   /* per member: admissible centres (local) */
    int *members_start, *members;   /* per centre: admissible members (local) */
    unsigned char *in_s, *in_n, *is_cand;
    int *cand, *s_list, *n_list, *best_n;
    double *add_mass;               /* per candidate: LP mass of its centres not in N(S) */
    int *add_new;                   /* ... and their count */
    unsigned long *seen;            /* hashes of the cuts of this call */
    int n_seen, seen_cap;
    int *row_cols;
    double *row_vals;
};

/* CSR of val by key over the pairs whose centre has an open column
 * (centre_is_key: the centre is key[c], else val[c]). */
static int *csr_by(int n, long n_cols, const int *key, const int *val, const int *self_col,
                   int centre_is_key, int **start_out)
{
    int *start = cp_calloc((size_t)n + 2, sizeof(int)), *out, *fill;
    long c;
    int k;
    out = cp_malloc((size_t)(n_cols + 1) * sizeof(int));
    fill = cp_malloc(((size_t)n + 1) * sizeof(int));
    if (!start || !out || !fill) {
        cp_free(start);
        cp_free(out);
        cp_free(fill);
        return NULL;
    }
    for (c = 1; c <= n_cols; c++)
        if (self_col[centre_is_key ? key[c] : val[c]])
            start[key[c] + 1]++;
    for (k = 0; k < n; k++)
        start[k + 1] += start[k];
    memcpy(fill, start, (size_t)n * sizeof(int));
    for (c = 1; c <= n_cols; c++)
        if (self_col[centre_is_key ? key[c] : val[c]])
            out[fill[key[c]]++] = val[c];
    cp_free(fill);
    *start_out = start;
    return out;
}

cp_cover_cuts *cp_cover_cuts_new(int n, long n_cols, const int *member, const int *centre,
                                 const int *self_col, int size_max, int max_set)
{
    cp_cover_cuts *s = cp_calloc(1, sizeof *s);
    size_t un = (size_t)(n ? n : 1);
    if (!s)
        return NULL;
    s->n = n;
    s->size_max = size_max;
    s->max_set = max_set;
    s->self_col = self_col;
    s->centres = csr_by(n, n_cols, member, centre, self_col, 0, &s->centres_start);
    s->members = csr_by(n, n_cols, centre, member, self_col, 1, &s->members_start);
    s->in_s = cp_calloc(un, 1);
    s->in_n = cp_calloc(un, 1);
    s->is_cand = cp_calloc(un, 1);
    s->cand = cp_malloc(un * sizeof(int));
    s->s_list = cp_malloc(un * sizeof(int));
    s->n_list = cp_malloc(un * sizeof(int));
    s->best_n = cp_malloc(un * sizeof(int));
    s->add_mass = cp_malloc(un * sizeof(double));
    s->add_new = cp_malloc(un * sizeof(int));
    s->row_cols = cp_malloc(un * sizeof(int));
    s->row_vals = cp_malloc(un * sizeof(double));
    if (!s->centres || !s->members || !s->in_s || !s->in_n || !s->is_cand || !s->cand ||
        !s->s_list || !s->n_list || !s->best_n || !s->add_mass || !s->add_new || !s->row_cols ||
        !s->row_vals) {
        cp_cover_cuts_free(s);
        return NULL;
    }
    return s;
}

void cp_cover_cuts_free(cp_cover_cuts *s)
{
    if (!s)
        return;
    cp_free(s->centres_start);
    cp_free(s->centres);
    cp_free(s->members_start);
    cp_free(s->members);
    cp_free(s->in_s);
    cp_free(s->in_n);
    cp_free(s->is_cand);
    cp_free(s->cand);
    cp_free(s->s_list);
    cp_free(s->n_list);
    cp_free(s->best_n);
    cp_free(s->add_mass);
    cp_free(s->add_new);
    cp_free(s->seen);
    cp_free(s->row_cols);
    cp_free(s->row_vals);
    cp_free(s);
}

static double open_value(const cp_cover_cuts *s, const double *x, int j)
{
    return x[s->self_col[j]];
}

/* LP mass and count of the centres school i would add to N(S). */
static double added_mass(const cp_cover_cuts *s, const double *x, int i, int *new_centres)
{
    double mass = 0.0;
    int p;
    *new_centres = 0;
    for (p = s->centres_start[i]; p < s->centres_start[i + 1]; p++)
        if (!s->in_n[s->centres[p]]) {
            mass += open_value(s, x, s->centres[p]);
            ++*new_centres;
        }
    return mass;
}

typedef struct {
    int n_s, n_n, n_cand;
    double mass;
} growth;

/* Puts school i into S: its centres into N(S), which lowers the added
 * mass of every candidate sharing them, and their other members into the
 * candidates, each with its added mass counted once. */
static void take(cp_cover_cuts *s, const double *x, growth *g, int i)
{
    int p, q;
    s->in_s[i] = 1;
    s->s_list[g->n_s++] = i;
    for (p = s->centres_start[i]; p < s->centres_start[i + 1]; p++) {
        int j = s->centres[p];
        double v;
        if (s->in_n[j])
            continue;
        v = open_value(s, x, j);
        s->in_n[j] = 1;
        s->n_list[g->n_n++] = j;
        g->mass += v;
        for (q = s->members_start[j]; q < s->members_start[j + 1]; q++) {
            int m = s->members[q];
            if (s->in_s[m])
                continue;
            if (s->is_cand[m]) {
                s->add_mass[m] -= v;
                s->add_new[m]--;
            } else {
                s->is_cand[m] = 1;
                s->cand[g->n_cand++] = m;
                s->add_mass[m] = added_mass(s, x, m, &s->add_new[m]);
            }
        }
    }
}

/* The candidate adding the least mass, then the fewest centres, then the
 * lowest index.  O(candidates). */
static int next_school(const cp_cover_cuts *s, const growth *g)
{
    int k, best = -1, best_new = 0;
    double best_mass = 0.0;
    for (k = 0; k < g->n_cand; k++) {
        int i = s->cand[k], fresh = s->add_new[i];
        double mass = s->add_mass[i];
        if (s->in_s[i])
            continue;
        if (best < 0 || mass < best_mass - EPS ||
            (mass < best_mass + EPS && (fresh < best_new || (fresh == best_new && i < best)))) {
            best = i;
            best_mass = mass;
            best_new = fresh;
        }
    }
    return best;
}

static void reset(cp_cover_cuts *s, const growth *g)
{
    int k;
    for (k = 0; k < g->n_s; k++)
        s->in_s[s->s_list[k]] = 0;
    for (k = 0; k < g->n_n; k++)
        s->in_n[s->n_list[k]] = 0;
    for (k = 0; k < g->n_cand; k++)
        s->is_cand[s->cand[k]] = 0;
}

/* Grows S from the seed; the most violated prefix's N(S) into best_n.
 * Returns its violation (0 when none) with *n_best centres and *rhs. */
static double grow(cp_cover_cuts *s, const double *x, int seed, int *n_best, int *rhs)
{
    growth g;
    double best = 0.0;
    memset(&g, 0, sizeof g);
    take(s, x, &g, seed);
    for (;;) {
        int need = (g.n_s + s->size_max - 1) / s->size_max, i;
        double viol = need - g.mass;
        if (viol > best + EPS) {
            best = viol;
            *n_best = g.n_n;
            *rhs = need;
            memcpy(s->best_n, s->n_list, (size_t)g.n_n * sizeof(int));
        }
        if (g.n_s >= s->max_set || (i = next_school(s, &g)) < 0)
            break;
        take(s, x, &g, i);
    }
    reset(s, &g);
    return best;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static unsigned long cut_hash(const int *set, int size, int rhs)
{
    unsigned long h = 1469598103934665603UL ^ (unsigned long)rhs;
    int k;
    for (k = 0; k < size; k++)
        h = (h ^ (unsigned long)set[k]) * 1099511628211UL;
    return h;
}

static int seen_before(cp_cover_cuts *s, unsigned long h)
{
    int k;
    for (k = 0; k < s->n_seen; k++)
        if (s->seen[k] == h)
            return 1;
    if (s->n_seen == s->seen_cap) {
        int cap = s->seen_cap ? 2 * s->seen_cap : 64;
        unsigned long *grown = cp_realloc(s->seen, (size_t)cap * sizeof *grown);
        if (!grown)
            return 1; /* cannot remember it: do not emit it twice */
        s->seen = grown;
        s->seen_cap = cap;
    }
    s->seen[s->n_seen++] = h;
    return 0;
}

static int touches_fraction(const cp_cover_cuts *s, const double *x, int i)
{
    int p;
    for (p = s->centres_start[i]; p < s->centres_start[i + 1]; p++) {
        double v = open_value(s, x, s->centres[p]);
        if (v > EPS && v < 1.0 - EPS)
            return 1;
    }
    return 0;
}

int cp_cover_cuts_separate(cp_cover_cuts *s, const double *x, int max_cuts,
                           void (*emit)(const int *cols, const double *vals, int len,
                                        double rhs, void *arg),
                           void *arg)
{
    int seed, found = 0, k;
    s->n_seen = 0;
    for (seed = 0; seed < s->n && found < max_cuts; seed++) {
        int size = 0, rhs = 0;
        if (!touches_fraction(s, x, seed) || grow(s, x, seed, &size, &rhs) < MIN_VIOLATION)
            continue;
        qsort(s->best_n, (size_t)size, sizeof(int), cmp_int);
        if (seen_before(s, cut_hash(s->best_n, size, rhs)))
            continue;
        for (k = 0; k < size; k++) { /* -sum x_jj <= -need */
            s->row_cols[k] = s->self_col[s->best_n[k]];
            s->row_vals[k] = -1.0;
        }
        emit(s->row_cols, s->row_vals, size, -(double)rhs, arg);
        found++;
    }
    return found;
}
