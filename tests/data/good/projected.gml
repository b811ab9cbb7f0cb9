<?xml version="1.0" encoding="utf-8" ?>
<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml/3.2">
  <ogr:featureMember>
    <ogr:schools gml:id="schools.0">
      <ogr:geometryProperty><gml:Point srsName="urn:ogc:def:crs:EPSG::32737" gml:id="g0"><gml:pos>500000 9800000</gml:pos></gml:Point></ogr:geometryProperty>
    </ogr:schools>
  </ogr:featureMember>
  <ogr:featureMember>
    <ogr:schools gml:id="schools.1">
      <ogr:geometryProperty><gml:Point srsName="urn:ogc:def:crs:EPSG::32737" gml:id="g1"><gml:pos>503000 9804000</gml:pos></gml:Point></ogr:geometryProperty>
    </ogr:schools>
  </ogr:featureMember>
</ogr:FeatureCollection>
