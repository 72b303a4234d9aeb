package report

import (
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// The consent adapter: the only place that knows how consent events are
// spelled in the log. The log writes "withdrawal", "refusal" and "expiry"
// events (kind, consent id, reason, at) and "purge" entries; the consent
// lifecycle adds "grant" and "import" entries carrying the consent's terms
// (under "terms"), refusals and "sweep" entries listing the consents they
// ended ("ended"). When their schema changes, change this file.

// eventKinds maps a log entry kind to the report's event kind.
var eventKinds = map[string]string{
	provenance.KindWithdrawal: "withdrawal", "withdraw": "withdrawal", "consent_withdrawn": "withdrawal",
	provenance.KindRefusal: "refusal", "refuse": "refusal", "consent_refused": "refusal",
	provenance.KindExpiry: "expiry", "expire": "expiry", "consent_expired": "expiry",
	"grant": "grant", "import": "grant", "consent_granted": "grant", "consent": "grant",
	"sweep": "sweep",
}

// consentTerms are a consent's terms as an event carries them: the JSON
// names of scruple.Consent (which grant entries and consent.Grant share).
// The subject's HMAC may be among them; the report never shows it.
type consentTerms = scruple.Consent

func termsEmpty(t *consentTerms) bool {
	return len(t.Types) == 0 && t.Purpose == "" && t.Processor == "" && len(t.Recipients) == 0 && t.ExpiresAt.IsZero()
}

// consentEvent is one consent event as the report sees it.
type consentEvent struct {
	kind, id, reason string
	at               time.Time
	terms            *consentTerms
	// ended lists the consents a refusal or a sweep ended.
	ended []string
}

// adaptConsentEvent reads a log entry of a consent kind. The terms may sit
// at the top level, under "terms", or be the "consent" field itself.
func adaptConsentEvent(kind string, line []byte) (consentEvent, bool) {
	k, ok := eventKinds[kind]
	if !ok {
		return consentEvent{}, false
	}
	var raw struct {
		consentTerms
		Consent   json.RawMessage `json:"consent"`
		ConsentID string          `json:"consent_id"`
		Terms     *consentTerms   `json:"terms"`
		At        time.Time       `json:"at"`
		Reason    string          `json:"reason"`
		Ended     []string        `json:"ended"`
	}
	if json.Unmarshal(line, &raw) != nil {
		return consentEvent{}, false
	}
	ev := consentEvent{kind: k, id: raw.ConsentID, reason: raw.Reason, at: raw.At, ended: raw.Ended}
	if len(raw.Consent) > 0 && raw.Consent[0] == '"' {
		json.Unmarshal(raw.Consent, &ev.id)
	} else if len(raw.Consent) > 0 && raw.Consent[0] == '{' {
		var t consentTerms
		if json.Unmarshal(raw.Consent, &t) == nil {
			ev.terms = &t
		}
	}
	switch {
	case raw.Terms != nil:
		ev.terms = raw.Terms
	case ev.terms == nil && !termsEmpty(&raw.consentTerms):
		ev.terms = &raw.consentTerms
	}
	if ev.id == "" && ev.terms != nil {
		ev.id = ev.terms.ID
	}
	if ev.id == "" {
		ev.id = raw.ID
	}
	return ev, true
}

// consent returns the report's entry for a consent id, creating it.
func (a *aggregator) consent(id string) *Consent {
	c := a.consents[id]
	if c == nil {
		c = &Consent{ID: id, Anchor: "c-" + anchorSafe(id), Index: -1, Status: "unknown"}
		a.consents[id] = c
		if a.settled {
			a.applyLedger(c)
			c.Status = consentStatus(c, a.settledAt)
		}
	}
	return c
}

func (a *aggregator) consentEvent(idx int64, ev consentEvent) {
	a.addEvent(Event{Index: idx, Kind: ev.kind, At: ev.at, Consent: ev.id, Reason: ev.reason})
	switch ev.kind {
	case "grant":
		if ev.id != "" && ev.terms != nil {
			a.consent(ev.id).setTerms(ev.terms, "log", idx)
		}
	case "withdrawal":
		if ev.id != "" {
			a.consent(ev.id).WithdrawnAt = ev.at
		}
	case "expiry":
		if ev.id != "" {
			a.consent(ev.id).ExpiredAt = ev.at
		}
	case "refusal":
		// A refusal names the consents of its subject it ended; an older
		// log names the refused consent itself.
		ids := ev.ended
		if len(ids) == 0 && ev.id != "" {
			ids = []string{ev.id}
		}
		for _, id := range ids {
			a.consent(id).RefusedAt = ev.at
		}
	case "sweep":
		for _, id := range ev.ended {
			if c := a.consent(id); c.WithdrawnAt.IsZero() && c.RefusedAt.IsZero() && c.ExpiredAt.IsZero() {
				c.ExpiredAt = ev.at
			}
		}
	}
}

func (c *Consent) setTerms(t *consentTerms, source string, idx int64) {
	c.Known, c.Source, c.Index = true, source, idx
	c.SubjectType, c.Types, c.Purpose, c.Processor = t.SubjectType, t.Types, t.Purpose, t.Processor
	c.Recipients, c.Method, c.Evidence = t.Recipients, t.Method, t.Evidence
	c.Separate, c.Guardian, c.GrantedAt, c.ExpiresAt = t.Separate, t.Guardian, t.GrantedAt.UTC(), t.ExpiresAt.UTC()
}

// ledgerConsent takes one consent of a live store's ledger: its terms fill
// in what the log does not carry (marked as the ledger's).
func (a *aggregator) ledgerConsent(sc *scruple.Consent) error {
	if a.ledger == nil {
		a.ledger = map[string]*scruple.Consent{}
	}
	cp := *sc
	a.ledger[sc.ID] = &cp
	return nil
}

// applyLedger fills the terms of consents the log mentions from the ledger.
func (a *aggregator) applyLedger(c *Consent) {
	sc := a.ledger[c.ID]
	if sc == nil {
		return
	}
	if !c.Known {
		c.setTerms(sc, "ledger", -1)
	}
	if sc.WithdrawnAt != nil && c.WithdrawnAt.IsZero() {
		if sc.Refused {
			c.RefusedAt = sc.WithdrawnAt.UTC()
		} else {
			c.WithdrawnAt = sc.WithdrawnAt.UTC()
		}
	}
}

// settleConsents fixes each consent's status at the bundle's time (the end
// of the log, or the manifest's creation), before the records pass checks
// kept values against them.
func (a *aggregator) settleConsents() {
	at := a.to
	if a.manifest != nil && a.manifest.CreatedAt.After(at) {
		at = a.manifest.CreatedAt
	}
	a.settled, a.settledAt = true, at
	for _, c := range a.consents {
		a.applyLedger(c)
		c.Status = consentStatus(c, at)
	}
}

func consentStatus(c *Consent, at time.Time) string {
	switch {
	case !c.RefusedAt.IsZero():
		return "refused"
	case !c.WithdrawnAt.IsZero():
		return "withdrawn"
	case !c.ExpiredAt.IsZero():
		return "expired"
	case !c.Known:
		return "unknown"
	case !c.ExpiresAt.IsZero() && !at.Before(c.ExpiresAt):
		return "expired"
	}
	return "live"
}

// termsProblems lists the consent rules a consent's terms break (blanket
// consent: wildcard types, vague purpose, unnamed recipients, no expiry,
// sensitive without separate consent), checked by package consent's own
// rules. Rules about the raw subject do not apply here: the subject is never
// in a bundle.
func termsProblems(c *Consent) []string {
	recipients := c.Recipients
	if len(recipients) == 0 {
		// A stored consent keeps no "none": its grant was checked to name
		// every recipient or none, so an empty list is "none".
		recipients = []string{"none"}
	}
	g := consent.Grant{SubjectType: pii.Type(c.SubjectType), Purpose: c.Purpose, Processor: c.Processor,
		Recipients: recipients, Method: c.Method, Evidence: c.Evidence, GrantedAt: c.GrantedAt,
		ExpiresAt: c.ExpiresAt, Separate: c.Separate, Guardian: c.Guardian}
	for _, t := range c.Types {
		g.Types = append(g.Types, pii.Type(t))
	}
	err := consent.Validate(g, c.GrantedAt, 0)
	var es consent.Errors
	if !errors.As(err, &es) {
		return nil
	}
	var out []string
	for _, e := range es {
		var re *consent.RuleError
		if !errors.As(e, &re) {
			continue
		}
		switch {
		case re.Field == "subject" || re.Field == "subject_type" || re.Field == "guardian":
			continue // about the raw subject, which the bundle never holds
		case re.Field == "types" && strings.Contains(re.Msg, "subject's own type") && c.SubjectType == "":
			continue
		}
		out = append(out, re.Field+": "+re.Msg)
	}
	return out
}

// sortedConsents lists consents by first kept value or event: known ones
// first, then by id.
func (a *aggregator) sortedConsents() []*Consent {
	out := make([]*Consent, 0, len(a.consents))
	for _, c := range a.consents {
		out = append(out, c)
	}
	largestFirst(out, func(c *Consent) (int64, string) { return c.KeptNow, c.ID })
	return out
}

// anchorSafe keeps an id usable as an HTML id.
func anchorSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return truncate(b.String(), 80)
}
