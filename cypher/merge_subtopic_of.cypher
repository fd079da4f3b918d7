// Upsert a batch of SUBTOPIC_OF relationships; idempotent, so the driver may retry it.
// The batch holds one list per column; a null removes the property.
// param batch map: source_id, target_id and each property of SUBTOPIC_OF, as equal-length lists
UNWIND range(0, size($batch.source_id) - 1) AS i
MATCH (s:Topic {id: $batch.source_id[i]})
MATCH (t:Topic {id: $batch.target_id[i]})
MERGE (s)-[e:SUBTOPIC_OF]->(t)
