// Write analysis results onto Creator nodes; props hold only model.ANALYSIS_PROPERTIES.
// param rows list: maps with id and props
UNWIND $rows AS row
MATCH (n:Creator {id: row.id})
SET n += row.props
RETURN count(n) AS written
