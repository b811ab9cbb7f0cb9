/*
 * assign.c — facilitators to clusters as a min-cost flow, solved exactly.
 *   cluster k -> facilitator f   capacity 1, when f's school and k's centre
 *                                share admin units down to the scenario level
 *   cluster k -> sink            capacity 1: "k stays uncovered"
 *   facilitator f -> sink        capacity per_facilitator
 * Every cluster supplies one unit.  Costs are lexicographic triples
 * (uncovered, outsider, travel): first the fewest uncovered clusters, then
 * (when asked) the most facilitators from inside their own cluster, then
 * the least travel from the facilitator's school to the centre.  Triples
 * keep the tiers exact, where one weighted number would trade precision for
 * magnitude.
 * Successive shortest paths, one per cluster (the Hungarian method's row by
 * row order), each a Dijkstra on reduced costs from that cluster, stopped
 * at the sink; only the nodes it touched are reset and re-priced, so a
 * search costs what its neighbourhood costs, not the whole graph.
 * The graph is sparse: each cluster's assign_first_neighbours (32, a setting)
 * nearest admissible facilitators.  The result is then proven optimal over
 * every admissible pair by reduced costs; a violated pair doubles the
 * neighbours and the flow is solved again (at most log2(F) rounds).
 * Work per round: O(K F / units) distances to choose and to prove, plus K
 * local searches.
 */
#include "facilitators.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIERS 3


typedef struct {
    double t[TIERS];
} lex;

typedef struct {
    int to, rev, cap;
    lex cost;
} arc;

typedef struct {
    int n_nodes, sink;
    int *start;        /* CSR by tail */
    arc *arcs;
    int *fill;
    lex *potential, *dist;
    int *parent_arc;
    unsigned char *done;
    int *heap, *heap_pos, heap_n;
    int *touched, n_touched; /* nodes whose dist was set in this search */
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
    const char *person, *group; /* the shortfalls' words */
    int neighbours;          /* per cluster in the sparse graph */
    int *by_unit;            /* facilitators grouped by admin unit ... */
    int *unit_start;         /* ... CSR over unit ids (one unit without a rule) */
    int n_units;
    int *pair_start, *pair_fac; /* CSR by cluster: its chosen facilitators */
    double *pair_dist;
} problem;

/* ---------------------------------------------------------- lexicographic */

static const lex lex_zero = {{0.0, 0.0, 0.0}};
static const lex lex_infinite = {{HUGE_VAL, HUGE_VAL, HUGE_VAL}};

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
    if (fabs(a->t[0]) > 0.5)
        return a->t[0] < 0;
    if (fabs(a->t[1]) > 0.5)
        return a->t[1] < 0;
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

static void set_dist(network *g, int v, lex d, int parent)
{
    if (lex_cmp(&g->dist[v], &lex_infinite) == 0)
        g->touched[g->n_touched++] = v;
    g->dist[v] = d;
    g->parent_arc[v] = parent;
    heap_push_or_lower(g, v);
}

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
        if (lex_cmp(&d, &g->dist[e->to]) < 0)
            set_dist(g, e->to, d, a);
    }
}

/* Settled nodes move by d(v) - d(sink) (<= 0), the rest stay: the same as
 * moving everything by min(d, d(sink)) up to one constant, and it keeps
 * every residual reduced cost >= 0.  Then the touched nodes are reset. */
static void reprice_and_reset(network *g)
{
    int k, sink = g->sink;
    for (k = 0; k < g->n_touched; k++) {
        int v = g->touched[k];
        if (g->done[v] && g->done[sink]) {
            lex shift = lex_add(g->dist[v], &g->dist[sink], -1);
            g->potential[v] = lex_add(g->potential[v], &shift, 1);
        }
    }
    for (k = 0; k < g->n_touched; k++) {
        int v = g->touched[k];
        g->dist[v] = lex_infinite;
        g->done[v] = 0;
        if (g->heap_pos[v] >= 0)
            g->heap_pos[v] = -1;
    }
    g->n_touched = 0;
    g->heap_n = 0;
}

/* Dijkstra on reduced costs from cluster `source`, stopped when the sink
 * is settled; augments one unit along the path.  The uncovered arc makes
 * the sink always reachable. */
static void augment_from(network *g, int source)
{
    int v;
    set_dist(g, source, lex_zero, -1);
    while (g->heap_n > 0) {
        int u = heap_pop(g);
        g->done[u] = 1;
        if (u == g->sink)
            break;
        relax_from(g, u);
    }
    for (v = g->sink; v != source && g->done[g->sink];) {
        arc *a = &g->arcs[g->parent_arc[v]];
        a->cap--;
        g->arcs[a->rev].cap++;
        v = g->arcs[a->rev].to;
    }
    reprice_and_reset(g);
}

/* ---------------------------------------------------------------- graph */

static int unit_of(const problem *p, int school)
{
    int L = p->sc->admin_level;
    return L > 0 ? p->inst->schools[school].admin[L - 1] : 0;
}

static lex pair_cost(const problem *p, int f, int k, double d)
{
    lex c = {{0.0, 0.0, d}};
    if (p->inside_first && p->lay->cluster_of[p->fac_school[f]] != k)
        c.t[1] = 1.0;
    return c;
}

/* Facilitators grouped by admin unit (counting sort, ascending within a
 * unit), so a cluster looks only at its own unit's. */
static cp_code group_by_unit(problem *p)
{
    int f, u, *fill;
    p->n_units = 1;
    for (f = 0; f < p->n_fac; f++)
        if (unit_of(p, p->fac_school[f]) + 1 > p->n_units)
            p->n_units = unit_of(p, p->fac_school[f]) + 1;
    p->unit_start = cp_calloc((size_t)p->n_units + 1, sizeof(int));
    p->by_unit = cp_malloc((size_t)(p->n_fac ? p->n_fac : 1) * sizeof(int));
    fill = cp_malloc((size_t)p->n_units * sizeof(int));
    if (!p->unit_start || !p->by_unit || !fill) {
        cp_free(fill);
        return CP_ERESOURCE;
    }
    for (f = 0; f < p->n_fac; f++)
        if ((u = unit_of(p, p->fac_school[f])) >= 0)
            p->unit_start[u + 1]++;
    for (u = 0; u < p->n_units; u++) {
        p->unit_start[u + 1] += p->unit_start[u];
        fill[u] = p->unit_start[u];
    }
    for (f = 0; f < p->n_fac; f++)
        if ((u = unit_of(p, p->fac_school[f])) >= 0)
            p->by_unit[fill[u]++] = f;
    cp_free(fill);
    return CP_OK;
}

/* The facilitators a cluster may have: its centre's unit ([*lo, *hi) of
 * by_unit); empty without a centre or a unit. */
static void unit_range(const problem *p, int k, int *lo, int *hi)
{
    int c = p->lay->centre[k], u = c >= 0 ? unit_of(p, c) : -1;
    *lo = *hi = 0;
    if (u >= 0 && u < p->n_units) {
        *lo = p->unit_start[u];
        *hi = p->unit_start[u + 1];
    }
}

/* Each cluster's `neighbours` nearest facilitators of its unit, ties by
 * index: O(F_unit log neighbours) per cluster. */
static cp_code choose_pairs(problem *p)
{
    cp_nearest *heap = cp_malloc((size_t)p->neighbours * sizeof *heap);
    size_t most = (size_t)p->n_clu * (size_t)p->neighbours + 1;
    long total = 0;
    int k, q, lo, hi, n;
    p->pair_start = cp_malloc((size_t)(p->n_clu + 1) * sizeof(int));
    p->pair_fac = cp_malloc(most * sizeof(int));
    p->pair_dist = cp_malloc(most * sizeof(double));
    if (!heap || !p->pair_start || !p->pair_fac || !p->pair_dist) {
        cp_free(heap);
        return CP_ERESOURCE;
    }
    for (k = 0; k < p->n_clu; k++) {
        p->pair_start[k] = (int)total;
        unit_range(p, k, &lo, &hi);
        for (n = 0, q = lo; q < hi; q++) {
            cp_nearest e;
            e.index = p->by_unit[q];
            e.d = cp_distance(p->dist, p->fac_school[e.index], p->lay->centre[k]);
            if (isfinite(e.d))
                cp_nearest_offer(heap, &n, p->neighbours, e);
        }
        qsort(heap, (size_t)n, sizeof *heap, cp_nearest_cmp);
        for (q = 0; q < n; q++) {
            p->pair_fac[total] = heap[q].index;
            p->pair_dist[total++] = heap[q].d;
        }
    }
    p->pair_start[p->n_clu] = (int)total;
    cp_free(heap);
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
    g->arcs[b].cost = lex_add(lex_zero, &cost, -1);
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
    cp_free(g->touched);
}

static cp_code network_alloc(network *g, long arcs)
{
    size_t n = (size_t)g->n_nodes;
    int v;
    g->start = cp_calloc(n + 1, sizeof(int));
    g->fill = cp_malloc(n * sizeof(int));
    g->arcs = cp_malloc((size_t)(2 * arcs + 1) * sizeof(arc));
    g->potential = cp_calloc(n, sizeof(lex));
    g->dist = cp_malloc(n * sizeof(lex));
    g->parent_arc = cp_malloc(n * sizeof(int));
    g->done = cp_calloc(n, 1);
    g->heap = cp_malloc(n * sizeof(int));
    g->heap_pos = cp_malloc(n * sizeof(int));
    g->touched = cp_malloc(n * sizeof(int));
    if (!g->start || !g->fill || !g->arcs || !g->potential || !g->dist || !g->parent_arc ||
        !g->done || !g->heap || !g->heap_pos || !g->touched)
        return CP_ERESOURCE;
    for (v = 0; v < g->n_nodes; v++) {
        g->dist[v] = lex_infinite;
        g->heap_pos[v] = -1;
    }
    return CP_OK;
}

/* Nodes: clusters 0..K-1, facilitators K..K+F-1, the sink K+F. */
static cp_code network_build(network *g, const problem *p)
{
    int F = p->n_fac, K = p->n_clu, k, q, v;
    long pairs = p->pair_start[K];
    const lex uncovered = {{1.0, 0.0, 0.0}};
    memset(g, 0, sizeof *g);
    g->n_nodes = K + F + 1;
    g->sink = K + F;
    if (network_alloc(g, pairs + K + F))
        return CP_ERESOURCE;
    for (k = 0; k < K; k++) { /* degrees first (CSR), then the arcs */
        g->start[k + 1] = 1 + (p->pair_start[k + 1] - p->pair_start[k]);
        for (q = p->pair_start[k]; q < p->pair_start[k + 1]; q++)
            g->start[K + p->pair_fac[q] + 1]++;
    }
    for (v = 0; v < F; v++)
        g->start[K + v + 1]++;
    g->start[g->sink + 1] = K + F;
    for (v = 0; v < g->n_nodes; v++) {
        g->start[v + 1] += g->start[v];
        g->fill[v] = g->start[v];
    }
    for (k = 0; k < K; k++) {
        for (q = p->pair_start[k]; q < p->pair_start[k + 1]; q++)
            add_arc(g, k, K + p->pair_fac[q], 1, pair_cost(p, p->pair_fac[q], k, p->pair_dist[q]));
        add_arc(g, k, g->sink, 1, uncovered);
    }
    for (v = 0; v < F; v++)
        add_arc(g, K + v, g->sink, p->per_facilitator, lex_zero);
    return CP_OK;
}

/* ---------------------------------------------------------------- solving */

/* Every admissible pair left out of the sparse graph has a reduced cost
 * >= 0 under the final potentials: then the flow is optimal over all pairs
 * (complementary slackness).  `mark` is scratch, one int per facilitator. */
static int proven_optimal(const network *g, const problem *p, int *mark)
{
    int k, q, lo, hi;
    for (k = 0; k < p->n_clu; k++) {
        unit_range(p, k, &lo, &hi);
        if (p->pair_start[k + 1] - p->pair_start[k] >= hi - lo)
            continue; /* every admissible facilitator is in the graph already */
        for (q = p->pair_start[k]; q < p->pair_start[k + 1]; q++)
            mark[p->pair_fac[q]] = k + 1;
        for (q = lo; q < hi; q++) {
            int f = p->by_unit[q];
            double d;
            lex c, rc;
            if (mark[f] == k + 1)
                continue;
            d = cp_distance(p->dist, p->fac_school[f], p->lay->centre[k]);
            if (!isfinite(d))
                continue;
            c = pair_cost(p, f, k, d);
            rc = lex_add(lex_add(c, &g->potential[k], 1), &g->potential[p->n_clu + f], -1);
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
        out->facilitator[k] = -1;
        out->travel[k] = NAN;
        for (a = g->start[k]; a < g->start[k + 1]; a++) {
            int f = g->arcs[a].to - p->n_clu;
            if (f >= 0 && f < p->n_fac && g->arcs[a].cap == 0) {
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

/* One round: the sparse graph, a search per cluster, the proof. */
static cp_code solve_round(problem *p, cp_assignment *out, int *mark, int *proven)
{
    network g;
    int k;
    cp_code rc = choose_pairs(p);
    memset(&g, 0, sizeof g);
    if (!rc)
        rc = network_build(&g, p);
    for (k = 0; !rc && k < p->n_clu; k++)
        augment_from(&g, k);
    *proven = !rc && proven_optimal(&g, p, mark);
    if (*proven)
        read_flow(&g, p, out);
    network_free(&g);
    free_pairs(p);
    return rc;
}

/* Rounds of sparse solve + proof, the neighbours doubling each time. */
static cp_code solve_rounds(problem *p, cp_assignment *out)
{
    int proven = 0, *mark = cp_calloc((size_t)(p->n_fac ? p->n_fac : 1), sizeof(int));
    cp_code rc = mark ? group_by_unit(p) : CP_ERESOURCE;
    int first = p->sc->solver.assign_first_neighbours;
    for (p->neighbours = first > 0 ? first : 1;
         !rc && !proven; p->neighbours *= 2) {
        memset(mark, 0, (size_t)(p->n_fac ? p->n_fac : 1) * sizeof(int));
        rc = solve_round(p, out, mark, &proven);
    }
    out->optimal = proven;
    cp_free(mark);
    cp_free(p->by_unit);
    cp_free(p->unit_start);
    return rc;
}

/* --------------------------------------------------------------- driver */

static int holds_role(const cp_published_entry *e, const cp_assign_options *opt)
{
    int k;
    if (e->excluded || !e->role)
        return 0;
    if (!opt->roles || opt->n_roles == 0)
        return !opt->except_role || strcmp(e->role, opt->except_role) != 0;
    for (k = 0; k < opt->n_roles; k++)
        if (strcmp(e->role, opt->roles[k]) == 0)
            return 1;
    return 0;
}

/* Role holders whose school is in the instance, in ranking order; the
 * others are listed in out->elsewhere_entry (a national list used on one
 * district is normal, but a misspelt school id looks the same, so the
 * outputs name them). */
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
            out->elsewhere_entry[out->elsewhere++] = k;
            continue;
        }
        entry[n] = k;
        school[n++] = s;
    }
    return n;
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
        if (cp_warn(&out->shortfalls, "%s%s: %d %s%s, %d %s%s x %d = %d places: lacks %d %s%s",
                    p->sc->admin_level ? "admin unit " : "all units",
                    p->sc->admin_level ? (p->inst->schools[c].admin_name[p->sc->admin_level - 1]
                                              ? p->inst->schools[c].admin_name[p->sc->admin_level - 1]
                                              : "(none)")
                                       : "",
                    clusters, p->group, clusters == 1 ? "" : "s", facilitators, p->person,
                    facilitators == 1 ? "" : "s", p->per_facilitator,
                    facilitators * p->per_facilitator, clusters - covered, p->person,
                    clusters - covered == 1 ? "" : "s"))
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
    cp_free(a->elsewhere_entry);
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
    cp_code rc;
    if (out)
        out->elsewhere_entry = cp_malloc((size_t)(pub->n ? pub->n : 1) * sizeof(int));
    rc = out && out->elsewhere_entry && entry && school ? CP_OK : CP_ERESOURCE;
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
        p.person = opt->person_noun ? opt->person_noun : "facilitator";
        p.group = opt->group_noun ? opt->group_noun : "cluster";
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
