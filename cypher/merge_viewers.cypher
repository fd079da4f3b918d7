// Upsert a batch of Viewer nodes; idempotent, so the driver may retry it.  The batch
// holds one list per column (fewer, larger values pack and send faster than rows);
// a null removes the property, as a missing value does in the embedded store.
// param batch map: id and each property of Viewer, as equal-length lists
UNWIND range(0, size($batch.id) - 1) AS i
MERGE (n:Viewer {id: $batch.id[i]})
SET n.age_band = $batch.age_band[i],
    n.region_type = $batch.region_type[i]
