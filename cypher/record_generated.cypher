// Record that the data came from `graphkit generate` (the generator's record as JSON text) on
// the one bookkeeping node, so a report says so.  The node exists: bind_key made it.
// param record string: the generator's record, JSON
MERGE (m:GraphkitMeta {name: 'graphkit'})
SET m.generated = $record
RETURN m.generated AS generated
