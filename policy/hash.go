package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/scruple/scruple/pii"
)

// canonicalHeader names the canonical form's own version: a change to the
// form must change every hash rather than let two forms collide.
const canonicalHeader = "scruple-policy-canonical v1"

// Canonical returns the policy's canonical text, the input of Hash: one line
// per decision, in a fixed order, "\n"-terminated:
//
//	scruple-policy-canonical v1
//	purpose-required true
//	bulk-threshold 10
//	class C3 redact                  (C3, sensitive, personal, organisation)
//	signal bulk drop-page            (bulk, credential, minor)
//	type bank_card personal redact   (every pii type, sorted by id)
//	type cn_landline nonpersonal keep
//
// A type has a "personal" line when pii.Info says it identifies a person and
// a "nonpersonal" line when it does not, or when the detector may report it
// as non-personal (cn_landline: 400/800 business numbers). The actions are
// the effective ones (Action for such a finding), so a type rule that
// restates its class's decision does not change the hash. The name is a
// label, not a decision, and is left out.
func (p *Policy) Canonical() []byte {
	var b strings.Builder
	b.WriteString(canonicalHeader + "\n")
	fmt.Fprintf(&b, "purpose-required %t\n", p.purposeRequired)
	fmt.Fprintf(&b, "bulk-threshold %d\n", p.bulkThreshold)
	for _, c := range Classes() {
		fmt.Fprintf(&b, "class %s %s\n", c, p.classes[c])
	}
	for _, s := range Signals() {
		fmt.Fprintf(&b, "signal %s %s\n", s, p.signals[s])
	}
	types := pii.Types()
	slices.Sort(types)
	for _, t := range types {
		inf := pii.Info(t)
		f := pii.Finding{Type: t, Sensitive: inf.Sensitive, Level: inf.Level}
		if inf.Personal {
			f.Personal = true
			fmt.Fprintf(&b, "type %s personal %s\n", t, p.Action(f))
		}
		if !inf.Personal || t == pii.Landline {
			f.Personal = false
			fmt.Fprintf(&b, "type %s nonpersonal %s\n", t, p.Action(f))
		}
	}
	return []byte(b.String())
}

// Hash returns the hex SHA-256 of Canonical. It goes into every record's
// provenance, so that a reader can tell which rules decided what was kept:
// the same decisions written differently hash the same.
func (p *Policy) Hash() string {
	h := sha256.Sum256(p.Canonical())
	return hex.EncodeToString(h[:])
}
