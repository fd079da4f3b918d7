// Pairs of topics that share creators (each creator publishing at least min_videos on both).
// param min_videos integer 0..1000000000: videos a creator must have on each topic to count
// param limit integer 1..1000000: rows to return
MATCH (a:Topic)<-[p:PUBLISHES_ON]-(c:Creator)-[q:PUBLISHES_ON]->(b:Topic)
WHERE a.id < b.id AND p.videos >= $min_videos AND q.videos >= $min_videos
RETURN a.id AS topic_a, a.name AS name_a, b.id AS topic_b, b.name AS name_b, count(DISTINCT c) AS shared_creators
ORDER BY shared_creators DESC, topic_a ASC, topic_b ASC
LIMIT $limit
