package serve

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// Test-only fake numbers, written into a grant's free text: none is the
// subject's, so the ledger accepts them, and none may come back raw.
var plantedValues = []string{"13900001111", "13900002222", "13900003333", "13900004444"}

func (f *fixture) checkNoPlanted(where, body string) {
	f.t.Helper()
	for _, v := range plantedValues {
		if strings.Contains(body, v) {
			f.t.Errorf("%s: planted value %s…%s appears raw", where, v[:3], v[len(v)-2:])
		}
	}
}

// TestFreeTextMasked: a consent's purpose, processor, recipients and
// method may hold someone's number; the API, the console and the errors
// serve them masked, as the report does, and the log never holds them.
func TestFreeTextMasked(t *testing.T) {
	f := newFixture(t)
	g := goodGrant(time.Now())
	body := map[string]any{"subject_type": "cn_mobile", "subject": "13812349876", "types": []string{"cn_mobile"},
		"purpose":    "order delivery notices by SMS, escalations to 手机 " + plantedValues[0],
		"processor":  "Example Trading Co., Ltd., 客服电话 " + plantedValues[1],
		"recipients": []string{"SF Express, courier hotline 手机 " + plantedValues[2]},
		"method":     "signed paper form, witness 手机 " + plantedValues[3],
		"evidence":   g.Evidence, "expires_at": g.ExpiresAt, "granted_at": g.GrantedAt}
	r := f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], body)
	if r.code != 201 {
		t.Fatalf("grant: %d %s", r.code, r.body)
	}
	f.checkNoPlanted("POST /api/v1/consents", r.body)
	if !strings.Contains(r.body, "[cn_mobile]") {
		t.Fatalf("no mask in the grant's answer: %s", r.body)
	}
	var gv GrantView
	r.json(t, &gv)
	for _, path := range []string{"/api/v1/consents", "/api/v1/consents/" + gv.ID} {
		r := f.do("GET", path, f.tokens[RoleViewer], nil)
		f.checkNoPlanted("GET "+path, r.body)
	}
	r = f.do("POST", "/api/v1/subjects/lookup", f.tokens[RoleOperator], map[string]string{"subject_type": "cn_mobile", "subject": "13812349876"})
	if r.code != 200 || !strings.Contains(r.body, gv.ID) {
		t.Fatalf("lookup: %d %s", r.code, r.body)
	}
	f.checkNoPlanted("lookup", r.body)

	// Refused grants: the 422 names the rules without quoting a value.
	blanket := map[string]any{"subject_type": "cn_mobile", "subject": "13812349876", "types": []string{"cn_mobile"},
		"purpose": "any purpose, call 手机 " + plantedValues[0], "processor": "Example Trading Co., Ltd.",
		"recipients": []string{"our partners, hotline 手机 " + plantedValues[2]}, "method": "pre-ticked box, 手机 " + plantedValues[3],
		"evidence": g.Evidence, "expires_at": g.ExpiresAt, "granted_at": g.GrantedAt}
	r = f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], blanket)
	if r.code != 422 || !strings.Contains(r.body, `"purpose"`) || !strings.Contains(r.body, "recipients[0]") {
		t.Fatalf("blanket grant: %d %s", r.code, r.body)
	}
	f.checkNoPlanted("422", r.body)
	r = f.do("POST", "/api/v1/subjects/lookup", f.tokens[RoleOperator], map[string]string{"subject_type": plantedValues[1], "subject": "13812349876"})
	if r.code < 400 {
		t.Fatalf("lookup with a value as type: %d", r.code)
	}
	f.checkNoPlanted("lookup with a value as type", r.body)

	// The console: the ledger, the lookup, a refused grant's rules and the
	// form shown again.
	c, csrf := f.signIn(f.tokens[RoleOperator])
	p := f.form("GET", "/consents", c, nil, "")
	if !strings.Contains(p.body, gv.ID) {
		t.Fatal("the console's ledger does not list the consent")
	}
	f.checkNoPlanted("console ledger", p.body)
	p = f.form("POST", "/lookup", c, url.Values{"csrf": {csrf}, "subject_type": {"cn_mobile"}, "subject": {"13812349876"}}, "http://example.com")
	f.checkNoPlanted("console lookup", p.body)
	p = f.form("POST", "/consents", c, url.Values{"csrf": {csrf}, "subject_type": {"cn_mobile"}, "subject": {"13812349876"},
		"types": {"cn_mobile"}, "purpose": {blanket["purpose"].(string)}, "recipients": {"our partners, hotline 手机 " + plantedValues[2]},
		"processor": {"Example Trading Co., Ltd."}, "method": {"pre-ticked box, 手机 " + plantedValues[3]}}, "http://example.com")
	if p.code != 422 || !strings.Contains(p.body, "pipl_art_") {
		t.Fatalf("console blanket grant: %d", p.code)
	}
	// The fields that held a value come back empty, with a request to
	// type them again: never masked text a resubmission would record as
	// the terms.
	if regexp.MustCompile(`<input name="(purpose|recipients|method)" value="[^"]+`).MatchString(p.body) || !strings.Contains(p.body, "retype") {
		t.Errorf("console 422: a field holding a value is shown masked or without a request to retype it")
	}
	f.checkNoPlanted("console 422", p.body)
	f.checkNoPlanted("server log", f.logs.String())
}
