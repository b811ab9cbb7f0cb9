/*
 * roads.h — travel by road (README "Within reach by road"): a line layer as
 * read (cp_road_lines, filled by io/read/read_roads.c or the generator),
 * the network built from it with the schools joined to it
 * (roads_graph.c), and the bounded Dijkstra searches and road paths on it
 * (roads_search.c).  Model room: no GDAL, no OpenMP.
 */
#ifndef CP_MODEL_ROADS_H
#define CP_MODEL_ROADS_H

#include "model.h"

/* ------------------------------------------------------------ the lines */

/* Polylines in WGS 84 lon/lat, as read: line l's points are
 * x/y[start[l] .. start[l + 1]).  A MultiLineString's parts are lines of
 * their own with the feature's id, class and oneway. */
typedef struct {
    long n_lines, n_points;
    long *start;            /* n_lines + 1 */
    double *x, *y;          /* lon, lat */
    int *cls;               /* per line: index into classes, or -1 (none) */
    signed char *oneway;    /* per line: 0 both ways, 1 forward, -1 backward */
    long long *fid;         /* per line: the feature it came from */
    int n_classes;
    char **classes;         /* road class values as read (highway, fclass, ...) */
    long lines_cap, points_cap;
    int classes_cap;
    char *class_column;     /* the column the classes came from, or NULL */
} cp_road_lines;

/* Appends a line of n points (n >= 2; CP_ERESOURCE on memory). */
cp_code cp_road_lines_add(cp_road_lines *l, const double *x, const double *y, long n, int cls,
                          int oneway, long long fid);
/* The index of a class value (added when new), or -1 on memory. */
int cp_road_lines_class(cp_road_lines *l, const char *name);
void cp_road_lines_clear(cp_road_lines *l);
/* OSM's oneway convention: yes/true/1 forward, -1/reverse backward,
 * no/false/0/empty both; *known = 0 for any other value (both ways). */
int cp_road_oneway_value(const char *v, int *known);

/* --------------------------------------------------------- the network */

/* Builds the network from lines (transformed to lon/lat already) and joins
 * inst's schools to it under sc's settings (snap-max, travel mode, speeds);
 * warnings say what was dropped or assumed.  NULL with err filled. */
cp_road_network *cp_road_build(const cp_road_lines *lines, const cp_instance *inst,
                               const cp_scenario *sc, cp_warnings *warn, cp_error *err);
void cp_road_free(cp_road_network *net);
/* Attaches net to inst (which then owns it) and sets inst->units. */
void cp_instance_attach_roads(cp_instance *inst, cp_road_network *net);
/* The layer's file, layer name and SHA-256, set by the reader (copied). */
cp_code cp_road_set_source(cp_road_network *net, const char *path, const char *layer,
                           const char *sha256);

/* The network's edges, for maps: how many, and edge e's ends (lon/lat). */
long cp_road_edges(const cp_road_network *net);
void cp_road_edge(const cp_road_network *net, long e, double *ax, double *ay, double *bx,
                  double *by);

/* How school i joined the network. */
typedef enum { ROAD_JOINED = 0, ROAD_STRAIGHT, ROAD_NONE } cp_road_access;
cp_road_access cp_road_access_of(const cp_road_network *net, int school);
/* Units of the network's metric: "km by road", "min by car", ... */
const char *cp_road_units(const cp_road_network *net);
/* 1 when the metric is minutes (a travel mode), 0 for road km. */
int cp_road_timed(const cp_road_network *net);

/* ------------------------------------------------------------ searches */

/* One thread's scratch for searches on a network: memory O(nodes + schools),
 * reused across searches (stamps, no clearing). */
typedef struct cp_road_search cp_road_search;
cp_road_search *cp_road_search_new(const cp_road_network *net);
void cp_road_search_free(cp_road_search *s);

/* Direction of a search from a school: TO_SOURCE gives every school's
 * trip to the source (a centre's members; arcs walked backwards),
 * FROM_SOURCE the source's trip to every school. */
typedef enum { ROAD_TO_SOURCE = 0, ROAD_FROM_SOURCE } cp_road_direction;

/* Every school within `limit` (the metric) of `source` in that direction,
 * the source itself first at 0: visit(school, metric, km, arg) once each,
 * in a fixed order.  Work: the nodes and arcs within the limit. */
void cp_road_within(const cp_road_network *net, cp_road_search *s, int source,
                    cp_road_direction dir, double limit,
                    void (*visit)(int school, double metric, double km, void *arg), void *arg);
/* The `count` nearest schools that admit() accepts (asked once per school:
 * the rules that do not depend on the trip) whose trip is within `limit`
 * and `km_limit` road km, exactly: nearest first, ties by school index, as
 * the first `count` of cp_road_within's visits sorted would be; into out
 * (d = metric, index = school).  The search stops once a node lies beyond
 * the count-th accepted trip: its work grows with the distance to the
 * count-th school, not with the limit.  Returns how many. */
int cp_road_nearest(const cp_road_network *net, cp_road_search *s, int source,
                    cp_road_direction dir, double limit, double km_limit, int count,
                    int (*admit)(int school, void *arg), void *arg, cp_nearest *out);
/* The trips of `count` members to one centre: metric (INFINITY when
 * unreachable) and road km (may be NULL).  The search stops once no
 * member's trip can get shorter. */
void cp_road_to_centre(const cp_road_network *net, cp_road_search *s, int centre,
                       const int *members, int count, double *metric, double *km);

/* The route of each member to the centre as a polyline (lon/lat), after
 * the same search as cp_road_to_centre: members' points in CSR, member k's
 * in pt_x/pt_y[start[k] .. start[k + 1]) (cp_malloc'd, caller frees the
 * three); an unreachable member has no points.  CP_ERESOURCE on memory. */
cp_code cp_road_paths(const cp_road_network *net, cp_road_search *s, int centre,
                      const int *members, int count, long **start, double **pt_x,
                      double **pt_y);

/* ----------------------------------------------------------- generator */

/* A dense synthetic road network around inst's schools (generate_roads.c):
 * street grids where schools are, trunk roads between towns crossing them
 * without junctions, some one-way streets.  Deterministic for a seed. */
cp_code cp_generate_road_lines(const cp_instance *inst, uint64_t seed, cp_road_lines *out,
                               cp_error *err);

#endif
