package scruple

import (
	"context"
	"time"
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

// Consent is one data subject's consent (or refusal) for specific personal
// information, for a specific purpose, as PIPL Art. 14, 23, 29 and 31 require.
// The subject is never stored raw: only a keyed HMAC of its normalised
// identifier.
type Consent struct {
	// ID is a stable identifier (assigned at grant).
	ID string `json:"id"`
	// Subject is the hex HMAC-SHA256 of the normalised identifier under the
	// data directory's consent key.
	Subject string `json:"subject"`
	// SubjectType is the PI type of the identifier that names the subject
	// (e.g. cn_mobile).
	SubjectType string `json:"subject_type"`
	// Types are the PI types the consent covers (no wildcards).
	Types []string `json:"types"`
	// Purpose is the specific purpose consented to.
	Purpose string `json:"purpose"`
	// Processor is the party processing the data.
	Processor string `json:"processor"`
	// Recipients are the named third parties the data may go to (Art. 23).
	Recipients []string `json:"recipients"`
	// Method is how consent was collected (e.g. "signed form", "app checkbox").
	Method string `json:"method"`
	// Evidence is the hex SHA-256 of the consent evidence.
	Evidence string `json:"evidence"`
	// Separate records separate consent, required for sensitive types (Art. 29).
	Separate bool `json:"separate"`
	// Guardian records a guardian's consent, required for a minor's data (Art. 31).
	Guardian bool `json:"guardian"`
	// GrantedAt and ExpiresAt bound the consent.
	GrantedAt time.Time `json:"granted_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// WithdrawnAt is set when the subject withdrew (Art. 15).
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	// Refused marks a subject who declined (Art. 27): treated as a withdrawal.
	Refused bool `json:"refused,omitempty"`
}

// Live reports whether the consent allows processing at t.
func (c *Consent) Live(t time.Time) bool {
	return !c.Refused && c.WithdrawnAt == nil && !t.Before(c.GrantedAt) && t.Before(c.ExpiresAt)
}

// ConsentStore is the consent ledger.
type ConsentStore interface {
	// PutConsent inserts or replaces a consent by ID.
	PutConsent(ctx context.Context, c *Consent) error
	// PutConsents stores consents in one transaction: all or none.
	PutConsents(ctx context.Context, cs []*Consent) error
	// Consent returns one consent, or an ENOTFOUND error.
	Consent(ctx context.Context, id string) (*Consent, error)
	// Consents calls fn for every consent, in grant order.
	Consents(ctx context.Context, fn func(*Consent) error) error
}

// RecordUpdater rewrites stored records after a withdrawal or expiry.
type RecordUpdater interface {
	// RecordsWithSubject calls fn for every record holding a finding whose
	// Subject (the HMAC) equals subject.
	RecordsWithSubject(ctx context.Context, subject string, fn func(*Record) error) error
	// ReplaceRecord overwrites a record (same URL) and appends entry to the
	// provenance log in one transaction; a nil r deletes the record. The
	// store must not keep the old content in its files (secure delete).
	// It is a compare-and-swap: r.Version must be the stored version (as
	// read by RecordsWithSubject or Records), else it changes nothing and
	// returns an ECONFLICT error wrapping ErrStale; ENOTFOUND if there is no
	// record at url. A deletion (nil r) is unconditional.
	ReplaceRecord(ctx context.Context, url string, r *Record, entry []byte) error
}
