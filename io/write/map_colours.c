/*
 * map_colours.c — cluster colours for every map (SVG and the interactive
 * report) such that neighbouring clusters differ.  Two clusters are
 * neighbours when their centres lie within NEAR_KM of each other, or their
 * hulls touch or overlap (within MARGIN_KM: a reader cannot tell apart two
 * hulls closer than that on any map).  Greedy graph colouring, largest
 * degree first (ties by cluster index, so the same layout gives the same
 * colours everywhere): each cluster takes, of the palette's colours none of
 * its neighbours has, the one used least so far (so isolated clusters do
 * not all come out blue).  PALETTE colours are chosen to be told apart and never
 * red (red marks unassigned schools); when the greedy needs more (a cluster
 * with PALETTE neighbours that use them all) further colours are spread
 * around the colour wheel, so the rule always holds.
 * Work: clusters sorted by the west edge of their box, then a sweep that
 * compares each cluster with those whose box starts within its own plus
 * NEAR_KM: O(C log C + C·w), w the clusters in one such band.
 */
#include "layout_view.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEAR_KM 2.0
#define MARGIN_KM 0.1

static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                      "#e377c2", "#17becf", "#bcbd22", "#393b79", "#637939",
                                      "#8c6d31", "#7f7f7f"};
#define PALETTE (int)(sizeof palette / sizeof *palette)

typedef struct {
    double lo_x, hi_x, lo_y, hi_y; /* box of hull and centre, in degrees or units */
    int k;
} box;

static int by_west(const void *a, const void *b)
{
    const box *p = a, *q = b;
    if (p->lo_x != q->lo_x)
        return p->lo_x < q->lo_x ? -1 : 1;
    return (p->k > q->k) - (p->k < q->k);
}

/* NEAR_KM and MARGIN_KM in the instance's units (km for lon/lat, else
 * "m" or anything taken as km). */
static double km_in_units(const layout_view *v)
{
    return !v->geographic && v->inst->units && strcmp(v->inst->units, "m") == 0 ? 1000.0 : 1.0;
}

static double centre_distance(const layout_view *v, int a, int b)
{
    const cp_school *s = &v->inst->schools[a], *t = &v->inst->schools[b];
    if (v->geographic)
        return cp_haversine_km(s->y, s->x, t->y, t->x);
    return hypot(s->x - t->x, s->y - t->y) / km_in_units(v);
}

static int neighbours(const layout_view *v, int a, int b)
{
    const view_shapes *h = &v->cluster_hulls;
    int ca = v->ev->centre_used[a], cb = v->ev->centre_used[b];
    if (ca >= 0 && cb >= 0 && view_located(v, ca) && view_located(v, cb) &&
        centre_distance(v, ca, cb) <= NEAR_KM)
        return 1;
    return view_hulls_within(v, h->pt + h->start[a], h->start[a + 1] - h->start[a],
                             h->pt + h->start[b], h->start[b + 1] - h->start[b],
                             MARGIN_KM * km_in_units(v));
}

/* The box of cluster k (its hull and its centre), or 0 when nothing of it
 * is drawn. */
static int cluster_box(const layout_view *v, int k, box *b)
{
    const view_shapes *h = &v->cluster_hulls;
    int j, c = v->ev->centre_used[k];
    b->lo_x = b->lo_y = HUGE_VAL;
    b->hi_x = b->hi_y = -HUGE_VAL;
    b->k = k;
    for (j = h->start[k]; j < h->start[k + 1]; j++) {
        b->lo_x = fmin(b->lo_x, h->pt[j].x);
        b->hi_x = fmax(b->hi_x, h->pt[j].x);
        b->lo_y = fmin(b->lo_y, h->pt[j].y);
        b->hi_y = fmax(b->hi_y, h->pt[j].y);
    }
    if (c >= 0 && view_located(v, c)) {
        b->lo_x = fmin(b->lo_x, v->inst->schools[c].x);
        b->hi_x = fmax(b->hi_x, v->inst->schools[c].x);
        b->lo_y = fmin(b->lo_y, v->inst->schools[c].y);
        b->hi_y = fmax(b->hi_y, v->inst->schools[c].y);
    }
    return b->lo_x <= b->hi_x;
}

/* Pairs of neighbouring clusters as an edge list (both directions). */
static cp_code neighbour_pairs(const layout_view *v, int **pairs, int *n_pairs)
{
    int C = v->lay->n_clusters, n = 0, i, j, cap = 64;
    double reach_y = NEAR_KM * km_in_units(v) / (v->geographic ? VIEW_KM_PER_DEGREE : 1.0);
    box *b = cp_malloc((size_t)(C ? C : 1) * sizeof *b);
    int *e = cp_malloc((size_t)cap * 2 * sizeof(int));
    if (!b || !e) {
        cp_free(b);
        cp_free(e);
        return CP_ERESOURCE;
    }
    for (i = 0; i < C; i++)
        n += cluster_box(v, i, &b[n]);
    qsort(b, (size_t)n, sizeof *b, by_west);
    *n_pairs = 0;
    for (i = 0; i < n; i++) {
        /* degrees of longitude shrink with cos(lat): the reach grows */
        double lat = fmax(fabs(b[i].lo_y), fabs(b[i].hi_y));
        double reach_x = v->geographic ? reach_y / fmax(cos(lat * VIEW_RADIANS), 0.05) : reach_y;
        for (j = i + 1; j < n && b[j].lo_x <= b[i].hi_x + reach_x; j++) {
            if (b[j].lo_y > b[i].hi_y + reach_y || b[i].lo_y > b[j].hi_y + reach_y ||
                !neighbours(v, b[i].k, b[j].k))
                continue;
            if (cp_grow((void **)&e, &cap, *n_pairs + 1, 2 * sizeof(int)) != CP_OK) {
                cp_free(b);
                cp_free(e);
                return CP_ERESOURCE;
            }
            e[2 * *n_pairs] = b[i].k;
            e[2 * *n_pairs + 1] = b[j].k;
            ++*n_pairs;
        }
    }
    cp_free(b);
    *pairs = e;
    return CP_OK;
}

/* Clusters by decreasing degree, ties by index, into order[]: sorted as
 * (-degree, index) pairs, with no state outside the call (the writers of
 * a study's runs colour their maps on several threads at once). */
static cp_code by_degree(int C, const int *start, int *order)
{
    cp_nearest *key = cp_malloc((size_t)(C ? C : 1) * sizeof *key);
    int k;
    if (!key)
        return CP_ERESOURCE;
    for (k = 0; k < C; k++) {
        key[k].d = -(double)(start[k + 1] - start[k]);
        key[k].index = k;
    }
    cp_nearest_sort(key, C);
    for (k = 0; k < C; k++)
        order[k] = key[k].index;
    cp_free(key);
    return CP_OK;
}

/* Greedy colouring over the CSR adjacency; returns the colours used. */
static int greedy(int C, const int *start, const int *adj, int *order, int *colour)
{
    int used = 0, i, q, uses[PALETTE] = {0};
    unsigned char *taken = cp_calloc((size_t)C + PALETTE + 1, 1);
    if (!taken)
        return -1;
    for (i = 0; i < C; i++)
        colour[i] = -1;
    for (i = 0; i < C; i++) {
        int k = order[i], c = 0;
        for (q = start[k]; q < start[k + 1]; q++)
            if (colour[adj[q]] >= 0)
                taken[colour[adj[q]]] = 1;
        for (q = 1; q < PALETTE; q++) /* the least used free colour of the palette */
            if (!taken[q] && (taken[c] || uses[q] < uses[c]))
                c = q;
        while (taken[c])
            c++;
        colour[k] = c;
        if (c < PALETTE)
            uses[c]++;
        used = c + 1 > used ? c + 1 : used;
        for (q = start[k]; q < start[k + 1]; q++)
            if (colour[adj[q]] >= 0)
                taken[colour[adj[q]]] = 0;
    }
    cp_free(taken);
    return used;
}

cp_code view_colour_clusters(layout_view *v)
{
    int C = v->lay->n_clusters, n_pairs = 0, *pairs = NULL, k, *start, *adj, *fill, *order;
    cp_code rc = CP_ERESOURCE;
    v->colour = cp_malloc((size_t)(C ? C : 1) * sizeof(int));
    start = cp_calloc((size_t)C + 2, sizeof(int));
    order = cp_malloc((size_t)(C ? C : 1) * sizeof(int));
    if (!v->colour || !start || !order || neighbour_pairs(v, &pairs, &n_pairs)) {
        cp_free(start);
        cp_free(order);
        return CP_ERESOURCE;
    }
    for (k = 0; k < n_pairs; k++) {
        start[pairs[2 * k] + 1]++;
        start[pairs[2 * k + 1] + 1]++;
    }
    for (k = 0; k < C; k++)
        start[k + 1] += start[k];
    adj = cp_malloc((size_t)(2 * n_pairs + 1) * sizeof(int));
    fill = cp_malloc((size_t)(C + 1) * sizeof(int));
    if (adj && fill) {
        memcpy(fill, start, (size_t)(C + 1) * sizeof(int));
        for (k = 0; k < n_pairs; k++) {
            adj[fill[pairs[2 * k]]++] = pairs[2 * k + 1];
            adj[fill[pairs[2 * k + 1]]++] = pairs[2 * k];
        }
        v->n_colours = by_degree(C, start, order) ? -1 : greedy(C, start, adj, order, v->colour);
        v->neighbour_pairs = n_pairs;
        rc = v->n_colours < 0 ? CP_ERESOURCE : CP_OK;
    }
    cp_free(pairs);
    cp_free(start);
    cp_free(adj);
    cp_free(fill);
    cp_free(order);
    return rc;
}

const char *view_colour(const layout_view *v, int k, char buf[8])
{
    return view_colour_hex(k >= 0 && v->colour ? v->colour[k] : -1, buf);
}

/* Colours beyond the palette: hues by the golden section of 30..330
 * degrees (never red), in three lightness bands taken in turn, so any two
 * of the first few hundred differ by at least a degree of hue within a
 * band: distinct "#rrggbb" values. */
const char *view_colour_hex(int c, char buf[8])
{
    static const double band[3] = {0.42, 0.58, 0.30};
    double h, l, chroma, x, m, rgb[3] = {0, 0, 0};
    int sector;
    if (c < 0)
        return "#d62728";
    if (c < PALETTE)
        return palette[c];
    h = 30.0 + 300.0 * fmod((c - PALETTE) / 3 * 0.6180339887498949, 1.0);
    l = band[(c - PALETTE) % 3];
    chroma = (1.0 - fabs(2 * l - 1)) * 0.6;
    x = chroma * (1.0 - fabs(fmod(h / 60.0, 2.0) - 1.0));
    m = l - chroma / 2;
    sector = (int)(h / 60.0) % 6;
    rgb[(sector + 1) / 2 % 3] = chroma; /* sectors 0,5: r; 1,2: g; 3,4: b */
    rgb[sector % 2 == 0 ? (sector / 2 + 1) % 3 : (sector / 2) % 3] = x;
    snprintf(buf, 8, "#%02x%02x%02x", (int)lround((rgb[0] + m) * 255),
             (int)lround((rgb[1] + m) * 255), (int)lround((rgb[2] + m) * 255));
    return buf;
}
