/*
 * read_solution.c — a solution file read back as a layout over an instance.
 * Ids are resolved against the instance (an unknown id is an input error);
 * the producer's claims (status, objective, bound) are kept for comparison
 * with `evaluate`.  Defects of the layout itself (a school in two clusters,
 * a centre not listed as member) are kept for evaluate to report.  Zones
 * (a cluster's zone="Z1" and <zone id centre-cluster>) are read back, so
 * evaluate checks them and assign --supervisors uses them; the upgrades'
 * report is the writer's (evaluate recomputes it) and is skipped.
 */
#include "xml.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

typedef struct {
    cp_xml *x;
    const cp_instance *inst;
    cp_layout *lay;
    int cluster;     /* open <cluster>, or -1 */
    int centre_seen;
    cp_pool pool;
    cp_intern labels; /* cluster ids seen: a duplicate is found in O(1) */
    cp_intern zones;  /* zone ids, in order of first use */
    int *zone_of;     /* per cluster: zone id index or -1 */
    int zone_of_cap;
    int *zone_centre; /* per zone id: the label index of its centre cluster, or -1 */
    int *zone_line;   /* per zone id: the line that named it first */
    int zone_cap;
} sol_ctx;

static int parse_status(const char *s, cp_status *out)
{
    int k;
    for (k = CP_STATUS_OPTIMAL; k <= CP_STATUS_INTERRUPTED; k++)
        if (strcmp(s, cp_status_name((cp_status)k)) == 0) {
            *out = (cp_status)k;
            return 0;
        }
    return -1;
}

static cp_code read_root(sol_ctx *c)
{
    cp_xml *x = c->x;
    cp_info *info = &c->lay->info;
    const char *status = cp_xml_attr(x, "status"), *m = cp_xml_attr(x, "method");
    const char *scen = cp_xml_attr(x, "scenario"), *where = cp_xml_attr(x, "where");
    const char *roads = cp_xml_attr(x, "roads-sha256"), *travel = cp_xml_attr(x, "travel");
    const char *rules = cp_xml_attr(x, "rules-sha256");
    int k;
    double seed = 0;
    cp_code rc = CP_OK;
    if (status && status[0] && parse_status(status, &info->status))
        return cp_xml_fail(x, "status", status,
                           "expected optimal, feasible, infeasible, time-limit or interrupted");
    if ((m && !(info->method = cp_strdup(m))) || (scen && !(info->scenario = cp_strdup(scen))) ||
        (where && where[0] && !(info->where = cp_strdup(where))))
        return cp_fail_nomem(cp_xml_error(x));
    /* made with distances by road: evaluate checks it with the same layer */
    if (roads && roads[0] && (strlen(roads) != 64 || strspn(roads, "0123456789abcdef") != 64))
        return cp_xml_fail(x, "roads-sha256", roads, "expected the 64 hex digits of a SHA-256");
    if (travel && travel[0] && cp_travel_parse(travel) < 0)
        return cp_xml_fail(x, "travel", travel, "expected distance, walk, bike, motorbike or car");
    if ((roads && roads[0] && !(info->roads_sha256 = cp_strdup(roads))) ||
        (roads && roads[0] && !(info->roads_travel = cp_strdup(travel && travel[0] ? travel
                                                                                  : "distance"))))
        return cp_fail_nomem(cp_xml_error(x));
    if (rules && (strlen(rules) != 64 || strspn(rules, "0123456789abcdefABCDEF") != 64))
        return cp_xml_fail(x, "rules-sha256", rules, "expected the 64 hex digits of a SHA-256");
    if (rules && !(info->rules_sha256 = cp_strdup(rules)))
        return cp_fail_nomem(cp_xml_error(x));
    for (k = 0; rules && k < 64; k++) /* compared with the lower-case digests written */
        info->rules_sha256[k] = (char)tolower((unsigned char)info->rules_sha256[k]);
    if (!rc)
        rc = cp_xml_get_double(x, "objective", -HUGE_VAL, HUGE_VAL, &info->objective);
    if (!rc)
        rc = cp_xml_get_double(x, "bound", -HUGE_VAL, HUGE_VAL, &info->bound);
    if (!rc)
        rc = cp_xml_get_double(x, "gap", 0, HUGE_VAL, &info->gap);
    if (!rc)
        rc = cp_xml_get_int(x, "unassigned", 0, 2147483647L, &info->unassigned);
    if (!rc)
        rc = cp_xml_get_int(x, "threads", 0, 4096, &info->threads);
    if (!rc)
        rc = cp_xml_get_double(x, "seconds", 0, HUGE_VAL, &info->seconds);
    if (!rc)
        rc = cp_xml_get_int(x, "nearest-centres", 0, 1000000, &info->nearest_cap);
    if (!rc)
        rc = cp_xml_get_double(x, "seed", 0, 1.8e19, &seed);
    info->seed = (uint64_t)seed;
    return rc;
}

static int school_ref(sol_ctx *c, const char *attr, cp_code *rc)
{
    const char *id = cp_xml_attr(c->x, attr);
    int i;
    if (!id || !id[0]) {
        *rc = cp_xml_fail(c->x, attr, id ? id : "", "required school id missing");
        return -1;
    }
    i = cp_instance_find(c->inst, id);
    if (i < 0)
        *rc = cp_xml_fail(c->x, attr, id, "no school of the instance has this id");
    return i;
}

/* The index of zone id `id` (added when new), or -1 on memory. */
static int zone_index(sol_ctx *c, const char *id)
{
    int before = c->zones.count, k = cp_intern_add(&c->zones, id, strlen(id));
    if (k < 0)
        return -1;
    if (k == before) {
        if (cp_grow((void **)&c->zone_centre, &c->zone_cap, k + 1, sizeof(int)) ||
            !(c->zone_line = cp_realloc(c->zone_line, (size_t)c->zone_cap * sizeof(int))))
            return -1;
        c->zone_centre[k] = -1;
        c->zone_line[k] = cp_xml_line(c->x);
    }
    return k;
}

/* zone="Z1" on a cluster. */
static cp_code cluster_zone(sol_ctx *c, const char *zone)
{
    int k = -1, j;
    if (zone && !zone[0])
        return cp_xml_fail(c->x, "zone", zone, "empty zone id");
    if (zone && (k = zone_index(c, zone)) < 0)
        return cp_fail_nomem(cp_xml_error(c->x));
    if (cp_grow((void **)&c->zone_of, &c->zone_of_cap, c->cluster + 1, sizeof(int)))
        return cp_fail_nomem(cp_xml_error(c->x));
    for (j = c->lay->n_clusters - 1; j >= 0 && j >= c->cluster; j--)
        c->zone_of[j] = -1;
    c->zone_of[c->cluster] = k;
    return CP_OK;
}

/* <zone id="Z1" centre-cluster="C3" .../>: the zone's centre cluster (the
 * other attributes are the writer's figures, recomputed by evaluate). */
static cp_code read_zone(sol_ctx *c)
{
    const char *id = cp_xml_attr(c->x, "id"), *centre = cp_xml_attr(c->x, "centre-cluster");
    int k, label;
    if (!id || !id[0])
        return cp_xml_fail(c->x, "id", id ? id : "", "a <zone> needs its id");
    if (!centre || (label = cp_intern_find(&c->labels, centre, strlen(centre))) < 0)
        return cp_xml_fail(c->x, "centre-cluster", centre ? centre : "",
                           "no cluster before it has this id");
    if ((k = zone_index(c, id)) < 0)
        return cp_fail_nomem(cp_xml_error(c->x));
    if (c->zone_centre[k] >= 0)
        return cp_xml_fail(c->x, "id", id, "a second <zone> with this id");
    c->zone_centre[k] = label;
    return CP_OK;
}

static cp_code open_cluster(sol_ctx *c)
{
    const char *label = cp_xml_attr(c->x, "id"), *centre_id = cp_xml_attr(c->x, "centre");
    int centre = -1, k;
    cp_code rc = CP_OK;
    if (c->cluster >= 0)
        return cp_xml_fail(c->x, NULL, NULL, "<cluster> inside <cluster>");
    if (centre_id && centre_id[0] && (centre = school_ref(c, "centre", &rc)) < 0)
        return rc;
    if (label) {
        int before = c->labels.count;
        if ((k = cp_intern_add(&c->labels, label, strlen(label))) < 0)
            return cp_fail_nomem(cp_xml_error(c->x));
        if (k < before)
            return cp_xml_fail(c->x, "id", label, "duplicate cluster id");
    }
    c->cluster = cp_layout_add_cluster(c->lay, label && label[0] ? label : NULL, centre);
    if (c->cluster < 0)
        return cp_fail_nomem(cp_xml_error(c->x));
    c->centre_seen = centre < 0;
    return cluster_zone(c, cp_xml_attr(c->x, "zone"));
}

static cp_code add_duplicate(cp_layout *lay, int school, cp_error *err)
{
    if (cp_grow((void **)&lay->duplicates, &lay->duplicates_capacity, lay->n_duplicates + 1,
                sizeof(int)))
        return cp_fail_nomem(err);
    lay->duplicates[lay->n_duplicates++] = school;
    return CP_OK;
}

static cp_code read_member(sol_ctx *c)
{
    cp_code rc = CP_OK;
    int i;
    if (c->cluster < 0)
        return cp_xml_fail(c->x, NULL, NULL, "<member> outside <cluster>");
    if ((i = school_ref(c, "school", &rc)) < 0)
        return rc;
    if (c->lay->cluster_of[i] >= 0 || c->lay->reason[i])
        return add_duplicate(c->lay, i, cp_xml_error(c->x));
    c->lay->cluster_of[i] = c->cluster;
    if (i == c->lay->centre[c->cluster])
        c->centre_seen = 1;
    return CP_OK;
}

static cp_code read_unassigned(sol_ctx *c)
{
    const char *reason = cp_xml_attr(c->x, "reason");
    cp_code rc = CP_OK;
    int i = school_ref(c, "school", &rc);
    if (i < 0)
        return rc;
    if (c->lay->cluster_of[i] >= 0 || c->lay->reason[i])
        return add_duplicate(c->lay, i, cp_xml_error(c->x));
    c->lay->reason[i] = cp_strdup(reason && reason[0] ? reason : "unassigned");
    return c->lay->reason[i] ? CP_OK : cp_fail_nomem(cp_xml_error(c->x));
}

/* The attributes the writer gives each element (write_solution.c), and a
 * name: another one is a typo whose meaning would be lost (a cluster's
 * center="A" read as a cluster without a centre). */
static cp_code check_attrs(sol_ctx *c, const char *name)
{
    static const char *const cluster[] = {"id", "centre", "implied-centre", "size", "teachers",
                                          "travel", "max-distance", "circuity", "upgrade",
                                          "zone", "name", "teachers-*", NULL};
    static const char *const member[] = {"school", "distance", "road-km", "straight-km", "name",
                                         NULL};
    static const char *const unassigned[] = {"school", "reason", "upgrade", "upgrade-places",
                                             "name", NULL};
    static const char *const zone[] = {"id", "centre-cluster", "clusters", "teachers", "travel",
                                       "max-distance", "name", NULL};
    const char *const *known = !strcmp(name, "cluster")    ? cluster
                               : !strcmp(name, "member")   ? member
                               : !strcmp(name, "unassigned") ? unassigned
                               : !strcmp(name, "zone")     ? zone : NULL;
    return known ? cp_xml_only_attrs(c->x, known) : CP_OK;
}

static cp_code on_start(sol_ctx *c)
{
    const char *name = cp_xml_name(c->x);
    cp_code rc = check_attrs(c, name);
    if (rc)
        return rc;
    if (strcmp(name, "cluster") == 0)
        return open_cluster(c);
    if (strcmp(name, "member") == 0)
        return read_member(c);
    if (strcmp(name, "unassigned") == 0)
        return read_unassigned(c);
    if (strcmp(name, "zone") == 0)
        return read_zone(c);
    if (strcmp(name, "indicators") == 0 || strcmp(name, "violation") == 0 ||
        strcmp(name, "upgrade") == 0 || strcmp(name, "unzoned") == 0)
        return CP_OK;
    return cp_xml_fail(c->x, NULL, NULL, "unknown element in <solution>");
}

static void on_end(sol_ctx *c)
{
    if (strcmp(cp_xml_name(c->x), "cluster") != 0 || c->cluster < 0)
        return;
    if (!c->centre_seen)
        c->lay->flags[c->cluster] |= CP_LAYOUT_CENTRE_NOT_MEMBER;
    c->cluster = -1;
}

/* The cluster whose label has intern index `label` (labels are added to
 * the intern table in cluster order, unlabelled clusters skipped). */
static int cluster_of_label(const sol_ctx *c, int label)
{
    int k;
    for (k = 0; k < c->lay->n_clusters; k++)
        if (c->lay->label[k] && !strcmp(c->lay->label[k], c->labels.keys[label]))
            return k;
    return -1;
}

/* The zones read, as the layout's zoning; every zone must name its centre
 * cluster, which must belong to it. */
static cp_code finish_zones(sol_ctx *c)
{
    cp_zoning *z;
    int k, cl;
    if (c->zones.count == 0)
        return CP_OK;
    if (!(z = cp_calloc(1, sizeof *z)))
        return cp_fail_nomem(cp_xml_error(c->x));
    c->lay->zones = z;
    z->n_zones = c->zones.count;
    z->n_clusters = c->lay->n_clusters;
    z->zone_of = cp_malloc((size_t)(z->n_clusters ? z->n_clusters : 1) * sizeof(int));
    z->centre = cp_malloc((size_t)z->n_zones * sizeof(int));
    z->label = cp_calloc((size_t)z->n_zones, sizeof(char *));
    z->reason = cp_calloc((size_t)(z->n_clusters ? z->n_clusters : 1), sizeof(char *));
    if (!z->zone_of || !z->centre || !z->label || !z->reason)
        return cp_fail_nomem(cp_xml_error(c->x));
    for (cl = 0; cl < z->n_clusters; cl++)
        z->zone_of[cl] = cl < c->zone_of_cap && c->zone_of ? c->zone_of[cl] : -1;
    z->info.status = CP_STATUS_NONE;
    z->info.objective = z->info.bound = z->info.gap = z->info.seconds = NAN;
    z->info.unassigned = -1;
    for (k = 0; k < z->n_zones; k++) {
        if (!(z->label[k] = cp_strdup(c->zones.keys[k])))
            return cp_fail_nomem(cp_xml_error(c->x));
        if (c->zone_centre[k] < 0)
            return cp_fail_at(cp_xml_error(c->x), cp_xml_file(c->x), c->zone_line[k], "cluster",
                              "zone", c->zones.keys[k], "no <zone id=\"%s\" centre-cluster=...> "
                              "names this zone's centre cluster", c->zones.keys[k]);
        z->centre[k] = cluster_of_label(c, c->zone_centre[k]);
        if (z->centre[k] < 0 || z->zone_of[z->centre[k]] != k)
            return cp_fail_at(cp_xml_error(c->x), cp_xml_file(c->x), c->zone_line[k], "zone",
                              "centre-cluster", c->labels.keys[c->zone_centre[k]],
                              "the zone's centre cluster is not in zone %s", c->zones.keys[k]);
    }
    return CP_OK;
}

static cp_code read_body(sol_ctx *c, const char *source)
{
    int ev = cp_xml_next(c->x);
    cp_code rc;
    if (ev == CP_XML_EOF)
        return cp_fail(cp_xml_error(c->x), CP_EINPUT, "%s: empty document", source);
    if (ev < 0)
        return cp_xml_error(c->x)->code;
    if (strcmp(cp_xml_name(c->x), "solution") != 0)
        return cp_xml_fail(c->x, NULL, NULL, "not a solution (expected <solution>)");
    if ((rc = read_root(c)))
        return rc;
    while ((ev = cp_xml_next(c->x)) != CP_XML_EOF) {
        if (ev < 0)
            return cp_xml_error(c->x)->code;
        if (ev == CP_XML_START && (rc = on_start(c)))
            return rc;
        if (ev == CP_XML_END)
            on_end(c);
    }
    return finish_zones(c);
}

cp_layout *cp_read_solution_memory(const char *buf, size_t len, const char *name,
                                   const cp_instance *inst, cp_error *err)
{
    sol_ctx c;
    cp_code rc;
    memset(&c, 0, sizeof c);
    c.inst = inst;
    c.cluster = -1;
    c.lay = cp_layout_new(inst->n_schools);
    if (!c.lay) {
        cp_fail_nomem(err);
        return NULL;
    }
    cp_intern_init(&c.labels, &c.pool);
    cp_intern_init(&c.zones, &c.pool);
    c.x = cp_xml_open(name, buf, len, err);
    rc = c.x ? read_body(&c, name) : err->code;
    cp_xml_close(c.x);
    cp_intern_clear(&c.labels);
    cp_intern_clear(&c.zones);
    cp_pool_clear(&c.pool);
    cp_free(c.zone_of);
    cp_free(c.zone_centre);
    cp_free(c.zone_line);
    if (rc) {
        cp_layout_free(c.lay);
        return NULL;
    }
    return c.lay;
}

cp_layout *cp_read_solution(const char *path, const cp_instance *inst, cp_error *err)
{
    int native = 1;
    /* a GIS or CSV output of solve, given as the layout: said as such, not
     * as XML that is not well formed */
    if (cp_sniff_native_file(path, &native) == 0 && !native) {
        cp_fail(err, CP_EINPUT, "%s: not a solution file: a layout is read from the .xml that "
                "solve writes (or one written by hand, SPEC \"Solution\"); GIS and CSV outputs "
                "are for maps and tables (their cluster column can be read as an existing layout: "
                "--field cluster=COLUMN with --existing)", path);
        return NULL;
    }
    return cp_read_solution_memory(NULL, 0, path, inst, err);
}
