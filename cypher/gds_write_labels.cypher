// Write a group property (component or community) with graphkit's canonical labels (0 = the
// largest group): each node's GDS label in the projection (read back as a float), mapped in
// the server.
// param graph string: the catalogue name
// param labels list: the analysis graph's node labels
// param property string: the mutated property holding GDS's labels
// param name string: the model property written (component or community)
// param mapping map: GDS's label (as text) -> graphkit's
MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels)
CALL (n) {
  SET n[$name] = $mapping[toString(toInteger(gds.util.nodeProperty($graph, n, $property)))]
} IN TRANSACTIONS OF 10000 ROWS
RETURN count(n) AS written
