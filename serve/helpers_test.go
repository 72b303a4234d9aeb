package serve

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/internal/testenv"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

// rawMobile is the planted subject: it must never appear in a response,
// a log line or a metric.
const rawMobile = "13812345678"

// syncBuffer is a log sink tests read while the server writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

type fixture struct {
	t      testing.TB
	dir    string
	st     scruple.Store
	srv    *Server
	h      http.Handler
	key    []byte
	tokens map[Role]string
	tf     *Tokens
	logs   *syncBuffer
	spec   *openAPIDoc
	// consent is a live consent for rawMobile; record is a stored record
	// holding rawMobile kept under it.
	consent *scruple.Consent
}

func goodGrant(now time.Time) consent.Grant {
	return consent.Grant{SubjectType: pii.Type("cn_mobile"), Subject: rawMobile, Types: []pii.Type{"cn_mobile"},
		Purpose: "order delivery notices by SMS", Processor: "Example Trading Co., Ltd.", Recipients: []string{"none"},
		Method: "signed paper form", Evidence: strings.Repeat("ab", 32),
		GrantedAt: now.Add(-time.Hour).UTC().Truncate(time.Second), ExpiresAt: now.Add(30 * 24 * time.Hour).UTC().Truncate(time.Second)}
}

// storeOpener opens a fresh store for a fixture; wrap, when set, wraps
// it for the server (the fixture seeds the unwrapped store).
type storeOpener func(t testing.TB, dir string) scruple.Store

func openSQLite(t testing.TB, dir string) scruple.Store {
	st, err := sqlite.OpenWith(dir, sqlite.Options{NoLock: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// fixtureStores are the stores a test runs on: SQLite always, PostgreSQL
// when SCRUPLE_TEST_POSTGRES names a database (SCRUPLE_REQUIRE=postgres
// makes its absence fail).
func fixtureStores(t *testing.T) map[string]storeOpener {
	out := map[string]storeOpener{"sqlite": openSQLite}
	dsn := os.Getenv("SCRUPLE_TEST_POSTGRES")
	if dsn == "" {
		if testenv.Required("postgres") {
			t.Fatal("postgres is required (SCRUPLE_REQUIRE) but SCRUPLE_TEST_POSTGRES is not set")
		}
		return out
	}
	out["postgres"] = func(t testing.TB, dir string) scruple.Store {
		n := make([]byte, 4)
		rand.Read(n)
		st, err := postgres.Open(context.Background(), dsn, "test-serve-"+hex.EncodeToString(n), postgres.Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.DeleteCrawl(context.Background()); st.Close() })
		return st
	}
	return out
}

func newFixture(t testing.TB) *fixture { return newFixtureOn(t, openSQLite, nil) }

// newFixtureOn is newFixture on the store open returns; wrap, when set,
// gives the server a wrapped store.
func newFixtureOn(t testing.TB, open storeOpener, wrap func(scruple.Store) scruple.Store) *fixture {
	t.Helper()
	dir := t.TempDir()
	st := open(t, dir)
	key, err := consent.LoadOrCreateKey(dir)
	if err != nil {
		t.Fatal(err)
	}
	// As `scruple serve` opens it: kept values sealed per consent (shred).
	if err := st.(interface{ UseConsentKey([]byte) error }).UseConsentKey(key); err != nil {
		t.Fatal(err)
	}
	srvStore := st
	if wrap != nil {
		srvStore = wrap(st)
	}
	f := &fixture{t: t, dir: dir, st: st, key: key, tokens: map[Role]string{}, tf: OpenTokens(dir + "/serve-tokens.json"), logs: &syncBuffer{}}
	for _, r := range []Role{RoleViewer, RoleOperator, RoleAdmin} {
		tok, _, err := f.tf.Create(r, "test-"+r.String(), time.Now())
		if err != nil {
			t.Fatal(err)
		}
		f.tokens[r] = tok
	}
	ledger := &StoreLedger{Store: srvStore, Key: key, Info: provenance.BuildInfo{CrawlerVersion: "test", PolicyVersion: "test"}}
	f.srv, err = New(Config{Store: srvStore, Ledger: ledger, Tokens: f.tf,
		Logger: slog.New(slog.NewTextHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
		Report: func(ctx context.Context, w io.Writer, lang string) error {
			_, err := io.WriteString(w, "<!doctype html><title>report</title>")
			return err
		}})
	if err != nil {
		t.Fatal(err)
	}
	f.h = f.srv.Handler()
	f.seed()
	return f
}

// seed grants a consent for rawMobile and stores one page that kept the
// number under it, so that a withdrawal has something to purge.
func (f *fixture) seed() {
	t := f.t
	ctx := context.Background()
	c, err := goodGrant(time.Now()).Consent(f.key)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.st.PutConsent(ctx, c); err != nil {
		t.Fatal(err)
	}
	f.consent = c
	it := scruple.URLItem{URL: "http://a.test/contact", Host: "a.test:80", Source: scruple.FromSeed}
	if _, err := f.st.Enqueue(ctx, []scruple.URLItem{it}); err != nil {
		t.Fatal(err)
	}
	got, err := f.st.Lease(ctx, "a.test:80", 1, time.Now())
	if err != nil || len(got) != 1 {
		t.Fatalf("lease: %v %v", got, err)
	}
	text := "call " + rawMobile + " for delivery"
	rec := &scruple.Record{URL: it.URL, FinalURL: it.URL, Kind: scruple.KindPage, Status: 200, FetchedAt: time.Now().UTC(),
		Text: text, Digest: "d1", Findings: []scruple.Finding{{Type: "cn_mobile", Start: 5, End: 5 + len(rawMobile),
			Action: "keep", Consent: c.ID, Subject: c.Subject, Level: "C2", Confidence: 0.9}}}
	if err := f.st.Commit(ctx, []scruple.Outcome{{Item: got[0], Record: rec,
		Seal: func(r *scruple.Record) ([]byte, error) {
			return provenance.NewRecordEntry(r, provenance.BuildInfo{CrawlerVersion: "test"}).Marshal(), nil
		}}}); err != nil {
		t.Fatal(err)
	}
}

type resp struct {
	code int
	h    http.Header
	body string
}

func (r resp) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("response %d is not JSON: %v: %.200s", r.code, err, r.body)
	}
}

// do sends a request with an optional bearer token and returns the response.
func (f *fixture) do(method, path, token string, body any, hdr ...string) resp {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(j)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i] == "X-Test-Remote" {
			req.RemoteAddr = hdr[i+1] + ":1234"
			continue
		}
		req.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, req)
	out := resp{code: w.Code, h: w.Header(), body: w.Body.String()}
	f.checkDocumented(req.Pattern, out.code)
	if strings.Contains(out.body, rawMobile) {
		f.t.Fatalf("%s %s: the raw subject appears in the response", method, path)
	}
	return out
}

// checkDocumented fails when an API route answered a status its OpenAPI
// description does not list: every test is also a check that the
// description matches what the server does.
func (f *fixture) checkDocumented(pattern string, code int) {
	f.t.Helper()
	method, path, ok := strings.Cut(pattern, " ")
	if !ok || !(strings.HasPrefix(path, "/api/") || path == "/metrics") {
		return
	}
	if f.spec == nil {
		if err := yaml.Unmarshal(openAPISpec, &f.spec); err != nil {
			f.t.Fatalf("openapi.yaml: %v", err)
		}
	}
	op := f.spec.Paths[path][strings.ToLower(method)]
	if _, ok := op.Responses[strconv.Itoa(code)]; !ok {
		f.t.Errorf("%s answered %d, which openapi.yaml does not list for it", pattern, code)
	}
}

// openAPIDoc is the part of openapi.yaml checkDocumented reads.
type openAPIDoc struct {
	Paths map[string]map[string]struct {
		Responses map[string]any `yaml:"responses"`
	} `yaml:"paths"`
}

// checkNoRaw fails when the raw subject reached the logs.
func (f *fixture) checkNoRaw() {
	f.t.Helper()
	if strings.Contains(f.logs.String(), rawMobile) || strings.Contains(f.logs.String(), "138 1234") {
		f.t.Fatalf("the raw subject appears in the server's log")
	}
}

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }
