// Project an analysis graph into the GDS catalogue (the gds.graph.project aggregation
// function): its nodes, every relationship of its types weighed by its tie weight
// (graphkit.model.ANALYSIS_WEIGHTS: log2(1 + count), an empty count counting 1, or 1), the
// tie weights of parallel relationships summed into one edge; an undirected graph gets each
// pair of nodes once (reciprocal relationships summed too) as an undirected relationship.
// param graph string: the catalogue name (unique per run)
// param labels list: the analysis graph's node labels
// param types list: its relationship types
// param counts map: relationship type -> the count property its tie weight reads (types weighing 1 left out)
// param directed boolean: keep directions
MATCH (s) WHERE any(l IN labels(s) WHERE l IN $labels)
OPTIONAL MATCH (s)-[r]->(t) WHERE type(r) IN $types AND any(l IN labels(t) WHERE l IN $labels)
WITH s, t, r, $counts[type(r)] AS count
WITH s, t, sum(CASE WHEN r IS NULL THEN 0.0 WHEN count IS NULL THEN 1.0
                    ELSE log(1.0 + coalesce(toFloat(r[count]), 1.0)) / log(2.0) END) AS w
WITH CASE WHEN $directed OR t IS NULL OR elementId(s) <= elementId(t) THEN s ELSE t END AS a,
     CASE WHEN $directed OR t IS NULL OR elementId(s) <= elementId(t) THEN t ELSE s END AS b, w
WITH a, b, sum(w) AS weight
WITH gds.graph.project($graph, a, b,
                       {relationshipProperties: CASE WHEN b IS NULL THEN null ELSE {weight: weight} END},
                       {undirectedRelationshipTypes: CASE WHEN $directed THEN [] ELSE ['*'] END}) AS projection
RETURN projection
