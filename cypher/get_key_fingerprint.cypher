// The pseudonym key fingerprint this database was loaded with, if any.
MATCH (m:GraphkitMeta)
RETURN m.key_fingerprint AS key_fingerprint
