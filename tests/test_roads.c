/*
 * test_roads.c — distances by road (README "Within reach by road") against
 * Floyd–Warshall on hand-made layers, built independently here: every line
 * vertex a node (lines meet only where they share a vertex), each school's
 * foot on its road a node splitting that edge, the school a node joined to
 * its foot by its straight leg (both ways), one-way edges one way, and the
 * walk past the road as a direct edge.  The hand cases: a shared vertex
 * against a crossing without one, one-way streets, a school in the middle
 * of an edge, unreachable schools (another network; beyond snap-max, and
 * with straight-line access), time mode with two road classes; then 40
 * random street grids with bridges, one-way streets and two classes, where
 * every trip, every admissible pair (parallel, any thread count), every
 * route's length and the evaluation's road figures must agree.  The layers
 * lie at the equator with streets along parallels and meridians, so the
 * feet and the edge lengths here are exact without the code's plane.
 * Also the GeoJSON reader (a projected CRS, MultiLineStrings, oneway
 * values), the errors of a bad road layer, and injected allocation
 * failures through reading, joining, solving, evaluating and writing by
 * road: each must end in CP_ERESOURCE and leak nothing (under ASan).
 */
#include "testutil.h"
#include "solver/model/roads.h"

#define KM (6371.0 * 3.14159265358979323846 / 180.0) /* per degree on the equator */
#define S 0.01 /* degrees per grid step: about 1.1 km */

/* ----------------------------------------------------------- the reference */

typedef struct {
    double x0, y0, x1, y1; /* an axis-parallel segment */
    int line, oneway;      /* oneway: 0 both, 1 from (x0, y0), -1 towards it */
    double kmh;
} seg;

typedef struct {
    int n;
    double *w, *km; /* n x n, w[a * n + b]: the metric of a -> b */
} fw;

static void fw_init(fw *g, int n)
{
    int k;
    g->n = n;
    g->w = malloc((size_t)n * n * sizeof *g->w);
    g->km = malloc((size_t)n * n * sizeof *g->km);
    for (k = 0; k < n * n; k++)
        g->w[k] = g->km[k] = INFINITY;
    for (k = 0; k < n; k++)
        g->w[k * n + k] = g->km[k * n + k] = 0.0;
}

static void fw_edge(fw *g, int a, int b, double w, double km)
{
    if (w < g->w[a * g->n + b]) {
        g->w[a * g->n + b] = w;
        g->km[a * g->n + b] = km;
    }
}

static void fw_run(fw *g)
{
    int n = g->n, i, j, k;
    for (k = 0; k < n; k++)
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++)
                if (g->w[i * n + k] + g->w[k * n + j] < g->w[i * n + j]) {
                    g->w[i * n + j] = g->w[i * n + k] + g->w[k * n + j];
                    g->km[i * n + j] = g->km[i * n + k] + g->km[k * n + j];
                }
}

/* A hand-made layer: its segments, its schools, the speed off the road. */
typedef struct {
    seg *s;
    int n_segs;
    double *sx, *sy;
    int n_schools;
    double snap_max;
    int timed;
} layer;

static double dist_km(double x0, double y0, double x1, double y1)
{
    return cp_haversine_km(y0, x0, y1, x1);
}

/* The foot of (x, y) on an axis-parallel segment, and its distance. */
static double foot(const seg *s, double x, double y, double *fx, double *fy)
{
    if (s->y0 == s->y1) {
        *fx = fmin(fmax(x, fmin(s->x0, s->x1)), fmax(s->x0, s->x1));
        *fy = s->y0;
    } else {
        *fx = s->x0;
        *fy = fmin(fmax(y, fmin(s->y0, s->y1)), fmax(s->y0, s->y1));
    }
    return dist_km(x, y, *fx, *fy);
}

/* Floyd–Warshall over nodes: the distinct segment ends, then each school's
 * foot, then each school.  Returns the matrices; school i is node base + i. */
static int reference(const layer *L, fw *g, int *base_out)
{
    double *px = malloc(sizeof(double) * (size_t)(2 * L->n_segs + 2 * L->n_schools));
    double *py = malloc(sizeof(double) * (size_t)(2 * L->n_segs + 2 * L->n_schools));
    int *foot_seg = malloc(sizeof(int) * (size_t)L->n_schools), n = 0, k, i, j;
    double *fxs = malloc(sizeof(double) * (size_t)L->n_schools);
    double *fys = malloc(sizeof(double) * (size_t)L->n_schools), *offs = malloc(sizeof(double) * (size_t)L->n_schools);
    /* the points of each segment: its ends and the feet on it, in order */
    for (i = 0; i < L->n_schools; i++) {
        double best = INFINITY;
        foot_seg[i] = -1;
        for (k = 0; k < L->n_segs; k++) {
            double fx, fy, d = foot(&L->s[k], L->sx[i], L->sy[i], &fx, &fy);
            if (d < best - 1e-12) {
                best = d;
                foot_seg[i] = k;
                fxs[i] = fx;
                fys[i] = fy;
            }
        }
        offs[i] = best;
        if (best > L->snap_max)
            foot_seg[i] = -1;
    }
    for (k = 0; k < L->n_segs; k++) {
        double ends[2][2] = {{L->s[k].x0, L->s[k].y0}, {L->s[k].x1, L->s[k].y1}};
        int e;
        for (e = 0; e < 2; e++) {
            for (j = 0; j < n && !(px[j] == ends[e][0] && py[j] == ends[e][1]); j++)
                ;
            if (j == n) {
                px[n] = ends[e][0];
                py[n++] = ends[e][1];
            }
        }
    }
    *base_out = n + L->n_schools;
    fw_init(g, n + 2 * L->n_schools);
    for (k = 0; k < L->n_segs; k++) {
        /* the chain of points along the segment from (x0, y0) */
        int chain[64], m = 0, a, b, c, swapped = 1;
        double t[64];
        const seg *s = &L->s[k];
        double len = dist_km(s->x0, s->y0, s->x1, s->y1);
        for (a = 0; a < n; a++)
            if (px[a] == s->x0 && py[a] == s->y0)
                break;
        for (b = 0; b < n; b++)
            if (px[b] == s->x1 && py[b] == s->y1)
                break;
        chain[m] = a;
        t[m++] = 0.0;
        for (i = 0; i < L->n_schools; i++)
            if (foot_seg[i] == k) {
                chain[m] = n + i;
                t[m++] = dist_km(s->x0, s->y0, fxs[i], fys[i]) / len;
            }
        chain[m] = b;
        t[m++] = 1.0;
        while (swapped) { /* the feet by position along the segment */
            swapped = 0;
            for (c = 1; c + 2 < m; c++)
                if (t[c] > t[c + 1]) {
                    double tt = t[c];
                    int cc = chain[c];
                    t[c] = t[c + 1];
                    t[c + 1] = tt;
                    chain[c] = chain[c + 1];
                    chain[c + 1] = cc;
                    swapped = 1;
                }
        }
        for (c = 0; c + 1 < m; c++) {
            double km = (t[c + 1] - t[c]) * len;
            double w = L->timed ? km / s->kmh * 60.0 : km;
            if (s->kmh <= 0)
                continue;
            if (s->oneway >= 0)
                fw_edge(g, chain[c], chain[c + 1], w, km);
            if (s->oneway <= 0)
                fw_edge(g, chain[c + 1], chain[c], w, km);
        }
    }
    for (i = 0; i < L->n_schools; i++) {
        double w = L->timed ? offs[i] / 5.0 * 60.0 : offs[i];
        if (foot_seg[i] < 0)
            continue;
        fw_edge(g, *base_out + i, n + i, w, offs[i]);
        fw_edge(g, n + i, *base_out + i, w, offs[i]);
    }
    fw_run(g);
    /* the walk past the road: the whole trip, never a leg of a longer one */
    for (i = 0; i < L->n_schools; i++)
        for (j = 0; j < L->n_schools; j++) {
            double d = dist_km(L->sx[i], L->sy[i], L->sx[j], L->sy[j]);
            double w = L->timed ? d / 5.0 * 60.0 : d;
            int a = (*base_out + i) * g->n + *base_out + j;
            if (j != i && foot_seg[i] >= 0 && foot_seg[j] >= 0 && d <= offs[i] && w < g->w[a]) {
                g->w[a] = w;
                g->km[a] = d;
            }
        }
    free(px);
    free(py);
    free(foot_seg);
    free(fxs);
    free(fys);
    free(offs);
    return n;
}

/* ------------------------------------------------------------ the program's */

typedef struct {
    cp_instance *inst;
    cp_scenario sc;
    cp_distance_ctx *dist;
} built;

static int class_for(cp_road_lines *l, double kmh)
{
    return cp_road_lines_class(l, kmh >= 50 ? "primary" : "track");
}

static void build(built *b, const layer *L, cp_travel_mode travel)
{
    cp_road_lines lines;
    cp_road_network *net;
    cp_error err;
    int k, i;
    memset(&lines, 0, sizeof lines);
    memset(b, 0, sizeof *b);
    for (k = 0; k < L->n_segs; k++) {
        double x[2] = {L->s[k].x0, L->s[k].x1}, y[2] = {L->s[k].y0, L->s[k].y1};
        assert_int_equal(cp_road_lines_add(&lines, x, y, 2, class_for(&lines, L->s[k].kmh),
                                           L->s[k].oneway, k), CP_OK);
    }
    b->inst = cp_instance_new("roads", CP_DIST_HAVERSINE);
    for (i = 0; i < L->n_schools; i++) {
        char id[16];
        snprintf(id, sizeof id, "S%d", i);
        assert_int_equal(cp_instance_add_school(b->inst, id), i);
        b->inst->schools[i].x = L->sx[i];
        b->inst->schools[i].y = L->sy[i];
    }
    cp_scenario_defaults(&b->sc);
    b->sc.roads = cp_strdup("memory");
    b->sc.snap_max = L->snap_max;
    b->sc.travel = travel;
    b->sc.size_min = 1;
    /* the two classes by car: primary at 60 km/h, track at 15 (on foot
     * both are the table's: primary 5, track 4.5) */
    if (travel == CP_TRAVEL_CAR) {
        cp_scenario_set_speed(&b->sc, "primary", 60, NULL);
        cp_scenario_set_speed(&b->sc, "track", 15, NULL);
    }
    net = cp_road_build(&lines, b->inst, &b->sc, NULL, &err);
    if (!net)
        fail_msg("%s", err.message);
    cp_instance_attach_roads(b->inst, net);
    b->dist = cp_distance_new(b->inst, &err);
    assert_non_null(b->dist);
    cp_road_lines_clear(&lines);
}

static void unbuild(built *b)
{
    cp_distance_free(b->dist);
    cp_instance_free(b->inst);
    cp_scenario_clear(&b->sc);
}

/* A figure worked out by hand: parallels at 0.01 degrees are shorter than
 * the equator by 1.5e-8, so within 1e-6. */
static void near_hand(double got, double want, const char *what, int i, int j)
{
    if (fabs(got - want) > 1e-6 * fmax(1.0, fabs(want)))
        fail_msg("%s %d -> %d: %.12g, expected about %.12g", what, i, j, got, want);
}

static void close_to(double got, double want, const char *what, int i, int j)
{
    if (isinf(want) ? !isinf(got) : fabs(got - want) > 1e-9 * fmax(1.0, fabs(want)))
        fail_msg("%s %d -> %d: %.12g, expected %.12g", what, i, j, got, want);
}

/* Every trip of every school to every centre, both by cp_distance and by
 * one search per centre (cp_distance_to_centre with road km). */
static void check_all_trips(const layer *L, cp_travel_mode travel)
{
    built b;
    fw g;
    int base, i, j, n = L->n_schools;
    int *all = malloc(sizeof(int) * (size_t)n);
    double *d = malloc(sizeof(double) * (size_t)n), *km = malloc(sizeof(double) * (size_t)n);
    build(&b, L, travel);
    reference(L, &g, &base);
    for (i = 0; i < n; i++)
        all[i] = i;
    for (j = 0; j < n; j++) {
        assert_int_equal(cp_distance_to_centre_km(b.dist, j, all, n, d, km), CP_OK);
        for (i = 0; i < n; i++) {
            double want = g.w[(base + i) * g.n + base + j];
            close_to(cp_distance(b.dist, i, j), want, "trip", i, j);
            close_to(d[i], want, "trip (one search)", i, j);
            /* routes that tie on time within rounding may differ in km by
             * a parallel's shortening (1.5e-8): the km within 1e-6 */
            if (isfinite(want))
                near_hand(km[i], g.km[(base + i) * g.n + base + j], "road km", i, j);
        }
    }
    unbuild(&b);
    free(g.w);
    free(g.km);
    free(all);
    free(d);
    free(km);
}

/* ------------------------------------------------------------- hand cases */

static void test_shared_vertex_against_crossing(void **state)
{
    /* a road along the equator and one along a meridian through its middle:
     * with a vertex in common they meet; without one (a bridge) they do not */
    seg joined[] = {{0, 0, S, 0, 0, 0, 60}, {S, 0, 2 * S, 0, 0, 0, 60},
                    {S, -S, S, 0, 1, 0, 60}, {S, 0, S, S, 1, 0, 60}};
    seg bridge[] = {{0, 0, 2 * S, 0, 0, 0, 60}, {S, -S, S, S, 1, 0, 60}};
    double sx[] = {0.3 * S, S + 0.05 * S}, sy[] = {0.02 * S, 0.6 * S};
    layer a = {joined, 4, sx, sy, 2, 2.0, 0}, c = {bridge, 2, sx, sy, 2, 2.0, 0};
    built b;
    (void)state;
    check_all_trips(&a, CP_TRAVEL_DISTANCE);
    check_all_trips(&c, CP_TRAVEL_DISTANCE);
    build(&b, &a, CP_TRAVEL_DISTANCE);
    /* 0.7 S east and 0.6 S north on the roads, and the two walks to them */
    near_hand(cp_distance(b.dist, 0, 1), (0.7 + 0.6 + 0.02 + 0.05) * S * KM, "joined", 0, 1);
    assert_int_equal(cp_road_info(b.inst)->nodes, 5);
    unbuild(&b);
    build(&b, &c, CP_TRAVEL_DISTANCE);
    assert_true(isinf(cp_distance(b.dist, 0, 1)));
    assert_int_equal(cp_road_info(b.inst)->nodes, 4);
    unbuild(&b);
}

static void test_one_way(void **state)
{
    /* a square block; its south side one way eastwards */
    seg sq[] = {{0, 0, S, 0, 0, 1, 60}, {S, 0, S, S, 1, 0, 60},
                {S, S, 0, S, 2, 0, 60}, {0, S, 0, 0, 3, 0, 60}};
    double sx[] = {0.2 * S, 0.8 * S}, sy[] = {-0.01 * S, -0.01 * S};
    layer L = {sq, 4, sx, sy, 2, 2.0, 0};
    built b;
    (void)state;
    check_all_trips(&L, CP_TRAVEL_DISTANCE);
    build(&b, &L, CP_TRAVEL_DISTANCE);
    near_hand(cp_distance(b.dist, 0, 1), (0.6 + 0.02) * S * KM, "with the flow", 0, 1);
    near_hand(cp_distance(b.dist, 1, 0), (0.2 + 3 + 0.2 + 0.02) * S * KM, "round the block", 1, 0);
    unbuild(&b);
    /* on foot a one-way street goes both ways */
    build(&b, &L, CP_TRAVEL_WALK);
    near_hand(cp_distance(b.dist, 1, 0), (0.6 + 0.02) * S * KM / 5.0 * 60.0, "walking", 1, 0);
    unbuild(&b);
}

static void test_middle_of_an_edge(void **state)
{
    /* one long edge; three schools beside its middle, one on either side */
    seg one[] = {{0, 0, 4 * S, 0, 0, 0, 60}, {4 * S, 0, 4 * S, S, 0, 0, 60}};
    double sx[] = {1.5 * S, 2.5 * S, 2.0 * S, 4.2 * S}, sy[] = {0.1 * S, -0.2 * S, 0.05 * S, 0.5 * S};
    layer L = {one, 2, sx, sy, 4, 2.0, 0};
    built b;
    (void)state;
    check_all_trips(&L, CP_TRAVEL_DISTANCE);
    build(&b, &L, CP_TRAVEL_DISTANCE);
    near_hand(cp_distance(b.dist, 0, 1), (0.1 + 1.0 + 0.2) * S * KM, "along the edge", 0, 1);
    unbuild(&b);
}

static void test_unreachable(void **state)
{
    /* two networks that never meet; a school 3 km from both */
    seg two[] = {{0, 0, S, 0, 0, 0, 60}, {3 * S, 0, 4 * S, 0, 1, 0, 60}};
    double sx[] = {0.5 * S, 3.5 * S, 0.5 * S, 0.6 * S}, sy[] = {0.1 * S, 0.1 * S, 3 * S, 0.05 * S};
    layer L = {two, 2, sx, sy, 4, 2.0, 0};
    built b;
    cp_candidates *cand;
    cp_error err;
    (void)state;
    check_all_trips(&L, CP_TRAVEL_DISTANCE);
    build(&b, &L, CP_TRAVEL_DISTANCE);
    assert_true(isinf(cp_distance(b.dist, 0, 1)));
    assert_int_equal(cp_road_access_of(b.inst->road, 2), ROAD_NONE);
    assert_true(isinf(cp_distance(b.dist, 2, 0)) && isinf(cp_distance(b.dist, 0, 2)));
    assert_int_equal(cp_road_info(b.inst)->off_road, 1);
    /* no pair reaches the school without a road, and it hosts none */
    b.sc.distance_max = 100;
    cand = cp_candidates_build(b.inst, &b.sc, b.dist, &err);
    assert_non_null(cand);
    assert_int_equal(cand->start[3] - cand->start[2], 0);
    assert_false(cand->eligible[2]);
    cp_candidates_free(cand);
    unbuild(&b);
    /* with straight-line access it keeps its straight lines */
    {
        built s;
        cp_road_network *net;
        cp_road_lines lines;
        int k;
        memset(&lines, 0, sizeof lines);
        build(&s, &L, CP_TRAVEL_DISTANCE);
        s.sc.straight_access = 1;
        for (k = 0; k < L.n_segs; k++) {
            double x[2] = {L.s[k].x0, L.s[k].x1}, y[2] = {L.s[k].y0, L.s[k].y1};
            cp_road_lines_add(&lines, x, y, 2, -1, 0, k);
        }
        net = cp_road_build(&lines, s.inst, &s.sc, NULL, &err);
        assert_non_null(net);
        cp_distance_free(s.dist);
        cp_instance_attach_roads(s.inst, net);
        s.dist = cp_distance_new(s.inst, &err);
        assert_int_equal(cp_road_access_of(s.inst->road, 2), ROAD_STRAIGHT);
        close_to(cp_distance(s.dist, 2, 0), dist_km(sx[2], sy[2], sx[0], sy[0]), "straight", 2, 0);
        close_to(cp_distance(s.dist, 0, 2), dist_km(sx[2], sy[2], sx[0], sy[0]), "straight", 0, 2);
        cp_road_lines_clear(&lines);
        unbuild(&s);
    }
}

static void test_time_two_classes(void **state)
{
    /* a direct track (15 km/h) against a primary road round it (60 km/h),
     * three times as long: the primary is faster */
    seg r[] = {{0, 0, 2 * S, 0, 0, 0, 15}, {0, 0, 0, S, 1, 0, 60}, {0, S, 2 * S, S, 1, 0, 60},
               {2 * S, S, 2 * S, 0, 1, 0, 60}};
    double sx[] = {0.0 - 0.02 * S, 2 * S + 0.02 * S}, sy[] = {0.001 * S, 0.001 * S};
    layer L = {r, 4, sx, sy, 2, 2.0, 1};
    built b;
    double d[2], km[2];
    int m = 0;
    (void)state;
    check_all_trips(&L, CP_TRAVEL_CAR);
    build(&b, &L, CP_TRAVEL_CAR);
    cp_distance_to_centre_km(b.dist, 1, &m, 1, d, km);
    /* round by the primary: 4 S at 60 km/h (4.4 min) and two walks of 0.02 S
     * at 5 (0.5 min each), not the track's 2 S at 15 (8.9 min) */
    assert_true(d[0] < 6.0);
    assert_true(km[0] > 3.9 * S * KM); /* the km of the primary route, not the track's */
    unbuild(&b);
}

static void test_same_site(void **state)
{
    /* a primary and a secondary school on one site, 1 km from the road: 0
     * apart, not 2 km (the walk past the road) */
    seg r[] = {{0, 0, 2 * S, 0, 0, 0, 60}};
    double sx[] = {S, S, 1.5 * S}, sy[] = {0.9 * S, 0.9 * S, 0.8 * S};
    layer L = {r, 1, sx, sy, 3, 2.0, 0};
    built b;
    (void)state;
    check_all_trips(&L, CP_TRAVEL_DISTANCE);
    build(&b, &L, CP_TRAVEL_DISTANCE);
    assert_true(cp_distance(b.dist, 0, 1) == 0.0);
    close_to(cp_distance(b.dist, 0, 2), dist_km(sx[0], sy[0], sx[2], sy[2]), "walk past the road", 0, 2);
    unbuild(&b);
}

/* ----------------------------------------------------------- random grids */

/* A street grid of g x g nodes: every street is a run of segments along a
 * parallel or a meridian, but some crossings have no vertex (a bridge: the
 * segment spans two cells), some streets are missing, some one way, some
 * tracks; schools beside random streets, some on one site. */
static void random_layer(test_rng *r, layer *L, int timed)
{
    int g = 5, i, j, k = 0, n = 0;
    L->s = malloc(sizeof(seg) * 200);
    L->sx = malloc(sizeof(double) * 16);
    L->sy = malloc(sizeof(double) * 16);
    for (i = 0; i < g; i++) {
        int dirn;
        for (dirn = 0; dirn < 2; dirn++) { /* along a parallel, along a meridian */
            int span;
            for (j = 0; j + 1 < g; j += span) {
                seg *s = &L->s[k];
                span = j + 2 < g && uniform(r, 0, 5) == 0 ? 2 : 1;
                if (uniform(r, 0, 9) == 0)
                    continue; /* no street here */
                s->x0 = (dirn ? i : j) * S;
                s->y0 = (dirn ? j : i) * S;
                s->x1 = (dirn ? i : j + span) * S;
                s->y1 = (dirn ? j + span : i) * S;
                s->line = k;
                s->oneway = uniform(r, 0, 5) == 0 ? (uniform(r, 0, 1) ? 1 : -1) : 0;
                s->kmh = timed && uniform(r, 0, 2) == 0 ? 15 : 60;
                k++;
            }
        }
    }
    L->n_segs = k;
    while (n < 12) {
        const seg *s = &L->s[uniform(r, 0, k - 1)];
        double along = 0.3 + 0.4 * uniform(r, 0, 1000) / 1000.0;
        double side = (0.05 + 0.15 * uniform(r, 0, 1000) / 1000.0) * (uniform(r, 0, 1) ? 1 : -1);
        if (s->y0 == s->y1) {
            L->sx[n] = fmin(s->x0, s->x1) + along * S;
            L->sy[n] = s->y0 + side * S;
        } else {
            L->sx[n] = s->x0 + side * S;
            L->sy[n] = fmin(s->y0, s->y1) + along * S;
        }
        n++;
        if (n < 12 && uniform(r, 0, 5) == 0) { /* a second school on the site */
            L->sx[n] = L->sx[n - 1];
            L->sy[n] = L->sy[n - 1];
            n++;
        }
    }
    L->n_schools = n;
    L->snap_max = 2.0;
    L->timed = timed;
}

typedef struct {
    int n;
    double *d; /* n x n: d[i * n + j] of pair (member i, centre j), NAN = none */
} pair_set;

static void collect(const cp_candidates *c, pair_set *p)
{
    int i;
    long k;
    for (i = 0; i < p->n * p->n; i++)
        p->d[i] = NAN;
    for (i = 0; i < c->n; i++)
        for (k = c->start[i]; k < c->start[i + 1]; k++)
            p->d[i * p->n + c->centre[k]] = c->dist[k];
}

/* Each route's length, summed from its points, is the trip's road km. */
static void check_paths(built *b, int centre, const double *km_want)
{
    int n = b->inst->n_schools, k, *all = malloc(sizeof(int) * (size_t)n);
    long *start;
    double *x, *y;
    cp_road_search *s = cp_road_search_new(b->inst->road);
    for (k = 0; k < n; k++)
        all[k] = k;
    assert_int_equal(cp_road_paths(b->inst->road, s, centre, all, n, &start, &x, &y), CP_OK);
    for (k = 0; k < n; k++) {
        double len = 0.0;
        long p;
        for (p = start[k] + 1; p < start[k + 1]; p++)
            len += dist_km(x[p - 1], y[p - 1], x[p], y[p]);
        if (isfinite(km_want[k]) && fabs(len - km_want[k]) > 1e-6 && start[k + 1] > start[k])
            fail_msg("route %d -> %d: %.9f km drawn, %.9f travelled", k, centre, len, km_want[k]);
    }
    free(all);
    free(start);
    free(x);
    free(y);
    cp_road_search_free(s);
}

static void test_random_grids(void **state)
{
    test_rng r = {2028};
    int round;
    (void)state;
    for (round = 0; round < 40; round++) {
        layer L;
        built b;
        fw g;
        int base, i, j, n, threads;
        int timed = round % 2;
        cp_error err;
        pair_set want, got;
        random_layer(&r, &L, timed);
        check_all_trips(&L, timed ? CP_TRAVEL_CAR : CP_TRAVEL_DISTANCE);
        build(&b, &L, timed ? CP_TRAVEL_CAR : CP_TRAVEL_DISTANCE);
        reference(&L, &g, &base);
        n = L.n_schools;
        want.n = got.n = n;
        want.d = malloc(sizeof(double) * (size_t)(n * n));
        got.d = malloc(sizeof(double) * (size_t)(n * n));
        /* the pairs within a limit: every eligible centre, exactly FW's */
        if (timed)
            b.sc.time_max = 8.0;
        else
            b.sc.distance_max = 2.5;
        for (i = 0; i < n; i++)
            for (j = 0; j < n; j++) {
                double w = g.w[(base + i) * g.n + base + j];
                want.d[i * n + j] = w <= (timed ? 8.0 : 2.5) ? w : NAN;
            }
        for (threads = 1; threads <= 3; threads++) {
            cp_candidates *c;
            b.sc.solver.threads = threads;
            c = cp_candidates_build(b.inst, &b.sc, b.dist, &err);
            assert_non_null(c);
            collect(c, &got);
            for (i = 0; i < n * n; i++)
                if (isnan(want.d[i]) != isnan(got.d[i]) ||
                    (!isnan(want.d[i]) && fabs(want.d[i] - got.d[i]) > 1e-9))
                    fail_msg("round %d, %d threads: pair %d -> %d: %g, expected %g", round,
                             threads, i / n, i % n, got.d[i], want.d[i]);
            cp_candidates_free(c);
        }
        /* the national-scale cap: each member's 3 nearest centres, exactly
         * the first 3 of its full list (nearest first, ties by index) */
        {
            cp_candidates *c;
            b.sc.solver.nearest_from = 1;
            b.sc.solver.nearest_count = 3;
            b.sc.solver.method = CP_METHOD_HEURISTIC;
            c = cp_candidates_build(b.inst, &b.sc, b.dist, &err);
            assert_non_null(c);
            for (i = 0; i < n; i++) {
                int taken = 0, m;
                long p = c->start[i];
                for (m = 0; m < n && taken < 3; m++) { /* the full list in order */
                    int best = -1;
                    for (j = 0; j < n; j++)
                        if (!isnan(want.d[i * n + j]) && (best < 0 || want.d[i * n + j] <
                                                                         want.d[i * n + best]))
                            best = j;
                    if (best < 0)
                        break;
                    if (p >= c->start[i + 1] || c->centre[p] != best)
                        fail_msg("round %d: member %d's nearest %d is %d, expected %d", round, i,
                                 taken, p < c->start[i + 1] ? c->centre[p] : -1, best);
                    want.d[i * n + best] = NAN;
                    p++;
                    taken++;
                }
                assert_int_equal(c->start[i + 1] - c->start[i], taken);
            }
            cp_candidates_free(c);
            b.sc.solver.nearest_from = 200000;
        }
        if (!timed)
            for (j = 0; j < n; j++) {
                double *km = malloc(sizeof(double) * (size_t)n);
                for (i = 0; i < n; i++)
                    km[i] = g.km[(base + i) * g.n + base + j];
                check_paths(&b, j, km);
                free(km);
            }
        unbuild(&b);
        free(g.w);
        free(g.km);
        free(want.d);
        free(got.d);
        free(L.s);
        free(L.sx);
        free(L.sy);
    }
}

/* The evaluation's road figures: circuity = road km / straight km. */
static void test_evaluation_circuity(void **state)
{
    seg r[] = {{0, 0, 2 * S, 0, 0, 0, 60}, {2 * S, 0, 2 * S, 2 * S, 1, 0, 60}};
    double sx[] = {0.0, 2 * S - 0.0001 * S, 2 * S + 0.0001 * S}, sy[] = {0.0001 * S, 0.0001 * S, 2 * S};
    layer L = {r, 2, sx, sy, 3, 2.0, 0};
    built b;
    cp_layout *lay;
    cp_evaluation *ev;
    cp_error err;
    double road, straight;
    (void)state;
    build(&b, &L, CP_TRAVEL_DISTANCE);
    lay = cp_layout_new(3);
    cp_layout_add_cluster(lay, "K", 1);
    lay->cluster_of[0] = lay->cluster_of[1] = lay->cluster_of[2] = 0;
    ev = cp_evaluate(b.inst, &b.sc, lay, b.dist, &err);
    assert_non_null(ev);
    road = ev->road_km[0] + ev->road_km[2];
    straight = dist_km(sx[0], sy[0], sx[1], sy[1]) + dist_km(sx[2], sy[2], sx[1], sy[1]);
    close_to(ev->cluster_circuity[0], road / straight, "circuity", 0, 1);
    close_to(ev->ind.circuity, road / straight, "circuity overall", 0, 1);
    assert_true(ev->ind.circuity >= 1.0);
    cp_evaluation_free(ev);
    cp_layout_free(lay);
    unbuild(&b);
}

/* ----------------------------------------------------------------- reader */

static char *write_temp(const char *text, const char *ext)
{
    static char path[256];
    int fd;
    FILE *f;
    snprintf(path, sizeof path, "/tmp/cp-roads-XXXXXX%s", ext);
    fd = mkstemps(path, (int)strlen(ext));
    assert_true(fd >= 0);
    f = fdopen(fd, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_geojson_reader(void **state)
{
    /* Web Mercator; a MultiLineString of two parts sharing a vertex with a
     * one-way LineString ("-1": against its drawing); a reversible street */
    const char *text =
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
        "{\"name\":\"urn:ogc:def:crs:EPSG::3857\"}},\"features\":["
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"primary\"},\"geometry\":"
        "{\"type\":\"MultiLineString\",\"coordinates\":[[[0,0],[1000,0]],[[1000,0],[2000,0]]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"residential\",\"oneway\":\"-1\"},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[1000,1000],[1000,0]]}},"
        "{\"type\":\"Feature\",\"properties\":{\"highway\":\"track\",\"oneway\":\"reversible\"},"
        "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[2000,0],[2000,1000]]}}]}";
    char *path = write_temp(text, ".geojson");
    cp_instance *inst = cp_instance_new("r", CP_DIST_HAVERSINE);
    cp_scenario sc;
    cp_warnings warn = {0, 0, NULL};
    cp_error err;
    const cp_road_summary *s;
    (void)state;
    cp_instance_add_school(inst, "A");
    inst->schools[0].x = 0.0045;
    inst->schools[0].y = 0.0001;
    cp_scenario_defaults(&sc);
    sc.roads = cp_strdup(path);
    if (cp_instance_use_roads(inst, &sc, &warn, &err))
        fail_msg("%s", err.message);
    s = cp_road_info(inst);
    assert_int_equal(s->lines, 4);
    assert_int_equal(s->nodes, 5);
    assert_int_equal(s->edges, 4);
    assert_int_equal(s->one_way, 1);
    assert_int_equal(s->on_road, 1);
    assert_true(fabs(s->km - (3 * 1000 + 1000) / 1000.0 * (1 - 1e-3)) < 0.02); /* Mercator km at the equator */
    assert_true(warn.count >= 1 && strstr(warn.items[0], "reversible"));
    cp_warnings_free(&warn);
    cp_scenario_clear(&sc);
    cp_instance_free(inst);
    unlink(path);
}

static void test_bad_layers(void **state)
{
    static const struct {
        const char *text, *says;
    } cases[] = {
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
         "\"geometry\":{\"type\":\"Point\",\"coordinates\":[36,-1]}}]}", "not a line"},
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
         "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[36,-1]]}}]}", "no lines"},
        {"{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},"
         "\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[500000,9000000],[500100,9000000]]}}]}",
         "off the globe"},
    };
    size_t k;
    (void)state;
    for (k = 0; k < sizeof cases / sizeof *cases; k++) {
        char *path = write_temp(cases[k].text, ".geojson");
        cp_instance *inst = cp_instance_new("r", CP_DIST_HAVERSINE);
        cp_scenario sc;
        cp_error err;
        cp_scenario_defaults(&sc);
        sc.roads = cp_strdup(path);
        cp_error_clear(&err);
        assert_int_equal(cp_instance_use_roads(inst, &sc, NULL, &err), CP_EINPUT);
        if (!strstr(err.message, cases[k].says) || !strstr(err.message, path))
            fail_msg("case %zu: %s", k, err.message);
        cp_scenario_clear(&sc);
        cp_instance_free(inst);
        unlink(path);
    }
    {
        cp_instance *inst = cp_instance_new("r", CP_DIST_HAVERSINE);
        cp_scenario sc;
        cp_error err;
        char *path = write_temp(cases[0].text, ".geojson");
        cp_scenario_defaults(&sc);
        sc.roads = cp_strdup(path);
        sc.roads_class = cp_strdup("fclass");
        assert_int_equal(cp_instance_use_roads(inst, &sc, NULL, &err), CP_EINPUT);
        cp_scenario_clear(&sc);
        cp_instance_free(inst);
        unlink(path);
    }
}

/* ------------------------------------------------- allocation failures */

static const char sweep_roads[] =
    "{\"type\":\"FeatureCollection\",\"features\":["
    "{\"type\":\"Feature\",\"properties\":{\"highway\":\"primary\"},\"geometry\":"
    "{\"type\":\"LineString\",\"coordinates\":[[36.0,-1.0],[36.05,-1.0],[36.1,-1.0]]}},"
    "{\"type\":\"Feature\",\"properties\":{\"highway\":\"track\",\"oneway\":\"yes\"},"
    "\"geometry\":{\"type\":\"MultiLineString\",\"coordinates\":[[[36.05,-1.0],[36.05,-1.05]],"
    "[[36.05,-1.05],[36.1,-1.05],[36.1,-1.0]]]}}]}";
static char sweep_path[256];

static cp_instance *sweep_instance(void)
{
    static const double xy[][2] = {{36.01, -1.001}, {36.06, -1.001}, {36.09, -0.999},
                                   {36.101, -1.04}, {36.06, -1.049}, {36.06, -1.049},
                                   {36.3, -1.3}};
    cp_instance *inst = cp_instance_new("sweep", CP_DIST_HAVERSINE);
    size_t k;
    for (k = 0; inst && k < sizeof xy / sizeof *xy; k++) {
        char id[8];
        int i;
        snprintf(id, sizeof id, "S%zu", k);
        if ((i = cp_instance_add_school(inst, id)) < 0) {
            cp_instance_free(inst);
            return NULL;
        }
        inst->schools[i].x = xy[k][0];
        inst->schools[i].y = xy[k][1];
    }
    return inst;
}

/* The sweeps' shared state: one instance joined to the roads, its solved
 * layout and evaluation, built once without failures. */
static struct {
    cp_instance *inst;
    cp_scenario sc;
    cp_layout *lay;
    cp_evaluation *ev;
} sw;

static void sweep_scenario(cp_scenario *sc)
{
    cp_scenario_defaults(sc);
    sc->size_min = 2;
    sc->distance_max = 15;
    sc->solver.threads = 1;
    sc->roads = cp_strdup(sweep_path);
}

/* Reading the layer, building the network, joining the schools. */
static int op_join(cp_error *err)
{
    cp_instance *inst = sweep_instance();
    cp_scenario sc;
    cp_warnings warn = {0, 0, NULL};
    cp_code rc;
    sweep_scenario(&sc);
    rc = inst && sc.roads ? cp_instance_use_roads(inst, &sc, &warn, err) : cp_fail_nomem(err);
    cp_instance_free(inst);
    cp_scenario_clear(&sc);
    cp_warnings_free(&warn);
    return rc;
}

/* Solving (pairs by road, reasons of the road rule) and evaluating. */
static int op_solve(cp_error *err)
{
    cp_distance_ctx *dist = cp_distance_new(sw.inst, err);
    cp_layout *lay = dist ? cp_solve(sw.inst, &sw.sc, err) : NULL;
    cp_evaluation *ev = lay ? cp_evaluate(sw.inst, &sw.sc, lay, dist, err) : NULL;
    cp_code rc = ev ? CP_OK : err->code;
    cp_evaluation_free(ev);
    cp_layout_free(lay);
    cp_distance_free(dist);
    return rc;
}

/* The outputs that draw routes: GeoJSON links, the SVG, the report. */
static int op_write(cp_error *err)
{
    static const char *const formats[] = {"roads-alloc.geojson", "roads-alloc.svg",
                                          "roads-alloc.html", NULL};
    char path[256];
    cp_code rc = CP_OK;
    int k;
    for (k = 0; !rc && formats[k]; k++) {
        temp_path(path, sizeof path, formats[k]);
        rc = cp_write_layout(path, sw.inst, &sw.sc, sw.lay, sw.ev, err);
    }
    return rc;
}

/* Every allocation of the operation made to fail in turn: CP_ERESOURCE
 * with a message each time, and (under ASan) nothing leaked. */
static void sweep_op(int (*op)(cp_error *err), const char *what)
{
    long k, total;
    cp_error err;
    cp_alloc_fail_after(0);
    if (op(&err))
        fail_msg("%s: %s", what, err.message);
    total = cp_alloc_count();
    assert_true(total > 10);
    for (k = 1; k <= total; k++) {
        cp_code rc;
        cp_error_clear(&err);
        cp_alloc_fail_after(k);
        rc = (cp_code)op(&err);
        cp_alloc_fail_after(0);
        if (rc != CP_ERESOURCE)
            fail_msg("%s: allocation %ld of %ld failed: expected CP_ERESOURCE, got %d (%s)",
                     what, k, total, rc, err.message);
        assert_true(err.message[0] != '\0');
    }
}

static void test_allocation_failures(void **state)
{
    cp_distance_ctx *dist;
    cp_error err;
    char *path = write_temp(sweep_roads, ".geojson"); /* a static buffer of 256 */
    (void)state;
    snprintf(sweep_path, sizeof sweep_path, "%s", path);
    sw.inst = sweep_instance();
    sweep_scenario(&sw.sc);
    assert_int_equal(cp_instance_use_roads(sw.inst, &sw.sc, NULL, &err), CP_OK);
    dist = cp_distance_new(sw.inst, &err);
    sw.lay = cp_solve(sw.inst, &sw.sc, &err);
    sw.ev = cp_evaluate(sw.inst, &sw.sc, sw.lay, dist, &err);
    assert_non_null(sw.ev);
    sweep_op(op_join, "joining");
    sweep_op(op_solve, "solving");
    sweep_op(op_write, "writing");
    cp_evaluation_free(sw.ev);
    cp_layout_free(sw.lay);
    cp_distance_free(dist);
    cp_instance_free(sw.inst);
    cp_scenario_clear(&sw.sc);
    unlink(sweep_path);
    {
        static const char *const files[] = {"roads-alloc.geojson", "roads-alloc-links.geojson",
                                            "roads-alloc-clusters.geojson", "roads-alloc.svg",
                                            "roads-alloc.html", NULL};
        int k;
        for (k = 0; files[k]; k++) {
            temp_path(path, 256, files[k]);
            unlink(path);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shared_vertex_against_crossing),
        cmocka_unit_test(test_one_way),
        cmocka_unit_test(test_middle_of_an_edge),
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_time_two_classes),
        cmocka_unit_test(test_same_site),
        cmocka_unit_test(test_random_grids),
        cmocka_unit_test(test_evaluation_circuity),
        cmocka_unit_test(test_geojson_reader),
        cmocka_unit_test(test_bad_layers),
        cmocka_unit_test(test_allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
