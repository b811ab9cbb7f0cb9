/*
 * publish.c — what a ranking publishes, as records (clusterplan.h,
 * "publication"): the one definition the XML and CSV writers print, the
 * readers read back, `rank --verify` compares field by field and the list
 * digest covers.  The XML tree, in document order:
 *   ranking      rubric name, decree, language, decimals, the program, the
 *                SHA-256 of the candidates and rubric files (which name
 *                them wherever they are kept), list-sha256 and
 *                public-sha256, counts
 *   role         name, percentile band, seats, holders
 *   quota        the rule, needed / achieved / shortfall, cost (signed);
 *                per role: its cost, the nominees the quota admitted to it
 *                and displaced from it (cost = their totals' difference)
 *   reserve      per role: the nominees next in line, in rank order
 *   reliability  per criterion: Krippendorff's alpha (interval)
 *   rater        per rater and criterion: scores, mean offset, excluded
 *   recusal      each declared conflict of interest
 *   candidate    identity, total, rank, percentile, band, role (or
 *                excluded), withdrawn; each criterion with its ratings
 *                (rater, value, excluded), points, reasons and flags
 * The public version leaves out what the rubric's <private> names.  The
 * CSV rows: a header, one row per nominee (the candidate record and its
 * children flattened into named columns), a footer with the digests; text
 * cells that a spreadsheet would run as a formula (= + - @ tab CR, unless
 * a plain number) get a leading ' (OWASP's CSV injection rule).
 * Work: O(records); memory: a string pool and two arrays.
 */
#include "facilitators.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---------------------------------------------------------------- builder */

cp_publication *cp_publication_new(const char *source, int csv)
{
    cp_publication *p = cp_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->csv = csv;
    p->priv = cp_calloc(1, sizeof *p->priv);
    p->source = cp_strdup(source ? source : "");
    if (!p->priv || !p->source) {
        cp_publication_free(p);
        return NULL;
    }
    return p;
}

void cp_publication_free(cp_publication *p)
{
    if (!p)
        return;
    if (p->priv)
        cp_pool_clear(&p->priv->pool);
    cp_free(p->priv);
    cp_free(p->items);
    cp_free(p->fields);
    cp_free(p->source);
    cp_free(p);
}

static const char *pooled(cp_publication *p, const char *s)
{
    const char *kept = cp_pool_add(&p->priv->pool, s, strlen(s));
    if (!kept)
        p->failed = 1;
    return kept;
}

int cp_pub_open(cp_publication *p, const char *element, int parent, int line)
{
    cp_pub_record *rec;
    if (p->failed || cp_grow((void **)&p->items, &p->cap, p->n + 1, sizeof *rec)) {
        p->failed = 1;
        return -1;
    }
    rec = &p->items[p->n];
    memset(rec, 0, sizeof *rec);
    rec->element = pooled(p, element);
    rec->parent = parent;
    rec->first_field = p->n_fields;
    rec->line = line;
    return p->n++;
}

void cp_pub_add(cp_publication *p, const char *name, const char *value)
{
    cp_pub_field *f;
    if (!value || p->failed || !p->n)
        return;
    if (cp_grow((void **)&p->fields, &p->fields_cap, p->n_fields + 1, sizeof *f)) {
        p->failed = 1;
        return;
    }
    f = &p->fields[p->n_fields++];
    f->name = pooled(p, name);
    f->value = pooled(p, value);
    p->items[p->n - 1].n_fields++;
}

void cp_pub_add_number(cp_publication *p, const char *name, double v)
{
    char buf[64];
    if (isnan(v))
        return;
    cp_format_double(buf, sizeof buf, v);
    cp_pub_add(p, name, buf);
}

void cp_pub_add_int(cp_publication *p, const char *name, long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    cp_pub_add(p, name, buf);
}

void cp_pub_set_text(cp_publication *p, int record, const char *text)
{
    if (record >= 0 && !p->failed && text)
        p->items[record].text = pooled(p, text);
}

static int field_index(const cp_publication *p, int record, const char *name)
{
    const cp_pub_record *rec = &p->items[record];
    int k;
    for (k = 0; k < rec->n_fields; k++)
        if (strcmp(p->fields[rec->first_field + k].name, name) == 0)
            return rec->first_field + k;
    return -1;
}

const char *cp_pub_get(const cp_publication *p, int record, const char *name)
{
    int k = record >= 0 && record < p->n ? field_index(p, record, name) : -1;
    return k >= 0 ? p->fields[k].value : NULL;
}

void cp_pub_replace(cp_publication *p, int record, const char *name, const char *value)
{
    int k = field_index(p, record, name);
    if (k >= 0 && !p->failed)
        p->fields[k].value = pooled(p, value);
}

int cp_pub_depth(const cp_publication *p, int record)
{
    int d = 0;
    while ((record = p->items[record].parent) >= 0)
        d++;
    return d;
}

/* ------------------------------------------------------------- the tree */

typedef struct {
    cp_publication *p;
    const cp_ranking *r;
    unsigned hide;          /* CP_PRIVATE_* left out */
} builder;

static const char *role_name(const cp_ranking *r, int role)
{
    return role >= 0 ? r->rubric->roles[role].name : NULL;
}

static const char *candidate_id(const cp_ranking *r, int c)
{
    return r->candidates->items[c].id;
}

static void add_figure(builder *b, const char *name, double v)
{
    char buf[64];
    if (isnan(v))
        return;
    cp_format_decimals(buf, sizeof buf, cp_round_decimals(v, b->r->rubric->decimals),
                       b->r->rubric->decimals);
    cp_pub_add(b->p, name, buf);
}

static void root(builder *b, int public_version)
{
    const cp_ranking *r = b->r;
    cp_publication *p = b->p;
    cp_pub_open(p, "ranking", -1, 0);
    cp_pub_add(p, "rubric", r->rubric->name);
    cp_pub_add(p, "decree", r->rubric->decree[0] ? r->rubric->decree : NULL);
    cp_pub_add(p, "lang", r->rubric->lang[0] ? r->rubric->lang : NULL);
    cp_pub_add_int(p, "decimals", r->rubric->decimals);
    cp_pub_add(p, "program", "clusterplan " CP_VERSION);
    cp_pub_add(p, "candidates-sha256", r->candidates->sha256);
    cp_pub_add(p, "rubric-sha256", r->rubric->sha256);
    cp_pub_add(p, "list-sha256", "");   /* filled in once both digests are known */
    cp_pub_add(p, "public-sha256", "");
    cp_pub_add(p, "public", public_version ? "true" : NULL);
    cp_pub_add_int(p, "candidates", r->n);
    cp_pub_add_int(p, "ranked", r->ranked);
    cp_pub_add_int(p, "excluded", r->n - r->ranked);
    cp_pub_add_int(p, "withdrawn", r->withdrawn);
    cp_pub_add(p, "constrained", r->constrained ? "true" : "false");
}

static void roles(builder *b)
{
    const cp_rubric *rub = b->r->rubric;
    int k, j;
    for (k = 0; k < rub->n_roles; k++) {
        int holders = 0;
        for (j = 0; j < b->r->n; j++)
            holders += b->r->items[j].role == k;
        cp_pub_open(b->p, "role", 0, 0);
        cp_pub_add(b->p, "name", rub->roles[k].name);
        cp_pub_add_number(b->p, "min-percentile", rub->roles[k].min_percentile);
        if (!isinf(rub->roles[k].max_percentile))
            cp_pub_add_number(b->p, "max-percentile", rub->roles[k].max_percentile);
        cp_pub_add_int(b->p, "seats", b->r->seats[k]);
        cp_pub_add_int(b->p, "holders", holders);
    }
}

/* Those who hold role j only because of the quota (admitted) or hold it
 * only without it (displaced), in rank order. */
static void moved(builder *b, int parent, const cp_quota_effect *e, int j, int admitted)
{
    const cp_ranking *r = b->r;
    int k;
    for (k = 0; k < r->ranked; k++) {
        int c = r->order[k], with = r->items[c].role, without = e->without[c];
        if (admitted ? with != j || without == j : without != j || with == j)
            continue;
        cp_pub_open(b->p, admitted ? "admitted" : "displaced", parent, 0);
        cp_pub_add(b->p, "candidate", candidate_id(r, c));
        cp_pub_add_int(b->p, "rank", r->items[c].rank);
        add_figure(b, "total", r->items[c].total);
    }
}

static void quotas(builder *b)
{
    const cp_ranking *r = b->r;
    int q, j;
    for (q = 0; r->effects && q < r->rubric->n_quotas; q++) {
        const cp_quota *quota = &r->rubric->quotas[q];
        const cp_quota_effect *e = &r->effects[q];
        char rule[256];
        int rec = cp_pub_open(b->p, "quota", 0, 0);
        cp_quota_text(r->rubric, quota, rule, sizeof rule);
        cp_pub_add_int(b->p, "line", quota->line);
        cp_pub_add(b->p, "kind", cp_quota_kind_name(quota->kind));
        cp_pub_add(b->p, "role", quota->role >= 0 ? role_name(r, quota->role) : "all");
        cp_pub_add(b->p, "region", quota->region);
        cp_pub_add(b->p, "rule", rule);
        if (e->needed) {
            cp_pub_add_int(b->p, "needed", e->needed);
            cp_pub_add_int(b->p, "achieved", e->achieved);
            cp_pub_add_int(b->p, "shortfall", e->achieved < e->needed ? e->needed - e->achieved : 0);
        }
        add_figure(b, "cost", e->cost);
        for (j = 0; e->role_cost && e->without && j < r->rubric->n_roles; j++) {
            int effect = cp_pub_open(b->p, "effect", rec, 0);
            cp_pub_add(b->p, "role", role_name(r, j));
            add_figure(b, "cost", e->role_cost[j]);
            moved(b, effect, e, j, 1);
            moved(b, effect, e, j, 0);
        }
    }
}

static void reserves(builder *b)
{
    const cp_ranking *r = b->r;
    int j, k;
    for (j = 0; r->reserve && j < r->rubric->n_roles; j++) {
        int rec;
        if (!r->seats[j])
            continue;
        rec = cp_pub_open(b->p, "reserve", 0, 0);
        cp_pub_add(b->p, "role", role_name(r, j));
        for (k = 0; k < r->n_reserve[j]; k++) {
            int c = r->reserve[j][k];
            cp_pub_open(b->p, "nominee", rec, 0);
            cp_pub_add_int(b->p, "position", k + 1);
            cp_pub_add(b->p, "candidate", candidate_id(r, c));
            cp_pub_add_int(b->p, "rank", r->items[c].rank);
            cp_pub_add(b->p, "holds", role_name(r, r->items[c].role));
        }
    }
}

static const cp_rater *declared(const cp_candidate_set *set, const char *id)
{
    int k;
    for (k = 0; k < set->n_raters; k++)
        if (strcmp(set->raters[k].id, id) == 0)
            return &set->raters[k];
    return NULL;
}

static void rater_statistics(builder *b)
{
    const cp_ranking *r = b->r;
    const cp_candidate_set *set = r->candidates;
    int k;
    for (k = 0; k < r->n_reliability; k++) {
        const cp_reliability *rel = &r->reliability[k];
        cp_pub_open(b->p, "reliability", 0, 0);
        cp_pub_add(b->p, "criterion", r->rubric->criteria[rel->criterion].id);
        cp_pub_add(b->p, "statistic", "krippendorff-alpha-interval");
        cp_pub_add_number(b->p, "alpha", rel->alpha);
        cp_pub_add_int(b->p, "nominees", rel->units);
        cp_pub_add_int(b->p, "scores", rel->values);
        cp_pub_add_int(b->p, "raters", rel->raters);
    }
    for (k = 0; !(b->hide & CP_PRIVATE_RATERS) && k < r->n_offsets; k++) {
        const cp_rater_offset *o = &r->offsets[k];
        const cp_rater *t = declared(set, o->rater);
        cp_pub_open(b->p, "rater", 0, 0);
        cp_pub_add(b->p, "id", o->rater);
        cp_pub_add(b->p, "name", t && t->name[0] ? t->name : NULL);
        cp_pub_add(b->p, "school", t ? t->school : NULL);
        cp_pub_add(b->p, "criterion", r->rubric->criteria[o->criterion].id);
        cp_pub_add_int(b->p, "scores", o->scores);
        cp_pub_add_int(b->p, "compared", o->compared);
        add_figure(b, "mean-offset", o->mean_offset);
        cp_pub_add_int(b->p, "excluded", o->excluded);
    }
    for (k = 0; !(b->hide & CP_PRIVATE_RATERS) && k < set->n_recusals; k++) {
        cp_pub_open(b->p, "recusal", 0, 0);
        cp_pub_add(b->p, "rater", set->recusals[k].rater);
        cp_pub_add(b->p, "nominee", set->recusals[k].nominee);
        cp_pub_add(b->p, "reason", set->recusals[k].reason);
    }
}

static void ratings(builder *b, int parent, int c, const char *criterion)
{
    static const char *const use_names[] = {NULL, "same-school", "recused"};
    const cp_candidate *cand = &b->r->candidates->items[c];
    int k;
    for (k = 0; k < cand->n_scores; k++) {
        if (strcmp(cand->scores[k].criterion, criterion))
            continue;
        cp_pub_open(b->p, "rating", parent, 0);
        cp_pub_add(b->p, "rater", cand->scores[k].rater);
        cp_pub_add_number(b->p, "value", cand->scores[k].value);
        cp_pub_add(b->p, "excluded", use_names[b->r->items[c].score_use[k] % 3]);
    }
}

static void candidate_numbers(builder *b, int rec, int c)
{
    const cp_rubric *rub = b->r->rubric;
    const cp_ranked *it = &b->r->items[c];
    int k;
    for (k = 0; k < rub->n_criteria; k++) {
        int crit = cp_pub_open(b->p, "criterion", rec, 0);
        cp_pub_add(b->p, "id", rub->criteria[k].id);
        add_figure(b, "score", it->combined[k]);
        cp_pub_add_number(b->p, "max", rub->criteria[k].max);
        cp_pub_add_number(b->p, "weight", rub->criteria[k].weight);
        add_figure(b, "contribution", it->contribution[k]);
        if (!(b->hide & CP_PRIVATE_RATER_SCORES))
            ratings(b, crit, c, rub->criteria[k].id);
    }
    for (k = 0; k < rub->n_points; k++) {
        cp_pub_open(b->p, "points", rec, 0);
        cp_pub_add(b->p, "attribute", rub->points[k].attribute);
        if (!(b->hide & CP_PRIVATE_ATTRIBUTE_VALUES))
            cp_pub_add(b->p, "value", cp_candidate_attribute(&b->r->candidates->items[c],
                                                             rub->points[k].attribute));
        add_figure(b, "points", it->points[k]);
    }
}

static void notes(builder *b, int rec, const char *tag, char *const *items, int n)
{
    int k;
    for (k = 0; k < n; k++)
        cp_pub_set_text(b->p, cp_pub_open(b->p, tag, rec, 0), items[k]);
}

static void candidate(builder *b, int c)
{
    const cp_candidate *cand = &b->r->candidates->items[c];
    const cp_ranked *it = &b->r->items[c];
    cp_publication *p = b->p;
    int rec = cp_pub_open(p, "candidate", 0, 0);
    cp_pub_add(p, "id", cand->id);
    if (!(b->hide & CP_PRIVATE_NAME))
        cp_pub_add(p, "name", cand->name[0] ? cand->name : NULL);
    if (!(b->hide & CP_PRIVATE_GENDER))
        cp_pub_add(p, "gender", cp_gender_name(cand->gender));
    if (!(b->hide & CP_PRIVATE_SCHOOL))
        cp_pub_add(p, "school", cand->school);
    if (!(b->hide & CP_PRIVATE_REGION))
        cp_pub_add(p, "region", cand->region);
    cp_pub_add(p, "withdrawn", cand->withdrawn ? "true" : NULL);
    add_figure(b, "total", it->total);
    if (it->rank > 0) {
        cp_pub_add_int(p, "rank", it->rank);
        cp_pub_add_number(p, "percentile", cp_round_decimals(it->percentile, 2));
        cp_pub_add(p, "band", role_name(b->r, it->band_role));
        cp_pub_add(p, "role", role_name(b->r, it->role));
    } else {
        cp_pub_add(p, "excluded", "true");
    }
    candidate_numbers(b, rec, c);
    if (!(b->hide & CP_PRIVATE_REASONS))
        notes(b, rec, "reason", it->reasons, it->n_reasons);
    if (!(b->hide & CP_PRIVATE_FLAGS))
        notes(b, rec, "flag", it->flags, it->n_flags);
}

static cp_publication *build_tree(const cp_ranking *r, int public_version)
{
    builder b;
    int k;
    b.r = r;
    b.hide = public_version ? r->rubric->private_fields : 0;
    if (!(b.p = cp_publication_new(r->candidates->source, 0)))
        return NULL;
    root(&b, public_version);
    roles(&b);
    quotas(&b);
    reserves(&b);
    rater_statistics(&b);
    for (k = 0; k < r->n; k++)
        candidate(&b, r->order[k]);
    if (b.p->failed) {
        cp_publication_free(b.p);
        return NULL;
    }
    return b.p;
}

/* ---------------------------------------------------------------- digest */

/* Fields the digest leaves out: the digests themselves, and the program
 * that wrote the list (a later version that computes the same list gives
 * the same digest; `--verify` of a file still compares it). */
static int volatile_field(const char *name)
{
    return !strcmp(name, "program") || !strcmp(name, "list-sha256") ||
           !strcmp(name, "public-sha256");
}

/* The canonical text goes to SHA-256 through a buffer, a few KB at a time. */
typedef struct {
    cp_sha256 h;
    char buf[8192];
    size_t n;
} hasher;

static void put(hasher *x, const char *s, size_t n)
{
    while (n > 0) {
        size_t room = sizeof x->buf - x->n, take = n < room ? n : room;
        memcpy(x->buf + x->n, s, take);
        x->n += take;
        s += take;
        n -= take;
        if (x->n == sizeof x->buf) {
            cp_sha256_update(&x->h, x->buf, x->n);
            x->n = 0;
        }
    }
}

/* Backslash, tab, newline and CR escaped, so fields cannot run together. */
static void put_escaped(hasher *x, const char *s)
{
    for (;;) {
        size_t plain = strcspn(s, "\\\t\n\r");
        put(x, s, plain);
        s += plain;
        if (!*s)
            return;
        put(x, *s == '\\' ? "\\\\" : *s == '\t' ? "\\t" : *s == '\n' ? "\\n" : "\\r", 2);
        s++;
    }
}

/* Fields by name (insertion sort: a record has a handful). */
static void sort_fields(const cp_pub_field **f, int n)
{
    int k, j;
    for (k = 1; k < n; k++)
        for (j = k; j > 0 && strcmp(f[j - 1]->name, f[j]->name) > 0; j--) {
            const cp_pub_field *t = f[j];
            f[j] = f[j - 1];
            f[j - 1] = t;
        }
}

/* The digest of p as if its root also had field `extra` (when not NULL)
 * and had no field named `without` (when not NULL): the public version's
 * digest from the full tree when the rubric keeps nothing private. */
static cp_code digest_as(const cp_publication *p, const cp_pub_field *extra, const char *without,
                         char hex[65], cp_error *err)
{
    hasher *x = cp_malloc(sizeof *x);
    int k, j, n, most = 1;
    const cp_pub_field **f;
    for (k = 0; k < p->n; k++)
        most = p->items[k].n_fields > most ? p->items[k].n_fields : most;
    f = x ? cp_malloc((size_t)(most + 1) * sizeof *f) : NULL;
    if (!f) {
        cp_free(x);
        return cp_fail_nomem(err);
    }
    cp_sha256_init(&x->h);
    x->n = 0;
    for (k = 0; k < p->n; k++) {
        const cp_pub_record *rec = &p->items[k];
        char depth[16];
        snprintf(depth, sizeof depth, "%d\t", cp_pub_depth(p, k));
        put(x, depth, strlen(depth));
        put_escaped(x, rec->element);
        for (j = n = 0; j < rec->n_fields; j++)
            if (!(k == 0 && without && !strcmp(p->fields[rec->first_field + j].name, without)))
                f[n++] = &p->fields[rec->first_field + j];
        if (k == 0 && extra)
            f[n++] = extra;
        sort_fields(f, n);
        for (j = 0; j < n; j++) {
            if (volatile_field(f[j]->name))
                continue;
            put(x, "\t", 1);
            put_escaped(x, f[j]->name);
            put(x, "=", 1);
            put_escaped(x, f[j]->value);
        }
        if (rec->text) {
            put(x, "\t#=", 3);
            put_escaped(x, rec->text);
        }
        put(x, "\n", 1);
    }
    cp_sha256_update(&x->h, x->buf, x->n);
    cp_sha256_final(&x->h, hex);
    cp_free((void *)f);
    cp_free(x);
    return CP_OK;
}

cp_code cp_publication_digest(const cp_publication *p, char hex[65], cp_error *err)
{
    return digest_as(p, NULL, NULL, hex, err);
}

/* The digest an XML ranking states for itself (public-sha256 in a public
 * version, else list-sha256) against its content.  A CSV's digests are
 * those of the XML tree it was cut from, which its rows do not hold, so a
 * CSV is checked by rank --verify only. */
const char *cp_publication_own_digest_name(const cp_publication *p)
{
    const char *public_version = p->n > 0 ? cp_pub_get(p, 0, "public") : NULL;
    return public_version && !strcmp(public_version, "true") ? "public-sha256" : "list-sha256";
}

cp_code cp_publication_check_own_digest(const cp_publication *p, cp_error *err)
{
    const char *name = cp_publication_own_digest_name(p);
    const char *claimed = p->n > 0 ? cp_pub_get(p, 0, name) : NULL;
    char hex[65];
    cp_code rc;
    if (p->csv || !claimed)
        return CP_OK;
    if ((rc = cp_publication_digest(p, hex, err)))
        return rc;
    if (strcasecmp(claimed, hex))
        return cp_fail(err, CP_EINPUT, "%s: its content does not match its %s (%s stated, %s "
                       "computed): the file was edited after it was published; use the file "
                       "as published, or rank again", p->source, name, claimed, hex);
    return CP_OK;
}

/* Both digests, with one tree in memory at a time: when the rubric keeps
 * nothing private the two trees differ only by the root's public="true",
 * so both digests come from the one asked for; else the other tree is
 * built first, only for its digest, and freed before this one is built. */
cp_publication *cp_ranking_publish(const cp_ranking *r, int public_version, cp_error *err)
{
    static const cp_pub_field public_mark = {"public", "true"};
    char digests[2][65]; /* [0] the full list, [1] the public version */
    int alone = r->rubric->private_fields == 0;
    cp_publication *keep = NULL, *other = alone ? NULL : build_tree(r, !public_version);
    cp_code rc = alone || other ? CP_OK : cp_fail_nomem(err);
    if (other)
        rc = cp_publication_digest(other, digests[!public_version], err);
    cp_publication_free(other);
    if (!rc && !(keep = build_tree(r, public_version)))
        rc = cp_fail_nomem(err);
    if (!rc)
        rc = cp_publication_digest(keep, digests[public_version], err);
    if (!rc && alone)
        rc = digest_as(keep, public_version ? NULL : &public_mark,
                       public_version ? "public" : NULL, digests[!public_version], err);
    if (!rc) {
        cp_pub_replace(keep, 0, "list-sha256", digests[0]);
        cp_pub_replace(keep, 0, "public-sha256", digests[1]);
        if (keep->failed)
            rc = cp_fail_nomem(err);
    }
    if (rc) {
        cp_publication_free(keep);
        return NULL;
    }
    return keep;
}
