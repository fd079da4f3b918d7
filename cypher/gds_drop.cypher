// Drop a projection graphkit made from the GDS catalogue (nothing if it is gone already).
// param graph string: the catalogue name
CALL gds.graph.drop($graph, false) YIELD graphName
RETURN graphName
