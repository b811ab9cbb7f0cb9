/*
 * writers.h — the GIS, map and report writers of a layout's view
 * (write_ogr.c, write_map.c, write_report.c), called by write_layout.c;
 * and the committee's page of a ranking (write_ranking_html.c), called by
 * write_ranking.c.
 */
#ifndef CP_WRITERS_H
#define CP_WRITERS_H

#include "layout_view.h"

#include <stdio.h>

/* The GIS formats through GDAL (write_ogr.c): .gpkg .gml .kml .geojson
 * .json .shp .csv; the file (and its siblings) written whole or not at all. */
int cp_ogr_format_known(const char *ext);
/* The one-layer formats' files: OUT, OUT-links, OUT-clusters (NULL-ended);
 * write_ogr.c writes them, cp_layout_output_files names them. */
extern const char *const cp_ogr_siblings[];
cp_code cp_write_ogr(const char *path, const layout_view *v, cp_error *err);
/* The SVG map, `width` px wide; small: a thumbnail (hulls, no legend,
 * labels or title). */
void map_svg(FILE *f, const layout_view *v, double width, int small);
/* The HTML report; CP_ERESOURCE when memory ran out (the page is then
 * incomplete: the caller drops it). */
cp_code report_html(FILE *f, const layout_view *v);
/* The report's sections for study groups, upgrades and zones (report_rules.c). */
void report_rules(FILE *f, const layout_view *v);
/* The report's interactive map (report_map.c): Leaflet's CSS for <head>,
 * then Leaflet, the layout's data and report_map.js for the page's end. */
void report_map_css(FILE *f);
cp_code report_map_script(FILE *f, const layout_view *v);

/* The committee's publication of a ranking: decree, rubric, the list with
 * every rater's score, exclusions and why, quotas and what they cost,
 * reserve lists, rater statistics, digests and a place for signatures; A4,
 * right to left for a right-to-left language.  `tree` is the published
 * record set (its digests); `public_version` leaves out private fields. */
cp_code cp_write_ranking_html(FILE *f, const cp_ranking *r, const cp_publication *tree,
                              int public_version);

#endif
