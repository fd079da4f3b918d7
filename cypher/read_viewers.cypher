// Every Viewer node with all its properties.
MATCH (n:Viewer)
RETURN n {.*} AS props
