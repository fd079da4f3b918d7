// Upsert a batch of Creator nodes; idempotent, so the driver may retry it.
// param rows list: maps with id and props (the model's properties of Creator)
UNWIND $rows AS row
MERGE (n:Creator {id: row.id})
SET n += row.props
