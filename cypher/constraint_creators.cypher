// Uniqueness of Creator ids (community edition has no node-key constraints).
CREATE CONSTRAINT creators_id IF NOT EXISTS FOR (n:Creator) REQUIRE n.id IS UNIQUE
