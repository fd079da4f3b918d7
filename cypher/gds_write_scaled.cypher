// Write a score whose GDS values graphkit scales (betweenness, normalised or sampled): each
// node's value in the projection times the scale, in the server.
// param graph string: the catalogue name
// param labels list: the analysis graph's node labels
// param property string: the mutated property holding GDS's values
// param name string: the model property written (betweenness)
// param scale float: the factor
MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels)
CALL (n) {
  SET n[$name] = gds.util.nodeProperty($graph, n, $property) * $scale
} IN TRANSACTIONS OF 10000 ROWS
RETURN count(n) AS written
