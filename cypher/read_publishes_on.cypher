// Every PUBLISHES_ON relationship with its end ids and properties.
MATCH (s:Creator)-[e:PUBLISHES_ON]->(t:Topic)
RETURN s.id AS source_id, t.id AS target_id, e {.*} AS props
