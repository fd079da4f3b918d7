// Recompute the derived creator properties (model.DERIVED_PROPERTIES) over the whole store:
// videos and views summed over PUBLISHES_ON; active = at least one video; primary_topic =
// the topic with most videos, ties to the smallest topic id; has_income = any income stream.
MATCH (c:Creator)
OPTIONAL MATCH (c)-[p:PUBLISHES_ON]->(t:Topic)
WITH c, p, t
ORDER BY c.id, p.videos DESC, t.id ASC
WITH c, sum(coalesce(p.videos, 0)) AS videos, sum(coalesce(p.views, 0)) AS views,
     collect(CASE WHEN p.videos > 0 THEN t.id END) AS ranked
SET c.videos = videos, c.views = views, c.active = videos >= 1,
    c.primary_topic = CASE WHEN videos >= 1 THEN ranked[0] END,
    c.has_income = size(coalesce(c.income_streams, [])) > 0
RETURN count(c) AS creators
