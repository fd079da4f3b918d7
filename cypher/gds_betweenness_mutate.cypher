// Run GDS's betweenness on a projection, its result mutated into the node property the
// configuration names (streamed or written afterwards).
// param graph string: the catalogue name
// param config map: the algorithm's configuration (mutateProperty, weights, concurrency ...)
CALL gds.betweenness.mutate($graph, $config) YIELD nodePropertiesWritten
RETURN nodePropertiesWritten
