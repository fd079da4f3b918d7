// The generator's record (JSON text), when the data in this database came from `graphkit generate`.
MATCH (m:GraphkitMeta)
RETURN m.generated AS generated
