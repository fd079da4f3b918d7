// The ids of every Viewer node, for a projection.
MATCH (n:Viewer)
RETURN n.id AS id
