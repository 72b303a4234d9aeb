package crawler

import (
	"bytes"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/scruple/scruple"
)

// Planted values: valid under their validators, so a detector that misses
// them fails this test.
const (
	plantedID   = "11010519491231002X"
	plantedCard = "6222021234567890128" // UnionPay, Luhn-valid
	plantedPass = "Secr3tPassw0rd"
	plantedMob  = "13812345678"
)

func piServer(t *testing.T) (base string, requested func(string) bool) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.2:0")
	if err != nil {
		t.Skipf("listen: %v", err)
	}
	var mu sync.Mutex
	seen := map[string]bool{}
	mux := http.NewServeMux()
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "User-agent: *\nAllow: /\n") })
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.URL.RequestURI()] = true
		mu.Unlock()
		if r.URL.Path != "/" {
			fmt.Fprint(w, "<html><body><p>other page</p></body></html>")
			return
		}
		fmt.Fprintf(w, `<html><head><title>客户 %s</title></head><body>
<p>借款人资料：身份证号%s，手机%s，银行卡号 %s，登录密码：%s。</p>
<a href="/user/%s">profile</a> <a href="/contact?phone=%s">call</a> <a href="/ok">ok</a>
</body></html>`, plantedID, plantedID, plantedMob, plantedCard, plantedPass, plantedID, plantedMob)
	})
	srv := &http.Server{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String(), func(p string) bool {
		mu.Lock()
		defer mu.Unlock()
		return seen[p]
	}
}

// TestPersonalInformationNeverStoredRaw crawls a page with planted values and
// checks the record, the links and the store's files.
func TestPersonalInformationNeverStoredRaw(t *testing.T) {
	base, requested := piServer(t)
	dir := t.TempDir()
	cfg := DefaultConfig(base + "/")
	cfg.AllowCIDRs = []string{"127.0.0.0/8"}
	cfg.Delay = -1
	cfg.NoSitemaps = true
	_, recs := crawl(t, cfg, dir)
	r := recs[base+"/"]
	if r == nil || r.Kind != scruple.KindPage {
		t.Fatalf("page not kept: %+v", r)
	}
	for _, v := range []string{plantedID, plantedCard, plantedPass} {
		if strings.Contains(r.Text, v) || strings.Contains(r.Title, v) {
			t.Errorf("sensitive value of length %d stored raw", len(v))
		}
	}
	for _, mask := range []string{"[cn_resident_id]", "[bank_card]", "[credential]"} {
		if !strings.Contains(r.Text, mask) {
			t.Errorf("text lacks %s", mask)
		}
	}
	if !strings.Contains(r.Title, "[cn_resident_id]") {
		t.Errorf("title not redacted: %q", r.Title)
	}
	// The default policy redacts general personal information too, unless
	// a consent covers it (none here).
	if strings.Contains(r.Text, plantedMob) {
		t.Errorf("mobile number kept without a consent")
	}
	types := map[string]string{}
	for _, f := range r.Findings {
		types[f.Type] = f.Action
		if f.Field == "" && (f.Start < 0 || f.End > len(r.Text) || f.Start >= f.End) {
			t.Errorf("finding %s span %d..%d outside text", f.Type, f.Start, f.End)
		} else if f.Field == "" && f.Action == "redact" && r.Text[f.Start:f.End] != "["+f.Type+"]" {
			t.Errorf("finding %s span does not cover its mask", f.Type)
		}
	}
	if types["cn_resident_id"] != "redact" || types["credential"] != "redact" || types["bank_card"] != "redact" || types["cn_mobile"] != "redact" {
		t.Errorf("findings/actions: %v", types)
	}
	// Links whose URL carries an ID or a phone number are not followed.
	if requested("/user/"+plantedID) || requested("/contact?phone="+plantedMob) {
		t.Error("a link carrying personal information was followed")
	}
	if !requested("/ok") {
		t.Error("the plain link was not followed")
	}
	for u := range recs {
		if strings.Contains(u, plantedID) {
			t.Error("a URL carrying an ID was recorded")
		}
	}
	// Nothing raw in any file of the store (database, WAL, shared memory).
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		for _, v := range []string{plantedID, plantedCard, plantedPass, plantedMob} {
			if bytes.Contains(b, []byte(v)) {
				t.Errorf("%s holds a raw sensitive value (length %d)", filepath.Base(f), len(v))
			}
		}
	}
}

// TestNoPersonalInformationInLogsOrMetrics plants values on a page and in its
// links and checks the debug log and every metric for them.
func TestNoPersonalInformationInLogsOrMetrics(t *testing.T) {
	base, _ := piServer(t)
	var logs bytes.Buffer
	reg := prometheus.NewRegistry()
	cfg := DefaultConfig(base + "/")
	cfg.AllowCIDRs = []string{"127.0.0.0/8"}
	cfg.Delay = -1
	cfg.Logger = slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	cfg.Registerer = reg
	crawl(t, cfg, t.TempDir())
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var metrics strings.Builder
	for _, mf := range mfs {
		fmt.Fprintln(&metrics, mf.String())
	}
	if metrics.Len() == 0 || !strings.Contains(metrics.String(), "scruple_pi_findings_total") {
		t.Fatal("metrics not gathered")
	}
	for _, v := range []string{plantedID, plantedCard, plantedPass, plantedMob} {
		if strings.Contains(logs.String(), v) {
			t.Errorf("log holds a planted value (length %d)", len(v))
		}
		if strings.Contains(metrics.String(), v) {
			t.Errorf("metrics hold a planted value (length %d)", len(v))
		}
	}
}
