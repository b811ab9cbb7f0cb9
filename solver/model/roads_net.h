/*
 * roads_net.h — the road network's insides, shared by roads_graph.c (which
 * builds it) and roads_search.c (which searches it).  Everything else uses
 * roads.h.
 */
#ifndef CP_MODEL_ROADS_NET_H
#define CP_MODEL_ROADS_NET_H

#include "roads.h"

#define ROAD_RADIANS (3.14159265358979323846 / 180.0)
#define ROAD_KM_PER_DEGREE (6371.0 * ROAD_RADIANS)

/* One arc of a node's list. */
typedef struct {
    int to;       /* the other end */
    int seg;      /* the segment, or ~segment when schools joined it */
    double cost;  /* the segment's cost in the metric */
} road_arc;

/* Items (segments or schools) by grid cell, sorted by cell key then item. */
typedef struct {
    long long key;
    long item;
} cell_item;

typedef struct {
    double cell_km, cell_lat, cell_lon; /* cell_lon: as wide as cell_km at the
                                           highest latitude of the network */
    cell_item *items;
    long n;
} road_grid;

struct cp_road_network {
    int timed;                 /* minutes (a travel mode) rather than road km */
    cp_travel_mode travel;
    double snap_max, off_kmh;
    char units[32];
    /* nodes */
    int n_nodes;
    double *nx, *ny;
    /* segments (edges): ends, great-circle km, cost in the metric, usable
     * directions (bit 0: a -> b, bit 1: b -> a) */
    long n_segs;
    int *sa, *sb;
    double *km, *cost;
    unsigned char *dir;
    /* arcs into and out of each node, CSR: the node at the other end, the
     * segment (~seg when schools joined it) and its cost, side by side so a
     * node's arcs are one read */
    long *in_start, *out_start;
    road_arc *in_arc, *out_arc;
    road_grid seg_grid;        /* while joining only */
    /* schools: where each joined (segment, fraction from a, off-road km and
     * its cost), how (cp_road_access), and by segment */
    int n_schools;
    double *sx, *sy;
    long *snap_seg;
    double *snap_t, *off_km, *off_cost;
    unsigned char *access;
    double max_off_km;
    long *seg_start;
    int *seg_school;
    int *school_part;          /* per school: the network part (weakly connected
                                  component) of its edge, -1 without one: a trip
                                  to a school of another part is impossible */
    road_grid joined_grid, straight_grid;
    cp_road_summary summary;
    char *source, *layer;
};
typedef struct cp_road_network roads_net;

long long road_cell_key(long row, long col);
void road_grid_cell(const road_grid *gr, double x, double y, long *row, long *col);
/* The first item of cell (row, col), or where it would be. */
long road_grid_find(const road_grid *gr, long row, long col);
/* The metric of a straight walk of km (off the road). */
double road_straight_cost(const roads_net *g, double km);

#endif
