// Whether a Institution with this id exists: a named query checks its id:Institution parameters with it first.
// param id string: a Institution id
MATCH (n:Institution {id: $id})
RETURN count(n) AS found
