// Viewer-segment coverage per topic: distinct viewers of each segment value engaging with
// creators whose primary topic it is, and their views.  Viewers appear only as counts.
// param segment segment: a Viewer segment property (age_band or region_type)
MATCH (v:Viewer)-[e:ENGAGES_WITH]->(c:Creator)
WHERE c.primary_topic IS NOT NULL
WITH c.primary_topic AS topic, v[$segment] AS segment, count(DISTINCT v) AS viewers, sum(e.views) AS views
MATCH (t:Topic {id: topic})
RETURN t.id AS topic, t.name AS name, segment, viewers, views
ORDER BY topic ASC, segment ASC
