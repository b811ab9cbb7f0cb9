/*
 * generate_roads.c — a dense synthetic road network for a generated (or
 * any lon/lat) instance, for the scale benchmark of roads (`generate
 * --roads`, bench/run_roads.sh).  Deterministic for a seed (cp_splitmix64).
 *
 *   streets   on a lattice of ROAD_CELL / ROAD_STEPS degrees (about 280 m),
 *             every line with a vertex at every lattice point it passes, so
 *             streets that cross meet: a cell of ROAD_CELL degrees (about
 *             1.1 km) with TOWN_SCHOOLS schools or more around it (itself and
 *             its 8 neighbours) is a town, with a street on every lattice
 *             line; another cell with a school is a village, with every
 *             other line (one in four of its inner ones left out, one in
 *             three a track); an empty cell next to a school's gets the
 *             roads along its south and west sides only, so villages connect;
 *   one way   in towns, every third street row, alternately eastwards and
 *             westwards (OSM's oneway yes / -1);
 *   trunks    between the middles of the admin1 units (each joined to its
 *             two nearest), straight lines with a vertex every TRUNK_STEP
 *             degrees and junctions only at their two ends (lattice nodes of
 *             a street grid): they cross the streets as bridges do.
 * Work and memory: O(cells x ROAD_STEPS^2).  For 100,000 generated schools
 * this is about 2 million edges (bench/RESULTS.md, issue 28).
 */
#include "roads.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ROAD_CELL 0.01     /* degrees */
#define ROAD_STEPS 4       /* lattice steps per cell side */
#define TOWN_SCHOOLS 6     /* schools in a cell and its neighbours that make a town */
#define TRUNK_STEP 0.02    /* degrees between a trunk's vertices */

typedef struct {
    long long key;
    int schools;      /* in the cell */
} cell_count;

static long long key_of(long row, long col)
{
    return ((long long)(row + 0x40000000L) << 32) | (long long)(col + 0x40000000L);
}

static int cmp_cell(const void *a, const void *b)
{
    const cell_count *x = a, *y = b;
    return (x->key > y->key) - (x->key < y->key);
}

static long find_cell(const cell_count *c, long n, long long key)
{
    long lo = 0, hi = n;
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (c[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && c[lo].key == key ? lo : -1;
}

/* The cells with schools (counted), then every neighbour added with 0. */
static cell_count *active_cells(const cp_instance *inst, long *n_out)
{
    long n = 0, k, m;
    int i, dr, dc;
    cell_count *c = cp_malloc(9 * (size_t)(inst->n_schools ? inst->n_schools : 1) * sizeof *c);
    if (!c)
        return NULL;
    for (i = 0; i < inst->n_schools; i++) {
        const cp_school *s = &inst->schools[i];
        if (isnan(s->x) || isnan(s->y))
            continue;
        c[n].key = key_of((long)floor(s->y / ROAD_CELL), (long)floor(s->x / ROAD_CELL));
        c[n++].schools = 1;
    }
    qsort(c, (size_t)n, sizeof *c, cmp_cell);
    for (k = 0, m = 0; k < n; k++) { /* merge equal cells */
        if (m > 0 && c[m - 1].key == c[k].key)
            c[m - 1].schools++;
        else
            c[m++] = c[k];
    }
    n = m;
    for (k = 0; k < m; k++) {
        long row = (long)((c[k].key >> 32) - 0x40000000L), col = (long)((c[k].key & 0xffffffffLL) - 0x40000000L);
        for (dr = -1; dr <= 1; dr++)
            for (dc = -1; dc <= 1; dc++)
                if (dr || dc) {
                    c[n].key = key_of(row + dr, col + dc);
                    c[n++].schools = 0;
                }
    }
    qsort(c, (size_t)n, sizeof *c, cmp_cell);
    for (k = 0, m = 0; k < n; k++) {
        if (m > 0 && c[m - 1].key == c[k].key)
            c[m - 1].schools += c[k].schools;
        else
            c[m++] = c[k];
    }
    *n_out = m;
    return c;
}

/* Schools in a cell and its 8 neighbours. */
static int around(const cell_count *c, long n, long row, long col)
{
    int dr, dc, total = 0;
    for (dr = -1; dr <= 1; dr++)
        for (dc = -1; dc <= 1; dc++) {
            long k = find_cell(c, n, key_of(row + dr, col + dc));
            total += k >= 0 ? c[k].schools : 0;
        }
    return total;
}

static cp_code streets(const cell_count *c, long n, uint64_t *r, cp_road_lines *out, int cls[3])
{
    double x[ROAD_STEPS + 1], y[ROAD_STEPS + 1], step = ROAD_CELL / ROAD_STEPS;
    long k;
    int j, p, dir;
    long long fid = 0;
    for (k = 0; k < n; k++) {
        long row = (long)((c[k].key >> 32) - 0x40000000L);
        long col = (long)((c[k].key & 0xffffffffLL) - 0x40000000L);
        int town = around(c, n, row, col) >= TOWN_SCHOOLS, village = !town && c[k].schools > 0;
        for (dir = 0; dir < 2; dir++) /* lines along parallels, then meridians */
            for (j = 0; j < ROAD_STEPS; j++) {
                int oneway = 0, kind = town ? 0 : 1;
                if (!town && (j % 2 || (!village && j > 0)))
                    continue;
                if (village && j > 0 && cp_splitmix64(r) % 4 == 0)
                    continue;
                if (!town && cp_splitmix64(r) % 3 == 0)
                    kind = 2;
                /* lattice indices: the line's fixed coordinate and its run */
                for (p = 0; p <= ROAD_STEPS; p++) {
                    long along = (dir ? row : col) * ROAD_STEPS + p;
                    long across = (dir ? col : row) * ROAD_STEPS + j;
                    x[p] = (double)(dir ? across : along) * step;
                    y[p] = (double)(dir ? along : across) * step;
                }
                if (town && dir == 0 && ((row * ROAD_STEPS + j) % 3) == 0)
                    oneway = ((row * ROAD_STEPS + j) / 3) % 2 ? 1 : -1;
                if (cp_road_lines_add(out, x, y, ROAD_STEPS + 1, cls[kind], oneway, fid++))
                    return CP_ERESOURCE;
            }
    }
    return CP_OK;
}

/* The middle (mean point) of each admin1 unit's schools, moved to the
 * lattice node nearest to its school nearest to the middle. */
typedef struct {
    double x, y, nx, ny, best;
    int n;
} unit_middle;

static int cmp_pair(const void *a, const void *b)
{
    const long *x = a, *y = b;
    return (*x > *y) - (*x < *y);
}

/* A straight trunk between two middles, a vertex every TRUNK_STEP. */
static cp_code trunk(cp_road_lines *out, const unit_middle *a, const unit_middle *b, int cls,
                     long long fid)
{
    int n = (int)ceil(hypot(b->nx - a->nx, b->ny - a->ny) / TRUNK_STEP), k;
    double *x, *y;
    cp_code rc;
    n = n < 1 ? 1 : n;
    x = cp_malloc(((size_t)n + 1) * sizeof *x);
    y = cp_malloc(((size_t)n + 1) * sizeof *y);
    if (!x || !y) {
        cp_free(x);
        cp_free(y);
        return CP_ERESOURCE;
    }
    for (k = 0; k <= n; k++) {
        x[k] = a->nx + (b->nx - a->nx) * k / n;
        y[k] = a->ny + (b->ny - a->ny) * k / n;
    }
    rc = cp_road_lines_add(out, x, y, n + 1, cls, 0, fid);
    cp_free(x);
    cp_free(y);
    return rc;
}

static cp_code trunks(const cp_instance *inst, cp_road_lines *out, int cls)
{
    int units = cp_admin_id_bound(inst, 1), i, u, v, pick, n_pairs = 0, k;
    unit_middle *m = cp_calloc((size_t)units, sizeof *m);
    long *pairs = cp_malloc(2 * (size_t)units * sizeof *pairs);
    double step = ROAD_CELL / ROAD_STEPS;
    cp_code rc = CP_OK;
    if (!m || !pairs) {
        cp_free(m);
        cp_free(pairs);
        return CP_ERESOURCE;
    }
    for (i = 0; i < inst->n_schools; i++) {
        const cp_school *s = &inst->schools[i];
        int a = s->admin[0] >= 0 ? s->admin[0] : 0;
        if (!isnan(s->x)) {
            m[a].x += s->x;
            m[a].y += s->y;
            m[a].n++;
        }
    }
    for (u = 0; u < units; u++) {
        m[u].x /= m[u].n ? m[u].n : 1;
        m[u].y /= m[u].n ? m[u].n : 1;
        m[u].best = INFINITY;
    }
    for (i = 0; i < inst->n_schools; i++) {
        const cp_school *s = &inst->schools[i];
        int a = s->admin[0] >= 0 ? s->admin[0] : 0;
        double d = hypot(s->x - m[a].x, s->y - m[a].y);
        if (!isnan(s->x) && d < m[a].best) {
            m[a].best = d;
            m[a].nx = round(s->x / step) * step;
            m[a].ny = round(s->y / step) * step;
        }
    }
    for (u = 0; u < units; u++) /* each unit to its two nearest, as pairs low-high */
        for (pick = 0; m[u].n && pick < 2; pick++) {
            int to = -1;
            double best = INFINITY;
            for (v = 0; v < units; v++) {
                double d = hypot(m[v].nx - m[u].nx, m[v].ny - m[u].ny);
                long key = (long)(u < v ? u : v) * units + (u < v ? v : u);
                if (v == u || !m[v].n || d >= best)
                    continue;
                if (pick == 1 && n_pairs > 0 && pairs[n_pairs - 1] == key)
                    continue; /* the nearest, taken already */
                best = d;
                to = v;
            }
            if (to >= 0)
                pairs[n_pairs++] = (long)(u < to ? u : to) * units + (u < to ? to : u);
        }
    qsort(pairs, (size_t)n_pairs, sizeof *pairs, cmp_pair);
    for (k = 0; !rc && k < n_pairs; k++)
        if (k == 0 || pairs[k] != pairs[k - 1])
            rc = trunk(out, &m[pairs[k] / units], &m[pairs[k] % units], cls, -1 - k);
    cp_free(m);
    cp_free(pairs);
    return rc;
}

cp_code cp_generate_road_lines(const cp_instance *inst, uint64_t seed, cp_road_lines *out,
                               cp_error *err)
{
    uint64_t r = seed * 0x2545F4914F6CDD1DULL + 28;
    long n;
    int cls[4];
    cell_count *c;
    cp_code rc;
    if (inst->distance != CP_DIST_HAVERSINE)
        return cp_fail(err, CP_EINPUT, "--roads generates roads around schools in "
                       "longitude/latitude");
    c = active_cells(inst, &n);
    cls[0] = cp_road_lines_class(out, "residential");
    cls[1] = cp_road_lines_class(out, "unclassified");
    cls[2] = cp_road_lines_class(out, "track");
    cls[3] = cp_road_lines_class(out, "trunk");
    if (!c || cls[0] < 0 || cls[1] < 0 || cls[2] < 0 || cls[3] < 0) {
        cp_free(c);
        return cp_fail_nomem(err);
    }
    rc = streets(c, n, &r, out, cls);
    if (!rc)
        rc = trunks(inst, out, cls[3]);
    cp_free(c);
    return rc ? cp_fail_nomem(err) : CP_OK;
}
