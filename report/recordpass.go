package report

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// piAgg counts findings.
type piAgg struct {
	findings, redacted, consentKept, policyKept, dropped, records int64
	byType                                                        map[string]*[3]int64 // redacted, consent, kept
	levels                                                        map[string]int64
	sensitive, minors                                             int64
	logType                                                       map[string]*[3]int64
	droppedBy                                                     map[string]int64
}

func (p *piAgg) init() {
	if p.byType == nil {
		p.byType, p.levels, p.logType, p.droppedBy = map[string]*[3]int64{}, map[string]int64{}, map[string]*[3]int64{}, map[string]int64{}
	}
}

// slot is the segment index of an action: 0 redacted, 1 kept under
// consent, 2 kept by the policy.
func slot(action, consent string) int {
	switch {
	case action != "keep":
		return 0
	case consent != "":
		return 1
	}
	return 2
}

// hostRecord counts a record for its host: kinds, and refusals by reason.
// The first record of each reason is its evidence.
func (a *aggregator) hostRecord(h *hostAgg, r *scruple.Record) {
	h.entries++
	h.kinds[string(r.Kind)]++
	reason := r.Reason // masked when listed (finish), not per record
	count := func(c *counter, label string) {
		if h.count(c, label, r.ID, a.lim.Reasons) {
			a.cite(r.ID)
		}
	}
	switch r.Kind {
	case scruple.KindPage:
		h.pages++
	case scruple.KindDeferred:
		h.deferred++
		count(&h.deferredWhy, reason)
	case scruple.KindDisallowed:
		if strings.HasPrefix(reason, "robots.txt unavailable") { // bundles before the deferred kind
			h.deferred++
			count(&h.deferredWhy, reason)
			break
		}
		rule := strings.TrimPrefix(reason, "robots.txt: ")
		if r.Robots != nil && r.Robots.Rule != "" {
			rule = r.Robots.Rule
		}
		count(&h.disallowed, rule)
	case scruple.KindNonPublic:
		count(&h.nonpublic, nonPublicClass(reason)+"\x00"+reason)
	case scruple.KindTrap:
		count(&h.traps, reason)
	case scruple.KindBlocked:
		if isTrap(reason) { // bundles before the trap kind
			count(&h.traps, reason)
		} else {
			count(&h.blocked, reason)
		}
	}
}

// logged counts a decision as the log recorded it at fetch time.
func (p *piAgg) logged(d provenance.Decision) {
	p.init()
	lt := p.logType[d.Type]
	if lt == nil {
		lt = new([3]int64)
		p.logType[d.Type] = lt
	}
	lt[slot(d.Action, d.Consent)] += int64(d.Count)
}

// readRecords is the second pass: every line of records.jsonl.
func (a *aggregator) readRecords(ctx context.Context, path string) error {
	a.pi.init()
	var buf []byte
	return eachFileLine(ctx, path, func(idx int64, line []byte) error {
		// The text is decoded only when it is needed (see splitField).
		rest, raw, nb, split := splitField(line, "text", buf)
		buf = nb
		var r scruple.Record
		if json.Unmarshal(rest, &r) != nil {
			return nil // Verify names it
		}
		host := hostOf(r.URL)
		if split && (len(r.Findings) > 0 || (r.Kind == scruple.KindPage && a.wantsSample(host, &r))) {
			r.Text, _ = unquote(raw)
		} else if split && len(raw) > 2 {
			r.Text = "\x00" // present, not needed: only its presence is checked
		}
		a.record(&r, host)
		return nil
	})
}

func (a *aggregator) record(r *scruple.Record, host string) {
	a.nRecords++
	if !a.placed.claim(r.ID, r.URL) {
		a.anomaly("record-unlogged", -1)
	}
	a.hostRecord(a.host(host), r)
	if r.Source == scruple.FromSeed && !a.seedSet[r.URL] && len(a.seeds) < 200 {
		a.seedSet[r.URL] = true
		a.seeds = append(a.seeds, safeURL(a.det, r.URL))
	}
	switch r.Kind {
	case scruple.KindNonPublic, scruple.KindDisallowed, scruple.KindBlocked, scruple.KindDropped,
		scruple.KindTrap, scruple.KindDeferred, scruple.KindSkipped:
		// Nothing of a refused or dropped page is kept: no text, no title.
		if r.Text != "" || r.Title != "" {
			a.anomaly("refused-with-text", r.ID)
		}
	case scruple.KindPage:
	default:
		if r.Text != "" { // only pages keep text (Record.Validate)
			a.anomaly("refused-with-text", r.ID)
		}
	}
	if r.Kind == scruple.KindDropped {
		a.pi.dropped++
		cls := "bulk"
		switch low := strings.ToLower(r.Reason); {
		case strings.Contains(low, "minor"):
			cls = "minor"
			a.pi.minors++
		case strings.Contains(low, "credential"):
			cls = "credential"
		}
		a.pi.droppedBy[cls]++
		if len(r.Findings) > 0 {
			a.anomaly("dropped-with-findings", r.ID)
		}
	}
	if len(r.Findings) > 0 {
		a.pi.records++
	}
	for i := range r.Findings {
		a.finding(r, &r.Findings[i])
	}
	if r.Kind == scruple.KindPage && a.wantsSample(host, r) {
		a.sample(host, r)
	}
}

func (a *aggregator) finding(r *scruple.Record, f *scruple.Finding) {
	p := &a.pi
	p.findings++
	s := slot(f.Action, f.Consent)
	bt := p.byType[f.Type]
	if bt == nil {
		bt = new([3]int64)
		p.byType[f.Type] = bt
	}
	bt[s]++
	switch s {
	case 0:
		p.redacted++
	case 1:
		p.consentKept++
	case 2:
		p.policyKept++
	}
	lvl := f.Level
	if lvl == "" {
		lvl = "none"
	}
	p.levels[lvl]++
	if f.Sensitive {
		p.sensitive++
	}
	field := r.Text
	if f.Field == "title" {
		field = r.Title
	}
	switch {
	case f.Start < 0 || f.End > len(field) || f.Start > f.End:
		a.anomaly("span-outside", r.ID)
	case f.Action != "keep" && field[f.Start:f.End] != "["+f.Type+"]":
		// A redacted finding's span holds its typed mask; anything else
		// means the stored text may hold the value.
		a.anomaly("mask-missing", r.ID)
	}
	if f.Action == "keep" && (f.Level == string(pii.C3) || pii.Info(pii.Type(f.Type)).Level == pii.C3) {
		a.anomaly("c3-kept", r.ID)
	}
	if f.Action == "keep" && f.Consent == "" && pii.Info(pii.Type(f.Type)).Personal && !a.policyKeeps(f.Type) {
		a.anomaly("kept-no-consent", r.ID)
	}
	if f.Action == "keep" && f.Consent != "" {
		c := a.consent(f.Consent)
		c.KeptNow++
		if f.Sensitive {
			c.Sensitive = true
		}
		a.keptUnderConsent(c, r, f)
	}
}

// keptUnderConsent checks a kept value against its consent's terms.
func (a *aggregator) keptUnderConsent(c *Consent, r *scruple.Record, f *scruple.Finding) {
	if c.Status == "withdrawn" || c.Status == "refused" || c.Status == "expired" {
		a.anomaly("kept-after-end", r.ID)
	}
	at := r.FetchedAt
	ended := func(t time.Time) bool { return !t.IsZero() && !at.Before(t) }
	if ended(c.WithdrawnAt) || ended(c.RefusedAt) || (c.Known && (at.Before(c.GrantedAt) || ended(c.ExpiresAt))) {
		a.anomaly("consent-not-live", r.ID)
	}
	if !c.Known {
		return // listed once, in finish: the terms are not in the bundle
	}
	if len(c.Types) > 0 && !contains(c.Types, f.Type) {
		a.anomaly("consent-type", r.ID)
	}
	if f.Sensitive && !c.Separate {
		a.anomaly("sensitive-no-separate", r.ID)
	}
}

// policyKeeps reports whether a policy that decided this crawl keeps a
// personal type without consent (a documented lawful purpose); without the
// policy's text it cannot be told, and the value counts as kept by policy.
func (a *aggregator) policyKeeps(typ string) bool {
	known := false
	for _, p := range a.policies {
		if p.Actions == nil {
			continue
		}
		known = true
		if p.Actions["type "+typ+" personal"] == "keep" {
			return true
		}
	}
	return !known
}

// wantsSample reports whether a page would become one of its host's
// samples: the first pages of each host, preferring pages with findings
// (they show what redaction looks like).
func (a *aggregator) wantsSample(host string, r *scruple.Record) bool {
	return a.sampleSlot(host, r) >= 0
}

func (a *aggregator) sampleSlot(host string, r *scruple.Record) int {
	got := a.samples[host]
	if got == nil && len(a.samples) >= 1000 {
		return -1
	}
	if len(got) < a.lim.SamplesPerHost {
		return len(got)
	}
	if len(r.Findings) == 0 {
		return -1
	}
	for i := len(got) - 1; i >= 0; i-- { // the last sample without findings
		if got[i].Findings == 0 {
			return i
		}
	}
	return -1
}

// sample keeps r as one of its host's samples.
func (a *aggregator) sample(host string, r *scruple.Record) {
	at := a.sampleSlot(host, r)
	if at < 0 {
		return
	}
	text, tr := excerpt(a.det, r.Text, r.Findings, "", a.lim.Excerpt)
	title, _ := excerpt(a.det, r.Title, r.Findings, "title", 200)
	s := Sample{Host: host, URL: safeURL(a.det, r.URL), Title: title, Excerpt: text,
		Index: r.ID, At: r.FetchedAt.UTC(), Findings: len(r.Findings), Truncated: tr}
	if got := a.samples[host]; at == len(got) {
		a.samples[host] = append(got, s)
	} else {
		got[at] = s
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// placement checks that each record is placed by the log: its id (in a
// bundle, the index of its record entry) names a signed record entry of
// the same URL, and no other record names that entry. It keeps 8 bytes per
// log entry (a hash of each record entry's URL) and a bit per entry, so the
// check is one pass over each file.
type placement struct {
	urls    []uint64 // log index → URL hash of a record entry; 0 for other kinds
	claimed []uint64 // bit set of the entries a record has named
}

func urlHash(u string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(u))
	return h.Sum64() | 1
}

// entry notes the record entry at idx.
func (p *placement) entry(idx int64, url string) {
	if idx < 0 {
		return
	}
	for int64(len(p.urls)) <= idx {
		p.urls = append(p.urls, 0)
	}
	p.urls[idx] = urlHash(url)
}

// claim reports whether the record (id, url) is placed by a record entry no
// earlier record claimed, and claims it.
func (p *placement) claim(id int64, url string) bool {
	if id < 0 || id >= int64(len(p.urls)) || p.urls[id] != urlHash(url) {
		return false
	}
	w, bit := id/64, uint64(1)<<(id%64)
	for int64(len(p.claimed)) <= w {
		p.claimed = append(p.claimed, 0)
	}
	if p.claimed[w]&bit != 0 {
		return false
	}
	p.claimed[w] |= bit
	return true
}
