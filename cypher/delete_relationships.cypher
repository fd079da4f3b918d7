// Empty the database, part 1: every relationship, in batches (auto-commit: session.run).
MATCH ()-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
