package ledger_test

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/bundle"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/consent/ledger"
	"github.com/scruple/scruple/crawler"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// The lifecycle property test (issue 10): random, seeded sequences of
// grant, import, re-grant, withdraw, refuse, expiry (a fake clock), crawls
// of the test web, concurrent consent commands and exports, on both stores.
// Invariants, checked after every step: no stored value and no exported
// value of a subject without a live consent at that moment; every bundle
// verifies; at the end the raw bytes of the SQLite data directory hold no
// value of a subject whose consents all ended.
//
// Reproduce a failure with SCRUPLE_LIFECYCLE_SEED=<seed printed>; explore new
// sequences with SCRUPLE_LIFECYCLE_SEED=random (lifecycleSeeds).
// Every store seals kept values (crypto-shredding); on PostgreSQL the raw
// check is a pg_dump of scruple's tables (rawBytesHook, shred_hook_test.go).

// subjects are the two mobiles the test web's contact page carries.
var subjects = []string{testweb.DemoConsentPhone, testweb.DemoOtherPhone}

// moving is a fake clock that runs at real speed from an offset the test
// moves forward (a frozen clock would stall the crawler's politeness waits).
type moving struct {
	mu  sync.Mutex
	off time.Duration
}

func (m *moving) Now() time.Time          { m.mu.Lock(); defer m.mu.Unlock(); return time.Now().Add(m.off) }
func (m *moving) Advance(d time.Duration) { m.mu.Lock(); m.off += d; m.mu.Unlock() }

type world struct {
	t      *testing.T
	rng    *rand.Rand
	clk    *moving
	open   opener
	st     scruple.Store
	lg     *ledger.Ledger
	grants []consent.Grant // every grant made, for hostile re-grants
	ids    []string
	crawls int
	keyDir string
}

func (w *world) ledgerOn(st scruple.Store) *ledger.Ledger {
	// Every store of the sequence seals kept values (crypto-shredding), as
	// the CLI's stores do under the data directory's consent key.
	if k, ok := st.(interface{ UseConsentKey([]byte) error }); ok {
		if err := k.UseConsentKey(testKey); err != nil {
			w.t.Fatal(err)
		}
	}
	return ledger.New(st, ledger.Options{Key: testKey, Now: w.clk.Now})
}

func (w *world) randomGrant() consent.Grant {
	now := w.clk.Now().UTC().Truncate(time.Second)
	granted := now.Add(-time.Duration(w.rng.IntN(120)) * time.Minute)
	g := grant(subjects[w.rng.IntN(len(subjects))], granted)
	g.Purpose = testweb.DemoPurpose
	g.ExpiresAt = granted.Add(time.Duration(1+w.rng.IntN(48)) * time.Hour)
	return g
}

// acceptable reports whether err is a refusal the lifecycle allows (a
// final or blocked consent, or a grant already past its expiry).
func acceptable(err error) bool {
	var le *ledger.Error
	return err == nil || errors.As(err, &le)
}

func (w *world) step(i int) string {
	ctx := bg
	switch op := w.rng.IntN(10); op {
	case 0, 1:
		g := w.randomGrant()
		res, err := w.lg.Grant(ctx, g)
		if !acceptable(err) {
			w.t.Fatalf("step %d grant: %v", i, err)
		}
		if err == nil {
			w.grants, w.ids = append(w.grants, g), append(w.ids, res.Consent.ID)
		}
		return fmt.Sprintf("grant %v", err)
	case 2:
		g := w.randomGrant()
		res, err := w.lg.Import(ctx, strings.NewReader(jsonLine(g)))
		if err != nil {
			w.t.Fatalf("step %d import: %v", i, err)
		}
		for _, c := range res.Imported {
			w.grants, w.ids = append(w.grants, g), append(w.ids, c.ID)
		}
		return fmt.Sprintf("import %d/%d", len(res.Imported), len(res.Bad))
	case 3:
		// Hostile: the same grant again, which must never revive it.
		if len(w.grants) == 0 {
			return "regrant (none)"
		}
		k := w.rng.IntN(len(w.grants))
		before, _ := w.st.Consent(ctx, w.ids[k])
		var err error
		if w.rng.IntN(2) == 0 {
			_, err = w.lg.Grant(ctx, w.grants[k])
		} else {
			var res *ledger.ImportResult
			if res, err = w.lg.Import(ctx, strings.NewReader(jsonLine(w.grants[k]))); err == nil && before != nil && before.Final() &&
				(len(res.Imported) != 0 || len(res.Bad) != 1) {
				w.t.Fatalf("step %d: re-import of final consent %s: %d imported, %d bad", i, w.ids[k], len(res.Imported), len(res.Bad))
			}
		}
		if !acceptable(err) {
			w.t.Fatalf("step %d regrant: %v", i, err)
		}
		after, _ := w.st.Consent(ctx, w.ids[k])
		if before != nil && before.Final() && (after == nil || !after.Final()) {
			w.t.Fatalf("step %d: re-granting revived final consent %s", i, w.ids[k])
		}
		return fmt.Sprintf("regrant %v", err)
	case 4:
		if len(w.ids) == 0 {
			return "withdraw (none)"
		}
		_, err := w.lg.Withdraw(ctx, w.ids[w.rng.IntN(len(w.ids))], time.Time{})
		if !acceptable(err) {
			w.t.Fatalf("step %d withdraw: %v", i, err)
		}
		return fmt.Sprintf("withdraw %v", err)
	case 5:
		_, err := w.lg.Refuse(ctx, pii.Mobile, subjects[w.rng.IntN(len(subjects))], time.Time{})
		if !acceptable(err) {
			w.t.Fatalf("step %d refuse: %v", i, err)
		}
		return "refuse"
	case 6:
		d := time.Duration(10+w.rng.IntN(30*60)) * time.Minute
		w.clk.Advance(d)
		if _, err := w.lg.Sweep(ctx); err != nil { // what any command, or cron, does next
			w.t.Fatalf("step %d sweep: %v", i, err)
		}
		return "advance " + d.String()
	case 7:
		return w.crawl(i, true)
	case 8:
		w.concurrent(i)
		return "concurrent"
	default:
		w.export(i)
		return "export"
	}
}

// jsonLine is g as a line of a JSON Lines import.
func jsonLine(g consent.Grant) string {
	return fmt.Sprintf(`{"subject_type":"cn_mobile","subject":%q,"types":["cn_mobile"],"purpose":%q,"processor":%q,`+
		`"recipients":["none"],"method":"signed paper form","evidence":%q,"granted_at":%q,"expires_at":%q}`+"\n",
		g.Subject, g.Purpose, g.Processor, g.Evidence, g.GrantedAt.Format(time.RFC3339), g.ExpiresAt.Format(time.RFC3339))
}

// crawl crawls a fresh instance of the test web (new host name and text, so
// its pages are new records, not duplicates), with a withdrawal from
// another connection racing it when race is set.
func (w *world) crawl(i int, race bool) string {
	w.crawls++
	host := fmt.Sprintf("g%d.life.test", w.crawls)
	web, err := testweb.Start(testweb.Spec{Seed: uint64(w.rng.Int64()), Hosts: []testweb.HostSpec{{Name: host, Pages: 2, Features: testweb.PersonalData}}})
	if err != nil {
		w.t.Fatal(err)
	}
	defer web.Close()
	cfg := crawler.DefaultConfig(web.Seeds()...)
	cfg.Resolver = fetch.LookupFunc(web.Resolver().LookupHost)
	cfg.AllowCIDRs, cfg.Delay, cfg.NoSitemaps = []string{"127.0.0.0/8"}, -1, true
	cfg.ConsentKey, cfg.Purpose, cfg.Now = testKey, testweb.DemoPurpose, w.clk.Now
	c, err := crawler.New(cfg, w.st)
	if err != nil {
		w.t.Fatal(err)
	}
	var wg sync.WaitGroup
	if race && len(w.ids) > 0 {
		id := w.ids[w.rng.IntN(len(w.ids))]
		other := w.ledgerOn(w.open(w.t))
		wg.Add(1)
		go func() {
			defer wg.Done()
			other.Withdraw(bg, id, time.Time{}) // a consent command beside the crawl
		}()
	}
	_, err = c.Crawl(bg)
	wg.Wait()
	if err != nil {
		w.t.Fatalf("step %d crawl: %v", i, err)
	}
	return "crawl " + host
}

// concurrent runs consent commands from separate connections at once:
// withdrawals racing re-grants and imports of the same grants.
func (w *world) concurrent(i int) {
	if len(w.ids) == 0 {
		return
	}
	var wg sync.WaitGroup
	a, b := w.ledgerOn(w.open(w.t)), w.ledgerOn(w.open(w.t))
	for n := 0; n < 3; n++ {
		k := w.rng.IntN(len(w.ids))
		wg.Add(2)
		go func() { defer wg.Done(); a.Withdraw(bg, w.ids[k], time.Time{}) }()
		go func() { defer wg.Done(); b.Grant(bg, w.grants[k]) }()
	}
	wg.Wait()
}

// liveSubjects returns the subjects (raw) that have a live consent now.
func (w *world) liveSubjects() map[string]bool {
	var all []*scruple.Consent
	if err := w.st.Consents(bg, func(c *scruple.Consent) error { all = append(all, c); return nil }); err != nil {
		w.t.Fatal(err)
	}
	refusals := map[string][]*scruple.Consent{}
	for _, c := range all {
		if c.Refused {
			refusals[c.Subject] = append(refusals[c.Subject], c)
		}
	}
	now := w.clk.Now()
	live := map[string]bool{}
	for _, s := range subjects {
		h := consent.SubjectHMAC(testKey, pii.Mobile, s)
		for _, c := range all {
			if c.Subject == h && c.StateAmong(now, refusals[h]) == scruple.ConsentLive {
				live[s] = true
			}
		}
	}
	return live
}

// keptValues counts the stored values of the subjects.
func (w *world) keptValues() int {
	n := 0
	w.st.Records(bg, func(r *scruple.Record) error {
		for _, s := range subjects {
			n += strings.Count(r.Text, s) + strings.Count(r.Title, s)
		}
		return nil
	})
	return n
}

// checkStored: no stored value without a live consent now.
func (w *world) checkStored(i int, what string) {
	live := w.liveSubjects()
	err := w.st.Records(bg, func(r *scruple.Record) error {
		for _, s := range subjects {
			if !live[s] && (strings.Contains(r.Text, s) || strings.Contains(r.Title, s)) {
				return fmt.Errorf("record %s holds a value of a subject (%d digits) with no live consent", r.URL, len(s))
			}
		}
		return nil
	})
	if err != nil {
		w.t.Fatalf("step %d (%s): %v", i, what, err)
	}
}

// export sweeps, exports and checks the bundle: no value without a live
// consent, and it verifies.
func (w *world) export(i int) {
	if _, err := w.lg.Sweep(bg); err != nil {
		w.t.Fatal(err)
	}
	signer, verifier, err := provenance.LoadOrCreateKey(w.keyDir, provenance.DefaultKeyName())
	if err != nil {
		w.t.Fatal(err)
	}
	out := filepath.Join(w.t.TempDir(), "bundle")
	if _, err := bundle.Export(bg, w.st, signer, verifier, out, bundle.Options{}); err != nil {
		w.t.Fatalf("step %d export: %v", i, err)
	}
	live := w.liveSubjects()
	recs, _ := os.ReadFile(filepath.Join(out, provenance.RecordsFile))
	for _, s := range subjects {
		if !live[s] && bytes.Contains(recs, []byte(s)) {
			w.t.Fatalf("step %d: the export holds a value (%d digits) with no live consent", i, len(s))
		}
	}
	rep, _, err := bundle.Verify(out, verifier)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(rep.Problems) > 0 || rep.Omitted > 0 {
		w.t.Fatalf("step %d: the bundle does not verify: %+v", i, rep.Problems)
	}
}

// rawBytesHook, when set, checks a store's raw bytes for values that must be
// gone (PostgreSQL: a pg_dump; added with crypto-shredding).
var rawBytesHook func(t *testing.T, st scruple.Store, gone []string)

// lifecycleSeeds are the sequences TestLifecycleProperty runs. By default
// fixed ones, so that every run (CI's above all) draws the same sequences
// and a failure is the code's, never the draw's: seeded from the clock, one
// CI run in so many drew a first grant already past its expiry. 2 and 8 keep
// values through their steps (most seeds keep none after the first few,
// and the invariants then hold vacuously). SCRUPLE_LIFECYCLE_SEED=<n>
// reruns one sequence; SCRUPLE_LIFECYCLE_SEED=random draws two from the
// clock, to explore (each subtest logs its seed).
func lifecycleSeeds(t *testing.T) []uint64 {
	switch s := os.Getenv("SCRUPLE_LIFECYCLE_SEED"); s {
	case "":
		return []uint64{2, 8}
	case "random":
		base := uint64(time.Now().UnixNano())
		return []uint64{base, base + 1}
	default:
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("SCRUPLE_LIFECYCLE_SEED: %v", err)
		}
		return []uint64{n}
	}
}

func TestLifecycleProperty(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the test web many times")
	}
	steps := 14
	for name, mk := range backends(t) {
		for _, seed := range lifecycleSeeds(t) {
			t.Run(fmt.Sprint(name, "/seed=", seed), func(t *testing.T) {
				open := mk(t) // a fresh store (data directory, crawl) per sequence
				t.Logf("seed %d (rerun with SCRUPLE_LIFECYCLE_SEED=%d)", seed, seed)
				w := &world{t: t, rng: rand.New(rand.NewPCG(seed, seed^0x5eed)), clk: &moving{}, open: open, keyDir: t.TempDir()}
				w.st = open(t)
				w.lg = w.ledgerOn(w.st)
				var trace []string
				defer func() {
					if t.Failed() {
						t.Logf("steps: %s", strings.Join(trace, "; "))
					}
				}()
				// Start with a live grant and a crawl so there is something to end.
				// A random grant can be past its expiry already (granted up to two
				// hours ago for one hour), which the ledger rightly refuses: draw
				// until the first one is live.
				first := w.randomGrant()
				for !first.ExpiresAt.After(w.clk.Now().Add(10 * time.Minute)) {
					first = w.randomGrant()
				}
				w.grants = append(w.grants, first)
				res, err := w.lg.Grant(bg, w.grants[0])
				if err != nil {
					t.Fatal(err)
				}
				w.ids = append(w.ids, res.Consent.ID)
				trace = append(trace, w.crawl(-1, false))
				// The setup must keep a value, or the invariants hold vacuously.
				if w.keptValues() == 0 {
					t.Fatal("the first crawl, under a live consent, kept no value")
				}
				maxKept := 0
				for i := 0; i < steps; i++ {
					what := w.step(i)
					trace = append(trace, what)
					w.checkStored(i, what)
					maxKept = max(maxKept, w.keptValues())
				}
				t.Logf("%d crawls; at most %d values kept at once", w.crawls, maxKept)
				w.export(steps)
				w.checkRaw(open)
			})
		}
	}
}

// checkRaw: after the sequence, the raw bytes of the SQLite data directory
// hold no value of a subject with no live consent.
func (w *world) checkRaw(open opener) {
	live := w.liveSubjects()
	var gone []string
	for _, s := range subjects {
		if !live[s] {
			gone = append(gone, s)
		}
	}
	type dirStore interface{ Dir() string }
	ds, ok := w.st.(dirStore)
	if !ok {
		if rawBytesHook != nil {
			rawBytesHook(w.t, w.st, gone)
		}
		return
	}
	files, _ := filepath.Glob(filepath.Join(ds.Dir(), "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, s := range gone {
			if bytes.Contains(b, []byte(s)) {
				w.t.Fatalf("%s holds a value (%d digits) whose consents all ended", filepath.Base(f), len(s))
			}
		}
	}
}
