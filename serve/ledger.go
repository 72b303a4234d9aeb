package serve

import (
	"context"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/consent/ledger"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// Actor is the token that asked for a change: its label and id, which the
// change's api log entry records (provenance.KindAPI).
type Actor struct {
	Label, TokenID string
}

// Ledger is every consent change the server makes. It is the one write path
// for consents: the server validates nothing itself. Each change is logged
// with an api entry naming actor, in the same store transaction as the
// change itself, so that no crash keeps a change and loses who made it.
type Ledger interface {
	// Grant validates g and stores its consent. A grant that breaks consent
	// rules returns consent.Errors (or a *consent.RuleError) naming each.
	// Granting a consent the ledger holds live again changes nothing and
	// logs nothing: it returns the stored consent and created false.
	Grant(ctx context.Context, g consent.Grant, actor Actor) (c *scruple.Consent, created bool, err error)
	// Withdraw withdraws consent id at once and purges the values it kept,
	// returning how many records were purged. ENOTFOUND for an unknown id.
	Withdraw(ctx context.Context, id string, actor Actor) (int, error)
	// Refuse records that the subject named by (t, raw) refused consent and
	// purges their kept values; raw is only normalised and HMAC'd.
	Refuse(ctx context.Context, t pii.Type, raw string, actor Actor) (*scruple.Consent, int, error)
	// Subject returns the HMAC naming the subject (t, raw), or a
	// *consent.RuleError when raw is not a valid identifier of type t.
	Subject(t pii.Type, raw string) (string, error)
}

// StoreLedger is the Ledger over a store and the data directory's consent
// key: package consent/ledger, the one write path for consent events, which
// `scruple consent grant|withdraw|refuse` use too. Its refusals are
// *ledger.Error values (rule errors unwrap to consent.Errors; a withdrawn,
// refused or blocked consent is a conflict naming its rule).
type StoreLedger struct {
	// Store holds consents and records.
	Store scruple.Store
	// Key is the consent HMAC key (consent.LoadOrCreateKey).
	Key []byte
	// MaxTTL is the longest consent accepted (0: consent.DefaultMaxTTL).
	MaxTTL time.Duration
	// Info names the software and policy in log entries.
	Info provenance.BuildInfo
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// ledger returns the consent ledger whose every event carries actor's api
// entry in its own transaction (ledger.Options.Also).
func (l *StoreLedger) ledger(actor Actor) *ledger.Ledger {
	info := l.Info
	return ledger.New(l.Store, ledger.Options{Key: l.Key, Now: l.Now, MaxTTL: l.MaxTTL, Info: info,
		Also: func(kind string, c *scruple.Consent, at time.Time) []provenance.Entry {
			a := provenance.APIAction{Action: kind, Label: actor.Label, TokenID: actor.TokenID}
			return []provenance.Entry{provenance.NewAPIEntry(a, c.ID, at, info)}
		}})
}

// Grant implements Ledger.
func (l *StoreLedger) Grant(ctx context.Context, g consent.Grant, actor Actor) (*scruple.Consent, bool, error) {
	// Evidence comes as a digest over the API: a file path would let a
	// client make the server read its own files.
	g.EvidenceFile = ""
	res, err := l.ledger(actor).Grant(ctx, g)
	if err != nil {
		return nil, false, err
	}
	return res.Consent, !res.Unchanged, nil
}

// Withdraw implements Ledger.
func (l *StoreLedger) Withdraw(ctx context.Context, id string, actor Actor) (int, error) {
	res, err := l.ledger(actor).Withdraw(ctx, id, time.Time{})
	if err != nil {
		return 0, err
	}
	return res.Purged, nil
}

// Refuse implements Ledger.
func (l *StoreLedger) Refuse(ctx context.Context, t pii.Type, raw string, actor Actor) (*scruple.Consent, int, error) {
	res, err := l.ledger(actor).Refuse(ctx, t, raw, time.Time{})
	if err != nil {
		return nil, 0, err
	}
	return res.Consent, res.Purged, nil
}

// Subject implements Ledger.
func (l *StoreLedger) Subject(t pii.Type, raw string) (string, error) {
	v, err := consent.Normalise(t, raw)
	if err != nil {
		return "", &consent.RuleError{Field: "subject", Msg: err.Error()}
	}
	return consent.SubjectHMAC(l.Key, t, v), nil
}

var _ Ledger = (*StoreLedger)(nil)
