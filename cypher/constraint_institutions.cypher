// Uniqueness of Institution ids (community edition has no node-key constraints).
CREATE CONSTRAINT institutions_id IF NOT EXISTS FOR (n:Institution) REQUIRE n.id IS UNIQUE
