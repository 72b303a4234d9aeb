package consent

import (
	"slices"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
)

// Index answers, during a crawl, whether a live consent covers a finding. It
// copies the consents it is given, is immutable, and is safe for concurrent
// use; rebuild it when the ledger changes (a withdrawal takes effect at once,
// PIPL Art. 15, so a crawl rebuilds it before deciding further pages).
type Index struct {
	bySubject map[string][]scruple.Consent
	refusals  map[string][]*scruple.Consent
}

// NewIndex indexes consents by subject HMAC. A refusal (Refused set) blocks
// every grant of its subject dated at or before it (scruple.Consent.Blocks,
// PIPL Art. 27); a refusal is final, so one with WithdrawnAt set still
// blocks. A grant dated after the refusal stands: the subject changed their
// mind.
func NewIndex(consents []*scruple.Consent) *Index {
	ix := &Index{bySubject: map[string][]scruple.Consent{}, refusals: map[string][]*scruple.Consent{}}
	for _, c := range consents {
		if c != nil && c.Refused {
			cp := *c
			ix.refusals[c.Subject] = append(ix.refusals[c.Subject], &cp)
		}
	}
	for _, c := range consents {
		if c == nil || c.Refused {
			continue
		}
		cp := *c
		cp.Types = slices.Clone(c.Types)
		cp.Recipients = slices.Clone(c.Recipients)
		if cp.StateAmong(cp.GrantedAt, ix.refusals[c.Subject]) == scruple.ConsentRefused {
			continue // blocked for good
		}
		cp.Purpose = NormalisePurpose(c.Purpose)
		ix.bySubject[c.Subject] = append(ix.bySubject[c.Subject], cp)
	}
	return ix
}

// Covers reports whether a consent covers a finding of type t whose subject
// HMAC is subjectHMAC (SubjectHMAC(key, f.Type, f.Subject)), for the crawl's
// purpose at now, and returns the first such consent's ID in ledger order.
// A consent covers when it is live (not withdrawn, not refused, granted at
// or before now and expiring after it), lists t, has exactly the purpose
// (compared after NormalisePurpose), has separate consent if the data is
// sensitive (PIPL Art. 29; t's own sensitivity counts even if sensitive is
// false) and guardian consent if it belongs to a minor (Art. 31). An empty
// purpose is covered by nothing.
func (ix *Index) Covers(subjectHMAC string, t pii.Type, purpose string, now time.Time, sensitive, minor bool) (consentID string, ok bool) {
	if ix == nil {
		return "", false
	}
	p := NormalisePurpose(purpose)
	if p == "" {
		return "", false
	}
	sensitive = sensitive || pii.Info(t).Sensitive
	for i := range ix.bySubject[subjectHMAC] {
		c := &ix.bySubject[subjectHMAC][i]
		if c.Live(now, ix.refusals[subjectHMAC]) && slices.Contains(c.Types, string(t)) && c.Purpose == p &&
			(!sensitive || c.Separate) && (!minor || c.Guardian) {
			return c.ID, true
		}
	}
	return "", false
}

// Refused reports whether the subject refused consent (PIPL Art. 27) at
// some time; its values kept under grants dated before the refusal are
// purged as after a withdrawal.
func (ix *Index) Refused(subjectHMAC string) bool {
	return ix != nil && len(ix.refusals[subjectHMAC]) > 0
}

// NormalisePurpose is the form purposes are compared in: full-width ASCII
// folded to ASCII, lower-case, runs of white space collapsed to one space.
// "Order  Delivery SMS" and "order delivery sms" are the same purpose;
// anything more is a different one (consent is for the purpose named).
func NormalisePurpose(p string) string {
	p = strings.Map(func(r rune) rune {
		if r >= 0xFF01 && r <= 0xFF5E {
			return r - 0xFEE0
		}
		return r
	}, p)
	return strings.Join(strings.Fields(strings.ToLower(p)), " ")
}
