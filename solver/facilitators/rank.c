/*
 * rank.c — transparent scoring and ranking of facilitator candidates
 * (README, "Facilitator selection", is the definition this file follows):
 *   combined_c     raters' scores for criterion c (those not excluded for
 *                  a conflict of interest), combined by its rule
 *   contribution_c weight_c * combined_c / max_c
 *   points_a       table points for the attribute's value, or per_unit *
 *                  value capped at max
 *   total          sum of contributions and points
 * Every combined score, contribution and points value is rounded to the
 * rubric's decimals before it is used, and the total is the sum of the
 * rounded figures: what is printed is what is computed, and adds up.
 * Excluded: any failed requirement (all are listed), a missing score that
 * excludes, a region outside the targeted ones.  The rest are ordered by
 * total, then the tie-break keys, then id; rank is the position, percentile
 * = 100 (N - rank + 1) / N (the share ranked at or below), and the band is
 * the first role (rubric order) with min < percentile <= max, so a role of
 * min-percentile p has ceil((100 - p) / 100 * N) seats counted from the top.
 * Then roles.c (or select.c, with quotas) picks the role holders.  Names
 * the rubric uses that no nominee can have, and attribute values not in a
 * points table, are input errors.  Work: O(n log n + scores).
 */
#include "facilitators.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
    double *scratch;     /* one criterion's scores of one candidate */
    int *recusal_first;  /* per candidate: its first recusal, -1 none */
    int *recusal_next;   /* per recusal: the same nominee's next, -1 none */
    cp_pool pool;
    cp_intern rater_ids; /* declared rater id -> index */
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

/* Why rater `rater` may not score candidate i: a recusal listed in the
 * candidates file, or the rater's school is the nominee's (CP_SCORE_USED
 * when neither).  *line is the recusal's line. */
static cp_score_use conflict(const ranker *rk, int i, const char *rater, int *line)
{
    const cp_candidate_set *set = rk->set;
    const cp_candidate *c = &set->items[i];
    int k, t;
    for (k = rk->recusal_first[i]; k >= 0; k = rk->recusal_next[k])
        if (strcmp(set->recusals[k].rater, rater) == 0) {
            *line = set->recusals[k].line;
            return CP_SCORE_RECUSED;
        }
    t = set->n_raters ? cp_intern_find(&rk->rater_ids, rater, strlen(rater)) : -1;
    if (t >= 0 && set->raters[t].school && c->school && !strcmp(set->raters[t].school, c->school))
        return CP_SCORE_SAME_SCHOOL;
    return CP_SCORE_USED;
}

static cp_code note_conflict(ranker *rk, int i, const cp_score *s, cp_score_use use, int line)
{
    cp_ranked *it = &rk->r->items[i];
    char value[40];
    cp_format_double(value, sizeof value, s->value);
    if (use == CP_SCORE_SAME_SCHOOL)
        return add_note(&it->flags, &it->n_flags, "%s score %s by %s excluded: the rater works at "
                        "the nominee's school %s (conflict of interest)", s->criterion, value,
                        s->rater, rk->set->items[i].school);
    return add_note(&it->flags, &it->n_flags, "%s score %s by %s excluded: the rater recused "
                    "(conflict of interest declared on line %d of the candidates file)",
                    s->criterion, value, s->rater, line);
}

static cp_code score_criterion(ranker *rk, int i, int ci)
{
    const cp_candidate *c = &rk->set->items[i];
    const cp_criterion *crit = &rk->rub->criteria[ci];
    cp_ranked *it = &rk->r->items[i];
    int k, n = 0, excluded = 0, d = rk->rub->decimals;
    for (k = 0; k < c->n_scores; k++) {
        const cp_score *s = &c->scores[k];
        int line = 0;
        if (strcmp(s->criterion, crit->id) != 0)
            continue;
        it->score_use[k] = (unsigned char)(s->rater ? conflict(rk, i, s->rater, &line)
                                                    : CP_SCORE_USED);
        if (it->score_use[k] == CP_SCORE_USED)
            rk->scratch[n++] = s->value;
        else if (excluded++, note_conflict(rk, i, s, (cp_score_use)it->score_use[k], line))
            return CP_ERESOURCE;
    }
    if (n == 0) {
        it->combined[ci] = crit->missing_excludes ? NAN : 0.0;
        it->contribution[ci] = 0.0;
        if (!crit->missing_excludes)
            return CP_OK;
        return add_note(&it->reasons, &it->n_reasons, "no %sscore for criterion %s; the rubric "
                        "excludes nominees without one (missing=\"exclude\", line %d)",
                        excluded ? "usable " : "", crit->id, crit->line);
    }
    qsort(rk->scratch, (size_t)n, sizeof(double), cmp_double);
    it->combined[ci] = cp_round_decimals(combine(crit, rk->scratch, n), d);
    it->contribution[ci] = cp_round_decimals(crit->weight * it->combined[ci] / crit->max, d);
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
    if (!value) /* 0 points, as for the lowest level: flagged, not passed off as a value */
        return add_note(&rk->r->items[i].flags, &rk->r->items[i].n_flags,
                        "no %s given: 0 points from the rubric's %s points", p->attribute,
                        p->attribute) ? cp_fail_nomem(rk->err) : CP_OK;
    if (isnan(p->per_unit)) {
        level = table_level(p, value);
        *out = level >= 0 ? cp_round_decimals(p->points[level], rk->rub->decimals) : 0.0;
        return CP_OK;
    }
    if (cp_parse_double(value, &d))
        return cp_fail_at(rk->err, rk->set->source, c->line, "candidate", p->attribute, value,
                          "not a number, but the rubric gives points per unit of it");
    *out = cp_round_decimals(fmin(p->per_unit * d, p->cap), rk->rub->decimals);
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

const cp_points_rule *cp_rubric_level_table(const cp_rubric *rub, const char *attribute)
{
    int k;
    for (k = 0; attribute && k < rub->n_points; k++)
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
        const cp_points_rule *t = cp_rubric_level_table(rk->rub, q->attribute);
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

/* "experience-years is 2; the rubric requires experience-years at least 5
 * (line 26)": the nominee's value, then the rule quoted. */
static cp_code note_failure(ranker *rk, int i, const cp_requirement *q, const char *attr)
{
    cp_ranked *it = &rk->r->items[i];
    double v = subject_value(rk, i, q, attr);
    char shown[64], rule[256];
    if (q->kind == CP_REQ_AT_LEAST || q->kind == CP_REQ_ONE_OF || isnan(v))
        snprintf(shown, sizeof shown, "%s", attr ? attr : "not given");
    else
        cp_format_double(shown, sizeof shown, v);
    cp_requirement_text(q, rule, sizeof rule);
    return add_note(&it->reasons, &it->n_reasons, "%s%s is %s; the rubric requires %s (line %d)",
                    requirement_subject(q), q->kind == CP_REQ_MIN && q->criterion ? " score" : "",
                    shown, rule, q->line);
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
    if (!targeted) {
        char list[512];
        size_t used = 0;
        for (k = 0; k < rub->n_targets && used < sizeof list; k++)
            used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", k ? ", " : "",
                                     rub->targets[k]);
        return add_note(&rk->r->items[i].reasons, &rk->r->items[i].n_reasons,
                        "region %s is not targeted; the rubric draws nominees from %s only",
                        c->region ? c->region : "(not given)", list);
    }
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
    it->total = cp_sum_decimals(it->contribution, rk->rub->n_criteria, it->points,
                                rk->rub->n_points, rk->rub->decimals);
    if (check_requirements(rk, i))
        return cp_fail_nomem(rk->err);
    return CP_OK;
}

/* ------------------------------------------------------- names and levels */

static int is_builtin_attribute(const char *name)
{
    int k;
    for (k = 0; cp_candidate_builtin_attributes[k]; k++)
        if (strcmp(cp_candidate_builtin_attributes[k], name) == 0)
            return 1;
    return 0;
}

/* The fields that say who a nominee is, not how they rank. */
static int is_identity_field(const char *name)
{
    return !strcmp(name, "gender") || !strcmp(name, "region") || !strcmp(name, "school") ||
           !strcmp(name, "name");
}

/* A name the rubric uses as an attribute: a candidate attribute of the
 * file format, or one some nominee carries. */
static int known_attribute(const cp_candidate_set *set, const char *name)
{
    int k;
    if (is_builtin_attribute(name))
        return 1;
    for (k = 0; k < set->n; k++)
        if (cp_candidate_attribute(&set->items[k], name))
            return 1;
    return 0;
}

static cp_code unknown_attribute(const ranker *rk, int line, const char *element,
                                 const char *attr, const char *name)
{
    return cp_fail_at(rk->err, rk->rub->source, line, element, attr, name,
                      "no nominee has this attribute and the format has no such field (fields: "
                      "education experience-years head-teacher-years expertise, or any "
                      "<attribute name> of %s)", rk->set->source);
}

/* Whether some nominee's region equals this one by `compare`. */
static int region_held(const cp_candidate_set *set, const char *region,
                       int (*compare)(const char *, const char *))
{
    int k;
    for (k = 0; k < set->n; k++)
        if (set->items[k].region && !compare(set->items[k].region, region))
            return 1;
    return 0;
}

/* Whether some nominee has this region (targets and region quotas
 * compare it as it is written).  A region quota no nominee can meet is
 * the committee's to see (its shortfall, and rank's summary says why);
 * a target none has would rank no one from it. */
int cp_some_region(const cp_candidate_set *set, const char *region)
{
    return region_held(set, region, strcmp);
}

/* Whether a nominee's region is this one in another case ("north" for
 * "North"): regions are compared as written. */
static int case_twin(const cp_candidate_set *set, const char *region)
{
    return region_held(set, region, strcasecmp);
}

static cp_code unknown_region(const ranker *rk, int line, const char *element, const char *region)
{
    char names[512];
    size_t used = 0;
    int k, j;
    names[0] = '\0';
    for (k = 0; k < rk->set->n && used < sizeof names; k++) {
        const char *v = rk->set->items[k].region;
        for (j = 0; v && j < k && !(rk->set->items[j].region && !strcmp(rk->set->items[j].region, v));
             j++)
            ;
        if (v && j == k)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", used ? ", " : "", v);
    }
    return cp_fail_at(rk->err, rk->rub->source, line, element, "region", region,
                      "no nominee of %s is from this region (regions are compared as written; "
                      "theirs: %s)", rk->set->source, names[0] ? names : "none given");
}

/* A one-of requirement on an attribute without a table of levels: some
 * value of it held by some nominee.  A list names what is acceptable, so
 * a value no one holds this round is normal; a list none of whose values
 * anyone holds would exclude every nominee ("degre diplma"). */
static cp_code check_one_of(const ranker *rk, const cp_requirement *q)
{
    int v, k;
    for (v = 0; v < q->n_values; v++)
        for (k = 0; k < rk->set->n; k++) {
            const char *have = cp_candidate_attribute(&rk->set->items[k], q->attribute);
            if (have && !strcmp(have, q->values[v]))
                return CP_OK;
        }
    return cp_fail_at(rk->err, rk->rub->source, q->line, "require", "one-of",
                      q->n_values ? q->values[0] : "", "no nominee of %s has any of these %s "
                      "values, so every nominee would be excluded", rk->set->source, q->attribute);
}

/* A typo in the rubric would silently change the ranking ("demonstraton"
 * in the tie-break, "experiance-years" in a requirement, "north" as a
 * target region where nominees are from "North", targets or a one-of list
 * no nominee meets at all), and a nominee's value that is not a level of a
 * points table would silently earn the lowest points: both are input
 * errors naming the line. */
static cp_code check_names(const ranker *rk)
{
    const cp_rubric *rub = rk->rub;
    int k, j;
    cp_code rc;
    for (k = 0; k < rub->n_targets; k++) /* a region written in another case: a typo */
        if (!cp_some_region(rk->set, rub->targets[k]) && case_twin(rk->set, rub->targets[k]))
            return unknown_region(rk, rub->target_lines[k], "target", rub->targets[k]);
    for (k = 0; k < rub->n_targets && !cp_some_region(rk->set, rub->targets[k]); k++)
        ;
    if (rub->n_targets > 0 && k == rub->n_targets) /* every nominee would be excluded */
        return unknown_region(rk, rub->target_lines[0], "target", rub->targets[0]);
    for (k = 0; k < rub->n_requirements; k++)
        if (rub->requirements[k].kind == CP_REQ_ONE_OF && rub->requirements[k].attribute &&
            known_attribute(rk->set, rub->requirements[k].attribute) &&
            /* levels: the reader checked them */
            !cp_rubric_level_table(rub, rub->requirements[k].attribute) &&
            (rc = check_one_of(rk, &rub->requirements[k])))
            return rc;
    for (k = 0; k < rub->n_tie_keys; k++) {
        const char *key = rub->tie_keys[k];
        if (is_identity_field(key)) /* every nominee has it, but it has no order */
            return cp_fail_at(rk->err, rub->source, rub->tie_line, "tie-break", "order", key,
                              "a nominee's %s has no order to break a tie by: use criteria, "
                              "numeric or levelled attributes, or \"id\"", key);
        if (strcmp(key, "id") && criterion_index(rub, key) < 0 && !known_attribute(rk->set, key))
            return cp_fail_at(rk->err, rub->source, rub->tie_line, "tie-break", "order", key,
                              "not a criterion, not \"id\", and no nominee has this attribute");
    }
    for (k = 0; k < rub->n_points; k++)
        if (!known_attribute(rk->set, rub->points[k].attribute))
            return unknown_attribute(rk, rub->points[k].line, "points", "attribute",
                                     rub->points[k].attribute);
    for (k = 0; k < rub->n_requirements; k++)
        if (rub->requirements[k].attribute &&
            !known_attribute(rk->set, rub->requirements[k].attribute))
            return unknown_attribute(rk, rub->requirements[k].line, "require", "attribute",
                                     rub->requirements[k].attribute);
    for (k = 0; k < rub->n_points; k++) {
        const cp_points_rule *p = &rub->points[k];
        for (j = 0; isnan(p->per_unit) && j < rk->set->n; j++) {
            const cp_candidate *c = &rk->set->items[j];
            const char *v = cp_candidate_attribute(c, p->attribute);
            if (v && table_level(p, v) < 0)
                return cp_fail_at(rk->err, rk->set->source, c->line, "candidate", p->attribute, v,
                                  "not a level of the rubric's %s table (%s line %d lists the "
                                  "levels from the lowest)", p->attribute, rub->source, p->line);
        }
    }
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
    if ((t = cp_rubric_level_table(rk->rub, key)))
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

/* The first role with min < percentile <= max, compared as percentile x N
 * = 100 (N - rank + 1), a whole number: rank r is in the top share s
 * exactly when r <= ceil(s N), so "top 10 %" of 9 is 1 seat, and a sole
 * nominee is in every band from the top. */
static int band_of(const cp_rubric *rub, int rank, int n)
{
    int k;
    double p = 100.0 * (n - rank + 1), eps = 1e-9 * 100.0 * n;
    for (k = 0; k < rub->n_roles; k++) {
        const cp_role *role = &rub->roles[k];
        if (p > role->min_percentile * n + eps &&
            (isinf(role->max_percentile) || p <= role->max_percentile * n + eps))
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
        it->percentile = 100.0 * (r->ranked - it->rank + 1) / r->ranked;
        it->band_role = it->role = band_of(rk->rub, it->rank, r->ranked);
        if (it->band_role >= 0)
            r->seats[it->band_role]++;
        r->withdrawn += rk->set->items[r->order[k]].withdrawn;
        it->tied_by_id = k > 0 && published_compare(rk, r->order[k - 1], r->order[k]) == 0;
        if (it->tied_by_id &&
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
    if (r->items) {
        cp_free(r->items[0].combined); /* one block for every candidate's numbers */
        cp_free(r->items[0].score_use);
    }
    for (k = 0; r->effects && k < r->rubric->n_quotas; k++) {
        cp_free(r->effects[k].displaced);
        cp_free(r->effects[k].admitted);
        cp_free(r->effects[k].role_cost);
        cp_free(r->effects[k].without);
    }
    for (k = 0; r->reserve && k < r->rubric->n_roles; k++)
        cp_free(r->reserve[k]);
    cp_free(r->reserve);
    cp_free(r->n_reserve);
    cp_free(r->reliability);
    cp_free(r->offsets);
    cp_free(r->effects);
    cp_free(r->items);
    cp_free(r->order);
    cp_free(r->seats);
    cp_free(r);
}

static cp_ranking *ranking_new(const cp_candidate_set *set, const cp_rubric *rub)
{
    size_t per = (size_t)(2 * rub->n_criteria + rub->n_points), scores = 0, used = 0;
    cp_ranking *r = cp_calloc(1, sizeof *r);
    double *numbers;
    unsigned char *uses;
    int k;
    if (!r)
        return NULL;
    for (k = 0; k < set->n; k++)
        scores += (size_t)set->items[k].n_scores;
    r->candidates = set;
    r->rubric = rub;
    r->n = set->n;
    r->items = cp_calloc((size_t)(set->n ? set->n : 1), sizeof *r->items);
    r->order = cp_malloc((size_t)(set->n ? set->n : 1) * sizeof(int));
    r->seats = cp_calloc((size_t)(rub->n_roles ? rub->n_roles : 1), sizeof(int));
    numbers = r->items ? cp_calloc((size_t)(set->n ? set->n : 1) * (per ? per : 1),
                                   sizeof(double)) : NULL;
    uses = numbers ? cp_calloc(scores ? scores : 1, 1) : NULL;
    if (!r->items || !r->order || !r->seats || !numbers || !uses) {
        cp_free(numbers);
        cp_free(uses);
        if (r->items)
            r->items[0].combined = NULL;
        cp_ranking_free(r);
        return NULL;
    }
    for (k = 0; k < set->n; k++) {
        r->items[k].combined = numbers + (size_t)k * per;
        r->items[k].contribution = r->items[k].combined + rub->n_criteria;
        r->items[k].points = r->items[k].contribution + rub->n_criteria;
        r->items[k].score_use = uses + used;
        used += (size_t)set->items[k].n_scores;
        r->items[k].percentile = NAN;
        r->items[k].band_role = r->items[k].role = -1;
    }
    r->items[0].combined = numbers;
    r->items[0].score_use = uses;
    return r;
}

/* The recusals of each nominee as linked lists, and the declared raters
 * by id: a score's conflict is then found in O(its nominee's recusals). */
static cp_code index_conflicts(ranker *rk)
{
    const cp_candidate_set *set = rk->set;
    int k;
    cp_intern_init(&rk->rater_ids, &rk->pool);
    rk->recusal_first = cp_malloc((size_t)(set->n ? set->n : 1) * sizeof(int));
    rk->recusal_next = cp_malloc((size_t)(set->n_recusals ? set->n_recusals : 1) * sizeof(int));
    if (!rk->recusal_first || !rk->recusal_next)
        return CP_ERESOURCE;
    for (k = 0; k < set->n; k++)
        rk->recusal_first[k] = -1;
    for (k = set->n_recusals - 1; k >= 0; k--) {
        const char *who = set->recusals[k].nominee;
        int c = cp_intern_find(&set->priv->ids, who, strlen(who));
        rk->recusal_next[k] = rk->recusal_first[c];
        rk->recusal_first[c] = k;
    }
    for (k = 0; k < set->n_raters; k++)
        if (cp_intern_add(&rk->rater_ids, set->raters[k].id, strlen(set->raters[k].id)) < 0)
            return CP_ERESOURCE;
    return CP_OK;
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
    if (!rk.r || !rk.scratch || index_conflicts(&rk))
        rc = cp_fail_nomem(err);
    if (!rc)
        rc = check_names(&rk);
    for (k = 0; !rc && k < set->n; k++)
        rc = score_candidate(&rk, k);
    if (!rc)
        rc = place(&rk);
    if (!rc)
        rc = rub->n_quotas > 0 ? cp_select_with_quotas(rk.r, err) : cp_fill_roles(rk.r, err);
    if (!rc)
        rc = cp_reserve_lists(rk.r, err);
    if (!rc)
        rc = cp_rater_statistics(rk.r, err);
    cp_free(rk.scratch);
    cp_free(rk.recusal_first);
    cp_free(rk.recusal_next);
    cp_intern_clear(&rk.rater_ids);
    cp_pool_clear(&rk.pool);
    if (rc) {
        cp_ranking_free(rk.r);
        return NULL;
    }
    return rk.r;
}
