/*
 * where.c — `--where FIELD=VALUE` on a native instance: only the schools
 * that meet every condition stay (a county, a zone, the schools of one
 * existing cluster), with the roads and od pairs between them.  A GIS
 * source is filtered by GDAL while it is read (read_ogr.c), where any
 * column of the layer may be named; a native school has only the model's
 * fields.
 *
 * The kept schools are copied into a new instance (the id index and the
 * string pool cannot drop entries), which then replaces the old one's
 * contents.  Work: O(n + links) and the strings of the kept schools.
 */
#include "model.h"

#include <ctype.h>
#include <string.h>

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
    for (; *value && *wanted; value++, wanted++)
        if (tolower((unsigned char)*value) != tolower((unsigned char)*wanted))
            return 0;
    return *value == *wanted;
}

static int meets(const cp_school *s, const cp_scenario *sc, const int *which)
{
    int k;
    for (k = 0; k < sc->n_where; k++)
        if (!cp_where_matches(field_value(s, which[k]), sc->where[k].column))
            return 0;
    return 1;
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

cp_code cp_instance_where(cp_instance *inst, const cp_scenario *sc, cp_error *err)
{
    int which[64], k, i, kept = 0, *new_index;
    cp_instance *sub;
    cp_instance old;
    cp_code rc = CP_OK;
    if (!sc || sc->n_where == 0)
        return CP_OK;
    if (sc->n_where > 64)
        return cp_fail(err, CP_EINPUT, "more than 64 --where conditions");
    for (k = 0; k < sc->n_where; k++)
        if ((which[k] = field_index(sc->where[k].field)) < 0)
            return cp_fail(err, CP_EINPUT, "--where %s=%s: a native instance's schools have no "
                           "field \"%s\" (admin1..admin4, cluster, id, name, centre, host)",
                           sc->where[k].field, sc->where[k].column, sc->where[k].field);
    new_index = cp_malloc((size_t)(inst->n_schools ? inst->n_schools : 1) * sizeof(int));
    sub = new_index ? cp_instance_new(inst->name, inst->distance) : NULL;
    if (!sub) {
        cp_free(new_index);
        return cp_fail_nomem(err);
    }
    for (k = 0; k < inst->n_groups && !rc; k++) /* the schools keep their group columns */
        if (!(sub->group_name[sub->n_groups++] = cp_instance_str(sub, inst->group_name[k])))
            rc = CP_ERESOURCE;
    for (i = 0; !rc && i < inst->n_schools; i++) {
        new_index[i] = meets(&inst->schools[i], sc, which) ? kept++ : -1;
        if (new_index[i] >= 0)
            rc = copy_school(sub, inst, i);
    }
    if (!rc)
        rc = copy_links(sub, inst, new_index);
    cp_free(new_index);
    if (rc) {
        cp_instance_free(sub);
        return cp_fail_nomem(err);
    }
    if (kept == 0) {
        cp_instance_free(sub);
        return cp_fail(err, CP_EINPUT, "--where %s=%s%s: no school of %s meets it",
                       sc->where[0].field, sc->where[0].column,
                       sc->n_where > 1 ? " (and the other conditions)" : "",
                       inst->source ? inst->source : inst->name);
    }
    /* the subset takes the instance's place; its own name, source and CRS stay */
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
