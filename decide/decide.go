// Package decide turns the personal information found on a page into what may
// be stored: it runs the detector on a page's text and title, applies the
// actions of a policy to each finding, and returns the redacted text with the
// findings' spans in it. Nothing raw leaves this package unless an action
// says keep.
//
// Until a policy file is given, the built-in rules are the ones DESIGN §3 and
// the PI issue set as the floor: credentials (JR/T 0171 C3) and PIPL
// sensitive types are redacted; other personal information is kept;
// organisation codes are kept.
package decide

import (
	"net/url"
	"strings"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
)

// Action is what is done with a finding.
type Action string

// Actions.
const (
	Redact Action = "redact"
	Keep   Action = "keep"
)

// Rules decides an action for one finding. It is the seam where the policy
// and consent ledger plug in.
type Rules interface {
	Action(f pii.Finding) Action
}

// DefaultRules redacts C3 and PIPL-sensitive findings and keeps the rest.
type DefaultRules struct{}

// Action implements Rules.
func (DefaultRules) Action(f pii.Finding) Action {
	if f.Level == pii.C3 || f.Sensitive {
		return Redact
	}
	return Keep
}

// Decider applies a detector and rules to pages and URLs. It is safe for
// concurrent use (the detector is).
type Decider struct {
	det    *pii.Detector
	urlDet *pii.Detector
	rules  Rules
}

// New builds a Decider over a detector for page text; nil rules mean
// DefaultRules.
func New(det *pii.Detector, rules Rules) *Decider {
	if rules == nil {
		rules = DefaultRules{}
	}
	return &Decider{det: det, urlDet: pii.New(pii.Options{Types: urlTypes}), rules: rules}
}

// Page is the decided, storable form of a page.
type Page struct {
	Title, Text string
	// Findings are positioned in Text (Field "") or Title (Field "title").
	Findings []scruple.Finding
	// Signals are the page-level signals of the text.
	Signals pii.Signals
}

// Page decides a page's title and text.
func (d *Decider) Page(title, text string) Page {
	var p Page
	var tf []scruple.Finding
	p.Text, p.Findings, p.Signals = d.apply(text, "")
	p.Title, tf, _ = d.apply(title, "title")
	p.Findings = append(p.Findings, tf...)
	return p
}

// apply scans s and rewrites it: redacted findings become typed masks
// ("[cn_mobile]"), kept ones stay, and every finding's span is given in the
// rewritten string.
func (d *Decider) apply(s, field string) (string, []scruple.Finding, pii.Signals) {
	if s == "" {
		return s, nil, pii.Signals{}
	}
	fs, sig := d.det.ScanString(s)
	if len(fs) == 0 {
		return s, nil, sig
	}
	var b strings.Builder
	b.Grow(len(s) + 8*len(fs))
	out := make([]scruple.Finding, 0, len(fs))
	last := 0
	for _, f := range fs { // sorted, non-overlapping (pii guarantees it)
		if f.Start < last || f.End > len(s) {
			continue
		}
		b.WriteString(s[last:f.Start])
		act := d.rules.Action(f)
		start := b.Len()
		if act == Keep {
			b.WriteString(s[f.Start:f.End])
		} else {
			b.WriteString("[" + string(f.Type) + "]")
		}
		out = append(out, scruple.Finding{
			Type: string(f.Type), Start: start, End: b.Len(), Level: string(f.Level),
			Sensitive: f.Sensitive, Confidence: f.Confidence, Action: string(act), Field: field,
		})
		last = f.End
	}
	b.WriteString(s[last:])
	return b.String(), out, sig
}

// urlTypes are the identifiers that make a URL personal data: a link to
// /user/110105194912310021 or ?phone=13812345678 is not followed, and
// wherever such a URL is stored or logged its values are masked. Names and
// addresses need context a URL does not have, so they are not checked here.
var urlTypes = []pii.Type{
	"cn_resident_id", "cn_resident_id_15", "cn_mobile", "bank_card", "credential",
	"cn_passport", "cn_permit_hkmo", "hk_id", "tw_id", "email", "iban", "us_ssn",
}

// URL reports whether raw carries personal identifiers, and returns it with
// them masked. Percent-encoded values are decoded for the check, so
// ?mail=a%40b.cn is caught too.
func (d *Decider) URL(raw string) (masked string, personal bool) {
	if m, ok := d.maskURL(raw); ok {
		return m, true
	}
	if strings.Contains(raw, "%") {
		if dec, err := url.PathUnescape(raw); err == nil && dec != raw {
			if m, ok := d.maskURL(dec); ok {
				return m, true
			}
		}
	}
	return raw, false
}

func (d *Decider) maskURL(raw string) (string, bool) {
	fs, _ := d.urlDet.ScanString(raw)
	var b strings.Builder
	last, personal := 0, false
	for _, f := range fs {
		if !f.Personal || f.Start < last {
			continue
		}
		personal = true
		b.WriteString(raw[last:f.Start])
		b.WriteString("[" + string(f.Type) + "]")
		last = f.End
	}
	if !personal {
		return raw, false
	}
	b.WriteString(raw[last:])
	return b.String(), true
}
