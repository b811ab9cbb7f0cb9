/*
 * regions.c — the heuristic on a large part, on every thread: the
 * part is cut into spatial regions (strips by x, then cells by y within a
 * strip, about region_schools schools each) and every region is solved on
 * its own, pairs inside the region only.  A second pass cuts again with
 * every boundary moved by half a strip and half a cell, so the first
 * pass's borders lie inside a region; each region of the second pass is
 * made of whole clusters of the first (a cluster goes where its centre
 * lies) and starts from them.  Last, one descent over the whole part
 * removes what the borders still block, and the Lagrangian bound is taken
 * on the whole part (unless it has more than POLISH_MAX_PAIRS pairs).
 *
 * Why: one local search on a 26,000-school part runs on one thread, and a
 * deadline reached in it stops everything behind it.  Regions depend on the
 * part alone and each region's seed on its index, and results are merged
 * by index, so the layout is the same whatever the thread count.
 *
 * Parameters: the settings region_from (parts at least this large are
 * cut) and region_schools (tests lower both), FIRST_STEPS_PER_SCHOOL and
 * SHIFTED_STEPS_PER_SCHOOL (each pass's ILS budget).  A time limit is a
 * guard, never a share: every region runs its steps unless the part's
 * whole time is up.
 * Work: two sorts of the part per pass, O(n log n); memory two ints per
 * school of the instance.
 */
#include "solve.h"

#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* ILS steps per school in each pass (times the effort and the ring share).
 * Kenya national, mean of seeds 1-3 (bench/RESULTS.md): the part's default
 * budget, then 2 (before): 23,822; 5 + 10: 23,790 for about a fifth more
 * search time (1.5-2 s on 2 threads); 4 + 8: 23,808; 4 + 12: 23,792.  The
 * default budget at effort 1.25 gave 23,803 for a tenth more. */
#define FIRST_STEPS_PER_SCHOOL 5
#define SHIFTED_STEPS_PER_SCHOOL 10
/* Above this many pairs the whole part is not set up again for the last
 * descent (a dense country of 20,000 schools without admin rule gave one
 * part of 113 million pairs: 33 s and 2.7 GB for that set-up alone); the
 * second pass's layout stands, with no bound. */
#define POLISH_MAX_PAIRS 20000000L

typedef struct {
    double x, y;
    int local;   /* index in the part */
    int strip;
} point;

typedef struct {
    const cp_milp_input *part;   /* the whole part */
    int *group;                  /* global -> region id (-1 outside the part) */
    int *local_of;               /* global -> index in its region */
    int *region;                 /* part-local -> region id */
    int n_regions;
    int *members, *start;        /* region r's global schools, ascending: CSR */
    int *incumbent;              /* per region-local slot: global centre or -1 */
    int *centre_of;              /* part-local result: global centre or -1 */
    int have_layout;             /* centre_of holds the first pass's layout */
    double cost;                 /* of the merged layout */
    int assigned;
    cp_status status;            /* feasible, or the first region's stop in any pass */
    long steps_per_school;
    double begin, limit;         /* the part's start and time limit (0 = none) */
    int threads;
    cp_milp_result *results;
    cp_error *errors;
} regions;

/* --------------------------------------------------------------- cutting */

static int cmp_x(const void *a, const void *b)
{
    const point *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->local > q->local) - (p->local < q->local);
}

static int cmp_strip_y(const void *a, const void *b)
{
    const point *p = a, *q = b;
    if (p->strip != q->strip)
        return p->strip < q->strip ? -1 : 1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return (p->local > q->local) - (p->local < q->local);
}

/* Projected coordinates (x scaled by the cosine of the mean latitude when
 * they are degrees); 0 when a school has none. */
static int project(const cp_milp_input *in, point *pts)
{
    double mean_y = 0.0, scale = 1.0;
    int i;
    for (i = 0; i < in->n; i++) {
        const cp_school *s = &in->inst->schools[in->schools[i]];
        if (!isfinite(s->x) || !isfinite(s->y))
            return 0;
        mean_y += s->y / in->n;
    }
    if (in->inst->distance == CP_DIST_HAVERSINE)
        scale = cos(mean_y * 3.14159265358979323846 / 180.0);
    for (i = 0; i < in->n; i++) {
        const cp_school *s = &in->inst->schools[in->schools[i]];
        pts[i].x = s->x * scale;
        pts[i].y = s->y;
        pts[i].local = i;
    }
    return 1;
}

/* Slot of rank r among n in k equal shares, moved by half a share when
 * shifted: 0..k-1, or 0..k when shifted. */
static int share_of(long r, long n, int k, int shifted)
{
    long twice = (2 * r * k + (shifted ? n : 0)) / (2 * n);
    return (int)twice;
}

/* Strips then cells, the shares chosen so that cells are about square. */
static void cut(point *pts, int n, int rs, int *region, int shifted)
{
    double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
    int want = (n + rs - 1) / rs, kx, ky, i, begin;
    for (i = 0; i < n; i++) {
        x0 = fmin(x0, pts[i].x), x1 = fmax(x1, pts[i].x);
        y0 = fmin(y0, pts[i].y), y1 = fmax(y1, pts[i].y);
    }
    kx = (int)lround(sqrt(want * (x1 - x0) / fmax(y1 - y0, 1e-12)));
    kx = kx < 1 ? 1 : kx > want ? want : kx;
    ky = (want + kx - 1) / kx;
    qsort(pts, (size_t)n, sizeof *pts, cmp_x);
    for (i = 0; i < n; i++)
        pts[i].strip = share_of(i, n, kx, shifted);
    qsort(pts, (size_t)n, sizeof *pts, cmp_strip_y);
    for (begin = 0; begin < n;) {
        int end = begin;
        while (end < n && pts[end].strip == pts[begin].strip)
            end++;
        for (i = begin; i < end; i++)
            region[pts[i].local] = pts[i].strip * (ky + 1) + share_of(i - begin, end - begin, ky, shifted);
        begin = end;
    }
}

/* Region ids made dense (0..count-1, in the order of the raw ids). */
static int renumber(int *region, int n)
{
    int max = 0, count = 0, i;
    int *id;
    for (i = 0; i < n; i++)
        max = region[i] > max ? region[i] : max;
    id = cp_malloc((size_t)(max + 1) * sizeof(int));
    if (!id)
        return -1;
    for (i = 0; i <= max; i++)
        id[i] = -1;
    for (i = 0; i < n; i++)
        id[region[i]] = 0;
    for (i = 0; i <= max; i++)
        if (id[i] == 0)
            id[i] = count++;
    for (i = 0; i < n; i++)
        region[i] = id[region[i]];
    cp_free(id);
    return count;
}

/* ------------------------------------------------------------- regions */

/* The CSR of each region's schools (ascending global ids, since the part's
 * are), the global group and local index arrays, and each region's start. */
static cp_code index_regions(regions *rg)
{
    const cp_milp_input *in = rg->part;
    int *fill, i, r;
    cp_free(rg->start);
    rg->start = cp_calloc((size_t)rg->n_regions + 1, sizeof(int));
    fill = cp_malloc((size_t)(rg->n_regions ? rg->n_regions : 1) * sizeof(int));
    if (!rg->start || !fill) {
        cp_free(fill);
        return CP_ERESOURCE;
    }
    for (i = 0; i < in->n; i++)
        rg->start[rg->region[i] + 1]++;
    for (r = 0; r < rg->n_regions; r++)
        rg->start[r + 1] += rg->start[r];
    memcpy(fill, rg->start, (size_t)rg->n_regions * sizeof(int));
    for (i = 0; i < in->n; i++) {
        int g = in->schools[i], slot = fill[rg->region[i]]++;
        rg->members[slot] = g;
        rg->group[g] = rg->region[i];
        rg->local_of[g] = slot - rg->start[rg->region[i]];
        rg->incumbent[slot] = rg->have_layout ? rg->centre_of[i] : -1;
    }
    cp_free(fill);
    return CP_OK;
}

/* A pass's steps, scaled by the scenario's effort and the ring share. */
static long region_steps(const regions *rg, int n)
{
    long steps = llround((double)rg->steps_per_school * n * rg->part->sc->solver.effort *
                         cp_heur_step_share(rg->part->sc));
    return steps > 0 ? steps : CP_HEUR_DESCENT_ONLY;
}

static void solve_region(int r, void *arg)
{
    regions *rg = arg;
    cp_milp_input in = *rg->part;
    int n = rg->start[r + 1] - rg->start[r];
    in.schools = rg->members + rg->start[r];
    in.n = n;
    in.local_of = rg->local_of;
    in.is_region = 1;
    in.incumbent = rg->have_layout ? rg->incumbent + rg->start[r] : NULL;
    /* the limit is a guard, never a share: a region stops at its steps, or
     * when the part's whole time is up (then the run says time-limit) */
    in.time_limit = 0;
    if (rg->limit > 0)
        in.time_limit = fmax(1e-6, rg->begin + rg->limit - cp_now_seconds());
    cp_error_clear(&rg->errors[r]);
    cp_heur_solve(&in, rg->group, r, region_steps(rg, n), &rg->results[r], &rg->errors[r]);
    if (rg->part->tick) /* two passes: each counts two fifths of the part */
        rg->part->tick(2L * n / 5, "regions", rg->part->tick_arg);
}

/* Every region solved (in parallel), their layouts merged into centre_of. */
static cp_code solve_regions(regions *rg, int threads, cp_error *err)
{
    int r, k;
    cp_code rc = CP_OK;
    rg->results = cp_calloc((size_t)rg->n_regions, sizeof *rg->results);
    rg->errors = cp_calloc((size_t)rg->n_regions, sizeof *rg->errors);
    if (!rg->results || !rg->errors)
        rc = cp_fail_nomem(err);
    rg->threads = cp_parallel_threads(threads);
    if (!rc)
        cp_parallel_for(rg->n_regions, threads, solve_region, rg);
    for (r = 0; r < rg->n_regions && !rc; r++)
        if (!rg->results[r].has_solution)
            rc = cp_fail(err, rg->errors[r].code ? rg->errors[r].code : CP_ERESOURCE, "%s",
                         rg->errors[r].message);
    rg->cost = 0.0;
    rg->assigned = 0;
    for (r = 0; r < rg->n_regions && !rc; r++) {
        const cp_milp_result *res = &rg->results[r];
        for (k = rg->start[r]; k < rg->start[r + 1]; k++)
            rg->centre_of[rg->part->local_of[rg->members[k]]] = res->centre_of[k - rg->start[r]];
        rg->cost += res->cost;
        rg->assigned += res->assigned;
        if (rg->status == CP_STATUS_FEASIBLE &&
            (res->status == CP_STATUS_TIME_LIMIT || res->status == CP_STATUS_INTERRUPTED))
            rg->status = res->status;
    }
    for (r = 0; rg->results && r < rg->n_regions; r++)
        cp_free(rg->results[r].centre_of);
    cp_free(rg->results);
    cp_free(rg->errors);
    rg->results = NULL;
    rg->errors = NULL;
    return rc;
}

/* Second pass: a cluster goes to the shifted region of its centre. */
static void follow_centres(regions *rg)
{
    int i;
    for (i = 0; i < rg->part->n; i++) {
        int c = rg->centre_of[i];
        if (c >= 0 && c != rg->part->schools[i])
            rg->region[i] = rg->region[rg->part->local_of[c]];
    }
}

static cp_code pass(regions *rg, point *pts, int shifted, int threads, cp_error *err)
{
    cp_code rc;
    int i;
    for (i = 0; i < rg->part->n; i++)
        rg->region[i] = 0;
    cut(pts, rg->part->n, rg->part->sc->solver.region_schools, rg->region, shifted);
    if (shifted)
        follow_centres(rg);
    rg->n_regions = renumber(rg->region, rg->part->n);
    if (rg->n_regions < 0 || index_regions(rg))
        return cp_fail_nomem(err);
    rg->steps_per_school = shifted ? SHIFTED_STEPS_PER_SCHOOL : FIRST_STEPS_PER_SCHOOL;
    rc = solve_regions(rg, threads, err);
    rg->have_layout = !rc;
    return rc;
}

static void free_regions(regions *rg)
{
    cp_free(rg->group);
    cp_free(rg->local_of);
    cp_free(rg->region);
    cp_free(rg->members);
    cp_free(rg->start);
    cp_free(rg->incumbent);
    cp_free(rg->centre_of);
}

static cp_code setup(regions *rg, const cp_milp_input *in)
{
    size_t total = (size_t)in->inst->n_schools, n = (size_t)in->n;
    memset(rg, 0, sizeof *rg);
    rg->part = in;
    rg->status = CP_STATUS_FEASIBLE;
    rg->group = cp_malloc(total * sizeof(int));
    rg->local_of = cp_malloc(total * sizeof(int));
    rg->region = cp_malloc(n * sizeof(int));
    rg->members = cp_malloc(n * sizeof(int));
    rg->incumbent = cp_malloc(n * sizeof(int));
    rg->centre_of = cp_malloc(n * sizeof(int));
    if (!rg->group || !rg->local_of || !rg->region || !rg->members || !rg->incumbent ||
        !rg->centre_of)
        return CP_ERESOURCE;
    memset(rg->group, 0xff, total * sizeof(int)); /* -1: no region */
    rg->begin = cp_now_seconds();
    rg->limit = in->time_limit > 0 ? in->time_limit : 0;
    return CP_OK;
}

/* Interrupted, or the part's time is up. */
static int out_of_time(const regions *rg)
{
    const volatile int *stop = rg->part->interrupt;
    return (stop && *stop) || (rg->limit > 0 && cp_now_seconds() >= rg->begin + rg->limit);
}

/* The last pass's layout as the part's result, when the part is too dense
 * for a whole-part descent or its time is up. */
static cp_code merged(const regions *rg, cp_milp_result *out, cp_error *err)
{
    out->centre_of = cp_malloc((size_t)rg->part->n * sizeof(int));
    if (!out->centre_of)
        return cp_fail_nomem(err);
    memcpy(out->centre_of, rg->centre_of, (size_t)rg->part->n * sizeof(int));
    out->assigned = rg->assigned;
    out->cost = rg->cost;
    out->bound = NAN;
    out->status = rg->status;
    if (out->status == CP_STATUS_FEASIBLE && out_of_time(rg))
        out->status = rg->part->interrupt && *rg->part->interrupt ? CP_STATUS_INTERRUPTED
                                                                  : CP_STATUS_TIME_LIMIT;
    out->has_solution = 1;
    return CP_OK;
}

/* Pairs of the whole part (every pair of a part's school is inside it). */
static long part_pairs(const cp_milp_input *in)
{
    long total = 0;
    int i;
    for (i = 0; i < in->n; i++)
        total += in->cand->start[in->schools[i] + 1] - in->cand->start[in->schools[i]];
    return total;
}

/* Schools the last pass could not finish: unplaced, or with an admissible
 * centre in another region (a region's search saw only its own pairs; a
 * school whose every pair lies inside its region is already at a local
 * optimum of the whole part, up to rings that reach past the region). */
static unsigned char *border_schools(const regions *rg)
{
    const cp_milp_input *part = rg->part;
    const cp_candidates *cand = part->cand;
    unsigned char *border = cp_calloc((size_t)(part->n ? part->n : 1), 1);
    int i, p;
    for (i = 0; border && i < part->n; i++) {
        int g = part->schools[i];
        border[i] = rg->centre_of[i] < 0;
        for (p = cand->start[g]; p < cand->start[g + 1] && !border[i]; p++)
            border[i] = rg->group[cand->centre[p]] != rg->group[g];
    }
    return border;
}

/* The whole part from the merged layout: one descent from the border
 * schools, and the bound. */
static cp_code polish(regions *rg, const int *group, int group_id, cp_milp_result *out,
                      cp_error *err)
{
    cp_milp_input in = *rg->part;
    unsigned char *border = border_schools(rg);
    cp_code rc;
    if (!border)
        return cp_fail_nomem(err);
    in.incumbent = rg->centre_of;
    in.examine = border;
    in.tick = NULL;
    if (rg->part->tick)
        rg->part->tick(0, "descent and bound", rg->part->tick_arg);
    in.threads = rg->threads; /* the part runs alone: its bound takes every thread */
    in.time_limit = 0;
    if (rg->limit > 0)
        in.time_limit = fmax(1e-6, rg->begin + rg->limit - cp_now_seconds());
    rc = cp_heur_solve(&in, group, group_id, CP_HEUR_DESCENT_ONLY, out, err);
    /* a pass its deadline cut shaped the layout, unless the bound proves it */
    if (!rc && out->status == CP_STATUS_FEASIBLE && rg->status != CP_STATUS_FEASIBLE)
        out->status = rg->status;
    cp_free(border);
    return rc;
}

static int cuttable(const cp_milp_input *in, point *pts)
{
    /* a part with upgradable centres is searched whole: regions would each
     * take the part's whole share of the upgrades (solve/invest.c) */
    return in->n >= in->sc->solver.region_from && in->cluster_count <= 0 &&
           !(in->cand->upgradable && in->sc->has_invest) && project(in, pts);
}

cp_code cp_heur_solve_regions(const cp_milp_input *in, const int *group, int group_id,
                              int threads, cp_milp_result *out, cp_error *err)
{
    regions rg;
    point *pts = cp_malloc((size_t)(in->n ? in->n : 1) * sizeof *pts);
    double start = cp_now_seconds();
    cp_code rc;
    if (!pts)
        return cp_fail_nomem(err);
    if (!cuttable(in, pts)) {
        cp_free(pts);
        return cp_heur_solve(in, group, group_id, 0, out, err);
    }
    memset(out, 0, sizeof *out);
    rc = setup(&rg, in) ? cp_fail_nomem(err) : CP_OK;
    if (!rc)
        rc = pass(&rg, pts, 0, threads, err);
    if (!rc && !out_of_time(&rg))
        rc = pass(&rg, pts, 1, threads, err);
    if (!rc && (out_of_time(&rg) || part_pairs(in) > POLISH_MAX_PAIRS))
        rc = merged(&rg, out, err); /* no set-up of the whole part past the limit */
    else if (!rc)
        rc = polish(&rg, group, group_id, out, err);
    free_regions(&rg);
    cp_free(pts);
    out->seconds = cp_now_seconds() - start;
    return rc;
}
