// Every AFFILIATED_WITH relationship with its end ids and properties.
MATCH (s:Creator)-[e:AFFILIATED_WITH]->(t:Institution)
RETURN s.id AS source_id, t.id AS target_id, e {.*} AS props
