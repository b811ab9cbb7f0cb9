<?xml version="1.0" encoding="utf-8" ?>
<ogr:FeatureCollection
     gml:id="aFeatureCollection"
     xmlns:ogr="http://ogr.maptools.org/"
     xmlns:gml="http://www.opengis.net/gml/3.2">
  <gml:boundedBy><gml:Envelope srsName="urn:ogc:def:crs:EPSG::4326"><gml:lowerCorner>-4.1 39.6</gml:lowerCorner><gml:upperCorner>-1.2 39.8</gml:upperCorner></gml:Envelope></gml:boundedBy>
  <ogr:featureMember>
    <ogr:schools gml:id="schools.0">
      <ogr:geometryProperty><gml:Point srsName="urn:ogc:def:crs:EPSG::4326" gml:id="schools.geom.0"><gml:pos>-1.2921 36.8219</gml:pos></gml:Point></ogr:geometryProperty>
      <ogr:code>N1</ogr:code>
      <ogr:name>Nairobi &amp; Co</ogr:name>
      <ogr:TSC_TEACHERS>12</ogr:TSC_TEACHERS>
      <ogr:county>Nairobi</ogr:county>
    </ogr:schools>
  </ogr:featureMember>
  <ogr:featureMember>
    <ogr:schools gml:id="schools.1">
      <ogr:geometryProperty><gml:Point srsName="urn:ogc:def:crs:EPSG::4326" gml:id="schools.geom.1"><gml:pos>-4.0435 39.6682</gml:pos></gml:Point></ogr:geometryProperty>
      <ogr:code>M1</ogr:code>
      <ogr:name>Mombasa</ogr:name>
      <ogr:TSC_TEACHERS></ogr:TSC_TEACHERS>
      <ogr:county>Mombasa</ogr:county>
    </ogr:schools>
  </ogr:featureMember>
</ogr:FeatureCollection>
