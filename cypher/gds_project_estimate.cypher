// GDS's memory estimate of projecting an analysis graph (as the native projection of the
// same nodes and relationships with one weight; the Cypher projection holds as much or less).
// param labels list: the analysis graph's node labels
// param types list: its relationship types
// param orientation string: NATURAL (directed) or UNDIRECTED
CALL gds.graph.project.estimate($labels, {edges: {type: $types, orientation: $orientation, properties: {weight: {defaultValue: 1.0}}}})
YIELD bytesMax, requiredMemory
RETURN bytesMax, requiredMemory
