// Every Institution node with all its properties.
MATCH (n:Institution)
RETURN n {.*} AS props
