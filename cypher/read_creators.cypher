// Every Creator node with all its properties.
MATCH (n:Creator)
RETURN n {.*} AS props
