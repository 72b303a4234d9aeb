package scruple

import (
	"context"
	"time"
)

// Kind says what became of a URL. Every URL the crawler takes from the frontier
// ends as exactly one record of one kind.
type Kind string

// Record kinds.
const (
	// KindPage is a public page that was kept (its redacted text is stored).
	KindPage Kind = "page"
	// KindDuplicate is a page whose body is byte-identical to an earlier record
	// (DuplicateOf names it); its text, title and findings are not stored
	// twice (the store clears them).
	KindDuplicate Kind = "duplicate"
	// KindNoIndex is a public page whose robots meta tag or X-Robots-Tag said
	// noindex: it is not kept, though its links may be followed.
	KindNoIndex Kind = "noindex"
	// KindNonPublic is a response behind a login, paywall, challenge or an
	// access status (401/403/407/451); its body is never stored.
	KindNonPublic Kind = "nonpublic"
	// KindDisallowed is a URL that robots.txt did not allow; it was not fetched.
	KindDisallowed Kind = "disallowed"
	// KindRedirect is a 3xx response; its target was queued as a new URL.
	KindRedirect Kind = "redirect"
	// KindBlocked is a URL refused before any request: the SSRF guard, a trap
	// bound, a URL carrying personal data.
	KindBlocked Kind = "blocked"
	// KindError is a fetch that failed (network, TLS, timeout, HTTP error).
	KindError Kind = "error"
	// KindSitemap is a sitemap document; the URLs it listed were queued.
	KindSitemap Kind = "sitemap"
	// KindDropped is a public page the policy dropped whole (bulk personal
	// data): nothing of it is stored but this record.
	KindDropped Kind = "dropped"
	// KindTrap is a URL the spider-trap guards stopped: a URL shape (path
	// loops, session identifiers, dates marching away from today, the
	// per-host URL budget), refused before any request, or a fetched page
	// whose text is a near-duplicate of pages already seen on its host once
	// the host's novelty budget is spent (Status is set; its text is not
	// kept and its links are not followed). Reason names the bound.
	KindTrap Kind = "trap"
	// KindDeferred is a URL the crawl gave up on for now because its host
	// would not serve it: robots.txt kept failing (RFC 9309: disallow all,
	// so no page was requested), or the host answered only 429/503. Running
	// the same crawl again retries it, and its final record replaces this one.
	KindDeferred Kind = "deferred"
	// KindSkipped is a response whose body is not text whatever its declared
	// type (magic numbers, NUL bytes): it is never extracted or stored as
	// text. ContentType is the sniffed type; Reason names both.
	KindSkipped Kind = "skipped"
)

// RobotsVerdict records the robots.txt decision that let a URL be fetched (or not).
type RobotsVerdict struct {
	// URL is the robots.txt URL consulted.
	URL string `json:"url"`
	// Allowed is the verdict.
	Allowed bool `json:"allowed"`
	// Rule is the matching rule ("Disallow: /private/"), or why none applied
	// ("no robots.txt (404): allow all").
	Rule string `json:"rule"`
	// Digest is the hex SHA-256 of the robots.txt body consulted ("" if none).
	Digest string `json:"digest,omitempty"`
}

// Finding is one piece of personal information found on a page, as stored:
// its type, where its (redacted) span lies in the stored text and what was done
// with it. The raw value is never part of a Finding.
type Finding struct {
	// Type is the detector type id, e.g. "cn_mobile".
	Type string `json:"type"`
	// Field is where the finding lies: "" for Text, "title" for Title.
	Field string `json:"field,omitempty"`
	// Start and End are byte offsets of the finding in the stored field.
	Start int `json:"start"`
	End   int `json:"end"`
	// Level is the JR/T 0171-2020 class (C3, C2, C1) or "".
	Level string `json:"level,omitempty"`
	// Sensitive says whether PIPL treats the type as sensitive.
	Sensitive bool `json:"sensitive"`
	// Confidence is the detector's confidence, 0..1.
	Confidence float64 `json:"confidence"`
	// Action is what the policy did: "redact", "keep", ...
	Action string `json:"action"`
	// Consent is the consent id that allowed keeping the value, if any.
	Consent string `json:"consent,omitempty"`
	// Subject is the keyed HMAC of the value's subject, set only for values
	// kept under a consent, so that a withdrawal can find and purge them.
	Subject string `json:"subject,omitempty"`
}

// Record is the stored outcome of one URL.
type Record struct {
	// ID is assigned by the store.
	ID int64 `json:"id"`
	// URL is the canonical URL requested.
	URL string `json:"url"`
	// FinalURL is the URL that answered (equal to URL: redirects are queued
	// as their own URLs, so each hop is checked and recorded).
	FinalURL string `json:"final_url"`
	// Kind is what became of the URL.
	Kind Kind `json:"kind"`
	// Status is the HTTP status, 0 when no response was received.
	Status int `json:"status"`
	// FetchedAt is when the response (or the refusal) happened.
	FetchedAt time.Time `json:"fetched_at"`
	// ContentType is the response's media type, without parameters.
	ContentType string `json:"content_type,omitempty"`
	// Charset is the character set the body was decoded from.
	Charset string `json:"charset,omitempty"`
	// Title is the page title, redacted.
	Title string `json:"title,omitempty"`
	// Lang is the declared language.
	Lang string `json:"lang,omitempty"`
	// Text is the extracted, redacted text (pages only).
	Text string `json:"text,omitempty"`
	// Canonical is the page's <link rel=canonical>, canonicalised.
	Canonical string `json:"canonical,omitempty"`
	// Depth is the link depth from a seed.
	Depth int `json:"depth"`
	// From is the page where the URL was discovered.
	From string `json:"from,omitempty"`
	// Source says how the URL was discovered.
	Source Source `json:"source,omitempty"`
	// Digest is the hex SHA-256 of the raw (decompressed) body; empty when no
	// body was read.
	Digest string `json:"digest,omitempty"`
	// Size is the raw body size in bytes.
	Size int64 `json:"size"`
	// DuplicateOf is the URL of the first record with the same Digest.
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// Location is a redirect's canonical target.
	Location string `json:"location,omitempty"`
	// Robots is the robots.txt verdict that applied.
	Robots *RobotsVerdict `json:"robots,omitempty"`
	// NoFollow is set when the page's links were not followed (meta robots or
	// X-Robots-Tag nofollow).
	NoFollow bool `json:"nofollow,omitempty"`
	// Reason explains a non-page kind ("http 401 (authentication required)").
	Reason string `json:"reason,omitempty"`
	// Links is the number of in-scope links queued from this page.
	Links int `json:"links"`
	// OverlongUnrecorded counts the links over 8 KiB on this page that got
	// no record of their own: each page records at most 16 (as traps, under
	// a shortened URL), each host 64 per crawling process.
	OverlongUnrecorded int `json:"overlong_links_unrecorded,omitempty"`
	// Findings lists the personal information found and what was done with it.
	Findings []Finding `json:"findings,omitempty"`
	// Salt is set (64 hex digits, random) on a record that keeps a value
	// under consent. It is part of the record's encoding, so the record's
	// digest in the provenance log (and its text digest) is salted: once a
	// consent ends, the salt is gone with its data key, and the logged
	// digests no longer let anyone test guesses of the purged value
	// (package shred). Stores never keep it in clear.
	Salt string `json:"salt,omitempty"`
	// Sealed holds, in a stored record only, the values kept under consent,
	// encrypted per consent (package shred); the stored Text and Title show
	// their masks instead. Records as read from a store are opened: Sealed
	// is empty and each value whose consent's key still exists is back in
	// place.
	Sealed []Sealed `json:"sealed,omitempty"`
	// Version is the stored row's version, set by the store when it reads
	// the record and advanced by every change; RecordUpdater.ReplaceRecord
	// compares it (compare-and-swap), so a copy read before someone else's
	// purge cannot write the purged value back. Not part of the record's
	// encoding or digest: it is the store's bookkeeping, not content.
	Version int64 `json:"-"`
}

// Sealed is one consent's share of a stored record's kept values:
// AES-256-GCM under the consent's data key (package shred).
type Sealed struct {
	// Consent is the consent id whose data key sealed Box.
	Consent string `json:"consent"`
	// Box is the nonce followed by the ciphertext and tag.
	Box []byte `json:"box"`
}

// Validate reports whether the record can be stored.
func (r *Record) Validate() error {
	if r.URL == "" {
		return Errorf(EINVALID, "record without URL")
	}
	switch r.Kind {
	case KindPage, KindDuplicate, KindNoIndex, KindNonPublic, KindDisallowed,
		KindRedirect, KindBlocked, KindError, KindSitemap, KindDropped, KindTrap, KindDeferred, KindSkipped:
	default:
		return Errorf(EINVALID, "record %s: unknown kind %q", r.URL, r.Kind)
	}
	if r.Kind != KindPage && r.Text != "" {
		return Errorf(EINVALID, "record %s: only pages keep text", r.URL)
	}
	return nil
}

// Outcome is everything that follows from processing one leased URL. A store
// commits an outcome atomically: the record, the URL's new state and the links
// it discovered become durable together or not at all, which is what makes a
// crawl resumable without loss or duplicates.
type Outcome struct {
	// Item is the leased URL.
	Item URLItem
	// Record is the final record; nil when the URL is to be retried.
	Record *Record
	// Retry, when Record is nil, returns the URL to the queue, eligible again at
	// Item.NotBefore (Attempts already incremented by the caller).
	Retry bool
	// Links are newly discovered URLs to enqueue (duplicates are ignored).
	Links []URLItem
	// Entry is the record's provenance log entry, appended in the same
	// transaction (nil: no entry, e.g. for a retry).
	Entry []byte
	// Seal, when set, builds the entry from the record as finally stored; the
	// store calls it inside the transaction after settling the record (a
	// duplicate's kind and DuplicateOf), so the logged digest is the stored
	// record's. It takes precedence over Entry.
	Seal func(r *Record) ([]byte, error)
	// Line, when set, is Record's canonical JSON encoding with ID 0
	// (provenance.AppendRecordLine(nil, Record, 0)), prepared by the caller
	// off the store's commit path. A store may keep it as the record's data
	// instead of encoding the record again, unless the store changed the
	// record (a duplicate).
	Line []byte
}

// RecordStore keeps records.
type RecordStore interface {
	// Commit applies outcomes atomically, in order. A URL is recorded once:
	// a record for a URL that has one is ignored, unless the stored one is
	// KindDeferred, which the new record replaces in place (same position,
	// a second log entry). Records whose Digest matches
	// an earlier page get Kind KindDuplicate and DuplicateOf set by the store
	// (the check and the insert happen in one transaction), except a page
	// keeping a value under consent, whose raw digest is never looked up
	// (shred.IndexDigest). Commit sets each record's ID.
	Commit(ctx context.Context, outcomes []Outcome) error
	// Records calls fn for every record in insertion order until fn returns an
	// error.
	Records(ctx context.Context, fn func(*Record) error) error
	// RecordCounts returns the number of records per kind.
	RecordCounts(ctx context.Context) (map[Kind]int64, error)
}

// Store is a complete crawl store: frontier, records, provenance log and
// consent ledger.
type Store interface {
	Frontier
	RecordStore
	ProvenanceLog
	ConsentStore
	RecordUpdater
	// Close releases the store (and its data-directory lock).
	Close() error
}
