package report

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/report/reporttest"
)

// TestAPIActionsShown is issue 15's audit trail in the report: the changes
// made through `scruple serve` (api entries) are listed with who made them
// (the token's label and id), what and when, in both languages, and a
// personal value typed into a label is masked like any other logged text.
func TestAPIActionsShown(t *testing.T) {
	at := reporttest.Start.Add(2 * time.Minute)
	s := reporttest.Known()
	withdraw := provenance.NewAPIEntry(provenance.APIAction{Action: provenance.KindWithdraw, Label: "crm-system", TokenID: "00112233aabbccdd"},
		reporttest.ConsentLive, at, provenance.BuildInfo{})
	token := provenance.NewAPIEntry(provenance.APIAction{Action: provenance.ActionTokenCreate, Label: "ops 13812345678",
		TokenID: "99887766aabbccdd", Target: "0a0b0c0d0e0f0a0b", Role: "viewer"}, "", at.Add(time.Minute), provenance.BuildInfo{})
	// An entry written before api entries carried their action: read from
	// its reason.
	old := []byte(`{"kind":"api","consent":"` + reporttest.ConsentLive + `","at":"` + at.Add(2*time.Minute).Format(time.RFC3339) +
		`","reason":"grant via scruple serve by token \"legacy-crm\" (1234567890abcdef)"}`)
	s.Steps = append(s.Steps, reporttest.Step{Raw: withdraw.Marshal()}, reporttest.Step{Raw: token.Marshal()}, reporttest.Step{Raw: old})
	for _, lang := range []string{"en", "zh"} {
		r := build(t, s, lang)
		if len(r.API) != 3 {
			t.Fatalf("%s: %d api actions in the report, want 3: %+v", lang, len(r.API), r.API)
		}
		var html bytes.Buffer
		if err := r.WriteHTML(&html); err != nil {
			t.Fatal(err)
		}
		out := html.String()
		if strings.Contains(out, "13812345678") {
			t.Fatalf("%s: a personal value in a token label reached the report", lang)
		}
		want := map[string][]string{
			"en": {"Changes made through scruple serve", "crm-system", "00112233aabbccdd", "withdraw", "legacy-crm", "create token", "0a0b0c0d0e0f0a0b"},
			"zh": {"通过 scruple serve 所作的变更", "crm-system", "撤回", "legacy-crm", "创建令牌"},
		}[lang]
		for _, w := range want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: the report lacks %q", lang, w)
			}
		}
		if !strings.Contains(out, `id="api-`) {
			t.Errorf("%s: api rows carry no anchor", lang)
		}
	}
}
