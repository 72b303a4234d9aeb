// Package shred makes values kept under consent forgettable for good
// (crypto-shredding). A store cannot promise to erase bytes: SQLite leaves
// them in free pages and WAL frames unless scrubbed, PostgreSQL in dead
// tuples, TOAST, WAL archives, replicas and backups. So a value kept under
// consent is stored only encrypted, under a data key of its own consent;
// ending the consent destroys the key, and every copy of the ciphertext,
// wherever it lies, becomes unreadable at once.
//
// Keys: each consent has one random 256-bit data key, created on first use
// and kept in the store (table data_keys) wrapped with AES-256-GCM under a
// key-encryption key (KEK). The KEK is derived from the data directory's
// consent key with HKDF-SHA256 (RFC 5869) and a label of its own: the
// consent key already keys the subjects' HMACs, and HKDF's expand step gives
// an independent key for another use from one uniformly random secret
// without ever using one key for two algorithms. The KEK never enters the
// store, so a copy of the database alone (a PostgreSQL backup, a replica)
// opens nothing. Destroying a data key replaces its row by a tombstone (the
// consent id, no key), so that a crawler still holding the consent as live
// cannot create a fresh key for it and keep a value readable again.
//
// Records: Seal turns a record as the crawler made it (values in clear in
// Text and Title, Salt set) into the stored form: each kept value replaced
// by its typed mask ("[cn_mobile]"), so everything not kept under consent
// stays readable as it is, and one Sealed box per consent holding its
// values and a share of the record's Salt. Open reverses it with the keys
// that still exist; a value whose key is gone stays masked (never an error
// that loses the record).
//
// Salt: the record's digests in the provenance log cover Salt. Salt is the
// XOR of one random share per consent, each share sealed with its
// consent's values, so ending any one of the consents loses the salt: the
// logged digests of the record can no longer be recomputed, and a guess of
// an 11-digit mobile number cannot be tested against them.
package shred
