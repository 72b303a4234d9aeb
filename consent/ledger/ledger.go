// Package ledger is the single write path for consent events: grant, import,
// withdraw, refuse and sweep (expiry). Every event is written with its
// provenance log entry in one store transaction, the store refuses any
// write that would revive a withdrawn or refused consent
// (scruple.CheckConsentWrite), and the values an ended consent kept are
// purged through decide.Purge. The CLI, the crawler and the HTTP API all go
// through a Ledger; nothing else writes consents. See package consent's
// documentation for the lifecycle.
package ledger

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// Store is what the ledger needs of a store: the consents, the records it
// purges and the provenance log. scruple.Store satisfies it.
type Store interface {
	scruple.ConsentStore
	scruple.RecordUpdater
	scruple.ProvenanceLog
}

// Options configure a Ledger.
type Options struct {
	// Key is the consent HMAC key (consent.LoadOrCreateKey). Grant, Import
	// and Refuse need it; Withdraw and Sweep do not.
	Key []byte
	// Now is the clock; nil means time.Now. Tests inject a fake one.
	Now func() time.Time
	// MaxTTL is the longest grant accepted; <= 0 means consent.DefaultMaxTTL.
	MaxTTL time.Duration
	// Info names the software and policy in the log entries.
	Info provenance.BuildInfo
}

// Ledger writes consent events to a store. It holds no mutable state and is
// safe for concurrent use; several processes may run ledgers on one store
// (the store serialises consent writes).
type Ledger struct {
	st  Store
	opt Options
}

// New returns a ledger on st.
func New(st Store, opt Options) *Ledger {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.MaxTTL <= 0 {
		opt.MaxTTL = consent.DefaultMaxTTL
	}
	return &Ledger{st: st, opt: opt}
}

func (l *Ledger) now() time.Time { return l.opt.Now().UTC() }

// Result is what a grant, withdrawal or refusal did.
type Result struct {
	// Consent is the consent as stored.
	Consent *scruple.Consent
	// Unchanged is set when the ledger already held the event: the same
	// live grant, or a consent already withdrawn. Nothing was logged.
	Unchanged bool
	// Ended lists the grants a refusal ended (its subject's grants dated at
	// or before it).
	Ended []string
	// Purged counts the records rewritten to remove values the consent kept.
	Purged int
}

// Grant validates g at the ledger's now and stores its consent with a grant
// entry. Granting a consent the ledger holds live again changes nothing
// (Unchanged). It returns an *Error: RuleInvalid for a grant that breaks a
// consent rule, RuleFinal for a grant whose consent (same ID: same terms and
// dates) was withdrawn or refused, RuleBlocked for a grant dated at or
// before a refusal of its subject.
func (l *Ledger) Grant(ctx context.Context, g consent.Grant) (*Result, error) {
	now := l.now()
	if err := g.HashEvidence(); err != nil {
		return nil, invalid(err)
	}
	if err := consent.Validate(g, now, l.opt.MaxTTL); err != nil {
		return nil, invalid(err)
	}
	c, err := g.Consent(l.opt.Key)
	if err != nil {
		return nil, invalid(err)
	}
	old, err := l.st.Consent(ctx, c.ID)
	switch {
	case scruple.ErrorCode(err) == scruple.ENOTFOUND:
	case err != nil:
		return nil, err
	case old.Final():
		return nil, finalError(c.ID, old)
	default:
		return &Result{Consent: old, Unchanged: true}, nil
	}
	e := provenance.NewConsentEntry(provenance.KindGrant, c, "consent granted", now, nil, l.opt.Info)
	if err := l.st.PutConsentsLogged(ctx, []*scruple.Consent{c}, [][]byte{e.Marshal()}); err != nil {
		if ce := storeConflict(c.ID, err); ce != nil {
			return nil, ce
		}
		return nil, err
	}
	return &Result{Consent: c}, nil
}

// ImportResult is what an import did.
type ImportResult struct {
	// Imported are the consents written, in line order.
	Imported []*scruple.Consent
	// Unchanged are lines whose consent the ledger already held live.
	Unchanged []*scruple.Consent
	// Bad are the refused lines, in line order: parse and rule errors, and
	// *Error (RuleFinal, RuleBlocked) for grants the ledger refuses.
	Bad []consent.LineError
}

// importAttempts bounds the retries of an import whose write lost a race
// with another consent command (the store refused it whole; the next
// attempt reports the line that lost as bad).
const importAttempts = 4

// Import reads grants as JSON Lines (consent.ParseJSONL) and stores the good
// ones, each with an import entry, in one transaction. A line whose consent
// was withdrawn or refused, or is dated at or before a refusal of its
// subject, is a bad line: a re-import never revives a consent. The error is
// for the store failing, not for bad lines.
func (l *Ledger) Import(ctx context.Context, r io.Reader) (*ImportResult, error) {
	now := l.now()
	lines, bad := consent.ParseJSONLLines(r, l.opt.Key, now, l.opt.MaxTTL)
	for attempt := 1; ; attempt++ {
		res := &ImportResult{Bad: slices.Clone(bad)}
		byID, refusals, err := l.snapshot(ctx)
		if err != nil {
			return nil, err
		}
		var cs []*scruple.Consent
		var entries [][]byte
		for _, ln := range lines {
			c := ln.Consent
			if old := byID[c.ID]; old != nil {
				if old.Final() {
					res.Bad = append(res.Bad, consent.LineError{Line: ln.N, Err: finalError(c.ID, old)})
				} else {
					res.Unchanged = append(res.Unchanged, old)
				}
				continue
			}
			if blockedBy(c, refusals[c.Subject]) {
				res.Bad = append(res.Bad, consent.LineError{Line: ln.N, Err: blockedError(c.ID)})
				continue
			}
			cs = append(cs, c)
			entries = append(entries, provenance.NewConsentEntry(provenance.KindImport, c, "consent imported", now, nil, l.opt.Info).Marshal())
		}
		err = l.st.PutConsentsLogged(ctx, cs, entries)
		if err == nil {
			res.Imported = cs
			sort.SliceStable(res.Bad, func(i, j int) bool { return res.Bad[i].Line < res.Bad[j].Line })
			return res, nil
		}
		if storeConflict("", err) == nil || attempt == importAttempts {
			return nil, err
		}
	}
}

// Withdraw withdraws consent id at at (zero: now), logs it, and purges the
// values it kept (PIPL Art. 15: at once). Withdrawing a withdrawn consent
// changes nothing but purges anything a racing crawl committed since
// (Unchanged). A refusal cannot be withdrawn (RuleFinal): the subject gives a
// new grant instead. An unknown id is RuleNotFound.
func (l *Ledger) Withdraw(ctx context.Context, id string, at time.Time) (*Result, error) {
	if at.IsZero() {
		at = l.now()
	}
	at = at.UTC()
	c, err := l.st.Consent(ctx, id)
	if scruple.ErrorCode(err) == scruple.ENOTFOUND {
		return nil, notFound(id)
	}
	if err != nil {
		return nil, err
	}
	if c.Refused {
		return nil, &Error{Code: scruple.ECONFLICT, Err: scruple.ErrConsentFinal, Problems: []Problem{{Field: "id", Rule: RuleFinal,
			Message: "consent " + id + " is a refusal, which is final (PIPL Art. 27): the subject may grant a new consent instead"}}}
	}
	res := &Result{Consent: c}
	if c.WithdrawnAt == nil {
		consent.Withdraw(c, at)
		e := provenance.NewConsentEntry(provenance.KindWithdraw, c, "consent withdrawn (PIPL Art. 15)", at, nil, l.opt.Info)
		err := l.st.PutConsentsLogged(ctx, []*scruple.Consent{c}, [][]byte{e.Marshal()})
		if errors.Is(err, scruple.ErrConsentFinal) {
			// Another command withdrew it first; its withdrawal stands.
			if c, err = l.st.Consent(ctx, id); err != nil {
				return nil, err
			}
			res.Consent, res.Unchanged = c, true
		} else if err != nil {
			return nil, err
		}
	} else {
		res.Unchanged = true
	}
	if res.Unchanged {
		stale, err := l.stale(ctx, c, map[string]bool{c.ID: true})
		if err != nil || !stale {
			return res, err
		}
	}
	n, err := decide.Purge(ctx, l.st, c, provenance.KindWithdrawal, at, l.opt.Info)
	res.Purged = n
	return res, err
}

// Refuse records that the subject named by the raw identifier (of type t)
// refused consent at at (zero: now), logs it with the grants it ends (the
// subject's grants dated at or before it), and purges every value of the
// subject kept under them (PIPL Art. 27). The raw value is only normalised
// and HMACed. A repeated refusal at the same moment is Unchanged.
func (l *Ledger) Refuse(ctx context.Context, t pii.Type, raw string, at time.Time) (*Result, error) {
	if at.IsZero() {
		at = l.now()
	}
	r, err := consent.Refuse(l.opt.Key, t, raw, at)
	if err != nil {
		return nil, invalid(err)
	}
	res := &Result{Consent: r}
	// blocked are all the grants the refusal ends, ended those it ends now
	// (the others were withdrawn already); the purge covers exactly the
	// blocked ones: a grant of the subject dated after the refusal stands,
	// with its values and its data key.
	var blocked []string
	err = l.st.Consents(ctx, func(c *scruple.Consent) error {
		if r.Blocks(c) {
			blocked = append(blocked, c.ID)
			if !c.Final() {
				res.Ended = append(res.Ended, c.ID)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	e := provenance.NewConsentEntry(provenance.KindRefuse, r, "subject refused consent (PIPL Art. 27)", at, res.Ended, l.opt.Info)
	err = l.st.PutConsentsLogged(ctx, []*scruple.Consent{r}, [][]byte{e.Marshal()})
	switch {
	case errors.Is(err, scruple.ErrConsentFinal):
		res.Unchanged, res.Ended = true, nil
	case err != nil:
		return nil, err
	}
	// The grants the refusal ended lose their data keys now (PurgeRefusal
	// destroys them first), whether or not a stored record holds their
	// values: a worker that decided a page under one before it learnt of
	// the refusal then stores it masked.
	n, err := decide.PurgeRefusal(ctx, l.st, r, blocked, at, l.opt.Info)
	res.Purged = n
	return res, err
}

// SweepResult is what a sweep did.
type SweepResult struct {
	// Expired lists the consents whose expiry this sweep logged.
	Expired []string
	// Purged counts the records rewritten.
	Purged int
}

// Sweep ends what the clock ended: every consent expired at the ledger's now
// gets an expire entry (once: the consent is marked ExpiryLoggedAt) and a
// sweep entry lists them, in the same transaction as the marks. Then every
// record still holding a value kept under an ended consent (expired,
// withdrawn, refused, or blocked by a refusal: a crawl may commit a page it
// decided just before the consent ended) is purged, each purge logged. A
// sweep that finds nothing to do writes nothing. Every command that opens a
// store runs it first, and `scruple consent sweep` runs only it.
func (l *Ledger) Sweep(ctx context.Context) (*SweepResult, error) {
	now := l.now()
	var all []*scruple.Consent
	if err := l.st.Consents(ctx, func(c *scruple.Consent) error { all = append(all, c); return nil }); err != nil {
		return nil, err
	}
	refusals := map[string][]*scruple.Consent{}
	for _, c := range all {
		if c.Refused {
			refusals[c.Subject] = append(refusals[c.Subject], c)
		}
	}
	res := &SweepResult{}
	var marked []*scruple.Consent
	var entries [][]byte
	for _, c := range all {
		if c.State(now) != scruple.ConsentExpired || c.ExpiryLoggedAt != nil || blockedBy(c, refusals[c.Subject]) {
			continue
		}
		m := *c
		m.ExpiryLoggedAt = &now
		marked = append(marked, &m)
		res.Expired = append(res.Expired, c.ID)
		entries = append(entries, provenance.NewConsentEntry(provenance.KindExpire, &m, "consent expired", c.ExpiresAt, nil, l.opt.Info).Marshal())
	}
	if len(marked) > 0 {
		entries = append(entries, provenance.NewSweepEntry(res.Expired,
			fmt.Sprintf("sweep: %d consents expired", len(marked)), now, l.opt.Info).Marshal())
		if err := l.st.PutConsentsLogged(ctx, marked, entries); err != nil {
			if storeConflict("", err) == nil && !errors.Is(err, scruple.ErrExpiryLogged) {
				return nil, err
			}
			// Another sweep logged an expiry first, or a consent was
			// withdrawn meanwhile: the next sweep logs the rest.
			res.Expired = nil
		}
	}
	justExpired := map[string]bool{}
	for _, id := range res.Expired {
		justExpired[id] = true
	}
	for _, c := range all {
		kind, ids := "", map[string]bool{c.ID: true}
		switch c.StateAmong(now, refusals[c.Subject]) {
		case scruple.ConsentExpired:
			kind = provenance.KindExpiry
		case scruple.ConsentWithdrawn:
			kind = provenance.KindWithdrawal
		case scruple.ConsentRefused:
			if !c.Refused {
				continue // a blocked grant: its refusal purges it
			}
			kind = provenance.KindRefusal
			for _, g := range all {
				if c.Blocks(g) {
					ids[g.ID] = true
				}
			}
		default:
			continue
		}
		stale, err := l.stale(ctx, c, ids)
		if err != nil {
			return res, err
		}
		// A consent that just expired is purged even with nothing stored:
		// the purge destroys its data key, once, at the transition.
		if !stale && !justExpired[c.ID] {
			continue
		}
		var n int
		if kind == provenance.KindRefusal {
			delete(ids, c.ID)
			n, err = decide.PurgeRefusal(ctx, l.st, c, slices.Sorted(maps.Keys(ids)), now, l.opt.Info)
		} else {
			n, err = decide.Purge(ctx, l.st, c, kind, now, l.opt.Info)
		}
		res.Purged += n
		if err != nil {
			return res, err
		}
	}
	return res, nil
}

// stale reports whether a stored record still holds a value of c's subject
// kept under one of the consents ids. It reads; only a stale record costs a
// purge and its log entries.
func (l *Ledger) stale(ctx context.Context, c *scruple.Consent, ids map[string]bool) (bool, error) {
	stale := false
	err := l.st.RecordsWithSubject(ctx, c.Subject, func(r *scruple.Record) error {
		for _, f := range r.Findings {
			if f.Subject == c.Subject && f.Action == string(decide.Keep) && ids[f.Consent] {
				stale = true
			}
		}
		return nil
	})
	return stale, err
}

// snapshot reads the ledger: consents by ID and refusals by subject.
func (l *Ledger) snapshot(ctx context.Context) (map[string]*scruple.Consent, map[string][]*scruple.Consent, error) {
	byID := map[string]*scruple.Consent{}
	refusals := map[string][]*scruple.Consent{}
	err := l.st.Consents(ctx, func(c *scruple.Consent) error {
		byID[c.ID] = c
		if c.Refused || c.WithdrawnAt != nil {
			// withdrawn grants too: they refuse re-sent copies (Supersedes)
			refusals[c.Subject] = append(refusals[c.Subject], c)
		}
		return nil
	})
	return byID, refusals, err
}

func blockedBy(c *scruple.Consent, refusals []*scruple.Consent) bool {
	for _, r := range refusals {
		if r.Blocks(c) || r.Supersedes(c) {
			return true
		}
	}
	return false
}
