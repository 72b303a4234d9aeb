package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
)

// finding builds a finding of type t with the classes pii reports for it.
func finding(t pii.Type) pii.Finding {
	inf := pii.Info(t)
	return pii.Finding{Type: t, Sensitive: inf.Sensitive, Level: inf.Level, Personal: inf.Personal}
}

func mustParse(t *testing.T, src string) *Policy {
	t.Helper()
	p, err := Parse([]byte(src), "p.yaml")
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return p
}

func TestDefault(t *testing.T) {
	p := Default()
	if p.Name() != "default" || !p.PurposeRequired() || p.BulkThreshold() != 10 {
		t.Fatalf("default: name %q purpose-required %v threshold %d", p.Name(), p.PurposeRequired(), p.BulkThreshold())
	}
	if len(p.Warnings()) != 0 {
		t.Errorf("default has warnings: %v", p.Warnings())
	}
	// The built-in base and the embedded file must agree, or a file that
	// omits a key would get a different rule than the documented default.
	if Default().Hash() != builtin().Hash() {
		t.Errorf("default.yaml and builtin() disagree:\n%s\nvs\n%s", Default().Canonical(), builtin().Canonical())
	}
	if len(p.Hash()) != 64 || p.Hash() != Default().Hash() {
		t.Errorf("hash not stable hex sha256: %q", p.Hash())
	}
}

func TestAction(t *testing.T) {
	business := finding(pii.Landline)
	business.Personal = false
	oddC3 := finding(pii.Mobile)
	oddC3.Level = pii.C3
	custom := `version: 1
types:
  cn_mobile: keep
  credential: drop-page
  cn_uscc: redact
classes:
  sensitive: redact
  personal: keep-with-consent
`
	tests := []struct {
		name   string
		policy string // "" is the default
		f      pii.Finding
		want   Action
	}{
		{"default C3 credential redacted", "", finding(pii.Credential), Redact},
		{"default sensitive ID kept only with consent", "", finding(pii.ResidentID), KeepWithConsent},
		{"default sensitive card", "", finding(pii.BankCard), KeepWithConsent},
		{"default general PI (mobile)", "", finding(pii.Mobile), KeepWithConsent},
		{"default name", "", finding(pii.PersonName), KeepWithConsent},
		{"default organisation code kept", "", finding(pii.USCC), Keep},
		{"default business hotline kept", "", business, Keep},
		{"C3 level on any type is redacted", "", oddC3, Redact},
		{"type rule beats class", custom, finding(pii.Mobile), Keep},
		{"C3 type rule drop-page", custom, finding(pii.Credential), DropPage},
		{"organisation type rule", custom, finding(pii.USCC), Redact},
		{"sensitive class", custom, finding(pii.Passport), Redact},
		{"personal class", custom, finding(pii.Email), KeepWithConsent},
		{"omitted class inherits default", custom, business, Keep},
		{"sensitive wins over personal", "version: 1\nclasses: {sensitive: redact, personal: keep}\n", finding(pii.Address), Redact},
		{"C3 class drop-page", "version: 1\nclasses: {C3: drop-page}\n", finding(pii.Credential), DropPage},
		{"unknown type falls to classes", "version: 1\nclasses: {personal: keep}\n", pii.Finding{Type: "future_type", Personal: true}, Keep},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Default()
			if tc.policy != "" {
				p = mustParse(t, tc.policy)
			}
			if got := p.Action(tc.f); got != tc.want {
				t.Errorf("Action(%s) = %s, want %s", tc.f.Type, got, tc.want)
			}
		})
	}
}

func TestPageAction(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		sig    pii.Signals
		want   Action
		reason string // substring
	}{
		{"nothing", "", pii.Signals{Subjects: 3}, Keep, ""},
		{"bulk drops", "", pii.Signals{Subjects: 10, Bulk: true}, DropPage, "bulk personal data: 10 distinct subjects (threshold 10): signals.bulk is drop-page"},
		{"below threshold", "", pii.Signals{Subjects: 9}, Keep, ""},
		{"policy threshold, not detector's", "version: 1\nbulk-threshold: 3\n", pii.Signals{Subjects: 3}, DropPage, "threshold 3"},
		{"minor", "", pii.Signals{Subjects: 1, Minor: true}, KeepWithConsent, "minor under 14"},
		{"credential", "", pii.Signals{Credential: true}, Redact, "signals.credential is redact"},
		{"bulk beats minor", "", pii.Signals{Subjects: 12, Minor: true, Credential: true}, DropPage, "signals.bulk"},
		{"minor drop-page", "version: 1\nsignals: {minor: drop-page}\n", pii.Signals{Minor: true, Credential: true}, DropPage, "signals.minor is drop-page"},
		{"bulk keep means no floor", "version: 1\nsignals: {bulk: keep}\n", pii.Signals{Subjects: 50}, Keep, ""},
		{"bulk redact", "version: 1\nsignals: {bulk: redact}\n", pii.Signals{Subjects: 50}, Redact, "signals.bulk is redact"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := Default()
			if tc.policy != "" {
				p = mustParse(t, tc.policy)
			}
			got, reason := p.PageAction(tc.sig)
			if got != tc.want || !strings.Contains(reason, tc.reason) || (tc.reason == "") != (reason == "") {
				t.Errorf("PageAction = %s, %q; want %s, %q", got, reason, tc.want, tc.reason)
			}
		})
	}
}

func TestActionOnPage(t *testing.T) {
	p := mustParse(t, "version: 1\ntypes: {cn_mobile: keep}\n")
	business := finding(pii.Landline)
	business.Personal = false
	tests := []struct {
		name string
		f    pii.Finding
		sig  pii.Signals
		want Action
	}{
		{"no signal: type rule", finding(pii.Mobile), pii.Signals{}, Keep},
		{"minor floor", finding(pii.Mobile), pii.Signals{Minor: true}, KeepWithConsent},
		{"credential floor", finding(pii.Mobile), pii.Signals{Credential: true}, Redact},
		{"floor never loosens", finding(pii.Credential), pii.Signals{Minor: true}, Redact},
		{"organisation ignores floor", business, pii.Signals{Credential: true}, Keep},
		{"but not a dropped page", business, pii.Signals{Subjects: 10}, DropPage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := p.ActionOnPage(tc.f, tc.sig); got != tc.want {
				t.Errorf("ActionOnPage = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestStrictest(t *testing.T) {
	for _, tc := range []struct{ a, b, want Action }{
		{Keep, Redact, Redact}, {DropPage, Keep, DropPage}, {KeepWithConsent, Keep, KeepWithConsent},
		{"bogus", Keep, Redact}, {Keep, "", Redact},
	} {
		if got := Strictest(tc.a, tc.b); got != tc.want {
			t.Errorf("Strictest(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestHash(t *testing.T) {
	base := "version: 1\nname: a\nclasses:\n  personal: redact\nsignals:\n  bulk: redact\n"
	same := []string{
		// key order, quoting, flow style, comments
		"# comment\nsignals: {bulk: \"redact\"}\nclasses: {personal: 'redact'}\nversion: 1\n",
		// a different name is a label, not a decision
		"version: 1\nname: b\nclasses:\n  personal: redact\nsignals:\n  bulk: redact\n",
		// explicit defaults and a type rule that restates its class
		"version: 1\npurpose-required: true\nbulk-threshold: 10\ntypes: {cn_mobile: redact}\nclasses: {C3: redact, personal: redact, organisation: keep}\nsignals: {bulk: redact, minor: keep-with-consent}\n",
	}
	different := []string{
		"version: 1\nclasses:\n  personal: keep\nsignals:\n  bulk: redact\n",
		"version: 1\nclasses:\n  personal: redact\nsignals:\n  bulk: redact\nbulk-threshold: 11\n",
		"version: 1\nclasses:\n  personal: redact\nsignals:\n  bulk: redact\npurpose-required: false\n",
		"version: 1\nclasses:\n  personal: redact\nsignals:\n  bulk: redact\ntypes: {email: keep}\n",
		"version: 1\nclasses:\n  personal: redact\nsignals:\n  bulk: redact\ntypes: {cn_landline: keep}\n",
	}
	want := mustParse(t, base).Hash()
	for i, src := range same {
		if got := mustParse(t, src).Hash(); got != want {
			t.Errorf("same[%d]: hash differs:\n%s", i, mustParse(t, src).Canonical())
		}
	}
	for i, src := range different {
		if got := mustParse(t, src).Hash(); got == want {
			t.Errorf("different[%d]: same hash", i)
		}
	}
	if !strings.HasPrefix(string(Default().Canonical()), canonicalHeader+"\n") {
		t.Errorf("canonical form lacks its header")
	}
}

func TestWarnings(t *testing.T) {
	p := mustParse(t, "version: 1\ntypes:\n  bank_card: keep\nclasses:\n  sensitive: keep\n")
	w := p.Warnings()
	if len(w) != 2 || !strings.HasPrefix(w[0], "p.yaml:3: types.bank_card: keep") || !strings.HasPrefix(w[1], "p.yaml:5: sensitive: keep") {
		t.Errorf("warnings = %q", w)
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "strict.yaml")
	if err := os.WriteFile(path, []byte("version: 1\nclasses: {personal: redact}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name() != "strict" || p.Action(finding(pii.Mobile)) != Redact {
		t.Errorf("Load: name %q, mobile %s", p.Name(), p.Action(finding(pii.Mobile)))
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Errorf("Load of a missing file succeeded")
	}
	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte("version: 1\n"+strings.Repeat("#\n", maxPolicySize)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(big); err == nil || !strings.Contains(err.Error(), "not a policy file") {
		t.Errorf("Load of an oversized file: %v", err)
	}
	if p, err := Load("default.yaml"); err != nil || p.Hash() != Default().Hash() {
		t.Errorf("Load(default.yaml): %v", err)
	}
}

// TestREADME keeps the documentation honest: every YAML block in README.md
// parses, and the one shown as the default is the default.
func TestREADME(t *testing.T) {
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(b), "```yaml\n")[1:]
	if len(blocks) != 2 {
		t.Fatalf("%d YAML blocks in README.md, want 2", len(blocks))
	}
	for i, blk := range blocks {
		src, _, _ := strings.Cut(blk, "```")
		p, err := Parse([]byte(src), "README.md")
		if err != nil {
			t.Fatalf("block %d: %v", i, err)
		}
		if i == 1 && p.Hash() != Default().Hash() {
			t.Errorf("README's default differs from the built-in default")
		}
	}
}
