// Upsert a batch of Institution nodes; idempotent, so the driver may retry it.
// param rows list: maps with id and props (the model's properties of Institution)
UNWIND $rows AS row
MERGE (n:Institution {id: row.id})
SET n += row.props
