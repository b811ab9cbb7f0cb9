/*
 * gdal_ogr.c — the GDAL/OGR and PROJ wall of io/ (see gdal_ogr.h).
 *
 * Why each choice:
 *   - drivers are registered once (pthread_once): batch runs read in
 *     parallel, and GDALAllRegister is not safe to race;
 *   - GDAL's messages go to a quiet handler pushed per call site, and the
 *     last one is quoted in our error, so the user sees one message that
 *     names the file, not GDAL's stderr chatter;
 *   - the driver is identified first, so only its own open options are
 *     passed (others would be warned about);
 *   - CRSs from user text get the traditional GIS axis order: a planner's
 *     x is the easting or longitude.  A layer's own CRS keeps the mapping
 *     the driver set, which matches the order of its geometries;
 *   - outputs go to a folder beside the target (same file system, so the
 *     final rename is atomic per file) and are moved only when complete.
 */
#include "gdal_ogr.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <ogr_api.h>

static pthread_once_t registered = PTHREAD_ONCE_INIT;

static void register_drivers(void)
{
    /* never read or write auxiliary files beside the user's data */
    CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
    CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none");
    GDALAllRegister();
}

void cp_gdal_begin(void)
{
    pthread_once(&registered, register_drivers);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
}

void cp_gdal_end(void)
{
    CPLPopErrorHandler();
}

const char *cp_gdal_last_error(void)
{
    const char *m = CPLGetLastErrorMsg();
    return m ? m : "";
}

/* ------------------------------------------------------------------ open */

/* "X_POSSIBLE_NAMES=lon,longitude,...", or the mapped columns alone: the
 * CSV driver takes the first column in the file's order whose name is in
 * the list, so a mapped school_lon after a zone office's lon lost to it. */
static void possible_names(char *out, size_t n, const char *key, const char *first,
                           const char *second, const char *usual)
{
    if (first || second)
        snprintf(out, n, "%s=%s%s%s", key, first ? first : "", first && second ? "," : "",
                 second ? second : "");
    else
        snprintf(out, n, "%s=%s", key, usual);
}

GDALDatasetH cp_gdal_open_vector(const char *path, const char *display, const cp_scenario *sc,
                                 cp_error *err)
{
    char xnames[512], ynames[512];
    const char *csv_options[] = {xnames, ynames, "KEEP_GEOM_COLUMNS=YES",
                                 "GEOM_POSSIBLE_NAMES=WKT,wkt,geometry,geom", NULL};
    const char *gml_options[] = {"WRITE_GFS=NO", NULL};
    const char *const *options = NULL;
    const char *allowed[2] = {NULL, NULL};
    GDALDriverH drv;
    GDALDatasetH ds;
    if (access(path, R_OK) != 0 && strncmp(path, "/vsi", 4) != 0) {
        cp_fail(err, CP_EINPUT, "%s: cannot open for reading (%s)", display, strerror(errno));
        return NULL;
    }
    drv = GDALIdentifyDriverEx(path, GDAL_OF_VECTOR, NULL, NULL);
    if (!drv) {
        cp_fail(err, CP_EINPUT, "%s: neither a native <instance> file nor a vector format "
                "GDAL reads (GeoPackage, Shapefile, GeoJSON, FlatGeobuf, CSV, KML, GML, ...)",
                display);
        return NULL;
    }
    allowed[0] = GDALGetDriverShortName(drv);
    if (!strcmp(allowed[0], "CSV")) {
        possible_names(xnames, sizeof xnames, "X_POSSIBLE_NAMES", cp_scenario_column(sc, "lon"),
                       cp_scenario_column(sc, "x"), "lon,longitude,long,lng,x,X,easting,Easting,LON,LNG,Longitude,POINT_X,point_x");
        possible_names(ynames, sizeof ynames, "Y_POSSIBLE_NAMES", cp_scenario_column(sc, "lat"),
                       cp_scenario_column(sc, "y"), "lat,latitude,y,Y,northing,Northing,LAT,Latitude,POINT_Y,point_y");
        options = csv_options;
    } else if (!strcmp(allowed[0], "GML")) {
        options = gml_options;
    }
    ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, allowed, options, NULL);
    if (!ds)
        cp_fail(err, CP_EINPUT, "%s: GDAL's %s driver cannot read it: %s", display, allowed[0],
                cp_gdal_last_error()[0] ? cp_gdal_last_error() : "unknown error");
    return ds;
}

void cp_gdal_list_columns(OGRLayerH layer, char *out, size_t n)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(layer);
    int k, count = OGR_FD_GetFieldCount(defn);
    size_t used = 0;
    out[0] = '\0';
    for (k = 0; k < count && used + 1 < n; k++)
        used += (size_t)snprintf(out + used, n - used, "%s%s", k ? ", " : "",
                                 OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, k)));
    if (!count)
        snprintf(out, n, "none");
}

/* Layers with a geometry column: a GeoPackage's attribute tables (such as
 * QGIS's layer_styles) hold no schools and no roads. */
OGRLayerH cp_gdal_pick_layer(GDALDatasetH ds, const char *want, const char *path,
                             const char *option, const char *kind, cp_error *err)
{
    int n = GDALDatasetGetLayerCount(ds), k, count = 0;
    char names[2048];
    size_t used = 0;
    OGRLayerH only = NULL, layer;
    names[0] = '\0';
    for (k = 0; k < n; k++) {
        OGRLayerH l = GDALDatasetGetLayer(ds, k);
        if (wkbFlatten(OGR_L_GetGeomType(l)) == wkbNone)
            continue;
        only = l;
        count++;
        if (used + 1 < sizeof names)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
                                     count > 1 ? ", " : "", OGR_L_GetName(l));
    }
    if (want) {
        if (!(layer = GDALDatasetGetLayerByName(ds, want)))
            cp_fail(err, CP_EINPUT, "%s: no layer \"%s\" (%s); its layers: %s", path, want,
                    option, count ? names : "none");
        return layer;
    }
    if (count == 1)
        return only;
    if (count == 0 && n > 0 && !strcmp(kind, "points") &&
        !strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(ds)), "CSV")) {
        cp_gdal_list_columns(GDALDatasetGetLayer(ds, 0), names, sizeof names);
        cp_fail(err, CP_EINPUT, "%s: no coordinate columns found among its columns (%s): name "
                "them with --field lon=COLUMN --field lat=COLUMN (WGS 84), or --field x=COLUMN "
                "--field y=COLUMN with --crs EPSG:N", path, names);
    } else if (count == 0 && n > 0 && !strcmp(kind, "points")) {
        /* tables without geometry (an XLSX sheet, a GeoPackage attribute table) */
        for (k = 0, used = 0, names[0] = '\0'; k < n && used + 1 < sizeof names; k++)
            used += (size_t)snprintf(names + used, sizeof names - used, "%s%s", k ? ", " : "",
                                     OGR_L_GetName(GDALDatasetGetLayer(ds, k)));
        cp_fail(err, CP_EINPUT, "%s: no layer of points in this file; its tables (%s) have no "
                "geometry: name one with %s NAME and its coordinate columns with --field "
                "lon=COLUMN --field lat=COLUMN", path, names, option);
    } else if (count == 0)
        cp_fail(err, CP_EINPUT, "%s: no layer of %s in this file", path, kind);
    else
        cp_fail(err, CP_EINPUT, "%s: %d layers (%s): choose one with %s NAME", path, count, names,
                option);
    return NULL;
}

/* ------------------------------------------------------------------- CRS */

OGRSpatialReferenceH cp_gdal_crs(const char *text, cp_error *err, const char *what)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (!srs) {
        cp_fail_nomem(err);
        return NULL;
    }
    /* PROJ reads "EPSG:32737junk" as EPSG:32737: a code is digits alone */
    if ((!strncasecmp(text, "EPSG:", 5) && (!text[5] || strspn(text + 5, "0123456789") !=
                                                           strlen(text + 5))) ||
        OSRSetFromUserInput(srs, text) != OGRERR_NONE) {
        cp_fail(err, CP_EINPUT, "%s %s: not a coordinate reference system PROJ knows (give "
                "EPSG:N, a URN or WKT)", what, text);
        OSRDestroySpatialReference(srs);
        return NULL;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    return srs;
}

OGRSpatialReferenceH cp_gdal_wgs84(void)
{
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    if (srs) {
        OSRImportFromEPSG(srs, 4326);
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    }
    return srs;
}

OGRCoordinateTransformationH cp_gdal_to_wgs84(OGRSpatialReferenceH src, cp_error *err)
{
    OGRSpatialReferenceH dst = cp_gdal_wgs84();
    OGRCoordinateTransformationH ct = dst ? OCTNewCoordinateTransformation(src, dst) : NULL;
    if (!ct)
        cp_fail(err, CP_EINPUT, "no transformation from %s to WGS 84 is known to PROJ: %s",
                cp_gdal_crs_name(src, "the source CRS"), cp_gdal_last_error());
    OSRDestroySpatialReference(dst);
    return ct;
}

const char *cp_gdal_crs_name(OGRSpatialReferenceH srs, const char *fallback)
{
    const char *name = srs ? OSRGetName(srs) : NULL;
    return name ? name : fallback;
}

char *cp_gdal_crs_wkt(OGRSpatialReferenceH srs)
{
    const char *const options[] = {"FORMAT=WKT2_2018", NULL};
    char *wkt = NULL, *copy;
    if (OSRExportToWktEx(srs, &wkt, options) != OGRERR_NONE || !wkt) {
        CPLFree(wkt);
        return NULL;
    }
    copy = cp_strdup(wkt);
    CPLFree(wkt);
    return copy;
}

/* ---------------------------------------------------------------- output */

cp_code cp_gdal_out_open(cp_gdal_out *o, const char *path, cp_error *err)
{
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) : 0;
    if (dir_len >= 2048 || strlen(path) >= 2048)
        return cp_fail(err, CP_EINPUT, "%s: path too long", path);
    memset(o, 0, sizeof *o);
    if (slash)
        memcpy(o->target_dir, path, dir_len);
    else
        snprintf(o->target_dir, sizeof o->target_dir, ".");
    if (slash && dir_len == 0)
        snprintf(o->target_dir, sizeof o->target_dir, "/");
    snprintf(o->base, sizeof o->base, "%s", slash ? slash + 1 : path);
    snprintf(o->dir, sizeof o->dir, "%.2048s/.%.1000s.tmp.XXXXXX", o->target_dir, o->base);
    if (!mkdtemp(o->dir)) /* as output.c: an unwritable place is a resource error (exit 3) */
        return cp_fail(err, CP_ERESOURCE, "%s: cannot create a temporary folder beside it (%s)",
                       path, strerror(errno));
    return CP_OK;
}

/* Files beside a target that belong to the file it replaces and would
 * corrupt or mislead a reader of the new one: SQLite's write-ahead log and
 * journal beside a GeoPackage (a QGIS session that crashed, or still has
 * it open, leaves them: the new file read with the old log is a malformed
 * database), a shapefile's spatial indexes (QGIS's .qix, ArcGIS's
 * .sbn/.sbx: spatial queries then miss features).  Removed before the new
 * file moves into place. */
static void remove_stale_companions(const char *to)
{
    static const char *const sqlite_logs[] = {"-wal", "-shm", "-journal", NULL};
    static const char *const shp_indexes[] = {".qix", ".sbn", ".sbx", ".QIX", ".SBN", ".SBX",
                                              NULL};
    const char *ext = strrchr(to, '.');
    char path[8192 + 16];
    int k;
    if (!ext)
        return;
    if (!strcmp(ext, ".gpkg") || !strcmp(ext, ".sqlite"))
        for (k = 0; sqlite_logs[k]; k++) {
            snprintf(path, sizeof path, "%s%s", to, sqlite_logs[k]);
            unlink(path);
        }
    if (!strcmp(ext, ".shp"))
        for (k = 0; shp_indexes[k]; k++) {
            snprintf(path, sizeof path, "%.*s%s", (int)(ext - to), to, shp_indexes[k]);
            unlink(path);
        }
}

cp_code cp_gdal_out_commit(cp_gdal_out *o, cp_error *err)
{
    DIR *d = opendir(o->dir);
    struct dirent *e;
    char from[8192], to[8192];
    cp_code rc = CP_OK;
    if (!d)
        return cp_fail(err, CP_ERESOURCE, "%s: cannot read the temporary folder", o->dir);
    while (!rc && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(from, sizeof from, "%s/%s", o->dir, e->d_name);
        snprintf(to, sizeof to, "%s/%s", o->target_dir, e->d_name);
        remove_stale_companions(to);
        if (rename(from, to) != 0)
            rc = cp_fail(err, CP_ERESOURCE, "%s: cannot move into place (%s)", to,
                         strerror(errno));
    }
    closedir(d);
    cp_gdal_out_abandon(o);
    return rc;
}

void cp_gdal_out_abandon(cp_gdal_out *o)
{
    DIR *d = opendir(o->dir);
    struct dirent *e;
    char path[8192];
    if (!d)
        return;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        snprintf(path, sizeof path, "%s/%s", o->dir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(o->dir);
}
