/*
 * read_gis.h — KML 2.2 and OGR GML (3.2 and 2) point layers, as QGIS and
 * ogr2ogr write them, read into an instance.  Called by read_instance.c with
 * the reader positioned on the root element.
 */
#ifndef CP_IO_READ_GIS_H
#define CP_IO_READ_GIS_H

#include "fields.h"
#include "xml.h"

cp_instance *cp_read_kml(cp_xml *x, const cp_scenario *fields, cp_warnings *warn);
cp_instance *cp_read_gml(cp_xml *x, const cp_scenario *fields, cp_warnings *warn);

#endif
