// Empty the database, in batches (an auto-commit statement: run with session.run).
MATCH (n)
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
