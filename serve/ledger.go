package serve

import (
	"context"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// Ledger is every consent change the server makes. It is the one write path
// for consents: the server validates nothing itself. Actor is the label of
// the token that asked, for the record of who changed what.
type Ledger interface {
	// Grant validates g and stores its consent. A grant that breaks consent
	// rules returns consent.Errors (or a *consent.RuleError) naming each.
	Grant(ctx context.Context, g consent.Grant, actor string) (*scruple.Consent, error)
	// Withdraw withdraws consent id at once and purges the values it kept,
	// returning how many records were purged. ENOTFOUND for an unknown id.
	Withdraw(ctx context.Context, id string, actor string) (int, error)
	// Refuse records that the subject named by (t, raw) refused consent and
	// purges their kept values; raw is only normalised and HMAC'd.
	Refuse(ctx context.Context, t pii.Type, raw string, actor string) (*scruple.Consent, int, error)
	// Subject returns the HMAC naming the subject (t, raw), or a
	// *consent.RuleError when raw is not a valid identifier of type t.
	Subject(t pii.Type, raw string) (string, error)
}

// StoreLedger is the Ledger over a store and the data directory's consent
// key, with the rules of package consent and the purge of package decide:
// what `scruple consent grant|withdraw|refuse` does.
type StoreLedger struct {
	// Store holds consents and records.
	Store scruple.Store
	// Key is the consent HMAC key (consent.LoadOrCreateKey).
	Key []byte
	// MaxTTL is the longest consent accepted (0: consent.DefaultMaxTTL).
	MaxTTL time.Duration
	// Info names the software and policy in purge entries.
	Info provenance.BuildInfo
	// Now is the clock (default time.Now).
	Now func() time.Time
}

func (l *StoreLedger) now() time.Time {
	if l.Now != nil {
		return l.Now().UTC()
	}
	return time.Now().UTC()
}

// Grant implements Ledger.
func (l *StoreLedger) Grant(ctx context.Context, g consent.Grant, actor string) (*scruple.Consent, error) {
	// Evidence comes as a digest over the API: a file path would let a
	// client make the server read its own files.
	g.EvidenceFile = ""
	if err := consent.Validate(g, l.now(), l.MaxTTL); err != nil {
		return nil, err
	}
	c, err := g.Consent(l.Key)
	if err != nil {
		return nil, err
	}
	if err := l.Store.PutConsent(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

// Withdraw implements Ledger.
func (l *StoreLedger) Withdraw(ctx context.Context, id string, actor string) (int, error) {
	c, err := l.Store.Consent(ctx, id)
	if err != nil {
		return 0, err
	}
	now := l.now()
	consent.Withdraw(c, now)
	if err := l.Store.PutConsent(ctx, c); err != nil {
		return 0, err
	}
	return decide.Purge(ctx, l.Store, c, provenance.KindWithdrawal, now, l.Info)
}

// Refuse implements Ledger.
func (l *StoreLedger) Refuse(ctx context.Context, t pii.Type, raw string, actor string) (*scruple.Consent, int, error) {
	now := l.now()
	c, err := consent.Refuse(l.Key, t, raw, now)
	if err != nil {
		return nil, 0, err
	}
	if err := l.Store.PutConsent(ctx, c); err != nil {
		return nil, 0, err
	}
	n, err := decide.Purge(ctx, l.Store, c, provenance.KindRefusal, now, l.Info)
	return c, n, err
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
