package ledger_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/consent/ledger"
	"github.com/scruple/scruple/internal/testenv"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var (
	bg      = context.Background()
	testKey = []byte("0123456789abcdef0123456789abcdef")
	t0      = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
)

const (
	mobile  = "13812345678" // the subjects in these tests are synthetic
	mobile2 = "13912345678"
	purpose = "order delivery notices by SMS"
)

// clock is a fake clock the tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// opener opens stores that share one database: a second call gives a second
// connection (another process, as far as the store can tell).
type opener func(t *testing.T) scruple.Store

// backends are the stores the tests run on: SQLite always, PostgreSQL when
// SCRUPLE_TEST_POSTGRES names a database.
func backends(t *testing.T) map[string]func(t *testing.T) opener {
	return map[string]func(t *testing.T) opener{
		"sqlite": func(t *testing.T) opener {
			dir := t.TempDir()
			return func(t *testing.T) scruple.Store {
				s, err := sqlite.OpenWith(dir, sqlite.Options{NoLock: true})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s.Close() })
				return s
			}
		},
		"postgres": func(t *testing.T) opener {
			dsn := os.Getenv("SCRUPLE_TEST_POSTGRES")
			if dsn == "" {
				testenv.Missing(t, "postgres", "PostgreSQL tests are disabled; set SCRUPLE_TEST_POSTGRES")
			}
			b := make([]byte, 4)
			rand.Read(b)
			name := "ledger-" + hex.EncodeToString(b)
			first := true
			return func(t *testing.T) scruple.Store {
				s, err := postgres.Open(bg, dsn, name, postgres.Options{})
				if err != nil {
					t.Fatal(err)
				}
				if first {
					first = false
					t.Cleanup(func() { s.DeleteCrawl(bg); s.Close() })
				} else {
					t.Cleanup(func() { s.Close() })
				}
				return s
			}
		},
	}
}

func eachBackend(t *testing.T, fn func(t *testing.T, open opener)) {
	for name, mk := range backends(t) {
		t.Run(name, func(t *testing.T) { fn(t, mk(t)) })
	}
}

func grant(subject string, granted time.Time) consent.Grant {
	return consent.Grant{SubjectType: pii.Mobile, Subject: subject, Types: []pii.Type{pii.Mobile}, Purpose: purpose,
		Processor: "Example Trading Co., Ltd.", Recipients: []string{"none"}, Method: "signed paper form",
		Evidence: strings.Repeat("ab", 32), GrantedAt: granted, ExpiresAt: granted.Add(30 * 24 * time.Hour)}
}

func newLedger(st scruple.Store, clk *clock) *ledger.Ledger {
	return ledger.New(st, ledger.Options{Key: testKey, Now: clk.Now})
}

func wantRule(t *testing.T, what string, err error, code, rule string) {
	t.Helper()
	var le *ledger.Error
	if !errors.As(err, &le) {
		t.Fatalf("%s: %v, want a *ledger.Error %s", what, err, rule)
	}
	if le.Rule() != rule || le.Code != code || scruple.ErrorCode(err) != code {
		t.Fatalf("%s: rule %q code %q (ErrorCode %q), want %q %q: %v", what, le.Rule(), le.Code, scruple.ErrorCode(err), rule, code, err)
	}
	for _, raw := range []string{mobile, mobile2} {
		if strings.Contains(err.Error(), raw) {
			t.Fatalf("%s: the error holds a raw subject", what)
		}
	}
}

// logEntries returns the store's log entries, parsed.
func logEntries(t *testing.T, st scruple.Store) []provenance.Entry {
	t.Helper()
	n, err := st.LogSize(bg)
	if err != nil {
		t.Fatal(err)
	}
	var out []provenance.Entry
	err = st.Entries(bg, 0, n, func(_ int64, data []byte) error {
		for _, raw := range []string{mobile, mobile2} {
			if strings.Contains(string(data), raw) {
				t.Fatalf("a log entry holds a raw subject")
			}
		}
		e, err := provenance.ParseEntry(data)
		out = append(out, e)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func kinds(es []provenance.Entry) string {
	var k []string
	for _, e := range es {
		k = append(k, e.Kind)
	}
	return strings.Join(k, ",")
}

// TestWithdrawnIsFinal is issue 10 item 2: granting or importing a withdrawn
// consent again (same fields, same granted_at: the same ID) revived it.
func TestWithdrawnIsFinal(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		st := open(t)
		clk := &clock{t: t0}
		l := newLedger(st, clk)
		g := grant(mobile, t0.Add(-time.Hour))
		res, err := l.Grant(bg, g)
		if err != nil || res.Unchanged {
			t.Fatalf("Grant: %+v, %v", res, err)
		}
		id := res.Consent.ID
		if again, err := l.Grant(bg, g); err != nil || !again.Unchanged || again.Consent.ID != id {
			t.Fatalf("granting a live consent again: %+v, %v; want unchanged", again, err)
		}
		if _, err := l.Withdraw(bg, id, time.Time{}); err != nil {
			t.Fatal(err)
		}
		_, err = l.Grant(bg, g)
		wantRule(t, "re-grant after withdrawal", err, scruple.ECONFLICT, ledger.RuleFinal)
		if !errors.Is(err, scruple.ErrConsentFinal) {
			t.Fatalf("re-grant error does not wrap ErrConsentFinal: %v", err)
		}
		line := fmt.Sprintf(`{"subject_type":"cn_mobile","subject":%q,"types":["cn_mobile"],"purpose":%q,`+
			`"processor":"Example Trading Co., Ltd.","recipients":["none"],"method":"signed paper form","evidence":%q,`+
			`"granted_at":%q,"expires_at":%q}`, mobile, purpose, g.Evidence,
			g.GrantedAt.Format(time.RFC3339), g.ExpiresAt.Format(time.RFC3339))
		imp, err := l.Import(bg, strings.NewReader("\n"+line+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if len(imp.Imported) != 0 || len(imp.Bad) != 1 || imp.Bad[0].Line != 2 {
			t.Fatalf("re-import of a withdrawn grant: %d imported, bad %v", len(imp.Imported), imp.Bad)
		}
		wantRule(t, "re-import", imp.Bad[0].Err, scruple.ECONFLICT, ledger.RuleFinal)
		c, err := st.Consent(bg, id)
		if err != nil || c.State(clk.Now()) != scruple.ConsentWithdrawn {
			t.Fatalf("consent after re-grant and re-import: %v, %v", c.State(clk.Now()), err)
		}
		if got := kinds(logEntries(t, st)); got != "grant,withdraw" {
			t.Fatalf("log = %s", got)
		}
		_, err = l.Withdraw(bg, "nope", time.Time{})
		wantRule(t, "withdraw an unknown id", err, scruple.ENOTFOUND, ledger.RuleNotFound)
	})
}

// TestWithdrawalBlocksResentGrants: a withdrawn grant sent again with a
// field changed (a CRM re-sync moving the expiry by a second, a new evidence
// digest) has a new ID, so finality by ID alone let it come back live. A
// withdrawal refuses new grants of its subject for the same purpose dated at
// or before it; a grant dated after it (the subject consenting again) stands,
// and so does another purpose.
func TestWithdrawalBlocksResentGrants(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		st := open(t)
		clk := &clock{t: t0}
		l := newLedger(st, clk)
		g := grant(mobile, t0.Add(-2*time.Hour))
		res, err := l.Grant(bg, g)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Withdraw(bg, res.Consent.ID, t0.Add(-time.Hour)); err != nil {
			t.Fatal(err)
		}
		moved := g
		moved.ExpiresAt = g.ExpiresAt.Add(time.Second)
		_, err = l.Grant(bg, moved)
		wantRule(t, "re-sent grant with its expiry moved", err, scruple.ECONFLICT, ledger.RuleBlocked)
		line := fmt.Sprintf(`{"subject_type":"cn_mobile","subject":%q,"types":["cn_mobile"],"purpose":%q,`+
			`"processor":"Example Trading Co., Ltd.","recipients":["none"],"method":"signed paper form","evidence":%q,`+
			`"granted_at":%q,"expires_at":%q}`, mobile, " "+strings.ToUpper(purpose[:1])+purpose[1:], g.Evidence,
			g.GrantedAt.Add(time.Minute).Format(time.RFC3339), g.ExpiresAt.Add(2*time.Second).Format(time.RFC3339))
		imp, err := l.Import(bg, strings.NewReader(line+"\n"))
		if err != nil {
			t.Fatal(err)
		}
		if len(imp.Imported) != 0 || len(imp.Bad) != 1 {
			t.Fatalf("re-import of a withdrawn grant, changed: %d imported, bad %v", len(imp.Imported), imp.Bad)
		}
		wantRule(t, "re-import, changed", imp.Bad[0].Err, scruple.ECONFLICT, ledger.RuleBlocked)
		if _, err := l.Grant(bg, grant(mobile, t0.Add(-30*time.Minute))); err != nil {
			t.Fatalf("a grant dated after the withdrawal: %v", err)
		}
		other := grant(mobile, t0.Add(-2*time.Hour))
		other.Purpose = "annual statement delivery to the account holder"
		if _, err := l.Grant(bg, other); err != nil {
			t.Fatalf("a grant for another purpose: %v", err)
		}
	})
}

// TestRefusalBlocksEarlierGrants: a refusal (PIPL Art. 27) ends the
// subject's grants dated at or before it, for good, and refuses new ones so
// dated; a grant dated after it stands.
func TestRefusalBlocksEarlierGrants(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		st := open(t)
		clk := &clock{t: t0}
		l := newLedger(st, clk)
		early, err := l.Grant(bg, grant(mobile, t0.Add(-2*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		other, err := l.Grant(bg, grant(mobile2, t0.Add(-2*time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		ref, err := l.Refuse(bg, pii.Mobile, mobile, t0.Add(-time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(ref.Ended) != 1 || ref.Ended[0] != early.Consent.ID {
			t.Fatalf("refusal ended %v, want [%s]", ref.Ended, early.Consent.ID)
		}
		_, err = l.Grant(bg, grant(mobile, t0.Add(-90*time.Minute)))
		wantRule(t, "grant dated before the refusal", err, scruple.ECONFLICT, ledger.RuleBlocked)
		if _, err := l.Grant(bg, grant(mobile, t0.Add(-30*time.Minute))); err != nil {
			t.Fatalf("grant dated after the refusal: %v", err)
		}
		_, err = l.Withdraw(bg, ref.Consent.ID, time.Time{})
		wantRule(t, "withdraw a refusal", err, scruple.ECONFLICT, ledger.RuleFinal)
		var all []*scruple.Consent
		st.Consents(bg, func(c *scruple.Consent) error { all = append(all, c); return nil })
		ix := consent.NewIndex(all)
		subj := consent.SubjectHMAC(testKey, pii.Mobile, mobile)
		if id, ok := ix.Covers(subj, pii.Mobile, purpose, clk.Now(), false, false); !ok || id == early.Consent.ID {
			t.Fatalf("Covers after refusal = %s, %v; want the later grant", id, ok)
		}
		if _, ok := ix.Covers(consent.SubjectHMAC(testKey, pii.Mobile, mobile2), pii.Mobile, purpose, clk.Now(), false, false); !ok {
			t.Fatalf("another subject's grant %s is blocked", other.Consent.ID)
		}
		es := logEntries(t, st)
		if got := kinds(es); got != "grant,grant,refuse,grant" {
			t.Fatalf("log = %s", got)
		}
		if es[2].Terms == nil || !es[2].Terms.Refused || es[2].Terms.Subject != subj {
			t.Fatalf("refuse entry terms = %+v", es[2].Terms)
		}
	})
}

// TestInvalidGrant: the ledger refuses blanket consent with field and rule.
func TestInvalidGrant(t *testing.T) {
	st := backends(t)["sqlite"](t)(t)
	l := newLedger(st, &clock{t: t0})
	g := grant(mobile, t0.Add(-time.Hour))
	g.Recipients = []string{"Acme Logistics Ltd", "third parties"}
	g.ExpiresAt = time.Time{}
	_, err := l.Grant(bg, g)
	wantRule(t, "blanket grant", err, scruple.EINVALID, ledger.RuleInvalid)
	var le *ledger.Error
	errors.As(err, &le)
	fields := map[string]bool{}
	for _, p := range le.Problems {
		fields[p.Field] = true
	}
	if !fields["recipients[1]"] || !fields["expires_at"] || len(le.Problems) != 2 {
		t.Fatalf("problems = %+v", le.Problems)
	}
	if n, _ := st.LogSize(bg); n != 0 {
		t.Fatalf("a refused grant logged %d entries", n)
	}
}

// TestSweepExpires is issue 10 item 3: expiry purges without a crawl, and
// is logged once.
func TestSweepExpires(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		st := open(t)
		clk := &clock{t: t0}
		l := newLedger(st, clk)
		g := grant(mobile, t0.Add(-time.Hour))
		res, err := l.Grant(bg, g)
		if err != nil {
			t.Fatal(err)
		}
		url := keepPage(t, st, res.Consent, mobile)
		if sw, err := l.Sweep(bg); err != nil || len(sw.Expired) != 0 || sw.Purged != 0 {
			t.Fatalf("sweep of a live ledger: %+v, %v", sw, err)
		}
		n0, _ := st.LogSize(bg)
		clk.Set(g.ExpiresAt)
		sw, err := l.Sweep(bg)
		if err != nil || len(sw.Expired) != 1 || sw.Purged != 1 {
			t.Fatalf("sweep at expiry: %+v, %v", sw, err)
		}
		assertNoValue(t, st, url, mobile)
		es := logEntries(t, st)
		if got := kinds(es[n0:]); got != "expire,sweep,purge" {
			t.Fatalf("sweep logged %s", got)
		}
		if n1, _ := st.LogSize(bg); true {
			if sw, err := l.Sweep(bg); err != nil || len(sw.Expired) != 0 || sw.Purged != 0 {
				t.Fatalf("second sweep: %+v, %v", sw, err)
			}
			if n2, _ := st.LogSize(bg); n2 != n1 {
				t.Fatalf("a sweep with nothing to do logged %d entries", n2-n1)
			}
		}
		c, _ := st.Consent(bg, res.Consent.ID)
		if c.ExpiryLoggedAt == nil {
			t.Fatalf("expiry not marked")
		}
	})
}

// keepPage commits a page keeping raw under c (as a crawl would) and returns
// its URL.
func keepPage(t *testing.T, st scruple.Store, c *scruple.Consent, raw string) string {
	t.Helper()
	it := scruple.URLItem{URL: "http://a.test/" + c.ID[:8], Host: "a.test:80", Source: scruple.FromSeed}
	if _, err := st.Enqueue(bg, []scruple.URLItem{it}); err != nil {
		t.Fatal(err)
	}
	got, err := st.Lease(bg, it.Host, 1, time.Now().Add(time.Hour))
	if err != nil || len(got) != 1 {
		t.Fatalf("lease: %v %v", got, err)
	}
	text := "call " + raw + " now"
	r := &scruple.Record{URL: it.URL, Kind: scruple.KindPage, Status: 200, FetchedAt: t0, Text: text, Digest: strings.Repeat("0", 56) + c.ID[:8],
		Findings: []scruple.Finding{{Type: "cn_mobile", Start: 5, End: 5 + len(raw), Action: "keep", Consent: c.ID, Subject: c.Subject}}}
	o := scruple.Outcome{Item: got[0], Record: r, Entry: provenance.NewRecordEntry(r, provenance.BuildInfo{}).Marshal()}
	if err := st.Commit(bg, []scruple.Outcome{o}); err != nil {
		t.Fatal(err)
	}
	return it.URL
}

func assertNoValue(t *testing.T, st scruple.Store, url, raw string) {
	t.Helper()
	err := st.Records(bg, func(r *scruple.Record) error {
		if r.URL == url && (strings.Contains(r.Text, raw) || strings.Contains(r.Title, raw)) {
			t.Errorf("record %s still holds the value", url)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestConcurrentCommands races withdrawals against re-grants and re-imports
// of the same consent from separate connections (separate processes as far
// as the store knows): whatever the interleaving, once a withdrawal is
// stored the consent stays withdrawn.
func TestConcurrentCommands(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		clk := &clock{t: t0}
		const n = 6
		var ids []string
		var grants []consent.Grant
		l0 := newLedger(open(t), clk)
		for i := 0; i < n; i++ {
			g := grant(fmt.Sprintf("1381234560%d", i), t0.Add(-time.Hour))
			res, err := l0.Grant(bg, g)
			if err != nil {
				t.Fatal(err)
			}
			ids, grants = append(ids, res.Consent.ID), append(grants, g)
		}
		a, b := newLedger(open(t), clk), newLedger(open(t), clk)
		var wg sync.WaitGroup
		errs := make(chan error, 8*n)
		for i := 0; i < n; i++ {
			wg.Add(2)
			go func() {
				defer wg.Done()
				if _, err := a.Withdraw(bg, ids[i], time.Time{}); err != nil {
					errs <- fmt.Errorf("withdraw %d: %w", i, err)
				}
			}()
			go func() {
				defer wg.Done()
				for k := 0; k < 3; k++ {
					_, err := b.Grant(bg, grants[i])
					if err != nil && !errors.Is(err, scruple.ErrConsentFinal) {
						errs <- fmt.Errorf("re-grant %d: %w", i, err)
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		st := open(t)
		for i, id := range ids {
			c, err := st.Consent(bg, id)
			if err != nil || c.State(clk.Now()) != scruple.ConsentWithdrawn {
				t.Errorf("consent %d is %v after racing commands (%v)", i, c.State(clk.Now()), err)
			}
		}
	})
}

// TestConcurrentSweepsLogExpiryOnce: sweeps from several connections at
// once (a crawl's reload, cron, a command) log each expiry exactly once.
func TestConcurrentSweepsLogExpiryOnce(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		clk := &clock{t: t0}
		l := newLedger(open(t), clk)
		const n = 5
		for i := 0; i < n; i++ {
			if _, err := l.Grant(bg, grant(fmt.Sprintf("1381234560%d", i), t0.Add(-time.Hour))); err != nil {
				t.Fatal(err)
			}
		}
		clk.Set(t0.Add(60 * 24 * time.Hour))
		var wg sync.WaitGroup
		for k := 0; k < 4; k++ {
			lk := newLedger(open(t), clk)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := lk.Sweep(bg); err != nil {
					t.Errorf("sweep: %v", err)
				}
			}()
		}
		wg.Wait()
		if _, err := l.Sweep(bg); err != nil { // whatever the race left
			t.Fatal(err)
		}
		expired := map[string]int{}
		for _, e := range logEntries(t, open(t)) {
			if e.Kind == provenance.KindExpire {
				expired[e.Consent]++
			}
		}
		if len(expired) != n {
			t.Fatalf("%d consents' expiries logged, want %d", len(expired), n)
		}
		for id, c := range expired {
			if c != 1 {
				t.Errorf("expiry of %s logged %d times", id, c)
			}
		}
	})
}

// dataKeys is a store that keeps per-consent data keys (package shred).
type dataKeys interface {
	DataKey(ctx context.Context, consent string, create []byte) ([]byte, error)
}

// TestEndedConsentsLoseDataKeys: expiry and refusal destroy the data keys
// of the consents they end at the transition, even when no stored record
// holds their values (a worker's later commit then stores them masked).
func TestEndedConsentsLoseDataKeys(t *testing.T) {
	eachBackend(t, func(t *testing.T, open opener) {
		st := open(t)
		ks, ok := st.(dataKeys)
		if !ok {
			t.Skip("the store keeps no data keys")
		}
		clk := &clock{t: t0}
		l := newLedger(st, clk)
		expiring, err := l.Grant(bg, grant(mobile, t0.Add(-time.Hour)))
		if err != nil {
			t.Fatal(err)
		}
		refusedG := grant(mobile2, t0.Add(-time.Hour))
		refusedG.ExpiresAt = t0.Add(90 * 24 * time.Hour)
		blocked, err := l.Grant(bg, refusedG)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []string{expiring.Consent.ID, blocked.Consent.ID} {
			if k, err := ks.DataKey(bg, id, bytes.Repeat([]byte{7}, 60)); err != nil || k == nil {
				t.Fatalf("make the data key of %s: %v", id, err)
			}
		}
		if _, err := l.Refuse(bg, pii.Mobile, mobile2, time.Time{}); err != nil {
			t.Fatal(err)
		}
		if k, err := ks.DataKey(bg, blocked.Consent.ID, nil); err != nil || k != nil {
			t.Fatalf("the refusal left the data key of the grant it ended (%v)", err)
		}
		if k, _ := ks.DataKey(bg, expiring.Consent.ID, nil); k == nil {
			t.Fatal("a live consent lost its data key")
		}
		clk.Set(t0.Add(31 * 24 * time.Hour))
		if _, err := l.Sweep(bg); err != nil {
			t.Fatal(err)
		}
		if k, err := ks.DataKey(bg, expiring.Consent.ID, nil); err != nil || k != nil {
			t.Fatalf("the sweep left the data key of an expired consent (%v)", err)
		}
	})
}
