// Run GDS's scc on a projection, its result mutated into the node property the
// configuration names (streamed or written afterwards).
// param graph string: the catalogue name
// param config map: the algorithm's configuration (mutateProperty, weights, concurrency ...)
CALL gds.scc.mutate($graph, $config) YIELD componentCount
RETURN componentCount
