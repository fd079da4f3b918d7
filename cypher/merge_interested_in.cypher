// Upsert a batch of INTERESTED_IN relationships; idempotent, so the driver may retry it.
// The batch holds one list per column; a null removes the property.
// param batch map: source_id, target_id and each property of INTERESTED_IN, as equal-length lists
UNWIND range(0, size($batch.source_id) - 1) AS i
MATCH (s:Viewer {id: $batch.source_id[i]})
MATCH (t:Topic {id: $batch.target_id[i]})
MERGE (s)-[e:INTERESTED_IN]->(t)
