// Creators that bridge institutions and topics: tied to several institutions (affiliation or
// partnership) and publishing on several top-level fields.
// param min_institutions integer 0..1000000000: institutions a creator must be tied to
// param limit integer 1..1000000: rows to return
MATCH (c:Creator)
CALL (c) {
  OPTIONAL MATCH (c)-[:AFFILIATED_WITH|PARTNERS_WITH]-(i:Institution)
  RETURN count(DISTINCT i) AS institutions
}
WITH c, institutions WHERE institutions >= $min_institutions
CALL (c) {
  OPTIONAL MATCH (c)-[:PUBLISHES_ON]->(:Topic)-[:SUBTOPIC_OF*0..3]->(f:Topic)
  WHERE NOT (f)-[:SUBTOPIC_OF]->(:Topic)
  RETURN count(DISTINCT f) AS fields
}
RETURN c.id AS id, c.name AS name, institutions, fields, institutions * fields AS bridging
ORDER BY bridging DESC, id ASC
LIMIT $limit
