package consent

import (
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
)

// TestSubjectNotInFreeText: the subject is stored only as an HMAC, but a
// grant's purpose, processor, method and recipients are stored and logged
// in clear, in the append-only log, for good. A subject's own number
// written into one of them ("SMS to 138…") outlived the withdrawal in the
// ledger, the log and every export. Validate refuses it, without echoing it.
func TestSubjectNotInFreeText(t *testing.T) {
	const raw = "13812345678" // good()'s subject, written as a person would
	tests := []struct {
		name string
		edit func(*Grant)
	}{
		{"purpose", func(g *Grant) { g.Purpose = "order delivery notices by SMS to " + raw }},
		{"purpose spaced", func(g *Grant) { g.Purpose = "order delivery notices by SMS to 138 1234 5678" }},
		{"processor", func(g *Grant) { g.Processor = "Example Trading Co., Ltd. (for " + raw + ")" }},
		{"method", func(g *Grant) { g.Method = "signed paper form of " + raw }},
		{"recipients", func(g *Grant) { g.Recipients = []string{"SF Express, courier of " + raw} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := good()
			tt.edit(&g)
			err := Validate(g, now, 0)
			if err == nil {
				t.Fatal("a grant whose free text holds its subject's value was accepted")
			}
			if strings.Contains(err.Error(), raw) || strings.Contains(err.Error(), "138 1234 5678") {
				t.Fatal("the refusal echoes the subject's value")
			}
		})
	}
	// Another person's number in the text is not this check's business,
	// nor is the processor's own contact.
	g := good()
	g.Processor = "Example Trading Co., Ltd., privacy@example.com"
	if err := Validate(g, now, 0); err != nil {
		t.Fatalf("a processor's contact address: %v", err)
	}
}

// TestUnknownTypeNotEchoed: a personal value written where a type id belongs
// came back in the error ("unknown type id \"138…\""), which the CLI prints
// and the API returns.
func TestUnknownTypeNotEchoed(t *testing.T) {
	for _, v := range []string{"13812345678", "bob.smith@example.com", "110105194912310021"} {
		g := good()
		g.Types = append(g.Types, pii.Type(v))
		err := Validate(g, now, 0)
		if err == nil || !strings.Contains(err.Error(), "unknown type id") {
			t.Fatalf("an unknown type: %v", err)
		}
		if strings.Contains(err.Error(), v) {
			t.Errorf("the error repeats a value given as a type (%d bytes)", len(v))
		}
	}
	g := good()
	g.Types = append(g.Types, "cn_mobil")
	if err := Validate(g, now, 0); err == nil || !strings.Contains(err.Error(), `"cn_mobil"`) {
		t.Errorf("a misspelt type id is named in its error: %v", err)
	}
}
