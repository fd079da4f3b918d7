// Every Topic node with all its properties.
MATCH (n:Topic)
RETURN n {.*} AS props
