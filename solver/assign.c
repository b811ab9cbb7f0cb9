/*
 * assign.c — facilitators to clusters as a min-cost flow, solved exactly.
 *   source -> facilitator f      capacity per_facilitator
 *   f -> cluster k               capacity 1, when f's school and k's centre
 *                                share admin units down to the scenario level
 *   cluster k -> sink            capacity 1
 *   source -> cluster k          capacity 1: "k stays uncovered"
 * Costs are lexicographic triples (uncovered, outsider, travel): first the
 * fewest uncovered clusters, then (when asked) the most facilitators from
 * inside their own cluster, then the least travel from the facilitator's
 * school to the centre.  Triples keep the tiers exact, where one weighted
 * number would trade precision for magnitude.
 * Successive shortest paths with potentials (Dijkstra stopped at the sink)
 * over a sparse graph: each cluster's cp_assign_first_neighbours (32) nearest admissible
 * facilitators.  The result is then proven optimal over every admissible
 * pair by reduced costs; a violated pair doubles the neighbours and the
 * flow is solved again (at most log2(facilitators) rounds).
 * Work per round: K augmentations, each a Dijkstra over the sparse graph.
 */
#include "internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIERS 3

int cp_assign_first_neighbours = 32;

typedef struct {
    double t[TIERS];
} lex;

typedef struct {
    int to, rev, cap;
    lex cost;
} arc;

typedef struct {
    int n_nodes;
    int *start;        /* CSR by tail */
    arc *arcs;
    int *fill;
    lex *potential, *dist;
    int *parent_arc;   /* arc index into arcs */
    unsigned char *done;
    int *heap, *heap_pos, heap_n;
} network;

typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    const cp_layout *lay;
    cp_distance_ctx *dist;
    int n_fac, n_clu;
    const int *fac_school;   /* per facilitator: school index */
    int per_facilitator;
    int inside_first;
    int neighbours;          /* per cluster in the sparse graph */
    int *pair_start, *pair_fac; /* CSR by cluster: its chosen facilitators */
    double *pair_dist;
} problem;

/* ---------------------------------------------------------- lexicographic */

static int lex_cmp(const lex *a, const lex *b)
{
    int k;
    for (k = 0; k < TIERS; k++)
        if (a->t[k] != b->t[k])
            return a->t[k] < b->t[k] ? -1 : 1;
    return 0;
}

static lex lex_add(lex a, const lex *b, int sign)
{
    int k;
    for (k = 0; k < TIERS; k++)
        a.t[k] += sign * b->t[k];
    return a;
}

/* Reduced cost of an arc from u: cost + p(u) - p(v). */
static lex reduced(const network *g, int u, const arc *a)
{
    return lex_add(lex_add(a->cost, &g->potential[u], 1), &g->potential[a->to], -1);
}

/* A reduced cost below zero beyond rounding (travel sums in the last tier). */
static int lex_negative(const lex *a)
{
    if (a->t[0] != 0.0)
        return a->t[0] < -0.5;
    if (a->t[1] != 0.0)
        return a->t[1] < -0.5;
    return a->t[2] < -1e-7;
}

/* ------------------------------------------------------------------ heap */

static int heap_less(const network *g, int a, int b)
{
    int c = lex_cmp(&g->dist[g->heap[a]], &g->dist[g->heap[b]]);
    return c < 0 || (c == 0 && g->heap[a] < g->heap[b]); /* ties by node index */
}

static void heap_swap(network *g, int a, int b)
{
    int t = g->heap[a];
    g->heap[a] = g->heap[b];
    g->heap[b] = t;
    g->heap_pos[g->heap[a]] = a;
    g->heap_pos[g->heap[b]] = b;
}

static void heap_up(network *g, int i)
{
    while (i > 0 && heap_less(g, i, (i - 1) / 2)) {
        heap_swap(g, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static int heap_pop(network *g)
{
    int top = g->heap[0], i = 0;
    heap_swap(g, 0, --g->heap_n);
    g->heap_pos[top] = -1;
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < g->heap_n && heap_less(g, l, m))
            m = l;
        if (r < g->heap_n && heap_less(g, r, m))
            m = r;
        if (m == i)
            return top;
        heap_swap(g, i, m);
        i = m;
    }
}

static void heap_push_or_lower(network *g, int v)
{
    if (g->heap_pos[v] < 0) {
        g->heap[g->heap_n] = v;
        g->heap_pos[v] = g->heap_n++;
    }
    heap_up(g, g->heap_pos[v]);
}

/* -------------------------------------------------------- shortest paths */

static const lex infinite = {{HUGE_VAL, HUGE_VAL, HUGE_VAL}};

static void relax_from(network *g, int u)
{
    int a;
    for (a = g->start[u]; a < g->start[u + 1]; a++) {
        const arc *e = &g->arcs[a];
        lex rc, d;
        if (e->cap <= 0 || g->done[e->to])
            continue;
        rc = reduced(g, u, e);
        d = lex_add(g->dist[u], &rc, 1);
        if (lex_cmp(&d, &g->dist[e->to]) < 0) {
            g->dist[e->to] = d;
            g->parent_arc[e->to] = a;
            heap_push_or_lower(g, e->to);
        }
    }
}

/* Dijkstra on reduced costs from `source`, stopped when `sink` is settled;
 * then potentials move by min(dist, dist(sink)), which keeps every residual
 * reduced cost >= 0.  Returns 0 when the sink is unreachable. */
static int shortest_path(network *g, int source, int sink)
{
    int v;
    for (v = 0; v < g->n_nodes; v++) {
        g->dist[v] = infinite;
        g->done[v] = 0;
        g->heap_pos[v] = -1;
    }
    g->heap_n = 0;
    memset(&g->dist[source], 0, sizeof(lex));
    heap_push_or_lower(g, source);
    while (g->heap_n > 0) {
        int u = heap_pop(g);
        g->done[u] = 1;
        if (u == sink)
            break;
        relax_from(g, u);
    }
    if (!g->done[sink])
        return 0;
    for (v = 0; v < g->n_nodes; v++) {
        const lex *d = lex_cmp(&g->dist[v], &g->dist[sink]) < 0 ? &g->dist[v] : &g->dist[sink];
        g->potential[v] = lex_add(g->potential[v], d, 1);
    }
    return 1;
}

static void augment(network *g, int source, int sink)
{
    int v = sink;
    while (v != source) {
        arc *a = &g->arcs[g->parent_arc[v]];
        a->cap--;
        g->arcs[a->rev].cap++;
        v = g->arcs[a->rev].to;
    }
}

/* ---------------------------------------------------------------- graph */

static int admissible(const problem *p, int f, int k)
{
    int L = p->sc->admin_level, centre = p->lay->centre[k];
    const cp_school *a, *b;
    if (centre < 0)
        return 0;
    if (L <= 0)
        return 1;
    a = &p->inst->schools[p->fac_school[f]];
    b = &p->inst->schools[centre];
    return a->admin[L - 1] >= 0 && a->admin[L - 1] == b->admin[L - 1];
}

static lex pair_cost(const problem *p, int f, int k, double d)
{
    lex c = {{0.0, 0.0, d}};
    int s = p->fac_school[f];
    if (p->inside_first && p->lay->cluster_of[s] != k)
        c.t[1] = 1.0;
    return c;
}

typedef struct {
    double d;
    int f;
} near_entry;

static int by_distance(const void *a, const void *b)
{
    const near_entry *x = a, *y = b;
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    return x->f - y->f;
}

/* Each cluster's `neighbours` nearest admissible facilitators (all of them
 * when fewer), ties by index: O(K F) distances per round. */
static cp_code choose_pairs(problem *p)
{
    near_entry *row = cp_malloc((size_t)(p->n_fac ? p->n_fac : 1) * sizeof *row);
    long total = 0;
    int k, f;
    p->pair_start = cp_malloc((size_t)(p->n_clu + 1) * sizeof(int));
    p->pair_fac = cp_malloc((size_t)p->n_clu * (size_t)(p->neighbours ? p->neighbours : 1) * sizeof(int) + 1);
    p->pair_dist = cp_malloc((size_t)p->n_clu * (size_t)(p->neighbours ? p->neighbours : 1) * sizeof(double) + 1);
    if (!row || !p->pair_start || !p->pair_fac || !p->pair_dist) {
        cp_free(row);
        return CP_ERESOURCE;
    }
    for (k = 0; k < p->n_clu; k++) {
        int n = 0;
        p->pair_start[k] = (int)total;
        for (f = 0; f < p->n_fac; f++)
            if (admissible(p, f, k)) {
                row[n].f = f;
                row[n++].d = cp_distance(p->dist, p->fac_school[f], p->lay->centre[k]);
            }
        qsort(row, (size_t)n, sizeof *row, by_distance);
        for (f = 0; f < n && f < p->neighbours; f++)
            if (isfinite(row[f].d)) {
                p->pair_fac[total] = row[f].f;
                p->pair_dist[total++] = row[f].d;
            }
    }
    p->pair_start[p->n_clu] = (int)total;
    cp_free(row);
    return CP_OK;
}

static void add_arc(network *g, int u, int v, int cap, lex cost)
{
    int a = g->fill[u]++, b = g->fill[v]++;
    g->arcs[a].to = v;
    g->arcs[a].cap = cap;
    g->arcs[a].cost = cost;
    g->arcs[a].rev = b;
    g->arcs[b].to = u;
    g->arcs[b].cap = 0;
    g->arcs[b].cost = lex_add((lex){{0, 0, 0}}, &cost, -1);
    g->arcs[b].rev = a;
}

static void network_free(network *g)
{
    cp_free(g->start);
    cp_free(g->arcs);
    cp_free(g->fill);
    cp_free(g->potential);
    cp_free(g->dist);
    cp_free(g->parent_arc);
    cp_free(g->done);
    cp_free(g->heap);
    cp_free(g->heap_pos);
}

/* Node numbering: 0 source, 1..F facilitators, F+1..F+K clusters, sink. */
static cp_code network_build(network *g, const problem *p)
{
    int F = p->n_fac, K = p->n_clu, src = 0, sink = F + K + 1, k, q, v;
    long pairs = p->pair_start[K];
    const lex zero = {{0, 0, 0}}, uncovered = {{1, 0, 0}};
    memset(g, 0, sizeof *g);
    g->n_nodes = F + K + 2;
    g->start = cp_calloc((size_t)g->n_nodes + 1, sizeof(int));
    g->fill = cp_malloc((size_t)g->n_nodes * sizeof(int));
    g->arcs = cp_malloc((size_t)(2 * (F + 2 * K + pairs) + 1) * sizeof(arc));
    g->potential = cp_calloc((size_t)g->n_nodes, sizeof(lex));
    g->dist = cp_malloc((size_t)g->n_nodes * sizeof(lex));
    g->parent_arc = cp_malloc((size_t)g->n_nodes * sizeof(int));
    g->done = cp_malloc((size_t)g->n_nodes);
    g->heap = cp_malloc((size_t)g->n_nodes * sizeof(int));
    g->heap_pos = cp_malloc((size_t)g->n_nodes * sizeof(int));
    if (!g->start || !g->fill || !g->arcs || !g->potential || !g->dist || !g->parent_arc ||
        !g->done || !g->heap || !g->heap_pos)
        return CP_ERESOURCE;
    /* degrees first (CSR), then the arcs */
    g->start[src + 1] = F + K;
    for (v = 1; v <= F; v++)
        g->start[v + 1] = 1;
    for (k = 0; k < K; k++) {
        g->start[F + 1 + k + 1] = 2 + (p->pair_start[k + 1] - p->pair_start[k]);
        for (q = p->pair_start[k]; q < p->pair_start[k + 1]; q++)
            g->start[1 + p->pair_fac[q] + 1]++;
    }
    g->start[sink + 1] = K;
    for (v = 0; v < g->n_nodes; v++) {
        g->start[v + 1] += g->start[v];
        g->fill[v] = g->start[v];
    }
    for (v = 1; v <= F; v++)
        add_arc(g, src, v, p->per_facilitator, zero);
    for (k = 0; k < K; k++) {
        add_arc(g, src, F + 1 + k, 1, uncovered);
        add_arc(g, F + 1 + k, sink, 1, zero);
        for (q = p->pair_start[k]; q < p->pair_start[k + 1]; q++)
            add_arc(g, 1 + p->pair_fac[q], F + 1 + k,
                    1, pair_cost(p, p->pair_fac[q], k, p->pair_dist[q]));
    }
    return CP_OK;
}

/* ---------------------------------------------------------------- solving */

static void run_flow(network *g, const problem *p)
{
    int k, sink = p->n_fac + p->n_clu + 1;
    for (k = 0; k < p->n_clu; k++) {
        if (!shortest_path(g, 0, sink))
            break;
        augment(g, 0, sink);
    }
}

static int in_sparse_graph(const problem *p, int k, int f)
{
    int q;
    for (q = p->pair_start[k]; q < p->pair_start[k + 1]; q++)
        if (p->pair_fac[q] == f)
            return 1;
    return 0;
}

/* Every admissible pair left out of the sparse graph has a reduced cost
 * >= 0 under the final potentials: then the flow is optimal over all pairs
 * (complementary slackness). */
static int proven_optimal(const network *g, const problem *p)
{
    int k, f;
    for (k = 0; k < p->n_clu; k++) {
        if (p->pair_start[k + 1] - p->pair_start[k] < p->neighbours)
            continue; /* this cluster already has every admissible facilitator */
        for (f = 0; f < p->n_fac; f++) {
            double d;
            lex c, rc;
            if (!admissible(p, f, k) || in_sparse_graph(p, k, f))
                continue;
            d = cp_distance(p->dist, p->fac_school[f], p->lay->centre[k]);
            if (!isfinite(d))
                continue;
            c = pair_cost(p, f, k, d);
            rc = lex_add(lex_add(c, &g->potential[1 + f], 1), &g->potential[1 + p->n_fac + k], -1);
            if (lex_negative(&rc))
                return 0;
        }
    }
    return 1;
}

static void read_flow(const network *g, const problem *p, cp_assignment *out)
{
    int k, a;
    for (k = 0; k < p->n_clu; k++) {
        int node = 1 + p->n_fac + k;
        out->facilitator[k] = -1;
        out->travel[k] = NAN;
        for (a = g->start[node]; a < g->start[node + 1]; a++) {
            int f = g->arcs[a].to - 1;
            if (f >= 0 && f < p->n_fac && g->arcs[a].cap > 0) {
                out->facilitator[k] = f;
                out->travel[k] = cp_distance(p->dist, p->fac_school[f], p->lay->centre[k]);
                out->inside[k] = p->lay->cluster_of[p->fac_school[f]] == k;
            }
        }
    }
}

static void free_pairs(problem *p)
{
    cp_free(p->pair_start);
    cp_free(p->pair_fac);
    cp_free(p->pair_dist);
    p->pair_start = p->pair_fac = NULL;
    p->pair_dist = NULL;
}

/* Rounds of sparse solve + proof, the neighbours doubling each time. */
static cp_code solve_rounds(problem *p, cp_assignment *out)
{
    for (p->neighbours = cp_assign_first_neighbours;; p->neighbours *= 2) {
        network g;
        cp_code rc;
        int proven = 0;
        memset(&g, 0, sizeof g);
        rc = choose_pairs(p);
        if (!rc)
            rc = network_build(&g, p);
        if (!rc) {
            run_flow(&g, p);
            proven = p->neighbours >= p->n_fac || proven_optimal(&g, p);
            if (proven)
                read_flow(&g, p, out);
        }
        network_free(&g);
        free_pairs(p);
        if (rc)
            return rc;
        if (proven) {
            out->optimal = 1;
            return CP_OK;
        }
    }
}

/* --------------------------------------------------------------- driver */

static int holds_role(const cp_published_entry *e, const cp_assign_options *opt)
{
    int k;
    if (e->excluded || !e->role)
        return 0;
    if (!opt->roles || opt->n_roles == 0)
        return 1;
    for (k = 0; k < opt->n_roles; k++)
        if (strcmp(e->role, opt->roles[k]) == 0)
            return 1;
    return 0;
}

/* Role holders whose school is in the instance, in ranking order; the
 * others are counted (a national list used on one district is normal). */
static int pick_facilitators(const cp_instance *inst, const cp_published_ranking *pub,
                             const cp_assign_options *opt, int *entry, int *school,
                             cp_assignment *out)
{
    int k, n = 0;
    for (k = 0; k < pub->n; k++) {
        int s;
        if (!holds_role(&pub->items[k], opt))
            continue;
        s = pub->items[k].school ? cp_instance_find(inst, pub->items[k].school) : -1;
        if (s < 0) {
            out->elsewhere++;
            continue;
        }
        entry[n] = k;
        school[n++] = s;
    }
    return n;
}

static int unit_of(const problem *p, int school)
{
    int L = p->sc->admin_level;
    return L > 0 ? p->inst->schools[school].admin[L - 1] : 0;
}

/* Per admin unit (the whole instance without an admin rule): clusters
 * against places; every uncovered cluster is explained by one line. */
static cp_code explain_shortfalls(const problem *p, cp_assignment *out)
{
    int k, f, u;
    for (k = 0; k < p->n_clu; k++) {
        int clusters = 0, facilitators = 0, covered = 0, first = 1, c = p->lay->centre[k];
        if (out->facilitator[k] >= 0)
            continue;
        if (c < 0) {
            if (cp_warn(&out->shortfalls, "cluster %s has no centre", p->lay->label[k]))
                return CP_ERESOURCE;
            continue;
        }
        u = unit_of(p, c);
        for (f = 0; f < k && first; f++) /* one line per unit: the first uncovered one says it */
            first = !(out->facilitator[f] < 0 && p->lay->centre[f] >= 0 &&
                      unit_of(p, p->lay->centre[f]) == u);
        if (!first)
            continue;
        for (f = 0; f < p->n_clu; f++)
            if (p->lay->centre[f] >= 0 && unit_of(p, p->lay->centre[f]) == u) {
                clusters++;
                covered += out->facilitator[f] >= 0;
            }
        for (f = 0; f < p->n_fac; f++)
            facilitators += unit_of(p, p->fac_school[f]) == u;
        if (cp_warn(&out->shortfalls, "%s%s: %d clusters, %d facilitator%s x %d = %d places: "
                    "lacks %d facilitator%s", p->sc->admin_level ? "admin unit " : "all units",
                    p->sc->admin_level ? (p->inst->schools[c].admin_name[p->sc->admin_level - 1]
                                              ? p->inst->schools[c].admin_name[p->sc->admin_level - 1]
                                              : "(none)")
                                       : "",
                    clusters, facilitators, facilitators == 1 ? "" : "s", p->per_facilitator,
                    facilitators * p->per_facilitator,
                    clusters - covered, clusters - covered == 1 ? "" : "s"))
            return CP_ERESOURCE;
    }
    return CP_OK;
}

static void summarise(const problem *p, cp_assignment *out)
{
    int k;
    for (k = 0; k < p->n_clu; k++)
        if (out->facilitator[k] >= 0) {
            out->covered++;
            out->inside_count += out->inside[k];
            out->total_travel += out->travel[k];
        }
}

void cp_assignment_free(cp_assignment *a)
{
    if (!a)
        return;
    cp_free(a->facilitator);
    cp_free(a->travel);
    cp_free(a->inside);
    cp_warnings_free(&a->shortfalls);
    cp_free(a);
}

static cp_assignment *assignment_new(int clusters)
{
    cp_assignment *a = cp_calloc(1, sizeof *a);
    size_t n = (size_t)(clusters ? clusters : 1);
    if (!a)
        return NULL;
    a->n_clusters = clusters;
    a->facilitator = cp_malloc(n * sizeof(int));
    a->travel = cp_malloc(n * sizeof(double));
    a->inside = cp_calloc(n, sizeof(int));
    if (!a->facilitator || !a->travel || !a->inside) {
        cp_assignment_free(a);
        return NULL;
    }
    return a;
}

cp_assignment *cp_assign(const cp_instance *inst, const cp_scenario *sc, const cp_layout *lay,
                         const cp_published_ranking *pub, const cp_assign_options *opt,
                         cp_distance_ctx *dist, cp_error *err)
{
    problem p;
    cp_assignment *out = assignment_new(lay->n_clusters);
    int *entry = cp_malloc((size_t)(pub->n ? pub->n : 1) * sizeof(int));
    int *school = cp_malloc((size_t)(pub->n ? pub->n : 1) * sizeof(int)), k;
    cp_code rc = out && entry && school ? CP_OK : CP_ERESOURCE;
    memset(&p, 0, sizeof p);
    if (!rc) {
        p.inst = inst;
        p.sc = sc;
        p.lay = lay;
        p.dist = dist;
        p.n_clu = lay->n_clusters;
        p.n_fac = pick_facilitators(inst, pub, opt, entry, school, out);
        p.fac_school = school;
        p.per_facilitator = opt->per_facilitator > 0 ? opt->per_facilitator : 1;
        p.inside_first = opt->inside_first;
        out->facilitators = p.n_fac;
        rc = solve_rounds(&p, out);
    }
    for (k = 0; !rc && k < p.n_clu; k++)
        if (out->facilitator[k] >= 0)
            out->facilitator[k] = entry[out->facilitator[k]]; /* index into the ranking */
    if (!rc) {
        summarise(&p, out);
        rc = explain_shortfalls(&p, out);
    }
    cp_free(entry);
    cp_free(school);
    if (rc) {
        cp_assignment_free(out);
        cp_fail_nomem(err);
        return NULL;
    }
    return out;
}
