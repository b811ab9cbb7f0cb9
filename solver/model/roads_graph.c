/*
 * roads_graph.c — the road network built from a line layer, and the
 * schools joined to it (README "Within reach by road").
 *
 *   nodes     vertices of the lines, merged when they lie within
 *             ROAD_NODE_TOLERANCE degrees (1e-7, about 1 cm) of each other
 *             on both axes; so lines that share a vertex meet, and lines
 *             that cross without one (a bridge over a road, a tunnel) do not;
 *   edges     one per pair of consecutive vertices ("segments"), with its
 *             great-circle length on the sphere of the straight-line
 *             distances (R = 6371.0 km: road km and straight km are measured
 *             alike, so a circuity is never below 1 by a datum's doing);
 *             usable both ways unless the line's oneway says otherwise
 *             (OSM: yes/true/1, -1/reverse; ignored on foot), and only when
 *             its class has a speed above 0 in the travel mode;
 *   cost      road km, or minutes at the class's speed (the mode's defaults
 *             below, <speed class kmh> overriding them);
 *   schools   each joins at the nearest point of the nearest usable edge
 *             (measured on a local plane around the school, the join's
 *             length then by great circle); farther than snap-max it keeps
 *             straight-line access when the scenario allows it, else it has
 *             no road (unassigned: "road rule: no road within 2 km").
 * Work: O(points) to merge (a hash of rounded coordinates), O(edges x
 * cells per edge) to index edges on a grid of cells about snap-max wide,
 * O(schools x edges in the 3 x 3 cells around each) to join.  Memory:
 * O(points + edges + schools).
 */
#include "roads_net.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ROAD_NODE_TOLERANCE 1e-7 /* degrees, both axes */

/* -------------------------------------------------------------- the lines */

cp_code cp_road_lines_add(cp_road_lines *l, const double *x, const double *y, long n, int cls,
                          int oneway, long long fid)
{
    if (n < 2)
        return CP_OK;
    if (l->n_lines + 2 > l->lines_cap) {
        long cap = l->lines_cap ? 2 * l->lines_cap : 1024;
        long *start = cp_realloc(l->start, (size_t)(cap + 1) * sizeof *start);
        int *c = start ? cp_realloc(l->cls, (size_t)cap * sizeof *c) : NULL;
        signed char *o = c ? cp_realloc(l->oneway, (size_t)cap) : NULL;
        long long *f = o ? cp_realloc(l->fid, (size_t)cap * sizeof *f) : NULL;
        if (start)
            l->start = start;
        if (c)
            l->cls = c;
        if (o)
            l->oneway = o;
        if (!f)
            return CP_ERESOURCE;
        l->fid = f;
        l->lines_cap = cap;
        if (l->n_lines == 0)
            l->start[0] = 0;
    }
    if (l->n_points + n > l->points_cap) {
        long cap = l->points_cap ? 2 * l->points_cap : 4096;
        double *px, *py;
        while (cap < l->n_points + n)
            cap *= 2;
        px = cp_realloc(l->x, (size_t)cap * sizeof *px);
        py = px ? cp_realloc(l->y, (size_t)cap * sizeof *py) : NULL;
        if (px)
            l->x = px;
        if (!py)
            return CP_ERESOURCE;
        l->y = py;
        l->points_cap = cap;
    }
    memcpy(l->x + l->n_points, x, (size_t)n * sizeof *x);
    memcpy(l->y + l->n_points, y, (size_t)n * sizeof *y);
    l->n_points += n;
    l->cls[l->n_lines] = cls;
    l->oneway[l->n_lines] = (signed char)oneway;
    l->fid[l->n_lines] = fid;
    l->start[++l->n_lines] = l->n_points;
    return CP_OK;
}

int cp_road_lines_class(cp_road_lines *l, const char *name)
{
    int k;
    for (k = l->n_classes - 1; k >= 0; k--) /* most layers hold a few classes */
        if (!strcmp(l->classes[k], name))
            return k;
    if (cp_grow((void **)&l->classes, &l->classes_cap, l->n_classes + 1, sizeof *l->classes) ||
        !(l->classes[l->n_classes] = cp_strdup(name)))
        return -1;
    return l->n_classes++;
}

void cp_road_lines_clear(cp_road_lines *l)
{
    int k;
    for (k = 0; k < l->n_classes; k++)
        cp_free(l->classes[k]);
    cp_free(l->classes);
    cp_free(l->start);
    cp_free(l->x);
    cp_free(l->y);
    cp_free(l->cls);
    cp_free(l->oneway);
    cp_free(l->fid);
    cp_free(l->class_column);
    memset(l, 0, sizeof *l);
}

static int same_word(const char *a, const char *b)
{
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

int cp_road_oneway_value(const char *v, int *known)
{
    static const char *const forward[] = {"yes", "true", "1", NULL};
    static const char *const backward[] = {"-1", "reverse", NULL};
    static const char *const both[] = {"no", "false", "0", "", NULL};
    int k;
    *known = 1;
    for (k = 0; forward[k]; k++)
        if (same_word(v, forward[k]))
            return 1;
    for (k = 0; backward[k]; k++)
        if (same_word(v, backward[k]))
            return -1;
    for (k = 0; both[k]; k++)
        if (same_word(v, both[k]))
            return 0;
    *known = 0; /* reversible, alternating, ...: both ways, said in a warning */
    return 0;
}

/* ------------------------------------------------------------- the speeds */

/* km/h on foot, by bicycle, by motorbike, by car, per OSM highway value
 * (Geofabrik's fclass uses the same words, with track_grade1..5).  0: not
 * usable in that mode.  Rural-African defaults, meant to be overridden by a
 * ministry's own <speed> table; README "Within reach by road" lists them. */
typedef struct {
    const char *cls;
    double kmh[4];
} speed_row;

static const speed_row default_speeds[] = {
    {"motorway", {0, 0, 90, 100}},      {"motorway_link", {0, 0, 60, 60}},
    {"trunk", {5, 18, 70, 80}},         {"trunk_link", {5, 18, 50, 50}},
    {"primary", {5, 18, 60, 65}},       {"primary_link", {5, 18, 45, 45}},
    {"secondary", {5, 16, 50, 55}},     {"secondary_link", {5, 16, 40, 40}},
    {"tertiary", {5, 16, 45, 45}},      {"tertiary_link", {5, 16, 35, 35}},
    {"unclassified", {5, 15, 40, 35}},  {"road", {5, 15, 35, 30}},
    {"residential", {5, 15, 30, 30}},   {"living_street", {5, 12, 15, 10}},
    {"service", {5, 12, 20, 20}},       {"track", {4.5, 12, 25, 15}},
    {"track_grade1", {5, 15, 35, 30}},  {"track_grade2", {4.5, 13, 30, 20}},
    {"track_grade3", {4.5, 12, 25, 15}}, {"track_grade4", {4, 10, 20, 10}},
    {"track_grade5", {4, 8, 15, 5}},    {"path", {4.5, 10, 15, 0}},
    {"footway", {5, 4, 0, 0}},          {"pedestrian", {5, 4, 0, 0}},
    {"bridleway", {4.5, 8, 0, 0}},      {"cycleway", {5, 16, 0, 0}},
    {"steps", {3, 0, 0, 0}},            {"unknown", {4.5, 12, 25, 20}},
};
/* a class the table lacks, or a line without one */
static const double other_kmh[4] = {4.5, 12, 25, 20};
#define OFF_ROAD_KMH 5.0 /* the straight legs off the road, walked in every mode */

/* A class's speed in the scenario's mode: its <speed> (*listed = 1), else
 * the table's (*listed = 2); *listed = 0 when neither names it. */
static double class_kmh(const cp_scenario *sc, const char *cls, int *listed)
{
    int k, mode = (int)sc->travel - 1;
    size_t r;
    *listed = 1;
    for (k = 0; cls && k < sc->n_speeds; k++)
        if (same_word(sc->speeds[k].cls, cls))
            return sc->speeds[k].kmh;
    *listed = 2;
    for (r = 0; cls && r < sizeof default_speeds / sizeof *default_speeds; r++)
        if (same_word(default_speeds[r].cls, cls))
            return default_speeds[r].kmh[mode];
    *listed = 0;
    return other_kmh[mode];
}

/* A class column of the layer's own (<roads class-field>, not OSM's
 * highway or fclass) whose classes still matched the OSM table by name
 * ("Secondary", 276 of whose 303 lines were trails in a ministry layer,
 * took an OSM secondary road's 50 km/h by motorbike): said, per class. */
static cp_code warn_osm_names(const cp_road_lines *l, const cp_scenario *sc, const int *known,
                              const double *kmh, const long *lines, cp_warnings *warn)
{
    char list[600];
    size_t used = 0;
    int k, n = 0;
    if (!sc->roads_class || same_word(sc->roads_class, "highway") ||
        same_word(sc->roads_class, "fclass"))
        return CP_OK;
    for (k = 0; k < l->n_classes; k++)
        if (known[k] == 2 && lines[k] > 0) {
            n++;
            if (used + 80 < sizeof list)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s\"%s\" %g km/h",
                                         used ? "; " : "", l->classes[k], kmh[k]);
        }
    return n ? cp_warn(warn, "roads: %d class%s of column %s took OpenStreetMap's speed for the "
                       "same name (%s, %s): if the layer's classes mean something else, give "
                       "<speed class=\"...\" kmh=\"...\"/> for each", n, n == 1 ? "" : "es",
                       sc->roads_class, cp_travel_name(sc->travel), list)
             : CP_OK;
}

static double off_road_kmh(const cp_scenario *sc)
{
    int k;
    for (k = 0; k < sc->n_speeds; k++)
        if (same_word(sc->speeds[k].cls, "off-road"))
            return sc->speeds[k].kmh;
    return OFF_ROAD_KMH;
}

/* ------------------------------------------------------------ node merging */

typedef struct {
    long long *keys;   /* packed rounded lon/lat; LLONG_MIN = empty */
    int *node;
    size_t slots;      /* power of two */
} node_hash;

#define EMPTY_KEY (-0x7fffffffffffffffLL - 1)

/* Both rounded coordinates in one key (their bits, not their signs: a
 * longitude west of Greenwich is negative).  Never EMPTY_KEY: that would
 * take a longitude of 214 degrees. */
static long long node_key(long long qx, long long qy)
{
    return (long long)(((unsigned long long)qx << 32) ^ ((unsigned long long)qy & 0xffffffffULL));
}

static size_t hash_slot(const node_hash *h, long long key)
{
    unsigned long long z = (unsigned long long)key * 0x9e3779b97f4a7c15ULL;
    size_t i = (size_t)(z ^ (z >> 31)) & (h->slots - 1);
    while (h->keys[i] != EMPTY_KEY && h->keys[i] != key)
        i = (i + 1) & (h->slots - 1);
    return i;
}

/* The node of a point: an existing one within the tolerance (the point's
 * rounded cell and its eight neighbours, lowest node first), else a new
 * one.  Returns -1 on memory. */
static int node_of(roads_net *g, node_hash *h, double x, double y, int *cap)
{
    long long qx = llround(x / ROAD_NODE_TOLERANCE), qy = llround(y / ROAD_NODE_TOLERANCE);
    int best = -1, dx, dy;
    size_t slot;
    for (dx = -1; dx <= 1; dx++)
        for (dy = -1; dy <= 1; dy++) {
            size_t s = hash_slot(h, node_key(qx + dx, qy + dy));
            int v = h->keys[s] == EMPTY_KEY ? -1 : h->node[s];
            if (v >= 0 && (best < 0 || v < best) &&
                fabs(g->nx[v] - x) <= ROAD_NODE_TOLERANCE * 1.000001 &&
                fabs(g->ny[v] - y) <= ROAD_NODE_TOLERANCE * 1.000001)
                best = v;
        }
    if (best >= 0)
        return best;
    if (g->n_nodes == *cap) {
        int c = *cap ? 2 * *cap : 4096;
        double *nx = cp_realloc(g->nx, (size_t)c * sizeof *nx);
        double *ny = nx ? cp_realloc(g->ny, (size_t)c * sizeof *ny) : NULL;
        if (nx)
            g->nx = nx;
        if (!ny)
            return -1;
        g->ny = ny;
        *cap = c;
    }
    g->nx[g->n_nodes] = x;
    g->ny[g->n_nodes] = y;
    slot = hash_slot(h, node_key(qx, qy));
    if (h->keys[slot] == EMPTY_KEY) { /* else a node within 1 cell keeps the slot */
        h->keys[slot] = node_key(qx, qy);
        h->node[slot] = g->n_nodes;
    }
    return g->n_nodes++;
}

/* ---------------------------------------------------------------- segments */

typedef struct {
    int *cls_kmh_known;  /* per class: listed in the table or the scenario */
    double *cls_kmh;     /* per class: speed in the mode */
    long *cls_lines;     /* per class: lines */
    long unknown_oneway, dropped_lines, unusable_lines;
} seg_stats;

static cp_code add_segment(roads_net *g, long *cap, int a, int b, double kmh, int dir)
{
    double km = cp_haversine_km(g->ny[a], g->nx[a], g->ny[b], g->nx[b]);
    if (g->n_segs == *cap) {
        long c = *cap ? 2 * *cap : 4096;
        int *sa = cp_realloc(g->sa, (size_t)c * sizeof *sa);
        int *sb = sa ? cp_realloc(g->sb, (size_t)c * sizeof *sb) : NULL;
        double *skm = sb ? cp_realloc(g->km, (size_t)c * sizeof *skm) : NULL;
        double *cost = skm ? cp_realloc(g->cost, (size_t)c * sizeof *cost) : NULL;
        unsigned char *d = cost ? cp_realloc(g->dir, (size_t)c) : NULL;
        if (sa)
            g->sa = sa;
        if (sb)
            g->sb = sb;
        if (skm)
            g->km = skm;
        if (cost)
            g->cost = cost;
        if (!d)
            return CP_ERESOURCE;
        g->dir = d;
        *cap = c;
    }
    g->sa[g->n_segs] = a;
    g->sb[g->n_segs] = b;
    g->km[g->n_segs] = km;
    g->cost[g->n_segs] = g->timed ? km / kmh * 60.0 : km;
    g->dir[g->n_segs] = (unsigned char)dir;
    g->n_segs++;
    return CP_OK;
}

static cp_code build_segments(roads_net *g, const cp_road_lines *l, const cp_scenario *sc,
                              seg_stats *st, cp_error *err)
{
    node_hash h;
    long l_i, p, seg_cap = 0;
    int node_cap = 0, k;
    cp_code rc = CP_OK;
    h.slots = 16;
    while (h.slots < 2 * (size_t)l->n_points + 16)
        h.slots *= 2;
    h.keys = cp_malloc(h.slots * sizeof *h.keys);
    h.node = cp_malloc(h.slots * sizeof *h.node);
    st->cls_kmh = cp_calloc((size_t)l->n_classes + 1, sizeof *st->cls_kmh);
    st->cls_kmh_known = cp_calloc((size_t)l->n_classes + 1, sizeof *st->cls_kmh_known);
    st->cls_lines = cp_calloc((size_t)l->n_classes + 1, sizeof *st->cls_lines);
    if (!h.keys || !h.node || !st->cls_kmh || !st->cls_kmh_known || !st->cls_lines)
        rc = cp_fail_nomem(err);
    for (p = 0; !rc && p < (long)h.slots; p++)
        h.keys[p] = EMPTY_KEY;
    for (k = 0; !rc && g->timed && k <= l->n_classes; k++) /* the last: no class */
        st->cls_kmh[k] = class_kmh(sc, k < l->n_classes ? l->classes[k] : NULL,
                                   &st->cls_kmh_known[k]);
    if (!rc && (l->n_points >= 0x7fffffffL || 2 * l->n_points >= 0x7fffffffL))
        rc = cp_fail(err, CP_ERESOURCE, "roads: %ld vertices: more than the network's 2^30",
                     l->n_points);
    for (l_i = 0; !rc && l_i < l->n_lines; l_i++) {
        int cls = l->cls[l_i] >= 0 ? l->cls[l_i] : l->n_classes, prev = -1;
        double kmh = g->timed ? st->cls_kmh[cls] : 1.0;
        /* bit 0: a->b usable, bit 1: b->a; one-way rules are for vehicles */
        int dir = sc->travel == CP_TRAVEL_WALK || l->oneway[l_i] == 0 ? 3
                : l->oneway[l_i] > 0 ? 1 : 2;
        st->cls_lines[cls]++;
        if (!(kmh > 0)) {
            st->unusable_lines++;
            continue;
        }
        for (p = l->start[l_i]; !rc && p < l->start[l_i + 1]; p++) {
            int v = node_of(g, &h, l->x[p], l->y[p], &node_cap);
            if (v < 0)
                rc = cp_fail_nomem(err);
            else if (prev >= 0 && v != prev) /* a repeated vertex is no edge */
                rc = add_segment(g, &seg_cap, prev, v, kmh, dir) ? cp_fail_nomem(err) : CP_OK;
            prev = v;
        }
    }
    cp_free(h.keys);
    cp_free(h.node);
    return rc;
}

/* Nodes renumbered in the order of cells of RENUMBER_CELL degrees (row by
 * row), so the nodes a search settles together lie together in memory: on
 * a national network the search is bound by memory reads, not arithmetic. */
#define RENUMBER_CELL 0.02

typedef struct {
    long long key;
    int node;
} node_order;

static int cmp_node_order(const void *a, const void *b)
{
    const node_order *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->node > y->node) - (x->node < y->node);
}

static cp_code renumber_nodes(roads_net *g, cp_error *err)
{
    int n = g->n_nodes, v;
    long e;
    node_order *o = cp_malloc((size_t)(n ? n : 1) * sizeof *o);
    int *new_id = cp_malloc((size_t)(n ? n : 1) * sizeof *new_id);
    double *nx = cp_malloc((size_t)(n ? n : 1) * sizeof *nx);
    double *ny = cp_malloc((size_t)(n ? n : 1) * sizeof *ny);
    if (!o || !new_id || !nx || !ny) {
        cp_free(o);
        cp_free(new_id);
        cp_free(nx);
        cp_free(ny);
        return cp_fail_nomem(err);
    }
    for (v = 0; v < n; v++) {
        o[v].key = road_cell_key((long)floor(g->ny[v] / RENUMBER_CELL),
                                 (long)floor(g->nx[v] / RENUMBER_CELL));
        o[v].node = v;
    }
    qsort(o, (size_t)n, sizeof *o, cmp_node_order);
    for (v = 0; v < n; v++) {
        new_id[o[v].node] = v;
        nx[v] = g->nx[o[v].node];
        ny[v] = g->ny[o[v].node];
    }
    for (e = 0; e < g->n_segs; e++) {
        g->sa[e] = new_id[g->sa[e]];
        g->sb[e] = new_id[g->sb[e]];
    }
    cp_free(g->nx);
    cp_free(g->ny);
    g->nx = nx;
    g->ny = ny;
    cp_free(o);
    cp_free(new_id);
    return CP_OK;
}

/* Arcs into and out of every node, CSR, each list by segment index; a
 * segment with schools is marked (~seg), so a search reads the schools'
 * list only where there are some. */
static cp_code build_arcs(roads_net *g, cp_error *err)
{
    long e;
    int v, n = g->n_nodes;
    long *fill_in, *fill_out;
    g->in_start = cp_calloc((size_t)n + 1, sizeof *g->in_start);
    g->out_start = cp_calloc((size_t)n + 1, sizeof *g->out_start);
    g->in_arc = cp_malloc(((size_t)g->n_segs * 2 + 1) * sizeof *g->in_arc);
    g->out_arc = cp_malloc(((size_t)g->n_segs * 2 + 1) * sizeof *g->out_arc);
    fill_in = cp_malloc(((size_t)n + 1) * sizeof *fill_in);
    fill_out = cp_malloc(((size_t)n + 1) * sizeof *fill_out);
    if (!g->in_start || !g->out_start || !g->in_arc || !g->out_arc || !fill_in || !fill_out) {
        cp_free(fill_in);
        cp_free(fill_out);
        return cp_fail_nomem(err);
    }
    for (e = 0; e < g->n_segs; e++) {
        if (g->dir[e] & 1) { /* a -> b */
            g->out_start[g->sa[e] + 1]++;
            g->in_start[g->sb[e] + 1]++;
        }
        if (g->dir[e] & 2) { /* b -> a */
            g->out_start[g->sb[e] + 1]++;
            g->in_start[g->sa[e] + 1]++;
        }
    }
    for (v = 0; v < n; v++) {
        g->in_start[v + 1] += g->in_start[v];
        g->out_start[v + 1] += g->out_start[v];
    }
    memcpy(fill_in, g->in_start, ((size_t)n + 1) * sizeof *fill_in);
    memcpy(fill_out, g->out_start, ((size_t)n + 1) * sizeof *fill_out);
    for (e = 0; e < g->n_segs; e++) {
        int a = g->sa[e], b = g->sb[e];
        int seg = g->seg_start[e + 1] > g->seg_start[e] ? ~(int)e : (int)e;
        road_arc ab = {b, seg, g->cost[e]}, ba = {a, seg, g->cost[e]}; /* by the node at the far end */
        if (g->dir[e] & 1) {
            g->out_arc[fill_out[a]++] = ab;
            g->in_arc[fill_in[b]++] = ba;
        }
        if (g->dir[e] & 2) {
            g->out_arc[fill_out[b]++] = ba;
            g->in_arc[fill_in[a]++] = ab;
        }
    }
    cp_free(fill_in);
    cp_free(fill_out);
    return CP_OK;
}

/* ------------------------------------------------------------------- grids */

static int cmp_cell_item(const void *a, const void *b)
{
    const cell_item *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->item > y->item) - (x->item < y->item);
}

long long road_cell_key(long row, long col)
{
    return ((long long)(row + 0x40000000L) << 32) | (long long)(col + 0x40000000L);
}

void road_grid_cell(const road_grid *gr, double x, double y, long *row, long *col)
{
    *row = (long)floor(y / gr->cell_lat);
    *col = (long)floor(x / gr->cell_lon);
}

/* First entry of the cell (row, col) in the sorted items. */
long road_grid_find(const road_grid *gr, long row, long col)
{
    long long key = road_cell_key(row, col);
    long lo = 0, hi = gr->n;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (gr->items[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static cp_code grid_push(road_grid *gr, long *cap, long row, long col, long item)
{
    if (gr->n == *cap) {
        long c = *cap ? 2 * *cap : 4096;
        cell_item *p = cp_realloc(gr->items, (size_t)c * sizeof *p);
        if (!p)
            return CP_ERESOURCE;
        gr->items = p;
        *cap = c;
    }
    gr->items[gr->n].key = road_cell_key(row, col);
    gr->items[gr->n++].item = item;
    return CP_OK;
}

/* Cells of `cell_km` on the latitude axis, as wide on the longitude axis at
 * the highest latitude `ref_lat` (so a cell is at least cell_km wide). */
static void grid_init(road_grid *gr, double cell_km, double ref_lat)
{
    memset(gr, 0, sizeof *gr);
    gr->cell_km = cell_km;
    gr->cell_lat = cell_km / ROAD_KM_PER_DEGREE;
    gr->cell_lon = gr->cell_lat / fmax(cos(fmin(fabs(ref_lat), 89.0) * ROAD_RADIANS), 0.02);
}

/* Every usable segment in each cell it passes through: row by row, the
 * columns its part in that row's strip spans (so a long diagonal segment
 * takes O(rows + columns) cells, not its bounding box's rows x columns). */
static cp_code index_segments(roads_net *g, double cell_km, double ref_lat, cp_error *err)
{
    road_grid *gr = &g->seg_grid;
    long e, cap = 0;
    grid_init(gr, cell_km, ref_lat);
    for (e = 0; e < g->n_segs; e++) {
        double ax = g->nx[g->sa[e]], ay = g->ny[g->sa[e]], bx = g->nx[g->sb[e]], by = g->ny[g->sb[e]];
        long r0, r1, r, c, c0, c1, dummy;
        road_grid_cell(gr, 0, fmin(ay, by), &r0, &dummy);
        road_grid_cell(gr, 0, fmax(ay, by), &r1, &dummy);
        for (r = r0; r <= r1; r++) {
            /* the segment's x over the strip's latitudes, within the segment */
            double lo = fmax(fmin(ay, by), r * gr->cell_lat), hi = fmin(fmax(ay, by), (r + 1) * gr->cell_lat);
            double x1 = ay == by ? ax : ax + (bx - ax) * (lo - ay) / (by - ay);
            double x2 = ay == by ? bx : ax + (bx - ax) * (hi - ay) / (by - ay);
            road_grid_cell(gr, fmin(x1, x2), 0, &dummy, &c0);
            road_grid_cell(gr, fmax(x1, x2), 0, &dummy, &c1);
            for (c = c0; c <= c1; c++)
                if (grid_push(gr, &cap, r, c, e))
                    return cp_fail_nomem(err);
        }
    }
    if (g->seg_grid.n > 1)
        qsort(g->seg_grid.items, (size_t)g->seg_grid.n, sizeof *g->seg_grid.items,
              cmp_cell_item);
    return CP_OK;
}

/* Schools of one access kind, one cell each. */
static cp_code index_schools(roads_net *g, road_grid *gr, cp_road_access kind, double cell_km,
                             double ref_lat, cp_error *err)
{
    long cap = 0;
    int i;
    grid_init(gr, cell_km, ref_lat);
    for (i = 0; i < g->n_schools; i++) {
        long r, c;
        if (g->access[i] != kind)
            continue;
        road_grid_cell(gr, g->sx[i], g->sy[i], &r, &c);
        if (grid_push(gr, &cap, r, c, i))
            return cp_fail_nomem(err);
    }
    if (gr->n > 1)
        qsort(gr->items, (size_t)gr->n, sizeof *gr->items, cmp_cell_item);
    return CP_OK;
}

/* ----------------------------------------------------------------- joining */

/* The foot of school i on segment e, on a plane around the school: its
 * fraction along a->b and the plane distance (km). */
static double foot_on(const roads_net *g, int i, long e, double *t)
{
    double c = cos(g->sy[i] * ROAD_RADIANS) * ROAD_KM_PER_DEGREE;
    double ax = (g->nx[g->sa[e]] - g->sx[i]) * c, ay = (g->ny[g->sa[e]] - g->sy[i]) * ROAD_KM_PER_DEGREE;
    double bx = (g->nx[g->sb[e]] - g->sx[i]) * c, by = (g->ny[g->sb[e]] - g->sy[i]) * ROAD_KM_PER_DEGREE;
    double dx = bx - ax, dy = by - ay, len2 = dx * dx + dy * dy, u;
    u = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0.0;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    *t = u;
    return hypot(ax + u * dx, ay + u * dy);
}

/* School i's nearest segment within its reach of cells; -1 for none. */
static long nearest_segment(const roads_net *g, int i, double *t_out)
{
    const road_grid *gr = &g->seg_grid;
    long row, col, r, k, best = -1;
    long reach = (long)ceil(g->snap_max / gr->cell_km);
    double best_d = INFINITY;
    road_grid_cell(gr, g->sx[i], g->sy[i], &row, &col);
    for (r = row - reach; r <= row + reach; r++)
        for (k = road_grid_find(gr, r, col - reach);
             k < gr->n && gr->items[k].key <= road_cell_key(r, col + reach); k++) {
            long e = gr->items[k].item;
            double t, d = foot_on(g, i, e, &t);
            if (d < best_d || (d == best_d && e < best)) {
                best_d = d;
                best = e;
                *t_out = t;
            }
        }
    return best;
}

static cp_code join_schools(roads_net *g, const cp_scenario *sc, cp_error *err)
{
    int i, n = g->n_schools;
    g->snap_seg = cp_malloc((size_t)(n ? n : 1) * sizeof *g->snap_seg);
    g->snap_t = cp_malloc((size_t)(n ? n : 1) * sizeof *g->snap_t);
    g->off_km = cp_malloc((size_t)(n ? n : 1) * sizeof *g->off_km);
    g->off_cost = cp_malloc((size_t)(n ? n : 1) * sizeof *g->off_cost);
    g->access = cp_malloc((size_t)(n ? n : 1));
    if (!g->snap_seg || !g->snap_t || !g->off_km || !g->off_cost || !g->access)
        return cp_fail_nomem(err);
    for (i = 0; i < n; i++) {
        double t = 0.0;
        long e = isnan(g->sx[i]) || isnan(g->sy[i]) ? -1 : nearest_segment(g, i, &t);
        double off = INFINITY;
        if (e >= 0) {
            double fx = g->nx[g->sa[e]] + t * (g->nx[g->sb[e]] - g->nx[g->sa[e]]);
            double fy = g->ny[g->sa[e]] + t * (g->ny[g->sb[e]] - g->ny[g->sa[e]]);
            off = cp_haversine_km(g->sy[i], g->sx[i], fy, fx);
        }
        g->snap_seg[i] = off <= g->snap_max ? e : -1;
        g->snap_t[i] = t;
        g->off_km[i] = off <= g->snap_max ? off : NAN;
        g->off_cost[i] = off <= g->snap_max ? road_straight_cost(g, off) : NAN;
        g->access[i] = off <= g->snap_max ? ROAD_JOINED
                     : sc->straight_access && !isnan(g->sx[i]) ? ROAD_STRAIGHT : ROAD_NONE;
        if (g->access[i] == ROAD_JOINED)
            g->max_off_km = fmax(g->max_off_km, off);
    }
    return CP_OK;
}

/* Schools by the segment they joined, CSR (ascending school index). */
static cp_code schools_by_segment(roads_net *g, cp_error *err)
{
    long e, *fill;
    int i;
    g->seg_start = cp_calloc((size_t)g->n_segs + 1, sizeof *g->seg_start);
    g->seg_school = cp_malloc((size_t)(g->n_schools ? g->n_schools : 1) * sizeof *g->seg_school);
    fill = cp_malloc(((size_t)g->n_segs + 1) * sizeof *fill);
    if (!g->seg_start || !g->seg_school || !fill) {
        cp_free(fill);
        return cp_fail_nomem(err);
    }
    for (i = 0; i < g->n_schools; i++)
        if (g->snap_seg[i] >= 0)
            g->seg_start[g->snap_seg[i] + 1]++;
    for (e = 0; e < g->n_segs; e++)
        g->seg_start[e + 1] += g->seg_start[e];
    memcpy(fill, g->seg_start, ((size_t)g->n_segs + 1) * sizeof *fill);
    for (i = 0; i < g->n_schools; i++)
        if (g->snap_seg[i] >= 0)
            g->seg_school[fill[g->snap_seg[i]]++] = i;
    cp_free(fill);
    return CP_OK;
}

/* The network's parts (weakly connected components, union-find over the
 * usable segments), and each joined school's: a search for a school of
 * another part would settle its whole part to learn that it cannot. */
static cp_code school_parts(roads_net *g, cp_error *err)
{
    int *up = cp_malloc((size_t)(g->n_nodes ? g->n_nodes : 1) * sizeof *up), v, i;
    long e;
    g->school_part = cp_malloc((size_t)(g->n_schools ? g->n_schools : 1) * sizeof(int));
    if (!up || !g->school_part) {
        cp_free(up);
        return cp_fail_nomem(err);
    }
    for (v = 0; v < g->n_nodes; v++)
        up[v] = v;
    for (e = 0; e < g->n_segs; e++) {
        cp_uf_unite(up, g->sa[e], g->sb[e]);
    }
    for (i = 0; i < g->n_schools; i++)
        g->school_part[i] = g->snap_seg[i] >= 0 ? cp_uf_find(up, g->sa[g->snap_seg[i]]) : -1;
    cp_free(up);
    return CP_OK;
}

/* ---------------------------------------------------------------- summary */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static cp_code summarise(roads_net *g, const cp_road_lines *l, const cp_scenario *sc,
                         cp_error *err)
{
    cp_road_summary *s = &g->summary;
    double *off = cp_malloc((size_t)(g->n_schools ? g->n_schools : 1) * sizeof *off);
    long e;
    int i, n = 0;
    if (!off)
        return cp_fail_nomem(err);
    s->lines = l->n_lines;
    s->nodes = g->n_nodes;
    s->edges = g->n_segs;
    s->snap_max = sc->snap_max;
    s->travel = sc->travel;
    for (e = 0; e < g->n_segs; e++) {
        s->km += g->km[e];
        s->one_way += g->dir[e] != 3;
    }
    for (i = 0; i < g->n_schools; i++) {
        s->on_road += g->access[i] == ROAD_JOINED;
        s->straight += g->access[i] == ROAD_STRAIGHT;
        s->off_road += g->access[i] == ROAD_NONE;
        if (g->access[i] == ROAD_JOINED)
            off[n++] = g->off_km[i];
    }
    qsort(off, (size_t)n, sizeof *off, cmp_double);
    s->off_median_km = cp_sorted_median(off, n);
    s->off_p90_km = cp_sorted_percentile(off, n, 90.0);
    s->off_max_km = n ? off[n - 1] : 0.0;
    cp_free(off);
    return CP_OK;
}

/* What was assumed or dropped, said once each. */
static cp_code warn_classes(const roads_net *g, const cp_road_lines *l, const cp_scenario *sc,
                            const seg_stats *st, cp_warnings *warn)
{
    char list[600];
    size_t used = 0;
    int k, unknown = 0;
    cp_code rc = CP_OK;
    list[0] = '\0';
    for (k = 0; g->timed && k <= l->n_classes; k++) {
        if (st->cls_kmh_known[k] || st->cls_lines[k] == 0)
            continue;
        unknown++;
        if (used + 80 < sizeof list)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s%s%s: %ld line%s",
                                     used ? "; " : "", k < l->n_classes ? "\"" : "",
                                     k < l->n_classes ? l->classes[k] : "no class",
                                     k < l->n_classes ? "\"" : "", st->cls_lines[k],
                                     st->cls_lines[k] == 1 ? "" : "s");
    }
    if (unknown && !l->class_column)
        rc = cp_warn(warn, "roads: the layer has no highway or fclass column (name the column "
                     "of road classes with <roads class-field=\"...\">): every road is taken at "
                     "%g km/h, the %s speed of a road of unknown class", other_kmh[sc->travel - 1],
                     cp_travel_name(sc->travel));
    else if (unknown)
        rc = cp_warn(warn, "roads: %d road class%s of column %s %s not in the speed table of "
                     "%s (%s): taken at %g km/h; give <speed class=\"...\" kmh=\"...\"/> for "
                     "each", unknown, unknown == 1 ? "" : "es", l->class_column,
                     unknown == 1 ? "is" : "are", cp_travel_name(sc->travel), list,
                     other_kmh[sc->travel - 1]);
    if (!rc && st->unusable_lines)
        rc = cp_warn(warn, "roads: %ld line%s of a class with speed 0 %s (not usable %s) %s "
                     "left out", st->unusable_lines, st->unusable_lines == 1 ? "" : "s",
                     sc->travel == CP_TRAVEL_WALK ? "on foot" : "by this mode",
                     cp_travel_name(sc->travel), st->unusable_lines == 1 ? "is" : "are");
    if (!rc && g->timed)
        rc = warn_osm_names(l, sc, st->cls_kmh_known, st->cls_kmh, st->cls_lines, warn);
    if (!rc && !g->timed && sc->n_speeds)
        rc = cp_warn(warn, "roads: <speed> applies in time mode only (<travel mode=\"...\"/>); "
                     "distances are road km, whatever the speeds");
    return rc;
}

/* ---------------------------------------------------------------- assembly */

double road_straight_cost(const roads_net *g, double km)
{
    return g->timed ? km / g->off_kmh * 60.0 : km;
}

cp_road_network *cp_road_build(const cp_road_lines *lines, const cp_instance *inst,
                               const cp_scenario *sc, cp_warnings *warn, cp_error *err)
{
    roads_net *g = cp_calloc(1, sizeof *g);
    seg_stats st;
    double ref_lat = 0.0, cell_km;
    long p;
    int i;
    cp_code rc = CP_OK;
    memset(&st, 0, sizeof st);
    if (!g) {
        cp_fail_nomem(err);
        return NULL;
    }
    g->timed = sc->travel != CP_TRAVEL_DISTANCE;
    g->travel = sc->travel;
    g->snap_max = sc->snap_max;
    g->off_kmh = off_road_kmh(sc);
    g->n_schools = inst->n_schools;
    snprintf(g->units, sizeof g->units, "%s", !g->timed ? "km by road"
             : sc->travel == CP_TRAVEL_WALK ? "min on foot" : sc->travel == CP_TRAVEL_BIKE
             ? "min by bicycle" : sc->travel == CP_TRAVEL_MOTORBIKE ? "min by motorbike"
             : "min by car");
    g->sx = cp_malloc((size_t)(inst->n_schools ? inst->n_schools : 1) * sizeof *g->sx);
    g->sy = cp_malloc((size_t)(inst->n_schools ? inst->n_schools : 1) * sizeof *g->sy);
    if (!g->sx || !g->sy)
        rc = cp_fail_nomem(err);
    for (i = 0; !rc && i < inst->n_schools; i++) {
        g->sx[i] = inst->schools[i].x;
        g->sy[i] = inst->schools[i].y;
        if (!isnan(g->sy[i]))
            ref_lat = fmax(ref_lat, fabs(g->sy[i]));
    }
    for (p = 0; p < lines->n_points; p++)
        ref_lat = fmax(ref_lat, fabs(lines->y[p]));
    /* cells about snap-max wide, so a join looks at 3 x 3 cells; neither so
     * small that a long edge fills thousands, nor so large that a town's
     * streets share a cell */
    cell_km = fmin(fmax(sc->snap_max, 0.25), 5.0);
    if (!rc)
        rc = build_segments(g, lines, sc, &st, err);
    if (!rc)
        rc = renumber_nodes(g, err);
    if (!rc)
        rc = index_segments(g, cell_km, ref_lat, err);
    if (!rc)
        rc = join_schools(g, sc, err);
    if (!rc)
        rc = schools_by_segment(g, err);
    if (!rc)
        rc = build_arcs(g, err);
    if (!rc)
        rc = school_parts(g, err);
    /* the joined schools for the walks that skip the road, the others for
     * straight-line access */
    if (!rc)
        rc = index_schools(g, &g->joined_grid, ROAD_JOINED, fmax(g->max_off_km, 0.25), ref_lat,
                           err);
    if (!rc)
        rc = index_schools(g, &g->straight_grid, ROAD_STRAIGHT, cell_km, ref_lat, err);
    if (!rc)
        rc = summarise(g, lines, sc, err);
    if (!rc && warn_classes(g, lines, sc, &st, warn))
        rc = cp_fail_nomem(err);
    cp_free(st.cls_kmh);
    cp_free(st.cls_kmh_known);
    cp_free(st.cls_lines);
    cp_free(g->seg_grid.items); /* only joining needs the edges' cells */
    g->seg_grid.items = NULL;
    if (rc) {
        cp_road_free(g);
        return NULL;
    }
    return g;
}

void cp_road_free(cp_road_network *g)
{
    if (!g)
        return;
    cp_free(g->nx);
    cp_free(g->ny);
    cp_free(g->sa);
    cp_free(g->sb);
    cp_free(g->km);
    cp_free(g->cost);
    cp_free(g->dir);
    cp_free(g->in_start);
    cp_free(g->in_arc);
    cp_free(g->out_start);
    cp_free(g->out_arc);
    cp_free(g->seg_grid.items);
    cp_free(g->joined_grid.items);
    cp_free(g->straight_grid.items);
    cp_free(g->sx);
    cp_free(g->sy);
    cp_free(g->snap_seg);
    cp_free(g->snap_t);
    cp_free(g->off_km);
    cp_free(g->off_cost);
    cp_free(g->access);
    cp_free(g->seg_start);
    cp_free(g->seg_school);
    cp_free(g->school_part);
    cp_free(g->source);
    cp_free(g->layer);
    cp_free(g);
}

void cp_instance_attach_roads(cp_instance *inst, cp_road_network *net)
{
    cp_road_free(inst->road);
    inst->road = net;
    inst->units = net ? net->units : inst->distance == CP_DIST_HAVERSINE ? "km" : "units";
}

cp_code cp_road_set_source(cp_road_network *net, const char *path, const char *layer,
                           const char *sha256)
{
    cp_free(net->source);
    cp_free(net->layer);
    net->source = cp_strdup(path ? path : "");
    net->layer = cp_strdup(layer ? layer : "");
    if (!net->source || !net->layer)
        return CP_ERESOURCE;
    net->summary.source = net->source;
    net->summary.layer = net->layer;
    snprintf(net->summary.sha256, sizeof net->summary.sha256, "%s", sha256 ? sha256 : "");
    return CP_OK;
}

const cp_road_summary *cp_road_info(const cp_instance *inst)
{
    return inst && inst->road ? &inst->road->summary : NULL;
}

long cp_road_edges(const cp_road_network *net)
{
    return net->n_segs;
}

void cp_road_edge(const cp_road_network *net, long e, double *ax, double *ay, double *bx,
                  double *by)
{
    *ax = net->nx[net->sa[e]];
    *ay = net->ny[net->sa[e]];
    *bx = net->nx[net->sb[e]];
    *by = net->ny[net->sb[e]];
}

cp_road_access cp_road_access_of(const cp_road_network *net, int school)
{
    return (cp_road_access)net->access[school];
}

const char *cp_road_units(const cp_road_network *net)
{
    return net->units;
}

int cp_road_timed(const cp_road_network *net)
{
    return net->timed;
}

const char *cp_travel_name(cp_travel_mode mode)
{
    static const char *const names[] = {"distance", "walk", "bike", "motorbike", "car"};
    return (unsigned)mode <= CP_TRAVEL_CAR ? names[mode] : "distance";
}

int cp_travel_parse(const char *name)
{
    int k;
    for (k = CP_TRAVEL_DISTANCE; name && k <= CP_TRAVEL_CAR; k++)
        if (!strcmp(name, cp_travel_name((cp_travel_mode)k)))
            return k;
    return -1;
}
