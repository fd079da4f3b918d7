// Upsert a batch of COLLABORATES_WITH relationships; idempotent, so the driver may retry it.
// The batch holds one list per column; a null removes the property.
// param batch map: source_id, target_id and each property of COLLABORATES_WITH, as equal-length lists
UNWIND range(0, size($batch.source_id) - 1) AS i
MATCH (s:Creator {id: $batch.source_id[i]})
MATCH (t:Creator {id: $batch.target_id[i]})
MERGE (s)-[e:COLLABORATES_WITH]->(t)
SET e.videos = $batch.videos[i]
