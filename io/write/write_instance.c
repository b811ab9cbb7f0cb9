/*
 * write_instance.c — an instance in the native format of SPEC.md (used by
 * `generate`; any instance read from KML or GML can be written back natively).
 * Attributes at their default are left out; numbers read back exactly.
 */
#include "output.h"

#include <math.h>
#include <stdio.h>

static void write_school(FILE *f, const cp_instance *inst, const cp_school *s)
{
    static const char *const admin_attr[CP_ADMIN_LEVELS] = {"admin1", "admin2", "admin3", "admin4"};
    int geo = inst->distance == CP_DIST_HAVERSINE, k;
    fputs("  <school", f);
    cp_out_text_attr(f, "id", s->id);
    if (s->name[0])
        cp_out_text_attr(f, "name", s->name);
    cp_out_double_attr(f, geo ? "lat" : "y", s->y);
    cp_out_double_attr(f, geo ? "lon" : "x", s->x);
    if (s->teachers != 1.0)
        cp_out_double_attr(f, "teachers", s->teachers);
    cp_out_double_attr(f, "enrolment", s->enrolment);
    cp_out_double_attr(f, "quality", s->quality);
    if (!s->host)
        fputs(" host=\"false\"", f);
    if (s->centre != CP_CENTRE_ALLOWED)
        cp_out_text_attr(f, "centre", s->centre == CP_CENTRE_REQUIRED ? "required" : "forbidden");
    for (k = 0; k < CP_ADMIN_LEVELS; k++)
        if (s->admin_name[k])
            cp_out_text_attr(f, admin_attr[k], s->admin_name[k]);
    if (s->cluster)
        cp_out_text_attr(f, "cluster", s->cluster);
    cp_out_double_attr(f, "max-distance", s->max_distance);
    if (s->existing_centre)
        fputs(" existing-centre=\"true\"", f);
    cp_out_double_attr(f, "upgrade-cost", s->upgrade_cost);
    for (k = 0; k < inst->n_groups; k++)
        if (!isnan(s->group_teachers[k])) {
            char attr[64];
            snprintf(attr, sizeof attr, "teachers-%s", inst->group_name[k]);
            cp_out_double_attr(f, attr, s->group_teachers[k]);
        }
    fputs("/>\n", f);
}

static void write_links(FILE *f, const cp_instance *inst, const cp_link *links, int n, int road)
{
    int k;
    for (k = 0; k < n; k++) {
        fputs(road ? "  <road" : "  <od", f);
        cp_out_text_attr(f, "from", inst->schools[links[k].from].id);
        cp_out_text_attr(f, "to", inst->schools[links[k].to].id);
        cp_out_double_attr(f, road ? "length" : "cost", links[k].length);
        fputs("/>\n", f);
    }
}

cp_code cp_write_instance(const char *path, const cp_instance *inst, cp_error *err)
{
    static const char *const modes[] = {"haversine", "euclidean", "network", "matrix"};
    cp_out out;
    cp_code rc = cp_out_open(&out, path, err);
    int i;
    if (rc)
        return rc;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<instance", out.f);
    cp_out_text_attr(out.f, "name", inst->name);
    cp_out_text_attr(out.f, "distance", modes[inst->distance]);
    fputs(">\n", out.f);
    for (i = 0; i < inst->n_schools; i++)
        write_school(out.f, inst, &inst->schools[i]);
    write_links(out.f, inst, inst->roads, inst->n_roads, 1);
    write_links(out.f, inst, inst->od, inst->n_od, 0);
    fputs("</instance>\n", out.f);
    return cp_out_commit(&out, err);
}
