/*
 * heur_cyclic.c — neighbourhood "ring" (cyclic and path exchange): schools
 * s0, s1, ..., sk of k + 1 different clusters move one step round a ring:
 * s0 takes s1's place in cluster A1, s1 takes s2's in A2, ..., and sk
 * takes s0's in A0 (a cycle), or sk joins a cluster Z with room while A0,
 * above its minimum, keeps one school fewer (a path).  Each cluster of the
 * ring is re-centred on its best member.  Sizes stay (a cycle) or move by
 * one at the two ends (a path), so the ring works where every cluster sits
 * at its minimum and no single move is allowed, and it makes chains of
 * exchanges through several clusters that no swap or re-split makes
 * (Thompson and Orlin's cyclic transfers; Ahuja, Orlin and Sharma's
 * multi-exchange neighbourhoods).
 *
 * Why: on Kenya national (3-7 schools, 10 km) nearly every cluster is a
 * triple; the search without rings stayed 1.2 % above the best layout that
 * exact MILP windows of 90 schools found on one county (Machakos).  With
 * rings the search passes that layout (bench/RESULTS.md).
 *
 * The ring is found by a depth-first search from s0 over edges "s takes
 * t's place", t a member of the clusters of s's NEAR_CLUSTERS nearest
 * admissible centres; every partial sum must stay negative (a cycle of
 * negative total has a rotation whose every prefix is negative, and every
 * school is tried as s0).  Only for clusters of at most RING_CLUSTER_MAX
 * schools (the scenario's size max; larger ones are left to re-split).
 * Parameters: RING_MAX (clusters on a ring), NEAR_CLUSTERS, EDGE_BUDGET
 * (edges costed per start), RING_CLUSTER_MAX.  Work per start: at most
 * EDGE_BUDGET edges, each O(size) with 2·size pair lookups per cluster
 * entered; a cluster's own size^2 lookups are cached until it changes.
 *
 * Registry: "ring", tried 11th and last (neighbourhoods.c); only where
 * heur_cyclic_active holds.  The cache's slots are the setting
 * cyclic_cache_slots (4,096; tests lower it to force collisions).
 */
#include "heur.h"

#include <math.h>

#define RING_MAX 5
#define NEAR_CLUSTERS 8
#define EDGE_BUDGET 50
#define RING_CLUSTER_MAX 8

typedef struct {
    hstate *h;
    int school[RING_MAX];  /* s0..sk */
    int cluster[RING_MAX]; /* A0..Ak, by their centres when the search began */
    int depth;             /* k + 1 */
    int budget;            /* edges left to cost */
    double shrink;         /* A0's cost change without s0; INFINITY at its minimum */
    int on_path;           /* the ring found closes as a path, into z */
    int z;
} ring;

/* A cluster's members and, for each member y as centre, the cost of the
 * others at y (colsum, with `bad` counting members y cannot take): the
 * cost of "s in, t out" is then O(size) with no lookup among members. */
typedef struct {
    int centre, k;
    long stamp;                                  /* h->changed_at[centre] when built */
    int m[RING_CLUSTER_MAX];
    double dm[RING_CLUSTER_MAX][RING_CLUSTER_MAX]; /* member x to centre y; -1: not admissible */
    double colsum[RING_CLUSTER_MAX];
    int bad[RING_CLUSTER_MAX];
    double cost;
} cluster_costs;

/* A cluster entered from school s: a copy of its costs (deeper levels of
 * the search may reuse the cache slot) and s's distances to its members. */
typedef struct {
    cluster_costs cc;
    double s_to[RING_CLUSTER_MAX]; /* s to member y as centre */
    double to_s[RING_CLUSTER_MAX]; /* member y to s as centre */
} view;

int heur_cyclic_sizes(int size_max)
{
    return size_max <= RING_CLUSTER_MAX;
}

int heur_cyclic_active(const hstate *h)
{
    return heur_cyclic_sizes(h->size_max);
}

/* Best centre of set[0..k) and its cost; INFINITY when the size, the
 * capacity or a required centre forbids it, or no eligible member reaches
 * every other. */
static double set_cost(const hstate *h, const int *set, int k, int *centre)
{
    double best = INFINITY, load = 0.0;
    int x, y, required = -1;
    for (x = 0; x < k; x++) {
        load += h->teachers[set[x]];
        if (h->required[set[x]])
            required = required < 0 ? set[x] : -2;
    }
    if (required == -2 || load > h->capacity * (1 + 1e-12) || k < h->size_min || k > h->size_max)
        return INFINITY;
    for (x = 0; x < k; x++) {
        int c = set[x];
        double cost = h->open_cost[c];
        if (!h->eligible[c] || (required >= 0 && c != required))
            continue;
        for (y = 0; y < k && cost < best; y++) {
            double d = y == x ? 0.0 : heur_pair(h, set[y], c);
            cost = d < 0 ? INFINITY : cost + h->w[set[y]] * d;
        }
        if (cost < best) {
            best = cost;
            *centre = c;
        }
    }
    return best;
}

/* Cluster c's schools without `out` (-1: none), plus `in` (-1: none). */
static int changed_set(const hstate *h, int c, int out, int in, int *set)
{
    int k = 0, m;
    for (m = h->head[c]; m >= 0; m = h->next[m])
        if (m != out)
            set[k++] = m;
    if (in >= 0)
        set[k++] = in;
    return k;
}

/* Cost change of cluster c when `out` leaves and `in` joins. */
static double replace_delta(const hstate *h, int c, int out, int in)
{
    int set[RING_CLUSTER_MAX + 1], centre;
    int k = changed_set(h, c, out, in, set);
    return set_cost(h, set, k, &centre) - heur_cluster_cost(h, c);
}

static void costs_build(const hstate *h, int c, cluster_costs *cc)
{
    int x, y;
    cc->centre = c;
    cc->stamp = h->changed_at[c];
    cc->k = changed_set(h, c, -1, -1, cc->m);
    cc->cost = heur_cluster_cost(h, c);
    for (y = 0; y < cc->k; y++) {
        cc->colsum[y] = 0.0;
        cc->bad[y] = 0;
        for (x = 0; x < cc->k; x++) {
            double d = x == y ? 0.0 : h->eligible[cc->m[y]] ? heur_pair(h, cc->m[x], cc->m[y]) : -1.0;
            cc->dm[x][y] = d;
            if (x != y && d < 0)
                cc->bad[y]++;
            else if (x != y)
                cc->colsum[y] += h->w[cc->m[x]] * d;
        }
    }
}

/* Cluster c's costs, from the direct-mapped cache (checked by c's stamp);
 * NULL when memory for the cache ran out. */
static const cluster_costs *costs_of(hstate *h, int c)
{
    cluster_costs *cache = h->cyclic_cache, *cc;
    int slot, slots = h->sc->solver.cyclic_cache_slots;
    if (!cache) {
        cache = h->cyclic_cache = cp_malloc((size_t)slots * sizeof *cache);
        for (slot = 0; cache && slot < slots; slot++)
            cache[slot].centre = -1;
        if (!cache)
            return NULL;
    }
    cc = &cache[c % slots];
    if (cc->centre != c || cc->stamp != h->changed_at[c])
        costs_build(h, c, cc);
    return cc;
}

static void view_build(const hstate *h, const cluster_costs *cc, int s, view *v)
{
    int y;
    v->cc = *cc;
    for (y = 0; y < cc->k; y++) {
        v->s_to[y] = h->eligible[cc->m[y]] ? heur_pair(h, s, cc->m[y]) : -1.0;
        v->to_s[y] = h->eligible[s] ? heur_pair(h, cc->m[y], s) : -1.0;
    }
}

/* Whether the cluster without position t, with s, breaks the capacity or
 * holds two required centres; *required: the one it holds, or -1. */
static int view_forbidden(const hstate *h, const view *v, int s, int t, int *required)
{
    const cluster_costs *cc = &v->cc;
    double load = h->teachers[s];
    int x;
    *required = h->required[s] ? s : -1;
    for (x = 0; x < cc->k; x++) {
        if (x == t)
            continue;
        load += h->teachers[cc->m[x]];
        if (h->required[cc->m[x]])
            *required = *required < 0 ? cc->m[x] : -2;
    }
    return *required == -2 || load > h->capacity * (1 + 1e-12);
}

/* Cost change when s takes the place of member position t: the best of
 * every remaining member and s as the centre. */
static double view_delta(const hstate *h, const view *v, int s, int t)
{
    const cluster_costs *cc = &v->cc;
    double best = INFINITY, cost;
    int x, y, required;
    if (view_forbidden(h, v, s, t, &required))
        return INFINITY;
    for (y = 0; y < cc->k; y++) {
        if (y == t || v->s_to[y] < 0 || (required >= 0 && cc->m[y] != required) ||
            cc->bad[y] - (cc->dm[t][y] < 0) > 0)
            continue;
        cost = h->open_cost[cc->m[y]] + cc->colsum[y] + h->w[s] * v->s_to[y] -
               (cc->dm[t][y] >= 0 ? h->w[cc->m[t]] * cc->dm[t][y] : 0.0);
        best = cost < best ? cost : best;
    }
    if (h->eligible[s] && (required < 0 || required == s)) {
        cost = h->open_cost[s];
        for (x = 0; x < cc->k && cost < best; x++)
            if (x != t)
                cost = v->to_s[x] < 0 ? INFINITY : cost + h->w[cc->m[x]] * v->to_s[x];
        best = cost < best ? cost : best;
    }
    return best - cc->cost;
}

static int on_ring(const ring *r, int c)
{
    int t;
    for (t = 0; t < r->depth; t++)
        if (r->cluster[t] == c)
            return 1;
    return 0;
}

/* Cost change of A0 when s takes s0's place, through the cache. */
static double cycle_delta(ring *r, int s)
{
    hstate *h = r->h;
    const cluster_costs *cc = costs_of(h, r->cluster[0]);
    view v;
    int t;
    if (!cc)
        return replace_delta(h, r->cluster[0], r->school[0], s);
    view_build(h, cc, s, &v);
    for (t = 0; v.cc.m[t] != r->school[0]; t++)
        ;
    return view_delta(h, &v, s, t);
}

/* Closes the ring at its last school s: into A0 in s0's place, or (a path)
 * into a nearby cluster Z with room while A0 keeps one school fewer.  A
 * path is tried only when the ring pays for A0's loss before Z's gain: a
 * school seldom lowers the cost of the cluster it joins. */
static int try_close(ring *r, double partial)
{
    hstate *h = r->h;
    int s = r->school[r->depth - 1], g = h->schools[s], p, end;
    if (heur_improves(h, 0, partial + cycle_delta(r, s))) {
        r->on_path = 0;
        return 1;
    }
    if (!(partial + r->shrink < 0.0))
        return 0;
    end = h->cand->start[g] + NEAR_CLUSTERS;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1] && p < end; p++) {
        int b = heur_local(h, h->cand->centre[p]), z = b >= 0 ? h->centre[b] : -1;
        if (z < 0 || on_ring(r, z) || h->size[z] >= h->size_max)
            continue;
        if (heur_improves(h, 0, partial + r->shrink + replace_delta(h, z, -1, s))) {
            r->on_path = 1;
            r->z = z;
            return 1;
        }
    }
    return 0;
}

/* Extends the ring from its last school s: s takes the place of a member t
 * of a nearby cluster not yet on the ring, while the sum stays negative. */
static int extend(ring *r, double partial)
{
    hstate *h = r->h;
    int s = r->school[r->depth - 1], g = h->schools[s], p, seen = 0;
    view v;
    if (r->depth >= 2 && try_close(r, partial))
        return 1;
    if (r->depth == RING_MAX)
        return 0;
    for (p = h->cand->start[g]; p < h->cand->start[g + 1] && seen < NEAR_CLUSTERS && r->budget > 0;
         p++) {
        int c = heur_local(h, h->cand->centre[p]), t;
        const cluster_costs *cc;
        if (c < 0 || h->centre[c] != c || on_ring(r, c) || !(cc = costs_of(h, c)))
            continue;
        seen++;
        view_build(h, cc, s, &v);
        for (t = 0; t < v.cc.k && r->budget > 0; t++) {
            double d;
            r->budget--;
            d = view_delta(h, &v, s, t);
            if (!(partial + d < 0.0))
                continue;
            r->school[r->depth] = v.cc.m[t];
            r->cluster[r->depth++] = c;
            if (extend(r, partial + d))
                return 1;
            r->depth--;
        }
    }
    return 0;
}

/* The ring's new clusters: set t is A_t without s_t, with s_{t-1} (A0
 * with s_k on a cycle, with nobody on a path); a path adds Z with s_k. */
static int new_sets(const ring *r, int sets[][RING_CLUSTER_MAX + 1], int *sizes)
{
    int t, k = r->depth, last = r->school[k - 1];
    for (t = 0; t < k; t++) {
        int in = t > 0 ? r->school[t - 1] : r->on_path ? -1 : last;
        sizes[t] = changed_set(r->h, r->cluster[t], r->school[t], in, sets[t]);
    }
    if (r->on_path)
        sizes[k] = changed_set(r->h, r->z, -1, last, sets[k]);
    return k + r->on_path;
}

/* Dissolves the ring's clusters and builds the new ones: 1, or -1 when the
 * journal failed. */
static int apply(ring *r)
{
    hstate *h = r->h;
    int sets[RING_MAX + 1][RING_CLUSTER_MAX + 1], sizes[RING_MAX + 1], centres[RING_MAX + 1];
    int n_sets = new_sets(r, sets, sizes), t, x;
    for (t = 0; t < n_sets; t++)
        if (isinf(set_cost(h, sets[t], sizes[t], &centres[t])))
            return 0; /* each was costed finite: a guard, not a case */
    for (t = 0; t < r->depth; t++)
        if (!heur_dissolve(h, r->cluster[t]))
            return -1;
    if (r->on_path && !heur_dissolve(h, r->z))
        return -1;
    for (t = 0; t < n_sets; t++) {
        int c = centres[t];
        if (!heur_open(h, c))
            return -1;
        for (x = 0; x < sizes[t]; x++)
            if (sets[t][x] != c && !heur_assign(h, sets[t][x], c, heur_pair(h, sets[t][x], c)))
                return -1;
        heur_push_around(h, c);
    }
    return 1;
}

static uint64_t mix(uint64_t s, uint64_t v)
{
    s = (s ^ v) * 0xD6E8FEB86659FD93ULL;
    return s ^ (s >> 32);
}

/* i and the clusters a ring from i enters first, as they stand: a search
 * found fruitless is not repeated when they come back unchanged (an ILS
 * step rolled back, say).  Deeper clusters are left out, so a ring that
 * only their change allows waits for a nearer change or another start.
 * Never 0 (0 marks an empty slot). */
static uint64_t ring_signature(const hstate *h, int i)
{
    int g = h->schools[i], p, seen = 0, c0 = h->centre[i];
    uint64_t s = mix(heur_school_key(h, i), h->cluster_sig[c0] + (uint64_t)h->schools[c0]);
    for (p = h->cand->start[g]; p < h->cand->start[g + 1] && seen < NEAR_CLUSTERS; p++) {
        int c = heur_local(h, h->cand->centre[p]);
        if (c < 0 || h->centre[c] != c || c == c0)
            continue;
        seen++;
        s = mix(s, h->cluster_sig[c] + (uint64_t)h->schools[c]);
    }
    return s ? s : 1;
}

int heur_try_cyclic(hstate *h, int i)
{
    ring r;
    uint64_t sig;
    if (h->centre[i] < 0 || !heur_cyclic_active(h) || h->rings_off)
        return 0;
    sig = ring_signature(h, i);
    if (h->ring_fruitless[sig & h->fruitless_mask] == sig)
        return 0;
    r.h = h;
    r.school[0] = i;
    r.cluster[0] = h->centre[i];
    r.depth = 1;
    r.budget = EDGE_BUDGET;
    r.on_path = 0;
    r.shrink = h->size[r.cluster[0]] > h->size_min ? replace_delta(h, r.cluster[0], i, -1) : INFINITY;
    if (extend(&r, 0.0))
        return apply(&r);
    h->ring_fruitless[sig & h->fruitless_mask] = sig;
    return 0;
}
