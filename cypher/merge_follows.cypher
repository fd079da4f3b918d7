// Upsert a batch of FOLLOWS relationships; idempotent, so the driver may retry it.
// param rows list: maps with source_id, target_id and props
UNWIND $rows AS row
MATCH (s:Viewer {id: row.source_id})
MATCH (t:Creator {id: row.target_id})
MERGE (s)-[e:FOLLOWS]->(t)
SET e += row.props
