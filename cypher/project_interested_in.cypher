// INTERESTED_IN edges for a projection, one row per start node (fewer, larger records stream
// faster); the weight is the named property where present, else the default.
// param weight_property string: property holding the weight
// param default_weight float: weight where the property is absent
MATCH (s:Viewer)
CALL (s) {
  MATCH (s)-[e:INTERESTED_IN]->(t:Topic)
  RETURN collect(t.id) AS targets, collect(coalesce(toFloat(e[$weight_property]), $default_weight)) AS weights
}
WITH s, targets, weights WHERE size(targets) > 0
RETURN s.id AS source_id, targets, weights
