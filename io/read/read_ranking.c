/*
 * read_ranking.c — a published ranking (write_ranking.c's XML) read back:
 * the digests of the files it was computed from, and per candidate the id,
 * school, region, gender, total, rank, role or exclusion.  `rank --verify`
 * compares it with a recomputation; `assign` takes its role holders.
 * The per-criterion detail, quotas and notes are skipped: they follow from
 * the candidates and rubric, which the digests pin down.
 */
#include "xml.h"
#include "solver/facilitators/facilitators.h"

#include <math.h>
#include <string.h>

typedef struct {
    cp_xml *x;
    cp_published_ranking *p;
    int cap;
} reader;

static const char *keep(reader *r, const char *s)
{
    return s ? cp_pool_add(&r->p->priv->pool, s, strlen(s)) : NULL;
}

static cp_code read_digests(reader *r)
{
    static const char *const keys[] = {"candidates-sha256", "rubric-sha256"};
    char *out[] = {r->p->candidates_sha256, r->p->rubric_sha256};
    int k;
    for (k = 0; k < 2; k++) {
        const char *v = cp_xml_attr(r->x, keys[k]);
        if (!v || strlen(v) != 64 || strspn(v, "0123456789abcdef") != 64)
            return cp_xml_fail(r->x, keys[k], v ? v : "", "expected 64 lowercase hex digits");
        memcpy(out[k], v, 65);
    }
    return CP_OK;
}

static cp_code read_entry(reader *r)
{
    cp_published_entry *e;
    const char *id = cp_xml_attr(r->x, "id"), *gender = cp_xml_attr(r->x, "gender");
    int excluded = 0;
    cp_code rc;
    if (!id || !id[0])
        return cp_xml_fail(r->x, "id", "", "every candidate needs an id");
    if (cp_grow((void **)&r->p->items, &r->cap, r->p->n + 1, sizeof *e))
        return cp_fail_nomem(cp_xml_error(r->x));
    e = &r->p->items[r->p->n++];
    memset(e, 0, sizeof *e);
    e->line = cp_xml_line(r->x);
    e->total = NAN;
    e->id = keep(r, id);
    e->school = keep(r, cp_xml_attr(r->x, "school"));
    e->region = keep(r, cp_xml_attr(r->x, "region"));
    e->role = keep(r, cp_xml_attr(r->x, "role"));
    e->gender = gender && strcmp(gender, "unspecified") ? cp_gender_parse(gender)
                                                         : CP_GENDER_UNSPECIFIED;
    if ((int)e->gender < 0)
        return cp_xml_fail(r->x, "gender", gender, "expected female, male, other or unspecified");
    if ((rc = cp_xml_get_double(r->x, "total", -HUGE_VAL, HUGE_VAL, &e->total)) ||
        (rc = cp_xml_get_int(r->x, "rank", 1, 2000000000L, &e->rank)) ||
        (rc = cp_xml_get_bool(r->x, "excluded", &excluded)))
        return rc;
    e->excluded = excluded;
    if (!e->excluded && e->rank == 0)
        return cp_xml_fail(r->x, "rank", "", "a ranked candidate needs its rank");
    return CP_OK;
}

static cp_code read_all(reader *r, const char *source)
{
    cp_error *err = cp_xml_error(r->x);
    int ev, depth = 0;
    cp_code rc;
    ev = cp_xml_next(r->x);
    if (ev == CP_XML_EOF)
        return cp_fail(err, CP_EINPUT, "%s: empty document", source);
    if (ev < 0)
        return err->code;
    if (strcmp(cp_xml_name(r->x), "ranking") != 0)
        return cp_xml_fail(r->x, NULL, NULL, "not a ranking (expected <ranking>)");
    if ((rc = read_digests(r)))
        return rc;
    while ((ev = cp_xml_next(r->x)) != CP_XML_EOF) {
        if (ev < 0)
            return err->code;
        if (ev == CP_XML_START && depth++ == 0 && strcmp(cp_xml_name(r->x), "candidate") == 0 &&
            (rc = read_entry(r)))
            return rc;
        if (ev == CP_XML_END)
            depth--;
    }
    return CP_OK;
}

void cp_published_ranking_free(cp_published_ranking *p)
{
    if (!p)
        return;
    if (p->priv)
        cp_pool_clear(&p->priv->pool);
    cp_free(p->priv);
    cp_free(p->items);
    cp_free(p->source);
    cp_free(p);
}

cp_published_ranking *cp_read_ranking_memory(const char *buf, size_t len, const char *path,
                                             cp_error *err)
{
    cp_published_ranking *p = cp_calloc(1, sizeof *p);
    reader r;
    cp_code rc = CP_ERESOURCE;
    memset(&r, 0, sizeof r);
    if (p && (p->priv = cp_calloc(1, sizeof *p->priv)) && (p->source = cp_strdup(path))) {
        r.p = p;
        r.x = cp_xml_open(path, buf, len, err);
        rc = r.x ? read_all(&r, path) : err->code;
        cp_xml_close(r.x);
    } else {
        cp_fail_nomem(err);
    }
    if (rc) {
        cp_published_ranking_free(p);
        return NULL;
    }
    return p;
}

cp_published_ranking *cp_read_ranking(const char *path, cp_error *err)
{
    return cp_read_ranking_memory(NULL, 0, path, err);
}
