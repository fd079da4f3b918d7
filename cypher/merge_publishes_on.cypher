// Upsert a batch of PUBLISHES_ON relationships; idempotent, so the driver may retry it.
// param rows list: maps with source_id, target_id and props
UNWIND $rows AS row
MATCH (s:Creator {id: row.source_id})
MATCH (t:Topic {id: row.target_id})
MERGE (s)-[e:PUBLISHES_ON]->(t)
SET e += row.props
