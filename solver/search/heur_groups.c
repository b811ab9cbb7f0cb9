/*
 * heur_groups.c — neighbourhood "groups": school i's cluster is short of a
 * study group (README "Study groups"), so schools that bring teachers of a
 * missing group join it, nearest first: unassigned ones, and members of
 * other clusters that can spare them (above the size minimum, and not put
 * short of a group themselves).  Kept when the score improves (hard groups:
 * the cluster's schools count as placed again; soft: one more cluster hosts
 * every group), rolled back otherwise.  Only with study groups.
 * Work: the cluster's admissible members once, O(groups) each.
 *
 * Registry: "groups", tried 9th (neighbourhoods.c).
 * Parameters: none.
 */
#include "heur.h"

static const double *teachers_of(const hstate *h, const double *base, int i)
{
    return base + (size_t)i * (size_t)h->n_groups;
}

/* Whether k has teachers of a group cluster c lacks. */
static int brings_missing(const hstate *h, int k, int c)
{
    const double *t = teachers_of(h, h->gteach, k), *load = teachers_of(h, h->gload, c);
    int g;
    for (g = 0; g < h->n_groups; g++)
        if (load[g] < h->gmin[g] - 1e-9 && t[g] > 0)
            return 1;
    return 0;
}

/* Whether cluster a (not short) stays whole without member k. */
static int can_spare(const hstate *h, int a, int k)
{
    const double *t = teachers_of(h, h->gteach, k), *load = teachers_of(h, h->gload, a);
    int g;
    if (h->size[a] <= h->size_min)
        return 0;
    for (g = 0; g < h->n_groups && !h->short_of[a]; g++)
        if (load[g] - t[g] < h->gmin[g] - 1e-9)
            return 0;
    return 1;
}

int heur_fill_groups(hstate *h, int c)
{
    int p;
    for (p = h->rstart[c]; h->n_groups > 0 && p < h->rstart[c + 1] && h->short_of[c]; p++) {
        int k = h->rmember[p], a = h->centre[k];
        if (a == c || a == k || !heur_fits(h, c, k) || !brings_missing(h, k, c))
            continue;
        if (a >= 0 && !can_spare(h, a, k))
            continue;
        if (!(a >= 0 ? heur_relocate(h, k, c, h->rdist[p]) : heur_assign(h, k, c, h->rdist[p])))
            return 0;
    }
    return 1;
}

static int complete(hstate *h, int c)
{
    long mark = h->log_len;
    hscore before = h->score;
    if (!heur_fill_groups(h, c))
        return -1;
    if (!heur_better(h->score, before)) {
        heur_rollback(h, mark); /* nothing queued yet: a fruitless try leaves no trace */
        return 0;
    }
    for (; mark < h->log_len; mark++) /* the clusters that gave a school */
        if (h->log[mark].op == H_UNASSIGN)
            heur_push_around(h, h->log[mark].centre);
    heur_push_around(h, c);
    return 1;
}

int heur_try_groups(hstate *h, int i)
{
    int c = h->centre[i];
    if (h->n_groups == 0 || c < 0 || !h->short_of[c])
        return 0;
    return complete(h, c);
}
