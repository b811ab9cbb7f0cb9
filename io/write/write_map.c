/*
 * write_map.c — the layout as an SVG map for print and slides: schools
 * coloured by cluster (neighbouring clusters differ: map_colours.c),
 * centres as black-edged squares labelled where the label fits,
 * member-centre lines, unassigned schools in red, admin units of the rule
 * as dashed outlines, a legend with the solution's counts, a north arrow
 * and a scale bar; likely coordinate errors left out of the extent.
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

#define LABELS_MAX 400

typedef struct {
    double min_x, max_x, min_y, max_y; /* projected */
    double scale, cos_lat, width, height;
    double margin, top; /* MARGIN and TOP, smaller for a thumbnail */
    int any;
} frame;

static void project_xy(const frame *fr, double lon, double lat, double *px, double *py)
{
    *px = fr->margin + (lon * fr->cos_lat - fr->min_x) * fr->scale;
    *py = fr->top + (fr->max_y - lat) * fr->scale;
}

static void project(const frame *fr, const cp_school *s, double *px, double *py)
{
    project_xy(fr, s->x, s->y, px, py);
}

static void frame_fit(frame *fr, const layout_view *v, double width, int small)
{
    double lat_sum = 0.0;
    int i, n = 0;
    memset(fr, 0, sizeof *fr);
    for (i = 0; i < v->inst->n_schools; i++)
        if (view_drawn(v, i)) {
            lat_sum += v->inst->schools[i].y;
            n++;
        }
    fr->cos_lat = v->geographic && n ? cos(lat_sum / n * VIEW_RADIANS) : 1.0;
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
    fr->margin = MARGIN;
    fr->top = TOP;
    fr->scale = (width - 2 * MARGIN) / fmax(fr->max_x - fr->min_x, 1e-9);
    fr->height = TOP + MARGIN + (fr->max_y - fr->min_y) * fr->scale;
    if (fr->height > 1.6 * width) { /* a tall country: fit the height instead */
        fr->scale = (1.6 * width - TOP - MARGIN) / fmax(fr->max_y - fr->min_y, 1e-9);
        fr->height = 1.6 * width;
    }
    if (small) { /* no title or legend: the map fills the box */
        fr->top = fr->margin = 6.0;
        fr->scale = (width - 2 * fr->margin) / fmax(fr->max_x - fr->min_x, 1e-9);
        fr->scale = fmin(fr->scale, (width - 2 * fr->margin) / fmax(fr->max_y - fr->min_y, 1e-9));
        fr->height = 2 * fr->margin + (fr->max_y - fr->min_y) * fr->scale;
        return;
    }
    fr->height = fmax(fr->height, 260.0); /* room for the legend */
}

static const char *colour_of(const layout_view *v, int i, char buf[8])
{
    return view_colour(v, v->lay->cluster_of[i], buf);
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
        if (view_has_route(v, i)) { /* along the roads */
            long p;
            fputs("<polyline fill=\"none\" points=\"", f);
            for (p = v->route_at[i]; p < v->route_at[i] + v->route_n[i]; p++) {
                project_xy(fr, v->route_x[p], v->route_y[p], &x1, &y1);
                fprintf(f, "%s%.1f,%.1f", p > v->route_at[i] ? " " : "", x1, y1);
            }
            fputs("\"/>\n", f);
            continue;
        }
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
    char buf[8];
    project(fr, &v->inst->schools[i], &x, &y);
    if (v->role[i] == VIEW_CENTRE)
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\" "
                   "stroke=\"#000\" stroke-width=\"1.2\">", x - 4, y - 4, colour_of(v, i, buf));
    else if (v->role[i] == VIEW_MEMBER)
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\">", x, y, colour_of(v, i, buf));
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

static void hull_points(FILE *f, const frame *fr, const view_pt *p, int n)
{
    int j;
    for (j = 0; j < n; j++) {
        double x, y;
        project_xy(fr, p[j].x, p[j].y, &x, &y);
        fprintf(f, "%s%.1f,%.1f", j ? " " : "", x, y);
    }
}

static void draw_hull(FILE *f, const layout_view *v, const frame *fr, int c)
{
    const view_shapes *h = &v->cluster_hulls;
    const view_pt *p = h->pt + h->start[c];
    int n = h->start[c + 1] - h->start[c];
    char buf[8];
    const char *colour = view_colour(v, c, buf);
    if (n == 0)
        return;
    if (n <= 2) { /* a point or a segment: a short stroke stays visible */
        double x1, y1, x2, y2;
        project_xy(fr, p[0].x, p[0].y, &x1, &y1);
        project_xy(fr, p[n - 1].x, p[n - 1].y, &x2, &y2);
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" "
                   "stroke-width=\"3\" stroke-linecap=\"round\"/>\n", x1, y1, x2, y2, colour);
        return;
    }
    fprintf(f, "<polygon fill=\"%s\" fill-opacity=\"0.55\" stroke=\"%s\" stroke-width=\"0.5\" "
               "points=\"", colour, colour);
    hull_points(f, fr, p, n);
    fputs("\"/>\n", f);
}

static void draw_hulls(FILE *f, const layout_view *v, const frame *fr)
{
    int c, i;
    for (c = 0; c < v->lay->n_clusters; c++)
        draw_hull(f, v, fr, c);
    if (v->thumbnail && v->inst->n_schools <= POINTS_MAX) /* a small map: its schools too */
        for (i = 0; i < v->inst->n_schools; i++)
            if (v->role[i] == VIEW_MEMBER && view_drawn(v, i)) {
                double x, y;
                char buf[8];
                project(fr, &v->inst->schools[i], &x, &y);
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.4\" fill=\"%s\"/>\n", x, y,
                        colour_of(v, i, buf));
            }
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
}

/* Admin units at the rule's level as dashed outlines (hulls of their
 * schools): where a unit's edge cuts two schools apart, the zone rule is
 * what keeps them in different clusters. */
static void draw_units(FILE *f, const layout_view *v, const frame *fr)
{
    const view_shapes *h = &v->unit_hulls;
    int u;
    if (!v->unit_level)
        return;
    fputs("<g fill=\"none\" stroke=\"#777\" stroke-width=\"0.6\" stroke-opacity=\"0.7\" "
          "stroke-dasharray=\"4 3\">\n", f);
    for (u = 0; u < h->n; u++)
        if (h->start[u + 1] - h->start[u] >= 3) {
            fputs("<polygon points=\"", f);
            hull_points(f, fr, h->pt + h->start[u], h->start[u + 1] - h->start[u]);
            fputs("\"/>\n", f);
        }
    fputs("</g>\n", f);
}

/* Cluster labels beside their centres, each only where it overlaps no
 * label already placed (greedy, in cluster order): at most LABELS_MAX
 * labels, each compared with those placed, O(LABELS_MAX^2). */
static void draw_labels(FILE *f, const layout_view *v, const frame *fr)
{
    double box[LABELS_MAX][4];
    int placed = 0, k, omitted = 0;
    fputs("<g font-family=\"sans-serif\" font-size=\"9\" fill=\"#222\">\n", f);
    for (k = 0; k < v->lay->n_clusters && placed < LABELS_MAX; k++) {
        int c = v->ev->centre_used[k], q, clash = 0;
        double x, y, w;
        if (c < 0 || !view_drawn(v, c) || v->ev->cluster_size[k] == 0)
            continue;
        project(fr, &v->inst->schools[c], &x, &y);
        w = 5.2 * (double)strlen(v->lay->label[k]);
        x += 6;
        y -= 4;
        if (x + w > fr->width - 2)
            continue;
        for (q = 0; q < placed && !clash; q++)
            clash = x < box[q][2] && box[q][0] < x + w && y - 9 < box[q][3] && box[q][1] < y;
        if (clash) {
            omitted++;
            continue;
        }
        box[placed][0] = x;
        box[placed][1] = y - 9;
        box[placed][2] = x + w;
        box[placed][3] = y;
        placed++;
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\">", x, y);
        cp_out_escaped(f, v->lay->label[k]);
        fputs("</text>\n", f);
    }
    for (; k < v->lay->n_clusters; k++) /* beyond LABELS_MAX: unlabelled too */
        omitted += v->ev->cluster_size[k] > 0;
    if (omitted)
        fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">labels of %d clusters "
                   "left out where they would overlap (the report's table lists every cluster)"
                   "</text>\n", fr->width - 10, fr->height - 10, omitted);
    fputs("</g>\n", f);
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
    double units_per_px = (v->geographic ? VIEW_KM_PER_DEGREE : 1.0) / fr->scale;
    double len = nice_length(units_per_px * (fr->width - 2 * MARGIN) / 5.0);
    double px = len / units_per_px, y = fr->height - 14;
    fprintf(f, "<g font-family=\"sans-serif\" font-size=\"11\">"
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"4\" fill=\"#000\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">%g %s</text></g>\n", MARGIN, y, px, MARGIN + px + 6,
            y + 5, len, v->geographic ? "km" : v->inst->units ? v->inst->units : "units");
}

/* The legend counts what the solution counts: clusters (one centre
 * each), member schools and unassigned schools. */
static void draw_legend(FILE *f, const layout_view *v, const frame *fr, int hulls)
{
    double x = fr->width - 290, y = 12;
    int rows = v->unit_level ? 5 : 4;
    fprintf(f, "<g font-family=\"sans-serif\" font-size=\"11\">"
               "<rect x=\"%.1f\" y=\"%.1f\" width=\"280\" height=\"%d\" fill=\"#fff\" "
               "fill-opacity=\"0.85\" stroke=\"#999\"/>\n", x, y, 10 + 18 * rows);
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"#1f77b4\" "
               "stroke=\"#000\"/><text x=\"%.1f\" y=\"%.1f\">cluster centre: %d clusters</text>\n",
            x + 8, y + 8, x + 24, y + 16, v->ev->ind.clusters);
    if (hulls)
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"9\" fill=\"#ff7f0e\" "
                   "fill-opacity=\"0.55\"/><text x=\"%.1f\" y=\"%.1f\">cluster area (hull of its "
                   "schools): %d member schools</text>\n", x + 6, y + 26, x + 24, y + 34,
                v->counts[VIEW_MEMBER]);
    else
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#ff7f0e\"/>"
                   "<text x=\"%.1f\" y=\"%.1f\">member school: %d</text>\n", x + 12, y + 30,
                x + 24, y + 34, v->counts[VIEW_MEMBER]);
    fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"#d62728\" stroke=\"#600\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">unassigned school: %d</text>\n", x + 12, y + 48,
            x + 24, y + 52, v->counts[VIEW_UNASSIGNED]);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#999\"/>"
               "<text x=\"%.1f\" y=\"%.1f\">member to centre</text>\n", x + 6, y + 66,
            x + 18, y + 66, x + 24, y + 70);
    if (v->unit_level)
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#555\" "
                   "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%.1f\">admin%d unit (hull of its "
                   "schools)</text>\n", x + 2, y + 84, x + 20, y + 84, x + 24, y + 88, v->unit_level);
    fputs("</g>\n", f);
}

/* North is up (the projection keeps it so): an arrow under the title. */
static void draw_north(FILE *f)
{
    fprintf(f, "<g font-family=\"sans-serif\" font-size=\"11\" font-weight=\"bold\">"
               "<path d=\"M %.0f 62 l -7 18 l 7 -5 l 7 5 z\" fill=\"#000\"/>"
               "<text x=\"%.0f\" y=\"58\" text-anchor=\"middle\">N</text></g>\n",
            MARGIN + 7, MARGIN + 7);
}

void map_svg(FILE *f, const layout_view *v, double width, int small)
{
    frame fr;
    int hulls = small || v->inst->n_schools > POINTS_MAX;
    frame_fit(&fr, v, width, small);
    fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
               "viewBox=\"0 0 %.0f %.0f\">\n<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
            fr.width, fr.height, fr.width, fr.height);
    if (!small) {
        fprintf(f, "<text x=\"%.0f\" y=\"24\" font-family=\"sans-serif\" font-size=\"15\" "
                   "font-weight=\"bold\">", MARGIN);
        cp_out_escaped(f, v->inst->name[0] ? v->inst->name : "clusters");
        fprintf(f, ": %d clusters, %d of %d schools placed</text>\n", v->ev->ind.clusters,
                v->counts[VIEW_CENTRE] + v->counts[VIEW_MEMBER], v->inst->n_schools);
        if (v->outliers.n)
            fprintf(f, "<text x=\"%.0f\" y=\"42\" font-family=\"sans-serif\" font-size=\"11\">"
                       "%d likely coordinate error%s left off the map (see the report)</text>\n",
                    MARGIN, v->outliers.n, v->outliers.n == 1 ? "" : "s");
        draw_units(f, v, &fr);
    }
    if (hulls)
        draw_hulls(f, v, &fr);
    else {
        draw_points(f, v, &fr);
        draw_labels(f, v, &fr);
    }
    if (!small) {
        draw_legend(f, v, &fr, hulls);
        draw_north(f);
        draw_scale(f, v, &fr);
    }
    fputs("</svg>\n", f);
}
