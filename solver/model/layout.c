/*
 * layout.c — a cluster layout (who is in which cluster, and each centre),
 * built by the solution reader, by the solvers, or from the instance's own
 * `cluster` / `centre` attributes for benchmarking today's official layout.
 */
#include "model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

cp_layout *cp_layout_new(int n_schools)
{
    cp_layout *lay = cp_calloc(1, sizeof *lay);
    int i;
    if (!lay)
        return NULL;
    lay->n_schools = n_schools;
    lay->cluster_of = cp_malloc((size_t)n_schools * sizeof(int));
    lay->reason = cp_calloc((size_t)n_schools, sizeof(char *));
    if (!lay->cluster_of || !lay->reason) {
        cp_layout_free(lay);
        return NULL;
    }
    for (i = 0; i < n_schools; i++)
        lay->cluster_of[i] = -1;
    lay->info.objective = NAN;
    lay->info.bound = NAN;
    lay->info.gap = NAN;
    lay->info.unassigned = -1;
    lay->info.seconds = NAN;
    return lay;
}

void cp_layout_free(cp_layout *lay)
{
    int i;
    if (!lay)
        return;
    for (i = 0; i < lay->n_clusters; i++)
        cp_free(lay->label[i]);
    if (lay->reason)
        for (i = 0; i < lay->n_schools; i++)
            cp_free(lay->reason[i]);
    cp_free(lay->cluster_of);
    cp_free(lay->centre);
    cp_free(lay->label);
    cp_free(lay->reason);
    cp_free(lay->duplicates);
    cp_free(lay->flags);
    cp_free(lay->info.method);
    cp_free(lay->info.scenario);
    cp_upgrades_free(lay->upgrades);
    cp_zoning_free(lay->zones);
    cp_free(lay->info.roads_sha256);
    cp_free(lay->info.roads_travel);
    cp_free(lay->info.where);
    cp_free(lay->info.rules_sha256);
    cp_free(lay);
}

void cp_upgrades_free(cp_upgrades *u)
{
    if (!u)
        return;
    cp_free(u->items);
    cp_free(u->answer);
    cp_free(u->answer_places);
    cp_free(u);
}

void cp_zoning_free(cp_zoning *z)
{
    int k;
    if (!z)
        return;
    for (k = 0; z->label && k < z->n_zones; k++)
        cp_free(z->label[k]);
    for (k = 0; z->reason && k < z->n_clusters; k++)
        cp_free(z->reason[k]);
    cp_free(z->zone_of);
    cp_free(z->centre);
    cp_free(z->label);
    cp_free(z->reason);
    cp_free(z->info.method);
    cp_free(z->info.scenario);
    cp_free(z);
}

/* The per-cluster arrays share one capacity, grown by doubling. */
static int ensure_cluster_room(cp_layout *lay)
{
    int cap = lay->cluster_capacity ? lay->cluster_capacity * 2 : 16;
    int *centre, *flags;
    char **label;
    if (lay->n_clusters < lay->cluster_capacity)
        return 0;
    centre = cp_realloc(lay->centre, (size_t)cap * sizeof(int));
    if (!centre)
        return -1;
    lay->centre = centre;
    label = cp_realloc(lay->label, (size_t)cap * sizeof(char *));
    if (!label)
        return -1;
    lay->label = label;
    flags = cp_realloc(lay->flags, (size_t)cap * sizeof(int));
    if (!flags)
        return -1;
    lay->flags = flags;
    lay->cluster_capacity = cap;
    return 0;
}

int cp_layout_add_cluster(cp_layout *lay, const char *label, int centre)
{
    char generated[32];
    char *copy;
    if (ensure_cluster_room(lay))
        return -1;
    if (!label) {
        snprintf(generated, sizeof generated, "C%d", lay->n_clusters + 1);
        label = generated;
    }
    copy = cp_strdup(label);
    if (!copy)
        return -1;
    lay->label[lay->n_clusters] = copy;
    lay->centre[lay->n_clusters] = centre;
    lay->flags[lay->n_clusters] = 0;
    return lay->n_clusters++;
}

cp_code cp_layout_members(const cp_layout *lay, int **start_out, int **members_out)
{
    int n = lay->n_schools, k = lay->n_clusters, c, i;
    int *start = cp_calloc((size_t)k + 2, sizeof(int));
    int *members = cp_malloc((size_t)(n ? n : 1) * sizeof(int));
    int *fill = cp_malloc(((size_t)k + 1) * sizeof(int));
    if (!start || !members || !fill) {
        cp_free(start);
        cp_free(members);
        cp_free(fill);
        return CP_ERESOURCE;
    }
    for (i = 0; i < n; i++)
        if (lay->cluster_of[i] >= 0)
            start[lay->cluster_of[i] + 1]++;
    for (c = 0; c < k; c++)
        start[c + 1] += start[c];
    memcpy(fill, start, ((size_t)k + 1) * sizeof(int));
    for (i = 0; i < n; i++)
        if (lay->cluster_of[i] >= 0)
            members[fill[lay->cluster_of[i]]++] = i;
    cp_free(fill);
    *start_out = start;
    *members_out = members;
    return CP_OK;
}

const char *cp_status_name(cp_status s)
{
    static const char *const names[] = {"none",     "optimal",    "feasible",
                                        "infeasible", "time-limit", "interrupted"};
    return (unsigned)s < sizeof names / sizeof *names ? names[s] : "none";
}

/* ------------------------------------------------------- existing layout */

/* Key of school i's existing cluster: the label, qualified by its admin path
 * down to `scope` so equal labels in different units stay apart. */
static int existing_key(const cp_instance *inst, int i, int scope, char *buf, size_t n)
{
    const cp_school *s = &inst->schools[i];
    if (scope > 0 && s->admin[scope - 1] >= 0)
        return snprintf(buf, n, "%d\x1f%s", s->admin[scope - 1], s->cluster);
    return snprintf(buf, n, "%s", s->cluster);
}

/* Without a scope, a label that spans several admin units is one cluster;
 * say so, with the remedy: the deepest level at which labels still span. */
static int count_spanning(const cp_instance *inst, const cp_layout *lay, int level, int *unit)
{
    int c, i, spanning = 0;
    for (c = 0; c < lay->n_clusters; c++)
        unit[c] = -1;
    for (i = 0; i < inst->n_schools; i++) {
        int k = lay->cluster_of[i], a = inst->schools[i].admin[level - 1];
        if (k < 0 || a < 0 || unit[k] == -2)
            continue;
        if (unit[k] == -1)
            unit[k] = a;
        else if (unit[k] != a) {
            unit[k] = -2;
            spanning++;
        }
    }
    return spanning;
}

static cp_code label_conflict_warnings(const cp_instance *inst, const cp_layout *lay,
                                       int scope, cp_warnings *warn)
{
    int level, spanning = 0, deepest = 0;
    int *unit;
    if (scope > 0 || lay->n_clusters == 0)
        return CP_OK;
    unit = cp_malloc((size_t)lay->n_clusters * sizeof(int));
    if (!unit)
        return CP_ERESOURCE;
    for (level = 1; level <= inst->admin_levels_present; level++) {
        int n = count_spanning(inst, lay, level, unit);
        if (n > 0) {
            spanning = n;
            deepest = level;
        }
    }
    cp_free(unit);
    if (deepest)
        return cp_warn(warn, "existing layout: %d cluster labels occur in several admin%d "
                             "units; each is taken as ONE cluster (reported as crossing admin "
                             "units); --existing-scope %d treats equal labels in different "
                             "units as different clusters", spanning, deepest, deepest);
    return CP_OK;
}

static cp_code assign_existing(const cp_instance *inst, cp_layout *lay, int scope,
                               cp_intern *keys, cp_error *err)
{
    char key[2048];
    int i;
    for (i = 0; i < inst->n_schools; i++) {
        const cp_school *s = &inst->schools[i];
        int len, k;
        if (!s->cluster || !s->cluster[0])
            continue;
        len = existing_key(inst, i, scope, key, sizeof key);
        if (len >= (int)sizeof key)
            len = (int)sizeof key - 1;
        k = cp_intern_add(keys, key, (size_t)len);
        if (k < 0)
            return cp_fail_nomem(err);
        if (k == lay->n_clusters && cp_layout_add_cluster(lay, s->cluster, -1) < 0)
            return cp_fail_nomem(err);
        lay->cluster_of[i] = k;
        if (s->centre == CP_CENTRE_REQUIRED || s->existing_centre) {
            if (lay->centre[k] < 0)
                lay->centre[k] = i;
            else
                lay->flags[k] |= CP_LAYOUT_SEVERAL_CENTRES;
        }
    }
    return CP_OK;
}

typedef struct {
    const char *label;
    int cluster;
} label_rank;

static int cmp_label(const void *x, const void *y)
{
    const label_rank *a = x, *b = y;
    int d = strcmp(a->label, b->label);
    return d ? d : (a->cluster > b->cluster) - (a->cluster < b->cluster);
}

/* Marks (dup[c] = 1) every cluster whose label another cluster has too.
 * O(k log k). */
static cp_code find_duplicate_labels(const cp_layout *lay, unsigned char *dup)
{
    label_rank *r = cp_malloc((size_t)(lay->n_clusters ? lay->n_clusters : 1) * sizeof *r);
    int c;
    if (!r)
        return CP_ERESOURCE;
    for (c = 0; c < lay->n_clusters; c++) {
        r[c].label = lay->label[c];
        r[c].cluster = c;
    }
    qsort(r, (size_t)lay->n_clusters, sizeof *r, cmp_label);
    memset(dup, 0, (size_t)(lay->n_clusters ? lay->n_clusters : 1));
    for (c = 1; c < lay->n_clusters; c++)
        if (!strcmp(r[c].label, r[c - 1].label))
            dup[r[c].cluster] = dup[r[c - 1].cluster] = 1;
    cp_free(r);
    return CP_OK;
}

/* With a scope, equal labels in different units are different clusters,
 * and their ids in every output must differ too (a solution file with two
 * clusters "Central" could not be read back; a GIS layer would merge
 * them): such a label is qualified by its unit's name at the scope level
 * ("Bahari/Central"), and where that still repeats, by the whole path
 * ("Kilifi/Bahari/Central").  Labels no other cluster shares stay. */
static cp_code qualify_labels(const cp_instance *inst, cp_layout *lay, int scope)
{
    unsigned char *dup = cp_malloc((size_t)(lay->n_clusters ? lay->n_clusters : 1));
    int *first = cp_malloc((size_t)(lay->n_clusters ? lay->n_clusters : 1) * sizeof(int));
    int pass, c, i, k;
    cp_code rc = dup && first ? CP_OK : CP_ERESOURCE;
    for (c = 0; !rc && c < lay->n_clusters; c++)
        first[c] = -1;
    for (i = 0; !rc && i < inst->n_schools; i++)
        if (lay->cluster_of[i] >= 0 && first[lay->cluster_of[i]] < 0)
            first[lay->cluster_of[i]] = i;
    for (pass = 0; !rc && pass < 2; pass++) {
        if ((rc = find_duplicate_labels(lay, dup)))
            break;
        for (c = 0; !rc && c < lay->n_clusters; c++) {
            const cp_school *s;
            char buf[2048];
            size_t used = 0;
            if (!dup[c] || first[c] < 0)
                continue;
            s = &inst->schools[first[c]];
            /* the deepest unit name that is not the label itself (zones as
             * clusters: the scope's own unit is the zone), or every one */
            for (k = 0; k < scope; k++) {
                int deepest = 1, j;
                if (!s->admin_name[k] || !strcmp(s->admin_name[k], s->cluster))
                    continue;
                for (j = k + 1; j < scope; j++)
                    if (s->admin_name[j] && strcmp(s->admin_name[j], s->cluster))
                        deepest = 0;
                if ((pass || deepest) && used < sizeof buf)
                    used += (size_t)snprintf(buf + used, sizeof buf - used, "%s/",
                                             s->admin_name[k]);
            }
            if (used >= sizeof buf)
                continue; /* a path too long: the label stays as it was */
            snprintf(buf + used, sizeof buf - used, "%s", s->cluster);
            cp_free(lay->label[c]);
            if (!(lay->label[c] = cp_strdup(buf)))
                rc = CP_ERESOURCE;
        }
    }
    cp_free(dup);
    cp_free(first);
    return rc;
}

cp_layout *cp_layout_existing(const cp_instance *inst, int scope,
                              cp_warnings *warn, cp_error *err)
{
    cp_layout *lay = cp_layout_new(inst->n_schools);
    cp_pool pool = {NULL};
    cp_intern keys;
    cp_code rc;
    if (!lay) {
        cp_fail_nomem(err);
        return NULL;
    }
    cp_intern_init(&keys, &pool);
    rc = assign_existing(inst, lay, scope, &keys, err);
    if (!rc && scope > 0 && qualify_labels(inst, lay, scope))
        rc = cp_fail_nomem(err);
    cp_intern_clear(&keys);
    cp_pool_clear(&pool);
    if (!rc && label_conflict_warnings(inst, lay, scope, warn))
        rc = cp_fail_nomem(err);
    if (rc) {
        cp_layout_free(lay);
        return NULL;
    }
    /* an empty layout would be scored as one that breaks no rule and
     * places no school: a study's baseline row said "breaks 0 of these
     * rules" */
    if (lay->n_clusters == 0) {
        cp_fail(err, CP_EINPUT, "existing layout: no school has a cluster attribute, so there is "
                "no official layout to evaluate (map the column that holds it with --field "
                "cluster=COLUMN, or <field name=\"cluster\" column=\"...\"/>)");
        cp_layout_free(lay);
        return NULL;
    }
    return lay;
}

static void rule_of(const char *reason, char *rule, size_t cap)
{
    const char *colon = strchr(reason, ':');
    size_t len = colon ? (size_t)(colon - reason) : strlen(reason);
    if (len >= cap)
        len = cap - 1;
    memcpy(rule, reason, len);
    rule[len] = '\0';
}

/* Work: each unassigned school against the groups found so far (a handful
 * of rules in practice; at most `cap` are kept, the others counted in
 * *others). */
int cp_layout_reason_groups(const cp_layout *lay, cp_reason_group *groups, int cap,
                            int *others)
{
    int n = 0, i, g;
    char rule[64];
    *others = 0;
    for (i = 0; i < lay->n_schools; i++) {
        if (lay->cluster_of[i] >= 0)
            continue;
        rule_of(lay->reason[i] ? lay->reason[i] : "not in the layout", rule, sizeof rule);
        for (g = 0; g < n && strcmp(groups[g].rule, rule); g++)
            ;
        if (g < n)
            groups[g].count++;
        else if (n < cap) {
            snprintf(groups[n].rule, sizeof groups[n].rule, "%s", rule);
            groups[n].count = 1;
            groups[n++].first = i;
        } else
            ++*others;
    }
    for (i = 1; i < n; i++) { /* insertion sort: by count, then first school */
        cp_reason_group t = groups[i];
        for (g = i; g > 0 && (groups[g - 1].count < t.count ||
                              (groups[g - 1].count == t.count && groups[g - 1].first > t.first));
             g--)
            groups[g] = groups[g - 1];
        groups[g] = t;
    }
    return n;
}

cp_code cp_layout_set_reason(cp_layout *lay, int i, const char *fmt, ...)
{
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cp_free(lay->reason[i]);
    lay->reason[i] = cp_strdup(buf);
    return lay->reason[i] ? CP_OK : CP_ERESOURCE;
}
