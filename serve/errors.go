package serve

import (
	"encoding/json"
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/consent/ledger"
)

// FieldError is one entry of an error response: the request field at fault
// ("" for the request as a whole), a stable rule id a client can switch on,
// and a message for a person. Messages never hold a submitted value.
type FieldError struct {
	Field   string `json:"field"`
	Rule    string `json:"rule"`
	Message string `json:"message"`
}

// errorBody is every error response: {"errors":[...]}.
type errorBody struct {
	Errors []FieldError `json:"errors"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(true)
	_ = enc.Encode(v)
}

func writeErrors(w http.ResponseWriter, status int, errs ...FieldError) {
	writeJSON(w, status, errorBody{Errors: maskErrors(errs)})
}

// maskErrors masks any personal value an error message quotes. The rules
// quote typed text masked already; this holds for every other message too.
func maskErrors(errs []FieldError) []FieldError {
	out := make([]FieldError, len(errs))
	for i, e := range errs {
		e.Message = maskText(e.Message)
		out[i] = e
	}
	return out
}

func writeError(w http.ResponseWriter, status int, field, rule, msg string) {
	writeErrors(w, status, FieldError{Field: field, Rule: rule, Message: msg})
}

// articleRe finds the PIPL article a consent rule cites, for its rule id.
var articleRe = regexp.MustCompile(`(?:PIPL )?Art\. ?(\d+)`)

// ruleErrors turns the consent rules a grant breaks into FieldErrors, one
// per rule, or reports false when err is not a rule error.
func ruleErrors(err error) ([]FieldError, bool) {
	var es consent.Errors
	if errors.As(err, &es) {
		out := make([]FieldError, 0, len(es))
		for _, e := range es {
			out = append(out, ruleError(e))
		}
		return out, true
	}
	var re *consent.RuleError
	if errors.As(err, &re) {
		return []FieldError{ruleError(re)}, true
	}
	return nil, false
}

func ruleError(e *consent.RuleError) FieldError {
	rule := "consent"
	if m := articleRe.FindStringSubmatch(e.Msg); m != nil {
		rule = "pipl_art_" + m[1]
	} else if strings.Contains(e.Msg, "JR/T 0171") {
		rule = "jrt_0171_c3"
	}
	return FieldError{Field: e.Field, Rule: rule, Message: e.Msg}
}

// conflictErrors turns the ledger's refusal of a final or blocked consent
// (a grant of a withdrawn or refused consent, a grant dated before a
// refusal of its subject, a withdrawal of a refusal) into FieldErrors
// naming its rule, or reports false for any other error.
func conflictErrors(err error) ([]FieldError, bool) {
	var le *ledger.Error
	if !errors.As(err, &le) || le.Code != scruple.ECONFLICT {
		return nil, false
	}
	out := make([]FieldError, 0, len(le.Problems))
	for _, p := range le.Problems {
		out = append(out, FieldError{Field: p.Field, Rule: p.Rule, Message: p.Message})
	}
	return out, true
}

// storeError maps a store or ledger error to a response. Internal errors are
// logged by the caller and answered without their text, which might name a
// file or a query.
func storeError(w http.ResponseWriter, err error) (internal bool) {
	if fes, ok := ruleErrors(err); ok {
		writeErrors(w, http.StatusUnprocessableEntity, fes...)
		return false
	}
	if fes, ok := conflictErrors(err); ok {
		writeErrors(w, http.StatusConflict, fes...)
		return false
	}
	var e *scruple.Error
	switch scruple.ErrorCode(err) {
	case scruple.ENOTFOUND:
		writeError(w, http.StatusNotFound, "", "not_found", "no such resource")
	case scruple.EINVALID:
		errors.As(err, &e)
		writeError(w, http.StatusUnprocessableEntity, "", "invalid", e.Message)
	case scruple.ECONFLICT:
		writeError(w, http.StatusConflict, "", "conflict", "the store is busy; retry")
	default:
		writeError(w, http.StatusInternalServerError, "", "internal", "internal error (logged on the server)")
		return true
	}
	return false
}
