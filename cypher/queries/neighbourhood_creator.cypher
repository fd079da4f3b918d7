// The neighbourhood of one Creator: each neighbour kind and relationship type with its count;
// non-viewer neighbours are listed by id (up to 20), viewers only counted.
// param id id:Creator: the Creator's id
MATCH (n:Creator {id: $id})-[r]-(m)
WITH type(r) AS relationship, labels(m)[0] AS kind, m
ORDER BY m.id
WITH relationship, kind, count(m) AS neighbours, collect(m.id) AS ids
RETURN relationship, kind, neighbours, CASE WHEN kind = 'Viewer' THEN [] ELSE ids[0..20] END AS examples
ORDER BY relationship, kind
