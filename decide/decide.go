// Package decide turns the personal information found on a page into what may
// be stored: it runs the detector on a page's text and title, applies the
// actions of a policy to each finding, and returns the redacted text with the
// findings' spans in it. Nothing raw leaves this package unless an action
// says keep.
//
// The rules come from a policy (package policy; the built-in default is
// DESIGN §3's: credentials never stored, sensitive and general personal
// information redacted unless a live consent covers the subject, the type and
// the crawl's purpose, bulk personal data drops the page, organisation codes
// kept) and the consent ledger (package consent).
package decide

import (
	"net/url"
	"strings"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/policy"
)

// Action is what was done with a finding, as recorded in a record.
type Action string

// Actions recorded in scruple.Finding.Action.
const (
	Redact Action = "redact"
	Keep   Action = "keep"
)

// Verdict is the decision for one finding.
type Verdict struct {
	Action Action
	// Consent is the consent that allowed keeping the value; Subject is the
	// subject's HMAC, stored so a withdrawal can find the value again.
	Consent, Subject string
}

// Rules decide findings and pages. PolicyRules is the implementation the
// crawler uses; the interface is the seam for other policies.
type Rules interface {
	// Finding decides one finding on a page with signals sig.
	Finding(f pii.Finding, sig pii.Signals) Verdict
	// Page says whether the whole page is to be dropped, and why.
	Page(sig pii.Signals) (drop bool, reason string)
}

// Decider applies a detector and rules to pages and URLs. It is safe for
// concurrent use (the detector and the rules are).
type Decider struct {
	det    *pii.Detector
	urlDet *pii.Detector
	rules  Rules
}

// New builds a Decider over a detector for page text; nil rules mean the
// built-in default policy with an empty consent ledger (so every value that
// needs consent is redacted).
func New(det *pii.Detector, rules Rules) *Decider {
	if rules == nil {
		rules = NewPolicyRules(policy.Default(), nil, "", nil)
	}
	return &Decider{det: det, urlDet: pii.New(pii.Options{Types: urlTypes}), rules: rules}
}

// Page is the decided, storable form of a page.
type Page struct {
	Title, Text string
	// Findings are positioned in Text (Field "") or Title (Field "title").
	Findings []scruple.Finding
	// Signals are the page-level signals of title and text together.
	Signals pii.Signals
	// Drop is set when the page must not be stored at all (e.g. bulk
	// personal data); Title, Text and Findings are then empty.
	Drop   bool
	Reason string
}

// Page decides a page's title and text. Signals are computed over both, so a
// minor's ID in the title counts for the text too.
func (d *Decider) Page(title, text string) Page {
	// One buffer for the detector (ScanString would copy the joined string
	// once more: two page-sized allocations per page instead of one).
	joined := make([]byte, 0, len(title)+1+len(text))
	joined = append(append(append(joined, title...), '\n'), text...)
	fs, sig := d.det.Scan(joined)
	if drop, reason := d.rules.Page(sig); drop {
		return Page{Signals: sig, Drop: true, Reason: reason}
	}
	split := len(title) + 1
	var tfs, xfs []pii.Finding
	crossing := false
	for _, f := range fs {
		switch {
		case f.End <= len(title):
			tfs = append(tfs, f)
		case f.Start >= split:
			f.Start -= split
			f.End -= split
			xfs = append(xfs, f)
		default:
			crossing = true
		}
	}
	if crossing {
		// A match across the joining newline belongs to neither field: scan
		// each field alone so nothing on either side goes undetected.
		tfs, _ = d.det.ScanString(title)
		xfs, _ = d.det.ScanString(text)
	}
	var p Page
	p.Signals = sig
	var tf []scruple.Finding
	p.Text, p.Findings = d.apply(text, xfs, sig, "")
	p.Title, tf = d.apply(title, tfs, sig, "title")
	p.Findings = append(p.Findings, tf...)
	return p
}

// apply scans s and rewrites it: redacted findings become typed masks
// ("[cn_mobile]"), kept ones stay, and every finding's span is given in the
// rewritten string.
func (d *Decider) apply(s string, fs []pii.Finding, sig pii.Signals, field string) (string, []scruple.Finding) {
	if len(fs) == 0 {
		return s, nil
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
		v := d.rules.Finding(f, sig)
		start := b.Len()
		if v.Action == Keep {
			b.WriteString(s[f.Start:f.End])
		} else {
			v = Verdict{Action: Redact}
			b.WriteString("[" + string(f.Type) + "]")
		}
		out = append(out, scruple.Finding{
			Type: string(f.Type), Start: start, End: b.Len(), Level: string(f.Level),
			Sensitive: f.Sensitive, Confidence: f.Confidence, Action: string(v.Action), Field: field,
			Consent: v.Consent, Subject: v.Subject,
		})
		last = f.End
	}
	b.WriteString(s[last:])
	return b.String(), out
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
