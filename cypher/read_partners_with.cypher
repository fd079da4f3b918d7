// Every PARTNERS_WITH relationship with its end ids and properties.
MATCH (s:Institution)-[e:PARTNERS_WITH]->(t:Creator)
RETURN s.id AS source_id, t.id AS target_id, e {.*} AS props
