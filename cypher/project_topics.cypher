// The ids of every Topic node, for a projection.
MATCH (n:Topic)
RETURN n.id AS id
