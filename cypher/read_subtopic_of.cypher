// Every SUBTOPIC_OF relationship with its end ids and properties.
MATCH (s:Topic)-[e:SUBTOPIC_OF]->(t:Topic)
RETURN s.id AS source_id, t.id AS target_id, e {.*} AS props
