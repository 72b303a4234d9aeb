package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/sqlite"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(args, strings.NewReader(""), &o, &e)
	return code, o.String(), e.String()
}

func TestRobotsCommandFile(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "robots.txt")
	os.WriteFile(f, []byte("User-agent: *\nDisallow: /\n\nUser-agent: scruple\nDisallow: /private/\nAllow: /private/ok\nDisallow: /ü\n"), 0o644)
	code, out, errOut := runCLI(t, "robots", "--agent", "scruple/1.0 (+https://x)", "--file", f,
		"http://a.test/", "http://a.test/private/x", "http://a.test/private/ok", "http://a.test/%C3%BC")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := "allowed http://a.test/\ndisallowed http://a.test/private/x\nallowed http://a.test/private/ok\ndisallowed http://a.test/%C3%BC\n"
	if out != want {
		t.Fatalf("output:\n%s\nwant:\n%s", out, want)
	}
	// Another agent falls back to the * group.
	_, out, _ = runCLI(t, "robots", "--agent", "otherbot", "--file", f, "http://a.test/")
	if out != "disallowed http://a.test/\n" {
		t.Fatalf("otherbot: %q", out)
	}
	_, out, _ = runCLI(t, "robots", "--why", "--agent", "scruple", "--file", f, "http://a.test/private/x")
	if !strings.Contains(out, "Disallow: /private/") {
		t.Fatalf("--why does not name the rule: %q", out)
	}
}

func TestUsageErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"crawl"},
		{"crawl", "--data", t.TempDir(), "not a url"},
		{"crawl", "--data", t.TempDir(), "http://user:pw@a.test/"},
		{"crawl", "--data", t.TempDir(), "--scope", "planet", "http://a.test/"},
		{"crawl", "--data", t.TempDir(), "--max-depth", "x", "http://a.test/"},
		{"crawl", "--data", t.TempDir(), "--no-such-flag", "http://a.test/"},
		{"robots", "--file", "/nonexistent", "http://a.test/"},
	} {
		code, _, errOut := runCLI(t, args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (%s)", args, code, errOut)
		}
		if lines := strings.Count(strings.TrimSpace(errOut), "\n"); lines > 0 || errOut == "" {
			t.Errorf("%v: want a one-line error, got %q", args, errOut)
		}
		if strings.Contains(errOut, "pw@") {
			t.Errorf("%v: error leaks credentials: %q", args, errOut)
		}
	}
}

func TestConfigPrecedence(t *testing.T) {
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfgFile, []byte("scope: host\nmax-depth: 2\ninclude: [\"a\", \"b\"]\n"), 0o644)
	cmd := newCrawlCmd(os.Stdout, os.Stderr)
	cmd.ParseFlags([]string{"--config", cfgFile, "--max-depth", "5"})
	env := map[string]string{"SCRUPLE_SCOPE": "any"}
	if err := applyConfig(cmd, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	get := func(n string) string { return cmd.Flags().Lookup(n).Value.String() }
	if get("max-depth") != "5" || get("scope") != "any" || get("include") != "[a,b]" {
		t.Fatalf("max-depth=%s scope=%s include=%s", get("max-depth"), get("scope"), get("include"))
	}
	os.WriteFile(cfgFile, []byte("no-such-setting: 1\n"), 0o644)
	cmd = newCrawlCmd(os.Stdout, os.Stderr)
	cmd.ParseFlags([]string{"--config", cfgFile})
	if err := applyConfig(cmd, func(string) string { return "" }); err == nil || !strings.Contains(err.Error(), "no-such-setting") {
		t.Fatalf("unknown setting: %v", err)
	}
}

func TestBusyDataDirRefused(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlite.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	code, _, errOut := runCLI(t, "crawl", "--data", dir, "--allow-cidr", "127.0.0.0/8", "http://127.0.0.2:1/")
	if code == 0 || !strings.Contains(errOut, "in use") {
		t.Fatalf("exit %d, %q", code, errOut)
	}
}

// buildBinary compiles the CLI once for the tests that run it as a child process.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "scruple")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

// TestKill9Resume kills a real crawl process with SIGKILL at several points,
// restarts it each time with the same command, and checks that the final
// record set holds every page exactly once.
func TestKill9Resume(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a child process")
	}
	bin := buildBinary(t)
	spec := testweb.Spec{IPLinks: true, Hosts: []testweb.HostSpec{
		{Name: "k1.test", Pages: 60, CrossLinks: 1, Latency: 3 * time.Millisecond, Features: testweb.Private},
		{Name: "k2.test", Pages: 60, CrossLinks: 1, Latency: 3 * time.Millisecond},
		{Name: "k3.test", Pages: 60, CrossLinks: 1, Latency: 3 * time.Millisecond, Sitemap: testweb.SitemapSpec{Mode: testweb.SitemapURLSet, Orphans: 3}},
	}}
	web, err := testweb.Start(spec)
	if err != nil {
		t.Fatal(err)
	}
	defer web.Close()
	data := t.TempDir()
	args := append([]string{"crawl", "--data", data, "--allow-cidr", "127.0.0.0/8", "--delay", "0",
		"--per-host", "2", "--concurrency", "4", "--quiet"}, web.Seeds()...)

	for _, killAfter := range []int{5, 40, 90, 150} {
		start := len(web.Requests())
		cmd := exec.Command(bin, args...)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(30 * time.Second)
		for len(web.Requests())-start < killAfter && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	out, err := exec.Command(bin, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("final run: %v\n%s", err, out)
	}
	exp := filepath.Join(t.TempDir(), "out")
	if out, err := exec.Command(bin, "export", "--data", data, "--out", exp).CombinedOutput(); err != nil {
		t.Fatalf("export: %v\n%s", err, out)
	}
	kinds := exactlyOnce(t, filepath.Join(exp, "records.jsonl"), nil)
	for host, want := range web.Expected() {
		for _, u := range want {
			if kinds[u] != scruple.KindPage {
				t.Errorf("%s (%s): page lost across kills (kind %q)", u, host, kinds[u])
			}
		}
	}
}

func TestRobotsCommandURL(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.5:0")
	if err != nil {
		t.Skip(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/robots.txt" {
			io.WriteString(w, "User-agent: scruple\nDisallow: /private/\n")
			return
		}
		w.WriteHeader(503)
	})}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String()
	code, out, errOut := runCLI(t, "robots", "--agent", "scruple/1.0", "--allow-cidr", "127.0.0.0/8",
		"--url", base+"/robots.txt", base+"/a", base+"/private/b")
	if code != 0 || out != "allowed "+base+"/a\ndisallowed "+base+"/private/b\n" {
		t.Fatalf("exit %d: %q %q", code, out, errOut)
	}
	// Without --allow-cidr the SSRF guard refuses the loopback address, and an
	// unreachable robots.txt means disallow all.
	_, out, _ = runCLI(t, "robots", "--agent", "scruple", "--url", base+"/robots.txt", base+"/a")
	if out != "disallowed "+base+"/a\n" {
		t.Fatalf("guarded fetch: %q", out)
	}
}

// exactlyOnce reads an exported records.jsonl, reports every URL recorded more
// than once, calls check (if any) on each raw line, and returns each URL's kind.
func exactlyOnce(t *testing.T, path string, check func(r *scruple.Record, line string)) map[string]scruple.Kind {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	seen := map[string]int{}
	kinds := map[string]scruple.Kind{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r scruple.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		seen[r.URL]++
		kinds[r.URL] = r.Kind
		if check != nil {
			check(&r, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for u, n := range seen {
		if n > 1 {
			t.Errorf("%s recorded %d times", u, n)
		}
	}
	return kinds
}
