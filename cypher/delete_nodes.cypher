// Empty the database, part 2: every node, in batches, once no relationship is left.
MATCH (n)
CALL (n) { DELETE n } IN TRANSACTIONS OF 10000 ROWS
