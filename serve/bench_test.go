package serve

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/internal/testenv"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

// BenchmarkWithdraw measures withdrawals per second through the API, over
// loopback HTTP, each purging one stored record (re-redaction, a purge
// entry and a withdrawal event in the provenance log), on SQLite and on
// PostgreSQL (SCRUPLE_TEST_POSTGRES). Setup grants b.N consents and stores
// one record per consent outside the timer.
func BenchmarkWithdraw(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) {
		st, err := sqlite.OpenWith(b.TempDir(), sqlite.Options{NoLock: true})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		benchWithdraw(b, st)
	})
	b.Run("postgres", func(b *testing.B) {
		dsn := os.Getenv("SCRUPLE_TEST_POSTGRES")
		if dsn == "" {
			testenv.Missing(b, "postgres", "set SCRUPLE_TEST_POSTGRES to benchmark PostgreSQL")
		}
		n := make([]byte, 4)
		rand.Read(n)
		st, err := postgres.Open(context.Background(), dsn, "bench-withdraw-"+hex.EncodeToString(n), postgres.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer st.Close()
		benchWithdraw(b, st)
	})
}

func benchWithdraw(b *testing.B, st scruple.Store) {
	ctx := context.Background()
	key := make([]byte, consent.KeySize)
	rand.Read(key)
	info := provenance.BuildInfo{CrawlerVersion: "bench", PolicyVersion: "bench"}
	tf := OpenTokens(b.TempDir() + "/tokens.json")
	tok, _, err := tf.Create(RoleOperator, "bench", time.Now())
	if err != nil {
		b.Fatal(err)
	}
	srv, err := New(Config{Store: st, Ledger: &StoreLedger{Store: st, Key: key, Info: info}, Tokens: tf,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, b.N)
	now := time.Now()
	for i := range b.N {
		g := goodGrant(now)
		g.Subject = fmt.Sprintf("139%08d", i)
		c, err := g.Consent(key)
		if err != nil {
			b.Fatal(err)
		}
		if err := st.PutConsent(ctx, c); err != nil {
			b.Fatal(err)
		}
		ids[i] = c.ID
		u := fmt.Sprintf("http://bench.test/p%d", i)
		it := scruple.URLItem{URL: u, Host: "bench.test:80", Source: scruple.FromSeed}
		if _, err := st.Enqueue(ctx, []scruple.URLItem{it}); err != nil {
			b.Fatal(err)
		}
		got, err := st.Lease(ctx, "bench.test:80", 1, time.Now())
		if err != nil || len(got) != 1 {
			b.Fatalf("lease: %v", err)
		}
		text := "call " + g.Subject + " for delivery"
		rec := &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, FetchedAt: now.UTC(), Text: text, Digest: u,
			Findings: []scruple.Finding{{Type: "cn_mobile", Start: 5, End: 16, Action: "keep", Consent: c.ID, Subject: c.Subject}}}
		err = st.Commit(ctx, []scruple.Outcome{{Item: got[0], Record: rec,
			Seal: func(r *scruple.Record) ([]byte, error) { return provenance.NewRecordEntry(r, info).Marshal(), nil }}})
		if err != nil {
			b.Fatal(err)
		}
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := ts.Client()
	b.ResetTimer()
	for i := range b.N {
		req, _ := http.NewRequest("POST", ts.URL+"/api/v1/consents/"+ids[i]+"/withdraw", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || string(body) != fmt.Sprintf("{\"id\":%q,\"purged\":1}\n", ids[i]) {
			b.Fatalf("withdraw %d: %d %s", i, resp.StatusCode, body)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "withdrawals/s")
}

// BenchmarkStatus measures computing the status that GET /api/v1/status
// serves (the console polls it every 2 s; the server computes it at most
// once a second, however many consoles poll), on a SQLite store of 20,000
// URLs over 200 hosts, 10,000 of them done. Its cost bounds what open
// consoles take from a crawl.
func BenchmarkStatus(b *testing.B) {
	st, err := sqlite.OpenWith(b.TempDir(), sqlite.Options{NoLock: true})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var items []scruple.URLItem
	for i := range 20000 {
		h := fmt.Sprintf("h%d.test", i%200)
		items = append(items, scruple.URLItem{URL: fmt.Sprintf("http://%s/p%d", h, i), Host: h + ":80", Source: scruple.FromSeed})
	}
	if _, err := st.Enqueue(ctx, items); err != nil {
		b.Fatal(err)
	}
	for h := range 200 {
		host := fmt.Sprintf("h%d.test:80", h)
		got, err := st.Lease(ctx, host, 50, time.Now())
		if err != nil {
			b.Fatal(err)
		}
		var outs []scruple.Outcome
		for _, it := range got {
			outs = append(outs, scruple.Outcome{Item: it, Record: &scruple.Record{URL: it.URL, FinalURL: it.URL, Kind: scruple.KindPage,
				Status: 200, FetchedAt: time.Now().UTC(), Text: "text", Digest: it.URL}})
		}
		if err := st.Commit(ctx, outs); err != nil {
			b.Fatal(err)
		}
	}
	tf := OpenTokens(b.TempDir() + "/tokens.json")
	tok, _, _ := tf.Create(RoleViewer, "bench", time.Now())
	srv, err := New(Config{Store: st, Ledger: &StoreLedger{Store: st}, Tokens: tf})
	if err != nil {
		b.Fatal(err)
	}
	_ = tok
	b.ResetTimer()
	for b.Loop() {
		v, err := srv.computeStatus(ctx)
		if err != nil || v.Frontier.Done != 10000 {
			b.Fatalf("status: %+v %v", v, err)
		}
	}
}
