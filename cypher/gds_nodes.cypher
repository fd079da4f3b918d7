// The nodes of an analysis graph for a GDS projection: each one's Neo4j id (what GDS streams
// back as nodeId), label, id and name ("" for viewers: collect drops nulls).
// param labels list: the analysis graph's node labels
MATCH (n) WHERE any(l IN labels(n) WHERE l IN $labels)
RETURN collect(id(n)) AS nodes, collect([l IN labels(n) WHERE l IN $labels][0]) AS kinds, collect(n.id) AS ids,
       collect(coalesce(n.name, '')) AS names
