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
#include "layout_view.h"

#include <math.h>
#include <string.h>

static void number(FILE *f, double v)
{
    char buf[40];
    if (isnan(v) || isinf(v)) {
        fputs("null", f);
        return;
    }
    cp_format_double(buf, sizeof buf, v);
    fputs(buf, f);
}

static double cluster_size(const layout_view *v, int i)
{
    int k = v->lay->cluster_of[i];
    return k >= 0 ? v->ev->cluster_size[k] : NAN;
}

static double cluster_teachers(const layout_view *v, int i)
{
    int k = v->lay->cluster_of[i];
    return k >= 0 ? v->ev->cluster_teachers[k] : NAN;
}

static const char *centre_id(const layout_view *v, int i)
{
    return v->centre_of[i] >= 0 ? v->inst->schools[v->centre_of[i]].id : "";
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

static void json_point(FILE *f, const layout_view *v, int i)
{
    const cp_school *s = &v->inst->schools[i];
    if (!view_located(v, i)) {
        fputs("null", f);
        return;
    }
    fputs("{\"type\":\"Point\",\"coordinates\":[", f);
    number(f, s->x);
    fputc(',', f);
    number(f, s->y);
    fputs("]}", f);
}

static void json_school(FILE *f, const layout_view *v, int i)
{
    const cp_school *s = &v->inst->schools[i];
    fputs("{\"type\":\"Feature\",\"geometry\":", f);
    json_point(f, v, i);
    fputs(",\"properties\":{\"kind\":\"school\",\"school_id\":", f);
    json_string(f, s->id);
    fputs(",\"name\":", f);
    json_string(f, s->name);
    fprintf(f, ",\"role\":\"%s\",\"cluster\":", view_role_name(v->role[i]));
    json_string(f, view_cluster_label(v, i));
    fputs(",\"centre_id\":", f);
    json_string(f, centre_id(v, i));
    fputs(",\"distance\":", f);
    number(f, v->ev->distance[i]);
    fputs(",\"teachers\":", f);
    number(f, s->teachers);
    fputs(",\"cluster_size\":", f);
    number(f, cluster_size(v, i));
    fputs(",\"cluster_teachers\":", f);
    number(f, cluster_teachers(v, i));
    fputs(",\"reason\":", f);
    json_string(f, view_reason(v, i));
    fputs("}}", f);
}

static void json_line(FILE *f, const layout_view *v, int i)
{
    const cp_school *s = &v->inst->schools[i], *c = &v->inst->schools[v->centre_of[i]];
    fputs("{\"type\":\"Feature\",\"geometry\":{\"type\":\"LineString\",\"coordinates\":[[", f);
    number(f, s->x);
    fputc(',', f);
    number(f, s->y);
    fputs("],[", f);
    number(f, c->x);
    fputc(',', f);
    number(f, c->y);
    fputs("]]},\"properties\":{\"kind\":\"link\",\"school_id\":", f);
    json_string(f, s->id);
    fputs(",\"name\":", f);
    json_string(f, s->name);
    fputs(",\"role\":\"link\",\"cluster\":", f);
    json_string(f, view_cluster_label(v, i));
    fputs(",\"centre_id\":", f);
    json_string(f, c->id);
    fputs(",\"distance\":", f);
    number(f, v->ev->distance[i]);
    fputs(",\"teachers\":", f);
    number(f, s->teachers);
    fputs(",\"cluster_size\":", f);
    number(f, cluster_size(v, i));
    fputs(",\"cluster_teachers\":", f);
    number(f, cluster_teachers(v, i));
    fputs(",\"reason\":\"\"}}", f);
}

void gis_geojson(FILE *f, const layout_view *v)
{
    int i, first = 1;
    fputs("{\"type\":\"FeatureCollection\",\"name\":", f);
    json_string(f, v->inst->name);
    fputs(",\"features\":[\n", f);
    for (i = 0; i < v->inst->n_schools; i++) {
        fputs(first ? "" : ",\n", f);
        first = 0;
        json_school(f, v, i);
    }
    for (i = 0; i < v->inst->n_schools; i++)
        if (view_has_line(v, i)) {
            fputs(first ? "" : ",\n", f);
            first = 0;
            json_line(f, v, i);
        }
    fputs("\n]}\n", f);
}

/* -------------------------------------------------------------------- KML */

static const char *const kml_fields[] = {"school_id", "school_name", "role", "cluster", "centre_id",
                                         "distance", "teachers", "cluster_size",
                                         "cluster_teachers", "reason", NULL};

static void kml_data(FILE *f, const char *name, const char *text)
{
    fprintf(f, "<SimpleData name=\"%s\">", name);
    cp_out_escaped(f, text ? text : "");
    fputs("</SimpleData>", f);
}

static void kml_number(FILE *f, const char *name, double v)
{
    char buf[40] = "";
    if (!isnan(v) && !isinf(v))
        cp_format_double(buf, sizeof buf, v);
    kml_data(f, name, buf);
}

static void kml_attributes(FILE *f, const layout_view *v, int i, const char *role)
{
    const cp_school *s = &v->inst->schools[i];
    fputs("<ExtendedData><SchemaData schemaUrl=\"#school\">", f);
    kml_data(f, "school_id", s->id);
    kml_data(f, "school_name", s->name);
    kml_data(f, "role", role);
    kml_data(f, "cluster", view_cluster_label(v, i));
    kml_data(f, "centre_id", centre_id(v, i));
    kml_number(f, "distance", v->ev->distance[i]);
    kml_number(f, "teachers", s->teachers);
    kml_number(f, "cluster_size", cluster_size(v, i));
    kml_number(f, "cluster_teachers", cluster_teachers(v, i));
    kml_data(f, "reason", view_reason(v, i));
    fputs("</SchemaData></ExtendedData>", f);
}

static void kml_coordinate(FILE *f, const cp_school *s)
{
    number(f, s->x);
    fputc(',', f);
    number(f, s->y);
}

static void kml_folder(FILE *f, const layout_view *v, const char *name, int role)
{
    int i;
    fprintf(f, "<Folder><name>%s</name>\n", name);
    for (i = 0; i < v->inst->n_schools; i++) {
        int line = role < 0;
        if (line ? !view_has_line(v, i) : (int)v->role[i] != role)
            continue;
        fputs("<Placemark><name>", f);
        cp_out_escaped(f, v->inst->schools[i].name[0] ? v->inst->schools[i].name
                                                      : v->inst->schools[i].id);
        fprintf(f, "</name><styleUrl>#%s</styleUrl>", line ? "link" : view_role_name(v->role[i]));
        kml_attributes(f, v, i, line ? "link" : view_role_name(v->role[i]));
        if (line) {
            fputs("<LineString><coordinates>", f);
            kml_coordinate(f, &v->inst->schools[i]);
            fputc(' ', f);
            kml_coordinate(f, &v->inst->schools[v->centre_of[i]]);
            fputs("</coordinates></LineString>", f);
        } else if (view_located(v, i)) {
            fputs("<Point><coordinates>", f);
            kml_coordinate(f, &v->inst->schools[i]);
            fputs("</coordinates></Point>", f);
        }
        fputs("</Placemark>\n", f);
    }
    fputs("</Folder>\n", f);
}

void gis_kml(FILE *f, const layout_view *v)
{
    int k;
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
          "<kml xmlns=\"http://www.opengis.net/kml/2.2\"><Document><name>", f);
    cp_out_escaped(f, v->inst->name);
    fputs("</name>\n<Schema name=\"school\" id=\"school\">", f);
    for (k = 0; kml_fields[k]; k++)
        fprintf(f, "<SimpleField name=\"%s\" type=\"%s\"/>", kml_fields[k],
                k >= 5 && k <= 8 ? "double" : "string");
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

static void gml_element(FILE *f, const char *name, const char *text)
{
    fprintf(f, "      <ogr:%s>", name);
    cp_out_escaped(f, text ? text : "");
    fprintf(f, "</ogr:%s>\n", name);
}

static void gml_number(FILE *f, const char *name, double v)
{
    if (isnan(v) || isinf(v))
        return; /* absent: OGR reads a missing element as null */
    fprintf(f, "      <ogr:%s>", name);
    number(f, v);
    fprintf(f, "</ogr:%s>\n", name);
}

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

static void gml_feature(FILE *f, const layout_view *v, int i, int layer, long fid)
{
    const cp_school *s = &v->inst->schools[i];
    fprintf(f, "  <ogr:featureMember>\n    <ogr:%s gml:id=\"%s.%ld\">\n", gml_layers[layer],
            gml_layers[layer], fid);
    gml_geometry(f, v, i, layer, fid);
    gml_element(f, "school_id", s->id);
    gml_element(f, "name", s->name);
    gml_element(f, "cluster", view_cluster_label(v, i));
    gml_element(f, "centre_id", centre_id(v, i));
    gml_number(f, "distance", v->ev->distance[i]);
    gml_number(f, "teachers", s->teachers);
    gml_number(f, "cluster_size", cluster_size(v, i));
    gml_number(f, "cluster_teachers", cluster_teachers(v, i));
    if (layer == VIEW_UNASSIGNED)
        gml_element(f, "reason", view_reason(v, i));
    fprintf(f, "    </ogr:%s>\n  </ogr:featureMember>\n", gml_layers[layer]);
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
        for (i = 0; i < v->inst->n_schools; i++)
            if (layer == 3 ? view_has_line(v, i) : (int)v->role[i] == layer)
                gml_feature(f, v, i, layer, fid++);
    }
    fputs("</ogr:FeatureCollection>\n", f);
}

static void xsd_layer(FILE *f, const char *layer, const char *geometry, int reason)
{
    static const char *const text[] = {"school_id", "name", "cluster", "centre_id", NULL};
    static const char *const numbers[] = {"distance", "teachers", "cluster_size",
                                          "cluster_teachers", NULL};
    int k;
    fprintf(f, "<xs:element name=\"%s\" type=\"ogr:%s_Type\" substitutionGroup=\"gml:AbstractFeature\"/>\n"
               "<xs:complexType name=\"%s_Type\"><xs:complexContent>"
               "<xs:extension base=\"gml:AbstractFeatureType\"><xs:sequence>\n"
               "<xs:element name=\"geometryProperty\" type=\"gml:%sPropertyType\" nillable=\"true\" "
               "minOccurs=\"0\" maxOccurs=\"1\"/>\n", layer, layer, layer, geometry);
    for (k = 0; text[k]; k++)
        fprintf(f, "<xs:element name=\"%s\" nillable=\"true\" minOccurs=\"0\" maxOccurs=\"1\" "
                   "type=\"xs:string\"/>\n", text[k]);
    for (k = 0; numbers[k]; k++)
        fprintf(f, "<xs:element name=\"%s\" nillable=\"true\" minOccurs=\"0\" maxOccurs=\"1\" "
                   "type=\"xs:double\"/>\n", numbers[k]);
    if (reason)
        fputs("<xs:element name=\"reason\" nillable=\"true\" minOccurs=\"0\" maxOccurs=\"1\" "
              "type=\"xs:string\"/>\n", f);
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

static void csv_text(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void csv_number(FILE *f, double v)
{
    if (!isnan(v) && !isinf(v))
        number(f, v);
}

void gis_csv(FILE *f, const layout_view *v)
{
    int i;
    fprintf(f, "school_id,name,%s,%s,role,cluster,centre_id,distance,teachers,cluster_size,"
               "cluster_teachers,reason\n", v->geographic ? "lon" : "x", v->geographic ? "lat" : "y");
    for (i = 0; i < v->inst->n_schools; i++) {
        const cp_school *s = &v->inst->schools[i];
        csv_text(f, s->id);
        fputc(',', f);
        csv_text(f, s->name);
        fputc(',', f);
        csv_number(f, s->x);
        fputc(',', f);
        csv_number(f, s->y);
        fprintf(f, ",%s,", view_role_name(v->role[i]));
        csv_text(f, view_cluster_label(v, i));
        fputc(',', f);
        csv_text(f, centre_id(v, i));
        fputc(',', f);
        csv_number(f, v->ev->distance[i]);
        fputc(',', f);
        csv_number(f, s->teachers);
        fputc(',', f);
        csv_number(f, cluster_size(v, i));
        fputc(',', f);
        csv_number(f, cluster_teachers(v, i));
        fputc(',', f);
        csv_text(f, view_reason(v, i));
        fputc('\n', f);
    }
}
