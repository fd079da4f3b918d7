// Every FOLLOWS relationship with its end ids and properties.
MATCH (s:Viewer)-[e:FOLLOWS]->(t:Creator)
RETURN s.id AS source_id, t.id AS target_id, e {.*} AS props
