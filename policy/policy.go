// Package policy decides what scruple may keep of the personal information it
// finds: a YAML policy maps PI types and classes to actions, and page-level
// signals (bulk personal data, a minor's identity number, credentials) to
// page rules (DESIGN §3, issue 5).
//
// # Schema
//
//	version: 1                   # required; the only version is 1
//	name: default                # optional label (not part of the hash)
//	purpose-required: true       # consented values are kept only with --purpose (default true)
//	types:                       # optional per-type rules, by pii type id
//	  cn_mobile: keep-with-consent
//	classes:                     # fallbacks when no type rule applies
//	  C3: redact                 # JR/T 0171 C3 (credential): redact or drop-page only
//	  sensitive: keep-with-consent
//	  personal: keep-with-consent
//	  organisation: keep
//	signals:                     # page rules
//	  bulk: drop-page
//	  minor: keep-with-consent
//	  credential: redact
//	bulk-threshold: 10           # distinct subjects that make a page bulk (1..1000000)
//
// Actions are, from the most to the least protective: drop-page (the page is
// not stored at all), redact (the value is replaced by a typed mask),
// keep-with-consent (kept raw only if a live consent covers the subject, the
// type and the crawl's purpose, otherwise redacted), keep (kept raw: only for
// a documented lawful basis other than consent, PIPL Art. 13).
//
// # Precedence for one finding
//
//  1. C3 (credentials, JR/T 0171-2020): the type rule, else the C3 class
//     rule, which may only be redact or drop-page. Authentication data is
//     never stored, not even with consent.
//  2. The type rule, if the policy has one for the finding's type.
//  3. The first class that applies: sensitive (PIPL Art. 28), then personal,
//     then organisation (findings that do not identify a natural person:
//     cn_uscc, 400/800 business numbers).
//
// Classes left out of a file take the built-in default's rule, and so do
// signals, purpose-required and bulk-threshold: a policy file states only
// what it changes. Types without a rule fall to the classes.
//
// # Page signals
//
// PageAction turns pii.Signals into a page floor: drop-page drops the page;
// redact, keep-with-consent or keep set the least protective action any
// personal finding on the page may get (ActionOnPage combines both). Under
// the minor signal, keep-with-consent means a guardian's consent (PIPL
// Art. 31); bulk is decided by the policy's bulk-threshold over
// Signals.Subjects. The credential signal accepts only redact or drop-page.
//
// # Hash
//
// Hash is the hex SHA-256 of Canonical, a line-oriented text of the policy's
// effective decisions: for every pii type, the action a finding of that type
// gets (personal and, where the detector can report it, non-personal), the
// four class rules (for types a future detector may add), the three signal
// rules, the threshold and purpose-required. Comments, key order, quoting,
// the name and rules that restate what the classes already decide do not
// change it; any change to a decision does.
package policy

import (
	_ "embed"
	"fmt"

	"github.com/scruple/scruple/pii"
)

// Action is what the policy does with a finding or a page.
type Action string

// Actions, from the most to the least protective.
const (
	DropPage        Action = "drop-page"
	Redact          Action = "redact"
	KeepWithConsent Action = "keep-with-consent"
	Keep            Action = "keep"
)

// rank orders actions by protection: higher protects more.
func (a Action) rank() int {
	switch a {
	case DropPage:
		return 4
	case Redact:
		return 3
	case KeepWithConsent:
		return 2
	case Keep:
		return 1
	}
	return 0
}

// Valid reports whether a is one of the four actions.
func (a Action) Valid() bool { return a.rank() > 0 }

// Strictest returns the more protective of a and b; an unknown action counts
// as redact, so a corrupted value fails closed.
func Strictest(a, b Action) Action {
	if !a.Valid() {
		a = Redact
	}
	if !b.Valid() {
		b = Redact
	}
	if b.rank() > a.rank() {
		return b
	}
	return a
}

// Class is a fallback group of types.
type Class string

// Classes, in the order they are tried (C3 first: it overrides everything).
const (
	ClassC3           Class = "C3"
	ClassSensitive    Class = "sensitive"
	ClassPersonal     Class = "personal"
	ClassOrganisation Class = "organisation"
)

// Classes lists the classes in precedence order.
func Classes() []Class {
	return []Class{ClassC3, ClassSensitive, ClassPersonal, ClassOrganisation}
}

// Signal names a page-level rule.
type Signal string

// Signals.
const (
	// SignalBulk: the page holds identifiers of at least bulk-threshold
	// distinct subjects (a contact list, a leaked table).
	SignalBulk Signal = "bulk"
	// SignalMinor: the page holds the resident ID of a child under 14 (PIPL
	// Art. 28, 31).
	SignalMinor Signal = "minor"
	// SignalCredential: the page shows passwords, PINs, CVVs or one-time
	// codes (JR/T 0171 C3), which suggests a leak.
	SignalCredential Signal = "credential"
)

// Signals lists the signals in the order PageAction checks them.
func Signals() []Signal { return []Signal{SignalBulk, SignalCredential, SignalMinor} }

// Policy is a parsed, validated policy. It is immutable and safe for
// concurrent use.
type Policy struct {
	name            string
	purposeRequired bool
	bulkThreshold   int
	types           map[pii.Type]Action
	classes         map[Class]Action
	signals         map[Signal]Action
	warnings        []string
}

//go:embed default.yaml
var defaultYAML []byte

// DefaultYAML returns the text of the built-in default policy, a starting
// point for a policy file.
func DefaultYAML() []byte { return append([]byte(nil), defaultYAML...) }

// Default returns the built-in policy of DESIGN §3: C3 never stored (not even
// with consent); sensitive and general personal information redacted unless
// a consent covers it; a page of bulk personal data dropped; a minor's data
// kept only with guardian consent; PI on a page showing credentials
// redacted; organisation codes kept; --purpose required.
func Default() *Policy {
	p, err := parse(defaultYAML, "default.yaml", nil)
	if err != nil {
		panic("policy: built-in default is invalid: " + err.Error())
	}
	return p
}

// builtin returns the default's rules as the base a file is merged over.
func builtin() *Policy {
	return &Policy{
		purposeRequired: true,
		bulkThreshold:   10,
		types:           map[pii.Type]Action{},
		classes: map[Class]Action{
			ClassC3: Redact, ClassSensitive: KeepWithConsent,
			ClassPersonal: KeepWithConsent, ClassOrganisation: Keep,
		},
		signals: map[Signal]Action{
			SignalBulk: DropPage, SignalMinor: KeepWithConsent, SignalCredential: Redact,
		},
	}
}

// Name returns the policy's name (its name key, else its file name).
func (p *Policy) Name() string { return p.name }

// PurposeRequired reports whether a crawl must declare --purpose.
func (p *Policy) PurposeRequired() bool { return p.purposeRequired }

// BulkThreshold returns the number of distinct subjects that makes a page
// bulk personal data; give it to pii.Options.BulkThreshold too.
func (p *Policy) BulkThreshold() int { return p.bulkThreshold }

// TypeRule returns the explicit rule for t, if the policy has one.
func (p *Policy) TypeRule(t pii.Type) (Action, bool) {
	a, ok := p.types[t]
	return a, ok
}

// ClassRule returns the rule for a class.
func (p *Policy) ClassRule(c Class) Action { return p.classes[c] }

// SignalRule returns the rule for a page signal.
func (p *Policy) SignalRule(s Signal) Action { return p.signals[s] }

// Warnings returns the non-fatal remarks found while parsing (e.g. sensitive
// information kept without consent, which needs another legal basis).
func (p *Policy) Warnings() []string { return append([]string(nil), p.warnings...) }

// isC3 reports whether a finding is JR/T 0171 C3 authentication data, by its
// own level or its type's (so a Finding built without Level is still caught).
func isC3(f pii.Finding) bool {
	return f.Level == pii.C3 || pii.Info(f.Type).Level == pii.C3 || f.Type == pii.Credential
}

// Action returns the action for one finding, in the package's documented
// precedence: C3 rule (never keep), type rule, then the sensitive, personal
// or organisation class.
func (p *Policy) Action(f pii.Finding) Action {
	a, typed := p.types[f.Type]
	if isC3(f) {
		if !typed {
			a = p.classes[ClassC3]
		}
		// C3 is never stored, even with consent: whatever a rule says,
		// nothing below redact comes out.
		return Strictest(a, Redact)
	}
	if typed {
		return a
	}
	return p.classAction(f.Sensitive || pii.Info(f.Type).Sensitive, f.Personal)
}

func (p *Policy) classAction(sensitive, personal bool) Action {
	switch {
	case sensitive:
		return p.classes[ClassSensitive]
	case personal:
		return p.classes[ClassPersonal]
	}
	return p.classes[ClassOrganisation]
}

// PageAction returns the page floor for a page's signals and why: DropPage
// means the page is not stored; Redact, KeepWithConsent or Keep are the least
// protective action any personal finding on the page may get (Keep: no
// floor). The reason is "" when no signal applies; it never holds PI.
func (p *Policy) PageAction(sig pii.Signals) (Action, string) {
	floor, reason := Keep, ""
	consider := func(s Signal, why string) {
		// Strictly more protective only: on a tie the first signal (in
		// Signals() order) gives the reason.
		if a := p.signals[s]; a.rank() > floor.rank() {
			floor, reason = a, why+": signals."+string(s)+" is "+string(a)
		}
	}
	if sig.Subjects >= p.bulkThreshold {
		consider(SignalBulk, fmt.Sprintf("bulk personal data: %d distinct subjects (threshold %d)", sig.Subjects, p.bulkThreshold))
	}
	if sig.Credential {
		consider(SignalCredential, "credentials on the page (JR/T 0171 C3)")
	}
	if sig.Minor {
		consider(SignalMinor, "resident ID of a minor under 14 on the page (PIPL Art. 28, 31)")
	}
	return floor, reason
}

// ActionOnPage returns the action for a finding on a page with signals sig:
// the stricter of Action(f) and, for personal findings, the page floor. A
// KeepWithConsent result on a page with the minor signal needs a guardian's
// consent (consent.Index.Covers with minor set).
func (p *Policy) ActionOnPage(f pii.Finding, sig pii.Signals) Action {
	a := p.Action(f)
	if !f.Personal {
		if floor, _ := p.PageAction(sig); floor == DropPage {
			return DropPage
		}
		return a
	}
	floor, _ := p.PageAction(sig)
	return Strictest(a, floor)
}
