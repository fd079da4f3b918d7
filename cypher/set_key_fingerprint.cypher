// Record the pseudonym key fingerprint (never the key) on the one bookkeeping node.
// param fingerprint string: Pseudonymiser.fingerprint
MERGE (m:GraphkitMeta {name: 'graphkit'})
SET m.key_fingerprint = $fingerprint
