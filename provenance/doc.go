// Package provenance writes and checks scruple's provenance: the entries of the
// append-only Merkle-tree log (RFC 6962 hashing, golang.org/x/mod/sumdb/tlog),
// the signed checkpoints over it (signed-note format,
// golang.org/x/mod/sumdb/note, ed25519), and the export bundle a third party
// verifies offline.
//
// # Log entries
//
// A log entry is one JSON object (Entry.Marshal; no trailing newline). A
// "record" entry is written for every record of every kind: pages, but also
// duplicates, noindex pages, nonpublic refusals, robots.txt refusals and
// blocked URLs, so that what was *not* collected is on the record too. A
// "purge" entry is written when a stored record is re-redacted or deleted
// after a consent is withdrawn, refused or expires. A "crawl" entry states
// each run's settings and a "robots" entry each robots.txt fetch (crawl.go),
// so a report can prove the politeness promised. Entries name digests and
// decisions, never raw personal values.
//
// # Checkpoints
//
// A checkpoint is a signed note whose text is, in the C2SP tlog-checkpoint
// layout that tlog.FormatTree also follows:
//
//	<origin>\n<tree size, decimal>\n<root hash, base64>\n
//
// The origin line is the signing key's name ("scruple-<host>" by default),
// so a checkpoint names the log it belongs to and cannot be replayed as a
// go.sum database tree.
//
// # Bundle
//
// Export writes a directory a buyer can receive:
//
//	records.jsonl  one record per line, canonical encoding (AppendRecordLine),
//	               in store order; "id" is the index of the record's log entry
//	log.jsonl      one log entry per line, exactly the stored bytes, in log order
//	checkpoint     the signed note over all of log.jsonl
//	key.pub        the verifier key (note.NewVerifier format), one line
//	manifest.json  counts, tree size, root hash, creation time, tool version,
//	               file digests (informative: the checkpoint is what is signed)
//
// Verify checks all of it without the store. The rules it applies define
// what a bundle means:
//
//   - a "record" entry vouches for one record, by RecordDigest; records.jsonl
//     lists records in the order of their first record entry (store order,
//     since a store appends a record and its entry in one transaction);
//   - a later "purge" entry for the same URL replaces the digest
//     (new_record_digest) or says the record is gone (removed);
//   - a record's "id" in records.jsonl is the log index of the entry that
//     placed it, so every byte of a record line is covered;
//   - only entries the checkpoint signs count: lines appended after it are
//     reported and vouch for nothing.
//
// # Stores
//
// A store implementing scruple.ProvenanceLog appends an Outcome's Entry in
// the transaction that inserts its record, computing the stored hashes there
// with AppendHashes. The entry must describe the record as stored: a store
// that changes a record while committing it (marking a duplicate) rebuilds
// the entry with RebindRecordEntry, and a store that drops a record (already
// recorded) drops its entry too. LatestCheckpoint should return the
// checkpoint of the largest size. Before appending, the crawler calls
// VerifyStore and refuses a log that does not verify.
package provenance
