package serve

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestPathTraversal: no path reaches outside the embedded assets or around
// a route's guard.
func TestPathTraversal(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{
		"/static/../serve-tokens.json", "/static/..%2f..%2fserve-tokens.json", "/static/%2e%2e/openapi.go",
		"/static/../../consent.key", "/static//etc/passwd", "/static/console/../../../go.mod",
		"/api/v1/../v1/tokens", "/api/v1/consents/..%2f..%2ftokens", "//api/v1/tokens",
	} {
		req := httptest.NewRequest("GET", "http://x"+p, nil)
		req.URL.RawPath = ""
		w := httptest.NewRecorder()
		f.h.ServeHTTP(w, req)
		body := w.Body.String()
		if w.Code == http.StatusOK && (strings.Contains(body, `"hash"`) || strings.Contains(body, "package serve") ||
			strings.Contains(body, "module ") || strings.Contains(body, "root:")) {
			t.Errorf("%s: %d served something it must not", p, w.Code)
		}
		if strings.Contains(body, `"tokens"`) {
			t.Errorf("%s: the token list without a token", p)
		}
	}
}

// FuzzAPIBodies: whatever a client sends to the JSON endpoints, the answer
// is never a server error and never echoes the subject.
func FuzzAPIBodies(f *testing.F) {
	f.Add("/api/v1/consents", `{"subject_type":"cn_mobile","subject":"13812345678","types":["*"]}`)
	f.Add("/api/v1/refusals", `{"subject_type":"cn_mobile","subject":"13812345678"}`)
	f.Add("/api/v1/subjects/lookup", `{"subject_type":"email","subject":"a@b.example"}`)
	f.Add("/api/v1/consents", `{"granted_at":"13812345678"}`)
	f.Add("/api/v1/tokens", `{"role":"admin","label":"`+strings.Repeat("x", 100)+`"}`)
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, path, body string) {
		switch path {
		case "/api/v1/consents", "/api/v1/refusals", "/api/v1/subjects/lookup", "/api/v1/tokens":
		default:
			return
		}
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+fx.tokens[RoleAdmin])
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		fx.h.ServeHTTP(w, req)
		if w.Code >= 500 {
			t.Fatalf("%s: %d", path, w.Code)
		}
		if strings.Contains(w.Body.String(), rawMobile) {
			t.Fatalf("%s: the subject is echoed", path)
		}
	})
}
