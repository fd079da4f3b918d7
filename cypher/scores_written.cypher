// Whether any Creator holds a written-back value of this analysis property (graphkit analyze
// --write): a named query checks its score parameter with it first.
// param score score: an analysis property (model.ANALYSIS_PROPERTIES)
MATCH (c:Creator)
WHERE c[$score] IS NOT NULL
RETURN c.id AS id
LIMIT 1
