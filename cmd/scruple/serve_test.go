package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
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
}

// TestServeBesideCrawl runs the server, then a crawl on the same data
// directory while it serves: the crawl takes its lock, the server needs
// none; the status shows the crawl's records, the lookup finds the
// consented subject, and a withdrawal through the API purges the record.
func TestServeBesideCrawl(t *testing.T) {
	seed := piSite(t)
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
	mustRun(t, "crawl", "--data", data, "--allow-cidr", "127.0.0.0/8", "--delay", "0", "--no-sitemaps", "--quiet",
		"--purpose", crawlPurpose, seed)
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
	if log, _ := os.ReadFile(filepath.Join(out1, "log.jsonl")); !bytes.Contains(log, []byte(`withdraw via scruple serve by token \"ci\"`)) {
		t.Fatal("no api entry naming the token in the exported log")
	}
	code, body = call("GET", "/api/v1/report", "")
	if code != 200 || !strings.Contains(body, "<html") {
		t.Fatalf("report: %d %.300s", code, body)
	}
}
