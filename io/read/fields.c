/*
 * fields.c — model fields of a school from text; see fields.h.
 */
#include "fields.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef enum {
    F_NAME, F_LAT, F_LON, F_X, F_Y, F_TEACHERS, F_ENROLMENT, F_QUALITY, F_HOST,
    F_CENTRE, F_ADMIN1, F_ADMIN2, F_ADMIN3, F_ADMIN4, F_CLUSTER, F_MAXDIST,
    F_EXISTING, F_UPGRADE_COST, F_UNKNOWN
} field_id;

static const char *const field_names[] = {
    "name", "lat", "lon", "x", "y", "teachers", "enrolment", "quality", "host",
    "centre", "admin1", "admin2", "admin3", "admin4", "cluster", "max-distance",
    "existing-centre", "upgrade-cost"};

static field_id lookup(const char *field)
{
    int k;
    for (k = 0; k < F_UNKNOWN; k++)
        if (strcmp(field, field_names[k]) == 0)
            return (field_id)k;
    return F_UNKNOWN;
}

cp_code cp_fail_origin(const cp_value_origin *at, const char *value, const char *fmt, ...)
{
    char why[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (!at->layer)
        return cp_fail_at(at->err, at->file, at->line, at->element, at->attr, value, "%s", why);
    if (at->attr)
        return cp_fail(at->err, CP_EINPUT, "%s: layer %s, feature %lld: column %s=\"%.200s\": %s",
                       at->file, at->layer, at->feature, at->attr, value ? value : "", why);
    return cp_fail(at->err, CP_EINPUT, "%s: layer %s, feature %lld: %s", at->file, at->layer,
                   at->feature, why);
}

static cp_code bad(const cp_value_origin *at, const char *value, const char *why)
{
    return cp_fail_origin(at, value, "%s", why);
}

static cp_code number(const cp_value_origin *at, const char *v, double lo, double hi,
                      double *out)
{
    double d;
    char why[96];
    if (cp_parse_double(v, &d))
        return bad(at, v, "not a finite number");
    if (d < lo || d > hi) {
        snprintf(why, sizeof why, "out of range [%g, %g]", lo, hi);
        return bad(at, v, why);
    }
    *out = d;
    return CP_OK;
}

static cp_code centre_rule(const cp_value_origin *at, const char *v, cp_centre_rule *out)
{
    if (strcmp(v, "allowed") == 0)
        *out = CP_CENTRE_ALLOWED;
    else if (strcmp(v, "required") == 0)
        *out = CP_CENTRE_REQUIRED;
    else if (strcmp(v, "forbidden") == 0)
        *out = CP_CENTRE_FORBIDDEN;
    else
        return bad(at, v, "expected allowed, required or forbidden");
    return CP_OK;
}

static cp_code boolean(const cp_value_origin *at, const char *v, int *out)
{
    if (cp_parse_bool(v, out))
        return bad(at, v, "expected true or false");
    return CP_OK;
}

static cp_code string_field(cp_instance *inst, const char *v, const char **out,
                            const cp_value_origin *at)
{
    *out = cp_instance_str(inst, v);
    return *out ? CP_OK : cp_fail_nomem(at->err);
}

int cp_apply_field(cp_instance *inst, int i, const char *field, const char *value,
                   cp_admin_names *admin, const cp_value_origin *at)
{
    cp_school *s = &inst->schools[i];
    field_id f = lookup(field);
    double v;
    cp_code rc;
    if (f == F_UNKNOWN && strncmp(field, "teachers-", 9) == 0 && field[9]) {
        /* a study group's teachers (README "Study groups") */
        if (!value || !value[0])
            return CP_OK;
        if ((rc = number(at, value, 0, 1e9, &v)))
            return rc;
        return cp_instance_set_group(inst, i, field + 9, v, at->err);
    }
    if (f == F_UNKNOWN)
        return -1;
    if (!value || !value[0])
        return CP_OK;
    switch (f) {
    case F_NAME: return string_field(inst, value, &s->name, at);
    case F_LAT: return number(at, value, -90, 90, &s->y);
    case F_LON: return number(at, value, -180, 180, &s->x);
    case F_X: return number(at, value, -HUGE_VAL, HUGE_VAL, &s->x);
    case F_Y: return number(at, value, -HUGE_VAL, HUGE_VAL, &s->y);
    case F_TEACHERS: return number(at, value, 0, 1e9, &s->teachers);
    case F_ENROLMENT: return number(at, value, 0, 1e9, &s->enrolment);
    case F_QUALITY: return number(at, value, 0, 1, &s->quality);
    case F_HOST: return boolean(at, value, &s->host);
    case F_CENTRE: return centre_rule(at, value, &s->centre);
    case F_CLUSTER: return string_field(inst, value, &s->cluster, at);
    case F_MAXDIST: return number(at, value, 0, HUGE_VAL, &s->max_distance);
    case F_EXISTING: return boolean(at, value, &s->existing_centre);
    case F_UPGRADE_COST: return number(at, value, 0, HUGE_VAL, &s->upgrade_cost);
    default: return string_field(inst, value, &admin->admin[f - F_ADMIN1], at);
    }
}

cp_code cp_check_coordinates(const cp_instance *inst, int i, const cp_value_origin *at)
{
    const cp_school *s = &inst->schools[i];
    const char *need;
    if (inst->distance == CP_DIST_HAVERSINE)
        need = isnan(s->y) ? "lat" : isnan(s->x) ? "lon" : NULL;
    else if (inst->distance == CP_DIST_EUCLIDEAN)
        need = isnan(s->x) ? "x" : isnan(s->y) ? "y" : NULL;
    else
        need = NULL;
    if (!need)
        return CP_OK;
    if (at->layer)
        return cp_fail_origin(at, NULL, "school %s has no point and no %s column", s->id, need);
    return cp_fail_at(at->err, at->file, at->line, at->element, "id", s->id,
                      "school has no %s coordinate (required by distance=\"%s\")", need,
                      inst->distance == CP_DIST_HAVERSINE ? "haversine" : "euclidean");
}
