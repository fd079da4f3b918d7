// Uniqueness of Topic ids (community edition has no node-key constraints).
CREATE CONSTRAINT topics_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE
