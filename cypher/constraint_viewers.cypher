// Uniqueness of Viewer ids (community edition has no node-key constraints).
CREATE CONSTRAINT viewers_id IF NOT EXISTS FOR (n:Viewer) REQUIRE n.id IS UNIQUE
