package decide

import (
	"fmt"
	"sync/atomic"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/policy"
)

// PolicyRules decide by a policy and the consent ledger: a finding is kept raw
// only if the policy says keep, or keep-with-consent and a live consent covers
// the subject, the type and the crawl's purpose (with separate consent for
// sensitive types and a guardian's for a minor's data). Everything else is
// redacted; C3 always is.
type PolicyRules struct {
	pol     *policy.Policy
	key     []byte
	purpose string
	now     func() time.Time
	idx     atomic.Pointer[consent.Index]
}

// NewPolicyRules builds rules over a policy, the data directory's consent key,
// and the crawl's declared purpose ("" means no consent can apply). Call
// SetConsents to load the ledger; until then nothing is covered.
func NewPolicyRules(pol *policy.Policy, key []byte, purpose string, now func() time.Time) *PolicyRules {
	if now == nil {
		now = time.Now
	}
	r := &PolicyRules{pol: pol, key: key, purpose: purpose, now: now}
	r.idx.Store(consent.NewIndex(nil))
	return r
}

// SetConsents replaces the consent index (the crawler reloads it while it
// runs, so a withdrawal takes effect for pages fetched afterwards).
func (r *PolicyRules) SetConsents(cs []*scruple.Consent) { r.idx.Store(consent.NewIndex(cs)) }

// Policy returns the policy in force.
func (r *PolicyRules) Policy() *policy.Policy { return r.pol }

// Finding implements Rules.
func (r *PolicyRules) Finding(f pii.Finding, sig pii.Signals) Verdict {
	switch r.pol.ActionOnPage(f, sig) {
	case policy.Keep:
		return Verdict{Action: Keep}
	case policy.KeepWithConsent:
		if r.key == nil || r.purpose == "" || f.Subject == "" {
			return Verdict{Action: Redact}
		}
		subj := consent.SubjectHMAC(r.key, f.Type, f.Subject)
		// Covers leaves out grants a refusal blocks (PIPL Art. 27).
		if id, ok := r.idx.Load().Covers(subj, f.Type, r.purpose, r.now(), f.Sensitive, sig.Minor); ok {
			return Verdict{Action: Keep, Consent: id, Subject: subj}
		}
	}
	return Verdict{Action: Redact}
}

// Page implements Rules.
func (r *PolicyRules) Page(sig pii.Signals) (bool, string) {
	act, reason := r.pol.PageAction(sig)
	if act == policy.DropPage {
		if reason == "" {
			reason = "policy: drop-page"
		}
		return true, fmt.Sprintf("dropped: %s", reason)
	}
	return false, ""
}
