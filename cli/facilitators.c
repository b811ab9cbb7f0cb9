/*
 * facilitators.c — `rank` (score, rank, select; or verify a published
 * ranking) and `assign` (facilitators to clusters).  Everything is computed
 * before the first output file is written.
 */
#include "cli.h"

#include <math.h>
#include <string.h>

static int rank_outputs_known(const cli_args *a)
{
    int k;
    for (k = 0; k < a->n_outputs; k++) {
        const char *ext = strrchr(a->outputs[k], '.');
        if (strcmp(a->outputs[k], "-") &&
            (!ext || (strcmp(ext, ".xml") && strcmp(ext, ".csv") && strcmp(ext, ".html")))) {
            fprintf(stderr, "clusterplan: %s: expected a .xml, .csv or .html output\n",
                    a->outputs[k]);
            return 0;
        }
    }
    return 1;
}

static void print_summary(const cp_ranking *r)
{
    const cp_rubric *rub = r->rubric;
    int k;
    printf("%d candidates: %d ranked, %d excluded%s\n", r->n, r->ranked, r->n - r->ranked,
           r->constrained ? "; role holders chosen under the quotas" : "");
    for (k = 0; k < rub->n_roles; k++) {
        int j, holders = 0;
        for (j = 0; j < r->n; j++)
            holders += r->items[j].role == k;
        printf("  %-20s percentile >= %-5g seats %d, holders %d\n", rub->roles[k].name,
               rub->roles[k].min_percentile, r->seats[k], holders);
    }
    for (k = 0; r->effects && k < rub->n_quotas; k++) {
        const cp_quota_effect *e = &r->effects[k];
        printf("  quota (rubric line %d): ", rub->quotas[k].line);
        if (e->needed)
            printf("needs %d, achieved %d%s; ", e->needed, e->achieved,
                   e->achieved < e->needed ? " (SHORTFALL)" : "");
        printf("cost %.4g points, displaced %d, admitted %d\n", e->cost, e->n_displaced,
               e->n_admitted);
    }
}

static int verify(const cli_args *a, const cp_ranking *r)
{
    cp_error err;
    cp_warnings diff = {0, 0, NULL};
    cp_published_ranking *pub;
    int k, n;
    cp_error_clear(&err);
    if (!(pub = cp_read_ranking(a->verify, &err)))
        return cli_fail(&err);
    n = cp_ranking_verify(pub, r, &diff);
    for (k = 0; k < diff.count; k++)
        printf("MISMATCH %s\n", diff.items[k]);
    if (n == 0)
        printf("verified: %s matches the recomputation from %s and %s (%d candidates)\n",
               a->verify, r->candidates->source, r->rubric->source, r->n);
    cp_warnings_free(&diff);
    cp_published_ranking_free(pub);
    return n < 0 ? 3 : n > 0 ? 1 : 0;
}

int cmd_rank(const cli_args *a)
{
    cp_error err;
    cp_candidate_set *set = NULL;
    cp_rubric *rub = NULL;
    cp_ranking *r = NULL;
    int k, rc = 0;
    cp_error_clear(&err);
    if (a->n_positional != 2) {
        fprintf(stderr, "clusterplan: usage: rank CANDIDATES RUBRIC [-o OUT] [--verify RANKING]\n");
        return 2;
    }
    if (!rank_outputs_known(a))
        return 2;
    if (!(set = cp_read_candidates(a->positional[0], &err)) ||
        !(rub = cp_read_rubric(a->positional[1], &err)) || !(r = cp_rank(set, rub, &err)))
        rc = cli_fail(&err);
    if (!rc && a->verify)
        rc = verify(a, r);
    else if (!rc && !a->quiet)
        print_summary(r);
    for (k = 0; !rc && !a->verify && k < a->n_outputs; k++)
        if (cp_write_ranking(a->outputs[k], r, &err))
            rc = cli_fail(&err);
    cp_ranking_free(r);
    cp_rubric_free(rub);
    cp_candidate_set_free(set);
    return rc;
}

/* ----------------------------------------------------------------- assign */

/* The pipeline's instance, scenario and solution (read and evaluated, as
 * evaluate does), and the published ranking whose role holders go to the
 * clusters. */
typedef struct {
    pipeline p;
    cp_published_ranking *pub;
    cp_assignment *fac, *sup;
} assign_run;

static void assign_run_free(assign_run *r)
{
    cp_assignment_free(r->fac);
    cp_assignment_free(r->sup);
    cp_published_ranking_free(r->pub);
    pipeline_close(&r->p);
}

static int assign_load(assign_run *r, const cli_args *a)
{
    pipeline_job job = cli_job(a, a->positional[0], LAYOUT_READ);
    job.layout_path = a->positional[1];
    if (pipeline_open(&r->p, &job) || !(r->pub = cp_read_ranking(a->positional[2], &r->p.err)))
        return cli_fail(&r->p.err);
    return 0;
}

static int assign_compute(assign_run *r, const cli_args *a)
{
    /* without --role, supervisors are not also facilitators */
    cp_assign_options fo = {a->roles, a->n_roles, a->per_facilitator, 1, a->supervisor_role};
    const char *sup_role[1];
    int k;
    pipeline *p = &r->p;
    if (!(r->fac = cp_assign(p->inst, &p->sc, p->lay, r->pub, &fo, p->dist, &p->err)))
        return cli_fail(&p->err);
    if (a->supervisor_role) {
        cp_assign_options so = {sup_role, 1, a->per_supervisor, 0, NULL};
        int holders = 0;
        sup_role[0] = a->supervisor_role;
        for (k = 0; k < r->pub->n; k++)
            holders += r->pub->items[k].role && !strcmp(r->pub->items[k].role, a->supervisor_role);
        if (!so.per_facilitator) /* balanced: the fewest clusters each that covers them all */
            so.per_facilitator = holders ? (p->lay->n_clusters + holders - 1) / holders : 1;
        if (!(r->sup = cp_assign(p->inst, &p->sc, p->lay, r->pub, &so, p->dist, &p->err)))
            return cli_fail(&p->err);
    }
    return 0;
}

static void assign_print(const char *what, const cp_assignment *x, int clusters)
{
    int k;
    printf("%s: %d available (%d more outside this instance); %d of %d clusters covered, "
           "%d from inside their cluster; travel %.2f; %s\n", what, x->facilitators,
           x->elsewhere, x->covered, clusters, x->inside_count, x->total_travel,
           x->optimal ? "proven optimal" : "not proven");
    for (k = 0; k < x->shortfalls.count; k++)
        printf("  shortfall: %s\n", x->shortfalls.items[k]);
}

int cmd_assign(const cli_args *a)
{
    assign_run r;
    int k, rc;
    memset(&r, 0, sizeof r);
    if (a->n_positional != 3) {
        fprintf(stderr, "clusterplan: usage: assign INSTANCE SOLUTION RANKING [-s SCENARIO] "
                        "[-o OUT]\n");
        return 2;
    }
    if (!rank_outputs_known(a))
        return 2;
    rc = assign_load(&r, a);
    if (!rc)
        rc = assign_compute(&r, a);
    cli_print_warnings(a, &r.p.warn);
    if (!rc && !a->quiet) {
        assign_print("facilitators", r.fac, r.p.lay->n_clusters);
        if (r.sup)
            assign_print("supervisors", r.sup, r.p.lay->n_clusters);
    }
    for (k = 0; !rc && k < a->n_outputs; k++)
        if (cp_write_assignment(a->outputs[k], r.p.inst, r.p.lay, r.pub, r.fac, r.sup, &r.p.err))
            rc = cli_fail(&r.p.err);
    assign_run_free(&r);
    return rc;
}

/* ---------------------------------------------------------------- validate */

int validate_facilitator_file(const cli_args *a, const char *path, cp_file_kind kind)
{
    cp_error err;
    cp_candidate_set *set = NULL;
    cp_rubric *rub = NULL;
    cp_published_ranking *pub = NULL;
    int ok;
    cp_error_clear(&err);
    if (kind == CP_FILE_CANDIDATES)
        ok = (set = cp_read_candidates(path, &err)) != NULL;
    else if (kind == CP_FILE_RUBRIC)
        ok = (rub = cp_read_rubric(path, &err)) != NULL;
    else
        ok = (pub = cp_read_ranking(path, &err)) != NULL;
    if (ok && !a->quiet) {
        if (set)
            printf("%s: valid candidates (candidates.xsd and model rules), %d candidates; "
                   "SHA-256 %s\n", path, set->n, set->sha256);
        else if (rub)
            printf("%s: valid rubric (rubric.xsd and model rules), %d criteria, %d roles, "
                   "%d quotas; SHA-256 %s\n", path, rub->n_criteria, rub->n_roles, rub->n_quotas,
                   rub->sha256);
        else
            printf("%s: ranking of %d candidates (rank --verify checks its numbers)\n", path,
                   pub->n);
    }
    cp_candidate_set_free(set);
    cp_rubric_free(rub);
    cp_published_ranking_free(pub);
    return ok ? 0 : cli_fail(&err);
}
