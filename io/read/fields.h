/*
 * fields.h — setting a school's model fields from text values, shared by the
 * native reader (attributes) and the GIS readers (mapped columns).  An empty
 * value means "absent": the field keeps its default.
 */
#ifndef CP_IO_FIELDS_H
#define CP_IO_FIELDS_H

#include "solver/model/model.h"

/* Where a value came from, for error messages. */
typedef struct {
    const char *file;
    int line;
    const char *element;  /* e.g. "school", "ogr:schools", "Placemark" */
    const char *attr;     /* attribute or column name                  */
    cp_error *err;
} cp_value_origin;

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
