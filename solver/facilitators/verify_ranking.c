/*
 * verify_ranking.c — `rank --verify`: a published ranking against the
 * recomputation from the candidates and rubric files.  The digests must
 * match the files given, and every candidate's total (to 6 decimals, the
 * precision ties are decided at), rank, role and exclusion must agree.
 * Work: O(n) lookups through a hash of ids.
 */
#include "facilitators.h"

#include <math.h>
#include <string.h>

static int same_total(double a, double b)
{
    return llround(a * 1e6) == llround(b * 1e6);
}

static cp_code compare_entry(const cp_published_entry *e, const cp_ranking *r, int c,
                             cp_warnings *diff)
{
    const cp_ranked *it = &r->items[c];
    const char *role = it->role >= 0 ? r->rubric->roles[it->role].name : NULL;
    cp_code rc = CP_OK;
    if (e->excluded != (it->rank == 0))
        return cp_warn(diff, "%s: published %s, recomputed %s", e->id,
                       e->excluded ? "excluded" : "ranked", it->rank ? "ranked" : "excluded");
    if (!same_total(e->total, it->total))
        rc = cp_warn(diff, "%s: published total %.6f, recomputed %.6f", e->id, e->total, it->total);
    if (!rc && e->rank != it->rank)
        rc = cp_warn(diff, "%s: published rank %d, recomputed %d", e->id, e->rank, it->rank);
    if (!rc && (role ? !e->role || strcmp(role, e->role) : e->role != NULL))
        rc = cp_warn(diff, "%s: published role %s, recomputed %s", e->id,
                     e->role ? e->role : "none", role ? role : "none");
    return rc;
}

int cp_ranking_verify(const cp_published_ranking *pub, const cp_ranking *r, cp_warnings *diff)
{
    cp_pool pool = {0};
    cp_intern ids;
    int k, before = diff->count, *seen = cp_calloc((size_t)(r->n ? r->n : 1), sizeof(int));
    cp_code rc = seen ? CP_OK : CP_ERESOURCE;
    cp_intern_init(&ids, &pool);
    for (k = 0; !rc && k < r->n; k++)
        rc = cp_intern_add(&ids, r->candidates->items[k].id,
                           strlen(r->candidates->items[k].id)) < 0;
    if (!rc && strcmp(pub->candidates_sha256, r->candidates->sha256))
        rc = cp_warn(diff, "candidates file: published SHA-256 %s, this file %s",
                     pub->candidates_sha256, r->candidates->sha256);
    if (!rc && strcmp(pub->rubric_sha256, r->rubric->sha256))
        rc = cp_warn(diff, "rubric file: published SHA-256 %s, this file %s",
                     pub->rubric_sha256, r->rubric->sha256);
    for (k = 0; !rc && k < pub->n; k++) {
        int c = cp_intern_find(&ids, pub->items[k].id, strlen(pub->items[k].id));
        if (c < 0)
            rc = cp_warn(diff, "%s: published, but not a candidate", pub->items[k].id);
        else if (seen[c]++)
            rc = cp_warn(diff, "%s: published twice", pub->items[k].id);
        else
            rc = compare_entry(&pub->items[k], r, c, diff);
    }
    for (k = 0; !rc && k < r->n; k++)
        if (!seen[k])
            rc = cp_warn(diff, "%s: a candidate missing from the published ranking",
                         r->candidates->items[k].id);
    cp_intern_clear(&ids);
    cp_pool_clear(&pool);
    cp_free(seen);
    return rc ? -1 : diff->count - before;
}
