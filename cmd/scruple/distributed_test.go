package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"github.com/scruple/scruple/internal/testenv"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/consent/ledger"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/postgres"
	"github.com/scruple/scruple/provenance"
)

// testDSN returns the PostgreSQL DSN for the distributed tests, or skips.
func testDSN(t *testing.T) string {
	t.Helper()
	dsn := os.Getenv("SCRUPLE_TEST_POSTGRES")
	if dsn == "" {
		testenv.Missing(t, "postgres", "set SCRUPLE_TEST_POSTGRES to a PostgreSQL DSN (e.g. postgres://root@127.0.0.1:5432/test?sslmode=disable) to run the distributed crawl tests; .ci/run does")
	}
	return dsn
}

func uniqueCrawl(t *testing.T) string {
	b := make([]byte, 4)
	rand.Read(b)
	return fmt.Sprintf("test-%s-%s", strings.ToLower(t.Name()), hex.EncodeToString(b))
}

const (
	distPhone   = "13812345678"
	distPurpose = "credit risk assessment for loan applicants"
)

// phoneSite is a small extra site whose pages carry a planted mobile number,
// for the consent and withdrawal part of the distributed test. It records
// when each request arrived, to measure spacing as the server sees it.
type phoneSite struct {
	base  string
	pages int
	mu    sync.Mutex
	times []time.Time
}

func startPhoneSite(t *testing.T, addr string, pages int) *phoneSite {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Skipf("listen %s: %v", addr, err)
	}
	ps := &phoneSite{base: "http://" + ln.Addr().String(), pages: pages}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		ps.mu.Lock()
		ps.times = append(ps.times, time.Now())
		ps.mu.Unlock()
		switch {
		case r.URL.Path == "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nAllow: /\n")
		case r.URL.Path == "/":
			var b strings.Builder
			b.WriteString("<html><head><title>Loan applicants</title></head><body><p>Applicant directory.</p>")
			for i := 1; i <= pages; i++ {
				fmt.Fprintf(&b, `<a href="/p/%d">applicant %d</a> `, i, i)
			}
			b.WriteString("</body></html>")
			fmt.Fprint(w, b.String())
		case strings.HasPrefix(r.URL.Path, "/p/"):
			fmt.Fprintf(w, `<html><head><title>Applicant %s</title></head><body>
<p>Applicant file %s. The applicant asked to be called back about the loan; 联系电话 %s (mobile), weekdays only.</p>
</body></html>`, r.URL.Path[3:], r.URL.Path[3:], distPhone)
		default:
			http.NotFound(w, r)
		}
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return ps
}

func (ps *phoneSite) requests() int {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return len(ps.times)
}

func (ps *phoneSite) minInterval() time.Duration {
	ps.mu.Lock()
	defer ps.mu.Unlock()
	ts := append([]time.Time{}, ps.times...)
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	min := time.Hour
	for i := 1; i < len(ts); i++ {
		if d := ts[i].Sub(ts[i-1]); d < min {
			min = d
		}
	}
	return min
}

// TestDistributedCrawl runs three worker processes on one crawl in
// PostgreSQL, kills one with SIGKILL mid-crawl, withdraws a consent while the
// others run, and checks: every page recorded exactly once, spacing per host
// held across workers at the server, the exported bundle verifies, and no
// record keeps the withdrawn value.
func TestDistributedCrawl(t *testing.T) {
	dsn := testDSN(t)
	if testing.Short() {
		t.Skip("builds the binary and runs three worker processes")
	}
	bin := buildBinary(t)
	ctx := context.Background()

	spec := testweb.Spec{IPLinks: true, FirstIP: "127.0.6.2", Hosts: []testweb.HostSpec{
		{Name: "d1.test", Pages: 30, CrossLinks: 1, Latency: 2 * time.Millisecond, Features: testweb.Private},
		{Name: "d2.test", Pages: 30, CrossLinks: 1, Latency: 2 * time.Millisecond},
		{Name: "d3.test", Pages: 30, CrossLinks: 1, Latency: 2 * time.Millisecond, Sitemap: testweb.SitemapSpec{Mode: testweb.SitemapURLSet, Orphans: 3}},
	}}
	web, err := testweb.Start(spec)
	if err != nil {
		t.Fatal(err)
	}
	defer web.Close()
	phones := startPhoneSite(t, "127.0.6.50:0", 40)

	crawlName := uniqueCrawl(t)
	st, err := postgres.Open(ctx, dsn, crawlName, postgres.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := st.DeleteCrawl(context.Background()); err != nil {
			t.Errorf("delete crawl: %v", err)
		}
		st.Close()
	}()

	// Keys: one data directory for all workers here; on several machines
	// each gets the same --signing-key and --consent-key-file.
	keys := t.TempDir()
	ckey, err := consent.LoadOrCreateKey(keys)
	if err != nil {
		t.Fatal(err)
	}
	// The test reads the crawl's records opened, as the workers do.
	if err := st.UseConsentKey(ckey); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	g := consent.Grant{
		SubjectType: "cn_mobile", Subject: distPhone, Types: []pii.Type{"cn_mobile"},
		Purpose: distPurpose, Processor: "Example Data Ltd", Recipients: []string{"none"},
		Method: "signed paper form", Evidence: strings.Repeat("ab", 32),
		GrantedAt: now.Add(-time.Hour), ExpiresAt: now.Add(30 * 24 * time.Hour),
	}
	res, err := ledger.New(st, ledger.Options{Key: ckey}).Grant(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	grant := res.Consent

	if _, _, err := provenance.LoadOrCreateKey(keys, provenance.DefaultKeyName()); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "SCRUPLE_STORE="+dsn, "SCRUPLE_CRAWL="+crawlName)
	// Every process starts in a directory of its own (its default --data
	// differs) and is given the crawl's keys by file.
	common := []string{"--signing-key", filepath.Join(keys, provenance.SigningKeyFile),
		"--consent-key-file", filepath.Join(keys, "consent.key"), "--quiet", "--log-format", "json"}
	const leaseTTL = 3 * time.Second
	crawlArgs := append([]string{"crawl"}, common...)
	crawlArgs = append(crawlArgs, "--allow-cidr", "127.0.0.0/8", "--delay", "100ms", "--per-host", "1",
		"--concurrency", "4", "--purpose", distPurpose, "--lease-ttl", leaseTTL.String(),
		// The phone site's pages are near-duplicates by design.
		"--novelty-budget", "-1")
	crawlArgs = append(crawlArgs, web.Seeds()...)
	crawlArgs = append(crawlArgs, phones.base+"/")

	type proc struct {
		cmd    *exec.Cmd
		out    *bytes.Buffer
		done   chan error
		killed bool
	}
	start := func(args ...string) *proc {
		p := &proc{cmd: exec.Command(bin, args...), out: new(bytes.Buffer), done: make(chan error, 1)}
		p.cmd.Env = env
		p.cmd.Dir = t.TempDir()
		p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
		if err := p.cmd.Start(); err != nil {
			t.Fatal(err)
		}
		go func() { p.done <- p.cmd.Wait() }()
		return p
	}
	// The crawl process stores the settings; workers join once it has.
	first := start(crawlArgs...)
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		raw, err := st.Config(ctx)
		if err == nil && bytes.Contains(raw, []byte("seeds")) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Workers take settings from the crawl; only per-process flags here.
	workArgs := append([]string{"work"}, common...)
	workArgs = append(workArgs, "--concurrency", "4")
	w1 := start(workArgs...)
	w2 := start(workArgs...)
	procs := []*proc{first, w1, w2}
	defer func() {
		for _, p := range procs {
			if p.cmd.ProcessState == nil {
				p.cmd.Process.Kill()
			}
		}
	}()

	total := func() int { return len(web.Requests()) + phones.requests() }
	expectedReqs := 3*35 + 42
	// Kill one worker with SIGKILL a third of the way through.
	for total() < expectedReqs/3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	w2.cmd.Process.Signal(syscall.SIGKILL)
	w2.killed = true
	killedAt := time.Now()

	// Withdraw the consent while the workers run, once a page keeping the
	// value has been committed (the bound, like the next, only stops a hang).
	deadline = time.Now().Add(2 * time.Minute)
	kept := 0
	for kept == 0 && time.Now().Before(deadline) {
		for _, p := range []*proc{first, w1} {
			select {
			case err := <-p.done:
				t.Fatalf("%v ended early: %v\n%s", p.cmd.Args[:2], err, p.out)
			default:
			}
		}
		st.RecordsWithSubject(ctx, grant.Subject, func(r *scruple.Record) error {
			if strings.Contains(r.Text, distPhone) {
				kept++
			}
			return nil
		})
		time.Sleep(20 * time.Millisecond)
	}
	if kept == 0 {
		t.Fatal("no record kept the consented value before the withdrawal: the consent did not apply")
	}
	// Kept, yet the plaintext never reached PostgreSQL: only ciphertext.
	if dump, err := crawlDump(dsn, st.CrawlID()); err != nil {
		t.Errorf("pg_dump: %v", err)
	} else if bytes.Contains(dump, []byte(distPhone)) {
		t.Errorf("a pg_dump of the crawl's rows holds the kept value in clear before the withdrawal")
	}
	wd := exec.Command(bin, "consent", "withdraw", "--data", keys, grant.ID)
	wd.Env = env
	if out, err := wd.CombinedOutput(); err != nil {
		t.Fatalf("consent withdraw: %v\n%s", err, out)
	} else {
		t.Logf("withdrawn while workers run (%d of %d phone-site requests served): %s", phones.requests(), phones.pages+2, bytes.TrimSpace(out))
	}
	if phones.requests() >= phones.pages+2 {
		t.Logf("note: the phone site was fully fetched before the withdrawal")
	}

	// Every surviving process ends by itself, exit 0: the killed worker's
	// leases return and are done first. The bound only turns a hang into a
	// failure (the rest of the crawl takes seconds; the bound was 30 s, a
	// margin a loaded machine under -race can eat).
	bound := killedAt.Add(leaseTTL + 3*time.Minute)
	for _, p := range []*proc{first, w1} {
		select {
		case err := <-p.done:
			if err != nil {
				t.Fatalf("%v: %v\n%s", p.cmd.Args[:2], err, p.out)
			}
			t.Logf("%s exited 0 %v after the kill", p.cmd.Args[0+1], time.Since(killedAt).Round(10*time.Millisecond))
		case <-time.After(time.Until(bound)):
			t.Fatalf("%v did not exit within the lease expiry + 3 min of the kill\n%s", p.cmd.Args[:2], p.out)
		}
	}
	// A worker without the crawl's signing key refuses to start (exit 2)
	// and says how to pass it, whatever directory it starts in.
	stray := exec.Command(bin, "work", "--quiet")
	stray.Env, stray.Dir = env, t.TempDir()
	out, err := stray.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 2 || !bytes.Contains(out, []byte("--signing-key")) {
		t.Errorf("work without the crawl's key: %v\n%s", err, out)
	}
	<-w2.done
	t.Logf("crawl process: %s", lastLines(first.out.String(), 2))

	// Every page exactly once.
	exp := filepath.Join(t.TempDir(), "out")
	ex := exec.Command(bin, "export", "--data", keys, "--out", exp)
	ex.Env = env
	if out, err := ex.CombinedOutput(); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	kinds := exactlyOnce(t, filepath.Join(exp, "records.jsonl"), func(r *scruple.Record, line string) {
		if strings.Contains(line, distPhone) {
			t.Errorf("%s: the withdrawn value is still in the exported record", r.URL)
		}
	})
	for host, want := range web.Expected() {
		for _, u := range want {
			if kinds[u] != scruple.KindPage {
				t.Errorf("%s (%s): page not recorded (kind %q)", u, host, kinds[u])
			}
		}
	}
	for i := 1; i <= phones.pages; i++ {
		if u := fmt.Sprintf("%s/p/%d", phones.base, i); kinds[u] != scruple.KindPage {
			t.Errorf("%s: kind %q, want page", u, kinds[u])
		}
	}

	// No record in the store holds the raw value.
	err = st.Records(ctx, func(r *scruple.Record) error {
		if strings.Contains(r.Text, distPhone) || strings.Contains(r.Title, distPhone) {
			t.Errorf("%s still holds the withdrawn value after the crawl", r.URL)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Crypto-shredding: no byte of scruple's tables (live rows; dead tuples and
	// TOAST only ever held what the live rows held, ciphertext) has the
	// value, which was kept, sealed, until the withdrawal.
	if dump, err := crawlDump(dsn, st.CrawlID()); err != nil {
		t.Errorf("pg_dump: %v", err)
	} else if bytes.Contains(dump, []byte(distPhone)) {
		t.Errorf("a pg_dump of the crawl's rows holds the consented value in clear")
	}

	// Spacing per host, as the servers saw it, across all workers.
	for _, h := range web.Hosts() {
		if d, ok := web.MinInterval(h); !ok || d < 100*time.Millisecond {
			t.Errorf("%s: requests %v apart (ok=%v), want at least 100ms across workers", h, d, ok)
		}
	}
	if d := phones.minInterval(); d < 100*time.Millisecond {
		t.Errorf("phone site: requests %v apart, want at least 100ms across workers", d)
	}
	// robots.txt once per host for the whole crawl.
	for _, h := range web.Hosts() {
		if n := web.CountPath(h, "/robots.txt"); n != 1 {
			t.Errorf("%s: robots.txt fetched %d times, want once for the crawl", h, n)
		}
	}

	out, err = exec.Command(bin, "verify", exp).CombinedOutput()
	if err != nil {
		t.Fatalf("verify: %v\n%s", err, out)
	}
}

// crawlDump is a pg_dump of scruple's tables (schema public) cut to the rows
// of one crawl: every table's first column is the crawl id. The test
// database is shared with the other packages' tests, which go test runs at
// the same time and which keep the same synthetic values, some in clear
// (stores without a consent key), in crawls of their own.
func crawlDump(dsn string, crawlID int64) ([]byte, error) {
	out, err := exec.Command("pg_dump", "--data-only", "--schema=public", dsn).Output()
	if err != nil {
		return nil, err
	}
	prefix := []byte(fmt.Sprintf("%d\t", crawlID))
	var rows []byte
	for _, line := range bytes.SplitAfter(out, []byte("\n")) {
		if bytes.HasPrefix(line, prefix) {
			rows = append(rows, line...)
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("no row of crawl %d in the dump", crawlID)
	}
	return rows, nil
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
