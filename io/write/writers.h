/*
 * writers.h — the GIS, map and report writers of a layout's view
 * (write_ogr.c, write_map.c, write_report.c); called by write_layout.c.
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
void map_svg(FILE *f, const layout_view *v, double width);
void report_html(FILE *f, const layout_view *v);

#endif
