/*
 * scenario.c — scenario defaults (the one place they live) and the GIS
 * field mapping.
 */
#include "internal.h"

#include <math.h>
#include <string.h>

/* Model fields a GIS column can be mapped to. */
static const char *const mappable[] = {
    "id", "name", "lat", "lon", "x", "y", "teachers", "enrolment", "quality",
    "host", "centre", "admin1", "admin2", "admin3", "admin4", "cluster",
    "max-distance", "existing-centre", NULL};

void cp_scenario_defaults(cp_scenario *sc)
{
    memset(sc, 0, sizeof *sc);
    sc->size_min = 3;
    sc->size_max = 7;
    sc->capacity = INFINITY;
    sc->distance_max = INFINITY;
    sc->min_quality = -INFINITY;
    sc->cluster_count = 0;
    sc->admin_level = 0;
    sc->weight = CP_WEIGHT_TEACHERS;
    sc->method = CP_METHOD_AUTO;
    sc->time_limit = 60.0;
    sc->threads = 0;
    sc->seed = 1;
    sc->gap = 0.0;
    sc->effort = 1.0;
    /* Kenya national (26,349 schools in one part), side by side: 300 rounds
     * 23,495.9, 400 23,512.2, 450 23,517.0, for about 1.3 s per 100 rounds
     * on 2 threads; past the search's last steps a round buys more than a
     * step does (bench/RESULTS.md). */
    sc->bound_rounds = 400;
}

void cp_scenario_clear(cp_scenario *sc)
{
    int i;
    if (!sc)
        return;
    for (i = 0; i < sc->n_fields; i++) {
        cp_free(sc->fields[i].field);
        cp_free(sc->fields[i].column);
    }
    cp_free(sc->fields);
    cp_free(sc->name);
    sc->fields = NULL;
    sc->name = NULL;
    sc->n_fields = 0;
}

static int is_mappable(const char *field, size_t len)
{
    int i;
    for (i = 0; mappable[i]; i++)
        if (strlen(mappable[i]) == len && strncmp(mappable[i], field, len) == 0)
            return 1;
    return 0;
}

cp_code cp_scenario_map_field(cp_scenario *sc, const char *spec, cp_error *err)
{
    const char *eq = strchr(spec, '=');
    size_t flen;
    char *field, *column;
    int i;
    cp_field_map *grown;
    if (!eq || eq == spec || eq[1] == '\0')
        return cp_fail(err, CP_EINPUT, "--field \"%s\": expected FIELD=COLUMN", spec);
    flen = (size_t)(eq - spec);
    if (!is_mappable(spec, flen))
        return cp_fail(err, CP_EINPUT,
                       "--field \"%s\": unknown field \"%.*s\" (known: id name lat lon x y "
                       "teachers enrolment quality host centre admin1..admin4 cluster "
                       "max-distance existing-centre)", spec, (int)flen, spec);
    field = cp_malloc(flen + 1);
    column = cp_strdup(eq + 1);
    if (!field || !column) {
        cp_free(field);
        cp_free(column);
        return cp_fail_nomem(err);
    }
    memcpy(field, spec, flen);
    field[flen] = '\0';
    for (i = 0; i < sc->n_fields; i++) {
        if (strcmp(sc->fields[i].field, field) == 0) {
            cp_free(sc->fields[i].column);
            cp_free(field);
            sc->fields[i].column = column;
            return CP_OK;
        }
    }
    grown = cp_realloc(sc->fields, (size_t)(sc->n_fields + 1) * sizeof *grown);
    if (!grown) {
        cp_free(field);
        cp_free(column);
        return cp_fail_nomem(err);
    }
    sc->fields = grown;
    sc->fields[sc->n_fields].field = field;
    sc->fields[sc->n_fields].column = column;
    sc->n_fields++;
    return CP_OK;
}

int cp_method_parse(const char *name)
{
    static const char *const names[] = {"auto", "milp", "heuristic"};
    int k;
    for (k = 0; name && k < 3; k++)
        if (strcmp(name, names[k]) == 0)
            return k; /* the order of cp_method */
    return -1;
}
