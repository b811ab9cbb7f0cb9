/*
 * write_instance.c — an instance in the native format of SPEC.md (used by
 * `generate`; any instance read from KML or GML can be written back natively).
 * Attributes at their default are left out; numbers read back exactly.
 */
#include "output.h"

#include <math.h>

static void attr_text(FILE *f, const char *name, const char *v)
{
    fprintf(f, " %s=\"", name);
    cp_out_escaped(f, v);
    fputc('"', f);
}

static void attr_number(FILE *f, const char *name, double v)
{
    if (!isnan(v))
        cp_out_double_attr(f, name, v);
}

static void write_school(FILE *f, const cp_instance *inst, const cp_school *s)
{
    static const char *const admin_attr[CP_ADMIN_LEVELS] = {"admin1", "admin2", "admin3", "admin4"};
    int geo = inst->distance == CP_DIST_HAVERSINE, k;
    fputs("  <school", f);
    attr_text(f, "id", s->id);
    if (s->name[0])
        attr_text(f, "name", s->name);
    attr_number(f, geo ? "lat" : "y", s->y);
    attr_number(f, geo ? "lon" : "x", s->x);
    if (s->teachers != 1.0)
        attr_number(f, "teachers", s->teachers);
    attr_number(f, "enrolment", s->enrolment);
    attr_number(f, "quality", s->quality);
    if (!s->host)
        fputs(" host=\"false\"", f);
    if (s->centre != CP_CENTRE_ALLOWED)
        attr_text(f, "centre", s->centre == CP_CENTRE_REQUIRED ? "required" : "forbidden");
    for (k = 0; k < CP_ADMIN_LEVELS; k++)
        if (s->admin_name[k])
            attr_text(f, admin_attr[k], s->admin_name[k]);
    if (s->cluster)
        attr_text(f, "cluster", s->cluster);
    attr_number(f, "max-distance", s->max_distance);
    if (s->existing_centre)
        fputs(" existing-centre=\"true\"", f);
    fputs("/>\n", f);
}

static void write_links(FILE *f, const cp_instance *inst, const cp_link *links, int n, int road)
{
    int k;
    for (k = 0; k < n; k++) {
        fputs(road ? "  <road" : "  <od", f);
        attr_text(f, "from", inst->schools[links[k].from].id);
        attr_text(f, "to", inst->schools[links[k].to].id);
        attr_number(f, road ? "length" : "cost", links[k].length);
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
    attr_text(out.f, "name", inst->name);
    attr_text(out.f, "distance", modes[inst->distance]);
    fputs(">\n", out.f);
    for (i = 0; i < inst->n_schools; i++)
        write_school(out.f, inst, &inst->schools[i]);
    write_links(out.f, inst, inst->roads, inst->n_roads, 1);
    write_links(out.f, inst, inst->od, inst->n_od, 0);
    fputs("</instance>\n", out.f);
    return cp_out_commit(&out, err);
}
