package crawler

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

const lifecyclePurpose = "credit risk assessment for loan applicants"

func phonePage(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.4:0")
	if err != nil {
		t.Skipf("listen: %v", err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
			return
		}
		fmt.Fprint(w, "<html><body><p>联系人手机：13812345678。</p></body></html>")
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

func runOnce(t *testing.T, dir string, cfg Config) error {
	t.Helper()
	st, err := sqlite.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := New(cfg, st)
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Crawl(context.Background())
	return err
}

func storedText(t *testing.T, dir string) string {
	st, err := sqlite.OpenWith(dir, sqlite.Options{NoLock: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var b strings.Builder
	st.Records(context.Background(), func(r *scruple.Record) error { b.WriteString(r.Text); return nil })
	return b.String()
}

// TestConsentExpiryPurges: a value kept under a consent is purged by the first
// crawl that starts after the consent expired, and the purge is logged.
func TestConsentExpiryPurges(t *testing.T) {
	seed := phonePage(t)
	dir := t.TempDir()
	key := make([]byte, 32)
	now := time.Now()
	c := &scruple.Consent{ID: "c1", Subject: consent.SubjectHMAC(key, "cn_mobile", "13812345678"), SubjectType: "cn_mobile",
		Types: []string{"cn_mobile"}, Purpose: lifecyclePurpose, Processor: "Example Data Ltd", Recipients: nil,
		Method: "signed paper form", Evidence: strings.Repeat("ab", 32), GrantedAt: now.Add(-time.Hour), ExpiresAt: now.Add(time.Hour)}
	st, err := sqlite.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	st.PutConsent(context.Background(), c)
	st.Close()

	cfg := DefaultConfig(seed)
	cfg.AllowCIDRs, cfg.Delay, cfg.NoSitemaps = []string{"127.0.0.0/8"}, -1, true
	cfg.ConsentKey, cfg.Purpose = key, lifecyclePurpose
	if err := runOnce(t, dir, cfg); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(storedText(t, dir), "13812345678") {
		t.Fatal("consented value not kept while the consent was live")
	}
	cfg.Now = func() time.Time { return now.Add(2 * time.Hour) } // after expiry
	if err := runOnce(t, dir, cfg); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(storedText(t, dir), "13812345678") {
		t.Fatal("value kept after its consent expired")
	}
	st, _ = sqlite.OpenWith(dir, sqlite.Options{NoLock: true})
	defer st.Close()
	n, _ := st.LogSize(context.Background())
	var kinds []string
	st.Entries(context.Background(), 0, n, func(_ int64, b []byte) error {
		e, _ := provenance.ParseEntry(b)
		kinds = append(kinds, e.Kind)
		return nil
	})
	if got := strings.Join(kinds, ","); !strings.Contains(got, "purge") || !strings.Contains(got, "expire") || strings.Contains(got, "expiry") {
		t.Fatalf("log kinds %s: want the expire entry and its purges, and no second expiry entry", got)
	}
}

// TestCorruptLogRefused: a crawl refuses to append to a log that does not
// verify, with a message that says how to recover.
func TestCorruptLogRefused(t *testing.T) {
	seed := phonePage(t)
	dir := t.TempDir()
	signer, vkey, err := provenance.LoadOrCreateKey(dir, "test-key")
	if err != nil {
		t.Fatal(err)
	}
	cfg := DefaultConfig(seed)
	cfg.AllowCIDRs, cfg.Delay, cfg.NoSitemaps = []string{"127.0.0.0/8"}, -1, true
	cfg.Signer, cfg.VerifierKey = signer, vkey
	if err := runOnce(t, dir, cfg); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB().Exec(`UPDATE log_entries SET data = CAST('{"kind":"record","url":"forged"}' AS BLOB) WHERE idx = 0`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	err = runOnce(t, dir, cfg)
	if scruple.ErrorCode(err) != scruple.ECONFLICT || !strings.Contains(err.Error(), "does not verify") ||
		!strings.Contains(err.Error(), "new --data") {
		t.Fatalf("crawl on a corrupt log: %v", err)
	}
}
