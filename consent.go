package scruple

import (
	"context"
	"errors"
	"strings"
	"time"
)

// Consent is one data subject's consent (or refusal) for specific personal
// information, for a specific purpose, as PIPL Art. 14, 23, 29 and 31 require.
// The subject is never stored raw: only a keyed HMAC of its normalised
// identifier.
//
// A consent moves one way (State): not yet → live → expired, or to withdrawn
// at any time; a refusal is refused from the start. Withdrawn and refused are
// final (Final): no write may bring a consent with that ID back, and a
// refusal also ends every grant of its subject dated at or before it
// (Blocks, PIPL Art. 27).
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
	// GrantedAt and ExpiresAt bound the consent. For a refusal, GrantedAt is
	// when the subject refused.
	GrantedAt time.Time `json:"granted_at"`
	ExpiresAt time.Time `json:"expires_at"`
	// WithdrawnAt is set when the subject withdrew (Art. 15).
	WithdrawnAt *time.Time `json:"withdrawn_at,omitempty"`
	// Refused marks a subject who declined (Art. 27): treated as a withdrawal.
	Refused bool `json:"refused,omitempty"`
	// ExpiryLoggedAt is set when a sweep wrote the consent's expiry to the
	// provenance log, so that each expiry is logged once. It is bookkeeping,
	// not part of the consent: State ignores it.
	ExpiryLoggedAt *time.Time `json:"expiry_logged_at,omitempty"`
}

// ConsentState is where a consent stands at a moment.
type ConsentState string

// Consent states. Withdrawn and refused are final; expired follows from the
// clock and cannot be undone either, because the expiry is part of the
// consent's ID.
const (
	ConsentLive      ConsentState = "live"      // may cover findings now
	ConsentNotYet    ConsentState = "not yet"   // granted for a later time
	ConsentExpired   ConsentState = "expired"   // its expiry has passed
	ConsentWithdrawn ConsentState = "withdrawn" // the subject withdrew (Art. 15)
	ConsentRefused   ConsentState = "refused"   // the subject refused (Art. 27), or a later refusal blocks it
)

// State returns where c stands at t, ignoring other consents (see
// StateAmong for refusals of the same subject). A withdrawal counts from the
// moment it is recorded, whatever its date: Art. 15 makes it effective at
// once, and a consent that was live for a past moment must not keep values
// now.
func (c *Consent) State(t time.Time) ConsentState {
	switch {
	case c.Refused:
		return ConsentRefused
	case c.WithdrawnAt != nil:
		return ConsentWithdrawn
	case t.Before(c.GrantedAt):
		return ConsentNotYet
	case !t.Before(c.ExpiresAt):
		return ConsentExpired
	}
	return ConsentLive
}

// StateAmong is State, except that a grant blocked by one of refusals
// (Blocks) is ConsentRefused.
func (c *Consent) StateAmong(t time.Time, refusals []*Consent) ConsentState {
	for _, r := range refusals {
		if r.Blocks(c) {
			return ConsentRefused
		}
	}
	return c.State(t)
}

// Live reports whether the consent allows processing at t, given refusals,
// the refusals of its subject (StateAmong): a grant that a refusal blocks
// is never live. It takes them so that no caller can forget them; pass nil
// only where none can exist (a subject with no refusal on record).
func (c *Consent) Live(t time.Time, refusals []*Consent) bool {
	return c.StateAmong(t, refusals) == ConsentLive
}

// Ended reports whether the consent can no longer cover anything at t,
// given its subject's refusals (StateAmong): expired, withdrawn or refused,
// or blocked by a refusal. What it kept must be purged.
func (c *Consent) Ended(t time.Time, refusals []*Consent) bool {
	switch c.StateAmong(t, refusals) {
	case ConsentExpired, ConsentWithdrawn, ConsentRefused:
		return true
	}
	return false
}

// Final reports whether the consent was withdrawn or refused: a consent with
// its ID can never be live again, so a store refuses to overwrite it
// (ErrConsentFinal) and a ledger refuses to grant or import it again.
func (c *Consent) Final() bool { return c.Refused || c.WithdrawnAt != nil }

// Blocks reports whether c, a refusal, ends grant g: a grant of the same
// subject dated at or before the refusal (PIPL Art. 27: the subject said no;
// a grant dated later is the subject changing their mind, and stands). A
// refusal never blocks another refusal.
func (c *Consent) Blocks(g *Consent) bool {
	return c != nil && g != nil && c.Refused && !g.Refused && c.Subject == g.Subject && c.ID != g.ID &&
		!g.GrantedAt.After(c.GrantedAt)
}

// CheckConsentWrite reports whether c may be written over old (nil: no
// consent with that ID yet) while refusals (the stored refusals and
// withdrawn grants of c's subject) stand: ErrConsentFinal when old is final and c differs from it in
// anything but bookkeeping, ErrExpiryLogged when old's expiry was logged and
// c would log it again or drop the mark, ErrConsentBlocked when a refusal
// blocks c or a withdrawal supersedes it (a new ID only). Both
// stores call it inside the transaction that writes c, so no race revives a
// consent.
func CheckConsentWrite(c, old *Consent, refusals []*Consent) error {
	if old == nil && !c.Final() {
		// A new ID: a withdrawn grant sent again with a field changed
		// (expiry, evidence) has one, and finality by ID cannot see it.
		for _, w := range refusals {
			if w.Supersedes(c) {
				return &Error{Code: ECONFLICT, Message: "consent " + c.ID + " is dated at or before the withdrawal of its subject's consent " + w.ID + " for the same purpose", Err: ErrConsentBlocked}
			}
		}
	}
	if old != nil && old.Final() {
		if !c.Final() || c.Refused != old.Refused || !sameTime(c.WithdrawnAt, old.WithdrawnAt) {
			return &Error{Code: ECONFLICT, Message: "consent " + c.ID + " was " + string(old.State(time.Time{})) + ": that is final", Err: ErrConsentFinal}
		}
	}
	if old != nil && old.ExpiryLoggedAt != nil && (c.ExpiryLoggedAt == nil || !c.Final()) {
		// Two sweeps raced: the first logged the expiry; the second must
		// not log it again (only a sweep writes a consent that is not
		// final over a logged expiry), nor may anyone drop the mark.
		return &Error{Code: ECONFLICT, Message: "consent " + c.ID + ": its expiry is already logged", Err: ErrExpiryLogged}
	}
	for _, r := range refusals {
		if r.Blocks(c) && !c.Final() {
			return &Error{Code: ECONFLICT, Message: "consent " + c.ID + " is dated at or before a refusal by its subject (refusal " + r.ID + ")", Err: ErrConsentBlocked}
		}
	}
	return nil
}

// Supersedes reports whether c, a withdrawn grant, refuses the new grant g:
// same subject, same purpose (spaces and case aside), g dated at or before
// the withdrawal. Such a g is the withdrawn grant coming back with a field
// changed (a re-sync from another system), not the subject consenting
// again, which is dated after the withdrawal. Only new consents are checked
// (CheckConsentWrite), so grants stored before the withdrawal are untouched.
func (c *Consent) Supersedes(g *Consent) bool {
	return c != nil && g != nil && !c.Refused && c.WithdrawnAt != nil && !g.Refused && c.ID != g.ID &&
		c.Subject == g.Subject && strings.EqualFold(strings.Join(strings.Fields(c.Purpose), " "), strings.Join(strings.Fields(g.Purpose), " ")) &&
		!g.GrantedAt.After(*c.WithdrawnAt)
}

func sameTime(a, b *time.Time) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.Equal(*b)
}

// Errors a consent write is refused with (wrapped in an ECONFLICT *Error).
var (
	// ErrConsentFinal: the consent was withdrawn or refused; writing it
	// again, live, would revive it.
	ErrConsentFinal = errors.New("consent was withdrawn or refused, which is final")
	// ErrConsentBlocked: the subject refused consent at or after the grant's
	// date (PIPL Art. 27).
	ErrConsentBlocked = errors.New("the subject refused consent after this grant's date")
	// ErrExpiryLogged: another sweep already logged the consent's expiry.
	ErrExpiryLogged = errors.New("the consent's expiry is already logged")
)

// ConsentStore is the consent ledger's storage. Writes never revive a
// consent: see CheckConsentWrite.
type ConsentStore interface {
	// PutConsent is PutConsents of one consent.
	PutConsent(ctx context.Context, c *Consent) error
	// PutConsents is PutConsentsLogged without log entries.
	PutConsents(ctx context.Context, cs []*Consent) error
	// PutConsentsLogged stores consents (inserting, or replacing by ID) and
	// appends entries to the provenance log, in one transaction: all or
	// none. It checks each consent with CheckConsentWrite against the
	// stored consent of its ID and the stored refusals of its subject
	// inside that transaction, serialised with other consent writes, and
	// fails with an ECONFLICT *Error wrapping ErrConsentFinal,
	// ErrExpiryLogged or ErrConsentBlocked, writing nothing. Returns EINVALID for a consent
	// without ID or subject.
	PutConsentsLogged(ctx context.Context, cs []*Consent, entries [][]byte) error
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
