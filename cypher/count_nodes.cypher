// Nodes per label, for every label that has nodes.
MATCH (n)
UNWIND labels(n) AS label
RETURN label AS kind, count(*) AS count
