<?xml version="1.0" encoding="utf-8" ?>
<ogr:FeatureCollection
     xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
     xmlns:ogr="http://ogr.maptools.org/"
     xmlns:gml="http://www.opengis.net/gml">
  <gml:boundedBy><gml:Box><gml:coord><gml:X>36.8</gml:X><gml:Y>-4.1</gml:Y></gml:coord></gml:Box></gml:boundedBy>
  <gml:featureMember>
    <ogr:schools fid="schools.0">
      <ogr:geometryProperty><gml:Point srsName="EPSG:4326"><gml:coordinates>36.8219,-1.2921</gml:coordinates></gml:Point></ogr:geometryProperty>
      <ogr:id>N1</ogr:id>
      <ogr:teachers>12</ogr:teachers>
    </ogr:schools>
  </gml:featureMember>
  <gml:featureMember>
    <ogr:schools fid="schools.1">
      <ogr:geometryProperty><gml:Point srsName="EPSG:4326"><gml:coordinates>39.6682,-4.0435</gml:coordinates></gml:Point></ogr:geometryProperty>
      <ogr:id>M1</ogr:id>
      <ogr:teachers>7</ogr:teachers>
    </ogr:schools>
  </gml:featureMember>
</ogr:FeatureCollection>
