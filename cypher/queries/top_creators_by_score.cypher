// Top creators in a topic and its subtopics by a written-back analysis score (e.g. pagerank).
// param topic id:Topic: topic id
// param score score: a written-back analysis property (model.ANALYSIS_PROPERTIES), e.g. pagerank
// param limit integer 1..1000000: rows to return
MATCH (root:Topic {id: $topic})
MATCH (t:Topic)-[:SUBTOPIC_OF*0..3]->(root)
MATCH (c:Creator)-[:PUBLISHES_ON]->(t)
WITH DISTINCT c
WHERE c[$score] IS NOT NULL
RETURN c.id AS id, c.name AS name, c[$score] AS score, c.followers AS followers
ORDER BY score DESC, id ASC
LIMIT $limit
