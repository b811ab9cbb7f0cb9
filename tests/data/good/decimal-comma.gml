<?xml version="1.0" encoding="utf-8" ?>
<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">
  <gml:featureMember>
    <ogr:schools fid="schools.0">
      <ogr:geometryProperty><gml:Point srsName="EPSG:4326"><gml:coordinates decimal="," cs=" " ts=";">39,63 -3,77</gml:coordinates></gml:Point></ogr:geometryProperty>
      <ogr:code>A1</ogr:code>
    </ogr:schools>
  </gml:featureMember>
  <gml:featureMember>
    <ogr:schools fid="schools.1">
      <ogr:geometryProperty><gml:Point srsName="EPSG:4326"><gml:coordinates decimal="," cs=" " ts=";">39,65 -3,75</gml:coordinates></gml:Point></ogr:geometryProperty>
      <ogr:code>A2</ogr:code>
    </ogr:schools>
  </gml:featureMember>
</ogr:FeatureCollection>
