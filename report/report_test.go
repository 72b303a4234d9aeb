package report

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/report/reporttest"
)

// build writes s's bundle and builds its report, pinned to its key.
func build(t *testing.T, s *reporttest.Scenario, lang string) *Report {
	t.Helper()
	dir := t.TempDir()
	vkey, err := s.Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	r, err := Build(context.Background(), dir, Options{Lang: lang, Key: vkey,
		Now: func() time.Time { return reporttest.Start.Add(time.Hour) }})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func host(t *testing.T, r *Report, name string) *Host {
	t.Helper()
	for _, h := range r.Hosts {
		if h.Name == name {
			return h
		}
	}
	t.Fatalf("no host %s", name)
	return nil
}

func counts(cs []Count) map[string]int64 {
	m := map[string]int64{}
	for _, c := range cs {
		m[c.Label] = c.N
	}
	return m
}

func rules(r *Report) map[string]Status {
	m := map[string]Status{}
	for _, x := range r.Checklist {
		m[x.ID] = x.Status
	}
	return m
}

func anomalies(r *Report) map[string]int64 {
	m := map[string]int64{}
	for _, a := range r.Anomalies {
		m[a.Code] = a.Count
	}
	return m
}

// TestKnownFigures checks every figure of the known scenario (see
// reporttest.Known for what it holds).
func TestKnownFigures(t *testing.T) {
	r := build(t, reporttest.Known(), "en")
	if !r.OK() || !r.Verdict.Pinned || r.Verdict.KeyName != "known-provider" || len(r.Verdict.Fingerprint) != 79 {
		t.Fatalf("verdict: %+v", r.Verdict)
	}
	v := r.Verdict
	if v.Records != 13 || v.Entries != 19 || v.TreeSize != 19 {
		t.Errorf("records %d entries %d tree %d, want 13, 19, 19", v.Records, v.Entries, v.TreeSize)
	}
	if !v.From.Equal(reporttest.Start.Add(-2*time.Hour)) || !v.To.Equal(reporttest.Start.Add(time.Minute)) {
		t.Errorf("time span %v — %v", v.From, v.To)
	}
	sc := r.Scope
	if len(sc.Runs) != 1 || sc.SeedsFromRecords || len(sc.Seeds) != 2 || sc.HostCount != 2 ||
		len(sc.Purposes) != 1 || sc.Purposes[0] != reporttest.KnownPurpose {
		t.Errorf("scope: %+v", sc)
	}
	if len(sc.Policies) != 1 || !sc.Policies[0].TextVerified || sc.Policies[0].Actions["signal minor"] != "keep-with-consent" {
		t.Errorf("policy: %+v", sc.Policies)
	}

	for _, tc := range []struct {
		host                               string
		entries, pages, deferred, requests int64
		disallowed, nonpublic, traps       map[string]int64
		gap, spacing                       time.Duration
		busiest, limit                     int
		tooFast                            int64
		status                             PoliteStatus
		robots                             int
	}{
		{host: "a.test", entries: 7, pages: 2, requests: 6, gap: 2 * time.Second, spacing: 2 * time.Second,
			busiest: 6, limit: 31, status: PoliteOK, robots: 1,
			disallowed: map[string]int64{"Disallow: /private/": 1},
			nonpublic:  map[string]int64{"login — login form (password input) [cn_mobile]": 1, "HTTP 401 — http 401 (authentication required)": 1},
			traps:      map[string]int64{`trap: path segment "a" repeated 4 times`: 1}},
		{host: "b.test", entries: 6, pages: 4, deferred: 2, requests: 5, gap: 500 * time.Millisecond, spacing: time.Second,
			busiest: 5, limit: 61, tooFast: 1, status: PoliteFast, robots: 1,
			disallowed: map[string]int64{}, nonpublic: map[string]int64{}, traps: map[string]int64{}},
	} {
		h := host(t, r, tc.host)
		p := h.Politeness
		if h.Entries != tc.entries || h.Pages != tc.pages || h.Deferred != tc.deferred || len(h.Robots) != tc.robots {
			t.Errorf("%s: entries %d pages %d deferred %d robots %d", tc.host, h.Entries, h.Pages, h.Deferred, len(h.Robots))
		}
		if p.Requests != tc.requests || p.SmallestGap != tc.gap || p.Spacing != tc.spacing || p.BusiestMinute != tc.busiest ||
			p.Limit != tc.limit || p.TooFast != tc.tooFast || p.Status != tc.status || !p.Known || p.Delay != time.Second {
			t.Errorf("%s politeness: %+v", tc.host, p)
		}
		for name, got := range map[string][]Count{"disallowed": h.Disallowed, "nonpublic": h.NonPublic, "traps": h.Traps} {
			want := map[string]map[string]int64{"disallowed": tc.disallowed, "nonpublic": tc.nonpublic, "traps": tc.traps}[name]
			if g := counts(got); len(g) != len(want) {
				t.Errorf("%s %s: %v, want %v", tc.host, name, g, want)
			} else {
				for k, n := range want {
					if g[k] != n {
						t.Errorf("%s %s[%q] = %d, want %d (all: %v)", tc.host, name, k, g[k], n, g)
					}
				}
			}
		}
	}

	pi := r.PI
	if pi.Findings != 4 || pi.Redacted != 3 || pi.ConsentKept != 1 || pi.PolicyKept != 0 || pi.DroppedPages != 1 || pi.RecordsWithPI != 2 {
		t.Errorf("PI: %+v", pi)
	}
	bars := func(bs []Bar) map[string][]int64 {
		m := map[string][]int64{}
		for _, b := range bs {
			for _, s := range b.Segments {
				m[b.Label] = append(m[b.Label], s.N)
			}
		}
		return m
	}
	for label, want := range map[string][]int64{"cn_mobile": {1, 1, 0}, "bank_card": {1, 0, 0}, "email": {1, 0, 0}} {
		if got := bars(pi.ByType)[label]; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Errorf("by type %s = %v, want %v", label, got, want)
		}
	}
	if got := bars(pi.Logged)["email"]; len(got) != 3 || got[1] != 1 {
		t.Errorf("logged email decisions %v: the kept value before its purge", got)
	}
	for label, want := range map[string]int64{"C2 (identity, account)": 3, "unclassed": 1, "PIPL sensitive": 1, "C3 (authentication)": 0} {
		if got := bars(pi.ByClass)[label]; len(got) != 1 || got[0] != want {
			t.Errorf("by class %s = %v, want %d", label, got, want)
		}
	}

	cs := map[string]*Consent{}
	for _, c := range r.Consents {
		cs[c.ID] = c
	}
	live, ended := cs[reporttest.ConsentLive], cs[reporttest.ConsentEnded]
	if live == nil || !live.Known || live.Source != "log" || live.Status != "live" || live.KeptNow != 1 || live.KeptLogged != 1 ||
		live.Purpose != reporttest.KnownPurpose || live.Processor != reporttest.KnownProcessor || live.Index != 1 {
		t.Errorf("live consent: %+v", live)
	}
	if ended == nil || ended.Known || ended.Status != "withdrawn" || ended.KeptNow != 0 || ended.KeptLogged != 1 || ended.Purges != 1 {
		t.Errorf("ended consent: %+v", ended)
	}
	var kinds []string
	for _, e := range r.Events {
		kinds = append(kinds, e.Kind)
	}
	if strings.Join(kinds, ",") != "grant,withdrawal,purge" {
		t.Errorf("events %v", kinds)
	}

	want := map[string]Status{"public": Pass, "polite": Fail, "pipl6": Pass, "pipl14": Pass, "pipl23": Pass, "pipl27": Pass,
		"pipl29": Pass, "pipl31": Pass, "pipl47": Pass, "c3": Pass}
	if got := rules(r); len(got) != len(want) {
		t.Errorf("checklist %v", got)
	} else {
		for id, st := range want {
			if got[id] != st {
				t.Errorf("rule %s = %s, want %s", id, got[id], st)
			}
		}
	}
	if a := anomalies(r); len(a) != 1 || a["too-fast"] != 1 {
		t.Errorf("anomalies %v, want too-fast once", a)
	}
	if len(r.misses) > 0 {
		t.Errorf("catalogue keys missing: %v", r.misses)
	}
	// Every link of the checklist and the anomalies lands on an anchor.
	var html bytes.Buffer
	if err := r.WriteHTML(&html); err != nil {
		t.Fatal(err)
	}
	for _, m := range regexp.MustCompile(`href="#([^"]+)"`).FindAllStringSubmatch(html.String(), -1) {
		if !bytes.Contains(html.Bytes(), []byte(`id="`+m[1]+`"`)) {
			t.Errorf("a link to #%s, which is not on the page", m[1])
		}
	}
}

// TestChecklistVariants changes one thing in the known scenario and checks
// which rows and anomalies it turns.
func TestChecklistVariants(t *testing.T) {
	grantLive := func(edit func(g map[string]any)) func(s *reporttest.Scenario) {
		return func(s *reporttest.Scenario) { edit(s.Grant) }
	}
	a1 := "https://a.test/"
	for _, tc := range []struct {
		name      string
		edit      func(s *reporttest.Scenario)
		rules     map[string]Status
		anomalies []string
	}{
		{"no run settings", func(s *reporttest.Scenario) { s.Run = nil },
			map[string]Status{"polite": Fail, "pipl6": Fail, "pipl31": Fail, "pipl14": Pass}, nil},
		{"consent terms not in the bundle", func(s *reporttest.Scenario) { s.Grant = nil },
			map[string]Status{"pipl14": Fail, "pipl23": Fail, "pipl47": Fail, "pipl6": Pass}, []string{"consent-unknown"}},
		{"unnamed recipients", grantLive(func(g map[string]any) { g["recipients"] = []string{"third parties"} }),
			map[string]Status{"pipl23": Fail, "pipl14": Fail}, nil},
		// A bundle written before consent.Validate refused placeholders:
		// 64 zeros prove no evidence.
		{"placeholder evidence digest", grantLive(func(g map[string]any) { g["evidence"] = strings.Repeat("0", 64) }),
			map[string]Status{"pipl14": Fail, "pipl23": Pass}, nil},
		{"no expiry", grantLive(func(g map[string]any) { delete(g, "expires_at") }),
			map[string]Status{"pipl14": Fail, "pipl23": Pass}, nil},
		{"another purpose", grantLive(func(g map[string]any) { g["purpose"] = "marketing campaigns for new products" }),
			map[string]Status{"pipl6": Fail}, nil},
		{"consent granted after the fetch", grantLive(func(g map[string]any) { g["granted_at"] = reporttest.Start.Add(time.Hour) }),
			map[string]Status{"pipl14": Pass}, []string{"consent-not-live"}},
		{"credentials sent", func(s *reporttest.Scenario) {
			s.Find("https://a.test/p/1").Edit = func(e *provenance.Entry) { e.Access.CredentialsSent = true }
		}, map[string]Status{"public": Fail}, []string{"credentials"}},
		{"access evidence missing", func(s *reporttest.Scenario) {
			s.Find("https://a.test/p/1").Edit = func(e *provenance.Entry) { e.Access = nil }
		}, map[string]Status{"public": Fail}, nil},
		{"fetched although disallowed", func(s *reporttest.Scenario) {
			s.Find("https://a.test/p/1").Edit = func(e *provenance.Entry) { e.Robots.Allowed = false }
		}, map[string]Status{"polite": Fail}, []string{"fetched-disallowed"}},
		{"C3 kept", func(s *reporttest.Scenario) {
			r := s.Find(a1).Record
			r.Findings[2].Type, r.Findings[2].Level, r.Findings[2].Action = "credential", "C3", "keep"
		}, map[string]Status{"c3": Fail}, []string{"c3-kept", "c3-kept-logged"}},
		{"redaction without its mask", func(s *reporttest.Scenario) {
			r := s.Find(a1).Record
			r.Findings[0].Start++ // the span no longer holds "[cn_mobile]"
		}, nil, []string{"mask-missing"}},
		{"sensitive kept without separate consent", func(s *reporttest.Scenario) {
			r := s.Find(a1).Record
			r.Findings[2].Action, r.Findings[2].Consent = "keep", reporttest.ConsentLive
		}, map[string]Status{"pipl29": Fail}, []string{"sensitive-no-separate", "consent-type"}},
		{"withdrawn but not purged", func(s *reporttest.Scenario) {
			s.Steps = append(s.Steps, reporttest.Step{Event: &reporttest.EventStep{Kind: provenance.KindWithdrawal,
				Consent: reporttest.ConsentLive, Reason: "consent withdrawn", At: reporttest.Start.Add(2 * time.Minute)}})
		}, map[string]Status{"pipl47": Fail}, []string{"kept-after-end", "ended-consent-kept"}},
		{"refused but not purged", func(s *reporttest.Scenario) {
			s.Steps = append(s.Steps, reporttest.Step{Event: &reporttest.EventStep{Kind: provenance.KindRefusal,
				Consent: reporttest.ConsentLive, Reason: "subject refused", At: reporttest.Start.Add(2 * time.Minute)}})
		}, map[string]Status{"pipl27": Fail, "pipl47": Fail}, []string{"kept-after-end"}},
		{"no delay", func(s *reporttest.Scenario) { s.Run.Delay = "0s" },
			map[string]Status{"polite": Warn}, nil},
		{"policy keeps a minor's data", func(s *reporttest.Scenario) {
			s.Run.Policy = strings.Replace(s.Run.Policy, "signal minor keep-with-consent", "signal minor keep", 1)
		}, map[string]Status{"pipl6": Fail, "pipl31": Fail}, nil}, // the text no longer matches its hash
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := reporttest.Known()
			tc.edit(s)
			r := build(t, s, "en")
			if !r.OK() {
				t.Fatalf("bundle does not verify: %+v", r.Verdict.Problems)
			}
			got := rules(r)
			for id, st := range tc.rules {
				if got[id] != st {
					t.Errorf("rule %s = %s, want %s (%s)", id, got[id], st, msg(r, id))
				}
			}
			an := anomalies(r)
			for _, code := range tc.anomalies {
				if an[code] == 0 {
					t.Errorf("anomaly %s not found (have %v)", code, an)
				}
			}
			if len(r.misses) > 0 {
				t.Errorf("catalogue keys missing: %v", r.misses)
			}
		})
	}
}

func msg(r *Report, id string) string {
	for _, x := range r.Checklist {
		if x.ID == id {
			return x.Msg
		}
	}
	return ""
}

// TestPlaceholderEvidenceNamed: the PIPL Art. 13, 14 row says why a
// consent with 64 zeros for its evidence digest fails.
func TestPlaceholderEvidenceNamed(t *testing.T) {
	s := reporttest.Known()
	s.Grant["evidence"] = strings.Repeat("0", 64)
	r := build(t, s, "en")
	if m := msg(r, "pipl14"); !strings.Contains(m, "evidence") || !strings.Contains(m, "placeholder") {
		t.Errorf("pipl14 message %q does not name the placeholder evidence", m)
	}
}

// TestRecordWithoutLogEntry: the report's own check finds records the log
// does not place: one added to records.jsonl with no entry, a copy of a
// logged record, and one whose id names another URL's entry. (Verify
// finds them too; the report checks anyway.)
func TestRecordWithoutLogEntry(t *testing.T) {
	dir := t.TempDir()
	vkey, err := reporttest.Known().Write(dir)
	if err != nil {
		t.Fatal(err)
	}
	build := func() *Report {
		r, err := Build(context.Background(), dir, Options{Lang: "en", Key: vkey,
			Now: func() time.Time { return reporttest.Start.Add(time.Hour) }})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if n := anomalies(build())["record-unlogged"]; n != 0 {
		t.Fatalf("known bundle: %d records without a log entry", n)
	}
	path := filepath.Join(dir, provenance.RecordsFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	var first, second map[string]any
	json.Unmarshal([]byte(lines[0]), &first)
	json.Unmarshal([]byte(lines[1]), &second)
	added := maps.Clone(first)
	added["url"], added["final_url"], added["id"] = "https://a.test/added", "https://a.test/added", -1
	wrong := maps.Clone(first)
	wrong["url"], wrong["final_url"], wrong["id"] = "https://a.test/wrong", "https://a.test/wrong", second["id"]
	for _, rec := range []map[string]any{added, wrong} {
		line, _ := json.Marshal(rec)
		lines = append(lines, string(line))
	}
	lines = append(lines, lines[0]) // the same record twice
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := build()
	if n := anomalies(r)["record-unlogged"]; n != 3 {
		t.Errorf("%d records without a log entry found, want 3 (have %v)", n, anomalies(r))
	}
	if r.OK() {
		t.Errorf("bundle with added records verified")
	}
}
