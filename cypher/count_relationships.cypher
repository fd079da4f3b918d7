// Relationships per type, for every type that has relationships.
MATCH ()-[r]->()
RETURN type(r) AS kind, count(*) AS count
