// Bind the pseudonym key fingerprint (never the key) to the database in one step: set it on
// the one bookkeeping node only if none is set, and return the one that is bound.  The
// uniqueness constraint on GraphkitMeta.name (constraint_meta) must exist first: it makes two
// loads that race here create one node, and the second sees the first's fingerprint.
// param fingerprint string: Pseudonymiser.fingerprint
MERGE (m:GraphkitMeta {name: 'graphkit'})
ON CREATE SET m.key_fingerprint = $fingerprint
ON MATCH SET m.key_fingerprint = coalesce(m.key_fingerprint, $fingerprint)
RETURN m.key_fingerprint AS key_fingerprint
