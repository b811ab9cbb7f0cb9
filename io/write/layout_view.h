/*
 * layout_view.h — what every GIS, map and report writer needs about a
 * solved or evaluated layout, computed once: each school's role (centre,
 * member, unassigned), its cluster and centre, the distance, and per
 * cluster its size and teachers.  Writers only format.
 */
#ifndef CP_IO_LAYOUT_VIEW_H
#define CP_IO_LAYOUT_VIEW_H

#include "output.h"

typedef enum { VIEW_CENTRE = 0, VIEW_MEMBER, VIEW_UNASSIGNED } view_role;

/* Degrees to radians, and km per degree of latitude on the haversine
 * sphere (radius 6371 km, as solver/model/distance.c): the maps' planes. */
#define VIEW_RADIANS (3.14159265358979323846 / 180.0)
#define VIEW_KM_PER_DEGREE (6371.0 * VIEW_RADIANS)

typedef struct {
    double x, y; /* lon/lat or the instance's x/y */
} view_pt;

/* Convex hulls of groups of schools, as CSR: shape g's corners are
 * pt[start[g] .. start[g+1]), counter-clockwise; 1 or 2 corners for a
 * point or a segment, 0 when none of its schools is drawn. */
typedef struct {
    int n;
    int *start;
    view_pt *pt;
} view_shapes;

typedef struct {
    const cp_instance *inst;
    const cp_scenario *sc;
    const cp_layout *lay;
    const cp_evaluation *ev;
    view_role *role;        /* per school */
    int *centre_of;         /* per school: its centre (given or implied), or -1 */
    int geographic;         /* lon/lat (haversine) rather than projected x/y */
    int counts[3];          /* schools per role */
    int lines;              /* member-centre lines with both ends located */
    cp_outliers outliers;   /* likely coordinate errors (outliers.c), found only
                               for the maps (view_find_outliers) */
    unsigned char *outlier; /* per school: one of them */
    /* for the maps only (view_build_shapes, view_colour_clusters): */
    view_shapes cluster_hulls; /* per cluster, over its drawn schools */
    view_shapes unit_hulls;    /* per admin unit at unit_level */
    int unit_level;            /* the scenario's admin level, else the deepest; 0 = none */
    int *unit_school;          /* per unit: one of its schools (its name) */
    int *colour;               /* per cluster: colour index (map_colours.c) */
    int n_colours, neighbour_pairs;
    const char *basemap;       /* the report's tile URL template, or NULL */
    int thumbnail;             /* .svg: the small map of a study page */
    /* with roads (view_build_routes; NULL otherwise): each member's route
     * to its centre, lon/lat points route_x/y[route_at[i] .. + route_n[i]) */
    long *route_at;
    int *route_n;
    double *route_x, *route_y;
} layout_view;

cp_code view_build(layout_view *v, const cp_instance *inst, const cp_scenario *sc,
                   const cp_layout *lay, const cp_evaluation *ev);
/* Finds the likely coordinate errors (an O(n log n) pass per admin level),
 * for the writers that draw a map; CP_OK or CP_ERESOURCE. */
cp_code view_find_outliers(layout_view *v);
/* The hulls of clusters and admin units (map_geometry.c). */
cp_code view_build_shapes(layout_view *v);
void view_shapes_free(view_shapes *s);
/* Andrew's monotone chain over p[0..n) (reordered); hull needs n + 1
 * slots; returns the corner count. */
int view_convex_hull(view_pt *p, int n, view_pt *hull);
/* Two hulls within `gap` (km for lon/lat, else units) of each other:
 * a separating-axis test on a local plane, erring towards "within". */
int view_hulls_within(const layout_view *v, const view_pt *a, int na, const view_pt *b, int nb,
                      double gap);
/* Colours clusters so that neighbours differ (map_colours.c; needs the
 * shapes); view_colour gives cluster k's colour as "#rrggbb" ("#d62728",
 * red, for k < 0), buf holding colours beyond the fixed palette. */
cp_code view_colour_clusters(layout_view *v);
const char *view_colour(const layout_view *v, int k, char buf[8]);
const char *view_colour_hex(int colour_index, char buf[8]); /* -1: red */
/* Shapes and colours together, for a writer that draws a map. */
cp_code view_prepare_map(layout_view *v);
/* With roads, every member's route to its centre along the roads (one
 * search per cluster); nothing without roads.  CP_OK or CP_ERESOURCE. */
cp_code view_build_routes(layout_view *v);
/* The units of the layout's distances: "km by road", "min by car", "km"
 * (lon/lat), or the instance's own. */
const char *view_units(const layout_view *v);
/* A member's route has points to draw (else its line is straight). */
int view_has_route(const layout_view *v, int i);
void view_free(layout_view *v);
const char *view_role_name(view_role r);
/* A school has a position (every GIS output carries it). */
int view_located(const layout_view *v, int i);
/* A school a map draws and fits in its extent: located, and not a likely
 * coordinate error (one school typed 500 km off would shrink the whole
 * map to a corner; the report lists such schools instead). */
int view_drawn(const layout_view *v, int i);
/* The cluster's label, or "" for an unassigned school. */
const char *view_cluster_label(const layout_view *v, int i);
const char *view_reason(const layout_view *v, int i);
int view_has_line(const layout_view *v, int i);

/* The attributes every GIS format carries, in this order; a writer loops
 * over them.  For a member-centre line (`link`), role is "link". */
enum { VIEW_FIELDS = 10 };
typedef struct {
    const char *name;
    int numeric;
} view_field;
extern const view_field view_fields[VIEW_FIELDS];
const char *view_text(const layout_view *v, int i, int field, int link);
double view_number(const layout_view *v, int i, int field); /* NAN = absent */

#endif
