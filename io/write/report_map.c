/*
 * report_map.c — the HTML report's interactive map: Leaflet's CSS and
 * script, the layout as CP_DATA (the format is described at the top of
 * report_map.js) and report_map.js itself, all inline, so the report is
 * one file that opens offline.  Leaflet comes from Debian's libjs-leaflet
 * and is compiled in by the Makefile (build/gen/assets.c).
 * Work: O(n + hull corners); about 60 bytes per school.
 */
#include "writers.h"

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
    if (isnan(v))
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
    js_string(f, v->geographic ? "km" : v->inst->units ? v->inst->units : "");
    fputs(",basemap:", f);
    js_string(f, v->basemap ? v->basemap : "");
    fputs(",\n", f);
    js_colours(f, v);
    js_schools(f, v);
    js_texts(f, v);
    js_clusters(f, v, located_index);
    js_units(f, v);
    fputs("end:0};\n</script>\n<script>\n", f);
    fputs(cp_asset_report_map_js, f);
    fputs("</script>\n", f);
    cp_free(located_index);
    return CP_OK;
}
