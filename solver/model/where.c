/*
 * where.c — an instance's schools kept or reordered.  `--where
 * FIELD=VALUE` on a native instance: only the schools that meet every
 * condition stay (a county, a zone, the schools of one existing cluster),
 * with the roads and od pairs between them.  A GIS source is filtered
 * while it is read (read_ogr.c), by the same rule (cp_where_matches), where
 * any column of the layer may be named; a native school has only the
 * model's fields.  cp_instance_sort_by_id: a GIS layer's schools in the
 * order of their ids, whatever order the file holds them in.
 *
 * The kept schools are copied into a new instance (the id index and the
 * string pool cannot drop entries), which then replaces the old one's
 * contents.  Work: O(n + links) and the strings of the kept schools.
 */
#include "model.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const fields[] = {"admin1", "admin2", "admin3", "admin4", "cluster",
                                     "id",     "name",   "centre", "host",   NULL};

static const char *field_value(const cp_school *s, int f)
{
    static const char *const rules[] = {"allowed", "required", "forbidden"};
    switch (f) {
    case 0: case 1: case 2: case 3: return s->admin_name[f] ? s->admin_name[f] : "";
    case 4: return s->cluster ? s->cluster : "";
    case 5: return s->id;
    case 6: return s->name ? s->name : "";
    case 7: return rules[s->centre];
    default: return s->host ? "true" : "false";
    }
}

static int field_index(const char *name)
{
    int k;
    for (k = 0; fields[k]; k++)
        if (strcmp(fields[k], name) == 0)
            return k;
    return -1;
}

int cp_where_matches(const char *value, const char *wanted)
{
    return strcasecmp(value, wanted) == 0;
}

/* Whether the school meets every condition; each condition it meets
 * counts in hits[k]. */
static int meets(const cp_school *s, const cp_scenario *sc, const int *which, long *hits)
{
    int k, all = 1;
    for (k = 0; k < sc->n_where; k++)
        if (cp_where_matches(field_value(s, which[k]), sc->where[k].column))
            hits[k]++;
        else
            all = 0;
    return all;
}

void cp_where_no_match(const cp_scenario *sc, const long *hits, char *out, size_t n)
{
    size_t used;
    int k;
    for (k = 0; k < sc->n_where; k++)
        if (hits[k] == 0) {
            snprintf(out, n, "--where %s=%s: no school has it", sc->where[k].field,
                     sc->where[k].column);
            return;
        }
    used = (size_t)snprintf(out, n, "no school meets every --where condition at once (");
    for (k = 0; k < sc->n_where && used < n; k++)
        used += (size_t)snprintf(out + used, n - used, "%s%s=%s alone: %ld", k ? "; " : "",
                                 sc->where[k].field, sc->where[k].column, hits[k]);
    if (used < n)
        snprintf(out + used, n - used, ")");
}

static cp_code copy_school(cp_instance *to, const cp_instance *from, int i)
{
    const cp_school *s = &from->schools[i];
    int j = cp_instance_add_school(to, s->id);
    cp_school *t;
    const char *names[CP_ADMIN_LEVELS], *new_id;
    int k;
    if (j < 0)
        return CP_ERESOURCE;
    t = &to->schools[j];
    new_id = t->id; /* in the new instance's pool */
    *t = *s;
    t->id = new_id;
    t->name = s->name ? cp_instance_str(to, s->name) : s->name;
    t->cluster = s->cluster ? cp_instance_str(to, s->cluster) : NULL;
    for (k = 0; k < CP_ADMIN_LEVELS; k++)
        names[k] = s->admin_name[k];
    if ((s->name && !t->name) || (s->cluster && !t->cluster))
        return CP_ERESOURCE;
    return cp_instance_set_admin(to, j, names);
}

static cp_code copy_links(cp_instance *to, const cp_instance *from, const int *new_index)
{
    int k;
    for (k = 0; k < from->n_roads; k++) {
        const cp_link *l = &from->roads[k];
        if (new_index[l->from] >= 0 && new_index[l->to] >= 0 &&
            cp_instance_add_link(to, 1, new_index[l->from], new_index[l->to], l->length, l->line))
            return CP_ERESOURCE;
    }
    for (k = 0; k < from->n_od; k++) {
        const cp_link *l = &from->od[k];
        if (new_index[l->from] >= 0 && new_index[l->to] >= 0 &&
            cp_instance_add_link(to, 0, new_index[l->from], new_index[l->to], l->length, l->line))
            return CP_ERESOURCE;
    }
    return CP_OK;
}

/* The schools order[0..n) (old indices) into a new instance, with the
 * links between them, which then takes inst's place; its name, source and
 * CRS stay.  CP_ERESOURCE when out of memory (inst unchanged). */
static cp_code rebuild(cp_instance *inst, const int *order, int n)
{
    int *new_index = cp_malloc((size_t)(inst->n_schools ? inst->n_schools : 1) * sizeof(int));
    cp_instance *sub = new_index ? cp_instance_new(inst->name, inst->distance) : NULL;
    cp_instance old;
    cp_code rc = CP_OK;
    int k;
    if (!sub) {
        cp_free(new_index);
        return CP_ERESOURCE;
    }
    for (k = 0; k < inst->n_groups && !rc; k++) /* the schools keep their group columns */
        if (!(sub->group_name[sub->n_groups++] = cp_instance_str(sub, inst->group_name[k])))
            rc = CP_ERESOURCE;
    for (k = 0; k < inst->n_schools; k++)
        new_index[k] = -1;
    for (k = 0; !rc && k < n; k++) {
        new_index[order[k]] = k;
        rc = copy_school(sub, inst, order[k]);
    }
    if (!rc)
        rc = copy_links(sub, inst, new_index);
    cp_free(new_index);
    if (rc) {
        cp_instance_free(sub);
        return rc;
    }
    old = *inst;
    *inst = *sub;
    inst->source = old.source;
    inst->crs = old.crs;
    inst->layer = old.layer;
    inst->units = old.units;
    old.source = old.crs = old.layer = NULL;
    *sub = old;
    cp_instance_free(sub);
    return CP_OK;
}

cp_code cp_instance_where(cp_instance *inst, const cp_scenario *sc, cp_error *err)
{
    int which[64], k, i, kept = 0, *order;
    long hits[64];
    cp_code rc;
    if (!sc || sc->n_where == 0)
        return CP_OK;
    if (sc->n_where > 64)
        return cp_fail(err, CP_EINPUT, "more than 64 --where conditions");
    for (k = 0; k < sc->n_where; k++)
        if ((which[k] = field_index(sc->where[k].field)) < 0)
            return cp_fail(err, CP_EINPUT, "--where %s=%s: a native instance's schools have no "
                           "field \"%s\" (admin1..admin4, cluster, id, name, centre, host)",
                           sc->where[k].field, sc->where[k].column, sc->where[k].field);
    order = cp_malloc((size_t)(inst->n_schools ? inst->n_schools : 1) * sizeof(int));
    if (!order)
        return cp_fail_nomem(err);
    memset(hits, 0, sizeof hits);
    for (i = 0; i < inst->n_schools; i++)
        if (meets(&inst->schools[i], sc, which, hits))
            order[kept++] = i;
    if (kept == 0) {
        char why[CP_MSG_MAX / 2];
        cp_free(order);
        cp_where_no_match(sc, hits, why, sizeof why);
        return cp_fail(err, CP_EINPUT, "%s: %s", inst->source ? inst->source : inst->name, why);
    }
    rc = rebuild(inst, order, kept);
    cp_free(order);
    return rc ? cp_fail_nomem(err) : CP_OK;
}

/* Ids in their natural order: runs of digits by value ("S9" before
 * "S10"), the rest byte by byte; ids equal so ("S01", "S1") by their
 * bytes.  A total order on distinct ids. */
static int natural_cmp(const char *a, const char *b)
{
    const char *p = a, *q = b;
    while (*p && *q) {
        if (isdigit((unsigned char)*p) && isdigit((unsigned char)*q)) {
            const char *p0, *q0;
            size_t lp, lq;
            while (*p == '0' && isdigit((unsigned char)p[1]))
                p++;
            while (*q == '0' && isdigit((unsigned char)q[1]))
                q++;
            for (p0 = p; isdigit((unsigned char)*p); p++)
                ;
            for (q0 = q; isdigit((unsigned char)*q); q++)
                ;
            lp = (size_t)(p - p0);
            lq = (size_t)(q - q0);
            if (lp != lq)
                return lp < lq ? -1 : 1;
            if (memcmp(p0, q0, lp))
                return memcmp(p0, q0, lp) < 0 ? -1 : 1;
            continue;
        }
        if (*p != *q)
            return (unsigned char)*p < (unsigned char)*q ? -1 : 1;
        p++;
        q++;
    }
    if (*p || *q)
        return *p ? 1 : -1;
    return strcmp(a, b);
}

typedef struct {
    const char *id;
    int index;
} id_rank;

static int cmp_by_id(const void *x, const void *y)
{
    return natural_cmp(((const id_rank *)x)->id, ((const id_rank *)y)->id);
}

cp_code cp_instance_sort_by_id(cp_instance *inst, cp_error *err)
{
    int i, *order;
    id_rank *rank;
    cp_code rc;
    for (i = 1; i < inst->n_schools; i++)
        if (natural_cmp(inst->schools[i - 1].id, inst->schools[i].id) > 0)
            break;
    if (i >= inst->n_schools)
        return CP_OK; /* already in order (the Kenya register): nothing to do */
    order = cp_malloc((size_t)inst->n_schools * sizeof(int));
    rank = cp_malloc((size_t)inst->n_schools * sizeof *rank);
    if (!order || !rank) {
        cp_free(order);
        cp_free(rank);
        return cp_fail_nomem(err);
    }
    for (i = 0; i < inst->n_schools; i++) {
        rank[i].id = inst->schools[i].id;
        rank[i].index = i;
    }
    qsort(rank, (size_t)inst->n_schools, sizeof *rank, cmp_by_id);
    for (i = 0; i < inst->n_schools; i++)
        order[i] = rank[i].index;
    cp_free(rank);
    rc = rebuild(inst, order, inst->n_schools);
    cp_free(order);
    return rc ? cp_fail_nomem(err) : CP_OK;
}
