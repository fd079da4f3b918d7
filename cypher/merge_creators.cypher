// Upsert a batch of Creator nodes; idempotent, so the driver may retry it.  The batch
// holds one list per column (fewer, larger values pack and send faster than rows);
// a null removes the property, as a missing value does in the embedded store.
// param batch map: id and each property of Creator, as equal-length lists
UNWIND range(0, size($batch.id) - 1) AS i
MERGE (n:Creator {id: $batch.id[i]})
SET n.name = $batch.name[i],
    n.followers = $batch.followers[i],
    n.joined = $batch.joined[i],
    n.region = $batch.region[i],
    n.income_streams = $batch.income_streams[i]
