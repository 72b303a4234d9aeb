package report

import (
	"testing"
	"time"

	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/report/reporttest"
)

// TestConsentAdapter reads the consent events in the spellings the log has
// used: terms at the top level or under "terms", a refusal naming the
// consents it ended, a sweep.
func TestConsentAdapter(t *testing.T) {
	for _, tc := range []struct {
		line              string
		kind, id, purpose string
		ended             int
		ok                bool
	}{
		{`{"kind":"withdrawal","consent":"c1","reason":"consent withdrawn","at":"2026-11-02T09:00:00Z"}`, "withdrawal", "c1", "", 0, true},
		{`{"kind":"grant","consent":"c2","at":"2026-11-02T09:00:00Z","terms":{"subject":"hmac","types":["cn_mobile"],"purpose":"p"}}`, "grant", "c2", "p", 0, true},
		{`{"kind":"import","consent":"c3","purpose":"q","types":["email"]}`, "grant", "c3", "q", 0, true},
		{`{"kind":"refusal","consent":"r1","ended":["c1","c2"],"at":"2026-11-02T09:00:00Z"}`, "refusal", "r1", "", 2, true},
		{`{"kind":"sweep","ended":["c4"],"records":3}`, "sweep", "", "", 1, true},
		{`{"kind":"robots"}`, "", "", "", 0, false},
	} {
		ev, ok := adaptConsentEvent(kindOf(tc.line), []byte(tc.line))
		if ok != tc.ok || ev.kind != tc.kind || ev.id != tc.id || len(ev.ended) != tc.ended {
			t.Errorf("%s: %+v %v", tc.line, ev, ok)
		}
		if tc.purpose != "" && (ev.terms == nil || ev.terms.Purpose != tc.purpose) {
			t.Errorf("%s: terms %+v", tc.line, ev.terms)
		}
	}
}

func kindOf(line string) string {
	e, _ := provenance.ParseEntry([]byte(line))
	return e.Kind
}

// TestConsentLedgerFormat: the known scenario with its grant written as the
// consent ledger writes it (terms under "terms"), and a refusal that names
// the consent it ended.
func TestConsentLedgerFormat(t *testing.T) {
	s := reporttest.Known()
	g := s.Grant
	terms := map[string]any{}
	for _, k := range []string{"subject_type", "types", "purpose", "processor", "recipients", "method", "evidence", "granted_at", "expires_at"} {
		terms[k] = g[k]
	}
	terms["subject"] = "5555"        // an HMAC, never shown
	terms["recipients"] = []string{} // the ledger stores "none" as no recipient
	s.Grant = map[string]any{"kind": "grant", "consent": reporttest.ConsentLive, "at": g["at"], "terms": terms}
	r := build(t, s, "en")
	if got := rules(r); got["pipl14"] != Pass || got["pipl23"] != Pass {
		t.Fatalf("rules %v", got)
	}
	s.Steps = append(s.Steps, reporttest.Step{Raw: []byte(`{"kind":"refusal","consent":"r1","reason":"subject refused (PIPL Art. 27)","at":"` +
		reporttest.Start.Add(3*time.Minute).Format(time.RFC3339) + `","ended":["` + reporttest.ConsentLive + `"]}`)})
	r = build(t, s, "en")
	if got := rules(r); got["pipl27"] != Fail || got["pipl47"] != Fail {
		t.Fatalf("a refused consent still keeping a value: rules %v", got)
	}
}
