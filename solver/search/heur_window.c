/*
 * heur_window.c — exact windows: a school the local search left unplaced
 * gets an exact MILP (milp.c) on the whole clusters around it (placement);
 * and where a capacity binds, a few neighbouring clusters are re-formed by
 * the MILP as one (repair, below).
 *
 * The window starts at the unplaced school and grows breadth first over
 * admissible pairs, WINDOW_HOPS hops, taking every cluster it touches whole
 * (so the current layout stays feasible inside it), up to WINDOW_MAX
 * schools.  The MILP sees only the pairs inside the window, starts from
 * the current layout and places the most schools it can at the least cost;
 * a better window layout, proven optimal within the window, replaces the
 * old one (WINDOW_EVENTS bounds its search's nodes and cut rounds, the same
 * on any machine; a window that reaches it is dropped).
 *
 * A window that holds the whole part and is solved to optimality solves
 * the part: its unplaced schools are then proven unplaceable.
 *
 * Why: on Kenya national (no admin rule) the search left 8 schools
 * unplaced, and while any is unplaced no bound can be claimed for its
 * part.  2 were in the 26,349-school part, where a window of 120 schools
 * placed both (chains of moves through several clusters, which no single
 * neighbourhood makes); 6 were in parts of 5 to 20 schools, where the
 * window is the part and the MILP proves them unplaceable.
 * Parameters: WINDOW_MAX, WINDOW_HOPS, WINDOW_EVENTS and WINDOW_SECONDS (per MILP),
 * MAX_WINDOWS per call.  Work: at most MAX_WINDOWS MILPs of WINDOW_MAX
 * schools; memory two ints per school of the instance.
 */
#include "heur.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW_MAX 120
#define WINDOW_HOPS 40
/* A window's MILP stops after WINDOW_EVENTS nodes and cut rounds, a limit
 * that is the same on every machine and thread count: on a busy machine a
 * window of 119 schools (a generated country of 6,000 schools, regions
 * of 150) reached the former 5 s limit in one run and not in the next, and
 * the layout differed from run to run.  Windows on Kenya take at most 9
 * nodes and 15 cut rounds; that one needs about 190.  WINDOW_SECONDS only
 * guards against a pathological window. */
#define WINDOW_EVENTS 100
#define WINDOW_SECONDS 60.0
#define MAX_WINDOWS 64

typedef struct {
    hstate *h;
    int *local;          /* the window's schools (part-local), in order added */
    int n;
    unsigned char *in;   /* per part-local school */
    int *global;         /* the window's global schools, ascending */
    int *win_of;         /* global -> window index (window schools only) */
    cp_candidates sub;   /* the pairs inside the window */
} window;

/* Adds s, and its whole cluster when s is placed; 0 when that would pass
 * WINDOW_MAX. */
static int add_cluster_of(window *w, int s)
{
    hstate *h = w->h;
    int c = h->centre[s], k;
    if (w->in[s])
        return 1;
    if (c < 0) {
        if (w->n + 1 > WINDOW_MAX)
            return 0;
        w->in[s] = 1;
        w->local[w->n++] = s;
        return 1;
    }
    if (w->n + h->size[c] > WINDOW_MAX)
        return 0;
    for (k = h->head[c]; k >= 0; k = h->next[k]) {
        w->in[k] = 1;
        w->local[w->n++] = k;
    }
    return 1;
}

/* Admissible partners of s in either role: its centres, and its members
 * when s can be a centre; every partner's cluster joins (while room). */
static void add_partners(window *w, int s)
{
    const hstate *h = w->h;
    int p;
    for (p = h->kstart[s]; p < h->kstart[s + 1]; p++)
        if (!add_cluster_of(w, h->kcentre[p]))
            return;
    for (p = h->rstart[s]; p < h->rstart[s + 1]; p++)
        if (!add_cluster_of(w, h->rmember[p]))
            return;
}

static void grow(window *w, int u)
{
    int hop, from = 0, k;
    w->n = 0;
    add_cluster_of(w, u);
    for (hop = 0; hop < WINDOW_HOPS; hop++) {
        int to = w->n;
        for (k = from; k < to && w->n < WINDOW_MAX; k++)
            add_partners(w, w->local[k]);
        from = to;
    }
}

/* The window's pairs as a candidate structure over global indices: only
 * the window's entries of start[] are meaningful (pairs laid out in
 * ascending global order, so start[i + 1] is right for each window i). */
static void window_pairs(window *w)
{
    const hstate *h = w->h;
    const cp_candidates *cand = h->cand;
    int k, p, used = 0;
    for (k = 0; k < w->n; k++)
        w->global[k] = h->schools[w->local[k]];
    qsort(w->global, (size_t)w->n, sizeof(int), cp_cmp_int);
    for (k = 0; k < w->n; k++) {
        int i = w->global[k];
        w->win_of[i] = k;
        w->sub.start[i] = used;
        for (p = cand->start[i]; p < cand->start[i + 1]; p++) {
            int c = heur_local(h, cand->centre[p]);
            if (c >= 0 && w->in[c]) {
                w->sub.centre[used] = cand->centre[p];
                w->sub.dist[used++] = cand->dist[p];
            }
        }
        w->sub.start[i + 1] = used;
    }
}

/* The window's current layout, per window school: global centre or -1,
 * with its unplaced count and cost. */
static int *window_layout(const window *w, hscore *score)
{
    const hstate *h = w->h;
    int *inc = cp_malloc((size_t)w->n * sizeof(int)), k;
    score->unassigned = 0;
    score->cost = 0.0;
    for (k = 0; inc && k < w->n; k++) {
        int s = heur_local(h, w->global[k]), c = h->centre[s];
        inc[k] = c >= 0 ? h->schools[c] : -1;
        score->unassigned += c < 0;
        if (c >= 0)
            score->cost += cp_pair_cost(h->inst, h->sc, w->global[k], h->schools[c],
                                        c == s ? 0.0 : h->dist[s]);
    }
    return inc;
}

/* Replaces the window's clusters by the MILP's; 0 when the journal failed. */
static int apply(window *w, const int *centre_of)
{
    hstate *h = w->h;
    int k;
    for (k = 0; k < w->n; k++) {
        int s = w->local[k];
        if (h->centre[s] == s && !heur_dissolve(h, s))
            return 0;
    }
    for (k = 0; k < w->n; k++)
        if (centre_of[k] == w->global[k] && !heur_open(h, heur_local(h, w->global[k])))
            return 0;
    for (k = 0; k < w->n; k++) {
        int s = heur_local(h, w->global[k]), c;
        if (centre_of[k] < 0 || centre_of[k] == w->global[k])
            continue;
        c = heur_local(h, centre_of[k]);
        if (!heur_assign(h, s, c, heur_pair(h, s, c)))
            return 0;
        heur_push(h, s);
    }
    return 1;
}

/* The window's MILP input: its schools and pairs, the layout inc as the
 * incumbent, at most `events` nodes and cut rounds, within WINDOW_SECONDS
 * and the run's own time limit, which comes first. */
static void window_input(const window *w, const cp_milp_input *part, int *inc, long events,
                         cp_milp_input *in)
{
    memset(in, 0, sizeof *in);
    in->inst = w->h->inst;
    in->sc = w->h->sc;
    in->cand = &w->sub;
    in->schools = w->global;
    in->n = w->n;
    in->local_of = w->win_of;
    in->time_limit = WINDOW_SECONDS;
    if (w->h->deadline > 0)
        in->time_limit = fmax(fmin(WINDOW_SECONDS, w->h->deadline - cp_now_seconds()), 0.01);
    in->event_limit = events;
    in->interrupt = part->interrupt;
    in->incumbent = inc;
}

/* The MILP's layout r replaces the window's when it places more schools,
 * or as many for less: 1 taken, 0 not better, -1 the journal failed. */
static int take_if_better(window *w, const cp_milp_result *r, hscore before)
{
    long unplaced = w->n - r->assigned;
    int better = unplaced < before.unassigned ||
                 (unplaced == before.unassigned && r->cost < before.cost - 1e-9 * fmax(1.0, before.cost));
    if (better && !apply(w, r->centre_of))
        return -1;
    return better;
}

/* The window's schools are free for the next window. */
static void release(window *w)
{
    int k;
    for (k = 0; k < w->n; k++)
        w->in[w->local[k]] = 0;
}

/* One window around unplaced u: 1 if it improved, 0 if not, -1 on failure;
 * *whole: the window was the whole part, now solved to optimality. */
static int solve_window(window *w, int u, const cp_milp_input *part, int *whole)
{
    cp_milp_input in;
    cp_milp_result r;
    hscore before;
    int *inc, better = 0;
    grow(w, u);
    window_pairs(w);
    inc = window_layout(w, &before);
    if (!inc)
        return -1;
    window_input(w, part, inc, WINDOW_EVENTS, &in);
    /* only a proven window counts: a safety limit that binds would make
     * the layout depend on the machine's speed */
    if (cp_milp_solve(&in, &r, NULL) == CP_OK && r.has_solution && r.status == CP_STATUS_OPTIMAL) {
        better = take_if_better(w, &r, before);
        *whole = w->n == w->h->n && better >= 0;
    }
    cp_free(r.centre_of);
    cp_free(inc);
    release(w);
    return better;
}

static void window_free(window *w)
{
    cp_free(w->local);
    cp_free(w->in);
    cp_free(w->global);
    cp_free(w->win_of);
    cp_free(w->sub.start);
    cp_free(w->sub.centre);
    cp_free(w->sub.dist);
}

static int window_new(window *w, hstate *h)
{
    size_t n_all = (size_t)h->inst->n_schools + 1, pairs = 0;
    int k;
    memset(w, 0, sizeof *w);
    w->h = h;
    for (k = 0; k < h->n; k++) /* the window's pairs are among its schools' pairs */
        pairs = (size_t)fmax((double)pairs, (double)(h->cand->start[h->schools[k] + 1] -
                                                     h->cand->start[h->schools[k]]));
    pairs = pairs * WINDOW_MAX + 1;
    w->local = cp_malloc((WINDOW_MAX + 1) * sizeof(int));
    w->global = cp_malloc((WINDOW_MAX + 1) * sizeof(int));
    w->in = cp_calloc((size_t)h->n + 1, 1);
    w->win_of = cp_malloc(n_all * sizeof(int));
    w->sub.start = cp_malloc((n_all + 1) * sizeof(int));
    w->sub.centre = cp_malloc(pairs * sizeof(int));
    w->sub.dist = cp_malloc(pairs * sizeof(double));
    w->sub.n = h->inst->n_schools;
    w->sub.eligible = h->cand->eligible;
    return w->local && w->global && w->in && w->win_of && w->sub.start && w->sub.centre &&
           w->sub.dist;
}

/* ------------------------------------------------------------- repair
 *
 * Repair windows (issue 27: "a MILP repair of a few clusters"): cluster c
 * and the open clusters nearest it, whole, up to REPAIR_CLUSTERS clusters
 * and REPAIR_SCHOOLS schools, re-formed by the MILP over the pairs among
 * them, with as many centres as they hold now when the count is fixed.
 * Where the capacity binds, the ILS's moves, swaps and rings all change
 * one or two schools at a time and stall at layouts where every exchange
 * overfills a cluster; the MILP moves several schools and a centre at
 * once.  Windows go round the open centres in index order; a sweep ends
 * a pass, passes repeat while one improves, within `budget` windows.
 * A window's MILP stops after REPAIR_EVENTS nodes and cut rounds (work,
 * the same on any machine); a better layout it found stands even
 * unproven, but not one a time guard cut.
 *
 * Windows run in batches of up to REPAIR_BATCH, side by side on the
 * part's window threads: a batch takes the next windows in index order
 * while they share no school and solves their MILPs in parallel against
 * the same layout.  Up to the first window that improves, that is what
 * one after the other would have done; that window's layout is applied
 * and the rest of the batch is dropped (a centre it opened could change
 * the windows grown after it), and the next batch starts at the centre
 * after it.  So the layouts are those of the windows one after the other,
 * and the batches depend on the layout alone, never on the thread count;
 * improvements are rare (c2000: 2 of 401 windows), so little is dropped.
 * A 600-point capacitated part spent 70 % of its time in these MILPs on
 * one thread while the other idled (bench/RESULTS.md).
 *
 * A window found no better is remembered by its content (each school and
 * its centre, summed as hashes), and the same window in a later pass is
 * not solved again: its MILP sees the same schools, pairs and incumbent,
 * so it would find the same.  It still takes its place in the batch and in
 * the budget, so every other window and the layout are as before.  Later
 * passes mostly meet windows an improvement elsewhere left as they were,
 * and windows grown from different centres can hold the same clusters:
 * the harder set's c2000 skips 204 of 407 MILPs, c3000 253 of 614, with
 * the same layouts (bench/RESULTS.md).
 * Work: at most `budget` MILPs of REPAIR_SCHOOLS schools; memory
 * REPAIR_BATCH windows and a table of 2-4 x `budget` signatures. */
#define REPAIR_CLUSTERS 4
#define REPAIR_SCHOOLS 48
#define REPAIR_EVENTS 200
#define REPAIR_BATCH 8

typedef struct {
    window w[REPAIR_BATCH];
    int n_windows;               /* allocated */
    int n;                       /* in this batch */
    int clusters[REPAIR_BATCH];
    int centre[REPAIR_BATCH];    /* the cluster each window grew from */
    int *inc[REPAIR_BATCH];
    hscore before[REPAIR_BATCH];
    cp_milp_result r[REPAIR_BATCH];
    int solved[REPAIR_BATCH];    /* the MILP gave a layout to compare */
    uint64_t sig[REPAIR_BATCH];  /* each window's content (window_signature) */
    int known[REPAIR_BATCH];     /* found no better before: not solved again */
    uint64_t *fruitless;         /* signatures of windows found no better */
    uint64_t fruitless_mask;
    unsigned char *claimed;      /* per part-local school: in a window of the batch */
    const cp_milp_input *part;
} repair_batch;

/* c's cluster and the open clusters nearest its centre (by c's own
 * admissible list, nearest first).  Returns the clusters taken. */
static int grow_clusters(window *w, int c)
{
    const hstate *h = w->h;
    int p, clusters = 1;
    w->n = 0;
    add_cluster_of(w, c);
    for (p = h->rstart[c]; p < h->rstart[c + 1] && clusters < REPAIR_CLUSTERS; p++) {
        int j = h->rmember[p];
        if (h->centre[j] != j || w->in[j] || w->n + h->size[j] > REPAIR_SCHOOLS)
            continue;
        add_cluster_of(w, j);
        clusters++;
    }
    return clusters;
}

/* The window's content: each school with its centre, hashed and summed,
 * so the order in which the window took them does not matter.  Two
 * windows with the same signature are the same MILP (the same schools,
 * pairs and incumbent; the cluster count follows from the centres).
 * Never 0 (0 marks an empty slot).  A collision of 64-bit signatures would
 * skip one window's MILP: the same skip on every run.  O(window). */
static uint64_t window_signature(const window *w)
{
    const hstate *h = w->h;
    uint64_t sum = 0;
    int k;
    for (k = 0; k < w->n; k++) {
        int s = w->local[k];
        uint64_t z = heur_school_key(h, s) * 0xD6E8FEB86659FD93ULL +
                     (h->centre[s] >= 0 ? heur_school_key(h, h->centre[s]) : 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 29)) * 0xBF58476D1CE4E5B9ULL;
        sum += z ^ (z >> 32);
    }
    return sum ? sum : 1;
}

/* Grows the batch's next window around cluster c: 1 taken, 0 it shares a
 * school with an earlier window of the batch (it waits for the next). */
static int claim_window(repair_batch *b, int c)
{
    window *w = &b->w[b->n];
    int k, clusters = grow_clusters(w, c);
    for (k = 0; k < w->n; k++)
        if (b->claimed[w->local[k]]) {
            release(w);
            return 0;
        }
    for (k = 0; k < w->n; k++)
        b->claimed[w->local[k]] = 1;
    b->sig[b->n] = window_signature(w);
    b->known[b->n] = b->fruitless[b->sig[b->n] & b->fruitless_mask] == b->sig[b->n];
    b->centre[b->n] = c;
    b->clusters[b->n++] = clusters;
    return 1;
}

/* One window's MILP, against the layout as the batch found it. */
static void solve_repair(int k, void *arg)
{
    repair_batch *b = arg;
    window *w = &b->w[k];
    cp_milp_input in;
    cp_milp_result *r = &b->r[k];
    memset(r, 0, sizeof *r);
    b->solved[k] = 0;
    b->inc[k] = NULL;
    if (b->clusters[k] < 2 || b->known[k])
        return;
    window_pairs(w);
    b->inc[k] = window_layout(w, &b->before[k]);
    if (!b->inc[k])
        return;
    window_input(w, b->part, b->inc[k], REPAIR_EVENTS, &in);
    in.cluster_count = w->h->count > 0 ? b->clusters[k] : 0; /* the total count stays */
    b->solved[k] = cp_milp_solve(&in, r, NULL) == CP_OK && r->has_solution &&
                   (r->status == CP_STATUS_OPTIMAL || r->status == CP_STATUS_FEASIBLE);
}

/* The batch's windows in index order up to the first that improves, whose
 * layout is applied; the ones after it are dropped.  Returns 1 when one
 * improved (*resume: the centre after it, *dropped: windows dropped), 0
 * when none did, -1 when memory failed. */
static int apply_batch(repair_batch *b, int *resume, int *dropped)
{
    int k, better = 0, failed = 0;
    *resume = -1;
    *dropped = 0;
    for (k = 0; k < b->n; k++) {
        window *w = &b->w[k];
        int s;
        if (b->clusters[k] >= 2 && !b->known[k] && !b->inc[k])
            failed = 1;
        if (!failed && better == 0 && b->solved[k]) {
            better = take_if_better(w, &b->r[k], b->before[k]);
            failed = better < 0;
            if (better > 0) {
                *resume = b->centre[k] + 1;
                *dropped = b->n - k - 1;
            } else if (better == 0) {
                b->fruitless[b->sig[k] & b->fruitless_mask] = b->sig[k];
            }
        }
        cp_free(b->r[k].centre_of);
        cp_free(b->inc[k]);
        for (s = 0; s < w->n; s++)
            b->claimed[w->local[s]] = 0;
        release(w);
    }
    b->n = 0;
    return failed ? -1 : better > 0;
}

static void batch_free(repair_batch *b)
{
    int k;
    for (k = 0; k < b->n_windows; k++)
        window_free(&b->w[k]);
    cp_free(b->claimed);
    cp_free(b->fruitless);
}

/* As many windows as the part's clusters could fill, up to REPAIR_BATCH;
 * a table of fruitless windows 2-4 times the budget. */
static int batch_new(repair_batch *b, hstate *h, const cp_milp_input *part, long budget)
{
    int k, ok;
    memset(b, 0, sizeof *b);
    b->part = part;
    for (b->fruitless_mask = 63; b->fruitless_mask < (uint64_t)(2 * budget) &&
                                 b->fruitless_mask < (1u << 20) - 1;)
        b->fruitless_mask = 2 * b->fruitless_mask + 1;
    b->fruitless = cp_calloc((size_t)b->fruitless_mask + 1, sizeof(uint64_t));
    b->n_windows = h->n_open / REPAIR_CLUSTERS;
    b->n_windows = b->n_windows < 1 ? 1 : b->n_windows > REPAIR_BATCH ? REPAIR_BATCH : b->n_windows;
    b->claimed = cp_calloc((size_t)h->n + 1, 1);
    ok = b->claimed != NULL && b->fruitless != NULL;
    for (k = 0; k < b->n_windows; k++)
        ok = window_new(&b->w[k], h) && ok;
    return ok;
}

int heur_repair_by_windows(hstate *h, const cp_milp_input *part, long budget)
{
    repair_batch b;
    long tried = 0;
    int improved = 0, pass_improved = 1, r = 0, c, resume, dropped;
    if (budget <= 0 || !isfinite(h->capacity))
        return 0;
    if (!batch_new(&b, h, part, budget)) {
        batch_free(&b);
        return -1;
    }
    while (pass_improved && tried < budget && r >= 0 && !heur_should_stop(h)) {
        pass_improved = 0;
        c = 0;
        while (c < h->n && tried < budget && r >= 0 && !heur_should_stop(h)) {
            for (; c < h->n && b.n < b.n_windows && tried < budget; c++) {
                if (h->centre[c] != c)
                    continue;
                if (!claim_window(&b, c))
                    break; /* c starts the next batch */
                tried++;
            }
            cp_parallel_for(b.n, part->window_threads, solve_repair, &b);
            r = apply_batch(&b, &resume, &dropped);
            if (r > 0) {
                pass_improved++;
                c = resume;
                tried -= dropped; /* they are grown again from the new layout */
            }
        }
        improved += pass_improved;
    }
    batch_free(&b);
    return r < 0 ? -1 : improved;
}

int heur_place_by_windows(hstate *h, const cp_milp_input *part, int *solved)
{
    window w;
    int u, tried = 0, improved = 0, r = 0;
    *solved = 0;
    if (h->score.unassigned == 0 || h->count > 0)
        return 0; /* a fixed count couples every window: not here */
    if (!window_new(&w, h)) {
        window_free(&w);
        return -1;
    }
    for (u = 0; u < h->n && tried < MAX_WINDOWS && r >= 0 && !*solved && !heur_should_stop(h);
         u++) {
        if (h->centre[u] >= 0 || h->rstart[u + 1] + h->kstart[u + 1] - h->rstart[u] - h->kstart[u] == 0)
            continue;
        tried++;
        r = solve_window(&w, u, part, solved);
        improved += r > 0;
    }
    window_free(&w);
    return r < 0 ? -1 : improved;
}
