// Add the undirected copy of a directed projection's relationships (reciprocal weights
// summed), for the measures that see the graph undirected.
// param graph string: the catalogue name
// param type string: the new relationship type
CALL gds.graph.relationships.toUndirected($graph, {relationshipType: '__ALL__', mutateRelationshipType: $type, aggregation: 'SUM'})
YIELD relationshipsWritten
RETURN relationshipsWritten
