/*
 * rank.c — transparent scoring and ranking of facilitator candidates
 * (README, "Facilitator selection", is the definition this file follows):
 *   combined_c     raters' scores for criterion c, combined by its rule
 *   contribution_c weight_c * combined_c / max_c
 *   points_a       table points for the attribute's value, or per_unit *
 *                  value capped at max
 *   total          sum of contributions and points
 * Excluded: any failed requirement (all are listed), a missing score that
 * excludes, a region outside the targeted ones.  The rest are ordered by
 * total (to 6 decimals), then the tie-break keys, then id; rank is the
 * position, percentile = 100 (N - rank) / N, and the role is the first band
 * (rubric order) the percentile falls in.  With quotas, select.c then picks
 * the role holders.  Work: O(n log n + scores).
 */
#include "facilitators.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const gender_names[] = {"unspecified", "female", "male", "other"};

const char *cp_gender_name(cp_gender g)
{
    return (unsigned)g < 4 ? gender_names[g] : "unspecified";
}

cp_gender cp_gender_parse(const char *s)
{
    int k;
    for (k = 1; k < 4; k++)
        if (strcmp(s, gender_names[k]) == 0)
            return (cp_gender)k;
    return (cp_gender)-1;
}

const char *cp_candidate_attribute(const cp_candidate *c, const char *name)
{
    int k;
    for (k = 0; k < c->n_attributes; k++)
        if (strcmp(c->attributes[k].name, name) == 0)
            return c->attributes[k].value;
    return NULL;
}

/* ------------------------------------------------------------ messages */

static cp_code add_note(char ***list, int *count, const char *fmt, ...) CP_PRINTF(3, 4);

static cp_code add_note(char ***list, int *count, const char *fmt, ...)
{
    char buf[512], **grown;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    grown = cp_realloc(*list, (size_t)(*count + 1) * sizeof *grown);
    if (!grown)
        return CP_ERESOURCE;
    *list = grown;
    if (!(grown[*count] = cp_strdup(buf)))
        return CP_ERESOURCE;
    (*count)++;
    return CP_OK;
}

/* ------------------------------------------------------------- scoring */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Combines sorted rater scores.  A trimmed mean with too few scores to trim
 * (fewer than 2 trim + 1) falls back to the median, as documented. */
static double combine(const cp_criterion *c, const double *v, int n)
{
    double sum = 0.0;
    int k, lo = 0, hi = n;
    if (c->combine == CP_COMBINE_MEDIAN ||
        (c->combine == CP_COMBINE_TRIMMED_MEAN && n < 2 * c->trim + 1))
        return cp_sorted_median(v, n);
    if (c->combine == CP_COMBINE_TRIMMED_MEAN) {
        lo = c->trim;
        hi = n - c->trim;
    }
    for (k = lo; k < hi; k++)
        sum += v[k];
    return sum / (hi - lo);
}

typedef struct {
    const cp_candidate_set *set;
    const cp_rubric *rub;
    cp_ranking *r;
    cp_error *err;
    double *scratch; /* one criterion's scores of one candidate */
} ranker;

static int criterion_index(const cp_rubric *rub, const char *id)
{
    int k;
    for (k = 0; k < rub->n_criteria; k++)
        if (strcmp(rub->criteria[k].id, id) == 0)
            return k;
    return -1;
}

/* Every score names a criterion of the rubric and fits its maximum. */
static cp_code check_scores(const ranker *rk, const cp_candidate *c)
{
    int k;
    for (k = 0; k < c->n_scores; k++) {
        const cp_score *s = &c->scores[k];
        char value[40];
        int ci = criterion_index(rk->rub, s->criterion);
        if (ci < 0)
            return cp_fail_at(rk->err, rk->set->source, s->line, "score", "criterion",
                              s->criterion, "not a criterion of the rubric %s", rk->rub->source);
        cp_format_double(value, sizeof value, s->value);
        if (s->value > rk->rub->criteria[ci].max)
            return cp_fail_at(rk->err, rk->set->source, s->line, "score", "value", value,
                              "above the maximum %g of criterion %s", rk->rub->criteria[ci].max,
                              s->criterion);
    }
    return CP_OK;
}

static cp_code score_criterion(ranker *rk, int i, int ci)
{
    const cp_candidate *c = &rk->set->items[i];
    const cp_criterion *crit = &rk->rub->criteria[ci];
    cp_ranked *it = &rk->r->items[i];
    int k, n = 0;
    for (k = 0; k < c->n_scores; k++)
        if (strcmp(c->scores[k].criterion, crit->id) == 0)
            rk->scratch[n++] = c->scores[k].value;
    if (n == 0) {
        it->combined[ci] = crit->missing_excludes ? NAN : 0.0;
        it->contribution[ci] = 0.0;
        return crit->missing_excludes
                   ? add_note(&it->reasons, &it->n_reasons, "no score for criterion %s", crit->id)
                   : CP_OK;
    }
    qsort(rk->scratch, (size_t)n, sizeof(double), cmp_double);
    it->combined[ci] = combine(crit, rk->scratch, n);
    it->contribution[ci] = crit->weight * it->combined[ci] / crit->max;
    if (!isnan(crit->flag_spread) && rk->scratch[n - 1] - rk->scratch[0] > crit->flag_spread)
        return add_note(&it->flags, &it->n_flags,
                        "raters disagree on %s: %g to %g (spread %g above %g)", crit->id,
                        rk->scratch[0], rk->scratch[n - 1], rk->scratch[n - 1] - rk->scratch[0],
                        crit->flag_spread);
    return CP_OK;
}

static int table_level(const cp_points_rule *p, const char *value)
{
    int k;
    for (k = 0; value && k < p->n_values; k++)
        if (strcmp(p->values[k], value) == 0)
            return k;
    return -1;
}

static cp_code score_points(ranker *rk, int i, int pi)
{
    const cp_candidate *c = &rk->set->items[i];
    const cp_points_rule *p = &rk->rub->points[pi];
    const char *value = cp_candidate_attribute(c, p->attribute);
    double d, *out = &rk->r->items[i].points[pi];
    int level;
    *out = 0.0;
    if (!value)
        return CP_OK;
    if (isnan(p->per_unit)) {
        level = table_level(p, value);
        *out = level >= 0 ? p->points[level] : 0.0;
        return CP_OK;
    }
    if (cp_parse_double(value, &d))
        return cp_fail_at(rk->err, rk->set->source, c->line, "candidate", p->attribute, value,
                          "not a number, but the rubric gives points per unit of it");
    *out = fmin(p->per_unit * d, p->cap);
    return CP_OK;
}

/* ---------------------------------------------------------- requirements */

static int same_subject(const cp_requirement *a, const cp_requirement *b)
{
    if (a->attribute || b->attribute)
        return a->attribute && b->attribute && strcmp(a->attribute, b->attribute) == 0;
    if (a->criterion || b->criterion)
        return a->criterion && b->criterion && strcmp(a->criterion, b->criterion) == 0;
    return 1; /* both about the total */
}

/* A gender-specific requirement replaces the general one on the same
 * subject for that gender (the "lowered standards for women" rule). */
static int applies(const cp_rubric *rub, const cp_requirement *q, cp_gender g)
{
    int k;
    if (q->gender != CP_GENDER_UNSPECIFIED)
        return q->gender == g;
    for (k = 0; k < rub->n_requirements; k++)
        if (rub->requirements[k].gender == g && g != CP_GENDER_UNSPECIFIED &&
            same_subject(&rub->requirements[k], q))
            return 0;
    return 1;
}

static const cp_points_rule *table_for(const cp_rubric *rub, const char *attribute)
{
    int k;
    for (k = 0; k < rub->n_points; k++)
        if (strcmp(rub->points[k].attribute, attribute) == 0 && isnan(rub->points[k].per_unit))
            return &rub->points[k];
    return NULL;
}

static double subject_value(const ranker *rk, int i, const cp_requirement *q, const char *attr)
{
    double d;
    if (q->kind == CP_REQ_TOTAL)
        return rk->r->items[i].total;
    if (q->criterion)
        return rk->r->items[i].combined[criterion_index(rk->rub, q->criterion)];
    return attr && !cp_parse_double(attr, &d) ? d : NAN;
}

static int requirement_met(const ranker *rk, int i, const cp_requirement *q, const char *attr)
{
    int k;
    if (q->kind == CP_REQ_AT_LEAST) {
        const cp_points_rule *t = table_for(rk->rub, q->attribute);
        return table_level(t, attr) >= 0 && table_level(t, attr) >= table_level(t, q->level);
    }
    if (q->kind == CP_REQ_ONE_OF) {
        for (k = 0; attr && k < q->n_values; k++)
            if (strcmp(attr, q->values[k]) == 0)
                return 1;
        return 0;
    }
    return subject_value(rk, i, q, attr) >= q->min; /* NAN (missing) fails */
}

static const char *requirement_subject(const cp_requirement *q)
{
    return q->attribute ? q->attribute : q->criterion ? q->criterion : "total";
}

static cp_code note_failure(ranker *rk, int i, const cp_requirement *q, const char *attr)
{
    cp_ranked *it = &rk->r->items[i];
    const char *who = q->gender == CP_GENDER_UNSPECIFIED ? "" : cp_gender_name(q->gender);
    double v = subject_value(rk, i, q, attr);
    char shown[64];
    if (q->kind == CP_REQ_AT_LEAST || q->kind == CP_REQ_ONE_OF || isnan(v))
        snprintf(shown, sizeof shown, "%s", attr ? attr : "missing");
    else
        cp_format_double(shown, sizeof shown, v);
    if (q->kind == CP_REQ_AT_LEAST)
        return add_note(&it->reasons, &it->n_reasons, "%s %s is below %s%s%s (rubric line %d)",
                        q->attribute, shown, q->level, *who ? ", required of " : "", who, q->line);
    if (q->kind == CP_REQ_ONE_OF)
        return add_note(&it->reasons, &it->n_reasons, "%s %s is not an accepted value%s%s "
                        "(rubric line %d)", q->attribute, shown, *who ? ", required of " : "",
                        who, q->line);
    return add_note(&it->reasons, &it->n_reasons, "%s %s is below the minimum %g%s%s "
                    "(rubric line %d)", requirement_subject(q), shown, q->min,
                    *who ? " required of " : "", who, q->line);
}

static cp_code check_requirements(ranker *rk, int i)
{
    const cp_candidate *c = &rk->set->items[i];
    const cp_rubric *rub = rk->rub;
    int k, targeted = rub->n_targets == 0;
    for (k = 0; k < rub->n_requirements; k++) {
        const cp_requirement *q = &rub->requirements[k];
        const char *attr = q->attribute ? cp_candidate_attribute(c, q->attribute) : NULL;
        if (applies(rub, q, c->gender) && !requirement_met(rk, i, q, attr) &&
            note_failure(rk, i, q, attr))
            return CP_ERESOURCE;
    }
    for (k = 0; !targeted && k < rub->n_targets; k++)
        targeted = c->region && strcmp(c->region, rub->targets[k]) == 0;
    if (!targeted)
        return add_note(&rk->r->items[i].reasons, &rk->r->items[i].n_reasons,
                        "region %s is not a targeted region", c->region ? c->region : "(none)");
    return CP_OK;
}

static cp_code score_candidate(ranker *rk, int i)
{
    cp_ranked *it = &rk->r->items[i];
    int k;
    cp_code rc = check_scores(rk, &rk->set->items[i]);
    for (k = 0; !rc && k < rk->rub->n_criteria; k++)
        rc = score_criterion(rk, i, k);
    for (k = 0; !rc && k < rk->rub->n_points; k++)
        rc = score_points(rk, i, k);
    if (rc)
        return rc == CP_ERESOURCE ? cp_fail_nomem(rk->err) : rc;
    it->total = 0.0;
    for (k = 0; k < rk->rub->n_criteria; k++)
        it->total += it->contribution[k];
    for (k = 0; k < rk->rub->n_points; k++)
        it->total += it->points[k];
    if (check_requirements(rk, i))
        return cp_fail_nomem(rk->err);
    return CP_OK;
}

/* -------------------------------------------------------------- ordering */

/* Totals and keys compare at 6 decimals, so two sums of the same value in
 * a different order (28.8 + 10 and 30 + 8.8) tie as a person would expect. */
static long long key6(double v)
{
    return llround(v * 1e6);
}

static const ranker *sort_ctx; /* qsort has no context argument in C11 */

/* Compares a and b on tie-break key k: > 0 when a goes first. */
static int key_compare(const ranker *rk, int a, int b, const char *key)
{
    const cp_candidate *ca = &rk->set->items[a], *cb = &rk->set->items[b];
    int ci = criterion_index(rk->rub, key);
    const char *va, *vb;
    const cp_points_rule *t;
    double da, db;
    if (strcmp(key, "id") == 0)
        return -strcmp(ca->id, cb->id);
    if (ci >= 0) {
        long long x = key6(rk->r->items[a].contribution[ci]);
        long long y = key6(rk->r->items[b].contribution[ci]);
        return (x > y) - (x < y);
    }
    va = cp_candidate_attribute(ca, key);
    vb = cp_candidate_attribute(cb, key);
    if (!va || !vb)
        return (va != NULL) - (vb != NULL);
    if ((t = table_for(rk->rub, key)))
        return table_level(t, va) - table_level(t, vb);
    if (!cp_parse_double(va, &da) && !cp_parse_double(vb, &db))
        return (key6(da) > key6(db)) - (key6(da) < key6(db));
    return -strcmp(va, vb);
}

/* Published order: total, then the tie-break keys; 0 when they all tie. */
static int published_compare(const ranker *rk, int a, int b)
{
    long long x = key6(rk->r->items[a].total), y = key6(rk->r->items[b].total);
    int k, c;
    if (x != y)
        return x > y ? -1 : 1;
    for (k = 0; k < rk->rub->n_tie_keys; k++)
        if ((c = key_compare(rk, a, b, rk->rub->tie_keys[k])) != 0)
            return -c;
    return 0;
}

static int by_rank(const void *pa, const void *pb)
{
    int a = *(const int *)pa, b = *(const int *)pb;
    int ea = sort_ctx->r->items[a].n_reasons > 0, eb = sort_ctx->r->items[b].n_reasons > 0;
    int c;
    if (ea != eb)
        return ea - eb; /* ranked first, then the excluded */
    if (!ea && (c = published_compare(sort_ctx, a, b)) != 0)
        return c;
    return strcmp(sort_ctx->set->items[a].id, sort_ctx->set->items[b].id);
}

static int band_of(const cp_rubric *rub, int rank, int n)
{
    int k;
    double p = 100.0 * (n - rank);  /* percentile * n, exact for whole numbers */
    for (k = 0; k < rub->n_roles; k++) {
        const cp_role *role = &rub->roles[k];
        if (p >= role->min_percentile * n - 1e-9 * n &&
            (isinf(role->max_percentile) || p < role->max_percentile * n - 1e-9 * n))
            return k;
    }
    return -1;
}

static cp_code place(ranker *rk)
{
    cp_ranking *r = rk->r;
    int k;
    for (k = 0; k < r->n; k++)
        r->order[k] = k;
    sort_ctx = rk;
    qsort(r->order, (size_t)r->n, sizeof(int), by_rank);
    sort_ctx = NULL;
    for (k = 0; k < r->n && r->items[r->order[k]].n_reasons == 0; k++)
        r->ranked++;
    for (k = 0; k < r->ranked; k++) {
        cp_ranked *it = &r->items[r->order[k]];
        it->rank = k + 1;
        it->percentile = 100.0 * (r->ranked - it->rank) / r->ranked;
        it->band_role = it->role = band_of(rk->rub, it->rank, r->ranked);
        if (it->band_role >= 0)
            r->seats[it->band_role]++;
        if (k > 0 && published_compare(rk, r->order[k - 1], r->order[k]) == 0 &&
            add_note(&it->flags, &it->n_flags, "tied with %s on the total and every tie-break "
                     "key: ordered by id", rk->set->items[r->order[k - 1]].id))
            return cp_fail_nomem(rk->err);
    }
    return CP_OK;
}

/* --------------------------------------------------------------- driver */

void cp_ranking_free(cp_ranking *r)
{
    int k, j;
    if (!r)
        return;
    for (k = 0; r->items && k < r->n; k++) {
        for (j = 0; j < r->items[k].n_reasons; j++)
            cp_free(r->items[k].reasons[j]);
        for (j = 0; j < r->items[k].n_flags; j++)
            cp_free(r->items[k].flags[j]);
        cp_free(r->items[k].reasons);
        cp_free(r->items[k].flags);
    }
    if (r->items)
        cp_free(r->items[0].combined); /* one block for every candidate's numbers */
    for (k = 0; r->effects && k < r->rubric->n_quotas; k++) {
        cp_free(r->effects[k].displaced);
        cp_free(r->effects[k].admitted);
    }
    cp_free(r->effects);
    cp_free(r->items);
    cp_free(r->order);
    cp_free(r->seats);
    cp_free(r);
}

static cp_ranking *ranking_new(const cp_candidate_set *set, const cp_rubric *rub)
{
    size_t per = (size_t)(2 * rub->n_criteria + rub->n_points);
    cp_ranking *r = cp_calloc(1, sizeof *r);
    double *numbers;
    int k;
    if (!r)
        return NULL;
    r->candidates = set;
    r->rubric = rub;
    r->n = set->n;
    r->items = cp_calloc((size_t)(set->n ? set->n : 1), sizeof *r->items);
    r->order = cp_malloc((size_t)(set->n ? set->n : 1) * sizeof(int));
    r->seats = cp_calloc((size_t)(rub->n_roles ? rub->n_roles : 1), sizeof(int));
    numbers = r->items ? cp_calloc((size_t)(set->n ? set->n : 1) * (per ? per : 1),
                                   sizeof(double)) : NULL;
    if (!r->items || !r->order || !r->seats || !numbers) {
        cp_free(numbers);
        if (r->items)
            r->items[0].combined = NULL;
        cp_ranking_free(r);
        return NULL;
    }
    for (k = 0; k < set->n; k++) {
        r->items[k].combined = numbers + (size_t)k * per;
        r->items[k].contribution = r->items[k].combined + rub->n_criteria;
        r->items[k].points = r->items[k].contribution + rub->n_criteria;
        r->items[k].percentile = NAN;
        r->items[k].band_role = r->items[k].role = -1;
    }
    r->items[0].combined = numbers;
    return r;
}

static int most_scores(const cp_candidate_set *set)
{
    int k, most = 1;
    for (k = 0; k < set->n; k++)
        most = set->items[k].n_scores > most ? set->items[k].n_scores : most;
    return most;
}

cp_ranking *cp_rank(const cp_candidate_set *set, const cp_rubric *rub, cp_error *err)
{
    ranker rk;
    int k;
    cp_code rc = CP_OK;
    memset(&rk, 0, sizeof rk);
    rk.set = set;
    rk.rub = rub;
    rk.err = err;
    rk.r = ranking_new(set, rub);
    rk.scratch = cp_malloc((size_t)most_scores(set) * sizeof(double));
    if (!rk.r || !rk.scratch)
        rc = cp_fail_nomem(err);
    for (k = 0; !rc && k < set->n; k++)
        rc = score_candidate(&rk, k);
    if (!rc)
        rc = place(&rk);
    if (!rc && rub->n_quotas > 0)
        rc = cp_select_with_quotas(rk.r, err);
    cp_free(rk.scratch);
    if (rc) {
        cp_ranking_free(rk.r);
        return NULL;
    }
    return rk.r;
}
