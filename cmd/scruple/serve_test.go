package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple/internal/warctest"
	"github.com/scruple/scruple/provenance"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestServeRefusesNonLoopbackWithoutTLS(t *testing.T) {
	data := t.TempDir()
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		code, _, errOut := runCLI(t, "serve", "--data", data, "--addr", addr)
		if code != exitUsage || !strings.Contains(errOut, "not a loopback address") {
			t.Fatalf("--addr %s: exit %d: %s", addr, code, errOut)
		}
	}
	if code, _, errOut := runCLI(t, "serve", "--data", data, "--tls-cert", "c.pem"); code != exitUsage {
		t.Fatalf("--tls-cert without --tls-key: exit %d: %s", code, errOut)
	}
}

func TestServeTokenCommands(t *testing.T) {
	data := t.TempDir()
	tok := strings.TrimSpace(mustRun(t, "serve", "token", "create", "--data", data, "--role", "operator", "--label", "crm"))
	if !strings.HasPrefix(tok, "scr_") {
		t.Fatalf("token %q", tok)
	}
	path := filepath.Join(data, "serve-tokens.json")
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v %v", fi, err)
	}
	b, _ := os.ReadFile(path)
	if bytes.Contains(b, []byte(tok[len("scr_")+17:])) {
		t.Fatal("the token's secret is stored")
	}
	id := tok[len("scr_") : len("scr_")+16]
	if out := mustRun(t, "serve", "token", "list", "--data", data); !strings.Contains(out, id+"\toperator\tcrm\tlive") {
		t.Fatalf("list: %q", out)
	}
	mustRun(t, "serve", "token", "revoke", "--data", data, id)
	if out := mustRun(t, "serve", "token", "list", "--data", data); !strings.Contains(out, "revoked") {
		t.Fatalf("list after revoke: %q", out)
	}
	if code, _, _ := runCLI(t, "serve", "token", "create", "--data", data, "--role", "root"); code != exitUsage {
		t.Fatalf("bad role: exit %d", code)
	}
	// Both changes are log entries, as the API's are, and the bundle
	// holding them verifies.
	out := filepath.Join(t.TempDir(), "export")
	mustRun(t, "export", "--data", data, "--out", out)
	logBytes, err := os.ReadFile(filepath.Join(out, provenance.LogFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, action := range []string{provenance.ActionTokenCreate, provenance.ActionTokenRevoke} {
		want := fmt.Sprintf(`"action":%q,"label":%q`, action, provenance.CLILabel)
		if !bytes.Contains(logBytes, []byte(want)) || !bytes.Contains(logBytes, []byte(id)) {
			t.Errorf("no %s entry naming token %s in the log:\n%s", action, id, logBytes)
		}
	}
	if code, vout, _ := runCLI(t, "verify", out); code != 0 {
		t.Fatalf("verify: exit %d: %s", code, vout)
	}
}

// slowPISite serves piSite's page, linking to 20 pages that each take
// 50 ms: a crawl of it lasts about a second, long enough to use the API
// while it runs.
func slowPISite(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.3:0")
	if err != nil {
		t.Skipf("listen: %v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		var links strings.Builder
		for i := range 20 {
			fmt.Fprintf(&links, `<a href="/p/%d">第 %d 页</a> `, i, i)
		}
		fmt.Fprintf(w, `<html><head><title>贷款中介</title></head><body>
<p>联系人手机：%s。</p><p>备用电话 %s，身份证号 %s。</p><p>%s</p></body></html>`, consentedPhone, otherPhone, plantedIDNum, links.String())
	})
	mux.HandleFunc("/p/", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(50 * time.Millisecond)
		fmt.Fprintf(w, `<html><head><title>页面</title></head><body><p>普通的页面内容 %s。</p></body></html>`, r.URL.Path)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String() + "/"
}

// TestServeBesideCrawl runs the server, then a crawl on the same data
// directory while it serves: the crawl takes its lock, the server needs
// none; the status shows the crawl's records, the lookup finds the
// consented subject, and a withdrawal through the API purges the record.
func TestServeBesideCrawl(t *testing.T) {
	seed := slowPISite(t)
	data := t.TempDir()
	id := grantPhone(t, data)
	tok := strings.TrimSpace(mustRun(t, "serve", "token", "create", "--data", data, "--role", "operator", "--label", "ci"))

	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut lockedBuffer
	root := newRoot(strings.NewReader(""), &out, &errOut)
	root.SetArgs([]string{"serve", "--data", data, "--addr", "127.0.0.1:0"})
	done := make(chan error, 1)
	go func() { done <- root.ExecuteContext(ctx) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		if strings.Contains(errOut.String(), consentedPhone) || strings.Contains(out.String(), consentedPhone) {
			t.Error("the raw subject appears in the server's output")
		}
	}()
	// Wait for the server (a hang guard: 500 polls of 10 ms gave a loaded
	// -race machine only 5 s to start it).
	var base string
	for deadline := time.Now().Add(2 * time.Minute); base == "" && time.Now().Before(deadline); {
		if m := regexp.MustCompile(`serving (http://[0-9.:]+)/`).FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		} else {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if base == "" {
		t.Fatalf("server did not start: %s", errOut.String())
	}
	call := func(method, path, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+tok)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if bytes.Contains(b, []byte(consentedPhone)) {
			t.Fatalf("%s %s: the raw subject appears in the response", method, path)
		}
		return resp.StatusCode, string(b)
	}
	code, _ := call("GET", "/api/v1/status", "")
	if code != 200 {
		t.Fatalf("status before the crawl: %d", code)
	}
	// The crawl archives (--warc) and runs while the API is used: requests
	// go out until it ends, and each must succeed.
	crawlDone := make(chan string, 1)
	go func() {
		code, cout, cerr := runCLI(t, "crawl", "--data", data, "--allow-cidr", "127.0.0.0/8", "--delay", "0", "--no-sitemaps",
			"--quiet", "--warc", "--purpose", crawlPurpose, seed)
		if code != 0 {
			crawlDone <- fmt.Sprintf("crawl: exit %d\n%s%s", code, cout, cerr)
			return
		}
		crawlDone <- ""
	}()
	during := 0
	for running := true; running; {
		select {
		case msg := <-crawlDone:
			if msg != "" {
				t.Fatal(msg)
			}
			running = false
			continue
		default:
		}
		for _, path := range []string{"/api/v1/status", "/api/v1/records", "/api/v1/consents", "/api/v1/consents/" + id} {
			if code, body := call("GET", path, ""); code != 200 {
				t.Fatalf("%s during the crawl: %d %.300s", path, code, body)
			}
		}
		during++
		time.Sleep(20 * time.Millisecond)
	}
	if during == 0 {
		t.Fatal("no request was sent while the crawl ran")
	}
	var st struct {
		RecordsTotal int64 `json:"records_total"`
		Hosts        []struct{ Host string }
	}
	// The server computes the status at most once a second: poll.
	var body string
	for i, deadline := 0, time.Now().Add(2*time.Minute); (st.RecordsTotal == 0 || len(st.Hosts) == 0) && time.Now().Before(deadline); i++ {
		if i > 0 {
			time.Sleep(100 * time.Millisecond)
		}
		_, body = call("GET", "/api/v1/status", "")
		json.Unmarshal([]byte(body), &st)
	}
	if st.RecordsTotal == 0 || len(st.Hosts) == 0 {
		t.Fatalf("status after the crawl: %s", body)
	}
	code, body = call("POST", "/api/v1/subjects/lookup", `{"subject_type":"cn_mobile","subject":"`+consentedPhone+`"}`)
	if code != 200 || !strings.Contains(body, `"records":1`) || !strings.Contains(body, id) {
		t.Fatalf("lookup: %d %s", code, body)
	}
	code, body = call("POST", "/api/v1/consents/"+id+"/withdraw", "")
	if code != 200 || !strings.Contains(body, `"purged":1`) {
		t.Fatalf("withdraw: %d %s", code, body)
	}
	if storeHolds(t, data, consentedPhone) {
		t.Fatal("the withdrawn value is still in the store files")
	}
	// The log, with the server's api entries, still verifies.
	out1 := filepath.Join(t.TempDir(), "b")
	mustRun(t, "export", "--data", data, "--out", out1)
	if code, vout, _ := runCLI(t, "verify", out1); code != 0 {
		t.Fatalf("bundle with api entries does not verify:\n%s", vout)
	}
	warctest.Dir(t, filepath.Join(data, "warc"))
	warctest.Dir(t, filepath.Join(out1, "warc"))
	if log, _ := os.ReadFile(filepath.Join(out1, "log.jsonl")); !bytes.Contains(log, []byte(`withdraw via scruple serve by token \"ci\"`)) {
		t.Fatal("no api entry naming the token in the exported log")
	}
	// The live report verifies what it exports: an honest store crawled
	// with --warc is VERIFIED, never called tampered.
	code, body = call("GET", "/api/v1/report", "")
	if code != 200 || !strings.Contains(body, "<html") {
		t.Fatalf("report: %d %.300s", code, body)
	}
	if !strings.Contains(body, `class="verdict ok"`) || strings.Contains(body, "NOT VERIFIED") || strings.Contains(body, "does not hold") {
		t.Fatalf("the live report of an honest store is not VERIFIED:\n%s", body)
	}
	if !strings.Contains(body, "WARC files not included in the live report") {
		t.Fatal("the live report does not say its WARC files were left out")
	}
}
