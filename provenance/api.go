package provenance

import (
	"fmt"
	"time"
)

// KindAPI is the entry of a state change made through `scruple serve`: a
// consent granted, withdrawn or refused, a token created or revoked. It
// names who asked (the token's label and id), so the log answers "who
// withdrew this?" as well as "what was purged?". A consent change's api
// entry follows the ledger's own entry in the same store transaction
// (consent/ledger Options.Also). Verifiers treat it as an event: it vouches
// for no record.
const KindAPI = "api"

// API actions on tokens; consent actions are named by the ledger entry's
// kind (KindGrant, KindWithdraw, KindRefuse, KindImport).
const (
	ActionTokenCreate = "token_create"
	ActionTokenRevoke = "token_revoke"
)

// APIAction is what an api entry records: the action and the token that
// made it. Labels name systems or teams, never a data subject.
type APIAction struct {
	// Action is a consent entry's kind (grant, withdraw, refuse, import)
	// or ActionTokenCreate / ActionTokenRevoke.
	Action string `json:"action"`
	// Label and TokenID name the token that asked.
	Label   string `json:"label"`
	TokenID string `json:"token_id"`
	// Target is the token created or revoked; Role the created token's.
	Target string `json:"target,omitempty"`
	Role   string `json:"role,omitempty"`
}

// CLILabel is the label of a token change made with `scruple serve token`
// on the command line: no token asked, whoever can write the data
// directory or the database did.
const CLILabel = "command line"

// NewAPIEntry builds the api entry of a (on consent; "" for a token change).
func NewAPIEntry(a APIAction, consent string, at time.Time, info BuildInfo) Entry {
	what := a.Action
	if a.Target != "" {
		what += " " + a.Target
	}
	reason := fmt.Sprintf("%s via scruple serve by token %q (%s)", what, a.Label, a.TokenID)
	if a.TokenID == "" && a.Label == CLILabel {
		reason = what + " via the scruple command line"
	}
	return Entry{Kind: KindAPI, Consent: consent, At: at.UTC(), API: &a,
		Reason:        reason,
		PolicyVersion: info.PolicyVersion, CrawlerVersion: crawlerVersion(info)}
}
