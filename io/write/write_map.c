/*
 * write_map.c — the layout as an SVG map a person can read: schools coloured
 * by cluster, centres as black-edged squares, member-centre lines,
 * unassigned schools in red, a legend, a title and a scale bar.
 * Projection: equirectangular around the mean latitude (lon scaled by
 * cos(lat0)), which keeps shapes true at the scale of a country; projected
 * instances are drawn as they are.  Above POINTS_MAX schools points would
 * overlap, so each cluster is drawn as its convex hull (monotone chain)
 * with its centre as a dot, and unassigned schools stay visible.
 * Work: O(n log n) for the hulls.
 */
#include "writers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define POINTS_MAX 5000
#define MARGIN 40.0
#define TOP 110.0 /* title and legend above the map */
#define KM_PER_DEGREE (6371.0 * 3.14159265358979323846 / 180.0)

static const char *const palette[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b",
                                      "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#393b79",
                                      "#637939", "#8c6d31"};
#define PALETTE (int)(sizeof palette / sizeof *palette)

typedef struct {
    double min_x, max_x, min_y, max_y; /* projected */
    double scale, cos_lat, width, height;
    int any;
} frame;

static void project(const frame *fr, const cp_school *s, double *px, double *py)
{
    double x = s->x * fr->cos_lat, y = s->y;
    *px = MARGIN + (x - fr->min_x) * fr->scale;
    *py = TOP + (fr->max_y - y) * fr->scale;
}

static void frame_fit(frame *fr, const layout_view *v, double width)
{
    double lat_sum = 0.0;
    int i, n = 0;
    memset(fr, 0, sizeof *fr);
    for (i = 0; i < v->inst->n_schools; i++)
        if (view_drawn(v, i)) {
            lat_sum += v->inst->schools[i].y;
            n++;
        }
    fr->cos_lat = v->geographic && n ? cos(lat_sum / n * 3.14159265358979323846 / 180.0) : 1.0;
    fr->min_x = fr->min_y = HUGE_VAL;
    fr->max_x = fr->max_y = -HUGE_VAL;
    for (i = 0; i < v->inst->n_schools; i++) {
        double x, y;
        if (!view_drawn(v, i))
            continue;
        x = v->inst->schools[i].x * fr->cos_lat;
        y = v->inst->schools[i].y;
        fr->min_x = fmin(fr->min_x, x);
        fr->max_x = fmax(fr->max_x, x);
        fr->min_y = fmin(fr->min_y, y);
        fr->max_y = fmax(fr->max_y, y);
        fr->any = 1;
    }
    if (!fr->any)
        fr->min_x = fr->max_x = fr->min_y = fr->max_y = 0.0;
    fr->width = width;
    fr->scale = (width - 2 * MARGIN) / fmax(fr->max_x - fr->min_x, 1e-9);
    fr->height = TOP + MARGIN + (fr->max_y - fr->min_y) * fr->scale;
    if (fr->height > 1.6 * width) { /* a tall country: fit the height instead */
        fr->scale = (1.6 * width - TOP - MARGIN) / fmax(fr->max_y - fr->min_y, 1e-9);
        fr->height = 1.6 * width;
    }
    fr->height = fmax(fr->height, 260.0); /* room for the legend */
}

static const char *colour_of(const layout_view *v, int i)
{
    int k = v->lay->cluster_of[i];
    return k >= 0 ? palette[k % PALETTE] : "#d62728";
}

/* ------------------------------------------------------------ point mode */

static void draw_lines(FILE *f, const layout_view *v, const frame *fr)
{
    int i;
    fputs("<g stroke=\"#999\" stroke-width=\"0.6\">\n", f);
    for (i = 0; i < v->inst->n_schools; i++) {
        double x1, y1, x2, y2;
        if (!view_has_line(v, i) || !view_drawn(v, i) || !view_drawn(v, v->centre_of[i]))
            continue;
        project(fr, &v->inst->schools[i], &x1, &y1);
        project(fr, &v->inst->schools[v->centre_of[i]], &x2, &y2);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x1, y1, x2, y2);
    }
    fputs("</g>\n", f);
}

static void title(FILE *f, const layout_view *v, int i)
{
    fputs("<title>", f);
    cp_out_escaped(f, v->inst->schools[i].id);
    if (v->inst->schools[i].name[0]) {
        fputs(" ", f);
        cp_out_escaped(f, v->inst->schools[i].name);
    }
    fprintf(f, ": %s", view_role_name(v->role[i]));
    if (v->role[i] != VIEW_UNASSIGNED) {
        fputs(" of ", f);
        cp_out_escaped(f, view_cluster_label(v, i));
    } else {
        fputs(", ", f);
        cp_out_escaped(f, view_reason(v, i));
    }
    fputs("</title>", f);
}

static void draw_school(FILE *f, const layout_view *v, const frame *fr, int i)
{
    double x, y;
    project(fr, &v->inst->schools[i], &x, &y);
    if (v->role[i] == VIEW_CENTRE)
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\" "
                   "stroke=\"#000\" stroke-width=\"1.2\">", x - 4, y - 4, colour_of(v, i));
    else if (v->role[i] == VIEW_MEMBER)
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">", x, y, colour_of(v, i));
    else
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#d62728\" stroke=\"#600\" "
                   "stroke-width=\"1\">", x, y);
    title(f, v, i);
    fputs(v->role[i] == VIEW_CENTRE ? "</rect>\n" : "</circle>\n", f);
}

static void draw_points(FILE *f, const layout_view *v, const frame *fr)
{
    int i, role;
    draw_lines(f, v, fr);
    for (role = VIEW_MEMBER; role >= VIEW_CENTRE; role--) /* centres on top of members */
        for (i = 0; i < v->inst->n_schools; i++)
            if ((int)v->role[i] == role && view_drawn(v, i))
                draw_school(f, v, fr, i);
    for (i = 0; i < v->inst->n_schools; i++)
        if (v->role[i] == VIEW_UNASSIGNED && view_drawn(v, i))
            draw_school(f, v, fr, i);
}

/* -------------------------------------------------------------- hull mode */

typedef struct {
    double x, y;
} pt;

static int by_xy(const void *a, const void *b)
{
    const pt *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return (p->y > q->y) - (p->y < q->y);
}

static double cross(pt o, pt a, pt b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/* Andrew's monotone chain; returns the hull size (points in hull[]). */
static int convex_hull(pt *p, int n, pt *hull)
{
    int k = 0, i, lower;
    qsort(p, (size_t)n, sizeof *p, by_xy);
    for (i = 0; i < n; i++) {
        while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
            k--;
        hull[k++] = p[i];
    }
    for (i = n - 2, lower = k + 1; i >= 0; i--) {
        while (k >= lower && cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
            k--;
        hull[k++] = p[i];
    }
    return n > 1 ? k - 1 : n;
}

static void draw_hull(FILE *f, const layout_view *v, const frame *fr, int c, const int *members,
                      int count, pt *p, pt *hull)
{
    int j, n = 0, h;
    for (j = 0; j < count; j++)
        if (view_drawn(v, members[j]))
            project(fr, &v->inst->schools[members[j]], &p[n].x, &p[n].y), n++;
    if (n == 0)
        return;
    h = convex_hull(p, n, hull);
    if (h <= 2) { /* a point or a segment: a short stroke stays visible */
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                   "stroke-width=\"3\" stroke-linecap=\"round\"/>\n", hull[0].x, hull[0].y,
                hull[h - 1].x, hull[h - 1].y, palette[c % PALETTE]);
        return;
    }
    fprintf(f, "<polygon fill=\"%s\" fill-opacity=\"0.55\" stroke=\"%s\" stroke-width=\"0.5\" "
               "points=\"", palette[c % PALETTE], palette[c % PALETTE]);
    for (j = 0; j < h; j++)
        fprintf(f, "%s%.1f,%.1f", j ? " " : "", hull[j].x, hull[j].y);
    fputs("\"/>\n", f);
}

static void draw_hulls(FILE *f, const layout_view *v, const frame *fr)
{
    int *start = NULL, *members = NULL, c, i, most = 1;
    pt *p, *hull;
    if (cp_layout_members(v->lay, &start, &members))
        return;
    for (c = 0; c < v->lay->n_clusters; c++)
        most = start[c + 1] - start[c] > most ? start[c + 1] - start[c] : most;
    p = cp_malloc((size_t)most * sizeof *p);
    hull = cp_malloc((size_t)(2 * most + 1) * sizeof *hull);
    for (c = 0; p && hull && c < v->lay->n_clusters; c++)
        draw_hull(f, v, fr, c, members + start[c], start[c + 1] - start[c], p, hull);
    fputs("<g fill=\"#000\">\n", f);
    for (i = 0; i < v->inst->n_schools; i++)
        if (v->role[i] == VIEW_CENTRE && view_drawn(v, i)) {
            double x, y;
            project(fr, &v->inst->schools[i], &x, &y);
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"0.9\"/>\n", x, y);
        }
    fputs("</g>\n<g fill=\"#d62728\">\n", f);
    for (i = 0; i < v->inst->n_schools; i++)
        if (v->role[i] == VIEW_UNASSIGNED && view_drawn(v, i)) {
            double x, y;
            project(fr, &v->inst->schools[i], &x, &y);
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.6\"/>\n", x, y);
        }
    fputs("</g>\n", f);
    cp_free(p);
    cp_free(hull);
    cp_free(start);
    cp_free(members);
}

/* -------------------------------------------------------- legend, scale */

/* A round length (1, 2 or 5 x 10^k) about a fifth of the map's width. */
static double nice_length(double target)
{
    double p = pow(10.0, floor(log10(target))), m = target / p;
    return (m >= 5 ? 5 : m >= 2 ? 2 : 1) * p;
}

static void draw_scale(FILE *f, const layout_view *v, const frame *fr)
{
    double units_per_px = (v->geographic ? KM_PER_DEGREE : 1.0) / fr->scale;
    double len = nice_length(units_per_px * (fr->width - 2 * MARGIN) / 5.0);
    double px = len / units_per_px, y = fr->height - 14;
    fprintf(f, "<g font-family=\"sans-serif\" font-size=\"11\">"
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"4\" fill=\"#000\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">%g %s</text></g>\n", MARGIN, y, px, MARGIN + px + 6,
            y + 5, len, v->geographic ? "km" : v->inst->units ? v->inst->units : "units");
}

static void draw_legend(FILE *f, const layout_view *v, const frame *fr, int hulls)
{
    double x = fr->width - 230, y = 12;
    fprintf(f, "<g font-family=\"sans-serif\" font-size=\"11\">"
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"220\" height=\"78\" fill=\"#fff\" "
               "fill-opacity=\"0.85\" stroke=\"#999\"/>\n", x, y);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\" stroke=\"#000\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">cluster centre (%d)</text>\n", x + 8, y + 8,
            palette[0], x + 24, y + 16, v->counts[VIEW_CENTRE]);
    fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">%s (%d)</text>\n", x + 12, y + 30, palette[1],
            x + 24, y + 34, hulls ? "cluster (hull of members)" : "member school",
            v->counts[VIEW_MEMBER]);
    fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#d62728\" stroke=\"#600\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">unassigned school (%d)</text>\n", x + 12, y + 48,
            x + 24, y + 52, v->counts[VIEW_UNASSIGNED]);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">member to centre</text></g>\n", x + 6, y + 66,
            x + 18, y + 66, x + 24, y + 70);
}

void map_svg(FILE *f, const layout_view *v, double width)
{
    frame fr;
    int hulls = v->inst->n_schools > POINTS_MAX;
    frame_fit(&fr, v, width);
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n"
               "<text x=\"%.0f\" y=\"24\" font-family=\"sans-serif\" font-size=\"15\" "
               "font-weight=\"bold\">", fr.width, fr.height, fr.width, fr.height, MARGIN);
    cp_out_escaped(f, v->inst->name[0] ? v->inst->name : "clusters");
    fprintf(f, ": %d clusters, %d schools</text>\n", v->lay->n_clusters, v->inst->n_schools);
    if (hulls)
        draw_hulls(f, v, &fr);
    else
        draw_points(f, v, &fr);
    draw_legend(f, v, &fr, hulls);
    draw_scale(f, v, &fr);
    fputs("</svg>\n", f);
}
