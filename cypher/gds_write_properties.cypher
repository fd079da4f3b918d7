// Write mutated node properties of a projection back to the database under the model's
// names (GDS's write mode: batched in the server, no rows through the client).
// param graph string: the catalogue name
// param properties list: maps of mutated property -> model property (graphkit.model.ANALYSIS_PROPERTIES)
// param config map: the write configuration (concurrency)
CALL gds.graph.nodeProperties.write($graph, $properties, ['*'], $config) YIELD propertiesWritten
RETURN propertiesWritten
