/*
 * distance.c — the four distance modes of SPEC.md.
 *
 *   haversine  great circle on a sphere of radius 6371.0 km (x = lon, y = lat)
 *   euclidean  planar, in coordinate units
 *   network    shortest path over undirected roads; Dijkstra from the centre,
 *              stopped as soon as the requested members are settled, so no
 *              all-pairs matrix is ever built
 *   matrix     the od costs as given: member->centre, else centre->member,
 *              else unreachable; no shortest paths are taken
 * and, for any instance joined to a road layer (inst->road), trips by road
 * (roads_search.c): the member's trip to its centre, in road km or minutes.
 *
 * A context is not thread-safe (network scratch arrays); make one per thread.
 */
#include "roads.h"

#include <math.h>
#include <string.h>

#define EARTH_RADIUS_KM 6371.0

struct cp_distance_ctx {
    const cp_instance *inst;
    /* network: CSR adjacency and Dijkstra scratch reused across calls */
    int *adj_start, *adj_to;
    double *adj_len;
    double *dist;
    unsigned *stamp, *settled_stamp, *target_stamp;
    unsigned round;
    int *heap, *heap_pos, heap_n;
    /* matrix: open-addressing hash from (from, to) to cost */
    uint64_t *od_keys;
    double *od_cost;
    size_t od_slots;
    /* roads: one search's scratch */
    cp_road_search *road;
};

double cp_haversine_km(double lat1, double lon1, double lat2, double lon2)
{
    const double rad = 3.14159265358979323846 / 180.0;
    double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
    /* each half-angle sine once (the same values, bit for bit, as calling
     * it twice): the nearest-centre search at national scale spends a
     * seventh of its time in sin and cos */
    double s_lat = sin(dlat / 2), s_lon = sin(dlon / 2);
    double a = s_lat * s_lat + cos(lat1 * rad) * cos(lat2 * rad) * s_lon * s_lon;
    if (a > 1.0)
        a = 1.0;
    return 2.0 * EARTH_RADIUS_KM * asin(sqrt(a));
}

/* ---------------------------------------------------------------- network */

static cp_code build_network(cp_distance_ctx *c)
{
    const cp_instance *in = c->inst;
    int n = in->n_schools, e, v;
    int *fill;
    c->adj_start = cp_calloc((size_t)n + 1, sizeof(int));
    c->adj_to = cp_malloc(2 * (size_t)in->n_roads * sizeof(int));
    c->adj_len = cp_malloc(2 * (size_t)in->n_roads * sizeof(double));
    c->dist = cp_malloc((size_t)n * sizeof(double));
    c->stamp = cp_calloc((size_t)n, sizeof(unsigned));
    c->settled_stamp = cp_calloc((size_t)n, sizeof(unsigned));
    c->target_stamp = cp_calloc((size_t)n, sizeof(unsigned));
    c->heap = cp_malloc((size_t)n * sizeof(int));
    c->heap_pos = cp_malloc((size_t)n * sizeof(int));
    fill = cp_malloc(((size_t)n + 1) * sizeof(int));
    if (!c->adj_start || !c->adj_to || !c->adj_len || !c->dist || !c->stamp ||
        !c->settled_stamp || !c->target_stamp || !c->heap || !c->heap_pos || !fill) {
        cp_free(fill);
        return CP_ERESOURCE;
    }
    for (e = 0; e < in->n_roads; e++) {
        c->adj_start[in->roads[e].from + 1]++;
        c->adj_start[in->roads[e].to + 1]++;
    }
    for (v = 0; v < n; v++)
        c->adj_start[v + 1] += c->adj_start[v];
    memcpy(fill, c->adj_start, ((size_t)n + 1) * sizeof(int));
    for (e = 0; e < in->n_roads; e++) {
        const cp_link *r = &in->roads[e];
        c->adj_to[fill[r->from]] = r->to;
        c->adj_len[fill[r->from]++] = r->length;
        c->adj_to[fill[r->to]] = r->from;
        c->adj_len[fill[r->to]++] = r->length;
    }
    cp_free(fill);
    return CP_OK;
}

static void heap_swap(cp_distance_ctx *c, int a, int b)
{
    int va = c->heap[a], vb = c->heap[b];
    c->heap[a] = vb;
    c->heap[b] = va;
    c->heap_pos[vb] = a;
    c->heap_pos[va] = b;
}

/* Orders by distance, ties by vertex index, so runs are reproducible. */
static int heap_less(const cp_distance_ctx *c, int a, int b)
{
    int va = c->heap[a], vb = c->heap[b];
    return c->dist[va] < c->dist[vb] || (c->dist[va] == c->dist[vb] && va < vb);
}

static void heap_up(cp_distance_ctx *c, int i)
{
    while (i > 0 && heap_less(c, i, (i - 1) / 2)) {
        heap_swap(c, i, (i - 1) / 2);
        i = (i - 1) / 2;
    }
}

static void heap_down(cp_distance_ctx *c, int i)
{
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < c->heap_n && heap_less(c, l, m))
            m = l;
        if (r < c->heap_n && heap_less(c, r, m))
            m = r;
        if (m == i)
            return;
        heap_swap(c, i, m);
        i = m;
    }
}

static void relax(cp_distance_ctx *c, int v, double d)
{
    if (c->stamp[v] != c->round) {
        c->stamp[v] = c->round;
        c->dist[v] = d;
        c->heap[c->heap_n] = v;
        c->heap_pos[v] = c->heap_n++;
        heap_up(c, c->heap_pos[v]);
    } else if (d < c->dist[v] && c->settled_stamp[v] != c->round) {
        c->dist[v] = d;
        heap_up(c, c->heap_pos[v]);
    }
}

static int heap_pop(cp_distance_ctx *c)
{
    int top = c->heap[0];
    c->heap_n--;
    if (c->heap_n > 0) {
        heap_swap(c, 0, c->heap_n);
        heap_down(c, 0);
    }
    return top;
}

/* Dijkstra from src until `targets` marked vertices are settled; visits at
 * most the vertices closer than the farthest target. */
static void dijkstra(cp_distance_ctx *c, int src, int targets)
{
    c->heap_n = 0;
    relax(c, src, 0.0);
    while (c->heap_n > 0 && targets > 0) {
        int v = heap_pop(c), k;
        c->settled_stamp[v] = c->round;
        if (c->target_stamp[v] == c->round)
            targets--;
        for (k = c->adj_start[v]; k < c->adj_start[v + 1]; k++)
            if (c->settled_stamp[c->adj_to[k]] != c->round)
                relax(c, c->adj_to[k], c->dist[v] + c->adj_len[k]);
    }
}

static void next_round(cp_distance_ctx *c);

/* Dijkstra from src, stopped at the first vertex farther than radius. */
void cp_distance_within(cp_distance_ctx *c, int src, double radius,
                        void (*visit)(int v, double d, void *arg), void *arg)
{
    next_round(c);
    c->heap_n = 0;
    relax(c, src, 0.0);
    while (c->heap_n > 0) {
        int v = heap_pop(c), k;
        if (c->dist[v] > radius)
            return;
        c->settled_stamp[v] = c->round;
        visit(v, c->dist[v], arg);
        for (k = c->adj_start[v]; k < c->adj_start[v + 1]; k++)
            if (c->settled_stamp[c->adj_to[k]] != c->round)
                relax(c, c->adj_to[k], c->dist[v] + c->adj_len[k]);
    }
}

static void next_round(cp_distance_ctx *c)
{
    if (++c->round == 0) { /* wrapped: clear stamps once every 2^32 calls */
        int n = c->inst->n_schools;
        memset(c->stamp, 0, (size_t)n * sizeof(unsigned));
        memset(c->settled_stamp, 0, (size_t)n * sizeof(unsigned));
        memset(c->target_stamp, 0, (size_t)n * sizeof(unsigned));
        c->round = 1;
    }
}

static void network_to_centre(cp_distance_ctx *c, int centre, const int *members,
                              int count, double *out)
{
    int k, targets = 0;
    next_round(c);
    for (k = 0; k < count; k++) {
        if (c->target_stamp[members[k]] != c->round) {
            c->target_stamp[members[k]] = c->round;
            targets++;
        }
    }
    dijkstra(c, centre, targets);
    for (k = 0; k < count; k++) {
        int m = members[k];
        out[k] = c->settled_stamp[m] == c->round ? c->dist[m] : INFINITY;
    }
}

/* ----------------------------------------------------------------- matrix */

static uint64_t od_key(int from, int to)
{
    return ((uint64_t)(uint32_t)from << 32) | (uint32_t)to;
}

static size_t od_probe(const cp_distance_ctx *c, uint64_t key)
{
    size_t mask = c->od_slots - 1;
    size_t i = (size_t)(cp_hash_bytes(&key, sizeof key)) & mask;
    while (c->od_keys[i] != UINT64_MAX && c->od_keys[i] != key)
        i = (i + 1) & mask;
    return i;
}

/* A pair given twice keeps its last cost, as the file reads top to bottom. */
static cp_code build_matrix(cp_distance_ctx *c)
{
    const cp_instance *in = c->inst;
    size_t slots = 16, i;
    int e;
    while (slots < 2 * (size_t)in->n_od + 2)
        slots *= 2;
    c->od_slots = slots;
    c->od_keys = cp_malloc(slots * sizeof(uint64_t));
    c->od_cost = cp_malloc(slots * sizeof(double));
    if (!c->od_keys || !c->od_cost)
        return CP_ERESOURCE;
    for (i = 0; i < slots; i++)
        c->od_keys[i] = UINT64_MAX;
    for (e = 0; e < in->n_od; e++) {
        uint64_t key = od_key(in->od[e].from, in->od[e].to);
        size_t s = od_probe(c, key);
        c->od_keys[s] = key;
        c->od_cost[s] = in->od[e].length;
    }
    return CP_OK;
}

static double matrix_lookup(const cp_distance_ctx *c, int from, int to)
{
    size_t s;
    if (from == to)
        return 0.0;
    s = od_probe(c, od_key(from, to));
    if (c->od_keys[s] != UINT64_MAX)
        return c->od_cost[s];
    s = od_probe(c, od_key(to, from));
    if (c->od_keys[s] != UINT64_MAX)
        return c->od_cost[s];
    return INFINITY;
}

/* ------------------------------------------------------------ public API */

cp_distance_ctx *cp_distance_new(const cp_instance *inst, cp_error *err)
{
    cp_distance_ctx *c = cp_calloc(1, sizeof *c);
    cp_code rc = CP_OK;
    if (!c) {
        cp_fail_nomem(err);
        return NULL;
    }
    c->inst = inst;
    if (inst->road)
        rc = (c->road = cp_road_search_new(inst->road)) ? CP_OK : CP_ERESOURCE;
    else if (inst->distance == CP_DIST_NETWORK)
        rc = build_network(c);
    else if (inst->distance == CP_DIST_MATRIX)
        rc = build_matrix(c);
    if (rc) {
        cp_distance_free(c);
        cp_fail_nomem(err);
        return NULL;
    }
    return c;
}

void cp_distance_free(cp_distance_ctx *c)
{
    if (!c)
        return;
    cp_free(c->adj_start);
    cp_free(c->adj_to);
    cp_free(c->adj_len);
    cp_free(c->dist);
    cp_free(c->stamp);
    cp_free(c->settled_stamp);
    cp_free(c->target_stamp);
    cp_free(c->heap);
    cp_free(c->heap_pos);
    cp_free(c->od_keys);
    cp_free(c->od_cost);
    cp_road_search_free(c->road);
    cp_free(c);
}

static double geometric(const cp_instance *in, int a, int b)
{
    const cp_school *s = &in->schools[a], *t = &in->schools[b];
    if (in->distance == CP_DIST_HAVERSINE)
        return cp_haversine_km(s->y, s->x, t->y, t->x);
    return hypot(s->x - t->x, s->y - t->y);
}

double cp_straight_distance(const cp_instance *in, int a, int b)
{
    if (in->distance == CP_DIST_NETWORK || in->distance == CP_DIST_MATRIX)
        return NAN;
    return geometric(in, a, b);
}

double cp_distance(cp_distance_ctx *c, int member, int centre)
{
    double d;
    if (c->road) {
        cp_road_to_centre(c->inst->road, c->road, centre, &member, 1, &d, NULL);
        return d;
    }
    switch (c->inst->distance) {
    case CP_DIST_NETWORK:
        network_to_centre(c, centre, &member, 1, &d);
        return d;
    case CP_DIST_MATRIX:
        return matrix_lookup(c, member, centre);
    default:
        return geometric(c->inst, member, centre);
    }
}

cp_code cp_distance_to_centre(cp_distance_ctx *c, int centre, const int *members,
                              int count, double *out)
{
    int k;
    if (c->road) {
        cp_road_to_centre(c->inst->road, c->road, centre, members, count, out, NULL);
        return CP_OK;
    }
    if (c->inst->distance == CP_DIST_NETWORK) {
        network_to_centre(c, centre, members, count, out);
        return CP_OK;
    }
    for (k = 0; k < count; k++)
        out[k] = cp_distance(c, members[k], centre);
    return CP_OK;
}

cp_code cp_distance_to_centre_km(cp_distance_ctx *c, int centre, const int *members, int count,
                                 double *out, double *km)
{
    int k;
    if (c->road) {
        cp_road_to_centre(c->inst->road, c->road, centre, members, count, out, km);
        return CP_OK;
    }
    if (cp_distance_to_centre(c, centre, members, count, out))
        return CP_ERESOURCE;
    for (k = 0; k < count; k++)
        km[k] = out[k];
    return CP_OK;
}

cp_road_search *cp_distance_road_search(cp_distance_ctx *c)
{
    return c->road;
}
