/*
 * heur_search.c — the search driver: a local search that examines queued
 * schools with every neighbourhood in turn (first improvement, variable
 * neighbourhood descent), and an iterated local search on top.
 *
 * Each ILS step perturbs the layout around one random school (mostly:
 * dissolve up to REBUILD_CLUSTERS clusters near it and reopen some of the
 * freed schools as centres; else force a centre open there, or scatter a
 * few members), descends
 * from the schools it touched, and keeps the result while it stays near the
 * best (record-to-record travel), else the journal rolls it back.  Steps are local, so their cost
 * does not grow with the part: a national part gets many cheap steps.
 * Parameters: SCATTER schools moved by the scatter perturbation;
 * REBUILD_CLUSTERS, REBUILD_SCHOOLS, REBUILD_SHARE (twelfths of the steps
 * that rebuild); the
 * record-to-record threshold RRT_SHARE, RRT_CLUSTER_SHARE; the journal
 * length (JOURNAL_PER_SCHOOL) after which the search returns to its best.
 */
#include "heur.h"

#include <math.h>

#define SCATTER 4
/* A rebuild of 1 to REBUILD_CLUSTERS clusters is most steps' perturbation:
 * a larger destroy-and-repair leaves the search's basin where a move of a
 * school or two falls back into it.  Five Kenya counties (Machakos, Kisii,
 * Nairobi, Kakamega, Meru; 1,006-1,163 schools, 3-7, 10 km), mean of seeds
 * 1-4, summed, 1 thread, interleaved runs: each of the three a third of
 * the steps and up to 3 clusters, 2,920.3; rebuilds 10/12 of the steps with
 * up to 6 clusters at 0.4 of the steps, 2,913.4 for 7 % less CPU (the old
 * mix at 1.3x the steps: 2,919.2); up to 8 at 0.35 (kept), 2,912.8;
 * rebuilds only, 2,913.6 for 20 % more.  Kenya national, seeds 1 / 2, with
 * 24 reopening tries: up to 6 at 0.4, 23,764 / 23,763; 8 at 0.35, 23,736 /
 * 23,734; 10 at 0.3, 23,734 / 23,744; 12 at 0.25, 23,741 / 23,750; as kept
 * (32 tries), seeds 1-4 23,746 / 23,736 / 23,737 / 23,727 (the old mix
 * 23,781 / 23,784 / 23,805 / 23,807).  The step budget falls to match
 * (solve/part_heuristic.c, REBUILD_STEP_SHARE). */
#define REBUILD_CLUSTERS 8
/* ... and at most this many schools: with large clusters (the capacitated
 * p-median's, a dozen schools each) 8 clusters are half of SJC2, and the
 * search lost its optimum (33,293.4 and 33,325.7 on seeds 1 and 3). */
#define REBUILD_SCHOOLS 32
#define REBUILD_SHARE 10
#define RRT_SHARE 0.01        /* of the best cost ... */
#define RRT_CLUSTER_SHARE 0.1 /* ... at most this share of a cluster's mean cost */
#define JOURNAL_PER_SCHOOL 16

/* Drops the schools queued since the queue held `len` (new ones go to its
 * tail, each once). */
static void unqueue_since(hstate *h, int len)
{
    while (h->q_len > len) {
        int j = h->queue[(h->q_head + h->q_len - 1) % h->n];
        h->queued[j] = 0;
        h->q_len--;
    }
}

/* Every neighbourhood of the registry at school i, until one improves.
 * With issue 24's rules (heur_rules.c) a change is kept only when the
 * whole score improves: a neighbourhood that priced its change by travel
 * alone may have broken a study group or passed the upgrade cap. */
static int examine(hstate *h, int i)
{
    int k;
    for (k = 0; k < heur_n_neighbourhoods; k++) {
        long mark = h->log_len;
        int queued = h->q_len;
        hscore before = h->score;
        int r = heur_neighbourhoods[k].try_at(h, i);
        if (r > 0 && h->rules && !heur_better(h->score, before)) {
            heur_rollback(h, mark);
            unqueue_since(h, queued); /* else the same change is tried again, forever */
            r = 0;
        }
        if (r != 0)
            return r;
    }
    return 0;
}

static int pop(hstate *h)
{
    int i = h->queue[h->q_head];
    h->q_head = (h->q_head + 1) % h->n;
    h->q_len--;
    h->queued[i] = 0;
    return i;
}

static void clear_queue(hstate *h)
{
    while (h->q_len > 0)
        pop(h);
}

cp_code heur_descend(hstate *h)
{
    long steps = 0;
    h->log_on = 1;
    while (h->q_len > 0) {
        int i = pop(h), r = examine(h, i);
        if (r < 0 || h->log_failed)
            return CP_ERESOURCE;
        if (r > 0)
            heur_push(h, i);
        if (!h->trial)
            h->log_len = 0; /* nothing to roll back outside an ILS step */
        if ((++steps & 255) == 0 && heur_should_stop(h)) {
            clear_queue(h);
            break;
        }
    }
    return CP_OK;
}

/* ------------------------------------------------------------ perturbation */

static int perturb_dissolve(hstate *h, int s)
{
    int c = h->centre[s], m;
    if (c < 0 || h->required[c])
        return 1;
    heur_push_around(h, c);
    for (m = h->head[c]; m >= 0; m = h->next[m])
        heur_push(h, m);
    return heur_dissolve(h, c);
}

static int perturb_open(hstate *h, int s)
{
    int from = h->centre[s];
    long mark = h->log_len;
    if (!h->eligible[s] || from == s || (from >= 0 && h->size[from] <= h->size_min))
        return 1;
    if (h->count > 0) {
        int a = from >= 0 ? from : -1;
        if (a < 0 || h->required[a])
            return 1;
        if (!perturb_dissolve(h, a)) /* keeps the count: one closes, one opens */
            return 0;
    } else if (from >= 0 && !heur_unassign(h, s)) {
        return 0;
    }
    if (!heur_open(h, s) || !heur_pull(h, s))
        return 0;
    if (h->size[s] < h->size_min)
        heur_rollback(h, mark);
    heur_push_around(h, s);
    return 1;
}

/* A random admissible open cluster with room for i, other than its own. */
static int random_cluster(hstate *h, int i, double *d)
{
    int len = h->kstart[i + 1] - h->kstart[i], tries;
    for (tries = 0; tries < 8 && len > 0; tries++) {
        int p = h->kstart[i] + heur_random_below(h, len), c = h->kcentre[p];
        if (c != i && c != h->centre[i] && h->centre[c] == c && heur_fits(h, c, i)) {
            *d = h->kdist[p];
            return c;
        }
    }
    return -1;
}

static int perturb_scatter(hstate *h, int s)
{
    int k, c = h->centre[s];
    for (k = 0; k < SCATTER; k++) {
        int i = k == 0 || c < 0 ? s : h->rmember[h->rstart[c] + heur_random_below(h, h->rstart[c + 1] - h->rstart[c])];
        int from = h->centre[i], to;
        double d;
        if (from < 0 || from == i || h->size[from] <= h->size_min)
            continue;
        to = random_cluster(h, i, &d);
        if (to < 0)
            continue;
        if (!heur_relocate(h, i, to, d))
            return 0;
        heur_push_around(h, from);
        heur_push_around(h, to);
    }
    return 1;
}

/* Up to REBUILD_CLUSTERS clusters around s, nearest first, and no more
 * than REBUILD_SCHOOLS schools past the first cluster, are dissolved and
 * rebuilt around randomly chosen freed schools: a small destroy-and-repair. */
static int collect_clusters(hstate *h, int s, int *centres)
{
    int g = h->schools[s], p, n = 0, freed = 0, want = 1 + heur_random_below(h, REBUILD_CLUSTERS);
    for (p = h->cand->start[g]; p < h->cand->start[g + 1] && n < want; p++) {
        int c = heur_local(h, h->cand->centre[p]), k, seen = 0;
        if (c < 0 || h->centre[c] != c || h->required[c])
            continue;
        for (k = 0; k < n; k++)
            seen |= centres[k] == c;
        if (seen)
            continue;
        if (n > 0 && freed + h->size[c] > REBUILD_SCHOOLS)
            break;
        centres[n++] = c;
        freed += h->size[c];
    }
    return n;
}

static int reopen_random(hstate *h, long mark, int budget)
{
    long end = h->log_len, e;
    int tries;
    for (tries = 0; tries < 4 * REBUILD_CLUSTERS && budget != 0; tries++) {
        int j;
        e = mark + heur_random_below(h, (int)(end - mark));
        j = h->log[e].school;
        if (h->centre[j] >= 0 || !h->eligible[j])
            continue;
        if (!heur_open(h, j) || !heur_pull(h, j))
            return 0;
        budget--;
        if (h->size[j] < h->size_min && !heur_dissolve(h, j))
            return 0;
    }
    return 1;
}

static int perturb_rebuild(hstate *h, int s)
{
    int centres[REBUILD_CLUSTERS], n = collect_clusters(h, s, centres), k;
    long mark = h->log_len, e;
    for (k = 0; k < n; k++)
        if (!heur_dissolve(h, centres[k]))
            return 0;
    if (h->log_len > mark && !reopen_random(h, mark, h->count > 0 ? h->count - h->n_open : -1))
        return 0;
    if (h->count > 0 && h->n_open != h->count) {
        heur_rollback(h, mark); /* too few reopened: no neighbourhood may open one back */
        return 1;
    }
    for (e = mark; e < h->log_len; e++)
        heur_push(h, h->log[e].school);
    return 1;
}

int heur_perturb(hstate *h)
{
    int s = heur_random_below(h, h->n), kind = heur_random_below(h, 12);
    if (kind < REBUILD_SHARE)
        return perturb_rebuild(h, s);
    return kind == REBUILD_SHARE ? perturb_open(h, s) : perturb_scatter(h, s);
}

/* Record-to-record travel: a step is kept while the layout stays within
 * `threshold` of the best cost (and places as many schools), so the search
 * can cross the small hills between local optima; the best layout is
 * restored at the end by rolling the journal back to it. */
static double threshold(const hstate *h, hscore best)
{
    double per_cluster = h->n_open > 0 ? fabs(best.cost) / h->n_open : 0.0;
    return fmin(RRT_SHARE * fabs(best.cost), RRT_CLUSTER_SHARE * per_cluster);
}

static int acceptable(const hstate *h, hscore now, hscore best)
{
    if (fabs(now.excess - best.excess) > 1e-9) /* issue 24's rules lead (heur_rules.c) */
        return now.excess < best.excess;
    if (now.unassigned != best.unassigned)
        return now.unassigned < best.unassigned;
    if (now.groups != best.groups)
        return now.groups < best.groups;
    return now.cost <= best.cost + threshold(h, best);
}

cp_code heur_iterate(hstate *h, long iterations)
{
    long it, step_mark;
    hscore best = h->score;
    cp_code rc = CP_OK;
    h->log_len = 0;
    h->trial = 1;
    for (it = 0; !rc && it < iterations && !heur_should_stop(h); it++) {
        step_mark = h->log_len;
        if (!heur_perturb(h))
            rc = CP_ERESOURCE;
        if (!rc)
            rc = heur_descend(h);
        if (rc)
            break;
        if (heur_better(h->score, best)) {
            best = h->score;
            h->log_len = 0; /* the journal now leads back to this layout */
        } else if (!acceptable(h, h->score, best)) {
            heur_rollback(h, step_mark);
        }
        if (h->log_len > JOURNAL_PER_SCHOOL * (long)h->n + 1024)
            heur_rollback(h, 0); /* wandered long enough: back to the best */
    }
    if (!rc)
        heur_rollback(h, 0);
    h->trial = 0;
    h->log_len = 0;
    return h->log_failed ? CP_ERESOURCE : rc;
}
