package serve

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// routeCase is one API route with a request that its handler accepts.
type routeCase struct {
	method, path string
	body         any
	role         Role
}

func apiCases(f *fixture) []routeCase {
	g := goodGrant(time.Now())
	g.Purpose = "parcel tracking notices by SMS"
	return []routeCase{
		{"GET", "/api/openapi.yaml", nil, RoleNone},
		{"GET", "/metrics", nil, RoleViewer},
		{"GET", "/api/v1/status", nil, RoleViewer},
		{"GET", "/api/v1/records", nil, RoleViewer},
		{"GET", "/api/v1/consents", nil, RoleViewer},
		{"GET", "/api/v1/consents/" + f.consent.ID, nil, RoleViewer},
		{"POST", "/api/v1/consents", g, RoleOperator},
		{"POST", "/api/v1/consents/" + f.consent.ID + "/withdraw", nil, RoleOperator},
		{"POST", "/api/v1/refusals", map[string]string{"subject_type": "cn_mobile", "subject": "13912345678"}, RoleOperator},
		{"POST", "/api/v1/subjects/lookup", map[string]string{"subject_type": "cn_mobile", "subject": rawMobile}, RoleOperator},
		{"GET", "/api/v1/report", nil, RoleViewer},
		{"POST", "/api/v1/verify", "not an archive", RoleViewer},
		{"GET", "/api/v1/tokens", nil, RoleAdmin},
		{"POST", "/api/v1/tokens", map[string]string{"role": "viewer", "label": "ci"}, RoleAdmin},
		{"POST", "/api/v1/tokens/0000000000000000/revoke", nil, RoleAdmin},
	}
}

// TestEveryRouteEveryRole: no token is 401, a role below the route's is
// 403, and every role at or above it gets through.
func TestEveryRouteEveryRole(t *testing.T) {
	for _, who := range []Role{RoleNone, RoleViewer, RoleOperator, RoleAdmin} {
		t.Run(who.String(), func(t *testing.T) {
			f := newFixture(t)
			for _, c := range apiCases(f) {
				r := f.do(c.method, c.path, f.tokens[who], c.body)
				switch {
				case c.role == RoleNone:
					if r.code != http.StatusOK {
						t.Errorf("%s %s: %d, want 200 for an open route", c.method, c.path, r.code)
					}
				case who == RoleNone:
					if r.code != http.StatusUnauthorized || r.h.Get("WWW-Authenticate") == "" {
						t.Errorf("%s %s without a token: %d, want 401 with WWW-Authenticate", c.method, c.path, r.code)
					}
				case who < c.role:
					if r.code != http.StatusForbidden {
						t.Errorf("%s %s as %s: %d, want 403", c.method, c.path, who, r.code)
					}
				default:
					if r.code == http.StatusUnauthorized || r.code == http.StatusForbidden || r.code >= 500 {
						t.Errorf("%s %s as %s: %d %.300s", c.method, c.path, who, r.code, r.body)
					}
				}
				if r.code >= 400 && !strings.HasPrefix(r.h.Get("Content-Type"), "application/json") {
					t.Errorf("%s %s: error without a JSON body", c.method, c.path)
				}
			}
			f.checkNoRaw()
		})
	}
}

func TestBadTokens(t *testing.T) {
	f := newFixture(t)
	good := f.tokens[RoleAdmin]
	id, _, _ := splitToken(good)
	tests := []struct{ name, header string }{
		{"no bearer", "Basic Zm9vOmJhcg=="},
		{"garbage", "Bearer nonsense"},
		{"wrong secret", "Bearer " + tokenPrefix + id + "_" + strings.Repeat("A", 43)},
		{"truncated", "Bearer " + good[:len(good)-1]},
		{"unknown id", "Bearer " + tokenPrefix + "0123456789abcdef" + good[len(tokenPrefix)+16:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do("GET", "/api/v1/status", "", nil, "Authorization", tt.header, "X-Forwarded-For", "ignored")
			if r.code != http.StatusUnauthorized {
				t.Fatalf("%d, want 401", r.code)
			}
			var e errorBody
			r.json(t, &e)
			if len(e.Errors) != 1 || e.Errors[0].Rule != "unauthenticated" {
				t.Fatalf("errors = %+v", e.Errors)
			}
		})
	}
}

func TestRevokedTokenRefused(t *testing.T) {
	f := newFixture(t)
	tok := f.tokens[RoleViewer]
	if r := f.do("GET", "/api/v1/status", tok, nil); r.code != 200 {
		t.Fatalf("before revoke: %d", r.code)
	}
	id, _, _ := splitToken(tok)
	if r := f.do("POST", "/api/v1/tokens/"+id+"/revoke", f.tokens[RoleAdmin], nil); r.code != 200 {
		t.Fatalf("revoke: %d %s", r.code, r.body)
	}
	if r := f.do("GET", "/api/v1/status", tok, nil); r.code != http.StatusUnauthorized {
		t.Fatalf("after revoke: %d, want 401", r.code)
	}
}

func TestFailedAuthRateLimited(t *testing.T) {
	f := newFixture(t)
	for i := range maxFailures {
		if r := f.do("GET", "/api/v1/status", "scr_bad", nil); r.code != 401 {
			t.Fatalf("failure %d: %d", i, r.code)
		}
	}
	// Past the limit a bad token from the address is refused with 429,
	// and other addresses are unaffected.
	for _, tok := range []string{"scr_bad", "Basic x", f.tokens[RoleViewer] + "x"} {
		r := f.do("GET", "/api/v1/status", tok, nil)
		if r.code != http.StatusTooManyRequests || r.h.Get("Retry-After") == "" {
			t.Fatalf("after %d failures: %d, want 429 with Retry-After", maxFailures, r.code)
		}
	}
	// A valid token is never locked out: whoever shares the address (a
	// proxy, a NAT) must not be able to block a CRM's withdrawals (PIPL
	// Art. 15, 47). Tokens hold 256 random bits: the limit is not what
	// stops guessing.
	if r := f.do("GET", "/api/v1/status", f.tokens[RoleViewer], nil); r.code != 200 {
		t.Fatalf("a valid token after %d failures from its address: %d, want 200", maxFailures, r.code)
	}
	if r := f.do("POST", "/api/v1/consents/"+f.consent.ID+"/withdraw", f.tokens[RoleOperator], nil); r.code != 200 {
		t.Fatalf("a withdrawal after %d failures from its address: %d, want 200 (%s)", maxFailures, r.code, r.body)
	}
	if r := f.do("GET", "/api/v1/status", f.tokens[RoleViewer], nil, "X-Test-Remote", "192.0.2.7"); r.code != 200 {
		t.Fatalf("another address: %d, want 200", r.code)
	}
}

func TestOversizedBody(t *testing.T) {
	f := newFixture(t)
	big := `{"purpose":"` + strings.Repeat("x", DefaultMaxBody) + `"}`
	r := f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], big)
	if r.code != http.StatusRequestEntityTooLarge {
		t.Fatalf("declared oversized body: %d, want 413", r.code)
	}
	// Without a Content-Length (chunked), the limit is met while reading.
	req, _ := http.NewRequest("POST", "/api/v1/consents", strings.NewReader(big))
	req.ContentLength = -1
	req.Header.Set("Authorization", "Bearer "+f.tokens[RoleOperator])
	req.Header.Set("Content-Type", "application/json")
	w := newRecorder()
	f.h.ServeHTTP(w, req)
	if w.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("streamed oversized body: %d, want 413", w.Code)
	}
}

func TestBlanketConsentRefusedWithEveryRule(t *testing.T) {
	f := newFixture(t)
	body := map[string]any{"subject_type": "cn_mobile", "subject": rawMobile, "types": []string{"*"},
		"purpose": "all purposes", "processor": "", "recipients": []string{"partners"}, "method": "pre-ticked box",
		"granted_at": time.Now().UTC().Format(time.RFC3339)}
	r := f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], body)
	if r.code != http.StatusUnprocessableEntity {
		t.Fatalf("%d, want 422: %s", r.code, r.body)
	}
	var e errorBody
	r.json(t, &e)
	fields := map[string]bool{}
	for _, fe := range e.Errors {
		fields[fe.Field] = true
		if fe.Rule == "" || fe.Message == "" {
			t.Errorf("error without rule or message: %+v", fe)
		}
	}
	for _, want := range []string{"types", "purpose", "processor", "recipients[0]", "method", "evidence", "expires_at"} {
		if !fields[want] {
			t.Errorf("no error for %s; got %v", want, fields)
		}
	}
	f.checkNoRaw()
}

func TestGrantRequestRefusals(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, body string
		code       int
		field      string
	}{
		{"unknown field", `{"expires":"2030-01-01T00:00:00Z"}`, 400, "expires"},
		{"evidence_file", `{"evidence_file":"/etc/passwd"}`, 400, "evidence_file"},
		{"bad time", `{"expires_at":"` + rawMobile + `"}`, 400, ""},
		{"two objects", `{} {}`, 400, ""},
		{"empty", ``, 400, ""},
		{"wrong type", `{"types":"cn_mobile"}`, 400, "types"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], tt.body)
			if r.code != tt.code {
				t.Fatalf("%d, want %d: %s", r.code, tt.code, r.body)
			}
			var e errorBody
			r.json(t, &e)
			if len(e.Errors) == 0 || (tt.field != "" && e.Errors[0].Field != tt.field) {
				t.Fatalf("errors = %+v, want field %q", e.Errors, tt.field)
			}
		})
	}
	if r := f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], "{}", "Content-Type", "text/plain"); r.code != 415 {
		t.Fatalf("text/plain body: %d, want 415", r.code)
	}
}

func TestGrantWithdrawPurgesAndLogs(t *testing.T) {
	f := newFixture(t)
	g := goodGrant(time.Now())
	g.Purpose = "parcel tracking notices by SMS"
	r := f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], g)
	if r.code != http.StatusCreated {
		t.Fatalf("grant: %d %s", r.code, r.body)
	}
	var gv GrantView
	r.json(t, &gv)
	if gv.ID == "" || r.h.Get("Location") != "/api/v1/consents/"+gv.ID || !gv.Consent.Live {
		t.Fatalf("grant answer %+v, Location %q", gv, r.h.Get("Location"))
	}
	if r := f.do("GET", "/api/v1/consents/"+gv.ID, f.tokens[RoleViewer], nil); r.code != 200 {
		t.Fatalf("get granted consent: %d", r.code)
	}

	before, _ := f.st.LogSize(t.Context())
	r = f.do("POST", "/api/v1/consents/"+f.consent.ID+"/withdraw", f.tokens[RoleOperator], nil)
	if r.code != 200 {
		t.Fatalf("withdraw: %d %s", r.code, r.body)
	}
	var wv WithdrawView
	r.json(t, &wv)
	if wv.Purged != 1 {
		t.Fatalf("purged %d records, want 1", wv.Purged)
	}
	after, _ := f.st.LogSize(t.Context())
	if after-before != 3 { // the withdraw event (consent/ledger) and its api entry, one purge entry
		t.Fatalf("log grew by %d entries, want 3 (withdraw, api, purge)", after-before)
	}
	var api []byte
	f.st.Entries(t.Context(), before+1, before+2, func(_ int64, b []byte) error { api = b; return nil })
	if !strings.Contains(string(api), `"kind":"api"`) || !strings.Contains(string(api), `withdraw via scruple serve by token \"test-operator\"`) ||
		!strings.Contains(string(api), f.consent.ID) {
		t.Fatalf("the entry after the withdrawal does not name the token: %s", api)
	}
	var cv ConsentView
	f.do("GET", "/api/v1/consents/"+f.consent.ID, f.tokens[RoleViewer], nil).json(t, &cv)
	if cv.Live || cv.WithdrawnAt == nil {
		t.Fatalf("withdrawn consent still live: %+v", cv)
	}
	// A second withdrawal finds nothing more to purge.
	f.do("POST", "/api/v1/consents/"+f.consent.ID+"/withdraw", f.tokens[RoleOperator], nil).json(t, &wv)
	if wv.Purged != 0 {
		t.Fatalf("second withdrawal purged %d", wv.Purged)
	}
	if r := f.do("POST", "/api/v1/consents/nope/withdraw", f.tokens[RoleOperator], nil); r.code != 404 {
		t.Fatalf("unknown consent: %d, want 404", r.code)
	}
	// Withdrawal is final: the same grant posted again is a conflict that
	// names the rule, and the consent stays withdrawn (issue 10 item 2).
	if r := f.do("POST", "/api/v1/consents/"+gv.ID+"/withdraw", f.tokens[RoleOperator], nil); r.code != 200 {
		t.Fatalf("withdraw the granted consent: %d %s", r.code, r.body)
	}
	if r := f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], g); r.code != http.StatusConflict || !strings.Contains(r.body, `"rule":"final"`) {
		t.Fatalf("re-grant of a withdrawn consent: %d %s", r.code, r.body)
	}
	f.do("GET", "/api/v1/consents/"+gv.ID, f.tokens[RoleViewer], nil).json(t, &cv)
	if cv.Live || cv.WithdrawnAt == nil {
		t.Fatalf("re-grant revived the consent: %+v", cv)
	}
	// The stored record no longer holds the value.
	err := f.st.Records(t.Context(), func(rec *scruple.Record) error {
		if strings.Contains(rec.Text, rawMobile) {
			return fmt.Errorf("record %s still holds the value", rec.URL)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	m := f.do("GET", "/metrics", f.tokens[RoleViewer], nil)
	if !strings.Contains(m.body, "scruple_serve_withdrawals_total 3") || !strings.Contains(m.body, "scruple_serve_records_purged_total 1") {
		t.Fatalf("metrics do not count the withdrawals:\n%.2000s", m.body)
	}
	f.checkNoRaw()
}

// TestGrantIdempotent is issue 15's retry: a client that lost the answer to
// a grant and sends it again gets 200 with the consent already stored, and
// nothing is written or logged twice; a grant the ledger refuses (dated at
// or before a refusal of its subject) is a 409 naming the rule.
func TestGrantIdempotent(t *testing.T) {
	f := newFixture(t)
	g := goodGrant(f.srv.now())
	g.Purpose = "parcel tracking notices by SMS"
	r := f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], g)
	if r.code != http.StatusCreated {
		t.Fatalf("grant: %d %s", r.code, r.body)
	}
	var first GrantView
	r.json(t, &first)
	if !first.Created {
		t.Fatalf("first grant not created: %s", r.body)
	}
	before, _ := f.st.LogSize(t.Context())
	r = f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], g)
	if r.code != http.StatusOK {
		t.Fatalf("repeated grant: %d %s, want 200", r.code, r.body)
	}
	var again GrantView
	r.json(t, &again)
	if again.ID != first.ID || again.Created || !again.Consent.Live || r.h.Get("Location") != "/api/v1/consents/"+first.ID {
		t.Fatalf("repeated grant answered %s", r.body)
	}
	if after, _ := f.st.LogSize(t.Context()); after != before {
		t.Fatalf("a repeated grant wrote %d log entries", after-before)
	}
	var list ConsentsView
	f.do("GET", "/api/v1/consents", f.tokens[RoleViewer], nil).json(t, &list)
	if len(list.Consents) != 2 { // the fixture's and this one
		t.Fatalf("%d consents after a repeated grant, want 2", len(list.Consents))
	}
	m := f.do("GET", "/metrics", f.tokens[RoleViewer], nil)
	if !strings.Contains(m.body, "scruple_serve_consents_granted_total 1") {
		t.Fatalf("a repeated grant counted as a grant:\n%.1500s", m.body)
	}
	// A refusal ends the subject's grants dated at or before it: the same
	// grant sent again is now refused, with its rule, and the consent
	// shows ended.
	if r := f.do("POST", "/api/v1/refusals", f.tokens[RoleOperator], subjectRequest{SubjectType: "cn_mobile", Subject: rawMobile}); r.code != http.StatusCreated {
		t.Fatalf("refuse: %d %s", r.code, r.body)
	}
	g2 := g
	g2.Purpose = "a new purpose, dated before the refusal"
	r = f.do("POST", "/api/v1/consents", f.tokens[RoleOperator], g2)
	var eb errorBody
	r.json(t, &eb)
	if r.code != http.StatusConflict || len(eb.Errors) == 0 || eb.Errors[0].Rule != "blocked" {
		t.Fatalf("grant dated before a refusal: %d %s, want 409 blocked", r.code, r.body)
	}
	f.checkNoRaw()
}

func TestRecordsMaskedAndPaged(t *testing.T) {
	f := newFixture(t)
	var v RecordsView
	r := f.do("GET", "/api/v1/records?limit=1", f.tokens[RoleViewer], nil)
	r.json(t, &v)
	if len(v.Records) != 1 || v.Records[0].Text != "call [cn_mobile ✓] for delivery" || v.Records[0].Findings[0].Subject != "" {
		t.Fatalf("record not masked: %+v", v.Records)
	}
	if strings.Contains(r.body, `"salt"`) || strings.Contains(r.body, `"sealed"`) {
		t.Fatalf("a record's salt or sealed values are served")
	}
	fd := v.Records[0].Findings[0]
	if got := v.Records[0].Text[fd.Start:fd.End]; got != "[cn_mobile ✓]" {
		t.Fatalf("finding span %q does not cover the mask", got)
	}
	var v2 RecordsView
	f.do("GET", "/api/v1/records?cursor="+v.Next, f.tokens[RoleViewer], nil).json(t, &v2)
	if len(v2.Records) != 0 || v2.Next != "" {
		t.Fatalf("second page %+v, want empty and the end", v2)
	}
	filters := []struct {
		q    string
		want int
	}{
		{"host=a.test", 1}, {"host=b.test", 0}, {"kind=page", 1}, {"kind=error", 0},
		{"type=cn_mobile", 1}, {"type=email", 0},
	}
	for _, ft := range filters {
		var fv RecordsView
		f.do("GET", "/api/v1/records?"+ft.q, f.tokens[RoleViewer], nil).json(t, &fv)
		if len(fv.Records) != ft.want {
			t.Errorf("?%s: %d records, want %d", ft.q, len(fv.Records), ft.want)
		}
	}
	for _, bad := range []string{"kind=nope", "type=DROP%20TABLE", "limit=0", "limit=9999", "cursor=-1", "cursor=x"} {
		if r := f.do("GET", "/api/v1/records?"+bad, f.tokens[RoleViewer], nil); r.code != 400 {
			t.Errorf("?%s: %d, want 400", bad, r.code)
		}
	}
}

func TestLookupAndRefusal(t *testing.T) {
	f := newFixture(t)
	var lv LookupView
	r := f.do("POST", "/api/v1/subjects/lookup", f.tokens[RoleOperator], map[string]string{"subject_type": "cn_mobile", "subject": "+86 138-1234-5678"})
	r.json(t, &lv)
	if r.code != 200 || len(lv.Consents) != 1 || lv.Records != 1 {
		t.Fatalf("lookup: %d %+v", r.code, lv)
	}
	if r := f.do("POST", "/api/v1/subjects/lookup", f.tokens[RoleOperator], map[string]string{"subject_type": "cn_mobile", "subject": "12"}); r.code != 422 {
		t.Fatalf("invalid subject: %d, want 422", r.code)
	}
	var pv WithdrawView
	r = f.do("POST", "/api/v1/refusals", f.tokens[RoleOperator], map[string]string{"subject_type": "cn_mobile", "subject": rawMobile})
	r.json(t, &pv)
	if r.code != 201 || pv.Purged != 1 || pv.ID == "" {
		t.Fatalf("refusal: %d %+v", r.code, pv)
	}
	f.checkNoRaw()
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/api/v1/status", "/signin", "/nope", "/static/console.css", "/api/v1/report"} {
		r := f.do("GET", p, f.tokens[RoleViewer], nil)
		csp := r.h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "script-src 'unsafe-inline'") ||
			(strings.Contains(csp, "script-src") && !strings.Contains(csp, "script-src 'self'")) {
			t.Errorf("%s: CSP %q", p, csp)
		}
		if r.h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", p)
		}
	}
}

func TestCheckAddr(t *testing.T) {
	tests := []struct {
		addr          string
		tls, insecure bool
		ok            bool
	}{
		{"127.0.0.1:8088", false, false, true},
		{"127.0.0.9:8088", false, false, true},
		{"[::1]:8088", false, false, true},
		{"localhost:8088", false, false, true},
		{":8088", false, false, false},
		{"0.0.0.0:8088", false, false, false},
		{"[::]:8088", false, false, false},
		{"192.168.1.5:8088", false, false, false},
		{"example.com:8088", false, false, false},
		{"0.0.0.0:8088", true, false, true},
		{"0.0.0.0:8088", false, true, true},
		{"nonsense", false, false, false},
	}
	for _, tt := range tests {
		if err := CheckAddr(tt.addr, tt.tls, tt.insecure); (err == nil) != tt.ok {
			t.Errorf("CheckAddr(%q, tls=%v, insecure=%v) = %v, want ok=%v", tt.addr, tt.tls, tt.insecure, err, tt.ok)
		}
	}
}
