// SUBTOPIC_OF edges for a projection; the weight is the named property, else the default.
// param weight_property string: property holding the weight (may be absent on the relationship)
// param default_weight float: weight where the property is absent
MATCH (s:Topic)-[e:SUBTOPIC_OF]->(t:Topic)
RETURN s.id AS source_id, t.id AS target_id, coalesce(toFloat(e[$weight_property]), $default_weight) AS weight
