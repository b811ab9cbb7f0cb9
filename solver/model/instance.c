/*
 * instance.c — the instance object: schools, roads and od pairs, with an id
 * index and interned admin paths.  Readers build instances through the
 * cp_instance_add_* functions; everything else only reads them.
 */
#include "roads.h"

#include <math.h>
#include <string.h>

cp_instance *cp_instance_new(const char *name, cp_distance_mode mode)
{
    cp_instance *inst = cp_calloc(1, sizeof *inst);
    if (!inst)
        return NULL;
    inst->priv = cp_calloc(1, sizeof *inst->priv);
    inst->name = cp_strdup(name ? name : "");
    if (!inst->priv || !inst->name) {
        cp_instance_free(inst);
        return NULL;
    }
    cp_intern_init(&inst->priv->ids, &inst->priv->pool);
    cp_intern_init(&inst->priv->admin, &inst->priv->pool);
    memset(inst->priv->last_admin, -1, sizeof inst->priv->last_admin);
    inst->distance = mode;
    inst->units = mode == CP_DIST_HAVERSINE ? "km" : "units";
    return inst;
}

void cp_instance_free(cp_instance *inst)
{
    if (!inst)
        return;
    if (inst->priv) {
        cp_intern_clear(&inst->priv->ids);
        cp_intern_clear(&inst->priv->admin);
        cp_pool_clear(&inst->priv->pool);
        cp_free(inst->priv);
    }
    cp_free(inst->schools);
    cp_free(inst->roads);
    cp_free(inst->od);
    cp_free(inst->name);
    cp_free(inst->crs);
    cp_free(inst->layer);
    cp_free(inst->source);
    cp_road_free(inst->road);
    cp_free(inst);
}

int cp_instance_find(const cp_instance *inst, const char *id)
{
    return cp_intern_find(&inst->priv->ids, id, strlen(id));
}

const char *cp_instance_str(cp_instance *inst, const char *s)
{
    return cp_pool_add(&inst->priv->pool, s, strlen(s));
}

static void school_defaults(cp_school *s)
{
    int k;
    memset(s, 0, sizeof *s);
    s->name = "";
    s->x = s->y = NAN;
    s->teachers = 1.0;
    s->enrolment = NAN;
    s->quality = NAN;
    s->max_distance = NAN;
    s->host = 1;
    s->centre = CP_CENTRE_ALLOWED;
    for (k = 0; k < CP_ADMIN_LEVELS; k++)
        s->admin[k] = -1;
    s->upgrade_cost = NAN;
    for (k = 0; k < CP_MAX_GROUPS; k++)
        s->group_teachers[k] = NAN;
}

int cp_instance_add_school(cp_instance *inst, const char *id)
{
    cp_instance_private *p = inst->priv;
    int before = p->ids.count;
    int idx;
    if (cp_grow((void **)&inst->schools, &p->schools_cap, inst->n_schools + 1,
                sizeof(cp_school)))
        return -1;
    idx = cp_intern_add(&p->ids, id, strlen(id));
    if (idx < 0)
        return -1;
    if (p->ids.count == before)
        return -2;
    school_defaults(&inst->schools[idx]);
    inst->schools[idx].id = p->ids.keys[idx];
    inst->n_schools++;
    return idx;
}

/* The previous school's path id at level k when the path is the same. */
static int same_as_last(const cp_instance_private *p, int k, const char *path, size_t len)
{
    int id = p->last_admin[k];
    if (id < 0 || id >= p->admin.count)
        return -1;
    return strncmp(p->admin.keys[id], path, len) == 0 && p->admin.keys[id][len] == '\0'
               ? id
               : -1;
}

/* Admin paths are interned as "a1\x1f a2 ..." so that equality of the path
 * id at level L means equality of all units admin1..adminL. */
cp_code cp_instance_set_admin(cp_instance *inst, int i, const char *const names[CP_ADMIN_LEVELS])
{
    char path[4 * 512];
    size_t len = 0;
    int k;
    cp_school *s = &inst->schools[i];
    for (k = 0; k < CP_ADMIN_LEVELS; k++) {
        size_t n;
        if (!names[k])
            break;
        n = strlen(names[k]);
        if (n > 500)
            n = 500;
        if (k)
            path[len++] = '\x1f';
        memcpy(path + len, names[k], n);
        len += n;
        s->admin[k] = same_as_last(inst->priv, k, path, len);
        if (s->admin[k] < 0)
            s->admin[k] = cp_intern_add(&inst->priv->admin, path, len);
        if (s->admin[k] < 0)
            return CP_ERESOURCE;
        inst->priv->last_admin[k] = s->admin[k];
        s->admin_name[k] = inst->priv->admin.keys[s->admin[k]] + (len - n);
        if (k + 1 > inst->admin_levels_present)
            inst->admin_levels_present = k + 1;
    }
    return CP_OK;
}

cp_code cp_instance_add_link(cp_instance *inst, int is_road, int from, int to,
                             double length, int line)
{
    cp_link **items = is_road ? &inst->roads : &inst->od;
    int *count = is_road ? &inst->n_roads : &inst->n_od;
    int *cap = is_road ? &inst->priv->roads_cap : &inst->priv->od_cap;
    cp_link *l;
    if (cp_grow((void **)items, cap, *count + 1, sizeof(cp_link)))
        return CP_ERESOURCE;
    l = &(*items)[(*count)++];
    l->from = from;
    l->to = to;
    l->length = length;
    l->line = line;
    return CP_OK;
}

int cp_admin_id_bound(const cp_instance *inst, int level)
{
    int i, top = 0;
    for (i = 0; level > 0 && i < inst->n_schools; i++)
        if (inst->schools[i].admin[level - 1] > top)
            top = inst->schools[i].admin[level - 1];
    return top + 1;
}
