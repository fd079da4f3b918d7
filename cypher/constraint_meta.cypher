// One bookkeeping node per database.
CREATE CONSTRAINT graphkit_meta IF NOT EXISTS FOR (m:GraphkitMeta) REQUIRE m.name IS UNIQUE
