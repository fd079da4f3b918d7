// Run GDS's louvain on a projection, its result mutated into the node property the
// configuration names (streamed or written afterwards).
// param graph string: the catalogue name
// param config map: the algorithm's configuration (mutateProperty, weights, concurrency ...)
CALL gds.louvain.mutate($graph, $config) YIELD modularity, modularities, ranLevels
RETURN modularity, modularities, ranLevels
