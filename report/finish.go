package report

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/scruple/scruple/provenance"
)

// maxRuns and maxConsents bound the runs and consents listed.
const (
	maxRuns     = 100
	maxConsents = 500
)

// finish turns the passes' counters into the report's sections.
func (a *aggregator) finish() {
	r := a.r
	r.Scope = a.scope()
	r.Hosts, r.HostsOmitted = a.hostList()
	r.PI = a.piSection()
	a.consentChecks()
	for i, c := range a.sortedConsents() {
		if i >= maxConsents {
			r.ConsentsOmitted++
			continue
		}
		c.Purpose, c.Processor, c.Method = safeReason(a.det, c.Purpose), safeReason(a.det, c.Processor), safeReason(a.det, c.Method)
		rs := make([]string, len(c.Recipients))
		for i, x := range c.Recipients {
			rs[i] = safeReason(a.det, x)
		}
		c.Recipients = rs
		r.Consents = append(r.Consents, c)
	}
	sort.SliceStable(a.events, func(i, j int) bool {
		if !a.events[i].At.Equal(a.events[j].At) {
			return a.events[i].At.Before(a.events[j].At)
		}
		return a.events[i].Index < a.events[j].Index
	})
	r.Events, r.EventsOmitted = a.events, a.nEvents-len(a.events)
	sort.SliceStable(a.api, func(i, j int) bool { return a.api[i].Index < a.api[j].Index })
	r.API, r.APIOmitted = a.api, a.nAPI-len(a.api)
	r.Checklist = a.checklist()
	r.Anomalies = a.sortedAnomalies()
	r.Samples = a.sampleList()
	a.citeLinks()
}

// citeLinks cites every log entry the page links to outside the checklist
// and anomalies, so each link lands on its evidence row.
func (a *aggregator) citeLinks() {
	r := a.r
	for _, run := range r.Scope.Runs {
		a.cite(run.Index)
	}
	for _, h := range r.Hosts {
		for _, rf := range h.Robots {
			a.cite(rf.Index)
		}
		a.cite(h.Politeness.GapFrom)
		a.cite(h.Politeness.GapTo)
	}
	for _, c := range r.Consents {
		a.cite(c.Index)
	}
	for _, e := range r.Events {
		a.cite(e.Index)
	}
	for _, e := range r.API {
		a.cite(e.Index)
	}
	for _, s := range r.Samples {
		a.cite(s.Index)
	}
}

func (a *aggregator) scope() Scope {
	s := Scope{Runs: a.runs, HostCount: len(a.hosts)}
	if len(s.Runs) > maxRuns {
		// The first runs and the last: a crawl resumed a thousand times
		// still has one page of settings.
		s.RunsOmitted = len(s.Runs) - maxRuns
		s.Runs = append(append([]Run(nil), a.runs[:maxRuns/2]...), a.runs[len(a.runs)-maxRuns/2:]...)
	}
	seen := map[string]bool{}
	ua, pu := map[string]bool{}, map[string]bool{}
	for _, run := range a.runs {
		for _, u := range run.Seeds {
			if !seen[u] {
				seen[u] = true
				s.Seeds = append(s.Seeds, u)
			}
		}
		if !ua[run.UserAgent] {
			ua[run.UserAgent] = true
			s.UserAgents = append(s.UserAgents, run.UserAgent)
		}
		if run.Purpose != "" && !pu[run.Purpose] {
			pu[run.Purpose] = true
			s.Purposes = append(s.Purposes, run.Purpose)
		}
	}
	if len(s.Seeds) == 0 {
		s.Seeds, s.SeedsFromRecords = a.seeds, true
	}
	for _, p := range a.policies {
		s.Policies = append(s.Policies, *p)
	}
	sort.Slice(s.Policies, func(i, j int) bool { return s.Policies[i].Entries > s.Policies[j].Entries })
	s.CrawlerVersions = countList(a.crawlerV)
	s.DetectorVersions = countList(a.detectV)
	return s
}

func countList(m map[string]int64) []Count {
	out := make([]Count, 0, len(m))
	for k, n := range m {
		out = append(out, Count{Label: k, N: n})
	}
	largestFirst(out, func(c Count) (int64, string) { return c.N, c.Label })
	return out
}

// largestFirst sorts xs by key's number, largest first, then by its name:
// every list of the page has one stable order.
func largestFirst[T any](xs []T, key func(T) (int64, string)) {
	sort.Slice(xs, func(i, j int) bool {
		ni, si := key(xs[i])
		nj, sj := key(xs[j])
		if ni != nj {
			return ni > nj
		}
		return si < sj
	})
}

// hostList computes every host's politeness (anomalies count all hosts)
// and returns the busiest hosts in detail.
func (a *aggregator) hostList() ([]*Host, int) {
	all := make([]*hostAgg, 0, len(a.hosts))
	for _, h := range a.hosts {
		all = append(all, h)
	}
	largestFirst(all, func(h *hostAgg) (int64, string) { return h.entries, h.name })
	var out []*Host
	for i, h := range all {
		p := a.politeness(h)
		h.requests = nil // the figures are computed: free the timestamps
		if i >= a.lim.Hosts {
			continue
		}
		x := &Host{Name: h.name, Anchor: fmt.Sprintf("h%d", i+1), Entries: h.entries, Pages: h.pages,
			Robots: h.robots, RobotsOmitted: h.robotsFetches - len(h.robots), RobotsDigests: h.digests,
			Deferred: h.deferred, Politeness: p}
		for k, n := range h.kinds {
			x.Kinds = append(x.Kinds, Count{Label: k, N: n})
		}
		sort.Slice(x.Kinds, func(i, j int) bool { return x.Kinds[i].N > x.Kinds[j].N })
		other := a.t.t("other")
		x.Disallowed = a.masked(h.disallowed.list(other))
		x.Traps = a.masked(h.traps.list(other))
		x.Blocked = a.masked(h.blocked.list(other))
		x.DeferredWhy = a.masked(h.deferredWhy.list(other))
		for _, c := range h.nonpublic.list("other\x00" + other) {
			cls, reason, _ := strings.Cut(c.Label, "\x00")
			label := strings.ToUpper(cls) // "HTTP 401"
			if !strings.HasPrefix(cls, "http") {
				label = a.t.t("np." + cls)
			}
			c.Label = label + " — " + safeReason(a.det, reason)
			x.NonPublic = append(x.NonPublic, c)
		}
		out = append(out, x)
	}
	return out, max(0, len(all)-a.lim.Hosts)
}

func (a *aggregator) masked(cs []Count) []Count {
	for i := range cs {
		cs[i].Label = safeReason(a.det, cs[i].Label)
	}
	return cs
}

func (a *aggregator) piSection() PI {
	p := &a.pi
	out := PI{Findings: p.findings, Redacted: p.redacted, ConsentKept: p.consentKept, PolicyKept: p.policyKept,
		DroppedPages: p.dropped, RecordsWithPI: p.records}
	seg := func(v *[3]int64) []Segment {
		return []Segment{{ActRedacted, v[0]}, {ActConsent, v[1]}, {ActKept, v[2]}}
	}
	types := make([]string, 0, len(p.byType))
	for t := range p.byType {
		types = append(types, t)
	}
	largestFirst(types, func(t string) (int64, string) { v := p.byType[t]; return v[0] + v[1] + v[2], t })
	for _, t := range types {
		out.ByType = append(out.ByType, Bar{Label: t, Segments: seg(p.byType[t])})
	}
	for _, l := range []string{"C3", "C2", "C1", "none"} {
		out.ByClass = append(out.ByClass, Bar{Label: a.t.t("class." + l), Segments: []Segment{{"n", p.levels[l]}}})
	}
	out.ByClass = append(out.ByClass,
		Bar{Label: a.t.t("class.sensitive"), Segments: []Segment{{"n", p.sensitive}}},
		Bar{Label: a.t.t("class.minors"), Segments: []Segment{{ActDropped, p.minors}}})
	out.ByAction = []Bar{
		{Label: a.t.t("act.redacted"), Segments: []Segment{{ActRedacted, p.redacted}}},
		{Label: a.t.t("act.consent"), Segments: []Segment{{ActConsent, p.consentKept}}},
		{Label: a.t.t("act.kept"), Segments: []Segment{{ActKept, p.policyKept}}},
		{Label: a.t.t("act.dropped"), Segments: []Segment{{ActDropped, p.dropped}}},
	}
	lt := make([]string, 0, len(p.logType))
	for t := range p.logType {
		lt = append(lt, t)
	}
	sort.Strings(lt)
	for _, t := range lt {
		out.Logged = append(out.Logged, Bar{Label: t, Segments: seg(p.logType[t])})
	}
	return out
}

// consentChecks are the anomalies about consents as a whole.
func (a *aggregator) consentChecks() {
	for _, c := range a.consents {
		if c.KeptNow > 0 && !c.Known {
			a.anomalyRef("consent-unknown", Ref{Label: short(c.ID), Anchor: c.Anchor})
		}
		if c.KeptNow > 0 && (c.Status == "withdrawn" || c.Status == "refused" || c.Status == "expired") {
			a.anomalyRef("ended-consent-kept", Ref{Label: short(c.ID), Anchor: c.Anchor})
		}
	}
}

func (a *aggregator) anomalyRef(code string, ref Ref) {
	a.anomaly(code, -1)
	an := a.anomalies[code]
	if len(an.Examples) < a.lim.Examples {
		an.Examples = append(an.Examples, ref)
	}
}

// anomalyOrder lists the checks most serious first.
var anomalyOrder = []string{"c3-kept", "c3-kept-logged", "credentials", "record-unlogged", "refused-with-text", "mask-missing",
	"span-outside", "kept-no-consent", "consent-not-live", "kept-after-end", "ended-consent-kept", "consent-unknown",
	"consent-type", "sensitive-no-separate", "fetched-disallowed", "no-robots", "too-fast", "busy-minute",
	"dropped-with-findings"}

func (a *aggregator) sortedAnomalies() []*Anomaly {
	rank := map[string]int{}
	for i, c := range anomalyOrder {
		rank[c] = i + 1
	}
	out := make([]*Anomaly, 0, len(a.anomalies))
	for _, an := range a.anomalies {
		out = append(out, an)
	}
	sort.Slice(out, func(i, j int) bool {
		ri, rj := rank[out[i].Code], rank[out[j].Code]
		if ri == 0 {
			ri = len(rank) + 1
		}
		if rj == 0 {
			rj = len(rank) + 1
		}
		if ri != rj {
			return ri < rj
		}
		return out[i].Code < out[j].Code
	})
	return out
}

func (a *aggregator) sampleList() []Sample {
	hosts := make([]*hostAgg, 0, len(a.samples))
	for h := range a.samples {
		if x := a.hosts[h]; x != nil {
			hosts = append(hosts, x)
		}
	}
	largestFirst(hosts, func(h *hostAgg) (int64, string) { return h.pages, h.name })
	var out []Sample
	for i, h := range hosts {
		if i >= a.lim.SampleHosts {
			break
		}
		out = append(out, a.samples[h.name]...)
	}
	return out
}

// readEvidence is the last pass: the log entries the page cites, so each
// link lands on a row naming the entry.
func (a *aggregator) readEvidence(ctx context.Context, path string) error {
	if len(a.cited) == 0 {
		return nil
	}
	last := int64(-1)
	for idx := range a.cited {
		last = max(last, idx)
	}
	return eachFileLine(ctx, path, func(idx int64, line []byte) error {
		if idx > last {
			return errStop
		}
		if !a.cited[idx] {
			return nil
		}
		var e logLine
		if json.Unmarshal(line, &e) != nil {
			a.r.Evidence = append(a.r.Evidence, EvidenceRow{Index: idx, Kind: "?", Detail: a.t.t("ev.malformed")})
			return nil
		}
		a.r.Evidence = append(a.r.Evidence, a.evidenceRow(idx, &e, line))
		return nil
	})
}

func (a *aggregator) evidenceRow(idx int64, e *logLine, line []byte) EvidenceRow {
	row := EvidenceRow{Index: idx, Kind: e.Kind, At: e.FetchedAt, URL: safeURL(a.det, e.URL)}
	if row.At.IsZero() {
		row.At = e.At
	}
	var d []string
	switch e.Kind {
	case provenance.KindRecord:
		d = append(d, a.t.kind(e.RecordKind))
		if e.Status > 0 {
			d = append(d, fmt.Sprintf("HTTP %d", e.Status))
		}
		if e.Robots != nil {
			d = append(d, "robots.txt: "+a.t.t(map[bool]string{true: "ev.allowed", false: "ev.disallowed"}[e.Robots.Allowed]))
		}
		if e.Access != nil {
			d = append(d, a.t.t(map[bool]string{true: "ev.credentials", false: "ev.nocredentials"}[e.Access.CredentialsSent]))
		}
		for _, dec := range e.Decisions {
			s := fmt.Sprintf("%s×%d %s", dec.Type, dec.Count, dec.Action)
			if dec.Consent != "" {
				s += " (" + short(dec.Consent) + ")"
			}
			d = append(d, s)
		}
	case provenance.KindRobots:
		if re, err := provenance.ParseRobotsEntry(line); err == nil {
			row.At = re.FetchedAt
			d = append(d, fmt.Sprintf("HTTP %d", re.Status))
			if re.CrawlDelay != "" {
				d = append(d, "Crawl-delay "+re.CrawlDelay)
			}
		}
	case provenance.KindCrawl:
		if ce, err := provenance.ParseCrawlEntry(line); err == nil {
			row.At = ce.At
			d = append(d, a.t.f("ev.run", ce.Delay, ce.PerHost))
		}
	case provenance.KindPurge:
		d = append(d, a.t.t(map[bool]string{true: "purge.removed", false: "purge.rewritten"}[e.Removed]))
		if e.Consent != "" {
			d = append(d, a.t.t("col.consent")+" "+short(e.Consent))
		}
	default:
		if e.Consent != "" {
			d = append(d, a.t.t("col.consent")+" "+short(e.Consent))
		}
	}
	if e.Reason != "" {
		d = append(d, safeReason(a.det, e.Reason))
	}
	row.Detail = strings.Join(d, " · ")
	if !row.At.IsZero() {
		row.At = row.At.UTC()
	}
	return row
}

// short abbreviates a long id for a link label.
func short(id string) string {
	if len(id) > 12 {
		return id[:12] + "…"
	}
	return id
}
