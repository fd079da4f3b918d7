// The server's Graph Data Science version and its JVM heap (bytes): the budget of a projection.
CALL gds.debug.sysInfo() YIELD key, value
WITH collect([key, value]) AS info
RETURN gds.version() AS version,
       [p IN info WHERE p[0] = 'heapMaxInBytes'][0][1] AS heap_max,
       [p IN info WHERE p[0] = 'heapFreeInBytes'][0][1] AS heap_free
