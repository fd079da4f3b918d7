// Upsert a batch of Institution nodes; idempotent, so the driver may retry it.  The batch
// holds one list per column (fewer, larger values pack and send faster than rows);
// a null removes the property, as a missing value does in the embedded store.
// param batch map: id and each property of Institution, as equal-length lists
UNWIND range(0, size($batch.id) - 1) AS i
MERGE (n:Institution {id: $batch.id[i]})
SET n.name = $batch.name[i],
    n.category = $batch.category[i],
    n.followers = $batch.followers[i],
    n.region = $batch.region[i]
