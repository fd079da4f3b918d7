// Upsert a batch of COLLABORATES_WITH relationships; idempotent, so the driver may retry it.
// param rows list: maps with source_id, target_id and props
UNWIND $rows AS row
MATCH (s:Creator {id: row.source_id})
MATCH (t:Creator {id: row.target_id})
MERGE (s)-[e:COLLABORATES_WITH]->(t)
SET e += row.props
