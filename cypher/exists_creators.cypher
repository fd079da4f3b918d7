// Whether a Creator with this id exists: a named query checks its id:Creator parameters with it first.
// param id string: a Creator id
MATCH (n:Creator {id: $id})
RETURN count(n) AS found
