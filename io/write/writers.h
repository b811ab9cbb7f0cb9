/*
 * writers.h — the GIS, map and report writers, each into an open file from
 * a layout's view (write_gis.c, write_map.c, write_report.c); called by
 * write_layout.c.
 */
#ifndef CP_WRITERS_H
#define CP_WRITERS_H

#include "layout_view.h"

#include <stdio.h>

void gis_geojson(FILE *f, const layout_view *v);
void gis_kml(FILE *f, const layout_view *v);
void gis_gml(FILE *f, const layout_view *v, const char *xsd_name);
void gis_gml_xsd(FILE *f);
void gis_csv(FILE *f, const layout_view *v);
void map_svg(FILE *f, const layout_view *v, double width);
void report_html(FILE *f, const layout_view *v);

#endif
