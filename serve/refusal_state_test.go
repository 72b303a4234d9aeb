package serve

import (
	"testing"

	"github.com/scruple/scruple"
)

// TestRefusedGrantNotShownLive: a refusal ends the subject's earlier grants
// (PIPL Art. 27), but the API showed such a grant "live" (Consent.State
// ignores refusals), so an operator reading the console or the API believed
// values of a subject who said no were still covered.
func TestRefusedGrantNotShownLive(t *testing.T) {
	f := newFixture(t)
	if r := f.do("POST", "/api/v1/refusals", f.tokens[RoleOperator], map[string]string{"subject_type": "cn_mobile", "subject": rawMobile}); r.code != 201 {
		t.Fatalf("refusal: %d", r.code)
	}
	var one ConsentView
	r := f.do("GET", "/api/v1/consents/"+f.consent.ID, f.tokens[RoleViewer], nil)
	r.json(t, &one)
	if r.code != 200 || one.Live || one.State != scruple.ConsentRefused {
		t.Errorf("GET consent after its subject refused: %d state %q live %v, want refused, not live", r.code, one.State, one.Live)
	}
	var all ConsentsView
	r = f.do("GET", "/api/v1/consents", f.tokens[RoleViewer], nil)
	r.json(t, &all)
	for _, c := range all.Consents {
		if c.ID == f.consent.ID && (c.Live || c.State != scruple.ConsentRefused) {
			t.Errorf("consents list after its subject refused: state %q live %v, want refused, not live", c.State, c.Live)
		}
	}
	f.checkNoRaw()
}
