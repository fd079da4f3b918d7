// One node property of a projection (an algorithm's mutated result), in one record: the
// nodes' Neo4j ids and the values.
// param graph string: the catalogue name
// param property string: the node property
CALL gds.graph.nodeProperty.stream($graph, $property) YIELD nodeId, propertyValue
RETURN collect(nodeId) AS nodes, collect(propertyValue) AS values
