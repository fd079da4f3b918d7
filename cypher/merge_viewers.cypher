// Upsert a batch of Viewer nodes; idempotent, so the driver may retry it.
// param rows list: maps with id and props (the model's properties of Viewer)
UNWIND $rows AS row
MERGE (n:Viewer {id: row.id})
SET n += row.props
