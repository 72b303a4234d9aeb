package provenance

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"strconv"
	"time"

	"github.com/scruple/scruple"
)

// Entry kinds.
const (
	// KindRecord is written for every record, whatever its kind.
	KindRecord = "record"
	// KindPurge is written when a stored record is rewritten (re-redacted) or
	// deleted because a consent no longer covers it.
	KindPurge = "purge"
	// KindWithdrawal, KindRefusal and KindExpiry are the summary entries
	// older logs wrote after the purges of a consent event. The consent
	// ledger's withdraw, refuse and expire entries replaced them (one
	// event, one entry); they are no longer written, only read.
	KindWithdrawal = "withdrawal"
	KindRefusal    = "refusal"
	KindExpiry     = "expiry"
	// KindGrant, KindImport, KindWithdraw, KindRefuse, KindExpire and
	// KindSweep are the consent ledger's own events (package consent/ledger),
	// appended in the same transaction as the consent write they record:
	// the log proves when each consent began and ended, so a verifier can
	// check every kept value against it. Grant and import entries carry the
	// consent's terms (its subject only as the HMAC); refuse and sweep
	// entries list the consents they ended.
	KindGrant    = "grant"
	KindImport   = "import"
	KindWithdraw = "withdraw"
	KindRefuse   = "refuse"
	KindExpire   = "expire"
	KindSweep    = "sweep"
)

// Access verdicts, derived from the record kind.
const (
	VerdictPublic     = "public"      // a response that the access classifier found public
	VerdictNonPublic  = "nonpublic"   // login, paywall, challenge or access status: body not stored
	VerdictNotFetched = "not-fetched" // refused before any request (robots.txt, guard, trap bound)
	VerdictNoResponse = "no-response" // the request failed before a response
)

// BuildInfo names the software and policy that produced an entry.
type BuildInfo struct {
	// CrawlerVersion is scruple's version; "" means scruple.Version.
	CrawlerVersion string
	// DetectorVersion identifies the personal-information detector.
	DetectorVersion string
	// PolicyVersion is the hash of the policy in force.
	PolicyVersion string
}

// Robots is the robots.txt evidence of an entry.
type Robots struct {
	// URL is the robots.txt consulted.
	URL string `json:"url"`
	// Digest is the hex SHA-256 of the robots.txt body ("" when none).
	Digest string `json:"digest,omitempty"`
	// Rule is the deciding rule, or why none applied.
	Rule string `json:"rule"`
	// Allowed is the verdict.
	Allowed bool `json:"allowed"`
}

// Access is the public-access evidence of an entry.
type Access struct {
	// CredentialsSent reports whether the fetch put a credential header
	// (Authorization, Proxy-Authorization, Cookie) on the wire, as observed
	// by the crawler's trace of the request (fetch.Response.CredentialsSent);
	// false when no request was made. The fetch transport refuses such
	// requests, so true means that guarantee broke. It is written either
	// way so that the observation is part of what is signed.
	CredentialsSent bool `json:"credentials_sent"`
	// Verdict is one of the Verdict* constants.
	Verdict string `json:"verdict"`
}

// Decision is what the policy did with the findings of one type: one
// Decision per distinct (type, action, consent), with a count, so that a page
// with a thousand findings does not make a thousand-line entry.
type Decision struct {
	// Type is the detector type id ("cn_mobile").
	Type string `json:"type"`
	// Action is the policy action ("redact", "keep", ...).
	Action string `json:"action"`
	// Consent is the consent id that allowed keeping, if any.
	Consent string `json:"consent,omitempty"`
	// Count is the number of findings with this type, action and consent.
	Count int `json:"count"`
}

// Entry is one provenance log entry. The JSON field order is the struct
// order and is part of the format: entries are hashed as bytes, so Marshal
// must be deterministic. Absent fields are zero.
type Entry struct {
	// Kind is one of the Kind* constants.
	Kind string `json:"kind"`
	// URL is the canonical URL of the record concerned.
	URL string `json:"url,omitempty"`
	// FinalURL is the URL that answered.
	FinalURL string `json:"final_url,omitempty"`
	// FetchedAt is when the response (or refusal) happened, UTC.
	FetchedAt time.Time `json:"fetched_at,omitzero"`
	// Status is the HTTP status (0: no response).
	Status int `json:"status,omitempty"`
	// RecordKind is the record's kind (page, nonpublic, disallowed, ...).
	RecordKind string `json:"record_kind,omitempty"`
	// Robots is the robots.txt evidence.
	Robots *Robots `json:"robots,omitempty"`
	// Access is the public-access evidence (record entries only).
	Access *Access `json:"access,omitempty"`
	// RawDigest is the hex SHA-256 of the raw (decompressed) body; for a
	// record with a Salt, the hex HMAC-SHA256 of that digest keyed by the
	// salt: the body holds the kept value, so its plain digest would let
	// anyone test guesses of the value once the consent ended.
	RawDigest string `json:"raw_digest,omitempty"`
	// TextDigest is the hex SHA-256 of the stored (redacted) text; for a
	// record with a Salt (it keeps a value under consent), the hex
	// HMAC-SHA256 of the text keyed by the salt, so that it cannot be
	// recomputed, nor a guessed value tested, once the salt is gone.
	TextDigest string `json:"text_digest,omitempty"`
	// RecordDigest is RecordDigest of the stored record.
	RecordDigest string `json:"record_digest,omitempty"`
	// DetectorVersion and PolicyVersion identify the detector and the policy.
	DetectorVersion string `json:"detector_version,omitempty"`
	PolicyVersion   string `json:"policy_version,omitempty"`
	// Decisions summarise the findings and what was done with them.
	Decisions []Decision `json:"decisions,omitempty"`
	// CrawlerVersion is scruple's version.
	CrawlerVersion string `json:"crawler_version,omitempty"`
	// Reason explains a non-page record, a purge or a consent event.
	Reason string `json:"reason,omitempty"`
	// Consent is the consent id a purge or event concerns.
	Consent string `json:"consent,omitempty"`
	// At is when a purge or consent event took effect, UTC.
	At time.Time `json:"at,omitzero"`
	// NewRecordDigest is, for a purge that rewrote the record, RecordDigest
	// of the record as it now stands.
	NewRecordDigest string `json:"new_record_digest,omitempty"`
	// Removed is set on a purge that deleted the record.
	Removed bool `json:"removed,omitempty"`
	// WARC names the record's WARC record, when the crawl archived it.
	WARC *WARCRef `json:"warc,omitempty"`
	// Terms are, for a consent event, the consent as the ledger stores it:
	// never the subject's value, only its HMAC.
	Terms *scruple.Consent `json:"terms,omitempty"`
	// Ended lists the consents a refuse or sweep entry ended.
	Ended []string `json:"ended,omitempty"`
	// API is, for an api entry, the action and the token that made it.
	API *APIAction `json:"api,omitempty"`
}

// NewRecordEntry builds the log entry of a record. It must be built from the
// record exactly as the store keeps it (after deduplication), because
// RecordDigest covers every field but ID; RebindRecordEntry rebuilds an entry
// for a record the store changed.
func NewRecordEntry(r *scruple.Record, info BuildInfo) Entry {
	return NewRecordEntryLine(r, AppendRecordLine(nil, r, 0), info)
}

// NewRecordEntryLine is NewRecordEntry for a caller that already holds the
// record's canonical encoding, line = AppendRecordLine(nil, r, 0) (a store
// keeps the same bytes), so the record is not encoded twice.
func NewRecordEntryLine(r *scruple.Record, line []byte, info BuildInfo) Entry {
	e := Entry{
		Kind:            KindRecord,
		URL:             r.URL,
		FinalURL:        r.FinalURL,
		FetchedAt:       r.FetchedAt.UTC(),
		Status:          r.Status,
		RecordKind:      string(r.Kind),
		Access:          &Access{CredentialsSent: false, Verdict: verdict(r)},
		RawDigest:       RawDigest(r),
		RecordDigest:    sha256Hex(line),
		DetectorVersion: info.DetectorVersion,
		PolicyVersion:   info.PolicyVersion,
		Decisions:       decisions(r.Findings),
		CrawlerVersion:  crawlerVersion(info),
		Reason:          r.Reason,
	}
	if r.Robots != nil {
		e.Robots = &Robots{URL: r.Robots.URL, Digest: r.Robots.Digest, Rule: r.Robots.Rule, Allowed: r.Robots.Allowed}
	}
	if r.Text != "" {
		e.TextDigest = TextDigest(r)
	}
	return e
}

// NewPurgeEntry builds the entry of a purge of the record at url: newRecord
// is the record as rewritten, or nil when the record was deleted. reason says
// why ("consent withdrawn"), consent names the consent id.
func NewPurgeEntry(url string, newRecord *scruple.Record, reason, consent string, at time.Time, info BuildInfo) Entry {
	e := Entry{
		Kind:            KindPurge,
		URL:             url,
		DetectorVersion: info.DetectorVersion,
		PolicyVersion:   info.PolicyVersion,
		CrawlerVersion:  crawlerVersion(info),
		Reason:          reason,
		Consent:         consent,
		At:              at.UTC(),
	}
	if newRecord == nil {
		e.Removed = true
	} else {
		e.NewRecordDigest = RecordDigest(newRecord)
		e.RecordKind = string(newRecord.Kind)
		e.Decisions = decisions(newRecord.Findings)
		if newRecord.Text != "" {
			e.TextDigest = TextDigest(newRecord)
		}
	}
	return e
}

// NewEventEntry builds a summary entry of the older kinds (KindWithdrawal,
// KindRefusal, KindExpiry), as logs written before the consent ledger hold
// them; tests build such logs with it.
func NewEventEntry(kind, consent, reason string, at time.Time, info BuildInfo) Entry {
	return Entry{Kind: kind, Consent: consent, Reason: reason, At: at.UTC(),
		PolicyVersion: info.PolicyVersion, CrawlerVersion: crawlerVersion(info)}
}

// NewConsentEntry builds the entry of a consent ledger event (KindGrant,
// KindImport, KindWithdraw, KindRefuse, KindExpire) for consent c at at;
// ended lists the consents the event ended (a refusal's blocked grants).
// The terms leave out the ledger's bookkeeping (ExpiryLoggedAt).
func NewConsentEntry(kind string, c *scruple.Consent, reason string, at time.Time, ended []string, info BuildInfo) Entry {
	terms := *c
	terms.ExpiryLoggedAt = nil
	return Entry{Kind: kind, Consent: c.ID, Reason: reason, At: at.UTC(), PolicyVersion: info.PolicyVersion,
		CrawlerVersion: crawlerVersion(info), Terms: &terms, Ended: ended}
}

// NewSweepEntry builds the entry of a sweep that ended the consents ended
// (expired since the last sweep) at at.
func NewSweepEntry(ended []string, reason string, at time.Time, info BuildInfo) Entry {
	return Entry{Kind: KindSweep, Reason: reason, At: at.UTC(), PolicyVersion: info.PolicyVersion,
		CrawlerVersion: crawlerVersion(info), Ended: ended}
}

// RebindRecordEntry rebuilds a record entry for r, keeping the build
// information of the original entry. A store calls it inside its commit
// transaction when it changed the record after the entry was built (marking a
// duplicate, clearing its text), so the logged digest is the stored one.
func RebindRecordEntry(entry []byte, r *scruple.Record) ([]byte, error) {
	e, err := ParseEntry(entry)
	if err != nil {
		return nil, err
	}
	if e.Kind != KindRecord {
		return nil, fmt.Errorf("provenance: rebind a %q entry: not a record entry", e.Kind)
	}
	info := BuildInfo{CrawlerVersion: e.CrawlerVersion, DetectorVersion: e.DetectorVersion, PolicyVersion: e.PolicyVersion}
	out := NewRecordEntry(r, info)
	out.WARC = e.WARC
	if e.Access != nil && out.Access != nil {
		out.Access.CredentialsSent = e.Access.CredentialsSent // an observation of the fetch, not of the record
	}
	return out.Marshal(), nil
}

// Marshal returns the entry's canonical JSON encoding, without a trailing
// newline: the bytes that are appended to the log and hashed.
func (e Entry) Marshal() []byte {
	if b, ok := appendEntryJSON(make([]byte, 0, 512), &e); ok {
		return b // json.Marshal's bytes (appendEntryJSON), without reflection
	}
	b, err := json.Marshal(e)
	if err != nil {
		// Entry holds only strings, ints, bools and UTC times within the
		// years 0..9999 (a fetch time), none of which fail to encode.
		panic("provenance: marshal entry: " + err.Error())
	}
	return b
}

// ParseEntry decodes one log entry.
func ParseEntry(data []byte) (Entry, error) {
	var e Entry
	if err := json.Unmarshal(data, &e); err != nil {
		return Entry{}, fmt.Errorf("provenance: malformed log entry: %w", err)
	}
	if e.Kind == "" {
		return Entry{}, fmt.Errorf("provenance: malformed log entry: no kind")
	}
	return e, nil
}

// AppendRecordLine appends the canonical encoding of r to buf with id in
// place of r.ID: json.Marshal of the record with FetchedAt in UTC (written by
// appendRecordJSON, which writes the same bytes faster). That is
// encoding/json's output for scruple.Record: fields in struct order, no
// insignificant space, HTML characters escaped, times in RFC 3339 with
// nanoseconds. The bundle's records.jsonl lines are AppendRecordLine with id
// set to the record's log index; RecordDigest hashes it with id 0.
func AppendRecordLine(buf []byte, r *scruple.Record, id int64) []byte {
	c := *r
	c.ID = id
	c.FetchedAt = r.FetchedAt.UTC()
	if buf == nil {
		// The usual call: the line allocated once, at its size.
		buf = make([]byte, 0, recordJSONSize(&c))
	}
	if b, ok := appendRecordJSON(buf, &c); ok {
		return b
	}
	// What appendRecordJSON leaves to encoding/json fails there too.
	b, err := json.Marshal(&c)
	if err != nil {
		panic("provenance: marshal record: " + err.Error())
	}
	return append(buf, b...)
}

// RecordDigest is the hex SHA-256 of the record's canonical encoding with ID
// zero (AppendRecordLine(nil, r, 0)). The ID is left out because the store
// assigns it after the entry is built, and two stores of the same crawl may
// number records differently.
func RecordDigest(r *scruple.Record) string {
	return sha256Hex(AppendRecordLine(nil, r, 0))
}

// recordLineDigest returns the SHA-256 of a records.jsonl line with its id
// replaced by 0, and the id. It does not parse the JSON: a line in canonical
// encoding starts with {"id":N, and everything after N is covered by the
// digest. ok is false when the line does not start that way or N is not in
// canonical decimal form, and then the digest is of the whole line (it will
// match nothing).
func recordLineDigest(line []byte) (d [32]byte, id int64, ok bool) {
	const prefix = `{"id":`
	if !bytes.HasPrefix(line, []byte(prefix)) {
		return sha256.Sum256(line), 0, false
	}
	j := len(prefix)
	if j < len(line) && line[j] == '-' {
		j++
	}
	for j < len(line) && line[j] >= '0' && line[j] <= '9' {
		j++
	}
	digits := line[len(prefix):j]
	n, err := strconv.ParseInt(string(digits), 10, 64)
	if err != nil || strconv.FormatInt(n, 10) != string(digits) || j >= len(line) || line[j] != ',' {
		return sha256.Sum256(line), 0, false
	}
	h := sha256.New()
	h.Write([]byte(`{"id":0`))
	h.Write(line[j:])
	h.Sum(d[:0])
	return d, n, true
}

func verdict(r *scruple.Record) string {
	switch r.Kind {
	case scruple.KindNonPublic:
		return VerdictNonPublic
	case scruple.KindDisallowed, scruple.KindBlocked, scruple.KindDeferred:
		return VerdictNotFetched
	case scruple.KindTrap:
		if r.Status == 0 {
			return VerdictNotFetched
		}
	case scruple.KindError:
		if r.Status == 0 {
			return VerdictNoResponse
		}
	}
	return VerdictPublic
}

// decisions groups findings by (type, action, consent), in order of first
// appearance so that the encoding is deterministic.
func decisions(fs []scruple.Finding) []Decision {
	if len(fs) == 0 {
		return nil
	}
	type key struct{ t, a, c string }
	at := make(map[key]int, len(fs))
	var out []Decision
	for _, f := range fs {
		k := key{f.Type, f.Action, f.Consent}
		if i, ok := at[k]; ok {
			out[i].Count++
			continue
		}
		at[k] = len(out)
		out = append(out, Decision{Type: f.Type, Action: f.Action, Consent: f.Consent, Count: 1})
	}
	return out
}

func crawlerVersion(info BuildInfo) string {
	if info.CrawlerVersion == "" {
		return scruple.Version
	}
	return info.CrawlerVersion
}

// RawDigest is an entry's raw_digest of r: r.Digest, or, when r has a
// Salt, the hex HMAC-SHA256 of it keyed by the salt (see Entry.RawDigest).
func RawDigest(r *scruple.Record) string {
	if r.Salt == "" || r.Digest == "" {
		return r.Digest
	}
	m := hmac.New(sha256.New, []byte(r.Salt))
	m.Write([]byte("raw\x00" + r.Digest))
	return hex.EncodeToString(m.Sum(nil))
}

// TextDigest is an entry's text_digest of r: the hex SHA-256 of r.Text,
// or, when r has a Salt, the hex HMAC-SHA256 of r.Text keyed by the salt.
// (RecordDigest needs nothing of the kind: the salt is part of the record's
// encoding it hashes.)
func TextDigest(r *scruple.Record) string {
	var h hash.Hash
	if r.Salt == "" {
		h = sha256.New()
	} else {
		h = hmac.New(sha256.New, []byte(r.Salt))
	}
	writeString(h, r.Text)
	return hex.EncodeToString(h.Sum(nil))
}

// writeString writes s to h through a small buffer: h.Write([]byte(s))
// copied the whole page text once per record.
func writeString(h hash.Hash, s string) {
	var buf [1024]byte
	for len(s) > 0 {
		n := copy(buf[:], s)
		h.Write(buf[:n])
		s = s[n:]
	}
}

func sha256Hex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}
