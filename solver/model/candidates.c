/*
 * candidates.c — admissible (member, centre) pairs, the sparse support of
 * both the MILP and the local search.  Never an n x n matrix when a
 * distance limit exists:
 *   haversine/euclidean  a uniform grid of eligible centres; a member looks
 *                        only at cells within the largest limit (for
 *                        haversine the longitude span widens with latitude);
 *                        scanned twice, to count and to write in place;
 *   network              one Dijkstra per eligible centre, stopped at the
 *                        largest limit;
 *   matrix               the given od pairs (both directions);
 *   roads                one bounded Dijkstra per eligible centre over the
 *                        road network (roads_search.c), in ROAD_CHUNKS fixed
 *                        chunks of centres side by side on the thread team,
 *                        each thread with its own scratch; run twice, to
 *                        count each member's pairs and then to write them
 *                        in place;
 * and with no limit at all, every eligible centre of the member's admin unit.
 * Written in place (place_begin), the pairs are held once: memory is the
 * final arrays (12 bytes a pair), a count per member and thread and a
 * cursor per member (12 bytes a school with one thread), and for roads one
 * search scratch per thread; the distances are computed twice, which costs
 * less wall time on 2 threads than collecting the pairs did (page faults
 * on twice the memory).
 * Each member's centres are then sorted by distance (ties by index), so the
 * pairs are the same on any thread count.
 * The antimeridian is not wrapped: a cluster cannot span longitude +-180.
 */
#include "roads.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define KM_PER_DEGREE 111.19492664455873 /* 2 pi 6371 / 360 */
#define MAX_PAIRS 400000000L             /* beyond this the exact tier is hopeless */
/* Heuristic runs on national instances (settings nearest_from = 200,000
 * schools or more, where dense towns put hundreds of centres within reach
 * of each school) keep each school's nearest_count (64) nearest admissible
 * centres, its own included: memory O(64 n).  The layout is then searched
 * over a restriction of the model, so no bound and no optimality is
 * claimed (solve.c). */

typedef struct {
    int i, j;
    double d;
} pair;

typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    cp_distance_ctx *dist;
    unsigned char *eligible;
    pair *pairs;
    long n_pairs, cap;
    int failed;
    int from_centre; /* network visits: the centre being expanded */
    int nearest;     /* keep this many centres per member (0 = all) */
    int capped;      /* some member lost centres to the cap */
    const unsigned char *members; /* neighbours: the members asked about */
    /* roads, national cap: per school its unit at the admin level and its
     * teachers, packed (a search asks about hundreds of schools); and the
     * member searching, its unit and the teachers its centre may have */
    int *unit;
    double *teachers;
    int from_unit;
    double room;
    /* pairs written in place (grid and roads, every pair: place_begin):
     * the first pass counts each member's pairs into `tally`, the second
     * writes them straight into the final arrays, at `cursor`; NULL
     * otherwise */
    int *tally;
    atomic_long *cursor;
    int *out_centre;
    double *out_dist;
    /* the pairs as CSR by member (out_centre, out_dist above), once placed */
    int *out_start;
    long counted;    /* pairs counted for writing in place (for the messages) */
    int mismatch;    /* the writing pass wrote other pairs than the counting
                        pass counted: cannot happen (the passes repeat exactly) */
} builder;

static int admin_ok(const builder *b, int i, int j)
{
    int level = b->sc->admin_level;
    return level == 0 ||
           b->inst->schools[i].admin[level - 1] == b->inst->schools[j].admin[level - 1];
}

/* Within i's limit, the same admin unit, and both fit the capacity; for
 * neighbours (cp_neighbours_build), within i's limit alone. */
static int admissible(const builder *b, int i, int j, double d)
{
    const cp_school *si = &b->inst->schools[i], *sj = &b->inst->schools[j];
    if (b->members)
        return b->members[i] && d <= cp_school_limit(si, b->sc);
    return d <= cp_school_limit(si, b->sc) && admin_ok(b, i, j) &&
           si->teachers + (i != j ? sj->teachers : 0.0) <= b->sc->capacity;
}

/* An admissible pair kept: appended to the builder's pairs, or (pairs in
 * place: the grid, and roads with every pair) counted in the first pass and
 * written in the second. */
static void push(builder *b, int i, int j, double d)
{
    if (b->failed || !admissible(b, i, j, d))
        return;
    if (b->tally) {
        b->tally[i]++;
        return;
    }
    if (b->cursor) {
        long k = atomic_fetch_add_explicit(&b->cursor[i], 1, memory_order_relaxed);
        if (k >= b->out_start[i + 1]) { /* more than the counting pass saw: cannot happen */
            b->failed = b->mismatch = 1;
            return;
        }
        b->out_centre[k] = j;
        b->out_dist[k] = d;
        return;
    }
    if (b->n_pairs == b->cap) {
        long cap = b->cap ? 2 * b->cap : 1024;
        pair *p = cap > MAX_PAIRS ? NULL : cp_realloc(b->pairs, (size_t)cap * sizeof *p);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->pairs = p;
        b->cap = cap;
    }
    b->pairs[b->n_pairs].i = i;
    b->pairs[b->n_pairs].j = j;
    b->pairs[b->n_pairs++].d = d;
}

static double largest_limit(const cp_instance *inst, const cp_scenario *sc)
{
    double m = 0.0;
    int i;
    for (i = 0; i < inst->n_schools; i++) {
        double l = cp_school_limit(&inst->schools[i], sc);
        if (l > m)
            m = l;
    }
    return m;
}

/* ------------------------------------------------------- pairs in place */

/* Pairs in place: a producer that can run twice (its pairs the same each
 * time) counts each member's pairs first (tally), then writes them into the
 * final arrays (cursor), so the pairs are never held twice: 12 bytes a
 * pair instead of the 16 in transit plus the 12 of the final arrays (5.2 GB
 * against 2.2 GB for the 156.7 million pairs by road of the 100,000-school
 * benchmark).  Each member's pairs land in any order; assemble sorts them.
 *
 * place_begin: the counts (the sum of `tallies`, plus the pairs b holds
 * already, such as the centres' own) become the final arrays' offsets; b's
 * pairs are placed and freed.  0 when memory ran out or the pairs are too
 * many (b->cap then holds how many, for the message). */
static int place_begin(builder *b, int *const *tallies, int n_tallies)
{
    int n = b->inst->n_schools, i, k;
    long total = 0, p;
    if (b->failed || !(b->out_start = cp_calloc((size_t)n + 1, sizeof(int))))
        return 0;
    b->counted = b->n_pairs; /* the message's count if counting fails */
    for (p = 0; p < b->n_pairs; p++)
        b->out_start[b->pairs[p].i + 1]++;
    for (i = 0; i < n; i++) {
        long count = b->out_start[i + 1];
        for (k = 0; k < n_tallies; k++)
            count += tallies[k][i];
        total += count;
        if (total > MAX_PAIRS) {
            b->cap = total;
            return 0;
        }
        b->out_start[i + 1] = (int)total;
    }
    b->out_centre = cp_malloc((size_t)(total ? total : 1) * sizeof *b->out_centre);
    b->out_dist = cp_malloc((size_t)(total ? total : 1) * sizeof *b->out_dist);
    b->cursor = cp_malloc((size_t)(n ? n : 1) * sizeof *b->cursor);
    if (!b->out_centre || !b->out_dist || !b->cursor) {
        cp_free(b->cursor);
        b->cursor = NULL;
        return 0;
    }
    for (i = 0; i < n; i++)
        atomic_init(&b->cursor[i], b->out_start[i]);
    for (p = 0; p < b->n_pairs; p++)
        push(b, b->pairs[p].i, b->pairs[p].j, b->pairs[p].d);
    cp_free(b->pairs);
    b->pairs = NULL;
    b->n_pairs = b->cap = 0;
    b->counted = total;
    return !b->failed;
}

/* After the writing pass: every member's pairs written, as many as counted
 * (the passes repeat exactly; a difference is an internal error). */
static void place_end(builder *b)
{
    int i;
    for (i = 0; !b->failed && i < b->inst->n_schools; i++)
        b->mismatch |= atomic_load(&b->cursor[i]) != b->out_start[i + 1];
    b->failed |= b->mismatch;
}

/* ------------------------------------------------------- no limit: by unit */


typedef struct {
    int unit, index;
} unit_entry;

static int cmp_unit_entry(const void *a, const void *b)
{
    const unit_entry *x = a, *y = b;
    return x->unit != y->unit ? (x->unit < y->unit ? -1 : 1) : (x->index > y->index) - (x->index < y->index);
}

/* Every eligible centre of the member's unit (the whole instance without an
 * admin rule): g x e pairs per unit. */
static void all_pairs_by_unit(builder *b)
{
    const cp_instance *in = b->inst;
    int n = in->n_schools, level = b->sc->admin_level, s, e, k, m;
    unit_entry *u = cp_malloc((size_t)(n ? n : 1) * sizeof *u);
    if (!u) {
        b->failed = 1;
        return;
    }
    for (k = 0; k < n; k++) {
        u[k].unit = level ? in->schools[k].admin[level - 1] : 0;
        u[k].index = k;
    }
    qsort(u, (size_t)n, sizeof *u, cmp_unit_entry);
    for (s = 0; s < n && !b->failed; s = e) {
        for (e = s; e < n && u[e].unit == u[s].unit; e++)
            ;
        for (k = s; k < e; k++)
            for (m = s; m < e; m++)
                if (u[k].index != u[m].index && b->eligible[u[m].index])
                    push(b, u[k].index, u[m].index, cp_distance(b->dist, u[k].index, u[m].index));
    }
    cp_free(u);
}

/* ------------------------------------------------------------------- grid */

typedef struct {
    long long key; /* row * 2^32 + column, both offset to be non-negative */
    int school;
} cell_entry;

static long long cell_key(long row, long col)
{
    return ((long long)(row + 0x40000000L) << 32) | (long long)(col + 0x40000000L);
}

static int cmp_cell(const void *a, const void *b)
{
    const cell_entry *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->school > y->school) - (x->school < y->school);
}

static long lower_bound(const cell_entry *c, long n, long long key)
{
    long lo = 0, hi = n;
    while (lo < hi) {
        long mid = (lo + hi) / 2;
        if (c[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

typedef struct {
    double cell;       /* cell side: degrees (haversine) or units */
    double limit;
    int haversine;
    cell_entry *cells;
    long n_cells;
} grid;

/* Columns to scan on each side at this latitude. */
static long column_reach(const grid *g, double lat, long *all)
{
    double phi, c;
    *all = 0;
    if (!g->haversine)
        return 1;
    phi = fmin(90.0, fabs(lat) + g->cell) * 3.14159265358979323846 / 180.0;
    c = cos(phi);
    if (c < 1e-3) {
        *all = 1;
        return 0;
    }
    return (long)ceil(g->limit / (KM_PER_DEGREE * c) / g->cell);
}

static void scan_row(builder *b, const grid *g, int i, long row, long c0, long c1, long all)
{
    long k = all ? lower_bound(g->cells, g->n_cells, cell_key(row, -0x3fffffffL))
                 : lower_bound(g->cells, g->n_cells, cell_key(row, c0));
    long long end = all ? cell_key(row, 0x3fffffffL) : cell_key(row, c1);
    for (; k < g->n_cells && g->cells[k].key <= end && !b->failed; k++) {
        int j = g->cells[k].school;
        if (j != i)
            push(b, i, j, cp_distance(b->dist, i, j));
    }
}

#define GRID_CHUNKS 16 /* of members, scanned side by side whatever the thread count */

typedef struct {
    builder *b;
    const grid *g;
    builder part[GRID_CHUNKS]; /* each chunk's builder (it counts or writes in place) */
} grid_job;

static void grid_chunk(int k, void *arg)
{
    grid_job *job = arg;
    const cp_instance *in = job->b->inst;
    const grid *g = job->g;
    builder *sub = &job->part[k];
    long lo, hi, r;
    int i;
    cp_chunk_range(in->n_schools, k, GRID_CHUNKS, &lo, &hi);
    for (i = (int)lo; i < hi && !sub->failed; i++) {
        long row = (long)floor(in->schools[i].y / g->cell), all;
        if (sub->members && !sub->members[i])
            continue;
        if (sub->eligible[i])
            push(sub, i, i, 0.0);
        long col = (long)floor(in->schools[i].x / g->cell);
        long reach = column_reach(g, in->schools[i].y, &all);
        for (r = row - 1; r <= row + 1; r++)
            scan_row(sub, g, i, r, col - reach, col + reach, all);
    }
}

/* Each chunk's builder: b's settings (counting or writing in place, if b
 * does), with no pairs of its own. */
static void start_parts(const builder *b, builder *part, int chunks)
{
    int k;
    for (k = 0; k < chunks; k++) {
        part[k] = *b;
        part[k].pairs = NULL;
        part[k].n_pairs = part[k].cap = 0;
    }
}

/* Appends each chunk's pairs (admissible already) to b's, in chunk order. */
static void merge_parts(builder *b, builder *part, int chunks)
{
    long total = b->n_pairs;
    int k;
    for (k = 0; k < chunks; k++) {
        b->failed |= part[k].failed;
        b->mismatch |= part[k].mismatch;
        total += part[k].n_pairs;
    }
    if (!b->failed && total > b->cap) {
        pair *p = total > MAX_PAIRS ? NULL : cp_realloc(b->pairs, (size_t)total * sizeof *p);
        b->failed = p == NULL;
        if (p) {
            b->pairs = p;
            b->cap = total;
        }
    }
    for (k = 0; k < chunks; k++) {
        builder *sub = &part[k];
        if (!b->failed && sub->n_pairs > 0)
            memcpy(b->pairs + b->n_pairs, sub->pairs, (size_t)sub->n_pairs * sizeof *sub->pairs);
        b->n_pairs += b->failed ? 0 : sub->n_pairs;
        cp_free(sub->pairs);
    }
}

/* One scan of every member, in GRID_CHUNKS fixed chunks on every thread
 * (geometric distances only: they keep no state), counting or writing in
 * place as b says. */
static void grid_pass(builder *b, const grid *g)
{
    grid_job job;
    job.b = b;
    job.g = g;
    start_parts(b, job.part, GRID_CHUNKS);
    if (!b->failed)
        cp_parallel_for(GRID_CHUNKS, cp_parallel_threads(b->sc->solver.threads), grid_chunk, &job);
    merge_parts(b, job.part, GRID_CHUNKS);
}

/* The grid's pairs in place (place_begin): one scan counts, the second
 * writes.  A member is scanned by one chunk only, so one count array
 * serves every thread, and its pairs are written in the order scanned. */
static void grid_pairs(builder *b, double limit)
{
    const cp_instance *in = b->inst;
    grid g;
    int *tally;
    int i;
    memset(&g, 0, sizeof g);
    g.haversine = in->distance == CP_DIST_HAVERSINE;
    g.limit = limit;
    g.cell = g.haversine ? limit / KM_PER_DEGREE : limit;
    if (g.cell < 1e-9)
        g.cell = 1e-9;
    g.cells = cp_malloc((size_t)(in->n_schools ? in->n_schools : 1) * sizeof *g.cells);
    tally = cp_calloc((size_t)(in->n_schools ? in->n_schools : 1), sizeof *tally);
    if (!g.cells || !tally) {
        cp_free(g.cells);
        cp_free(tally);
        b->failed = 1;
        return;
    }
    for (i = 0; i < in->n_schools; i++)
        if (b->eligible[i]) {
            g.cells[g.n_cells].key = cell_key((long)floor(in->schools[i].y / g.cell),
                                              (long)floor(in->schools[i].x / g.cell));
            g.cells[g.n_cells++].school = i;
        }
    qsort(g.cells, (size_t)g.n_cells, sizeof *g.cells, cmp_cell);
    b->tally = tally;
    grid_pass(b, &g);
    b->tally = NULL;
    if (!place_begin(b, &tally, 1))
        b->failed = 1;
    cp_free(tally);
    if (!b->failed) {
        grid_pass(b, &g);
        place_end(b);
    }
    cp_free(g.cells);
}

/* ------------------------------------------------- nearest (national) */

/* Cells of RING_CELLS per limit, looked up through a hash of their keys, and
 * searched ring by ring outwards from the member's cell: a ring is skipped
 * once its nearest possible point is beyond the limit or beyond the
 * farthest of the `nearest` kept so far.  Work per member: the cells up to
 * the distance of its nearest centres, not every centre within its limit. */
#define RING_CELLS 8

typedef struct {
    long long key;
    long start, end;   /* into the sorted cell entries */
} cell_span;

typedef struct {
    cell_entry *cells;
    long n_cells;
    cell_span *slots;  /* open addressing, size a power of two */
    long n_slots;
    double cell_lat, cell_lon; /* degrees (or units when euclidean) */
    double min_width;          /* km (units) of the narrowest cell */
} ring_grid;

static unsigned long long mix(long long key)
{
    unsigned long long h = (unsigned long long)key * 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

static const cell_span *find_span(const ring_grid *g, long long key)
{
    unsigned long long k = mix(key) & (unsigned long long)(g->n_slots - 1);
    while (g->slots[k].end > 0) {
        if (g->slots[k].key == key)
            return &g->slots[k];
        k = (k + 1) & (unsigned long long)(g->n_slots - 1);
    }
    return NULL;
}

static int ring_grid_build(ring_grid *g, const builder *b, double limit)
{
    const cp_instance *in = b->inst;
    int haversine = in->distance == CP_DIST_HAVERSINE, i;
    double max_lat = 0.0;
    long k, s;
    memset(g, 0, sizeof g[0]);
    for (i = 0; i < in->n_schools; i++)
        max_lat = fmax(max_lat, fabs(in->schools[i].y));
    g->cell_lat = (haversine ? limit / KM_PER_DEGREE : limit) / RING_CELLS;
    g->cell_lon = haversine ? g->cell_lat / fmax(cos(max_lat * 3.14159265358979323846 / 180.0), 1e-3)
                            : g->cell_lat;
    g->min_width = (haversine ? g->cell_lat * KM_PER_DEGREE : g->cell_lat) * 0.999;
    g->cells = cp_malloc((size_t)(in->n_schools ? in->n_schools : 1) * sizeof *g->cells);
    for (g->n_slots = 16; g->n_slots < 2L * in->n_schools + 16; g->n_slots *= 2)
        ;
    g->slots = cp_calloc((size_t)g->n_slots, sizeof *g->slots);
    if (!g->cells || !g->slots)
        return -1;
    for (i = 0; i < in->n_schools; i++)
        if (b->eligible[i]) {
            g->cells[g->n_cells].key = cell_key((long)floor(in->schools[i].y / g->cell_lat),
                                                (long)floor(in->schools[i].x / g->cell_lon));
            g->cells[g->n_cells++].school = i;
        }
    qsort(g->cells, (size_t)g->n_cells, sizeof *g->cells, cmp_cell);
    for (s = 0; s < g->n_cells; s = k) {
        unsigned long long h = mix(g->cells[s].key) & (unsigned long long)(g->n_slots - 1);
        for (k = s; k < g->n_cells && g->cells[k].key == g->cells[s].key; k++)
            ;
        while (g->slots[h].end > 0)
            h = (h + 1) & (unsigned long long)(g->n_slots - 1);
        g->slots[h].key = g->cells[s].key;
        g->slots[h].start = s;
        g->slots[h].end = k;
    }
    return 0;
}

static void scan_cell(builder *b, const ring_grid *g, int i, long row, long col, cp_nearest *h,
                      int *n, int cap)
{
    const cell_span *sp = find_span(g, cell_key(row, col));
    long k;
    for (k = sp ? sp->start : 0; sp && k < sp->end; k++) {
        int j = g->cells[k].school;
        double d;
        if (j == i)
            continue;
        d = cp_distance(b->dist, i, j);
        if (admissible(b, i, j, d)) {
            cp_nearest e = {d, j};
            cp_nearest_offer(h, n, cap, e);
        }
    }
}

static void nearest_of(builder *b, const ring_grid *g, int i, double limit, cp_nearest *h)
{
    const cp_school *s = &b->inst->schools[i];
    long row = (long)floor(s->y / g->cell_lat), col = (long)floor(s->x / g->cell_lon), r, t;
    int n = 0, cap = b->nearest - (b->eligible[i] ? 1 : 0), k; /* its own pair is kept */
    for (r = 0;; r++) {
        double reach = (double)(r > 0 ? r - 1 : 0) * g->min_width;
        if (reach > limit || (n == cap && reach > h[0].d))
            break;
        for (t = -r; t <= r; t++) { /* the ring: two rows and two columns */
            scan_cell(b, g, i, row - r, col + t, h, &n, cap);
            if (r > 0)
                scan_cell(b, g, i, row + r, col + t, h, &n, cap);
            if (r > 0 && t > -r && t < r) {
                scan_cell(b, g, i, row + t, col - r, h, &n, cap);
                scan_cell(b, g, i, row + t, col + r, h, &n, cap);
            }
        }
    }
    for (k = 0; k < n; k++)
        push(b, i, h[k].index, h[k].d);
    b->capped |= n == cap; /* centres beyond the nearest may have been left out */
}

static void nearest_pairs(builder *b, double limit)
{
    ring_grid g;
    cp_nearest *h = cp_malloc((size_t)b->nearest * sizeof *h);
    int i;
    memset(&g, 0, sizeof g);
    if (!h || ring_grid_build(&g, b, limit))
        b->failed = 1;
    for (i = 0; !b->failed && i < b->inst->n_schools; i++)
        nearest_of(b, &g, i, limit, h);
    cp_free(h);
    cp_free(g.cells);
    cp_free(g.slots);
}

/* ---------------------------------------------------------------- network */

static void visit_network(int v, double d, void *arg)
{
    builder *b = arg;
    if (v != b->from_centre)
        push(b, v, b->from_centre, d);
}

static void visit_network_member(int v, double d, void *arg)
{
    builder *b = arg;
    if (v != b->from_centre)
        push(b, b->from_centre, v, d);
}

/* Neighbours: one Dijkstra from each member asked about (the roads are
 * undirected), not one from every school. */
static void network_pairs(builder *b, double limit)
{
    int j;
    for (j = 0; b->members && j < b->inst->n_schools && !b->failed; j++)
        if (b->members[j]) {
            b->from_centre = j;
            cp_distance_within(b->dist, j, limit, visit_network_member, b);
        }
    for (j = 0; !b->members && j < b->inst->n_schools && !b->failed; j++) {
        if (!b->eligible[j])
            continue;
        b->from_centre = j;
        cp_distance_within(b->dist, j, limit, visit_network, b);
    }
}

/* ------------------------------------------------------------------ roads */

#define ROAD_CHUNKS 64 /* of centres, whatever the thread count */

/* Searches' scratch, one per thread at most: a chunk takes a free one. */
typedef struct {
    cp_road_search **search;
    atomic_int *busy;
    int n;
} scratch_pool;

typedef struct {
    scratch_pool pool;
    builder part[ROAD_CHUNKS];
    double limit;
    int *centres, n_centres; /* the eligible schools (or the members asked about) */
    int **tally;             /* the counting pass: one count per member and scratch */
} road_job;

static cp_road_search *take_scratch(scratch_pool *p, int *slot)
{
    int k;
    for (k = 0; k < p->n; k++)
        if (!atomic_exchange(&p->busy[k], 1)) {
            *slot = k;
            return p->search[k];
        }
    *slot = -1; /* cannot happen: no more chunks run at once than threads */
    return NULL;
}

static void road_visit(int school, double metric, double km, void *arg)
{
    builder *b = arg;
    int i = b->members ? b->from_centre : school, j = b->members ? school : b->from_centre;
    if (km > cp_school_km_limit(&b->inst->schools[i], b->sc))
        return; /* time mode: the route's km beyond the member's cap */
    if (i != j || b->members) /* a centre's own pair is pushed already */
        push(b, i, j, metric);
}

/* The national-scale cap: a centre j member i may join, whatever the trip
 * (the trip's limits are the search's): admissible() on packed arrays. */
static int road_admits(int j, void *arg)
{
    const builder *b = arg;
    return j != b->from_centre && b->eligible[j] && b->unit[j] == b->from_unit &&
           b->teachers[j] <= b->room;
}

/* Member i's `nearest` nearest admissible centres by road, its own pair
 * (first) among them; the search runs to i's own limit. */
static void road_nearest_of(builder *b, cp_road_search *s, int i, double limit, cp_nearest *h)
{
    const cp_school *si = &b->inst->schools[i];
    int cap = b->nearest - (b->eligible[i] ? 1 : 0), n, k;
    if (b->eligible[i])
        push(b, i, i, 0.0);
    b->from_centre = i;
    b->from_unit = b->unit[i];
    b->room = b->sc->capacity - b->teachers[i];
    n = cp_road_nearest(b->inst->road, s, i, ROAD_FROM_SOURCE,
                        fmin(limit, cp_school_limit(si, b->sc)), cp_school_km_limit(si, b->sc),
                        cap, road_admits, b, h);
    for (k = 0; k < n; k++)
        push(b, i, h[k].index, h[k].d);
    b->capped |= n == cap;
}

static void road_chunk(int k, void *arg)
{
    road_job *job = arg;
    builder *sub = &job->part[k];
    long lo, hi, c;
    int slot;
    cp_road_search *s = take_scratch(&job->pool, &slot);
    cp_nearest *h = sub->nearest ? cp_malloc((size_t)sub->nearest * sizeof *h) : NULL;
    if (!s || (sub->nearest && !h)) {
        sub->failed = 1;
        cp_free(h);
        if (slot >= 0)
            atomic_store(&job->pool.busy[slot], 0);
        return;
    }
    if (job->tally)
        sub->tally = job->tally[slot];
    cp_chunk_range(job->n_centres, k, ROAD_CHUNKS, &lo, &hi);
    for (c = lo; c < hi && !sub->failed; c++) {
        sub->from_centre = job->centres[c];
        if (sub->nearest)
            road_nearest_of(sub, s, job->centres[c], job->limit, h);
        else
            cp_road_within(sub->inst->road, s, job->centres[c],
                           sub->members ? ROAD_FROM_SOURCE : ROAD_TO_SOURCE, job->limit,
                           road_visit, sub);
    }
    sub->tally = NULL;
    atomic_store(&job->pool.busy[slot], 0);
    cp_free(h);
}

/* The national cap's packed arrays (admin unit at the rule's level, 0
 * without one; teachers); nothing otherwise.  1 on memory. */
static int pack_schools(builder *b)
{
    const cp_instance *in = b->inst;
    int level = b->sc->admin_level, i;
    int *unit;
    double *teachers;
    if (!b->nearest)
        return 0;
    unit = cp_malloc((size_t)(in->n_schools ? in->n_schools : 1) * sizeof *unit);
    teachers = cp_malloc((size_t)(in->n_schools ? in->n_schools : 1) * sizeof *teachers);
    if (!unit || !teachers) {
        cp_free(unit);
        cp_free(teachers);
        return 1;
    }
    for (i = 0; i < in->n_schools; i++) {
        unit[i] = level ? in->schools[i].admin[level - 1] : 0;
        teachers[i] = in->schools[i].teachers;
    }
    b->unit = unit;
    b->teachers = teachers;
    return 0;
}

/* One pass over every chunk: the parts start from b (no pairs of their own),
 * and their pairs, if they keep any, are merged in chunk order. */
static void road_pass(builder *b, road_job *job, int threads)
{
    int k;
    start_parts(b, job->part, ROAD_CHUNKS);
    if (!b->failed)
        cp_parallel_for(ROAD_CHUNKS, threads, road_chunk, job);
    for (k = 0; k < ROAD_CHUNKS; k++)
        b->capped |= job->part[k].capped;
    merge_parts(b, job->part, ROAD_CHUNKS);
}

/* Every pair by road in place (place_begin): the searches run twice, the
 * first time counting, the second writing.  A member's pairs come from many
 * centres' searches, so each thread counts into its own array. */
static void road_pairs_in_place(builder *b, road_job *job, int threads)
{
    int n = b->inst->n_schools, k;
    job->tally = cp_calloc((size_t)threads, sizeof *job->tally);
    for (k = 0; job->tally && k < threads; k++)
        b->failed |= !(job->tally[k] = cp_calloc((size_t)(n ? n : 1), sizeof(int)));
    b->failed |= !job->tally;
    road_pass(b, job, threads);
    if (!b->failed && !place_begin(b, job->tally, threads))
        b->failed = 1;
    for (k = 0; job->tally && k < threads; k++)
        cp_free(job->tally[k]);
    cp_free(job->tally);
    job->tally = NULL;
    if (!b->failed) {
        road_pass(b, job, threads);
        place_end(b);
    }
}

/* Centres (or, for neighbours, the members asked about, searching forward;
 * or, at national scale, every member searching forward for its nearest
 * centres) in fixed chunks; each chunk's pairs merged in chunk order, or,
 * every pair from every centre, written in place.  A centre's own pair is
 * pushed by the caller, so its search skips itself. */
static void road_pairs(builder *b, double limit)
{
    const cp_instance *in = b->inst;
    int threads = cp_parallel_threads(b->sc->solver.threads), k, j;
    road_job *job = cp_calloc(1, sizeof *job);
    if (!job) {
        b->failed = 1;
        return;
    }
    job->limit = limit;
    job->centres = cp_malloc((size_t)(in->n_schools ? in->n_schools : 1) * sizeof(int));
    job->pool.n = threads;
    job->pool.search = cp_calloc((size_t)threads, sizeof *job->pool.search);
    job->pool.busy = cp_calloc((size_t)threads, sizeof *job->pool.busy);
    b->failed |= !job->centres || !job->pool.search || !job->pool.busy || pack_schools(b);
    for (k = 0; !b->failed && k < threads; k++)
        b->failed |= !(job->pool.search[k] = cp_road_search_new(in->road));
    for (j = 0; !b->failed && j < in->n_schools; j++)
        if (b->members ? b->members[j] != 0 : b->nearest || b->eligible[j] != 0)
            job->centres[job->n_centres++] = j;
    if (!b->members && !b->nearest)
        road_pairs_in_place(b, job, threads);
    else
        road_pass(b, job, threads);
    for (k = 0; job->pool.search && k < threads; k++)
        cp_road_search_free(job->pool.search[k]);
    cp_free(job->pool.search);
    cp_free(job->pool.busy);
    cp_free(job->centres);
    cp_free(job);
    cp_free(b->unit);
    cp_free(b->teachers);
    b->unit = NULL;
    b->teachers = NULL;
}

/* ----------------------------------------------------------------- matrix */

static void matrix_pairs(builder *b)
{
    int e;
    for (e = 0; e < b->inst->n_od && !b->failed; e++) {
        int a = b->inst->od[e].from, c = b->inst->od[e].to;
        if (a == c)
            continue;
        if (b->eligible[c])
            push(b, a, c, cp_distance(b->dist, a, c));
        if (b->eligible[a])
            push(b, c, a, cp_distance(b->dist, c, a));
    }
}

/* --------------------------------------------------------------- assembly */

/* A member's pair while its centres are sorted: by distance, ties by index. */
typedef struct {
    double d;
    int j;
} ranked;

static int ranked_before(const ranked *a, const ranked *b)
{
    return a->d < b->d || (a->d == b->d && a->j < b->j);
}

static void sift(ranked *a, int root, int n)
{
    ranked t = a[root];
    int c;
    while ((c = 2 * root + 1) < n) {
        if (c + 1 < n && ranked_before(&a[c], &a[c + 1]))
            c++;
        if (!ranked_before(&t, &a[c]))
            break;
        a[root] = a[c];
        root = c;
    }
    a[root] = t;
}

/* Introsort: quicksort on the median of three, insertion sort below 16
 * items, heapsort past 2 log2 n levels, so O(n log n) whatever the
 * distances (a matrix of equal distances included).  Inline comparisons:
 * every pair is sorted once, and qsort's call per comparison was most of
 * the time of the 156 million pairs by road of the 100,000-school benchmark. */
static void sort_ranked(ranked *a, int n, int depth)
{
    while (n > 16) {
        int i, j, mid = n / 2;
        ranked pivot, t;
        if (depth-- == 0) {
            for (i = n / 2 - 1; i >= 0; i--)
                sift(a, i, n);
            for (i = n - 1; i > 0; i--) {
                t = a[0], a[0] = a[i], a[i] = t;
                sift(a, 0, i);
            }
            return;
        }
        if (ranked_before(&a[mid], &a[0]))
            t = a[mid], a[mid] = a[0], a[0] = t;
        if (ranked_before(&a[n - 1], &a[0]))
            t = a[n - 1], a[n - 1] = a[0], a[0] = t;
        if (ranked_before(&a[n - 1], &a[mid]))
            t = a[n - 1], a[n - 1] = a[mid], a[mid] = t;
        pivot = a[mid];
        for (i = 0, j = n - 1;;) {
            while (ranked_before(&a[i], &pivot))
                i++;
            while (ranked_before(&pivot, &a[j]))
                j--;
            if (i >= j)
                break;
            t = a[i], a[i] = a[j], a[j] = t;
            i++, j--;
        }
        /* [0, j] <= pivot <= [j + 1, n): recurse on the smaller side */
        if (j + 1 < n - j - 1) {
            sort_ranked(a, j + 1, depth);
            a += j + 1;
            n -= j + 1;
        } else {
            sort_ranked(a + j + 1, n - j - 1, depth);
            n = j + 1;
        }
    }
    for (int i = 1; i < n; i++) {
        ranked t = a[i];
        int j = i;
        for (; j > 0 && ranked_before(&t, &a[j - 1]); j--)
            a[j] = a[j - 1];
        a[j] = t;
    }
}

typedef struct {
    cp_candidates *c;
    int failed[GRID_CHUNKS];
} segment_sort;

/* The members of chunk k: each member's centres sorted through one buffer
 * as long as the chunk's longest list. */
static void sort_segments_chunk(int k, void *arg)
{
    segment_sort *ss = arg;
    const cp_candidates *c = ss->c;
    long lo, hi, i;
    int longest = 0, n, m, depth;
    ranked *buf;
    cp_chunk_range(c->n, k, GRID_CHUNKS, &lo, &hi);
    for (i = lo; i < hi; i++)
        longest = c->start[i + 1] - c->start[i] > longest ? c->start[i + 1] - c->start[i] : longest;
    if (longest < 2)
        return;
    if (!(buf = cp_malloc((size_t)longest * sizeof *buf))) {
        ss->failed[k] = 1;
        return;
    }
    for (i = lo; i < hi; i++) {
        int *centre = c->centre + c->start[i];
        double *dist = c->dist + c->start[i];
        n = c->start[i + 1] - c->start[i];
        if (n < 2)
            continue;
        for (m = 0; m < n; m++) {
            buf[m].d = dist[m];
            buf[m].j = centre[m];
        }
        for (depth = 0, m = n; m > 1; m >>= 1)
            depth += 2;
        sort_ranked(buf, n, depth);
        for (m = 0; m < n; m++) {
            dist[m] = buf[m].d;
            centre[m] = buf[m].j;
        }
    }
    cp_free(buf);
}

/* The builder's pairs as CSR by member, in the order pushed (a counting
 * sort, stable); the pairs freed.  0 when memory ran out. */
static int pairs_to_csr(builder *b)
{
    int n = b->inst->n_schools, i;
    int *next = cp_malloc((size_t)(n ? n : 1) * sizeof *next);
    long k;
    b->out_start = cp_calloc((size_t)n + 1, sizeof(int));
    b->out_centre = cp_malloc((size_t)(b->n_pairs ? b->n_pairs : 1) * sizeof(int));
    b->out_dist = cp_malloc((size_t)(b->n_pairs ? b->n_pairs : 1) * sizeof(double));
    if (!next || !b->out_start || !b->out_centre || !b->out_dist) {
        cp_free(next);
        return 0;
    }
    for (k = 0; k < b->n_pairs; k++)
        b->out_start[b->pairs[k].i + 1]++;
    for (i = 0; i < n; i++) {
        b->out_start[i + 1] += b->out_start[i];
        next[i] = b->out_start[i];
    }
    for (k = 0; k < b->n_pairs; k++) {
        const pair *p = &b->pairs[k];
        b->out_centre[next[p->i]] = p->j;
        b->out_dist[next[p->i]++] = p->d;
    }
    cp_free(next);
    cp_free(b->pairs);
    b->pairs = NULL;
    b->counted = b->n_pairs;
    b->n_pairs = b->cap = 0;
    return 1;
}

/* The same pair twice (a matrix gives both od directions) kept once; the
 * lists are sorted, so a repeat follows its twin.  One pass. */
static void drop_repeats(cp_candidates *c)
{
    long k, out = 0, from = 0;
    int i;
    for (i = 0; i < c->n; i++) {
        long to = c->start[i + 1];
        c->start[i] = (int)out;
        for (k = from; k < to; k++) {
            if (k > from && c->centre[k] == c->centre[k - 1])
                continue;
            c->centre[out] = c->centre[k];
            c->dist[out++] = c->dist[k];
        }
        from = to;
    }
    c->start[c->n] = (int)out;
}

/* The candidates from the builder's pairs (or from the arrays written in
 * place): CSR by member, each member's centres by distance, ties by index. */
static cp_candidates *assemble(builder *b)
{
    cp_candidates *c = cp_calloc(1, sizeof *c);
    segment_sort ss;
    int k, failed = 0;
    if (!c || (!b->out_centre && !pairs_to_csr(b))) {
        cp_free(c);
        return NULL;
    }
    c->n = b->inst->n_schools;
    c->start = b->out_start;
    c->centre = b->out_centre;
    c->dist = b->out_dist;
    c->eligible = b->eligible;
    b->out_start = b->out_centre = NULL;
    b->out_dist = NULL;
    b->eligible = NULL;
    memset(&ss, 0, sizeof ss);
    ss.c = c;
    cp_parallel_for(GRID_CHUNKS, cp_parallel_threads(b->sc->solver.threads), sort_segments_chunk, &ss);
    for (k = 0; k < GRID_CHUNKS; k++)
        failed |= ss.failed[k];
    if (failed) {
        cp_candidates_free(c); /* with the eligible flags it took over */
        return NULL;
    }
    if (b->inst->distance == CP_DIST_MATRIX)
        drop_repeats(c);
    c->n_pairs = c->start[c->n];
    return c;
}

/* Whatever the builder still holds (after a failure, or what assemble did
 * not take over). */
static void builder_free(builder *b)
{
    cp_free(b->pairs);
    cp_free(b->out_start);
    cp_free(b->out_centre);
    cp_free(b->out_dist);
    cp_free(b->cursor);
    cp_free(b->eligible);
}

/* Why no candidates came out: an internal error, too many pairs, or memory. */
static void fail_pairs(const builder *b, const char *what, cp_error *err)
{
    long count = b->counted > b->n_pairs ? b->counted : b->n_pairs;
    if (b->mismatch)
        cp_fail(err, CP_EINTERNAL, "internal error: writing the %s in place gave other pairs "
                "than counting them", what);
    else if (b->cap > MAX_PAIRS / 2 || count > MAX_PAIRS)
        cp_fail(err, CP_ERESOURCE, "more than %ld %s: set a distance limit or an admin rule",
                MAX_PAIRS, what);
    else
        cp_fail(err, CP_ERESOURCE, "out of memory (%ld %s)", count, what);
}

static int grid_mode(const builder *b, double limit)
{
    return b->inst->distance != CP_DIST_MATRIX && b->inst->distance != CP_DIST_NETWORK &&
           !b->inst->road && isfinite(limit) && b->nearest == 0;
}

cp_candidates *cp_candidates_build(const cp_instance *inst, const cp_scenario *sc,
                                   cp_distance_ctx *dist, cp_error *err)
{
    builder b;
    cp_candidates *c = NULL;
    double limit = largest_limit(inst, sc);
    unsigned char *upgradable = NULL;
    int j;
    if (cp_roads_match(inst, sc, err))
        return NULL;
    memset(&b, 0, sizeof b);
    b.inst = inst;
    b.sc = sc;
    b.dist = dist;
    b.nearest = sc->solver.method != CP_METHOD_MILP && inst->n_schools >= sc->solver.nearest_from &&
                        isfinite(limit) && inst->distance != CP_DIST_NETWORK &&
                        inst->distance != CP_DIST_MATRIX ? sc->solver.nearest_count : 0;
    b.eligible = cp_calloc((size_t)(inst->n_schools ? inst->n_schools : 1), 1);
    if (!b.eligible) {
        cp_fail_nomem(err);
        return NULL;
    }
    for (j = 0; j < inst->n_schools; j++) /* a school with no road cannot host: it is unassigned */
        b.eligible[j] = (unsigned char)(cp_centre_eligible(&inst->schools[j], sc) &&
                                        !(inst->road && cp_road_access_of(inst->road, j) == ROAD_NONE));
    if (sc->has_invest && !(upgradable = cp_calloc((size_t)(inst->n_schools ? inst->n_schools : 1), 1))) {
        cp_free(b.eligible);
        cp_fail_nomem(err);
        return NULL;
    }
    /* an upgradable school may head a cluster, at the price of an upgrade
     * (the solvers count them against the cap and the budget) */
    for (j = 0; upgradable && j < inst->n_schools; j++)
        if (cp_centre_upgradable(&inst->schools[j], sc) &&
            !(inst->road && cp_road_access_of(inst->road, j) == ROAD_NONE))
            b.eligible[j] = upgradable[j] = 1;
    if (!grid_mode(&b, limit) && !(inst->road && b.nearest > 0)) /* else pushed member by member */
        for (j = 0; j < inst->n_schools; j++)
            if (b.eligible[j])
                push(&b, j, j, 0.0);
    if (inst->road)
        road_pairs(&b, limit);
    else if (inst->distance == CP_DIST_MATRIX)
        matrix_pairs(&b);
    else if (inst->distance == CP_DIST_NETWORK)
        network_pairs(&b, limit);
    else if (isinf(limit))
        all_pairs_by_unit(&b);
    else if (b.nearest > 0)
        nearest_pairs(&b, limit);
    else
        grid_pairs(&b, limit);
    if (!b.failed && (c = assemble(&b)) != NULL) {
        c->capped = b.capped ? b.nearest : 0;
        c->upgradable = upgradable;
        upgradable = NULL;
    }
    cp_free(upgradable);
    if (!c)
        fail_pairs(&b, "admissible school-centre pairs", err);
    builder_free(&b);
    return c;
}

/* Every school within the limit of each member in `members`, whatever its
 * admin unit, eligibility or teachers: what the diagnostics of unplaced
 * schools count.  A member without a limit gets the schools within the
 * largest finite limit asked about (every school is in its reach; the
 * diagnostics count it by unit instead).  Work: the grid's, for the
 * members asked about only. */
cp_candidates *cp_neighbours_build(const cp_instance *inst, const cp_scenario *sc,
                                   cp_distance_ctx *dist, const unsigned char *members,
                                   cp_error *err)
{
    builder b;
    cp_candidates *c = NULL;
    double limit = 0.0;
    int i;
    for (i = 0; i < inst->n_schools; i++) /* the largest finite limit asked about */
        if (members[i] && isfinite(cp_school_limit(&inst->schools[i], sc)))
            limit = fmax(limit, cp_school_limit(&inst->schools[i], sc));
    memset(&b, 0, sizeof b);
    b.inst = inst;
    b.sc = sc;
    b.dist = dist;
    b.members = members;
    b.eligible = cp_malloc((size_t)(inst->n_schools ? inst->n_schools : 1));
    if (!b.eligible) {
        cp_fail_nomem(err);
        return NULL;
    }
    memset(b.eligible, 1, (size_t)(inst->n_schools ? inst->n_schools : 1));
    if (inst->road && limit > 0.0)
        road_pairs(&b, limit);
    else if (inst->distance == CP_DIST_MATRIX)
        matrix_pairs(&b);
    else if (inst->distance == CP_DIST_NETWORK)
        network_pairs(&b, limit);
    else if (limit > 0.0)
        grid_pairs(&b, limit);
    if (!b.failed && (c = assemble(&b)) == NULL)
        b.failed = 1;
    if (b.failed)
        fail_pairs(&b, "neighbour pairs", err);
    builder_free(&b);
    return b.failed ? NULL : c;
}

void cp_candidates_free(cp_candidates *c)
{
    if (!c)
        return;
    cp_free(c->start);
    cp_free(c->centre);
    cp_free(c->dist);
    cp_free(c->eligible);
    cp_free(c->upgradable);
    cp_free(c);
}
