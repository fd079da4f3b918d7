// Write analysis results onto Viewer nodes; props hold only model.ANALYSIS_PROPERTIES.
// param rows list: maps with id and props
UNWIND $rows AS row
MATCH (n:Viewer {id: row.id})
SET n += row.props
RETURN count(n) AS written
