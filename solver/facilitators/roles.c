/*
 * roles.c — who holds a role when the rubric has no quotas, and every
 * role's reserve list (with or without quotas).
 *   seats      each role keeps the seats of its band (rank.c), withdrawals
 *              included: a withdrawal frees a seat, it does not remove one;
 *   holders    roles are filled in the order of their bands (the band
 *              nearest the top first): each takes its seats from the top of
 *              its band down, skipping withdrawn nominees and those already
 *              holding a role.  Without withdrawals this is the bands; a
 *              withdrawn master trainer's seat goes to the next nominee in
 *              rank order, whose own seat goes to the next, and so on;
 *   reserve    a role's reserve list is who would take its next freed seat:
 *              from the top of its band down, nominees who have not
 *              withdrawn and hold neither it nor a role filled before it,
 *              in rank order, as many as the role has seats.  Under quotas
 *              the list is the same, and a re-run with withdrawn="true"
 *              chooses the holders again: the first on it that keeps the
 *              quotas, or, when none can (all men where a women's quota
 *              binds), the best-ranked nominee who can, from outside it
 *              (the page says so).
 * Work: O(N x roles).
 */
#include "facilitators.h"

#include <stdlib.h>

int cp_band_start(const cp_ranking *r, int role)
{
    int k;
    for (k = 0; k < r->ranked; k++)
        if (r->items[r->order[k]].band_role == role)
            return k + 1;
    return 0;
}

/* Roles by the first rank of their band (empty bands last), ties by rubric
 * order: the order in which seats are filled and reserve lists formed. */
static int *fill_order(const cp_ranking *r, int *start)
{
    int n = r->rubric->n_roles, k, j;
    int *order = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    if (!order)
        return NULL;
    for (k = 0; k < n; k++) {
        start[k] = cp_band_start(r, k);
        order[k] = k;
    }
    for (k = 1; k < n; k++) /* insertion sort: a handful of roles */
        for (j = k; j > 0; j--) {
            int a = order[j - 1], b = order[j];
            long sa = start[a] ? start[a] : 1L << 40, sb = start[b] ? start[b] : 1L << 40;
            if (sa <= sb)
                break;
            order[j - 1] = b;
            order[j] = a;
        }
    return order;
}

static int available(const cp_ranking *r, int c)
{
    return !r->candidates->items[c].withdrawn;
}

cp_code cp_fill_roles(cp_ranking *r, cp_error *err)
{
    int n = r->rubric->n_roles, k, j;
    int *start = cp_malloc((size_t)(n ? n : 1) * sizeof(int)), *order;
    if (!start || !(order = fill_order(r, start))) {
        cp_free(start);
        return cp_fail_nomem(err);
    }
    for (k = 0; k < r->ranked; k++)
        r->items[r->order[k]].role = -1;
    for (j = 0; j < n; j++) {
        int role = order[j], taken = 0;
        for (k = start[role] - 1; start[role] && k < r->ranked && taken < r->seats[role]; k++) {
            cp_ranked *it = &r->items[r->order[k]];
            if (available(r, r->order[k]) && it->role < 0) {
                it->role = role;
                taken++;
            }
        }
    }
    cp_free(order);
    cp_free(start);
    return CP_OK;
}

cp_code cp_reserve_lists(cp_ranking *r, cp_error *err)
{
    int n = r->rubric->n_roles, k, j;
    int *start = cp_malloc((size_t)(n ? n : 1) * sizeof(int)), *order = NULL;
    int *position = cp_malloc((size_t)(n ? n : 1) * sizeof(int)); /* of each role in order */
    r->n_reserve = cp_calloc((size_t)(n ? n : 1), sizeof(int));
    r->reserve = cp_calloc((size_t)(n ? n : 1), sizeof(int *));
    if (!start || !position || !r->n_reserve || !r->reserve || !(order = fill_order(r, start))) {
        cp_free(start);
        cp_free(position);
        return cp_fail_nomem(err);
    }
    for (j = 0; j < n; j++)
        position[order[j]] = j;
    for (j = 0; j < n; j++) {
        int seats = r->seats[j];
        if (!seats || !start[j])
            continue;
        if (!(r->reserve[j] = cp_malloc((size_t)seats * sizeof(int))))
            break;
        for (k = start[j] - 1; k < r->ranked && r->n_reserve[j] < seats; k++) {
            int c = r->order[k], held = r->items[c].role;
            if (available(r, c) && (held < 0 || position[held] > position[j]))
                r->reserve[j][r->n_reserve[j]++] = c;
        }
    }
    cp_free(order);
    cp_free(start);
    cp_free(position);
    return j < n ? cp_fail_nomem(err) : CP_OK;
}
