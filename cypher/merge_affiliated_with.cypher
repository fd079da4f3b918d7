// Upsert a batch of AFFILIATED_WITH relationships; idempotent, so the driver may retry it.
// The batch holds one list per column; a null removes the property.
// param batch map: source_id, target_id and each property of AFFILIATED_WITH, as equal-length lists
UNWIND range(0, size($batch.source_id) - 1) AS i
MATCH (s:Creator {id: $batch.source_id[i]})
MATCH (t:Institution {id: $batch.target_id[i]})
MERGE (s)-[e:AFFILIATED_WITH]->(t)
SET e.role = $batch.role[i]
