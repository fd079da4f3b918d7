// The ids of every Institution node, for a projection.
MATCH (n:Institution)
RETURN n.id AS id
