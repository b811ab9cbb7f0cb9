/*
 * write_roads.c — a road network's lines as a GIS line layer through GDAL
 * (`generate --roads OUT`): GeoPackage, GeoJSON, Shapefile or FlatGeobuf by
 * extension, WGS 84, one LineString per line with OSM's `highway` and
 * `oneway` columns, so the file reads back through --roads like an OSM
 * export.  Written whole or not at all (a temporary folder, gdal_ogr.c).
 */
#include "io/gis/gdal_ogr.h"
#include "solver/model/roads.h"

#include <stdio.h>
#include <string.h>

#include <cpl_error.h>
#include <ogr_api.h>

static const char *driver_for(const char *path)
{
    const char *ext = strrchr(path, '.');
    if (!ext)
        return NULL;
    if (!strcmp(ext, ".gpkg"))
        return "GPKG";
    if (!strcmp(ext, ".geojson") || !strcmp(ext, ".json"))
        return "GeoJSON";
    if (!strcmp(ext, ".shp"))
        return "ESRI Shapefile";
    if (!strcmp(ext, ".fgb"))
        return "FlatGeobuf";
    return NULL;
}

static cp_code fill_layer(OGRLayerH layer, const cp_road_lines *l, cp_error *err)
{
    OGRFieldDefnH d;
    long k, p;
    const char *names[2] = {"highway", "oneway"};
    int f;
    for (f = 0; f < 2; f++) {
        d = OGR_Fld_Create(names[f], OFTString);
        if (OGR_L_CreateField(layer, d, TRUE) != OGRERR_NONE) {
            OGR_Fld_Destroy(d);
            return cp_fail(err, CP_ERESOURCE, "cannot create the field %s: %s", names[f],
                           cp_gdal_last_error());
        }
        OGR_Fld_Destroy(d);
    }
    for (k = 0; k < l->n_lines; k++) {
        OGRFeatureH feat = OGR_F_Create(OGR_L_GetLayerDefn(layer));
        OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
        OGRErr e;
        for (p = l->start[k]; p < l->start[k + 1]; p++)
            OGR_G_AddPoint_2D(g, l->x[p], l->y[p]);
        if (l->cls[k] >= 0)
            OGR_F_SetFieldString(feat, 0, l->classes[l->cls[k]]);
        if (l->oneway[k])
            OGR_F_SetFieldString(feat, 1, l->oneway[k] > 0 ? "yes" : "-1");
        OGR_F_SetGeometryDirectly(feat, g);
        e = OGR_L_CreateFeature(layer, feat);
        OGR_F_Destroy(feat);
        if (e != OGRERR_NONE)
            return cp_fail(err, CP_ERESOURCE, "cannot write a road: %s", cp_gdal_last_error());
    }
    return CP_OK;
}

static cp_code write_lines(const char *path, const cp_road_lines *l, cp_error *err)
{
    const char *driver = driver_for(path);
    cp_gdal_out tmp;
    char inner[8192], name[1024];
    GDALDriverH drv;
    GDALDatasetH ds;
    OGRSpatialReferenceH wgs;
    OGRLayerH layer;
    cp_code rc;
    if (!driver)
        return cp_fail(err, CP_EINPUT, "%s: roads are written as .gpkg, .geojson, .shp or .fgb",
                       path);
    if ((rc = cp_gdal_out_open(&tmp, path, err)))
        return rc;
    snprintf(inner, sizeof inner, "%s/%s", tmp.dir, tmp.base);
    snprintf(name, sizeof name, "%.*s", (int)strcspn(tmp.base, "."), tmp.base);
    drv = GDALGetDriverByName(driver);
    ds = drv ? GDALCreate(drv, inner, 0, 0, 0, GDT_Unknown, NULL) : NULL;
    wgs = cp_gdal_wgs84();
    layer = ds ? GDALDatasetCreateLayer(ds, name, wgs, wkbLineString, NULL) : NULL;
    rc = layer ? CP_OK : cp_fail(err, CP_ERESOURCE, "%s: GDAL's %s driver cannot create it: %s",
                                 path, driver, cp_gdal_last_error());
    if (!rc && !strcmp(driver, "GPKG"))
        GDALDatasetStartTransaction(ds, FALSE);
    if (!rc)
        rc = fill_layer(layer, l, err);
    if (!rc && !strcmp(driver, "GPKG") && GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
        rc = cp_fail(err, CP_ERESOURCE, "%s: cannot commit: %s", path, cp_gdal_last_error());
    CPLErrorReset();
    if (ds)
        GDALClose(ds);
    if (!rc && CPLGetLastErrorType() >= CE_Failure)
        rc = cp_fail(err, CP_ERESOURCE, "%s: GDAL could not finish the file: %s", path,
                     cp_gdal_last_error());
    OSRDestroySpatialReference(wgs);
    return rc ? (cp_gdal_out_abandon(&tmp), rc) : cp_gdal_out_commit(&tmp, err);
}

cp_code cp_generate_roads(const char *path, const cp_instance *inst, uint64_t seed,
                          long *lines, long *edges, cp_error *err)
{
    cp_road_lines l;
    cp_code rc;
    long k;
    memset(&l, 0, sizeof l);
    rc = cp_generate_road_lines(inst, seed, &l, err);
    if (!rc) {
        cp_gdal_begin();
        rc = write_lines(path, &l, err);
        cp_gdal_end();
    }
    *lines = l.n_lines;
    for (*edges = 0, k = 0; k < l.n_lines; k++)
        *edges += l.start[k + 1] - l.start[k] - 1;
    cp_road_lines_clear(&l);
    return rc;
}
