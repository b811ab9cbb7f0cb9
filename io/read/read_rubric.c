/*
 * read_rubric.c — the <rubric> file: its decree, language and decimals,
 * criteria, points for attribute values, requirements (optionally per
 * gender), role bands by percentile, quotas, targeted regions, the
 * tie-break order and the fields a public version leaves out.  Elements
 * come in any order.  Checked against schemas/rubric.xsd while streaming,
 * then for what a schema cannot say (unique names, references between
 * elements, one subject per rule, known field names); every error names
 * the file, line, element, attribute and value.
 */
#include "xml.h"
#include "solver/facilitators/facilitators.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { CAP_CRITERIA, CAP_POINTS, CAP_REQUIREMENTS, CAP_ROLES, CAP_QUOTAS, CAP_TARGETS,
       CAP_TARGET_LINES };

typedef struct {
    cp_xml *x;
    cp_rubric *rub;
    cp_points_rule *table; /* the <points> whose <value>s are being read */
} reader;

static const char *keep(reader *r, const char *s)
{
    return s ? cp_pool_add(&r->rub->priv->pool, s, strlen(s)) : NULL;
}

/* Appends one zeroed element to an array of the rubric; NULL on failure. */
static void *append(reader *r, void **items, int *count, int cap, size_t size)
{
    char *p;
    if (cp_grow(items, &r->rub->priv->caps[cap], *count + 1, size)) {
        cp_fail_nomem(cp_xml_error(r->x));
        return NULL;
    }
    p = (char *)*items + (size_t)*count * size;
    memset(p, 0, size);
    (*count)++;
    return p;
}

static int find_criterion(const cp_rubric *rub, const char *id)
{
    int k;
    for (k = 0; id && k < rub->n_criteria; k++)
        if (strcmp(rub->criteria[k].id, id) == 0)
            return k;
    return -1;
}

static int find_role(const cp_rubric *rub, const char *name)
{
    int k;
    for (k = 0; name && k < rub->n_roles; k++)
        if (strcmp(rub->roles[k].name, name) == 0)
            return k;
    return -1;
}

static cp_code read_combine(reader *r, cp_criterion *c)
{
    const char *v = cp_xml_attr(r->x, "combine");
    cp_code rc;
    c->combine = !v || strcmp(v, "mean") == 0 ? CP_COMBINE_MEAN
                 : strcmp(v, "median") == 0   ? CP_COMBINE_MEDIAN
                                              : CP_COMBINE_TRIMMED_MEAN;
    if (v && c->combine == CP_COMBINE_TRIMMED_MEAN && strcmp(v, "trimmed-mean") != 0)
        return cp_xml_fail(r->x, "combine", v, "expected mean, median or trimmed-mean");
    c->trim = c->combine == CP_COMBINE_TRIMMED_MEAN ? 1 : 0;
    if ((rc = cp_xml_get_int(r->x, "trim", 0, 1000, &c->trim)))
        return rc;
    if (cp_xml_attr(r->x, "trim") && c->combine != CP_COMBINE_TRIMMED_MEAN)
        return cp_xml_fail(r->x, "trim", cp_xml_attr(r->x, "trim"),
                           "only with combine=\"trimmed-mean\"");
    return CP_OK;
}

static cp_code read_criterion(reader *r)
{
    static const char *const known[] = {"id", "max", "weight", "combine", "trim", "flag-spread",
                                        "missing", NULL};
    const char *id = cp_xml_attr(r->x, "id"), *missing = cp_xml_attr(r->x, "missing");
    cp_criterion *c;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    if (find_criterion(r->rub, id) >= 0)
        return cp_xml_fail(r->x, "id", id, "criterion defined twice");
    c = append(r, (void **)&r->rub->criteria, &r->rub->n_criteria, CAP_CRITERIA, sizeof *c);
    if (!c || !(c->id = keep(r, id)))
        return cp_fail_nomem(cp_xml_error(r->x));
    c->line = cp_xml_line(r->x);
    c->max = NAN;
    c->flag_spread = NAN;
    c->missing_excludes = !missing || strcmp(missing, "exclude") == 0;
    if ((rc = cp_xml_get_double(r->x, "max", 0, HUGE_VAL, &c->max)) ||
        (rc = cp_xml_get_double(r->x, "weight", 0, HUGE_VAL, &c->weight)) ||
        (rc = cp_xml_get_double(r->x, "flag-spread", 0, HUGE_VAL, &c->flag_spread)))
        return rc;
    if (!(c->max > 0))
        return cp_xml_fail(r->x, "max", cp_xml_attr(r->x, "max"), "must be above 0");
    return read_combine(r, c);
}

static cp_code read_points(reader *r)
{
    static const char *const known[] = {"attribute", "per-unit", "max", NULL};
    const char *attr = cp_xml_attr(r->x, "attribute");
    cp_points_rule *p;
    int k;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    for (k = 0; k < r->rub->n_points; k++)
        if (strcmp(r->rub->points[k].attribute, attr) == 0)
            return cp_xml_fail(r->x, "attribute", attr, "points given twice for this attribute");
    p = append(r, (void **)&r->rub->points, &r->rub->n_points, CAP_POINTS, sizeof *p);
    if (!p || !(p->attribute = keep(r, attr)))
        return cp_fail_nomem(cp_xml_error(r->x));
    p->line = cp_xml_line(r->x);
    p->per_unit = NAN;
    p->cap = INFINITY;
    if ((rc = cp_xml_get_double(r->x, "per-unit", -HUGE_VAL, HUGE_VAL, &p->per_unit)) ||
        (rc = cp_xml_get_double(r->x, "max", 0, HUGE_VAL, &p->cap)))
        return rc;
    if (cp_xml_attr(r->x, "max") && isnan(p->per_unit))
        return cp_xml_fail(r->x, "max", cp_xml_attr(r->x, "max"), "a cap needs per-unit");
    r->table = isnan(p->per_unit) ? p : NULL;
    return CP_OK;
}

static cp_code read_value(reader *r)
{
    cp_points_rule *p = r->table;
    const char *is = cp_xml_attr(r->x, "is");
    double points = NAN, *points_grown;
    const char **values;
    int k;
    cp_code rc;
    if (!p)
        return cp_xml_fail(r->x, NULL, NULL, "<value> only inside <points> without per-unit");
    if ((rc = cp_xml_get_double(r->x, "points", -HUGE_VAL, HUGE_VAL, &points)))
        return rc;
    for (k = 0; k < p->n_values; k++)
        if (strcmp(p->values[k], is) == 0)
            return cp_xml_fail(r->x, "is", is, "value listed twice for %s", p->attribute);
    values = cp_realloc((void *)p->values, (size_t)(p->n_values + 1) * sizeof *p->values);
    if (values)
        p->values = values;
    points_grown = values ? cp_realloc(p->points, (size_t)(p->n_values + 1) * sizeof(double)) : NULL;
    if (points_grown)
        p->points = points_grown;
    if (!points_grown || !(p->values[p->n_values] = keep(r, is)))
        return cp_fail_nomem(cp_xml_error(r->x));
    p->points[p->n_values++] = points;
    return CP_OK;
}

/* "a b c" -> a pooled array of words; NULL (err set) on failure. */
static const char **split_words(reader *r, const char *s, int *count)
{
    const char **words = NULL;
    *count = 0;
    while (s && *s) {
        size_t n;
        const char **grown;
        s += strspn(s, " \t\r\n,");
        n = strcspn(s, " \t\r\n,");
        if (!n)
            break;
        grown = cp_realloc((void *)words, (size_t)(*count + 1) * sizeof *words);
        if (!grown || !(grown[*count] = cp_pool_add(&r->rub->priv->pool, s, n))) {
            cp_free(grown ? (void *)grown : (void *)words);
            cp_fail_nomem(cp_xml_error(r->x));
            return NULL;
        }
        words = grown;
        (*count)++;
        s += n;
    }
    return words;
}

static cp_code requirement_condition(reader *r, cp_requirement *q)
{
    const char *at_least = cp_xml_attr(r->x, "at-least"), *one_of = cp_xml_attr(r->x, "one-of");
    const char *min = cp_xml_attr(r->x, "min");
    if ((min != NULL) + (at_least != NULL) + (one_of != NULL) != 1)
        return cp_xml_fail(r->x, NULL, NULL, "a requirement needs exactly one of min, at-least, "
                                             "one-of");
    if ((at_least || one_of) && !q->attribute)
        return cp_xml_fail(r->x, at_least ? "at-least" : "one-of", at_least ? at_least : one_of,
                           "only for an attribute requirement");
    if (at_least) {
        q->kind = CP_REQ_AT_LEAST;
        q->level = keep(r, at_least);
        return q->level ? CP_OK : cp_fail_nomem(cp_xml_error(r->x));
    }
    if (one_of) {
        q->kind = CP_REQ_ONE_OF;
        q->values = split_words(r, one_of, &q->n_values);
        return q->values ? CP_OK : cp_xml_error(r->x)->code;
    }
    q->kind = q->attribute || q->criterion ? CP_REQ_MIN : CP_REQ_TOTAL;
    return cp_xml_get_double(r->x, "min", -HUGE_VAL, HUGE_VAL, &q->min);
}

static cp_code read_require(reader *r)
{
    static const char *const known[] = {"attribute", "criterion", "total", "min", "at-least",
                                        "one-of", "gender", NULL};
    const char *attr = cp_xml_attr(r->x, "attribute"), *crit = cp_xml_attr(r->x, "criterion");
    const char *gender = cp_xml_attr(r->x, "gender");
    int total = 0;
    cp_requirement *q;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (!rc)
        rc = cp_xml_get_bool(r->x, "total", &total);
    if (rc)
        return rc;
    if ((attr != NULL) + (crit != NULL) + (total != 0) != 1)
        return cp_xml_fail(r->x, NULL, NULL, "a requirement is about exactly one of attribute, "
                                             "criterion, total=\"true\"");
    q = append(r, (void **)&r->rub->requirements, &r->rub->n_requirements, CAP_REQUIREMENTS,
               sizeof *q);
    if (!q)
        return CP_ERESOURCE;
    q->attribute = keep(r, attr);
    q->criterion = keep(r, crit);
    q->gender = gender ? cp_gender_parse(gender) : CP_GENDER_UNSPECIFIED;
    q->line = cp_xml_line(r->x);
    if ((int)q->gender < 0)
        return cp_xml_fail(r->x, "gender", gender, "expected female, male or other");
    return requirement_condition(r, q);
}

static cp_code read_role(reader *r)
{
    static const char *const known[] = {"name", "min-percentile", "max-percentile", NULL};
    const char *name = cp_xml_attr(r->x, "name");
    cp_role *role;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    if (find_role(r->rub, name) >= 0)
        return cp_xml_fail(r->x, "name", name, "role defined twice");
    role = append(r, (void **)&r->rub->roles, &r->rub->n_roles, CAP_ROLES, sizeof *role);
    if (!role || !(role->name = keep(r, name)))
        return cp_fail_nomem(cp_xml_error(r->x));
    role->line = cp_xml_line(r->x);
    role->max_percentile = INFINITY;
    if ((rc = cp_xml_get_double(r->x, "min-percentile", 0, 100, &role->min_percentile)) ||
        (rc = cp_xml_get_double(r->x, "max-percentile", 0, 100, &role->max_percentile)))
        return rc;
    if (role->max_percentile <= role->min_percentile)
        return cp_xml_fail(r->x, "max-percentile", cp_xml_attr(r->x, "max-percentile"),
                           "must be above min-percentile");
    return CP_OK;
}

static cp_code quota_kind(reader *r, cp_quota *q)
{
    const char *women = cp_xml_attr(r->x, "women-at-least"), *region = cp_xml_attr(r->x, "region");
    const char *school = cp_xml_attr(r->x, "per-school-at-most");
    const char *at_least = cp_xml_attr(r->x, "at-least"), *at_most = cp_xml_attr(r->x, "at-most");
    if ((women != NULL) + (region != NULL) + (school != NULL) != 1 ||
        (region && (at_least != NULL) + (at_most != NULL) != 1) ||
        (!region && (at_least || at_most)))
        return cp_xml_fail(r->x, NULL, NULL, "a quota is one of women-at-least=\"SHARE\", "
                           "region=\"R\" with at-least or at-most, per-school-at-most=\"N\"");
    if (women) {
        q->kind = CP_QUOTA_WOMEN_SHARE;
        return cp_xml_get_double(r->x, "women-at-least", 0, 1, &q->share);
    }
    if (school) {
        q->kind = CP_QUOTA_SCHOOL_MAX;
        return cp_xml_get_int(r->x, "per-school-at-most", 1, 1000000000L, &q->count);
    }
    q->kind = at_least ? CP_QUOTA_REGION_MIN : CP_QUOTA_REGION_MAX;
    q->region = keep(r, region);
    return cp_xml_get_int(r->x, at_least ? "at-least" : "at-most", 0, 1000000000L, &q->count);
}

static cp_code read_quota(reader *r)
{
    static const char *const known[] = {"role", "women-at-least", "region", "at-least", "at-most",
                                        "per-school-at-most", NULL};
    const char *role = cp_xml_attr(r->x, "role");
    cp_quota *q;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    q = append(r, (void **)&r->rub->quotas, &r->rub->n_quotas, CAP_QUOTAS, sizeof *q);
    if (!q)
        return CP_ERESOURCE;
    q->line = cp_xml_line(r->x);
    q->role = -1; /* the name is resolved once every role is read */
    if (role && !(q->role_name = keep(r, role)))
        return cp_fail_nomem(cp_xml_error(r->x));
    return quota_kind(r, q);
}

static cp_code read_target(reader *r)
{
    static const char *const known[] = {"region", NULL};
    const char **t;
    int *line, lines;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    t = append(r, (void **)&r->rub->targets, &r->rub->n_targets, CAP_TARGETS, sizeof *t);
    if (!t || !(*t = keep(r, cp_xml_attr(r->x, "region"))))
        return cp_fail_nomem(cp_xml_error(r->x));
    lines = r->rub->n_targets - 1; /* append counts the targets once */
    if (!(line = append(r, (void **)&r->rub->target_lines, &lines, CAP_TARGET_LINES, sizeof *line)))
        return CP_ERESOURCE;
    *line = cp_xml_line(r->x);
    return CP_OK;
}

static cp_code read_tie_break(reader *r)
{
    static const char *const known[] = {"order", NULL};
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    if (r->rub->tie_keys)
        return cp_xml_fail(r->x, NULL, NULL, "only one <tie-break>");
    r->rub->tie_line = cp_xml_line(r->x);
    r->rub->tie_keys = split_words(r, cp_xml_attr(r->x, "order"), &r->rub->n_tie_keys);
    return r->rub->tie_keys || !r->rub->n_tie_keys ? CP_OK : cp_xml_error(r->x)->code;
}

const char *const cp_private_field_names[] = {"name", "gender", "school", "region",
                                             "rater-scores", "attribute-values", "reasons",
                                             "flags", "raters", NULL};

static cp_code read_private(reader *r)
{
    static const char *const known[] = {"fields", NULL};
    const char *fields = cp_xml_attr(r->x, "fields");
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    if (r->rub->private_line)
        return cp_xml_fail(r->x, NULL, NULL, "only one <private> (first on line %d)",
                           r->rub->private_line);
    r->rub->private_line = cp_xml_line(r->x);
    while (*fields) {
        size_t n;
        int k;
        fields += strspn(fields, " \t\r\n,");
        if (!(n = strcspn(fields, " \t\r\n,")))
            break;
        for (k = 0; cp_private_field_names[k]; k++)
            if (strlen(cp_private_field_names[k]) == n && !strncmp(fields, cp_private_field_names[k], n))
                break;
        if (!cp_private_field_names[k])
            return cp_xml_fail(r->x, "fields", cp_xml_attr(r->x, "fields"), "\"%.*s\" is not a "
                               "field a public version can leave out (name gender school region "
                               "rater-scores attribute-values reasons flags raters)", (int)n, fields);
        r->rub->private_fields |= 1u << k;
        fields += n;
    }
    return CP_OK;
}

static cp_code read_element(reader *r)
{
    const char *name = cp_xml_name(r->x);
    if (strcmp(name, "value") == 0)
        return read_value(r);
    r->table = NULL;
    if (strcmp(name, "criterion") == 0)
        return read_criterion(r);
    if (strcmp(name, "points") == 0)
        return read_points(r);
    if (strcmp(name, "require") == 0)
        return read_require(r);
    if (strcmp(name, "role") == 0)
        return read_role(r);
    if (strcmp(name, "quota") == 0)
        return read_quota(r);
    if (strcmp(name, "target") == 0)
        return read_target(r);
    if (strcmp(name, "tie-break") == 0)
        return read_tie_break(r);
    if (strcmp(name, "private") == 0)
        return read_private(r);
    return cp_xml_fail(r->x, NULL, NULL, "unknown element in <rubric>");
}

/* Role k's band (min, max] taken whole by the roles listed before it,
 * one band or several end to end (a nominee's band is the first role
 * that takes its percentile).  The cover is grown from the band's lower
 * end by any earlier band that starts at or below it and reaches past
 * it.  O(k^2) per role: rubrics have a handful of roles. */
static cp_code check_band_reachable(const cp_rubric *rub, int k, cp_error *err)
{
    const cp_role *role = &rub->roles[k];
    double reached = role->min_percentile;
    char names[512] = "";
    size_t used = 0;
    int j, grew = 1, n_used = 0;
    while (grew && reached < role->max_percentile) {
        int best = -1;
        grew = 0;
        for (j = 0; j < k; j++)
            if (rub->roles[j].min_percentile <= reached && rub->roles[j].max_percentile > reached &&
                (best < 0 || rub->roles[j].max_percentile > rub->roles[best].max_percentile))
                best = j;
        if (best >= 0) {
            reached = rub->roles[best].max_percentile;
            grew = 1;
            n_used++;
            if (used < sizeof names)
                used += (size_t)snprintf(names + used, sizeof names - used, "%s%s on line %d",
                                         used ? ", " : "", rub->roles[best].name,
                                         rub->roles[best].line);
        }
    }
    if (n_used == 0 || reached < role->max_percentile)
        return CP_OK; /* an empty band (min >= max) is refused where it is read */
    return cp_fail_at(err, rub->source, role->line, "role", "name", role->name,
                      "could hold no one: %s %s, listed before it, take%s every percentile "
                      "above %g (a nominee's band is the first role that takes its percentile: "
                      "list the roles from the highest band)",
                      n_used > 1 ? "roles" : "role", names, n_used > 1 ? "" : "s",
                      role->min_percentile);
}

/* Rules that could hold no one, or hold by accident: a numeric min on an
 * attribute whose values are levels ("degree" is not at least 3: every
 * nominee excluded), a one-of value that is not a level of the table, a
 * role every percentile of which an earlier role takes (bands are given
 * in rubric order), a min-percentile of 100 (no percentile is above it). */
static cp_code check_levels_and_roles(const cp_rubric *rub, cp_error *err)
{
    int k, j, v;
    cp_code rc;
    for (k = 0; k < rub->n_requirements; k++) {
        const cp_requirement *q = &rub->requirements[k];
        const cp_points_rule *t = cp_rubric_level_table(rub, q->attribute);
        if (!t)
            continue;
        if (q->kind == CP_REQ_MIN)
            return cp_fail_at(err, rub->source, q->line, "require", "attribute", q->attribute,
                              "its values are the levels of the <points> table on line %d: "
                              "require at-least=\"LEVEL\" or one-of=\"...\", not min", t->line);
        for (v = 0; q->kind == CP_REQ_ONE_OF && v < q->n_values; v++) {
            int found = 0;
            for (j = 0; j < t->n_values; j++)
                found |= strcmp(t->values[j], q->values[v]) == 0;
            if (!found)
                return cp_fail_at(err, rub->source, q->line, "require", "one-of", q->values[v],
                                  "not a level of %s (the <points> table on line %d lists them)",
                                  q->attribute, t->line);
        }
    }
    for (k = 0; k < rub->n_roles; k++) {
        const cp_role *role = &rub->roles[k];
        if (role->min_percentile >= 100)
            return cp_fail_at(err, rub->source, role->line, "role", "min-percentile", "100",
                              "no percentile is above 100: role %s could hold no one",
                              role->name);
        if ((rc = check_band_reachable(rub, k, err)))
            return rc;
    }
    return CP_OK;
}

/* A requirement's criterion must exist, and an at-least level must be in
 * the attribute's points table (whose order defines the levels). */
static cp_code check_references(cp_rubric *rub, cp_error *err)
{
    int k, j;
    for (k = 0; k < rub->n_quotas; k++) {
        cp_quota *q = &rub->quotas[k];
        char names[256] = "none";
        size_t used = 0;
        if (!q->role_name || (q->role = find_role(rub, q->role_name)) >= 0)
            continue;
        for (j = 0; j < rub->n_roles && used < sizeof names; j++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", j ? " " : "",
                                     rub->roles[j].name);
        return cp_fail_at(err, rub->source, q->line, "quota", "role", q->role_name,
                          "no such role (the rubric's roles: %s)", names);
    }
    for (k = 0; k < rub->n_requirements; k++) {
        const cp_requirement *q = &rub->requirements[k];
        int found = 0;
        if (q->criterion && find_criterion(rub, q->criterion) < 0)
            return cp_fail_at(err, rub->source, q->line, "require", "criterion", q->criterion,
                              "no such criterion");
        if (q->criterion && q->kind == CP_REQ_MIN &&
            q->min > rub->criteria[find_criterion(rub, q->criterion)].max) {
            const cp_criterion *c = &rub->criteria[find_criterion(rub, q->criterion)];
            char v[32];
            snprintf(v, sizeof v, "%g", q->min);
            return cp_fail_at(err, rub->source, q->line, "require", "min", v,
                              "above the criterion's max of %g (line %d): no nominee could meet "
                              "it", c->max, c->line);
        }
        if (q->kind != CP_REQ_AT_LEAST)
            continue;
        for (j = 0; j < rub->n_points; j++)
            if (strcmp(rub->points[j].attribute, q->attribute) == 0) {
                int v;
                for (v = 0; v < rub->points[j].n_values; v++)
                    found |= strcmp(rub->points[j].values[v], q->level) == 0;
            }
        if (!found)
            return cp_fail_at(err, rub->source, q->line, "require", "at-least", q->level,
                              "not a level of %s (levels are the <value>s of its <points>, "
                              "low to high)", q->attribute);
    }
    if (rub->n_criteria == 0)
        return cp_fail(err, CP_EINPUT, "%s: a rubric needs at least one <criterion>", rub->source);
    return check_levels_and_roles(rub, err);
}

static cp_code read_any(void *r)
{
    return read_element(r);
}

/* Languages written right to left (ISO 639 codes), and scripts (ISO 15924)
 * that are, whatever the language ("ku-Arab", "pa-Arab"). */
static int right_to_left(const char *lang)
{
    static const char *const languages[] = {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks",
                                            "nqo", "prs", "ps", "sd", "syr", "ug", "ur", "yi",
                                            NULL};
    static const char *const scripts[] = {"-arab", "-hebr", "-thaa", "-syrc", "-nkoo", NULL};
    size_t n = strcspn(lang, "-_");
    char lower[64];
    int k;
    for (k = 0; lang[k] && k < 63; k++)
        lower[k] = (char)(lang[k] >= 'A' && lang[k] <= 'Z' ? lang[k] + 32 : lang[k]);
    lower[k] = '\0';
    for (k = 0; languages[k]; k++)
        if (strlen(languages[k]) == n && !strncmp(lower, languages[k], n))
            return 1;
    for (k = 0; scripts[k]; k++)
        if (strstr(lower, scripts[k]))
            return 1;
    return 0;
}

static cp_code read_root(reader *r)
{
    cp_rubric *rub = r->rub;
    const char *decree = cp_xml_attr(r->x, "decree"), *lang = cp_xml_attr(r->x, "lang");
    rub->name = keep(r, cp_xml_attr(r->x, "name") ? cp_xml_attr(r->x, "name") : "");
    rub->decree = keep(r, decree ? decree : "");
    rub->lang = keep(r, lang ? lang : "");
    if (!rub->name || !rub->decree || !rub->lang)
        return cp_fail_nomem(cp_xml_error(r->x));
    rub->rtl = right_to_left(rub->lang);
    rub->decimals = 2;
    return cp_xml_get_int(r->x, "decimals", 0, 6, &rub->decimals);
}

static cp_code read_all(reader *r)
{
    cp_code rc = cp_xml_use_schema(r->x, "rubric.xsd", cp_schema_rubric);
    if (!rc)
        rc = cp_xml_root(r->x, "rubric", "a rubric");
    if (!rc)
        rc = read_root(r);
    if (rc)
        return rc;
    rc = cp_xml_each_element(r->x, read_any, r);
    return rc ? rc : check_references(r->rub, cp_xml_error(r->x));
}

void cp_rubric_free(cp_rubric *rub)
{
    int k;
    if (!rub)
        return;
    for (k = 0; k < rub->n_points; k++) {
        cp_free((void *)rub->points[k].values);
        cp_free(rub->points[k].points);
    }
    for (k = 0; k < rub->n_requirements; k++)
        cp_free((void *)rub->requirements[k].values);
    cp_free(rub->criteria);
    cp_free(rub->points);
    cp_free(rub->requirements);
    cp_free(rub->roles);
    cp_free(rub->quotas);
    cp_free((void *)rub->targets);
    cp_free(rub->target_lines);
    cp_free((void *)rub->tie_keys);
    if (rub->priv) {
        cp_pool_clear(&rub->priv->pool);
        cp_free(rub->priv);
    }
    cp_free(rub->source);
    cp_free(rub);
}

cp_rubric *cp_read_rubric_memory(const char *buf, size_t len, const char *name, cp_error *err)
{
    cp_rubric *rub = cp_calloc(1, sizeof *rub);
    reader r;
    cp_code rc = CP_ERESOURCE;
    memset(&r, 0, sizeof r);
    if (rub && (rub->priv = cp_calloc(1, sizeof *rub->priv)) && (rub->source = cp_strdup(name))) {
        r.rub = rub;
        r.x = cp_xml_open(name, buf, len, err);
        rc = r.x ? read_all(&r) : err->code;
        cp_xml_close(r.x);
    } else {
        cp_fail_nomem(err);
    }
    if (!rc)
        rc = cp_sha256_source(buf, len, name, rub->sha256, err);
    if (rc) {
        cp_rubric_free(rub);
        return NULL;
    }
    return rub;
}

cp_rubric *cp_read_rubric(const char *path, cp_error *err)
{
    return cp_read_rubric_memory(NULL, 0, path, err);
}
