/*
 * fields.h — setting a school's model fields from text values, shared by the
 * native reader (attributes) and the GIS readers (mapped columns).  An empty
 * value means "absent": the field keeps its default.
 */
#ifndef CP_IO_FIELDS_H
#define CP_IO_FIELDS_H

#include "solver/model/model.h"

/* Where a value came from, for error messages: a line and element of a
 * native file ("FILE:LINE: <school> attr=\"value\": why"), or a feature of
 * a GIS layer ("FILE: layer L, feature N: column C=\"value\": why"). */
typedef struct {
    const char *file;
    int line;
    const char *element;  /* e.g. "school"                              */
    const char *attr;     /* attribute or column name                  */
    cp_error *err;
    const char *layer;    /* GIS layer name, or NULL for a native file  */
    long long feature;    /* the feature's id within the layer          */
} cp_value_origin;

/* The input error at this origin (CP_EINPUT). */
cp_code cp_fail_origin(const cp_value_origin *at, const char *value, const char *fmt, ...)
    CP_PRINTF(3, 4);

typedef struct {
    const char *admin[CP_ADMIN_LEVELS]; /* pool strings until the school is done */
} cp_admin_names;

/* Applies one model field ("teachers", "lat", "admin2", ...) to school i.
 * Returns CP_OK, CP_EINPUT (message names the origin), CP_ERESOURCE, or -1
 * when `field` is not a model field (caller decides: warn or ignore). */
int cp_apply_field(cp_instance *inst, int i, const char *field, const char *value,
                   cp_admin_names *admin, const cp_value_origin *at);

/* Checks that school i has the coordinates its distance mode needs. */
cp_code cp_check_coordinates(const cp_instance *inst, int i, const cp_value_origin *at);

#endif
