package consent

import (
	"strings"
	"testing"
)

// TestRuleErrorsMaskQuotedText: a refused purpose, recipient or method is
// quoted in its error (the CLI prints it, the API returns it) with any
// personal value in it masked; the rule still names what is wrong.
func TestRuleErrorsMaskQuotedText(t *testing.T) {
	const planted = "13900001111" // test-only, not good()'s subject
	g := good()
	g.Purpose = "any purpose, call 手机 " + planted
	g.Recipients = []string{"our partners, hotline 手机 " + planted}
	g.Method = "pre-ticked box, 手机 " + planted
	err := Validate(g, now, 0)
	if err == nil {
		t.Fatal("a blanket grant was accepted")
	}
	msg := err.Error()
	if strings.Contains(msg, planted) {
		t.Fatalf("the error repeats a planted value: %s", strings.ReplaceAll(msg, planted, "<planted>"))
	}
	for _, want := range []string{`is blanket consent: "any"`, "does not name a recipient", "is not consent", "[cn_mobile]"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error lacks %q: %s", want, msg)
		}
	}
}
