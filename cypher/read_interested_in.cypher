// Every INTERESTED_IN relationship with its end ids and properties.
MATCH (s:Viewer)-[e:INTERESTED_IN]->(t:Topic)
RETURN s.id AS source_id, t.id AS target_id, e {.*} AS props
