package provenance

import (
	"fmt"
	"time"
)

// KindAPI is the entry of a state change made through `scruple serve`: a
// consent granted, withdrawn or refused, a token created or revoked. It
// names who asked (the token's label and id), so the log answers "who
// withdrew this?" as well as "what was purged?". Verifiers treat it as an
// event: it vouches for no record.
const KindAPI = "api"

// NewAPIEntry builds the entry of action (e.g. "withdraw") on consent (""
// for a token change) made with the token labelled label, id tokenID.
// Labels name systems or teams, never a data subject.
func NewAPIEntry(action, consent, label, tokenID string, at time.Time, info BuildInfo) Entry {
	return Entry{Kind: KindAPI, Consent: consent, At: at.UTC(),
		Reason:        fmt.Sprintf("%s via scruple serve by token %q (%s)", action, label, tokenID),
		PolicyVersion: info.PolicyVersion, CrawlerVersion: crawlerVersion(info)}
}
