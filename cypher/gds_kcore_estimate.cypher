// GDS's memory estimate of running kcore on a projection.
// param graph string: the catalogue name
// param config map: the algorithm's configuration
CALL gds.kcore.mutate.estimate($graph, $config) YIELD bytesMax, requiredMemory
RETURN bytesMax, requiredMemory
