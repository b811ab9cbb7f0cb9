/*
 * read_ogr.h — a GIS point layer read through GDAL/OGR (read_ogr.c).
 */
#ifndef CP_IO_READ_OGR_H
#define CP_IO_READ_OGR_H

#include "fields.h"
#include "solver/model/roads.h"

/* Reads the layer at `path` (a file, or a GDAL virtual path such as
 * /vsimem/...); messages name `display`.  sc: field mapping, --layer,
 * --crs (may be NULL). */
cp_instance *cp_read_ogr(const char *path, const char *display, const cp_scenario *sc,
                         cp_warnings *warn, cp_error *err);
/* The same from bytes in memory (through GDAL's /vsimem/). */
cp_instance *cp_read_ogr_memory(const char *buf, size_t len, const char *display,
                                const cp_scenario *sc, cp_warnings *warn, cp_error *err);

/* A road layer (read_roads.c): sc's roads file, its roads_layer (or the
 * only line layer) and class column, as lines in WGS 84 lon/lat. */
cp_code cp_read_road_lines(const char *path, const cp_scenario *sc, cp_road_lines *lines,
                           cp_warnings *warn, cp_error *err);

#endif
