// Top creators in a topic and its subtopics (up to 3 levels down), by views of their videos there.
// param topic id:Topic: topic id
// param limit integer 1..1000000: rows to return
MATCH (root:Topic {id: $topic})
MATCH (t:Topic)-[:SUBTOPIC_OF*0..3]->(root)
MATCH (c:Creator)-[p:PUBLISHES_ON]->(t)
WITH c, sum(p.views) AS views, sum(p.videos) AS videos
RETURN c.id AS id, c.name AS name, views, videos, c.followers AS followers
ORDER BY views DESC, id ASC
LIMIT $limit
