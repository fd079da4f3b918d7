// Whether a Viewer with this id exists: a named query checks its id:Viewer parameters with it first.
// param id string: a Viewer id
MATCH (n:Viewer {id: $id})
RETURN count(n) AS found
