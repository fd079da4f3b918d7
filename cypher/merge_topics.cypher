// Upsert a batch of Topic nodes; idempotent, so the driver may retry it.
// param rows list: maps with id and props (the model's properties of Topic)
UNWIND $rows AS row
MERGE (n:Topic {id: row.id})
SET n += row.props
