/*
 * write_gis.c — a layout as GIS layers that open in QGIS and GDAL:
 *   .geojson  one FeatureCollection: a point per school (role centre,
 *             member or unassigned) and a line per member to its centre;
 *   .kml      folders "centres", "members", "unassigned", "links" (each a
 *             layer for GDAL), attributes in ExtendedData with a Schema;
 *   .gml      OGR-style GML 3.2 with the four layers and its .xsd beside it
 *             (layout_view.c writes the schema first);
 *   .csv      one row per school with coordinates (GDAL: X/Y columns).
 * Attributes: school id and name, role, cluster, centre id, distance to the
 * centre, teachers, cluster size and teachers, unassigned reason.
 * Coordinates: lon/lat (WGS 84) for haversine instances, the instance's
 * x/y otherwise; schools without coordinates have no geometry.
 */
#include "writers.h"

#include <math.h>
#include <string.h>

static void number(FILE *f, double v)
{
    cp_out_number(f, v, "null");
}

/* ---------------------------------------------------------------- GeoJSON */

/* JSON string: quotes, backslash and control characters escaped; UTF-8
 * passes through. */
static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static void json_position(FILE *f, const cp_school *s)
{
    fputc('[', f);
    number(f, s->x);
    fputc(',', f);
    number(f, s->y);
    fputc(']', f);
}

static void json_geometry(FILE *f, const layout_view *v, int i, int link)
{
    if (link) {
        fputs("{\"type\":\"LineString\",\"coordinates\":[", f);
        json_position(f, &v->inst->schools[i]);
        fputc(',', f);
        json_position(f, &v->inst->schools[v->centre_of[i]]);
        fputs("]}", f);
    } else if (view_located(v, i)) {
        fputs("{\"type\":\"Point\",\"coordinates\":", f);
        json_position(f, &v->inst->schools[i]);
        fputc('}', f);
    } else {
        fputs("null", f);
    }
}

static void json_feature(FILE *f, const layout_view *v, int i, int link)
{
    int k;
    fputs("{\"type\":\"Feature\",\"geometry\":", f);
    json_geometry(f, v, i, link);
    fprintf(f, ",\"properties\":{\"kind\":\"%s\"", link ? "link" : "school");
    for (k = 0; k < VIEW_FIELDS; k++) {
        fprintf(f, ",\"%s\":", view_fields[k].name);
        if (view_fields[k].numeric)
            number(f, view_number(v, i, k));
        else
            json_string(f, view_text(v, i, k, link));
    }
    fputs("}}", f);
}

void gis_geojson(FILE *f, const layout_view *v)
{
    int i, link, first = 1;
    fputs("{\"type\":\"FeatureCollection\",\"name\":", f);
    json_string(f, v->inst->name);
    fputs(",\"features\":[\n", f);
    for (link = 0; link <= 1; link++) /* schools, then the lines */
        for (i = 0; i < v->inst->n_schools; i++)
            if (!link || view_has_line(v, i)) {
                fputs(first ? "" : ",\n", f);
                first = 0;
                json_feature(f, v, i, link);
            }
    fputs("\n]}\n", f);
}

/* -------------------------------------------------------------------- KML */

/* KML's own <name> is the placemark's label, so the school's name goes in
 * a field of another name. */
static const char *kml_field_name(int k)
{
    return k == 1 ? "school_name" : view_fields[k].name;
}

static void kml_attributes(FILE *f, const layout_view *v, int i, int link)
{
    int k;
    fputs("<ExtendedData><SchemaData schemaUrl=\"#school\">", f);
    for (k = 0; k < VIEW_FIELDS; k++) {
        fprintf(f, "<SimpleData name=\"%s\">", kml_field_name(k));
        if (view_fields[k].numeric)
            cp_out_number(f, view_number(v, i, k), "");
        else
            cp_out_escaped(f, view_text(v, i, k, link));
        fputs("</SimpleData>", f);
    }
    fputs("</SchemaData></ExtendedData>", f);
}

static void kml_coordinate(FILE *f, const cp_school *s)
{
    number(f, s->x);
    fputc(',', f);
    number(f, s->y);
}

static void kml_placemark(FILE *f, const layout_view *v, int i, int link)
{
    const cp_school *s = &v->inst->schools[i];
    fputs("<Placemark><name>", f);
    cp_out_escaped(f, s->name[0] ? s->name : s->id);
    fprintf(f, "</name><styleUrl>#%s</styleUrl>", link ? "link" : view_role_name(v->role[i]));
    kml_attributes(f, v, i, link);
    if (link) {
        fputs("<LineString><coordinates>", f);
        kml_coordinate(f, s);
        fputc(' ', f);
        kml_coordinate(f, &v->inst->schools[v->centre_of[i]]);
        fputs("</coordinates></LineString>", f);
    } else if (view_located(v, i)) {
        fputs("<Point><coordinates>", f);
        kml_coordinate(f, s);
        fputs("</coordinates></Point>", f);
    }
    fputs("</Placemark>\n", f);
}

/* role < 0: the member-centre lines. */
static void kml_folder(FILE *f, const layout_view *v, const char *name, int role)
{
    int i;
    fprintf(f, "<Folder><name>%s</name>\n", name);
    for (i = 0; i < v->inst->n_schools; i++)
        if (role < 0 ? view_has_line(v, i) : (int)v->role[i] == role)
            kml_placemark(f, v, i, role < 0);
    fputs("</Folder>\n", f);
}

void gis_kml(FILE *f, const layout_view *v)
{
    int k;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>", f);
    cp_out_escaped(f, v->inst->name);
    fputs("</name>\n<Schema name=\"school\" id=\"school\">", f);
    for (k = 0; k < VIEW_FIELDS; k++)
        fprintf(f, "<SimpleField name=\"%s\" type=\"%s\"/>", kml_field_name(k),
                view_fields[k].numeric ? "double" : "string");
    fputs("</Schema>\n"
          "<Style id=\"centre\"><IconStyle><color>ff0000ff</color><scale>1.2</scale></IconStyle></Style>\n"
          "<Style id=\"member\"><IconStyle><color>ffff7f00</color><scale>0.7</scale></IconStyle></Style>\n"
          "<Style id=\"unassigned\"><IconStyle><color>ff00a5ff</color></IconStyle></Style>\n"
          "<Style id=\"link\"><LineStyle><color>ff888888</color><width>1</width></LineStyle></Style>\n",
          f);
    kml_folder(f, v, "centres", VIEW_CENTRE);
    kml_folder(f, v, "members", VIEW_MEMBER);
    kml_folder(f, v, "unassigned", VIEW_UNASSIGNED);
    kml_folder(f, v, "links", -1);
    fputs("</Document></kml>\n", f);
}

/* -------------------------------------------------------------------- GML */

static const char *const gml_layers[] = {"centres", "members", "unassigned", "links"};

/* GML 3.2 with an EPSG URN keeps EPSG's axis order: lat, lon for 4326. */
static void gml_pos(FILE *f, const layout_view *v, const cp_school *s)
{
    number(f, v->geographic ? s->y : s->x);
    fputc(' ', f);
    number(f, v->geographic ? s->x : s->y);
}

static void gml_geometry(FILE *f, const layout_view *v, int i, int layer, long fid)
{
    const char *srs = v->geographic ? " srsName=\"urn:ogc:def:crs:EPSG::4326\"" : "";
    if (layer == 3) {
        fprintf(f, "      <ogr:geometryProperty><gml:LineString%s gml:id=\"links.geom.%ld\">"
                   "<gml:posList>", srs, fid);
        gml_pos(f, v, &v->inst->schools[i]);
        fputc(' ', f);
        gml_pos(f, v, &v->inst->schools[v->centre_of[i]]);
        fputs("</gml:posList></gml:LineString></ogr:geometryProperty>\n", f);
    } else if (view_located(v, i)) {
        fprintf(f, "      <ogr:geometryProperty><gml:Point%s gml:id=\"%s.geom.%ld\"><gml:pos>", srs,
                gml_layers[layer], fid);
        gml_pos(f, v, &v->inst->schools[i]);
        fputs("</gml:pos></gml:Point></ogr:geometryProperty>\n", f);
    }
}

/* Fields in the .xsd's order; an absent number is left out (OGR: null);
 * `role` is the layer itself, and only unassigned schools have a reason. */
static void gml_fields(FILE *f, const layout_view *v, int i, int layer)
{
    int k;
    for (k = 0; k < VIEW_FIELDS; k++) {
        double x = view_number(v, i, k);
        if (k == 2 || (k == 9 && layer != VIEW_UNASSIGNED) ||
            (view_fields[k].numeric && (isnan(x) || isinf(x))))
            continue;
        fprintf(f, "      <ogr:%s>", view_fields[k].name);
        if (view_fields[k].numeric)
            number(f, x);
        else
            cp_out_escaped(f, view_text(v, i, k, layer == 3));
        fprintf(f, "</ogr:%s>\n", view_fields[k].name);
    }
}

void gis_gml(FILE *f, const layout_view *v, const char *xsd_name)
{
    int layer, i;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<ogr:FeatureCollection gml:id=\"aFeatureCollection\"\n"
          "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n", f);
    fprintf(f, "    xsi:schemaLocation=\"http://ogr.maptools.org/ %s http://www.opengis.net/gml/3.2 "
               "http://schemas.opengis.net/gml/3.2.1/gml.xsd\"\n", xsd_name ? xsd_name : "");
    fputs("    xmlns:ogr=\"http://ogr.maptools.org/\" xmlns:gml=\"http://www.opengis.net/gml/3.2\">\n",
          f);
    for (layer = 0; layer < 4; layer++) {
        long fid = 0;
        for (i = 0; i < v->inst->n_schools; i++) {
            if (layer == 3 ? !view_has_line(v, i) : (int)v->role[i] != layer)
                continue;
            fprintf(f, "  <ogr:featureMember>\n    <ogr:%s gml:id=\"%s.%ld\">\n", gml_layers[layer],
                    gml_layers[layer], fid);
            gml_geometry(f, v, i, layer, fid++);
            gml_fields(f, v, i, layer);
            fprintf(f, "    </ogr:%s>\n  </ogr:featureMember>\n", gml_layers[layer]);
        }
    }
    fputs("</ogr:FeatureCollection>\n", f);
}

static void xsd_layer(FILE *f, const char *layer, const char *geometry, int reason)
{
    int k;
    fprintf(f, "<xs:element name=\"%s\" type=\"ogr:%s_Type\" substitutionGroup=\"gml:AbstractFeature\"/>\n"
               "<xs:complexType name=\"%s_Type\"><xs:complexContent>"
               "<xs:extension base=\"gml:AbstractFeatureType\"><xs:sequence>\n"
               "<xs:element name=\"geometryProperty\" type=\"gml:%sPropertyType\" nillable=\"true\" "
               "minOccurs=\"0\" maxOccurs=\"1\"/>\n", layer, layer, layer, geometry);
    for (k = 0; k < VIEW_FIELDS; k++)
        if (k != 2 && (k != 9 || reason))
            fprintf(f, "<xs:element name=\"%s\" nillable=\"true\" minOccurs=\"0\" maxOccurs=\"1\" "
                       "type=\"xs:%s\"/>\n", view_fields[k].name,
                    view_fields[k].numeric ? "double" : "string");
    fputs("</xs:sequence></xs:extension></xs:complexContent></xs:complexType>\n", f);
}

void gis_gml_xsd(FILE *f)
{
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<xs:schema targetNamespace=\"http://ogr.maptools.org/\" xmlns:ogr=\"http://ogr.maptools.org/\"\n"
          "    xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns:gml=\"http://www.opengis.net/gml/3.2\"\n"
          "    xmlns:gmlsf=\"http://www.opengis.net/gmlsf/2.0\" elementFormDefault=\"qualified\" version=\"1.0\">\n"
          "<xs:annotation><xs:appinfo source=\"http://schemas.opengis.net/gmlsfProfile/2.0/gmlsfLevels.xsd\">"
          "<gmlsf:ComplianceLevel>0</gmlsf:ComplianceLevel></xs:appinfo></xs:annotation>\n"
          "<xs:import namespace=\"http://www.opengis.net/gml/3.2\" "
          "schemaLocation=\"http://schemas.opengis.net/gml/3.2.1/gml.xsd\"/>\n"
          "<xs:import namespace=\"http://www.opengis.net/gmlsf/2.0\" "
          "schemaLocation=\"http://schemas.opengis.net/gmlsfProfile/2.0/gmlsfLevels.xsd\"/>\n"
          "<xs:element name=\"FeatureCollection\" type=\"ogr:FeatureCollectionType\" "
          "substitutionGroup=\"gml:AbstractGML\"/>\n"
          "<xs:complexType name=\"FeatureCollectionType\"><xs:complexContent>"
          "<xs:extension base=\"gml:AbstractFeatureType\"><xs:sequence minOccurs=\"0\" maxOccurs=\"unbounded\">"
          "<xs:element name=\"featureMember\"><xs:complexType><xs:complexContent>"
          "<xs:extension base=\"gml:AbstractFeatureMemberType\"><xs:sequence>"
          "<xs:element ref=\"gml:AbstractFeature\"/></xs:sequence></xs:extension>"
          "</xs:complexContent></xs:complexType></xs:element></xs:sequence>"
          "</xs:extension></xs:complexContent></xs:complexType>\n", f);
    xsd_layer(f, "centres", "Point", 0);
    xsd_layer(f, "members", "Point", 0);
    xsd_layer(f, "unassigned", "Point", 1);
    xsd_layer(f, "links", "LineString", 0);
    fputs("</xs:schema>\n", f);
}

/* -------------------------------------------------------------------- CSV */

void gis_csv(FILE *f, const layout_view *v)
{
    int i, k;
    fputs("school_id,name", f);
    fprintf(f, ",%s,%s", v->geographic ? "lon" : "x", v->geographic ? "lat" : "y");
    for (k = 2; k < VIEW_FIELDS; k++)
        fprintf(f, ",%s", view_fields[k].name);
    fputc('\n', f);
    for (i = 0; i < v->inst->n_schools; i++) {
        for (k = 0; k < VIEW_FIELDS; k++) {
            if (k == 2) { /* the coordinates after id and name */
                fputc(',', f);
                cp_out_number(f, v->inst->schools[i].x, "");
                fputc(',', f);
                cp_out_number(f, v->inst->schools[i].y, "");
            }
            if (k > 0)
                fputc(',', f);
            if (view_fields[k].numeric)
                cp_out_number(f, view_number(v, i, k), "");
            else if (k == 2)
                fputs(view_text(v, i, k, 0), f);
            else
                cp_out_csv_text(f, view_text(v, i, k, 0));
        }
        fputc('\n', f);
    }
}
