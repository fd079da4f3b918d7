// Every ENGAGES_WITH relationship with its end ids and properties.
MATCH (s:Viewer)-[e:ENGAGES_WITH]->(t:Creator)
RETURN s.id AS source_id, t.id AS target_id, e {.*} AS props
