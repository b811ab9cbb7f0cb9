/*
 * groups.c — the model side of issue 24's three rules: an instance's
 * teacher groups (teachers-<group> attributes), the scenario's study groups
 * bound to them, which schools an upgrade can make centres, and the checks
 * of <groups>, <invest> and <zones> (called by cp_scenario_check, so every
 * way of filling a scenario meets them).  README "Study groups", "New
 * exemplar centres" and "Zones" define the rules.
 */
#include "model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------ instance groups */

int cp_instance_group(const cp_instance *inst, const char *name)
{
    int k;
    for (k = 0; k < inst->n_groups; k++)
        if (strcmp(inst->group_name[k], name) == 0)
            return k;
    return -1;
}

cp_code cp_instance_set_group(cp_instance *inst, int i, const char *name, double teachers,
                              cp_error *err)
{
    int k = cp_instance_group(inst, name);
    if (k < 0) {
        if (inst->n_groups == CP_MAX_GROUPS)
            return cp_fail(err, CP_EINPUT, "teachers-%s: at most %d teacher groups "
                           "(teachers-GROUP attributes or columns) per instance", name,
                           CP_MAX_GROUPS);
        if (!(inst->group_name[inst->n_groups] = cp_instance_str(inst, name)))
            return cp_fail_nomem(err);
        k = inst->n_groups++;
    }
    inst->schools[i].group_teachers[k] = teachers;
    return CP_OK;
}

/* ------------------------------------------------------ scenario groups */

cp_code cp_groups_bind(const cp_instance *inst, const cp_scenario *sc, cp_groups *g,
                       cp_error *err)
{
    int k;
    memset(g, 0, sizeof *g);
    g->soft = sc->groups_soft;
    for (k = 0; k < sc->n_groups; k++) {
        int col = cp_instance_group(inst, sc->groups[k].name);
        if (col < 0)
            return cp_fail(err, CP_EINPUT, "study group \"%s\": no school of %s has teachers-%s "
                           "(a GIS column is read by --field teachers-%s=COLUMN, or when the "
                           "layer has a column teachers-%s)", sc->groups[k].name,
                           inst->source ? inst->source : inst->name, sc->groups[k].name,
                           sc->groups[k].name, sc->groups[k].name);
        g->col[g->n] = col;
        g->min[g->n++] = sc->groups[k].min;
    }
    return CP_OK;
}

cp_code cp_rules_check_instance(const cp_instance *inst, const cp_scenario *sc, cp_error *err)
{
    cp_groups g;
    int level;
    if (cp_groups_bind(inst, sc, &g, err))
        return err->code;
    if (!sc->has_zones)
        return CP_OK;
    if (inst->distance == CP_DIST_NETWORK || inst->distance == CP_DIST_MATRIX)
        return cp_fail(err, CP_EINPUT, "zones need the schools' coordinates (distance "
                       "haversine or euclidean); a %s instance has none between centres",
                       inst->distance == CP_DIST_NETWORK ? "network" : "matrix");
    level = sc->zone_admin_level >= 0 ? sc->zone_admin_level : sc->admin_level;
    if (level > inst->admin_levels_present)
        return cp_fail(err, CP_EINPUT, "zones admin-level %d (--zone-admin-level, <zones "
                       "admin-level>) but the instance has admin units only down to level %d "
                       "(map them with --field admin%d=COLUMN)", level,
                       inst->admin_levels_present, level);
    return CP_OK;
}

double cp_group_teachers(const cp_instance *inst, const cp_groups *g, int i, int k)
{
    double v = inst->schools[i].group_teachers[g->col[k]];
    return isnan(v) ? 0.0 : v;
}

cp_code cp_scenario_set_group(cp_scenario *sc, const char *spec, cp_error *err)
{
    const char *eq = strchr(spec, '=');
    double min;
    char *name, *end;
    cp_group_rule *grown;
    int k;
    if (!eq || eq == spec || !eq[1])
        return cp_fail(err, CP_EINPUT, "group minimum \"%s\": expected GROUP=MIN (for example "
                       "math=4)", spec);
    min = strtod(eq + 1, &end);
    if (*end || strpbrk(eq + 1, "xX") || !(min >= 0 && min <= 1e9))
        return cp_fail(err, CP_EINPUT, "group minimum \"%s\": MIN must be a number 0..1e9", spec);
    for (k = 0; k < sc->n_groups; k++)
        if (strlen(sc->groups[k].name) == (size_t)(eq - spec) &&
            strncmp(sc->groups[k].name, spec, (size_t)(eq - spec)) == 0) {
            sc->groups[k].min = min;
            return CP_OK;
        }
    grown = cp_realloc(sc->groups, (size_t)(sc->n_groups + 1) * sizeof *grown);
    if (grown)
        sc->groups = grown;
    if (!grown || !(name = cp_malloc((size_t)(eq - spec) + 1)))
        return cp_fail_nomem(err);
    memcpy(name, spec, (size_t)(eq - spec));
    name[eq - spec] = '\0';
    sc->groups[sc->n_groups].name = name;
    sc->groups[sc->n_groups++].min = min;
    return CP_OK;
}

/* Names a teachers-<name> attribute can carry: letters, digits, _ and -. */
static int group_name_ok(const char *name)
{
    return name && name[0] && strlen(name) <= 40 &&
           strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") ==
               strlen(name);
}

cp_code cp_scenario_check_rules(const cp_scenario *sc, const char *where, cp_error *err)
{
    const char *sep = where ? ": " : "";
    int k, j;
    where = where ? where : "";
    if (sc->n_groups > CP_MAX_GROUPS)
        return cp_fail(err, CP_EINPUT, "%s%s%d study groups: at most %d", where, sep,
                       sc->n_groups, CP_MAX_GROUPS);
    for (k = 0; k < sc->n_groups; k++) {
        if (!group_name_ok(sc->groups[k].name))
            return cp_fail(err, CP_EINPUT, "%s%sstudy group \"%s\": a name of letters, digits, _ "
                           "and - (its teachers are the attribute teachers-NAME)", where, sep,
                           sc->groups[k].name ? sc->groups[k].name : "");
        if (!(sc->groups[k].min >= 0))
            return cp_fail(err, CP_EINPUT, "%s%sstudy group %s: min %g: expected 0 or more",
                           where, sep, sc->groups[k].name, sc->groups[k].min);
        for (j = 0; j < k; j++)
            if (strcmp(sc->groups[j].name, sc->groups[k].name) == 0)
                return cp_fail(err, CP_EINPUT, "%s%sstudy group %s is named twice", where, sep,
                               sc->groups[k].name);
    }
    if (sc->has_invest && sc->max_upgrades < 0 && !isfinite(sc->upgrade_budget))
        return cp_fail(err, CP_EINPUT, "%s%s<invest> needs max-upgrades=\"N\" or budget=\"B\" "
                       "(with upgrade-cost on the schools)", where, sep);
    if (sc->has_invest && !(sc->upgrade_budget >= 0))
        return cp_fail(err, CP_EINPUT, "%s%sinvest budget %g: expected 0 or more", where, sep,
                       sc->upgrade_budget);
    if (sc->has_zones && (sc->zone_min < 1 || sc->zone_max < sc->zone_min))
        return cp_fail(err, CP_EINPUT, "%s%szones min %d max %d: expected 1 <= min <= max", where,
                       sep, sc->zone_min, sc->zone_max);
    if (sc->has_zones && !(sc->zone_distance >= 0))
        return cp_fail(err, CP_EINPUT, "%s%szones distance %g: expected 0 or more km", where, sep,
                       sc->zone_distance);
    if (sc->has_zones && (sc->zone_admin_level < -1 || sc->zone_admin_level > CP_ADMIN_LEVELS))
        return cp_fail(err, CP_EINPUT, "%s%szones admin-level %d: expected 0..%d", where, sep,
                       sc->zone_admin_level, CP_ADMIN_LEVELS);
    return CP_OK;
}

/* -------------------------------------------------------------- upgrades */

int cp_centre_upgradable(const cp_school *s, const cp_scenario *sc)
{
    if (!sc->has_invest || sc->max_upgrades == 0 || s->centre == CP_CENTRE_FORBIDDEN ||
        cp_centre_eligible(s, sc))
        return 0;
    if (isfinite(sc->upgrade_budget)) /* under a budget the cost must be known and fit */
        return !isnan(s->upgrade_cost) && s->upgrade_cost <= sc->upgrade_budget;
    return s->host || !isnan(s->upgrade_cost);
}

double cp_upgrade_spend(const cp_school *s)
{
    return isnan(s->upgrade_cost) ? 0.0 : s->upgrade_cost;
}

int cp_schools_same_rules(const cp_school *a, const cp_school *b)
{
    int k;
    if (!((isnan(a->upgrade_cost) && isnan(b->upgrade_cost)) || a->upgrade_cost == b->upgrade_cost))
        return 0;
    for (k = 0; k < CP_MAX_GROUPS; k++)
        if (!((isnan(a->group_teachers[k]) && isnan(b->group_teachers[k])) ||
              a->group_teachers[k] == b->group_teachers[k]))
            return 0;
    return 1;
}
