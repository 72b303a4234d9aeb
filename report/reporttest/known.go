package reporttest

import (
	"fmt"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/policy"
	"github.com/scruple/scruple/provenance"
)

// Planted values of the known scenario. KeptPhone is kept under
// ConsentLive and so is in the bundle; the others are planted where a
// careless report would copy them (a refusal's reason, a URL, a title). None
// may appear in a report.
const (
	KeptPhone      = "13812345678"
	ReasonPhone    = "13700001111"
	URLPhone       = "13600002222"
	TitleID        = "11010519491231002X"
	ConsentLive    = "aaaa1111aaaa1111aaaa1111aaaa1111"
	ConsentEnded   = "bbbb2222bbbb2222bbbb2222bbbb2222"
	KnownPurpose   = "credit risk assessment for loan applicants"
	KnownProcessor = "Example Data Ltd"
)

// Start is the known scenario's first fetch time: two days ago, so that
// its consent (30 days) is live when a bundle is written now.
var Start = time.Now().UTC().Truncate(time.Hour).Add(-48 * time.Hour)

// Step is one thing that happened in a scenario; exactly one field is set.
type Step struct {
	Robots *provenance.RobotsEntry
	Record *scruple.Record
	// Edit changes a Record's entry before it is logged (forged evidence).
	Edit  func(e *provenance.Entry)
	Event *EventStep
	Purge *PurgeStep
	Raw   []byte
}

// EventStep is a consent event (provenance.KindWithdrawal, ...).
type EventStep struct {
	Kind, Consent, Reason string
	At                    time.Time
}

// PurgeStep rewrites (Record set) or deletes a stored record.
type PurgeStep struct {
	URL     string
	Record  *scruple.Record
	Reason  string
	Consent string
	At      time.Time
}

// Scenario is a crawl as data: a test changes it, then writes its bundle.
type Scenario struct {
	// Run is the run's settings entry; nil leaves it out (an older bundle).
	Run *provenance.CrawlEntry
	// Grant is the consent grant event of ConsentLive (its terms); nil
	// leaves it out.
	Grant map[string]any
	Steps []Step
	Info  provenance.BuildInfo
}

// Known returns the documented scenario. Two hosts:
//
// a.test: robots.txt 200 with Crawl-delay 2s (t+0); pages / (t+2s: a mobile
// redacted, KeptPhone kept under ConsentLive, a bank card redacted) and /p/1
// (t+4s); /private/x refused by "Disallow: /private/"; /login non-public
// (login form, t+6s); /members 401 (t+8s); a trap URL; /borrowers dropped
// (bulk personal data, t+10s). Six requests, all 2s apart.
//
// b.test: robots.txt 404 (t+0); pages at t+1s, t+2s, t+2.5s (0.5s after
// the previous: too fast for the 1s delay) and t+4s (an e-mail kept under
// ConsentEnded); two URLs deferred (robots.txt unavailable: one recorded as
// a bundle before the deferred kind did, one as now). ConsentEnded is
// withdrawn at t+60s and the page re-redacted by a purge.
//
// The run: delay 1s, one request per host, purpose KnownPurpose, the default
// policy.
func Known() *Scenario {
	pol := policy.Default()
	info := provenance.BuildInfo{CrawlerVersion: scruple.Version, DetectorVersion: "pii/1", PolicyVersion: pol.Hash()}
	t := func(d time.Duration) time.Time { return Start.Add(d) }
	s := &Scenario{Info: info}
	s.Run = &provenance.CrawlEntry{
		At: t(-time.Minute), Seeds: []string{"https://a.test/", "https://b.test/"}, Scope: "site", MaxDepth: -1,
		MaxHostPages: 100000, Delay: "1s", MaxCrawlDelay: "10m0s", PerHost: 1, Concurrency: 8,
		UserAgent: scruple.DefaultUserAgent, Agent: "scruple", Purpose: KnownPurpose,
		PolicyName: pol.Name(), Policy: string(pol.Canonical()), PolicyVersion: info.PolicyVersion,
		DetectorVersion: info.DetectorVersion, CrawlerVersion: info.CrawlerVersion,
	}
	s.Grant = map[string]any{
		"kind": "grant", "consent": ConsentLive, "at": t(-2 * time.Hour), "subject_type": "cn_mobile",
		"types": []string{"cn_mobile"}, "purpose": KnownPurpose, "processor": KnownProcessor,
		"recipients": []string{"none"}, "method": "signed paper form", "evidence": strings.Repeat("ab", 32),
		"granted_at": t(-2 * time.Hour), "expires_at": t(30 * 24 * time.Hour),
	}
	page := func(host, path string, at time.Duration) *scruple.Record {
		u := "https://" + host + path
		r := &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, FetchedAt: t(at),
			Robots:      &scruple.RobotsVerdict{URL: "https://" + host + "/robots.txt", Allowed: true},
			ContentType: "text/html", Charset: "utf-8", Source: scruple.FromLink, Depth: 1, Digest: fmt.Sprintf("%064x", at),
			Title: "Page " + path, Text: "Public text of " + path + ".", Size: 1000}
		if path == "/" {
			r.Source, r.Depth = scruple.FromSeed, 0
		}
		return r
	}
	refused := func(r *scruple.Record, kind scruple.Kind, status int, reason string) *scruple.Record {
		r.Kind, r.Status, r.Reason, r.Title, r.Text, r.Digest, r.Size = kind, status, reason, "", "", "", 0
		return r
	}

	a1 := page("a.test", "/", 2*time.Second)
	a1.Title = "联系我们"
	a1.Text = "联系人手机：[cn_mobile]。业务手机：" + KeptPhone + "。卡号 [bank_card]。"
	i1 := strings.Index(a1.Text, "[cn_mobile]")
	i2 := strings.Index(a1.Text, KeptPhone)
	i3 := strings.Index(a1.Text, "[bank_card]")
	a1.Findings = []scruple.Finding{
		{Type: "cn_mobile", Start: i1, End: i1 + len("[cn_mobile]"), Level: "C2", Confidence: 0.97, Action: "redact"},
		{Type: "cn_mobile", Start: i2, End: i2 + len(KeptPhone), Level: "C2", Confidence: 0.97, Action: "keep",
			Consent: ConsentLive, Subject: strings.Repeat("5", 64)},
		{Type: "bank_card", Start: i3, End: i3 + len("[bank_card]"), Level: "C2", Sensitive: true, Confidence: 0.99, Action: "redact"},
	}
	a3 := page("a.test", "/private/x", 4500*time.Millisecond)
	refused(a3, scruple.KindDisallowed, 0, "robots.txt: Disallow: /private/")
	a3.Robots.Allowed, a3.Robots.Rule = false, "Disallow: /private/"
	a6 := refused(page("a.test", "/a/a/a/a", 8100*time.Millisecond), scruple.KindTrap, 0, `trap: path segment "a" repeated 4 times`)
	a6.Robots = nil

	b5 := page("b.test", "/z", 4*time.Second)
	b5.Text = "E-mail: ann@example.com."
	j := strings.Index(b5.Text, "ann@example.com")
	b5.Findings = []scruple.Finding{{Type: "email", Start: j, End: j + len("ann@example.com"), Confidence: 0.9,
		Action: "keep", Consent: ConsentEnded, Subject: strings.Repeat("6", 64)}}
	b5after := *b5
	b5after.Text = "E-mail: [email]."
	b5after.Findings = []scruple.Finding{{Type: "email", Start: j, End: j + len("[email]"), Confidence: 0.9, Action: "redact"}}

	s.Steps = []Step{
		{Robots: &provenance.RobotsEntry{URL: "https://a.test/robots.txt", FetchedAt: t(0), Status: 200,
			Digest: strings.Repeat("a", 64), Agent: "scruple", CrawlDelay: "2s", Reason: "ok (200)"}},
		{Robots: &provenance.RobotsEntry{URL: "https://b.test/robots.txt", FetchedAt: t(0), Status: 404,
			Agent: "scruple", Reason: "no robots.txt (404)"}},
		{Record: page("b.test", "/", time.Second)},
		{Record: a1},
		{Record: page("b.test", "/x", 2*time.Second)},
		{Record: page("b.test", "/y", 2500*time.Millisecond)},
		{Record: refused(page("b.test", "/d1", 3*time.Second), scruple.KindDisallowed, 0, "robots.txt unavailable: robots.txt unavailable (503)")},
		{Record: refused(page("b.test", "/d2", 3100*time.Millisecond), scruple.KindDeferred, 0,
			"robots.txt unavailable (503) after 3 attempts: RFC 9309 disallow all, nothing of the host fetched")},
		{Record: page("a.test", "/p/1", 4*time.Second)},
		{Record: b5},
		{Record: a3},
		{Record: refused(page("a.test", "/login", 6*time.Second), scruple.KindNonPublic, 200, "login form (password input) "+ReasonPhone)},
		{Record: refused(page("a.test", "/members/"+URLPhone, 8*time.Second), scruple.KindNonPublic, 401, "http 401 (authentication required)")},
		{Record: a6},
		{Record: refused(page("a.test", "/borrowers", 10*time.Second), scruple.KindDropped, 200,
			"dropped: bulk personal data: 12 distinct subjects (threshold 10): signals.bulk is drop-page")},
		{Event: &EventStep{Kind: provenance.KindWithdrawal, Consent: ConsentEnded, Reason: "consent withdrawn (PIPL Art. 15)", At: t(time.Minute)}},
		{Purge: &PurgeStep{URL: b5.URL, Record: &b5after, Reason: "consent withdrawn (PIPL Art. 15)", Consent: ConsentEnded, At: t(time.Minute)}},
	}
	// A resident ID the crawler "missed" in a page title: the report must
	// mask it by itself.
	s.Steps[4].Record.Title = "Notice " + TitleID
	return s
}

// Write writes the scenario's bundle to dir, signed by a new key, and
// returns the key.
func (s *Scenario) Write(dir string) (verifierKey string, err error) {
	signer, vkey, err := Key("known-provider")
	if err != nil {
		return "", err
	}
	_, err = s.Build().Export(dir, signer, vkey)
	return vkey, err
}

// Build appends the scenario's steps to a new Builder.
func (s *Scenario) Build() *Builder {
	b := New(s.Info)
	if s.Run != nil {
		b.Run(*s.Run)
	}
	if s.Grant != nil {
		b.JSON(s.Grant)
	}
	for _, st := range s.Steps {
		switch {
		case st.Robots != nil:
			e := *st.Robots
			e.CrawlerVersion = s.Info.CrawlerVersion
			b.Robots(e)
		case st.Record != nil:
			b.Record(st.Record, st.Edit)
		case st.Event != nil:
			b.Event(st.Event.Kind, st.Event.Consent, st.Event.Reason, st.Event.At)
		case st.Purge != nil:
			b.Purge(st.Purge.URL, st.Purge.Record, st.Purge.Reason, st.Purge.Consent, st.Purge.At)
		case st.Raw != nil:
			b.Raw(st.Raw)
		}
	}
	return b
}

// Find returns the step holding the record of url, or nil.
func (s *Scenario) Find(url string) *Step {
	for i := range s.Steps {
		if r := s.Steps[i].Record; r != nil && r.URL == url {
			return &s.Steps[i]
		}
	}
	return nil
}
