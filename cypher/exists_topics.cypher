// Whether a Topic with this id exists: a named query checks its id:Topic parameters with it first.
// param id string: a Topic id
MATCH (n:Topic {id: $id})
RETURN count(n) AS found
