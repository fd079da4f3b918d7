// Whether the server has the Graph Data Science plugin (1) or not (0); engine="gds" needs it.
SHOW FUNCTIONS YIELD name
WHERE name = 'gds.version'
RETURN count(*) AS found
