package reporttest

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/policy"
	"github.com/scruple/scruple/provenance"
)

// SynthSpec describes a synthetic crawl.
type SynthSpec struct {
	// Records is the number of records; Hosts how many hosts share them.
	Records, Hosts int
	// TextBytes is the approximate text size of a page.
	TextBytes int
	// Delay is the crawl's delay; each host is fetched exactly that far apart.
	Delay time.Duration
	// Start is the first fetch time.
	Start time.Time
}

// SynthConsent is the consent id Synthetic keeps every 50th page's mobile
// number under; its grant is logged with its terms.
const SynthConsent = "c0ffee00c0ffee00c0ffee00c0ffee00"

// SynthPhone is the value kept under SynthConsent: it is in the bundle and
// must never be in a report.
const SynthPhone = "13912345678"

// Synthetic writes a signed bundle of spec.Records records to dir: a run's
// settings (the default policy), one robots.txt fetch per host, pages with
// redacted findings, one in fifty with a value kept under a logged consent,
// one in ten a refusal (nonpublic, robots.txt, trap). Records are generated
// again from their index when exported, so memory holds the log only.
func Synthetic(ctx context.Context, dir string, spec SynthSpec) (provenance.Manifest, string, error) {
	if spec.Hosts <= 0 {
		spec.Hosts = 100
	}
	if spec.Delay <= 0 {
		spec.Delay = time.Second
	}
	if spec.Start.IsZero() {
		spec.Start = time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	}
	pol := policy.Default()
	info := provenance.BuildInfo{CrawlerVersion: scruple.Version, DetectorVersion: "pii/1", PolicyVersion: pol.Hash()}
	st := &Store{MemLog: provenance.NewMemLog(), n: spec.Records}
	st.gen = func(i int) *scruple.Record { return synthRecord(spec, i) }
	var seeds []string
	for h := 0; h < min(spec.Hosts, 20); h++ {
		seeds = append(seeds, fmt.Sprintf("https://h%d.example.test/", h))
	}
	head := [][]byte{provenance.CrawlEntry{
		At: spec.Start.Add(-time.Minute), Seeds: seeds, Scope: "site", MaxDepth: -1, MaxHostPages: 100000,
		Delay: spec.Delay.String(), MaxCrawlDelay: "10m0s", PerHost: 1, Concurrency: 8,
		UserAgent: scruple.DefaultUserAgent, Agent: "scruple", Purpose: "credit risk assessment for loan applicants",
		PolicyName: pol.Name(), Policy: string(pol.Canonical()), PolicyVersion: info.PolicyVersion,
		DetectorVersion: info.DetectorVersion, CrawlerVersion: info.CrawlerVersion,
	}.Marshal()}
	head = append(head, []byte(fmt.Sprintf(`{"kind":"grant","consent":%q,"at":%q,"subject_type":"cn_mobile","types":["cn_mobile"],`+
		`"purpose":"credit risk assessment for loan applicants","processor":"Example Data Ltd","recipients":["none"],`+
		`"method":"signed paper form","evidence":"%s","granted_at":%q,"expires_at":%q}`,
		SynthConsent, spec.Start.Add(-time.Hour).Format(time.RFC3339), strings.Repeat("ab", 32),
		spec.Start.Add(-time.Hour).Format(time.RFC3339), spec.Start.Add(90*24*time.Hour).Format(time.RFC3339))))
	for h := 0; h < spec.Hosts; h++ {
		head = append(head, provenance.RobotsEntry{URL: fmt.Sprintf("https://h%d.example.test/robots.txt", h),
			FetchedAt: spec.Start.Add(time.Duration(h) * time.Millisecond).Add(-spec.Delay), Status: 200,
			Digest: strings.Repeat("0", 63) + "1", Agent: "scruple", Reason: "ok (200)", CrawlerVersion: scruple.Version}.Marshal())
	}
	if _, err := st.AppendEntries(ctx, head); err != nil {
		return provenance.Manifest{}, "", err
	}
	const batch = 4096
	entries := make([][]byte, 0, batch)
	for i := 0; i < spec.Records; i++ {
		entries = append(entries, provenance.NewRecordEntry(synthRecord(spec, i), info).Marshal())
		if len(entries) == batch || i == spec.Records-1 {
			if _, err := st.AppendEntries(ctx, entries); err != nil {
				return provenance.Manifest{}, "", err
			}
			entries = entries[:0]
		}
	}
	signer, vkey, err := Key("synthetic-provider")
	if err != nil {
		return provenance.Manifest{}, "", err
	}
	m, err := provenance.Export(ctx, st, signer, vkey, dir)
	return m, vkey, err
}

// synthWords make the synthetic text: mixed Chinese and English, as the
// demo web's pages are.
var synthWords = []string{"market", "河流", "report", "城市", "garden", "数据", "bridge", "新闻", "public", "文化", "harbour", "交通"}

func synthRecord(spec SynthSpec, i int) *scruple.Record {
	h := i % spec.Hosts
	n := i / spec.Hosts
	u := fmt.Sprintf("https://h%d.example.test/p/%d.html", h, n)
	r := &scruple.Record{
		URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200,
		FetchedAt: spec.Start.Add(time.Duration(n)*spec.Delay + time.Duration(h)*time.Millisecond),
		Robots: &scruple.RobotsVerdict{URL: fmt.Sprintf("https://h%d.example.test/robots.txt", h), Allowed: true,
			Digest: strings.Repeat("0", 63) + "1"},
		ContentType: "text/html", Charset: "utf-8", Depth: 1 + n%4, Source: scruple.FromLink,
		From: fmt.Sprintf("https://h%d.example.test/", h), Digest: fmt.Sprintf("%064x", i+1), Size: int64(spec.TextBytes + 900),
	}
	if n == 0 {
		r.Source, r.Depth, r.From = scruple.FromSeed, 0, ""
	}
	switch i % 10 {
	case 7:
		r.Kind, r.Reason, r.Digest, r.Size = scruple.KindNonPublic, "login form (password input)", "", 0
		return r
	case 8:
		r.Kind, r.Status, r.Reason, r.Digest, r.Size = scruple.KindDisallowed, 0, "robots.txt: Disallow: /private/", "", 0
		r.Robots.Allowed, r.Robots.Rule = false, "Disallow: /private/"
		return r
	case 9:
		if n%3 == 0 {
			r.Kind, r.Status, r.Reason, r.Digest, r.Size = scruple.KindBlocked, 0, "trap: path segment \"a\" repeated 4 times", "", 0
			return r
		}
	}
	r.Title = fmt.Sprintf("%s %s %d", synthWords[i%len(synthWords)], synthWords[(i+3)%len(synthWords)], i)
	var b strings.Builder
	b.WriteString("联系人手机：")
	start := b.Len()
	kept := i%50 == 1
	if kept {
		b.WriteString(SynthPhone)
	} else {
		b.WriteString("[cn_mobile]")
	}
	end := b.Len()
	b.WriteString("。")
	for k := 0; b.Len() < spec.TextBytes; k++ {
		b.WriteString(synthWords[(i+k)%len(synthWords)])
		b.WriteByte(' ')
	}
	r.Text = b.String()
	f := scruple.Finding{Type: "cn_mobile", Start: start, End: end, Level: "C2", Confidence: 0.95, Action: "redact"}
	if kept {
		f.Action, f.Consent, f.Subject = "keep", SynthConsent, fmt.Sprintf("%064x", 7)
	}
	r.Findings = []scruple.Finding{f}
	r.Links = 5
	return r
}
