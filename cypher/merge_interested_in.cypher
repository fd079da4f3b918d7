// Upsert a batch of INTERESTED_IN relationships; idempotent, so the driver may retry it.
// param rows list: maps with source_id, target_id and props
UNWIND $rows AS row
MATCH (s:Viewer {id: row.source_id})
MATCH (t:Topic {id: row.target_id})
MERGE (s)-[e:INTERESTED_IN]->(t)
SET e += row.props
