// An institution's reach: distinct creators and viewers within 1..k hops of it.  A hop may
// use AFFILIATED_WITH, PARTNERS_WITH (institution-creator), COLLABORATES_WITH
// (creator-creator), FOLLOWS and ENGAGES_WITH (viewer-creator), in either direction.  The
// reach grows hop by hop as a set of distinct nodes (no path enumeration); k is at most 6.
// param institution id:Institution: institution id
// param k integer 1..6: hops
MATCH (i:Institution {id: $institution})
CALL (i) {
  OPTIONAL MATCH (i)-[:AFFILIATED_WITH|PARTNERS_WITH]-(c:Creator)
  WITH collect(DISTINCT c) AS creators
  RETURN creators + [i] AS r1
}
CALL (r1) {
  UNWIND CASE WHEN $k >= 2 THEN r1 ELSE [] END AS x
  MATCH (x)-[:AFFILIATED_WITH|PARTNERS_WITH|COLLABORATES_WITH|FOLLOWS|ENGAGES_WITH]-(y)
  RETURN collect(DISTINCT y) AS n2
}
CALL (r1, n2) {
  UNWIND r1 + n2 AS z
  RETURN collect(DISTINCT z) AS r2
}
CALL (r2) {
  UNWIND CASE WHEN $k >= 3 THEN r2 ELSE [] END AS x
  MATCH (x)-[:AFFILIATED_WITH|PARTNERS_WITH|COLLABORATES_WITH|FOLLOWS|ENGAGES_WITH]-(y)
  RETURN collect(DISTINCT y) AS n3
}
CALL (r2, n3) {
  UNWIND r2 + n3 AS z
  RETURN collect(DISTINCT z) AS r3
}
CALL (r3) {
  UNWIND CASE WHEN $k >= 4 THEN r3 ELSE [] END AS x
  MATCH (x)-[:AFFILIATED_WITH|PARTNERS_WITH|COLLABORATES_WITH|FOLLOWS|ENGAGES_WITH]-(y)
  RETURN collect(DISTINCT y) AS n4
}
CALL (r3, n4) {
  UNWIND r3 + n4 AS z
  RETURN collect(DISTINCT z) AS r4
}
CALL (r4) {
  UNWIND CASE WHEN $k >= 5 THEN r4 ELSE [] END AS x
  MATCH (x)-[:AFFILIATED_WITH|PARTNERS_WITH|COLLABORATES_WITH|FOLLOWS|ENGAGES_WITH]-(y)
  RETURN collect(DISTINCT y) AS n5
}
CALL (r4, n5) {
  UNWIND r4 + n5 AS z
  RETURN collect(DISTINCT z) AS r5
}
CALL (r5) {
  UNWIND CASE WHEN $k >= 6 THEN r5 ELSE [] END AS x
  MATCH (x)-[:AFFILIATED_WITH|PARTNERS_WITH|COLLABORATES_WITH|FOLLOWS|ENGAGES_WITH]-(y)
  RETURN collect(DISTINCT y) AS n6
}
CALL (r5, n6) {
  UNWIND r5 + n6 AS z
  RETURN collect(DISTINCT z) AS r6
}
WITH [r1, r2, r3, r4, r5, r6] AS reaches
UNWIND range(1, $k) AS hop
WITH hop, reaches[hop - 1] AS r
RETURN hop, size([n IN r WHERE n:Creator]) AS creators, size([n IN r WHERE n:Viewer]) AS viewers
ORDER BY hop
