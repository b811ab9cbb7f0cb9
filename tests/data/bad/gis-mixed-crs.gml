<?xml version="1.0" encoding="utf-8" ?>
<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml/3.2">
  <ogr:featureMember>
    <ogr:schools gml:id="schools.0">
      <ogr:geometryProperty><gml:Point srsName="urn:ogc:def:crs:EPSG::4326"><gml:pos>-1.29 36.82</gml:pos></gml:Point></ogr:geometryProperty>
      <ogr:code>A1</ogr:code>
    </ogr:schools>
  </ogr:featureMember>
  <ogr:featureMember>
    <ogr:schools gml:id="schools.1">
      <ogr:geometryProperty><gml:Point srsName="urn:ogc:def:crs:EPSG::32737"><gml:pos>500000 9800000</gml:pos></gml:Point></ogr:geometryProperty>
      <ogr:code>A2</ogr:code>
    </ogr:schools>
  </ogr:featureMember>
</ogr:FeatureCollection>
