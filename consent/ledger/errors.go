package ledger

import (
	"errors"
	"strings"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
)

// Rules name why the ledger refused a request, for a caller that renders
// them (an HTTP 422 body, a CLI message).
const (
	// RuleInvalid: the grant breaks a consent rule (blanket consent, a
	// missing field...); Field names the grant field.
	RuleInvalid = "invalid"
	// RuleFinal: the consent was withdrawn or refused; that is final, so it
	// cannot be granted, imported or withdrawn again (PIPL Art. 15, 27).
	RuleFinal = "final"
	// RuleBlocked: the subject refused consent at or after the grant's
	// date (PIPL Art. 27).
	RuleBlocked = "blocked"
	// RuleNotFound: no consent has that ID.
	RuleNotFound = "not_found"
)

// Problem is one reason a request was refused. Messages never hold the
// subject's raw value.
type Problem struct {
	// Field is the grant's JSON field ("recipients[1]", "expires_at"), "id"
	// for a consent ID, or "" for the request as a whole.
	Field string `json:"field,omitempty"`
	// Rule is one of the Rule* constants.
	Rule string `json:"rule"`
	// Message says what is wrong, with the PIPL article where there is one.
	Message string `json:"message"`
}

// Error is a refused ledger request: Code is scruple.EINVALID (RuleInvalid),
// ECONFLICT (RuleFinal, RuleBlocked) or ENOTFOUND (RuleNotFound). It unwraps
// to a *scruple.Error of that code (so scruple.ErrorCode maps it) and to the
// cause (consent.Errors, scruple.ErrConsentFinal, scruple.ErrConsentBlocked).
type Error struct {
	Code     string
	Problems []Problem
	Err      error
}

// Error joins the problems as field: message.
func (e *Error) Error() string {
	s := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		s[i] = p.Message
		if p.Field != "" {
			s[i] = p.Field + ": " + p.Message
		}
	}
	return strings.Join(s, "; ")
}

// Unwrap returns the application error and the cause.
func (e *Error) Unwrap() []error {
	out := []error{&scruple.Error{Code: e.Code, Message: e.Error()}}
	if e.Err != nil {
		out = append(out, e.Err)
	}
	return out
}

// Rule returns the rule of the first problem.
func (e *Error) Rule() string {
	if len(e.Problems) == 0 {
		return ""
	}
	return e.Problems[0].Rule
}

// invalid turns a consent validation error into an *Error.
func invalid(err error) *Error {
	e := &Error{Code: scruple.EINVALID, Err: err}
	var es consent.Errors
	var re *consent.RuleError
	switch {
	case errors.As(err, &es):
		for _, r := range es {
			e.Problems = append(e.Problems, Problem{Field: r.Field, Rule: RuleInvalid, Message: r.Msg})
		}
	case errors.As(err, &re):
		e.Problems = []Problem{{Field: re.Field, Rule: RuleInvalid, Message: re.Msg}}
	default:
		e.Problems = []Problem{{Rule: RuleInvalid, Message: err.Error()}}
	}
	return e
}

func finalError(id string, c *scruple.Consent) *Error {
	msg := "consent " + id + " was withdrawn or refused, which is final: it cannot come back (PIPL Art. 15, 27); a new consent needs a new grant"
	if c != nil {
		msg = "consent " + id + " was " + string(c.State(c.GrantedAt)) + ", which is final: it cannot come back (PIPL Art. 15, 27); a new consent needs a new grant"
	}
	return &Error{Code: scruple.ECONFLICT, Err: scruple.ErrConsentFinal, Problems: []Problem{{Field: "id", Rule: RuleFinal, Message: msg}}}
}

func blockedError(id string) *Error {
	return &Error{Code: scruple.ECONFLICT, Err: scruple.ErrConsentBlocked, Problems: []Problem{{Field: "granted_at", Rule: RuleBlocked,
		Message: "consent " + id + " is dated at or before a refusal by its subject (PIPL Art. 27) or the withdrawal of its subject's consent for the same purpose (Art. 15): a grant must be dated after it"}}}
}

func notFound(id string) *Error {
	return &Error{Code: scruple.ENOTFOUND, Problems: []Problem{{Field: "id", Rule: RuleNotFound, Message: "no consent " + id}}}
}

// storeConflict maps a store's refusal of a consent write to an *Error; nil
// when err is no such refusal.
func storeConflict(id string, err error) *Error {
	switch {
	case errors.Is(err, scruple.ErrConsentFinal):
		return finalError(id, nil)
	case errors.Is(err, scruple.ErrConsentBlocked):
		return blockedError(id)
	}
	return nil
}
