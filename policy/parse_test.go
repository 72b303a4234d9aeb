package policy

import (
	"errors"
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
)

// TestParseErrors checks every invalid-policy message with its line.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string // each "file:line: message" (a prefix of the message suffices)
	}{
		{"empty", "", []string{"bad.yaml: empty policy"}},
		{"comment only", "# nothing\n", []string{"bad.yaml: empty policy"}},
		{"syntax", "version: 1\ntypes: [\n", []string{"bad.yaml:2: invalid YAML: did not find expected node content"}},
		{"not a mapping", "- a\n- b\n", []string{"bad.yaml:1: a policy is a mapping"}},
		{"two documents", "version: 1\n---\nversion: 1\n", []string{"bad.yaml:2: a second YAML document"}},
		{"missing version", "name: x\n", []string{"bad.yaml:1: missing version: 1"}},
		{"bad version", "version: 2\n", []string{`bad.yaml:1: version must be 1 (the only policy schema version), not "2"`}},
		{"unknown top-level key", "version: 1\nbulk_threshold: 3\n", []string{`bad.yaml:2: unknown key "bulk_threshold"`}},
		{"duplicate top-level key", "version: 1\nname: a\nname: b\n", []string{`bad.yaml:3: duplicate key "name" (first at line 2)`}},
		{"duplicate type", "version: 1\ntypes:\n  email: keep\n  email: redact\n", []string{`bad.yaml:4: duplicate key "email" (first at line 3)`}},
		{"unknown type id", "version: 1\ntypes:\n  cn_mobil: keep\n", []string{`bad.yaml:3: unknown type id "cn_mobil" (known: cn_resident_id,`}},
		{"unknown action", "version: 1\ntypes:\n  email: store\n", []string{`bad.yaml:3: types.email: unknown action "store" (use drop-page, redact, keep-with-consent or keep)`}},
		{"action not a scalar", "version: 1\ntypes:\n  email: [keep]\n", []string{"bad.yaml:3: types.email must be a single value"}},
		{"empty action", "version: 1\ntypes:\n  email:\n", []string{"bad.yaml:3: types.email must be a single value"}},
		{"C3 type keep", "version: 1\ntypes:\n  credential: keep\n", []string{"bad.yaml:3: types.credential: keep is C3 authentication data"}},
		{"C3 type keep-with-consent", "version: 1\ntypes:\n  credential: keep-with-consent\n", []string{"bad.yaml:3: types.credential: keep-with-consent is C3"}},
		{"organisation keep-with-consent", "version: 1\ntypes:\n  cn_uscc: keep-with-consent\n", []string{"bad.yaml:3: types.cn_uscc: keep-with-consent cannot apply: cn_uscc identifies an organisation"}},
		{"unknown class", "version: 1\nclasses:\n  public: keep\n", []string{`bad.yaml:3: unknown class "public" (known: C3, sensitive, personal, organisation)`}},
		{"lower-case c3", "version: 1\nclasses:\n  c3: redact\n", []string{`bad.yaml:3: unknown class "c3": did you mean C3?`}},
		{"minor as class", "version: 1\nclasses:\n  minor: redact\n", []string{"bad.yaml:3: minor is a page signal, not a class"}},
		{"C3 class keep", "version: 1\nclasses:\n  C3: keep\n", []string{"bad.yaml:3: classes.C3: keep is not allowed"}},
		{"C3 class keep-with-consent", "version: 1\nclasses:\n  C3: keep-with-consent\n", []string{"bad.yaml:3: classes.C3: keep-with-consent is not allowed"}},
		{"organisation class keep-with-consent", "version: 1\nclasses:\n  organisation: keep-with-consent\n", []string{"bad.yaml:3: classes.organisation: keep-with-consent cannot apply"}},
		{"class unknown action", "version: 1\nclasses:\n  personal: hide\n", []string{`bad.yaml:3: classes.personal: unknown action "hide"`}},
		{"unknown signal", "version: 1\nsignals:\n  minor-without-guardian: redact\n", []string{`bad.yaml:3: unknown signal "minor-without-guardian" (known: bulk, minor, credential)`}},
		{"credential signal keep", "version: 1\nsignals:\n  credential: keep\n", []string{"bad.yaml:3: signals.credential: keep is not allowed"}},
		{"minor signal keep", "version: 1\nsignals:\n  minor: keep\n", []string{"bad.yaml:3: signals.minor: keep is not allowed"}},
		{"threshold zero", "version: 1\nbulk-threshold: 0\n", []string{`bad.yaml:2: bulk-threshold must be a whole number of distinct subjects from 1 to 1000000, not "0"`}},
		{"threshold negative", "version: 1\nbulk-threshold: -5\n", []string{`bad.yaml:2: bulk-threshold must be`}},
		{"threshold text", "version: 1\nbulk-threshold: ten\n", []string{`bad.yaml:2: bulk-threshold must be a whole number of distinct subjects from 1 to 1000000, not "ten"`}},
		{"threshold float", "version: 1\nbulk-threshold: 2.5\n", []string{`bad.yaml:2: bulk-threshold must be`}},
		{"threshold huge", "version: 1\nbulk-threshold: 99999999999999999999\n", []string{`bad.yaml:2: bulk-threshold must be`}},
		{"threshold quoted", "version: 1\nbulk-threshold: \"10\"\n", []string{`bad.yaml:2: bulk-threshold must be`}},
		{"purpose-required not bool", "version: 1\npurpose-required: yes\n", []string{`bad.yaml:2: purpose-required must be true or false, not "yes"`}},
		{"types not a mapping", "version: 1\ntypes: [email]\n", []string{"bad.yaml:2: expected a mapping of key: value lines"}},
		{"alias", "version: 1\nclasses:\n  personal: &r redact\n  sensitive: *r\n", []string{"bad.yaml:4: aliases (*r) are not supported"}},
		{"merge key", "version: 1\nbase: &b {personal: redact}\nclasses:\n  <<: *b\n", []string{`bad.yaml:2: unknown key "base"`, "bad.yaml:4: merge keys (<<) are not supported"}},
		{"several at once", "version: 1\ntypes:\n  foo: keep\n  email: nope\nclasses:\n  C3: keep\n", []string{
			`bad.yaml:3: unknown type id "foo"`, `bad.yaml:4: types.email: unknown action "nope"`, "bad.yaml:6: classes.C3: keep is not allowed"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse([]byte(tc.src), "bad.yaml")
			if err == nil {
				t.Fatalf("Parse succeeded: %s", p.Canonical())
			}
			var es Errors
			if !errors.As(err, &es) {
				t.Fatalf("error is %T, not Errors: %v", err, err)
			}
			if len(es) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%v", len(es), len(tc.want), err)
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(es[i].Error(), w) {
					t.Errorf("error %d:\n got %q\nwant %q...", i, es[i].Error(), w)
				}
			}
		})
	}
}

func TestParseValid(t *testing.T) {
	for _, src := range []string{
		"version: 1\n",
		"version: 1\ntypes:\nclasses:\nsignals:\n",
		"version: 1\npurpose-required: false\nbulk-threshold: 1\n",
		"version: 1\ntypes: {credential: redact, cn_uscc: keep, cn_resident_id: drop-page}\n",
		"version: 1\nsignals: {bulk: keep-with-consent, minor: redact, credential: drop-page}\n",
	} {
		if _, err := Parse([]byte(src), "ok.yaml"); err != nil {
			t.Errorf("Parse(%q): %v", src, err)
		}
	}
}

// FuzzParse checks that no input panics and that whatever parses is
// coherent: C3 never kept, a hash, actions that are valid.
func FuzzParse(f *testing.F) {
	f.Add(defaultYAML)
	f.Add([]byte("version: 1\ntypes: {cn_mobile: keep}\nclasses: {C3: drop-page}\nbulk-threshold: 3\n"))
	f.Add([]byte("version: 1\nclasses:\n  personal: &r redact\n  sensitive: *r\n"))
	f.Add([]byte("- [a, {b: c}]\n"))
	f.Add([]byte("version: 1\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data, "fuzz.yaml")
		if err != nil {
			if err.Error() == "" {
				t.Fatalf("empty error message")
			}
			return
		}
		if len(p.Hash()) != 64 {
			t.Fatalf("bad hash")
		}
		for _, ty := range []string{"credential", "cn_mobile", "cn_uscc"} {
			f := finding(pii.Type(ty))
			a := p.Action(f)
			if !a.Valid() || ty == "credential" && (a == Keep || a == KeepWithConsent) {
				t.Fatalf("Action(%s) = %q", ty, a)
			}
		}
	})
}
