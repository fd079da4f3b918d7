// Write analysis results onto Institution nodes; props hold only model.ANALYSIS_PROPERTIES.
// param rows list: maps with id and props
UNWIND $rows AS row
MATCH (n:Institution {id: row.id})
SET n += row.props
RETURN count(n) AS written
