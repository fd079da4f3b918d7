// The ids of every Creator node, for a projection.
MATCH (n:Creator)
RETURN n.id AS id
