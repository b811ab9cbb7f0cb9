/*
 * facilitators.c — `rank` (score, rank, select; or verify a published
 * ranking) and `assign` (facilitators to clusters).  Everything is computed
 * before the first output file is written.
 */
#include "cli.h"
#include "solver/model/model.h"

#include <math.h>
#include <string.h>
#include <strings.h>

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

/* A region quota whose region no nominee is from (as written): a typo
 * ("Nroth") or a region without nominees; its shortfall says so. */
static int no_one_from(const cp_ranking *r, const cp_quota *q)
{
    return q->region && !cp_some_region(r->candidates, q->region);
}

/* Seats a planner must hear about: those left empty (no one left who can
 * take them), ties that the id decided across a band's edge (two nominees
 * tied on the total and every tie-break key, in different bands), and
 * targets no nominee is from. */
static void print_seat_notes(const cp_ranking *r)
{
    const cp_rubric *rub = r->rubric;
    int k, j;
    for (k = 0; k < rub->n_roles; k++) {
        int holders = 0;
        for (j = 0; j < r->n; j++)
            holders += r->items[j].role == k;
        if (holders < r->seats[k])
            printf("  warning: role %s: %d of %d seats empty (no nominee left who can take "
                   "them%s)\n", rub->roles[k].name, r->seats[k] - holders, r->seats[k],
                   r->constrained ? " under the quotas" : "");
    }
    /* the id decides bands (by rank); the quotas may move the roles after */
    for (k = 1; k < r->ranked; k++) {
        const cp_ranked *above = &r->items[r->order[k - 1]], *it = &r->items[r->order[k]];
        if (it->tied_by_id && above->band_role != it->band_role)
            printf("  note: %s and %s tie on the total and every tie-break key, and the id "
                   "ordered them: %s falls in %s%s, %s in %s%s\n",
                   r->candidates->items[r->order[k - 1]].id, r->candidates->items[r->order[k]].id,
                   r->candidates->items[r->order[k - 1]].id, above->band_role >= 0 ? "band " : "",
                   above->band_role >= 0 ? rub->roles[above->band_role].name : "no band",
                   r->candidates->items[r->order[k]].id, it->band_role >= 0 ? "band " : "",
                   it->band_role >= 0 ? rub->roles[it->band_role].name : "no band");
    }
    for (k = 0; k < rub->n_targets; k++)
        if (!cp_some_region(r->candidates, rub->targets[k]))
            printf("  note: target region %s: no nominee is from it\n", rub->targets[k]);
}

static void print_summary(const cp_ranking *r)
{
    const cp_rubric *rub = r->rubric;
    int k;
    printf("%d candidates: %d ranked, %d excluded%s\n", r->n, r->ranked, r->n - r->ranked,
           r->constrained ? "; role holders chosen under the quotas" : "");
    if (r->withdrawn)
        printf("  %d ranked nominees withdrew: their seats passed down the reserve lists\n",
               r->withdrawn);
    for (k = 0; k < rub->n_roles; k++) {
        int j, holders = 0;
        for (j = 0; j < r->n; j++)
            holders += r->items[j].role == k;
        printf("  %-20s percentile > %-5g seats %d, holders %d\n", rub->roles[k].name,
               rub->roles[k].min_percentile, r->seats[k], holders);
    }
    print_seat_notes(r);
    for (k = 0; r->effects && k < rub->n_quotas; k++) {
        const cp_quota_effect *e = &r->effects[k];
        printf("  quota (rubric line %d): ", rub->quotas[k].line);
        if (e->needed && e->achieved < e->needed)
            printf("needs %d, achieved %d (SHORTFALL%s%s); ", e->needed, e->achieved,
                   no_one_from(r, &rub->quotas[k]) ? ": no nominee is from region " : "",
                   no_one_from(r, &rub->quotas[k]) ? rub->quotas[k].region : "");
        else if (e->needed)
            printf("needs %d, achieved %d; ", e->needed, e->achieved);
        printf("cost %+.*f points, displaced %d, admitted %d\n", rub->decimals, e->cost + 0.0,
               e->n_displaced, e->n_admitted);
    }
    for (k = 0; k < r->n_reliability; k++)
        printf("  raters on %s: Krippendorff's alpha %.3f over %d nominees: %s\n",
               rub->criteria[r->reliability[k].criterion].id, r->reliability[k].alpha,
               r->reliability[k].units, cp_alpha_reading(r->reliability[k].alpha));
}

/* A 64-digit hex string (either case: digests get copied from other
 * tools) that is not a file: a list digest. */
static int is_digest(const char *s)
{
    FILE *f;
    if (strlen(s) != 64 || strspn(s, "0123456789abcdefABCDEF") != 64)
        return 0;
    if ((f = fopen(s, "rb"))) {
        fclose(f);
        return 0;
    }
    return 1;
}

static int verify_digest(const cli_args *a, const cp_ranking *r)
{
    cp_error err;
    cp_publication *tree = cp_ranking_publish(r, 0, &err);
    const char *list, *pub;
    int rc;
    if (!tree)
        return cli_fail(&err);
    list = cp_pub_get(tree, 0, "list-sha256");
    pub = cp_pub_get(tree, 0, "public-sha256");
    if (!strcasecmp(a->verify, list) || !strcasecmp(a->verify, pub)) {
        printf("verified: %s is the list-sha256 of the %s recomputed from %s and %s "
               "(%d candidates)\n", a->verify,
               strcasecmp(a->verify, list) ? "public version" : "list",
               r->candidates->source, r->rubric->source, r->n);
        rc = 0;
    } else {
        printf("MISMATCH list digest: given %s, recomputed list-sha256 %s (public version %s)\n",
               a->verify, list, pub);
        rc = 1;
    }
    cp_publication_free(tree);
    return rc;
}

static int verify(const cli_args *a, const cp_ranking *r)
{
    cp_error err;
    cp_warnings diff = {0, 0, NULL};
    cp_publication *pub;
    int k, n;
    cp_error_clear(&err);
    if (is_digest(a->verify))
        return verify_digest(a, r);
    if (!(pub = cp_read_publication(a->verify, &err)))
        return cli_fail(&err);
    n = cp_ranking_verify(pub, r, &diff);
    for (k = 0; k < diff.count; k++)
        printf("MISMATCH %s\n", diff.items[k]);
    if (n == 0)
        printf("verified: %s (%s) matches the recomputation from %s and %s, field by field "
               "(%d candidates)\n", a->verify, pub->csv ? "CSV" : "XML", r->candidates->source,
               r->rubric->source, r->n);
    cp_warnings_free(&diff);
    cp_publication_free(pub);
    return n < 0 ? (fprintf(stderr, "clusterplan: out of memory\n"), 3) : n > 0 ? 1 : 0;
}

/* rank --diff OLD.xml NEW.xml */
static int rank_diff(const cli_args *a)
{
    cp_error err;
    cp_publication *p[2] = {NULL, NULL};
    cp_warnings lines = {0, 0, NULL};
    int k, n = -1, rc = 0;
    cp_error_clear(&err);
    if (a->n_positional != 2 || a->n_outputs || a->verify) {
        fprintf(stderr, "clusterplan: usage: rank --diff OLD.xml NEW.xml\n");
        return 2;
    }
    /* an edited file's figures would be read as the rubric's doing */
    for (k = 0; k < 2 && !rc; k++)
        if (!(p[k] = cp_read_publication(a->positional[k], &err)))
            rc = cli_fail(&err);
        else if (p[k]->csv) {
            fprintf(stderr, "clusterplan: %s: a CSV ranking; --diff compares the XML rankings "
                            "(they hold every figure)\n", a->positional[k]);
            rc = 2;
        } else if (cp_publication_check_own_digest(p[k], &err))
            rc = cli_fail(&err);
    if (!rc && (n = cp_publication_diff(p[0], p[1], &lines)) < 0)
        rc = 3, fprintf(stderr, "clusterplan: out of memory\n");
    for (k = 0; !rc && k < lines.count; k++)
        printf("%s\n", lines.items[k]);
    if (!rc)
        printf(n ? "%d lines of differences between %s and %s\n" : "%d differences: %s and %s "
               "publish the same list\n", n, a->positional[0], a->positional[1]);
    cp_warnings_free(&lines);
    cp_publication_free(p[0]);
    cp_publication_free(p[1]);
    return rc ? rc : n > 0;
}

int cmd_rank(const cli_args *a)
{
    cp_error err;
    cp_candidate_set *set = NULL;
    cp_rubric *rub = NULL;
    cp_ranking *r = NULL;
    const char *inputs[3];
    int rc = 0;
    cp_error_clear(&err);
    if (a->diff)
        return rank_diff(a);
    if (a->n_positional != 2) {
        fprintf(stderr, "clusterplan: usage: rank CANDIDATES RUBRIC [-o OUT]... [--public] "
                        "[--verify RANKING|DIGEST]\n");
        return 2;
    }
    if (a->verify && a->n_outputs) {
        fprintf(stderr, "clusterplan: --verify checks a published ranking and writes nothing: "
                        "drop the -o\n");
        return 2;
    }
    inputs[0] = a->positional[0];
    inputs[1] = a->positional[1];
    inputs[2] = a->verify;
    if (!rank_outputs_known(a))
        return 2;
    if (cli_check_targets(inputs, 3, a->outputs, a->n_outputs, &err))
        return cli_fail(&err);
    if (!(set = cp_read_candidates(a->positional[0], &err)) ||
        !(rub = cp_read_rubric(a->positional[1], &err)) || !(r = cp_rank(set, rub, &err)))
        rc = cli_fail(&err);
    if (!rc && a->public_version && !rub->private_fields && !a->quiet)
        fprintf(stderr, "warning: --public: %s marks no field private (<private fields=\"...\">), "
                        "so the public version is the full list\n", rub->source);
    if (!rc && a->verify)
        rc = verify(a, r);
    else if (!rc && !a->quiet)
        print_summary(r);
    if (!rc && !a->verify && a->n_outputs &&
        cp_write_rankings(a->outputs, a->n_outputs, r, a->public_version, &err))
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
    cp_assignment *zone_sup; /* supervisors per zone, when the layout has zones */
} assign_run;

static void assign_run_free(assign_run *r)
{
    cp_assignment_free(r->fac);
    cp_assignment_free(r->sup);
    cp_assignment_free(r->zone_sup);
    cp_published_ranking_free(r->pub);
    pipeline_close(&r->p);
}

/* --role and --supervisors name roles of the ranking: a typo would
 * silently assign nobody. */
static int check_roles(const assign_run *r, const cli_args *a)
{
    const char *asked[17];
    int k, n = 0;
    for (k = 0; k < a->n_roles; k++)
        asked[n++] = a->roles[k];
    if (a->supervisor_role)
        asked[n++] = a->supervisor_role;
    for (k = 0; k < n; k++)
        if (cp_published_role(r->pub, asked[k]) < 0) {
            int j;
            fprintf(stderr, "clusterplan: %s \"%s\": not a role of %s (its roles:",
                    k < a->n_roles ? "--role" : "--supervisors", asked[k], r->pub->source);
            for (j = 0; j < r->pub->n_roles; j++)
                fprintf(stderr, " %s", r->pub->roles[j]);
            fprintf(stderr, "%s)\n", r->pub->n_roles ? "" : " none");
            return 2;
        }
    return 0;
}

/* Whether this run places holders of the role: a --role, else every role
 * but --supervisors'; and --supervisors'. */
static int role_asked(const cli_args *a, const char *role)
{
    int k;
    if (a->supervisor_role && !strcmp(role, a->supervisor_role))
        return 1;
    for (k = 0; k < a->n_roles; k++)
        if (!strcmp(role, a->roles[k]))
            return 1;
    return a->n_roles == 0;
}

/* Holders of the roles placed who name no school cannot be placed: every
 * one would count as "outside this instance".  A public version whose
 * rubric keeps the school private is the usual cause; in a full list the
 * school is optional, and a holder of a role not placed here may lack it. */
static int check_schools(const cp_published_ranking *pub, const cli_args *a)
{
    const char *public_version = cp_pub_get(pub->records, 0, "public");
    int k;
    for (k = 0; k < pub->n; k++)
        if (pub->items[k].role && !pub->items[k].excluded && !pub->items[k].school &&
            role_asked(a, pub->items[k].role)) {
            fprintf(stderr, "clusterplan: %s:%d: <candidate id=\"%s\"> holds a role but names no "
                            "school%s\n", pub->source, pub->items[k].line, pub->items[k].id,
                    public_version && !strcmp(public_version, "true")
                        ? ": this is the public version, and its rubric keeps the school private; "
                          "assign needs the full list (rank without --public)"
                        : ": give the school in the candidates file and rank again, or leave its "
                          "role out (--role)");
            return 2;
        }
    return 0;
}

static int assign_load(assign_run *r, const cli_args *a)
{
    pipeline_job job = cli_job(a, a->positional[0], LAYOUT_READ);
    const char *inputs[4] = {a->positional[0], a->positional[1], a->positional[2],
                             a->scenario_path};
    job.layout_path = a->positional[1];
    if (cli_check_targets(inputs, 4, a->outputs, a->n_outputs, &r->p.err) ||
        pipeline_open(&r->p, &job) || !(r->pub = cp_read_ranking(a->positional[2], &r->p.err)))
        return cli_fail(&r->p.err);
    return check_roles(r, a) ? 2 : check_schools(r->pub, a);
}

/* The zones' supervisors as one per cluster (each cluster gets its zone's),
 * so the outputs list them beside each cluster's facilitator. */
static cp_assignment *per_cluster(const cp_layout *lay, const cp_assignment *z, cp_error *err)
{
    cp_assignment *x = cp_calloc(1, sizeof *x);
    size_t n = (size_t)(lay->n_clusters ? lay->n_clusters : 1);
    int k;
    if (x) {
        x->facilitator = cp_malloc(n * sizeof(int));
        x->travel = cp_malloc(n * sizeof(double));
        x->inside = cp_calloc(n, sizeof(int));
        x->elsewhere_entry = cp_malloc((size_t)(z->elsewhere ? z->elsewhere : 1) * sizeof(int));
    }
    if (!x || !x->facilitator || !x->travel || !x->inside || !x->elsewhere_entry) {
        cp_assignment_free(x);
        cp_fail_nomem(err);
        return NULL;
    }
    x->n_clusters = lay->n_clusters;
    for (k = 0; k < lay->n_clusters; k++) {
        int zone = lay->zones->zone_of[k];
        x->facilitator[k] = zone >= 0 ? z->facilitator[zone] : -1;
        x->travel[k] = zone >= 0 ? z->travel[zone] : NAN;
        x->covered += x->facilitator[k] >= 0;
    }
    for (k = 0; k < z->shortfalls.count; k++) /* the outputs list them with the clusters */
        if (cp_warn(&x->shortfalls, "%s", z->shortfalls.items[k])) {
            cp_assignment_free(x);
            cp_fail_nomem(err);
            return NULL;
        }
    x->facilitators = z->facilitators;
    x->elsewhere = z->elsewhere;
    memcpy(x->elsewhere_entry, z->elsewhere_entry, (size_t)z->elsewhere * sizeof(int));
    x->total_travel = z->total_travel;
    x->optimal = z->optimal;
    return x;
}

/* --supervisors over a layout with zones: one zonal facilitator per zone
 * (README "Zones"), assigned like facilitators to the zone's centre. */
static int assign_zones(assign_run *r, cp_assign_options *so)
{
    pipeline *p = &r->p;
    cp_layout *zl = cp_zone_layout(p->lay, &p->err);
    if (!zl)
        return cli_fail(&p->err);
    if (!so->per_facilitator)
        so->per_facilitator = 1;
    so->group_noun = "zone";
    r->zone_sup = cp_assign(p->inst, &p->sc, zl, r->pub, so, p->dist, &p->err);
    cp_layout_free(zl);
    if (!r->zone_sup || !(r->sup = per_cluster(p->lay, r->zone_sup, &p->err)))
        return cli_fail(&p->err);
    return 0;
}

static int assign_compute(assign_run *r, const cli_args *a)
{
    /* without --role, supervisors are not also facilitators */
    cp_assign_options fo = {a->roles, a->n_roles, a->per_facilitator, 1, a->supervisor_role,
                            NULL, NULL};
    const char *sup_role[1];
    int k;
    pipeline *p = &r->p;
    if (!(r->fac = cp_assign(p->inst, &p->sc, p->lay, r->pub, &fo, p->dist, &p->err)))
        return cli_fail(&p->err);
    if (a->supervisor_role) {
        cp_assign_options so = {sup_role, 1, a->per_supervisor, 0, NULL, "supervisor", NULL};
        int holders = 0;
        sup_role[0] = a->supervisor_role;
        if (p->lay->zones)
            return assign_zones(r, &so);
        for (k = 0; k < r->pub->n; k++)
            holders += r->pub->items[k].role && !strcmp(r->pub->items[k].role, a->supervisor_role);
        if (!so.per_facilitator) /* balanced: the fewest clusters each that covers them all */
            so.per_facilitator = holders ? (p->lay->n_clusters + holders - 1) / holders : 1;
        if (!(r->sup = cp_assign(p->inst, &p->sc, p->lay, r->pub, &so, p->dist, &p->err)))
            return cli_fail(&p->err);
    }
    return 0;
}

/* Holders whose school is not in the instance named on the terminal (the
 * XML and HTML outputs list them all). */
#define ELSEWHERE_SHOWN 10

/* One line of totals per kind of role holder, the first ELSEWHERE_SHOWN
 * holders outside the instance, and every shortfall. */
static void assign_print(const char *what, const cp_assignment *x, const cp_published_ranking *pub,
                         int groups, const char *noun)
{
    int k;
    printf("%s: %d available (%d more outside this instance); %d of %d %ss covered, "
           "%d from inside their %s; travel %.2f; %s\n", what, x->facilitators,
           x->elsewhere, x->covered, groups, noun, x->inside_count, noun, x->total_travel,
           x->optimal ? "proven optimal" : "not proven");
    if (x->elsewhere > 0) {
        printf("  outside this instance (their school is not one of its schools):");
        for (k = 0; k < x->elsewhere && k < ELSEWHERE_SHOWN; k++) {
            const cp_published_entry *e = &pub->items[x->elsewhere_entry[k]];
            printf("%s %s (school %s)", k ? "," : "", e->id, e->school ? e->school : "none");
        }
        if (x->elsewhere > ELSEWHERE_SHOWN)
            printf(", and %d more (the XML and HTML outputs list them all)",
                   x->elsewhere - ELSEWHERE_SHOWN);
        printf("\n");
    }
    for (k = 0; k < x->shortfalls.count; k++)
        printf("  shortfall: %s\n", x->shortfalls.items[k]);
}

int cmd_assign(const cli_args *a)
{
    assign_run r;
    int rc;
    memset(&r, 0, sizeof r);
    if (a->n_positional != 3) {
        fprintf(stderr, "clusterplan: usage: assign INSTANCE SOLUTION RANKING [-s SCENARIO] "
                        "[-o OUT]\n");
        return 2;
    }
    if (a->per_supervisor && !a->supervisor_role) {
        fprintf(stderr, "clusterplan: --per-supervisor %d places supervisors, and none are asked "
                        "for: add --supervisors ROLE\n", a->per_supervisor);
        return 2;
    }
    if (!rank_outputs_known(a))
        return 2;
    rc = assign_load(&r, a);
    if (!rc)
        rc = assign_compute(&r, a);
    cli_print_warnings(a, &r.p.warn);
    if (!rc && !a->quiet) {
        assign_print("facilitators", r.fac, r.pub, r.p.lay->n_clusters, "cluster");
        if (r.zone_sup) {
            assign_print("zonal supervisors (one per zone)", r.zone_sup, r.pub, r.p.lay->zones->n_zones,
                         "zone");
            printf("  so %d of %d clusters have a supervisor (the outputs list them by "
                   "cluster)\n", r.sup->covered, r.p.lay->n_clusters);
        } else if (r.sup) {
            assign_print("supervisors", r.sup, r.pub, r.p.lay->n_clusters, "cluster");
        }
    }
    if (!rc && a->n_outputs &&
        cp_write_assignments(a->outputs, a->n_outputs, r.p.inst, r.p.lay, r.pub, r.fac, r.sup,
                             &r.p.err))
        rc = cli_fail(&r.p.err);
    assign_run_free(&r);
    return rc;
}

/* ---------------------------------------------------------------- validate */

/* A ranking read (cp_read_ranking has checked its own digest against its
 * content): what it states.  0, or the exit code. */
static int ranking_self_check(const cli_args *a, const cp_published_ranking *pub)
{
    cp_error err;
    const cp_publication *p = pub->records;
    const char *name = cp_publication_own_digest_name(p);
    const char *claimed = cp_pub_get(p, 0, name);
    char hex[65];
    if (!claimed && cp_publication_digest(p, hex, &err))
        return cli_fail(&err);
    if (!a->quiet)
        printf("%s: ranking of %d candidates; %s %s %s its content (rank --verify checks "
               "every figure against the candidates and rubric)\n", p->source, pub->n, name,
               claimed ? claimed : hex, claimed ? "matches" : "(not stated) of");
    return 0;
}

/* A ranking's CSV: its rows read, but its digests are the XML list's,
 * which its rows do not hold, so only rank --verify can check it.
 * Returns 1 (with *rc) when path is a CSV. */
static int ranking_csv(const cli_args *a, const char *path, int *rc)
{
    cp_error err;
    cp_publication *p;
    int k, rows = 0;
    cp_error_clear(&err);
    if (!(p = cp_read_publication(path, &err))) {
        *rc = cli_fail(&err);
        return 1;
    }
    if (!p->csv) {
        cp_publication_free(p);
        return 0;
    }
    for (k = 0; k < p->n; k++)
        rows += !strcmp(p->items[k].element, "row");
    if (!a->quiet)
        printf("%s: a CSV ranking of %d rows; its list-sha256 %s is the XML list's, which the "
               "rows do not hold: rank CANDIDATES RUBRIC --verify %s checks every figure\n", path,
               rows, cp_pub_get(p, p->n - 1, "list-sha256") ? cp_pub_get(p, p->n - 1, "list-sha256")
                                                            : "(not stated)", path);
    cp_publication_free(p);
    *rc = 0;
    return 1;
}

int validate_facilitator_file(const cli_args *a, const char *path, cp_file_kind kind)
{
    cp_error err;
    cp_candidate_set *set = NULL;
    cp_rubric *rub = NULL;
    cp_published_ranking *pub = NULL;
    int ok, rc = 0;
    cp_error_clear(&err);
    if (kind == CP_FILE_RANKING && ranking_csv(a, path, &rc))
        return rc;
    if (kind == CP_FILE_CANDIDATES)
        ok = (set = cp_read_candidates(path, &err)) != NULL;
    else if (kind == CP_FILE_RUBRIC)
        ok = (rub = cp_read_rubric(path, &err)) != NULL;
    else
        ok = (pub = cp_read_ranking(path, &err)) != NULL;
    if (ok && set && !a->quiet)
        printf("%s: valid candidates (candidates.xsd and model rules), %d candidates, %d "
               "raters declared, %d recusals; SHA-256 %s\n", path, set->n, set->n_raters,
               set->n_recusals, set->sha256);
    else if (ok && rub && !a->quiet)
        printf("%s: valid rubric (rubric.xsd and model rules), %d criteria, %d roles, "
               "%d quotas; SHA-256 %s\n", path, rub->n_criteria, rub->n_roles, rub->n_quotas,
               rub->sha256);
    else if (ok && pub)
        rc = ranking_self_check(a, pub);
    cp_candidate_set_free(set);
    cp_rubric_free(rub);
    cp_published_ranking_free(pub);
    return ok ? rc : cli_fail(&err);
}
