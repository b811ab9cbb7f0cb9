/*
 * roads_search.c — trips on the road network (roads_net.h): bounded
 * Dijkstra from one school, and the route of each member to its centre.
 *
 * A trip from school s to school c is the shortest of
 *   - the road: s walks straight to where it joined its edge (off-road leg),
 *     along the edge to one of its ends (where the edge allows that
 *     direction), over the network, along c's edge, and off the road to c;
 *     two schools on one edge also go straight along it;
 *   - the walk that skips the road: when the straight line from s to c is
 *     no longer than s's own walk to the road, s walks it (schools on one
 *     site are 0 apart, not twice their walk to the road);
 *   - straight-line access: when s or c lies beyond snap-max and the
 *     scenario lets it keep its straight-line access, the straight line.
 * A school with no road and no straight-line access reaches nothing (but
 * itself).  Off-road legs and straight lines are km, or minutes at the
 * off-road (walking) speed.
 *
 * The search runs from the source over arcs backwards (TO_SOURCE: every
 * school's trip to a centre) or forwards (FROM_SOURCE), settles nodes in
 * order of metric (ties by node index, so runs repeat exactly), and stops
 * at the limit; a school's trip is found when the nodes it can leave its
 * edge by are settled.  Work: the nodes and arcs within the limit, plus the
 * schools on their edges and, for the walks and straight lines, the grid
 * cells within reach.  Scratch: O(nodes + schools) per thread, reused.
 */
#include "roads_net.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define VIA_SEGMENT (-1) /* along the source's own edge */
#define VIA_DIRECT (-2)  /* a straight line: the walk past the road, or access */
#define VIA_SELF (-3)

/* A node's state in the current search: its label, the search it belongs
 * to (stale labels need no clearing) and its place in the heap (-1 once
 * settled).  16 bytes, one read. */
typedef struct {
    double d;
    unsigned stamp;
    int pos;
} node_state;

/* The heap holds each label's key beside its node: comparisons read no
 * other array.  4-ary: half the depth of a binary heap. */
typedef struct {
    double d;
    int v;
} heap_item;

struct cp_road_search {
    const roads_net *g;
    unsigned round;
    int track;          /* keep each label's km and segment (time mode, routes) */
    /* per node */
    node_state *node;
    double *dkm;        /* with track: the km of the label's route */
    long *pred;         /* with track: the segment towards the source, -1 for a seed */
    heap_item *heap;
    int heap_n;
    /* per school */
    double *best, *best_km;
    unsigned *sstamp;
    int *via;           /* the node it left its edge by, or VIA_* */
    int *touched, n_touched;
    cp_nearest *pick;   /* the nearest search's selection */
    unsigned char *ok;  /* the nearest search's admissions */
};

cp_road_search *cp_road_search_new(const cp_road_network *g)
{
    cp_road_search *s = cp_calloc(1, sizeof *s);
    size_t n = (size_t)(g->n_nodes ? g->n_nodes : 1), m = (size_t)(g->n_schools ? g->n_schools : 1);
    if (!s)
        return NULL;
    s->g = g;
    s->node = cp_calloc(n, sizeof *s->node);
    s->dkm = cp_malloc(n * sizeof *s->dkm);
    s->pred = cp_malloc(n * sizeof *s->pred);
    s->heap = cp_malloc(n * sizeof *s->heap);
    s->best = cp_malloc(m * sizeof *s->best);
    s->best_km = cp_malloc(m * sizeof *s->best_km);
    s->sstamp = cp_calloc(m, sizeof *s->sstamp);
    s->via = cp_malloc(m * sizeof *s->via);
    s->touched = cp_malloc(m * sizeof *s->touched);
    s->pick = cp_malloc(m * sizeof *s->pick);
    s->ok = cp_malloc(m);
    if (!s->ok || !s->node || !s->dkm || !s->pred || !s->heap || !s->best || !s->best_km || !s->sstamp ||
        !s->via || !s->touched || !s->pick) {
        cp_road_search_free(s);
        return NULL;
    }
    return s;
}

void cp_road_search_free(cp_road_search *s)
{
    if (!s)
        return;
    cp_free(s->node);
    cp_free(s->dkm);
    cp_free(s->pred);
    cp_free(s->heap);
    cp_free(s->best);
    cp_free(s->best_km);
    cp_free(s->sstamp);
    cp_free(s->via);
    cp_free(s->touched);
    cp_free(s->pick);
    cp_free(s->ok);
    cp_free(s);
}

static void next_round(cp_road_search *s, int track)
{
    if (++s->round == 0) { /* wrapped: clear the stamps once every 2^32 searches */
        memset(s->node, 0, (size_t)(s->g->n_nodes ? s->g->n_nodes : 1) * sizeof *s->node);
        memset(s->sstamp, 0, (size_t)(s->g->n_schools ? s->g->n_schools : 1) * sizeof *s->sstamp);
        s->round = 1;
    }
    s->heap_n = 0;
    s->n_touched = 0;
    s->track = track;
}

/* ------------------------------------------------------------------- heap */

/* By key, ties by node index, so runs repeat exactly. */
static int before(const heap_item *a, const heap_item *b)
{
    return a->d < b->d || (a->d == b->d && a->v < b->v);
}

static void place(cp_road_search *s, int i, heap_item it)
{
    s->heap[i] = it;
    s->node[it.v].pos = i;
}

static void up(cp_road_search *s, int i)
{
    heap_item it = s->heap[i];
    while (i > 0 && before(&it, &s->heap[(i - 1) / 4])) {
        place(s, i, s->heap[(i - 1) / 4]);
        i = (i - 1) / 4;
    }
    place(s, i, it);
}

static void down(cp_road_search *s, int i)
{
    heap_item it = s->heap[i];
    for (;;) {
        int c = 4 * i + 1, m = -1, k;
        for (k = c; k < c + 4 && k < s->heap_n; k++)
            if (before(&s->heap[k], m < 0 ? &it : &s->heap[m]))
                m = k;
        if (m < 0)
            break;
        place(s, i, s->heap[m]);
        i = m;
    }
    place(s, i, it);
}

static int pop(cp_road_search *s)
{
    int top = s->heap[0].v;
    s->node[top].pos = -1; /* settled */
    if (--s->heap_n > 0) {
        s->heap[0] = s->heap[s->heap_n];
        down(s, 0);
    }
    return top;
}

static int settled(const cp_road_search *s, int v)
{
    return s->node[v].stamp == s->round && s->node[v].pos < 0;
}

/* A label for node v; kept when it is shorter than v's (never once settled). */
static void label(cp_road_search *s, int v, double d, double km, long pred)
{
    node_state *n = &s->node[v];
    if (n->stamp != s->round) {
        n->stamp = s->round;
        n->d = d;
        s->heap[s->heap_n].d = d;
        s->heap[s->heap_n].v = v;
        n->pos = s->heap_n++;
    } else if (d < n->d && n->pos >= 0) {
        n->d = d;
        s->heap[n->pos].d = d;
    } else {
        return;
    }
    if (s->track) {
        s->dkm[v] = km;
        s->pred[v] = pred;
    }
    up(s, n->pos);
}

/* A trip found for school i; the shortest stays (the first of equals). */
static void offer(cp_road_search *s, int i, double metric, double km, int via)
{
    if (s->sstamp[i] != s->round) {
        s->sstamp[i] = s->round;
        s->touched[s->n_touched++] = i;
    } else if (!(metric < s->best[i])) {
        return;
    }
    s->best[i] = metric;
    s->best_km[i] = km;
    s->via[i] = via;
}

/* ------------------------------------------------------- around the source */

/* Straight lines from the source to the schools of a grid within `reach`
 * km (every school of the grid when reach is infinite); for the joined
 * grid, only the walks that skip the road (no longer than the walker's own
 * walk to it). */
static void straight_lines(cp_road_search *s, int src, cp_road_direction dir, const road_grid *gr,
                           double reach, int walks_only)
{
    const roads_net *g = s->g;
    long row, col, r, k, span;
    if (gr->n == 0)
        return;
    if (isinf(reach) || reach / gr->cell_km > 1e6) {
        for (k = 0; k < gr->n; k++) {
            int i = (int)gr->items[k].item;
            double km = cp_haversine_km(g->sy[src], g->sx[src], g->sy[i], g->sx[i]);
            if (i != src)
                offer(s, i, road_straight_cost(g, km), km, VIA_DIRECT);
        }
        return;
    }
    span = (long)ceil(reach / gr->cell_km);
    road_grid_cell(gr, g->sx[src], g->sy[src], &row, &col);
    for (r = row - span; r <= row + span; r++)
        for (k = road_grid_find(gr, r, col - span);
             k < gr->n && gr->items[k].key <= road_cell_key(r, col + span); k++) {
            int i = (int)gr->items[k].item;
            double walker = dir == ROAD_TO_SOURCE ? g->off_km[i] : g->off_km[src], km;
            /* the latitudes alone rule most out, before a great circle */
            if (i == src || fabs(g->sy[i] - g->sy[src]) * ROAD_KM_PER_DEGREE >
                                fmin(reach, walks_only ? walker : reach) * 1.000001)
                continue;
            km = cp_haversine_km(g->sy[src], g->sx[src], g->sy[i], g->sx[i]);
            if (km > reach || (walks_only && km > walker))
                continue;
            offer(s, i, road_straight_cost(g, km), km, VIA_DIRECT);
        }
}

/* The straight reach of a limit: km, or the km walked in that many minutes. */
static double straight_reach(const roads_net *g, double limit)
{
    return g->timed ? limit * g->off_kmh / 60.0 : limit;
}

/* The source's edge: its ends as seeds, and the schools on it. */
static void seed_edge(cp_road_search *s, int src, cp_road_direction dir)
{
    const roads_net *g = s->g;
    long e = g->snap_seg[src], k;
    double t = g->snap_t[src], off = g->off_cost[src], offkm = g->off_km[src];
    int to_a = dir == ROAD_TO_SOURCE ? 1 : 2, to_b = dir == ROAD_TO_SOURCE ? 2 : 1;
    /* TO: node a reaches the source moving a -> b (bit 0); FROM: the source
     * reaches a moving b -> a (bit 1) */
    if (g->dir[e] & to_a)
        label(s, g->sa[e], off + t * g->cost[e], offkm + t * g->km[e], -1);
    if (g->dir[e] & to_b)
        label(s, g->sb[e], off + (1 - t) * g->cost[e], offkm + (1 - t) * g->km[e], -1);
    for (k = g->seg_start[e]; k < g->seg_start[e + 1]; k++) {
        int i = g->seg_school[k];
        double ti = g->snap_t[i];
        /* the trip's start and end along a -> b */
        double from = dir == ROAD_TO_SOURCE ? ti : t, to = dir == ROAD_TO_SOURCE ? t : ti;
        double offs = off + g->off_cost[i], offs_km = offkm + g->off_km[i];
        if (i == src)
            continue;
        if (from <= to && (g->dir[e] & 1))
            offer(s, i, offs + (to - from) * g->cost[e], offs_km + (to - from) * g->km[e],
                  VIA_SEGMENT);
        if (from >= to && (g->dir[e] & 2))
            offer(s, i, offs + (from - to) * g->cost[e], offs_km + (from - to) * g->km[e],
                  VIA_SEGMENT);
    }
}

/* ------------------------------------------------------------------ search */

/* Node v settled: the schools on its arcs leave (TO) or join (FROM) the
 * network there; its neighbours are labelled. */
static void expand(cp_road_search *s, int v, cp_road_direction dir)
{
    const roads_net *g = s->g;
    const long *start = dir == ROAD_TO_SOURCE ? g->in_start : g->out_start;
    const road_arc *arc = dir == ROAD_TO_SOURCE ? g->in_arc : g->out_arc;
    double d = s->node[v].d, km = s->track ? s->dkm[v] : d;
    long k, j;
    for (k = start[v]; k < start[v + 1]; k++) {
        const road_arc *a = &arc[k];
        long e = a->seg < 0 ? ~a->seg : a->seg;
        if (a->seg < 0) { /* schools joined this segment */
            int at_a = g->sa[e] == v;
            for (j = g->seg_start[e]; j < g->seg_start[e + 1]; j++) {
                int i = g->seg_school[j];
                double leg = at_a ? g->snap_t[i] : 1.0 - g->snap_t[i];
                offer(s, i, d + leg * a->cost + g->off_cost[i],
                      km + leg * g->km[e] + g->off_km[i], v);
            }
        }
        if (!settled(s, a->to))
            label(s, a->to, d + a->cost, s->track ? km + g->km[e] : 0.0, e);
    }
}

/* The longest trip among the targets still open (joined to the road in the
 * source's part of the network, not the source): the search may stop once
 * every node left is beyond it.  -INFINITY when none is open. */
static double open_bound(const cp_road_search *s, int src, const int *targets, int n)
{
    double bound = -INFINITY;
    int k;
    for (k = 0; k < n; k++) {
        int i = targets[k];
        if (i == src || s->g->access[i] != ROAD_JOINED ||
            s->g->school_part[i] != s->g->school_part[src])
            continue;
        bound = fmax(bound, s->sstamp[i] == s->round ? s->best[i] : INFINITY);
    }
    return bound;
}

static int cmp_nearest(const void *a, const void *b)
{
    return cp_nearest_cmp(a, b);
}

/* The nearest search's stop: the `count`-th smallest trip among the schools
 * admitted so far, recomputed once the nodes settled since the last time
 * reach a quarter of the schools touched (at least 16): O(1) amortised per
 * school touched.  A stale value is higher, so the search only runs a
 * little longer.  Whether a school may be admitted at all (admit: the
 * admin rule, eligibility, capacity) is asked once per school and search;
 * its trip then only has to be within the limits. */
typedef struct {
    int count, since, checked;
    double kth, limit, km_limit;
    int (*admit)(int school, void *arg);
    void *arg;
    unsigned char *ok;  /* per touched school: admit() said yes */
    cp_nearest *buf;    /* the admitted trips, for the selection */
} nearest_stop;

static int nearer(const cp_nearest *a, const cp_nearest *b)
{
    return a->d < b->d || (a->d == b->d && a->index < b->index);
}

/* Quickselect: buf[k] becomes the k-th nearest (0-based) of buf[0..n),
 * the nearer ones before it.  Expected O(n). */
static void select_kth(cp_nearest *buf, int n, int k)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        cp_nearest pivot = buf[lo + (hi - lo) / 2], t;
        int i = lo, j = hi;
        while (i <= j) {
            while (nearer(&buf[i], &pivot))
                i++;
            while (nearer(&pivot, &buf[j]))
                j--;
            if (i <= j) {
                t = buf[i];
                buf[i++] = buf[j];
                buf[j--] = t;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

/* The admitted trips within the limits into buf; returns how many. */
static int admitted(const cp_road_search *s, nearest_stop *ns)
{
    int k, n = 0;
    for (; ns->checked < s->n_touched; ns->checked++) {
        int i = s->touched[ns->checked];
        ns->ok[i] = (unsigned char)ns->admit(i, ns->arg);
    }
    for (k = 0; k < s->n_touched; k++) {
        int i = s->touched[k];
        if (ns->ok[i] && s->best[i] <= ns->limit && s->best_km[i] <= ns->km_limit) {
            ns->buf[n].d = s->best[i];
            ns->buf[n++].index = i;
        }
    }
    return n;
}

/* Stop before a node farther than the count-th admitted trip: every trip
 * through it or later is longer (strictly: so ties are settled too). */
static int nearest_done(const cp_road_search *s, nearest_stop *ns, double d)
{
    if (ns->since >= 16 && 4 * ns->since >= s->n_touched) {
        int n = admitted(s, ns);
        if (n >= ns->count) {
            select_kth(ns->buf, n, ns->count - 1);
            ns->kth = ns->buf[ns->count - 1].d;
        }
        ns->since = 0;
    }
    return d > ns->kth;
}

/* Every trip from or to src up to `limit`; with targets, only until none of
 * theirs can get shorter; with a nearest stop, until its count is found. */
static void run_until(cp_road_search *s, int src, cp_road_direction dir, double limit,
                      const int *targets, int n_targets, nearest_stop *ns, int routes);

static void run(cp_road_search *s, int src, cp_road_direction dir, double limit,
                const int *targets, int n_targets)
{
    run_until(s, src, dir, limit, targets, n_targets, NULL, 0);
}

/* routes: keep each node's segment towards the source (cp_road_paths). */
static void run_until(cp_road_search *s, int src, cp_road_direction dir, double limit,
                      const int *targets, int n_targets, nearest_stop *ns, int routes)
{
    const roads_net *g = s->g;
    double bound = INFINITY;
    next_round(s, g->timed || routes);
    offer(s, src, 0.0, 0.0, VIA_SELF);
    if (g->access[src] == ROAD_NONE)
        return;
    if (g->access[src] == ROAD_STRAIGHT) {
        straight_lines(s, src, dir, &g->joined_grid, straight_reach(g, limit), 0);
        straight_lines(s, src, dir, &g->straight_grid, straight_reach(g, limit), 0);
        return;
    }
    straight_lines(s, src, dir, &g->joined_grid,
                   dir == ROAD_TO_SOURCE ? g->max_off_km : g->off_km[src], 1);
    straight_lines(s, src, dir, &g->straight_grid, straight_reach(g, limit), 0);
    seed_edge(s, src, dir);
    if (targets)
        bound = open_bound(s, src, targets, n_targets);
    while (s->heap_n > 0) {
        double d = s->heap[0].d;
        int v;
        if (d > limit)
            break;
        if (targets && d >= bound && (bound = open_bound(s, src, targets, n_targets)) <= d)
            break;
        if (ns && nearest_done(s, ns, d))
            break;
        v = pop(s);
        if (ns)
            ns->since += 1;
        expand(s, v, dir);
    }
}

int cp_road_nearest(const cp_road_network *g, cp_road_search *s, int source,
                    cp_road_direction dir, double limit, double km_limit, int count,
                    int (*admit)(int school, void *arg), void *arg, cp_nearest *out)
{
    nearest_stop ns;
    int n;
    (void)g;
    memset(&ns, 0, sizeof ns);
    ns.count = count;
    ns.kth = INFINITY;
    ns.limit = limit;
    ns.km_limit = km_limit;
    ns.admit = admit;
    ns.arg = arg;
    ns.ok = s->ok;
    ns.buf = s->pick;
    run_until(s, source, dir, limit, NULL, 0, count > 0 ? &ns : NULL, 0);
    n = count > 0 ? admitted(s, &ns) : 0;
    if (n > count)
        select_kth(ns.buf, n, count - 1);
    n = n < count ? n : count;
    qsort(ns.buf, (size_t)n, sizeof *ns.buf, cmp_nearest);
    memcpy(out, ns.buf, (size_t)n * sizeof *out);
    return n;
}

void cp_road_within(const cp_road_network *g, cp_road_search *s, int source,
                    cp_road_direction dir, double limit,
                    void (*visit)(int school, double metric, double km, void *arg), void *arg)
{
    int k;
    run(s, source, dir, limit, NULL, 0);
    (void)g;
    for (k = 0; k < s->n_touched; k++) {
        int i = s->touched[k];
        if (s->best[i] <= limit)
            visit(i, s->best[i], s->best_km[i], arg);
    }
}

void cp_road_to_centre(const cp_road_network *g, cp_road_search *s, int centre,
                       const int *members, int count, double *metric, double *km)
{
    int k;
    (void)g;
    run(s, centre, ROAD_TO_SOURCE, INFINITY, members, count);
    for (k = 0; k < count; k++) {
        int i = members[k];
        int found = s->sstamp[i] == s->round;
        metric[k] = found ? s->best[i] : INFINITY;
        if (km)
            km[k] = found ? s->best_km[i] : INFINITY;
    }
}

/* ------------------------------------------------------------------- paths */

typedef struct {
    long *start;
    double *x, *y;
    long n, cap, first; /* first: where the current line starts */
} polyline_buf;

static int put(polyline_buf *b, double x, double y)
{
    if (b->n > b->first && b->x[b->n - 1] == x && b->y[b->n - 1] == y)
        return 0; /* a repeated point (a school on its road) adds nothing */
    if (b->n == b->cap) {
        long cap = b->cap ? 2 * b->cap : 256;
        double *px = cp_realloc(b->x, (size_t)cap * sizeof *px);
        double *py = px ? cp_realloc(b->y, (size_t)cap * sizeof *py) : NULL;
        if (px)
            b->x = px;
        if (!py)
            return -1;
        b->y = py;
        b->cap = cap;
    }
    b->x[b->n] = x;
    b->y[b->n++] = y;
    return 0;
}

static int put_foot(polyline_buf *b, const roads_net *g, int i)
{
    long e = g->snap_seg[i];
    double t = g->snap_t[i];
    return put(b, g->nx[g->sa[e]] + t * (g->nx[g->sb[e]] - g->nx[g->sa[e]]),
               g->ny[g->sa[e]] + t * (g->ny[g->sb[e]] - g->ny[g->sa[e]]));
}

/* Member i's route to the centre in travel order: its point, its foot on
 * the road, the nodes towards the centre, the centre's foot, the centre. */
static int trace(const cp_road_search *s, polyline_buf *b, int i, int centre)
{
    const roads_net *g = s->g;
    int v = s->via[i], rc = put(b, g->sx[i], g->sy[i]);
    if (v == VIA_DIRECT || v == VIA_SELF)
        return rc ? rc : put(b, g->sx[centre], g->sy[centre]);
    rc = rc ? rc : put_foot(b, g, i);
    while (!rc && v >= 0) {
        long e = s->pred[v];
        rc = put(b, g->nx[v], g->ny[v]);
        v = e < 0 ? -1 : g->sa[e] == v ? g->sb[e] : g->sa[e];
    }
    rc = rc ? rc : put_foot(b, g, centre);
    return rc ? rc : put(b, g->sx[centre], g->sy[centre]);
}

cp_code cp_road_paths(const cp_road_network *g, cp_road_search *s, int centre,
                      const int *members, int count, long **start, double **pt_x,
                      double **pt_y)
{
    polyline_buf b;
    int k, rc = 0;
    (void)g;
    memset(&b, 0, sizeof b);
    b.start = cp_malloc(((size_t)count + 1) * sizeof *b.start);
    if (!b.start)
        return CP_ERESOURCE;
    run_until(s, centre, ROAD_TO_SOURCE, INFINITY, members, count, NULL, 1);
    b.start[0] = 0;
    for (k = 0; !rc && k < count; k++) {
        int i = members[k];
        long first = b.first = b.n;
        if (s->sstamp[i] == s->round && isfinite(s->best[i]))
            rc = trace(s, &b, i, centre);
        if (!rc && b.n - first == 1)
            b.n = first; /* a school at its centre's point: no line */
        b.start[k + 1] = b.n;
    }
    if (rc) {
        cp_free(b.start);
        cp_free(b.x);
        cp_free(b.y);
        return CP_ERESOURCE;
    }
    *start = b.start;
    *pt_x = b.x;
    *pt_y = b.y;
    return CP_OK;
}
