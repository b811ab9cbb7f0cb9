/*
 * report_map.c — the HTML report's interactive map: Leaflet's CSS and
 * script, the layout as CP_DATA (the format is described at the top of
 * report_map.js) and report_map.js itself, all inline, so the report is
 * one file that opens offline.  Leaflet comes from Debian's libjs-leaflet
 * and is compiled in by the Makefile (build/gen/assets.c).
 * With roads, each member's route along the roads, thinned to the points
 * that move it by more than 1/4000 of the map's extent (about a pixel of a
 * full-screen map; Douglas-Peucker), so a country's routes stay small.
 * Work: O(n + hull corners + route points); about 60 bytes per school.
 */
#include "writers.h"
#include "solver/model/roads.h"

#include <math.h>
#include <string.h>

extern const char cp_asset_leaflet_min_js[];
extern const char cp_asset_leaflet_css[];
extern const char cp_asset_report_map_js[];

void report_map_css(FILE *f)
{
    fputs("<style>\n", f);
    fputs(cp_asset_leaflet_css, f);
    fputs("</style>\n", f);
}

/* A JavaScript string literal: quotes, backslashes and control characters
 * escaped, and "</" written "<\/" so no name can close the script. */
static void js_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch == '"' || ch == '\\')
            fprintf(f, "\\%c", ch);
        else if (ch < 0x20)
            fprintf(f, "\\u%04x", ch);
        else if (ch == '<' && s[1] == '/')
            fputs("<\\", f);
        else if (ch == 0xe2 && (unsigned char)s[1] == 0x80 &&
                 ((unsigned char)s[2] == 0xa8 || (unsigned char)s[2] == 0xa9)) {
            fprintf(f, "\\u%s", (unsigned char)s[2] == 0xa8 ? "2028" : "2029");
            s += 2; /* line and paragraph separators end a JS line */
        } else
            fputc(ch, f);
    }
    fputc('"', f);
}

static void js_number(FILE *f, double v, int decimals)
{
    if (!isfinite(v)) /* no number (a member out of reach by road: inf is no JavaScript) */
        fputs("null", f);
    else
        fprintf(f, "%.*f", decimals, v);
}

/* [y, x, y, x, ...] of a hull; lon/lat with 5 decimals (about 1 m). */
static void js_hull(FILE *f, const view_shapes *h, int g)
{
    int j;
    fputc('[', f);
    for (j = h->start[g]; j < h->start[g + 1]; j++)
        fprintf(f, "%s%.5f,%.5f", j > h->start[g] ? "," : "", h->pt[j].y, h->pt[j].x);
    fputc(']', f);
}

static void js_schools(FILE *f, const layout_view *v)
{
    int i, first = 1, decimals = v->geographic ? 5 : 3;
    fputs("s:[", f);
    for (i = 0; i < v->inst->n_schools; i++) {
        const cp_school *s = &v->inst->schools[i];
        if (!view_located(v, i))
            continue;
        fprintf(f, "%s[%.*f,%.*f,%d,%d,", first ? "" : ",\n", decimals, s->y, decimals, s->x,
                (int)v->role[i], v->lay->cluster_of[i]);
        js_number(f, v->ev->distance[i], 2);
        fputc(',', f);
        js_number(f, s->teachers, 0);
        fprintf(f, ",%d]", v->outlier[i] ? 1 : 0);
        first = 0;
    }
    fputs("],\n", f);
}

/* Per located school, in the order of js_schools: ids, names, reasons. */
static void js_texts(FILE *f, const layout_view *v)
{
    int i, n = 0, first = 1;
    fputs("id:[", f);
    for (i = 0; i < v->inst->n_schools; i++)
        if (view_located(v, i)) {
            fputs(first ? "" : ",", f);
            js_string(f, v->inst->schools[i].id);
            first = 0;
        }
    fputs("],\nname:[", f);
    for (i = 0, first = 1; i < v->inst->n_schools; i++)
        if (view_located(v, i)) {
            fputs(first ? "" : ",", f);
            js_string(f, v->inst->schools[i].name);
            first = 0;
        }
    fputs("],\nwhy:{", f);
    for (i = 0, first = 1; i < v->inst->n_schools; i++) {
        if (!view_located(v, i))
            continue;
        if (v->role[i] == VIEW_UNASSIGNED) {
            fprintf(f, "%s%d:", first ? "" : ",\n", n);
            js_string(f, view_reason(v, i));
            first = 0;
        }
        n++;
    }
    fputs("},\n", f);
}

/* Clusters [label, centre (index among the located schools), colour,
 * size, hull]; the located index of school i is located_before[i]. */
static void js_clusters(FILE *f, const layout_view *v, const int *located_index)
{
    int k;
    fputs("c:[", f);
    for (k = 0; k < v->lay->n_clusters; k++) {
        int c = v->ev->centre_used[k];
        fputs(k ? ",\n[" : "[", f);
        js_string(f, v->lay->label[k]);
        fprintf(f, ",%d,%d,%d,", c >= 0 && view_located(v, c) ? located_index[c] : -1,
                v->colour ? v->colour[k] : 0, v->ev->cluster_size[k]);
        js_hull(f, &v->cluster_hulls, k);
        fputc(']', f);
    }
    fputs("],\n", f);
}

/* A unit by its parent and its own name ("Malindi / Central"): leaf names
 * repeat across a register (two zones called Central in Kilifi). */
static void js_unit_name(FILE *f, const cp_school *s, int level)
{
    char name[400];
    const char *leaf = s->admin_name[level - 1] ? s->admin_name[level - 1] : "";
    const char *parent = level >= 2 ? s->admin_name[level - 2] : NULL;
    if (parent)
        snprintf(name, sizeof name, "%s / %s", parent, leaf);
    else
        snprintf(name, sizeof name, "%s", leaf);
    js_string(f, name);
}

static void js_units(FILE *f, const layout_view *v)
{
    int u, first = 1;
    fputs("u:[", f);
    for (u = 0; v->unit_level && u < v->unit_hulls.n; u++) {
        if (v->unit_hulls.start[u + 1] == v->unit_hulls.start[u])
            continue;
        fputs(first ? "[" : ",\n[", f);
        js_unit_name(f, &v->inst->schools[v->unit_school[u]], v->unit_level);
        fputc(',', f);
        js_hull(f, &v->unit_hulls, u);
        fputc(']', f);
        first = 0;
    }
    fputs("],\n", f);
}

/* Douglas-Peucker over p[lo..hi] (lon/lat, lon scaled by coslat): marks
 * the points to keep.  Iterative, with an explicit stack of spans. */
static void thin(const double *x, const double *y, long n, double tol, double coslat,
                 unsigned char *keep, long *stack)
{
    long top = 0, k;
    memset(keep, 0, (size_t)n);
    keep[0] = keep[n - 1] = 1;
    stack[top++] = 0;
    stack[top++] = n - 1;
    while (top > 0) {
        long hi = stack[--top], lo = stack[--top], far = -1;
        double dx = (x[hi] - x[lo]) * coslat, dy = y[hi] - y[lo], len = hypot(dx, dy), worst = tol;
        for (k = lo + 1; k < hi; k++) {
            double px = (x[k] - x[lo]) * coslat, py = y[k] - y[lo];
            double d = len > 0 ? fabs(px * dy - py * dx) / len : hypot(px, py);
            if (d > worst) {
                worst = d;
                far = k;
            }
        }
        if (far >= 0) {
            keep[far] = 1;
            stack[top++] = lo;
            stack[top++] = far;
            stack[top++] = far;
            stack[top++] = hi;
        }
    }
}

/* The road layer's edges within the map's extent (with a margin of a
 * tenth of it), [y, x, y, x] each, so the routes are seen on their roads;
 * none when more than MAP_ROAD_EDGES lie there (a country's network would
 * be larger than the report; the routes are drawn anyway). */
#define MAP_ROAD_EDGES 40000

static void js_road_edges(FILE *f, const layout_view *v)
{
    double lo_x = HUGE_VAL, hi_x = -HUGE_VAL, lo_y = HUGE_VAL, hi_y = -HUGE_VAL, mx, my;
    double ax, ay, bx, by;
    long e, n = 0, k = 0;
    int i;
    fputs("n:[", f);
    for (i = 0; v->inst->road && i < v->inst->n_schools; i++)
        if (view_drawn(v, i)) {
            lo_x = fmin(lo_x, v->inst->schools[i].x);
            hi_x = fmax(hi_x, v->inst->schools[i].x);
            lo_y = fmin(lo_y, v->inst->schools[i].y);
            hi_y = fmax(hi_y, v->inst->schools[i].y);
        }
    mx = (hi_x - lo_x) / 10;
    my = (hi_y - lo_y) / 10;
    for (e = 0; lo_x <= hi_x && e < cp_road_edges(v->inst->road); e++) {
        cp_road_edge(v->inst->road, e, &ax, &ay, &bx, &by);
        n += fmax(ax, bx) >= lo_x - mx && fmin(ax, bx) <= hi_x + mx &&
             fmax(ay, by) >= lo_y - my && fmin(ay, by) <= hi_y + my;
    }
    for (e = 0; n <= MAP_ROAD_EDGES && lo_x <= hi_x && e < cp_road_edges(v->inst->road); e++) {
        cp_road_edge(v->inst->road, e, &ax, &ay, &bx, &by);
        if (fmax(ax, bx) >= lo_x - mx && fmin(ax, bx) <= hi_x + mx &&
            fmax(ay, by) >= lo_y - my && fmin(ay, by) <= hi_y + my)
            fprintf(f, "%s[%.5f,%.5f,%.5f,%.5f]", k++ ? "," : "", ay, ax, by, bx);
    }
    fputs("],\n", f);
}

/* Routes by road: {located index: [y, x, y, x, ...]}. */
static cp_code js_routes(FILE *f, const layout_view *v, const int *located_index)
{
    double lo_x = HUGE_VAL, hi_x = -HUGE_VAL, lo_y = HUGE_VAL, hi_y = -HUGE_VAL, tol, coslat;
    unsigned char *keep = NULL;
    long *stack = NULL, most = 2, k;
    int i, first = 1;
    fputs("r:{", f);
    for (i = 0; v->route_n && i < v->inst->n_schools; i++)
        if (view_drawn(v, i)) {
            lo_x = fmin(lo_x, v->inst->schools[i].x);
            hi_x = fmax(hi_x, v->inst->schools[i].x);
            lo_y = fmin(lo_y, v->inst->schools[i].y);
            hi_y = fmax(hi_y, v->inst->schools[i].y);
            most = v->route_n[i] > most ? v->route_n[i] : most;
        }
    coslat = lo_y <= hi_y ? cos((lo_y + hi_y) / 2 * VIEW_RADIANS) : 1.0;
    tol = lo_x <= hi_x ? fmax((hi_x - lo_x) * coslat, hi_y - lo_y) / 4000.0 : 0.0;
    if (v->route_n && (!(keep = cp_malloc((size_t)most)) ||
                       !(stack = cp_malloc(4 * (size_t)most * sizeof *stack)))) {
        cp_free(keep);
        return CP_ERESOURCE;
    }
    for (i = 0; v->route_n && i < v->inst->n_schools; i++) {
        const double *x = v->route_x + (v->route_n[i] ? v->route_at[i] : 0);
        const double *y = v->route_y + (v->route_n[i] ? v->route_at[i] : 0);
        if (!view_has_route(v, i) || !view_drawn(v, i) || located_index[i] < 0)
            continue;
        thin(x, y, v->route_n[i], tol, coslat, keep, stack);
        fprintf(f, "%s%d:[", first ? "" : ",\n", located_index[i]);
        for (k = 0; k < v->route_n[i]; k++)
            if (keep[k])
                fprintf(f, "%s%.5f,%.5f", k ? "," : "", y[k], x[k]);
        fputc(']', f);
        first = 0;
    }
    fputs("},\n", f);
    cp_free(keep);
    cp_free(stack);
    return CP_OK;
}

static void js_colours(FILE *f, const layout_view *v)
{
    int c;
    char buf[8];
    fputs("colours:[", f);
    for (c = 0; c < (v->n_colours > 0 ? v->n_colours : 1); c++)
        fprintf(f, "%s\"%s\"", c ? "," : "", view_colour_hex(c, buf));
    fputs("],\n", f);
}

cp_code report_map_script(FILE *f, const layout_view *v)
{
    int *located_index = cp_malloc((size_t)(v->inst->n_schools + 1) * sizeof(int)), i, n = 0;
    if (!located_index)
        return CP_ERESOURCE;
    for (i = 0; i < v->inst->n_schools; i++)
        located_index[i] = view_located(v, i) ? n++ : -1;
    fputs("<script>\n", f);
    fputs(cp_asset_leaflet_min_js, f);
    fputs("\n</script>\n<script>\nwindow.CP_DATA={", f);
    fprintf(f, "geo:%d,units:", v->geographic);
    js_string(f, view_units(v));
    fputs(",basemap:", f);
    js_string(f, v->basemap ? v->basemap : "");
    fputs(",\n", f);
    js_colours(f, v);
    js_schools(f, v);
    js_texts(f, v);
    js_clusters(f, v, located_index);
    js_units(f, v);
    js_road_edges(f, v);
    if (js_routes(f, v, located_index)) {
        cp_free(located_index);
        return CP_ERESOURCE;
    }
    fputs("end:0};\n</script>\n<script>\n", f);
    fputs(cp_asset_report_map_js, f);
    fputs("</script>\n", f);
    cp_free(located_index);
    return CP_OK;
}
