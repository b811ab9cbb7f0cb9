/*
 * gdal_ogr.h — the wall around GDAL/OGR and PROJ for io/ (gdal_ogr.c):
 * one-time driver registration, GDAL's errors caught (never printed) and
 * turned into our messages, opening a vector source with the options its
 * driver needs, CRSs from user text with the axis order PROJ documents,
 * the transform to WGS 84 lon/lat, and output files written whole through
 * a temporary folder.  The bottom io room: io/read and io/write stand on
 * it; it stands on solver/ only.
 */
#ifndef CP_IO_GDAL_OGR_H
#define CP_IO_GDAL_OGR_H

#include "solver/model/model.h"

#include <gdal.h>
#include <ogr_srs_api.h>

/* Around every use of GDAL on a thread: registers the drivers once, and
 * catches GDAL's messages (kept for ours; GDAL's handler stack is per
 * thread, so runs in parallel do not mix them). */
void cp_gdal_begin(void);
void cp_gdal_end(void);
/* GDAL's last error message on this thread, or "" */
const char *cp_gdal_last_error(void);

/* Opens a vector source read-only; NULL with an error naming `display`.
 * Options by driver: CSV takes X/Y columns (the mapped lon/x and lat/y,
 * else the usual names) and WKT; GML never writes a .gfs beside the input. */
GDALDatasetH cp_gdal_open_vector(const char *path, const char *display, const cp_scenario *sc,
                                 cp_error *err);

/* "a, b, c": the layer's columns (for an error that names a missing one). */
void cp_gdal_list_columns(OGRLayerH layer, char *out, size_t n);
/* The layer `want` (NULL: the only layer with geometries), or NULL with an
 * error naming path, the option that chooses one ("--layer") and what the
 * layers hold ("points"), listing the layers. */
OGRLayerH cp_gdal_pick_layer(GDALDatasetH ds, const char *want, const char *path,
                             const char *option, const char *kind, cp_error *err);

/* A CRS from user text ("EPSG:21037", a URN, WKT, PROJ string), with the
 * traditional GIS axis order (x = easting or longitude); NULL with an error
 * naming `what` (the option it came from). */
OGRSpatialReferenceH cp_gdal_crs(const char *text, cp_error *err, const char *what);
/* WGS 84, x = longitude, y = latitude. */
OGRSpatialReferenceH cp_gdal_wgs84(void);
/* From src (in its own data axis order) to WGS 84 lon/lat; NULL with an
 * error when PROJ has no transformation. */
OGRCoordinateTransformationH cp_gdal_to_wgs84(OGRSpatialReferenceH src, cp_error *err);
/* The CRS's name for a message, or `fallback` when srs is NULL or unnamed. */
const char *cp_gdal_crs_name(OGRSpatialReferenceH srs, const char *fallback);
/* The CRS as WKT (cp_malloc'd), or NULL on memory. */
char *cp_gdal_crs_wkt(OGRSpatialReferenceH srs);

/* An output written whole or not at all, as one or several files (a
 * shapefile's .shp, .shx, .dbf, .prj; a GeoJSON's sibling layers): GDAL
 * writes into a temporary folder beside the target, and only when every
 * file is complete are they renamed into place. */
typedef struct {
    char dir[4096];       /* the temporary folder */
    char target_dir[4096];
    char base[1024];      /* the target's file name */
} cp_gdal_out;

/* Fills o and creates the folder; the writer writes o->dir/o->base (and
 * siblings). */
cp_code cp_gdal_out_open(cp_gdal_out *o, const char *path, cp_error *err);
/* Moves every file of the folder beside the target, then removes it. */
cp_code cp_gdal_out_commit(cp_gdal_out *o, cp_error *err);
/* Removes the folder and whatever is in it (after a failure). */
void cp_gdal_out_abandon(cp_gdal_out *o);

#endif
