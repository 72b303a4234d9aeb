package scruple

import (
	"context"
)

// ProvenanceLog is the append-only, Merkle-tree log of every record and every
// decision (RFC 6962 hashing, as golang.org/x/mod/sumdb/tlog computes it).
// Entries are opaque bytes (JSON written by package provenance). A store that
// implements it appends the entries carried by Outcomes in the same
// transaction as their records, so a record and its log entry exist together
// or not at all, and entries have one total order.
type ProvenanceLog interface {
	// LogSize returns the number of entries.
	LogSize(ctx context.Context) (int64, error)
	// AppendEntries appends entries that belong to no record commit (purges,
	// withdrawals) and returns the index of the first.
	AppendEntries(ctx context.Context, entries [][]byte) (int64, error)
	// Entries calls fn for entries with index in [from, to), in order.
	Entries(ctx context.Context, from, to int64, fn func(index int64, data []byte) error) error
	// ReadHashes returns the stored tlog hashes at the given stored-hash
	// indexes (tlog.HashReader semantics).
	ReadHashes(ctx context.Context, indexes []int64) ([][32]byte, error)
	// SaveCheckpoint stores a signed checkpoint (a signed note) for a tree size.
	SaveCheckpoint(ctx context.Context, size int64, note []byte) error
	// LatestCheckpoint returns the newest checkpoint; size 0 and a nil note
	// when there is none.
	LatestCheckpoint(ctx context.Context) (size int64, note []byte, err error)
}
