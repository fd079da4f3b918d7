// How many nodes of a projection have no relationship (unweighted degree 0).
// param graph string: the catalogue name
// param config map: the degree configuration (relationship types, concurrency)
CALL gds.degree.stream($graph, $config) YIELD score
WITH score WHERE score = 0
RETURN count(*) AS isolates
