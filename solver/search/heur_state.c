/*
 * heur_state.c — the heuristic's local problem and layout: setup from one
 * part (or region), pair lookup, the four primitives that change a layout
 * (assign, unassign, open, close) with their journal and rollback, the
 * score comparison, the PRNG and the queue of schools to examine.
 *
 * Memory: O(n + admissible pairs of the problem): two extra views of the
 * pairs (by centre, and each member's centres by index for lookups).
 */
#include "heur.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --------------------------------------------------------------- setup */

static int alloc_arrays(hstate *h)
{
    size_t n = (size_t)(h->n ? h->n : 1);
    h->w = cp_malloc(n * sizeof(double));
    h->teachers = cp_malloc(n * sizeof(double));
    h->open_cost = cp_malloc(n * sizeof(double));
    h->eligible = cp_calloc(n, 1);
    h->required = cp_calloc(n, 1);
    h->centre = cp_malloc(n * sizeof(int));
    h->dist = cp_calloc(n, sizeof(double));
    h->size = cp_calloc(n, sizeof(int));
    h->load = cp_calloc(n, sizeof(double));
    h->head = cp_malloc(n * sizeof(int));
    h->next = cp_malloc(n * sizeof(int));
    h->prev = cp_malloc(n * sizeof(int));
    h->queue = cp_malloc(n * sizeof(int));
    h->queued = cp_calloc(n, sizeof(int));
    h->rstart = cp_calloc(n + 1, sizeof(int));
    h->kstart = cp_calloc(n + 1, sizeof(int));
    h->changed_at = cp_calloc(n, sizeof(long));
    h->resplit_at = cp_malloc(n * sizeof(long));
    if (h->resplit_at)
        memset(h->resplit_at, 0xff, n * sizeof(long)); /* -1: never */
    h->cluster_sig = cp_calloc(n, sizeof(uint64_t));
    for (h->fruitless_mask = 1023; h->fruitless_mask < 2 * n && h->fruitless_mask < (1u << 20) - 1;)
        h->fruitless_mask = 2 * h->fruitless_mask + 1;
    h->fruitless = cp_calloc((size_t)h->fruitless_mask + 1, sizeof(uint64_t));
    h->ring_fruitless = cp_calloc((size_t)h->fruitless_mask + 1, sizeof(uint64_t));
    return h->cluster_sig && h->fruitless && h->ring_fruitless && h->changed_at && h->resplit_at && h->w && h->teachers && h->open_cost && h->eligible && h->required && h->centre &&
           h->dist && h->size && h->load && h->head && h->next && h->prev && h->queue &&
           h->queued && h->rstart && h->kstart;
}

static void school_data(hstate *h)
{
    int i;
    for (i = 0; i < h->n; i++) {
        int g = h->schools[i];
        const cp_school *s = &h->inst->schools[g];
        h->w[i] = cp_objective_weight(h->inst, h->sc, g);
        h->teachers[i] = s->teachers;
        h->open_cost[i] = cp_pair_cost(h->inst, h->sc, g, g, 0.0);
        h->eligible[i] = h->cand->eligible[g];
        h->required[i] = s->centre == CP_CENTRE_REQUIRED && h->eligible[i];
        h->centre[i] = h->head[i] = h->next[i] = h->prev[i] = -1;
    }
}

/* Counts pairs inside the problem; fills kstart and rstart counts. */
static long count_pairs(hstate *h)
{
    long total = 0;
    int i, p;
    for (i = 0; i < h->n; i++) {
        int g = h->schools[i];
        for (p = h->cand->start[g]; p < h->cand->start[g + 1]; p++) {
            int c = heur_local(h, h->cand->centre[p]);
            if (c < 0)
                continue;
            h->kstart[i + 1]++;
            h->rstart[c + 1]++;
            total++;
        }
    }
    for (i = 0; i < h->n; i++) {
        h->kstart[i + 1] += h->kstart[i];
        h->rstart[i + 1] += h->rstart[i];
    }
    return total;
}

/* Each member's centres in the candidates' order, which is by distance:
 * the nearest open cluster with room is then found without a lookup of
 * global ids per centre (at national scale those missed the cache, and
 * heur_place was a sixth of a 10^6-school run). */
static void fill_nearest(hstate *h)
{
    int i, p;
    for (i = 0; i < h->n; i++) {
        int g = h->schools[i], t = h->kstart[i];
        for (p = h->cand->start[g]; p < h->cand->start[g + 1]; p++) {
            int c = heur_local(h, h->cand->centre[p]);
            if (c >= 0)
                h->knear[t++] = c;
        }
    }
}

/* Each centre's members, unsorted, into rp (grouped by centre). */
static void fill_pairs(hstate *h, cp_nearest *rp, int *rfill)
{
    int i, p;
    for (i = 0; i < h->n; i++) {
        int g = h->schools[i];
        for (p = h->cand->start[g]; p < h->cand->start[g + 1]; p++) {
            int c = heur_local(h, h->cand->centre[p]);
            if (c < 0)
                continue;
            rp[rfill[c]].d = h->cand->dist[p];
            rp[rfill[c]++].index = i;
        }
    }
}

#define SORT_CHUNKS 64 /* centres sorted in this many chunks, side by side */

typedef struct {
    hstate *h;
    cp_nearest *rp;
} sort_job;

static void sort_chunk(int k, void *arg)
{
    sort_job *job = arg;
    hstate *h = job->h;
    long lo, hi, c;
    int p;
    cp_chunk_range(h->n, k, SORT_CHUNKS, &lo, &hi);
    for (c = lo; c < hi; c++) {
        cp_nearest_sort(job->rp + h->rstart[c], h->rstart[c + 1] - h->rstart[c]);
        for (p = h->rstart[c]; p < h->rstart[c + 1]; p++) {
            h->rmember[p] = job->rp[p].index;
            h->rdist[p] = job->rp[p].d;
        }
    }
}

/* Each centre's members by distance (chunks of centres on `threads`
 * threads: the whole-part set-up of Kenya national, 26,349 schools, ran
 * alone for 0.5 s); then each member's centres by index, which is the
 * transpose of the first view read centre by centre (no sort: centres come
 * in ascending order). */
static void sort_pairs(hstate *h, cp_nearest *rp, int *kfill, int threads)
{
    sort_job job;
    int c, p;
    job.h = h;
    job.rp = rp;
    cp_parallel_for(SORT_CHUNKS, threads > 0 ? threads : 1, sort_chunk, &job);
    memcpy(kfill, h->kstart, (size_t)h->n * sizeof(int));
    for (c = 0; c < h->n; c++)
        for (p = h->rstart[c]; p < h->rstart[c + 1]; p++) {
            int i = h->rmember[p];
            h->kcentre[kfill[i]] = c;
            h->kdist[kfill[i]++] = h->rdist[p];
        }
}

static cp_code build_pairs(hstate *h, int threads)
{
    long total = count_pairs(h);
    size_t np = (size_t)(total ? total : 1);
    cp_nearest *rp = cp_malloc(np * sizeof *rp);
    int *rfill = cp_malloc((size_t)(h->n ? h->n : 1) * sizeof(int));
    cp_code rc = CP_ERESOURCE;
    h->rmember = cp_malloc(np * sizeof(int));
    h->rdist = cp_malloc(np * sizeof(double));
    h->kcentre = cp_malloc(np * sizeof(int));
    h->kdist = cp_malloc(np * sizeof(double));
    h->knear = cp_malloc(np * sizeof(int));
    if (rp && rfill && h->rmember && h->rdist && h->kcentre && h->kdist && h->knear) {
        memcpy(rfill, h->rstart, (size_t)h->n * sizeof(int));
        fill_pairs(h, rp, rfill);
        fill_nearest(h);
        sort_pairs(h, rp, rfill, threads);
        rc = CP_OK;
    }
    cp_free(rp);
    cp_free(rfill);
    return rc;
}

cp_code heur_setup(hstate *h, const cp_milp_input *in, const int *group, int group_id)
{
    memset(h, 0, sizeof *h);
    h->inst = in->inst;
    h->sc = in->sc;
    h->cand = in->cand;
    h->schools = in->schools;
    h->n = in->n;
    h->local_of = in->local_of;
    h->group = group;
    h->group_id = group_id;
    h->count = in->cluster_count;
    h->size_min = in->sc->size_min;
    h->size_max = in->sc->size_max;
    h->capacity = in->sc->capacity;
    h->interrupt = in->interrupt;
    h->rng = (in->sc->solver.seed + in->seed_offset) ^
             (0x9E3779B97F4A7C15ULL * (uint64_t)(group_id + 1));
    if (!alloc_arrays(h))
        return CP_ERESOURCE;
    school_data(h);
    if (build_pairs(h, in->threads))
        return CP_ERESOURCE;
    return heur_rules_setup(h, in);
}

void heur_free(hstate *h)
{
    size_t k;
    if (!h)
        return;
    void *owned[] = {h->w, h->teachers, h->open_cost, h->eligible, h->required, h->rstart,
                     h->rmember, h->rdist, h->kstart, h->kcentre, h->kdist, h->knear,
                     h->centre, h->dist,
                     h->size, h->load, h->head, h->next, h->prev, h->log, h->queue, h->queued,
                     h->changed_at, h->resplit_at, h->cluster_sig, h->fruitless,
                     h->ring_fruitless, h->cyclic_cache};
    heur_rules_free(h);
    for (k = 0; k < sizeof owned / sizeof owned[0]; k++)
        cp_free(owned[k]);
    memset(h, 0, sizeof *h);
}

/* ----------------------------------------------------------- primitives */

static int log_change(hstate *h, int op, int i, int c, double d)
{
    if (!h->log_on)
        return 1;
    if (h->log_len == h->log_cap) {
        long cap = h->log_cap ? 2 * h->log_cap : 256;
        hentry *grown = cp_realloc(h->log, (size_t)cap * sizeof *grown);
        if (!grown) {
            h->log_failed = 1;
            return 0;
        }
        h->log = grown;
        h->log_cap = cap;
    }
    h->log[h->log_len].op = op;
    h->log[h->log_len].school = i;
    h->log[h->log_len].centre = c;
    h->log[h->log_len++].dist = d;
    return 1;
}

static void link_member(hstate *h, int i, int c)
{
    h->prev[i] = -1;
    h->next[i] = h->head[c];
    if (h->head[c] >= 0)
        h->prev[h->head[c]] = i;
    h->head[c] = i;
}

static void unlink_member(hstate *h, int i, int c)
{
    if (h->prev[i] >= 0)
        h->next[h->prev[i]] = h->next[i];
    else
        h->head[c] = h->next[i];
    if (h->next[i] >= 0)
        h->prev[h->next[i]] = h->prev[i];
    h->next[i] = h->prev[i] = -1;
}

int heur_assign(hstate *h, int i, int c, double d)
{
    if (!log_change(h, H_ASSIGN, i, c, d))
        return 0;
    if (h->rules)
        heur_rules_off(h, c);
    h->centre[i] = c;
    h->dist[i] = d;
    h->changed_at[c] = ++h->clock;
    h->cluster_sig[c] ^= heur_school_key(h, i);
    h->size[c]++;
    h->load[c] += h->teachers[i];
    link_member(h, i, c);
    h->score.unassigned--;
    h->score.cost += h->w[i] * d;
    if (h->rules)
        heur_rules_member(h, i, c, 1, d);
    return 1;
}

int heur_unassign(hstate *h, int i)
{
    int c = h->centre[i];
    double d = h->dist[i];
    if (!log_change(h, H_UNASSIGN, i, c, h->dist[i]))
        return 0;
    if (h->rules)
        heur_rules_off(h, c);
    unlink_member(h, i, c);
    h->changed_at[c] = ++h->clock;
    h->cluster_sig[c] ^= heur_school_key(h, i);
    h->size[c]--;
    h->load[c] -= h->teachers[i];
    h->score.unassigned++;
    h->score.cost -= h->w[i] * h->dist[i];
    h->centre[i] = -1;
    h->dist[i] = 0.0;
    if (h->rules)
        heur_rules_member(h, i, c, -1, d);
    return 1;
}

int heur_open(hstate *h, int j)
{
    if (!log_change(h, H_OPEN, j, j, 0.0))
        return 0;
    h->centre[j] = j;
    h->dist[j] = 0.0;
    h->changed_at[j] = ++h->clock;
    h->cluster_sig[j] = heur_school_key(h, j);
    h->size[j] = 1;
    h->load[j] = h->teachers[j];
    h->head[j] = -1;
    link_member(h, j, j);
    h->n_open++;
    h->score.unassigned--;
    h->score.cost += h->open_cost[j];
    if (h->rules)
        heur_rules_opened(h, j);
    return 1;
}

int heur_close(hstate *h, int j)
{
    if (!log_change(h, H_CLOSE, j, j, 0.0))
        return 0;
    if (h->rules)
        heur_rules_closing(h, j);
    unlink_member(h, j, j);
    h->changed_at[j] = ++h->clock;
    h->cluster_sig[j] = 0;
    h->size[j] = 0;
    h->load[j] = 0.0;
    h->n_open--;
    h->score.unassigned++;
    h->score.cost -= h->open_cost[j];
    h->centre[j] = -1;
    return 1;
}

int heur_relocate(hstate *h, int i, int c, double d)
{
    return heur_unassign(h, i) && heur_assign(h, i, c, d);
}

void heur_rollback(hstate *h, long mark)
{
    int on = h->log_on;
    h->log_on = 0;
    while (h->log_len > mark) {
        const hentry *e = &h->log[--h->log_len];
        switch (e->op) {
        case H_ASSIGN: heur_unassign(h, e->school); break;
        case H_UNASSIGN: heur_assign(h, e->school, e->centre, e->dist); break;
        case H_OPEN: heur_close(h, e->school); break;
        default: heur_open(h, e->school); break;
        }
    }
    h->log_on = on;
}

/* ------------------------------------------------------ shared steps */

/* The nearest open cluster with room for i among its `scan` nearest
 * centres (0: all), or -1. */
static int nearest_open_fit(const hstate *h, int i, int scan)
{
    int q, end = h->kstart[i + 1];
    if (scan > 0 && end - h->kstart[i] > scan)
        end = h->kstart[i] + scan;
    for (q = h->kstart[i]; q < end; q++) {
        int c = h->knear[q];
        if (h->centre[c] == c && c != i && heur_fits(h, c, i)) /* an open centre has size >= 1 */
            return c;
    }
    return -1;
}

int heur_place_near(hstate *h, int i, int scan)
{
    int c = h->centre[i] < 0 ? nearest_open_fit(h, i, scan) : -1;
    if (c < 0)
        return 0;
    return heur_assign(h, i, c, heur_pair(h, i, c));
}

int heur_place(hstate *h, int i)
{
    return heur_place_near(h, i, 0);
}

double heur_cluster_cost(const hstate *h, int c)
{
    double cost = h->open_cost[c];
    int m;
    for (m = h->head[c]; m >= 0; m = h->next[m])
        if (m != c)
            cost += h->w[m] * h->dist[m];
    return cost;
}

int heur_dissolve(hstate *h, int c)
{
    int m = h->head[c], next;
    for (; m >= 0; m = next) {
        next = h->next[m];
        if (m != c && !heur_unassign(h, m))
            return 0;
    }
    return heur_close(h, c);
}

/* Whether the search must stop now: interrupted, or past its deadline. */
int heur_should_stop(const hstate *h)
{
    return (h->interrupt && *h->interrupt) || (h->deadline > 0 && cp_now_seconds() >= h->deadline);
}

/* ---------------------------------------------------------------- score */

int heur_improves(const hstate *h, long du, double dc)
{
    if (du != 0)
        return du < 0;
    return dc < -HEUR_EPS * fmax(1.0, fabs(h->score.cost));
}

int heur_better(hscore a, hscore b)
{
    if (fabs(a.excess - b.excess) > 1e-9)
        return a.excess < b.excess;
    if (a.unassigned != b.unassigned)
        return a.unassigned < b.unassigned;
    if (a.groups != b.groups)
        return a.groups < b.groups;
    return a.cost < b.cost - HEUR_EPS * fmax(1.0, fabs(b.cost));
}

int heur_fits(const hstate *h, int c, int i)
{
    return h->size[c] < h->size_max &&
           h->load[c] + h->teachers[i] <= h->capacity * (1 + 1e-12);
}

/* splitmix64: small, fast, and the same on every platform. */
uint64_t heur_random(hstate *h)
{
    uint64_t z = (h->rng += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

int heur_random_below(hstate *h, int bound)
{
    return bound > 0 ? (int)(heur_random(h) % (uint64_t)bound) : 0;
}

/* ---------------------------------------------------------------- queue */

void heur_push(hstate *h, int i)
{
    if (h->queued[i])
        return;
    h->queued[i] = 1;
    h->queue[(h->q_head + h->q_len++) % h->n] = i;
}

/* Only the schools c's change can concern: its members, unassigned ones,
 * and those nearer to c than to their own centre. */
void heur_push_around(hstate *h, int c)
{
    int p;
    for (p = h->rstart[c]; p < h->rstart[c + 1]; p++) {
        int i = h->rmember[p], own = h->centre[i];
        if (own < 0 || own == c || own == i || h->rdist[p] < h->dist[i])
            heur_push(h, i);
    }
}
