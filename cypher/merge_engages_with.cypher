// Upsert a batch of ENGAGES_WITH relationships; idempotent, so the driver may retry it.
// The batch holds one list per column; a null removes the property.
// param batch map: source_id, target_id and each property of ENGAGES_WITH, as equal-length lists
UNWIND range(0, size($batch.source_id) - 1) AS i
MATCH (s:Viewer {id: $batch.source_id[i]})
MATCH (t:Creator {id: $batch.target_id[i]})
MERGE (s)-[e:ENGAGES_WITH]->(t)
SET e.views = $batch.views[i],
    e.likes = $batch.likes[i],
    e.shares = $batch.shares[i],
    e.comments = $batch.comments[i],
    e.watch_seconds = $batch.watch_seconds[i]
