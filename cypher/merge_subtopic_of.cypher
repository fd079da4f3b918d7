// Upsert a batch of SUBTOPIC_OF relationships; idempotent, so the driver may retry it.
// param rows list: maps with source_id, target_id and props
UNWIND $rows AS row
MATCH (s:Topic {id: row.source_id})
MATCH (t:Topic {id: row.target_id})
MERGE (s)-[e:SUBTOPIC_OF]->(t)
SET e += row.props
