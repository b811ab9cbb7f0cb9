/*
 * read_candidates.c — the <candidates> file: nominees for facilitator roles
 * with their attributes and per-criterion scores (several raters allowed).
 * Also the raters (<rater id name school>), whose scores of a nominee from
 * their own school are excluded, and declared conflicts of interest
 * (<recuse rater nominee reason>).  Checked against
 * schemas/candidates.xsd while streaming, then for what a schema cannot say
 * (unique ids, one score per rater and criterion, every recusal's nominee
 * and, once raters are declared, every rater named).
 * Whether a score's criterion exists and fits its maximum is the rubric's
 * business and is checked when ranking, still naming this file's line.
 */
#include "xml.h"
#include "solver/facilitators/facilitators.h"

#include <math.h>
#include <string.h>

/* Candidate XML attributes kept as named attributes (the rest are fixed). */
const char *const cp_candidate_builtin_attributes[] = {"education", "experience-years",
                                                       "head-teacher-years", "expertise", NULL};
#define candidate_attributes cp_candidate_builtin_attributes

typedef struct {
    cp_xml *x;
    cp_candidate_set *set;
    cp_candidate *current;
    int raters_cap, recusals_cap;
} reader;

static const char *keep(reader *r, const char *s)
{
    return s ? cp_pool_add(&r->set->priv->pool, s, strlen(s)) : NULL;
}

static cp_code add_attribute(reader *r, const char *name, const char *value)
{
    cp_candidate *c = r->current;
    cp_attribute *grown = cp_realloc(c->attributes, (size_t)(c->n_attributes + 1) * sizeof *grown);
    int k;
    if (!grown)
        return cp_fail_nomem(cp_xml_error(r->x));
    c->attributes = grown;
    for (k = 0; k < c->n_attributes; k++)
        if (strcmp(c->attributes[k].name, name) == 0)
            return cp_xml_fail(r->x, "name", name, "attribute given twice for candidate \"%s\"",
                               c->id);
    grown[c->n_attributes].name = keep(r, name);
    grown[c->n_attributes].value = keep(r, value);
    if (!grown[c->n_attributes].name || !grown[c->n_attributes].value)
        return cp_fail_nomem(cp_xml_error(r->x));
    c->n_attributes++;
    return CP_OK;
}

static cp_code candidate_fields(reader *r, cp_candidate *c)
{
    const char *gender = cp_xml_attr(r->x, "gender");
    int k;
    c->name = keep(r, cp_xml_attr(r->x, "name") ? cp_xml_attr(r->x, "name") : "");
    c->school = keep(r, cp_xml_attr(r->x, "school"));
    c->region = keep(r, cp_xml_attr(r->x, "region"));
    c->gender = gender ? cp_gender_parse(gender) : CP_GENDER_UNSPECIFIED;
    if ((int)c->gender < 0)
        return cp_xml_fail(r->x, "gender", gender, "expected female, male or other");
    if (cp_xml_get_bool(r->x, "withdrawn", &c->withdrawn))
        return cp_xml_error(r->x)->code;
    for (k = 0; candidate_attributes[k]; k++) {
        const char *v = cp_xml_attr(r->x, candidate_attributes[k]);
        double d;
        if (!v)
            continue;
        if (strstr(candidate_attributes[k], "years") && (cp_parse_double(v, &d) || d < 0))
            return cp_xml_fail(r->x, candidate_attributes[k], v, "expected a number >= 0");
        if (add_attribute(r, candidate_attributes[k], v))
            return cp_xml_error(r->x)->code;
    }
    return CP_OK;
}

static cp_code start_candidate(reader *r)
{
    static const char *const known[] = {"id", "name", "gender", "school", "region", "education",
                                        "experience-years", "head-teacher-years", "expertise",
                                        "withdrawn", NULL};
    cp_candidate_set *set = r->set;
    const char *id = cp_xml_attr(r->x, "id");
    int before = set->priv->ids.count, idx;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    if (!id || !id[0])
        return cp_xml_fail(r->x, "id", "", "every candidate needs an id");
    idx = cp_intern_add(&set->priv->ids, id, strlen(id));
    if (idx < 0 || cp_grow((void **)&set->items, &set->priv->cap, set->n + 1, sizeof *set->items))
        return cp_fail_nomem(cp_xml_error(r->x));
    if (idx < before)
        return cp_xml_fail(r->x, "id", id, "duplicate candidate id (first on line %d)",
                           set->items[idx].line);
    r->current = &set->items[set->n++];
    memset(r->current, 0, sizeof *r->current);
    r->current->id = set->priv->ids.keys[idx];
    r->current->line = cp_xml_line(r->x);
    return candidate_fields(r, r->current);
}

static cp_code read_score(reader *r)
{
    static const char *const known[] = {"criterion", "value", "rater", NULL};
    cp_candidate *c = r->current;
    const char *crit = cp_xml_attr(r->x, "criterion"), *rater = cp_xml_attr(r->x, "rater");
    double value = NAN;
    cp_score *grown;
    int k;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (!rc)
        rc = cp_xml_get_double(r->x, "value", 0, HUGE_VAL, &value);
    if (rc)
        return rc;
    for (k = 0; k < c->n_scores; k++) {
        if (strcmp(c->scores[k].criterion, crit) != 0)
            continue;
        if (!c->scores[k].rater != !rater) /* one names its rater, the other does not */
            return cp_xml_fail(r->x, "criterion", crit, "scored %s a rater here and %s one on "
                               "line %d: give every score of a criterion its rater, or none",
                               rater ? "by" : "without", rater ? "without" : "by",
                               c->scores[k].line);
        if (!rater || strcmp(c->scores[k].rater, rater) == 0)
            return cp_xml_fail(r->x, "criterion", crit, "scored twice%s%s (line %d)",
                               rater ? " by rater " : "", rater ? rater : "", c->scores[k].line);
    }
    grown = cp_realloc(c->scores, (size_t)(c->n_scores + 1) * sizeof *grown);
    if (!grown)
        return cp_fail_nomem(cp_xml_error(r->x));
    c->scores = grown;
    grown[c->n_scores].criterion = keep(r, crit);
    grown[c->n_scores].rater = keep(r, rater);
    grown[c->n_scores].value = value;
    grown[c->n_scores].line = cp_xml_line(r->x);
    if (!grown[c->n_scores].criterion || (rater && !grown[c->n_scores].rater))
        return cp_fail_nomem(cp_xml_error(r->x));
    c->n_scores++;
    return CP_OK;
}

static cp_code read_rater(reader *r)
{
    static const char *const known[] = {"id", "name", "school", NULL};
    cp_candidate_set *set = r->set;
    const char *id = cp_xml_attr(r->x, "id"), *name = cp_xml_attr(r->x, "name");
    cp_rater *t;
    int k;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    for (k = 0; k < set->n_raters; k++)
        if (strcmp(set->raters[k].id, id) == 0)
            return cp_xml_fail(r->x, "id", id, "rater declared twice (first on line %d)",
                               set->raters[k].line);
    if (cp_grow((void **)&set->raters, &r->raters_cap, set->n_raters + 1, sizeof *t))
        return cp_fail_nomem(cp_xml_error(r->x));
    t = &set->raters[set->n_raters++];
    t->id = keep(r, id);
    t->name = keep(r, name ? name : "");
    t->school = keep(r, cp_xml_attr(r->x, "school"));
    t->line = cp_xml_line(r->x);
    return t->id && t->name ? CP_OK : cp_fail_nomem(cp_xml_error(r->x));
}

static cp_code read_recusal(reader *r)
{
    static const char *const known[] = {"rater", "nominee", "reason", NULL};
    cp_candidate_set *set = r->set;
    const char *rater = cp_xml_attr(r->x, "rater"), *nominee = cp_xml_attr(r->x, "nominee");
    cp_recusal *q;
    int k;
    cp_code rc = cp_xml_only_attrs(r->x, known);
    if (rc)
        return rc;
    for (k = 0; k < set->n_recusals; k++)
        if (!strcmp(set->recusals[k].rater, rater) && !strcmp(set->recusals[k].nominee, nominee))
            return cp_xml_fail(r->x, "nominee", nominee, "rater %s recused twice from this "
                               "nominee (first on line %d)", rater, set->recusals[k].line);
    if (cp_grow((void **)&set->recusals, &r->recusals_cap, set->n_recusals + 1, sizeof *q))
        return cp_fail_nomem(cp_xml_error(r->x));
    q = &set->recusals[set->n_recusals++];
    q->rater = keep(r, rater);
    q->nominee = keep(r, nominee);
    q->reason = keep(r, cp_xml_attr(r->x, "reason"));
    q->line = cp_xml_line(r->x);
    return q->rater && q->nominee ? CP_OK : cp_fail_nomem(cp_xml_error(r->x));
}

static cp_code read_element(reader *r)
{
    const char *name = cp_xml_name(r->x);
    if (strcmp(name, "candidate") == 0)
        return start_candidate(r);
    if (strcmp(name, "rater") == 0)
        return read_rater(r);
    if (strcmp(name, "recuse") == 0)
        return read_recusal(r);
    if (!r->current)
        return cp_xml_fail(r->x, NULL, NULL, "expected <candidate>");
    if (strcmp(name, "score") == 0)
        return read_score(r);
    if (strcmp(name, "attribute") == 0) {
        const char *attr = cp_xml_attr(r->x, "name"), *value = cp_xml_attr(r->x, "value");
        if (!attr || !attr[0] || !value)
            return cp_xml_fail(r->x, "name", attr ? attr : "", "<attribute> needs name and value");
        return add_attribute(r, attr, value);
    }
    return cp_xml_fail(r->x, NULL, NULL, "unknown element in <candidates>");
}

static cp_code read_any(void *r)
{
    return read_element(r);
}

static int declared_rater(const cp_candidate_set *set, const char *id)
{
    int k;
    for (k = 0; k < set->n_raters; k++)
        if (strcmp(set->raters[k].id, id) == 0)
            return 1;
    return 0;
}

/* Once raters are declared, a rater named by a score or a recusal but not
 * declared is a typo that would silently skip the school check; a recusal
 * must name a nominee of the file.  Work: O(scores x raters). */
static cp_code check_raters(const cp_candidate_set *set, cp_error *err)
{
    int k, j;
    for (k = 0; k < set->n_recusals; k++) {
        const cp_recusal *q = &set->recusals[k];
        if (cp_intern_find(&set->priv->ids, q->nominee, strlen(q->nominee)) < 0)
            return cp_fail_at(err, set->source, q->line, "recuse", "nominee", q->nominee,
                              "no candidate has this id");
        if (set->n_raters && !declared_rater(set, q->rater))
            return cp_fail_at(err, set->source, q->line, "recuse", "rater", q->rater,
                              "not a declared <rater>");
    }
    for (k = 0; set->n_raters && k < set->n; k++)
        for (j = 0; j < set->items[k].n_scores; j++) {
            const cp_score *s = &set->items[k].scores[j];
            if (s->rater && !declared_rater(set, s->rater))
                return cp_fail_at(err, set->source, s->line, "score", "rater", s->rater,
                                  "not a declared <rater> (the file declares %d)", set->n_raters);
        }
    return CP_OK;
}

static cp_code read_all(reader *r)
{
    cp_code rc = cp_xml_use_schema(r->x, "candidates.xsd", cp_schema_candidates);
    if (!rc)
        rc = cp_xml_root(r->x, "candidates", "a candidates file");
    if (!rc)
        rc = cp_xml_each_element(r->x, read_any, r);
    return rc ? rc : check_raters(r->set, cp_xml_error(r->x));
}

void cp_candidate_set_free(cp_candidate_set *set)
{
    int k;
    if (!set)
        return;
    for (k = 0; k < set->n; k++) {
        cp_free(set->items[k].scores);
        cp_free(set->items[k].attributes);
    }
    cp_free(set->items);
    cp_free(set->raters);
    cp_free(set->recusals);
    if (set->priv) {
        cp_intern_clear(&set->priv->ids);
        cp_pool_clear(&set->priv->pool);
        cp_free(set->priv);
    }
    cp_free(set->source);
    cp_free(set);
}

static cp_candidate_set *new_set(const char *source)
{
    cp_candidate_set *set = cp_calloc(1, sizeof *set);
    if (!set)
        return NULL;
    set->priv = cp_calloc(1, sizeof *set->priv);
    set->source = cp_strdup(source);
    if (!set->priv || !set->source) {
        cp_candidate_set_free(set);
        return NULL;
    }
    cp_intern_init(&set->priv->ids, &set->priv->pool);
    return set;
}

cp_candidate_set *cp_read_candidates_memory(const char *buf, size_t len, const char *name,
                                            cp_error *err)
{
    cp_candidate_set *set = new_set(name);
    reader r;
    cp_code rc;
    if (!set) {
        cp_fail_nomem(err);
        return NULL;
    }
    memset(&r, 0, sizeof r);
    r.set = set;
    r.x = cp_xml_open(name, buf, len, err);
    rc = r.x ? read_all(&r) : err->code;
    cp_xml_close(r.x);
    if (!rc)
        rc = cp_sha256_source(buf, len, name, set->sha256, err);
    if (rc) {
        cp_candidate_set_free(set);
        return NULL;
    }
    return set;
}

cp_candidate_set *cp_read_candidates(const char *path, cp_error *err)
{
    return cp_read_candidates_memory(NULL, 0, path, err);
}
