// GDS's memory estimate of running degree on a projection.
// param graph string: the catalogue name
// param config map: the algorithm's configuration
CALL gds.degree.mutate.estimate($graph, $config) YIELD bytesMax, requiredMemory
RETURN bytesMax, requiredMemory
