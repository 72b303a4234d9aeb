package report

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"time"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// logLine is the part of a log entry the report reads; kinds with more to
// say (crawl, robots, consent events) are decoded again from the raw line.
type logLine struct {
	Kind            string                `json:"kind"`
	URL             string                `json:"url"`
	FetchedAt       time.Time             `json:"fetched_at"`
	Status          int                   `json:"status"`
	RecordKind      string                `json:"record_kind"`
	Robots          *provenance.Robots    `json:"robots"`
	Access          *provenance.Access    `json:"access"`
	DetectorVersion string                `json:"detector_version"`
	PolicyVersion   string                `json:"policy_version"`
	Decisions       []provenance.Decision `json:"decisions"`
	CrawlerVersion  string                `json:"crawler_version"`
	Reason          string                `json:"reason"`
	Consent         string                `json:"consent"`
	At              time.Time             `json:"at"`
	Removed         bool                  `json:"removed"`
}

// accessAgg gathers the public-access evidence of record entries.
type accessAgg struct {
	records, nonpublic, credentials, missing int64
	nonpublicRefs, credRefs, missingRefs     []Ref
}

// readLog is the first pass: every signed entry of log.jsonl.
func (a *aggregator) readLog(ctx context.Context, path string) error {
	return eachFileLine(ctx, path, func(idx int64, line []byte) error {
		if a.signedN >= 0 && idx >= a.signedN {
			return errStop // unsigned lines vouch for nothing
		}
		var e logLine
		if json.Unmarshal(line, &e) != nil || e.Kind == "" {
			return nil // Verify names it
		}
		a.logEntry(idx, &e, line)
		return nil
	})
}

func (a *aggregator) logEntry(idx int64, e *logLine, line []byte) {
	a.note(e.FetchedAt)
	a.note(e.At)
	if e.CrawlerVersion != "" {
		a.crawlerV[e.CrawlerVersion]++
	}
	if e.DetectorVersion != "" {
		a.detectV[e.DetectorVersion]++
	}
	if e.PolicyVersion != "" {
		p := a.policies[e.PolicyVersion]
		if p == nil {
			p = &Policy{Version: e.PolicyVersion}
			a.policies[e.PolicyVersion] = p
		}
		p.Entries++
	}
	switch e.Kind {
	case provenance.KindRecord:
		a.placed.entry(idx, e.URL)
		a.recordEntry(idx, e)
	case provenance.KindPurge:
		a.purgeEntry(idx, e)
	case provenance.KindCrawl:
		a.crawlEntry(idx, line)
	case provenance.KindRobots:
		a.robotsEntry(idx, line)
	case provenance.KindAPI:
		a.apiEntry(idx, line)
	default:
		if ev, ok := adaptConsentEvent(e.Kind, line); ok {
			a.consentEvent(idx, ev)
			return
		}
		a.otherKinds[e.Kind]++
	}
}

func (a *aggregator) recordEntry(idx int64, e *logLine) {
	// Per-host counts come from the records (the current state: a deferred
	// URL retried later has two entries, one record); the log gives what
	// only it knows: when each request was sent, and the access evidence.
	h := a.host(hostOf(e.URL))
	if e.Robots != nil && e.Robots.Digest != "" {
		h.robotsDigest(e.Robots.Digest)
	}
	if e.Status > 0 && inRange(e.FetchedAt) {
		h.requests = append(h.requests, request{at: e.FetchedAt.UnixNano(), idx: idx})
		// A request was sent: robots.txt must have allowed it.
		if e.Robots == nil {
			a.anomaly("no-robots", idx)
		} else if !e.Robots.Allowed {
			a.anomaly("fetched-disallowed", idx)
		}
	}
	a.access.records++
	switch {
	case e.Access == nil:
		a.access.missing++
		a.access.missingRefs = a.addRef(a.access.missingRefs, idx)
	case e.Access.CredentialsSent:
		a.access.credentials++
		a.access.credRefs = a.addRef(a.access.credRefs, idx)
		a.anomaly("credentials", idx)
	}
	if e.RecordKind == "nonpublic" {
		a.access.nonpublic++
		a.access.nonpublicRefs = a.addRef(a.access.nonpublicRefs, idx)
	}
	for _, d := range e.Decisions {
		a.pi.logged(d)
		if pii.Info(pii.Type(d.Type)).Level == pii.C3 && d.Action == "keep" {
			a.anomaly("c3-kept-logged", idx)
		}
		if d.Consent != "" && d.Action == "keep" {
			c := a.consent(d.Consent)
			c.KeptLogged += int64(d.Count)
		}
	}
}

func (a *aggregator) purgeEntry(idx int64, e *logLine) {
	a.addEvent(Event{Index: idx, Kind: provenance.KindPurge, At: e.At, Consent: e.Consent,
		URL: e.URL, Removed: e.Removed, Reason: e.Reason})
	if e.Consent != "" {
		a.consent(e.Consent).Purges++
	}
}

func (a *aggregator) crawlEntry(idx int64, line []byte) {
	ce, err := provenance.ParseCrawlEntry(line)
	if err != nil {
		return
	}
	run := Run{Index: idx, CrawlEntry: ce}
	run.DelayD, _ = time.ParseDuration(ce.Delay)
	run.MaxCrawlDelayD, _ = time.ParseDuration(ce.MaxCrawlDelay)
	for i, s := range run.Seeds {
		run.Seeds[i] = safeURL(a.det, s)
	}
	for _, l := range [][]string{run.Include, run.Exclude} {
		for i, s := range l {
			l[i] = safeReason(a.det, s)
		}
	}
	run.Purpose, run.UserAgent = safeReason(a.det, run.Purpose), safeReason(a.det, run.UserAgent)
	run.PolicyName = safeReason(a.det, run.PolicyName)
	run.Policy = "" // kept once per version, in policies
	a.runs = append(a.runs, run)
	a.note(ce.At)
	if ce.PolicyVersion != "" {
		p := a.policies[ce.PolicyVersion]
		if p == nil {
			p = &Policy{Version: ce.PolicyVersion}
			a.policies[ce.PolicyVersion] = p
		}
		if p.Text == "" && ce.Policy != "" {
			p.Name, p.Text = safeReason(a.det, ce.PolicyName), ce.Policy
			p.TextVerified = sha256Hex(ce.Policy) == ce.PolicyVersion
			p.Actions = parsePolicyText(ce.Policy)
		}
	}
}

func (a *aggregator) robotsEntry(idx int64, line []byte) {
	re, err := provenance.ParseRobotsEntry(line)
	if err != nil {
		return
	}
	a.note(re.FetchedAt)
	h := a.host(hostOf(re.URL))
	if inRange(re.FetchedAt) {
		h.requests = append(h.requests, request{at: re.FetchedAt.UnixNano(), idx: idx})
	}
	cd, _ := time.ParseDuration(re.CrawlDelay)
	h.robotsFetches++
	if len(h.robots) < 12 {
		h.robots = append(h.robots, RobotsFetch{Index: idx, URL: safeURL(a.det, re.URL), At: re.FetchedAt,
			Status: re.Status, Digest: re.Digest, Reason: safeReason(a.det, re.Reason), Agent: re.Agent,
			CrawlDelay: cd, Unreachable: re.Unreachable})
	}
	if cd > h.crawlDelay {
		h.crawlDelay = cd
	}
	if n := len(h.delays); n == 0 || h.delays[n-1].cd != cd {
		h.delays = append(h.delays, robotsDelay{at: re.FetchedAt.UnixNano(), cd: cd})
	}
}

// apiReasonRe reads an api entry written before entries carried their
// action: "ACTION [TARGET] via scruple serve by token "LABEL" (ID)".
var apiReasonRe = regexp.MustCompile(`^(\S+)(?: .*)? via scruple serve by token "(.*)" \(([0-9a-f]{1,64})\)$`)

// apiEntry lists a change made through scruple serve.
func (a *aggregator) apiEntry(idx int64, line []byte) {
	e, err := provenance.ParseEntry(line)
	if err != nil {
		return
	}
	a.note(e.At)
	a.nAPI++
	if len(a.api) >= a.lim.Events {
		return
	}
	act := APIAction{Index: idx, At: e.At, Consent: e.Consent}
	if e.API != nil {
		act.Action, act.Label, act.TokenID, act.Target, act.Role = e.API.Action, e.API.Label, e.API.TokenID, e.API.Target, e.API.Role
	} else if m := apiReasonRe.FindStringSubmatch(e.Reason); m != nil {
		act.Action, act.Label, act.TokenID = m[1], m[2], m[3]
	}
	if !apiActions[act.Action] {
		act.Action = "" // shown as "other": the catalogue has no word for it
	}
	// Labels are free text an admin typed: masked like any logged text.
	act.Label = safeReason(a.det, act.Label)
	act.TokenID, act.Target = safeReason(a.det, act.TokenID), safeReason(a.det, act.Target)
	if act.Role != "viewer" && act.Role != "operator" && act.Role != "admin" {
		act.Role = ""
	}
	a.api = append(a.api, act)
}

// apiActions are the actions the report has words for (api.* in i18n).
var apiActions = map[string]bool{provenance.KindGrant: true, provenance.KindImport: true, provenance.KindWithdraw: true,
	provenance.KindRefuse: true, provenance.ActionTokenCreate: true, provenance.ActionTokenRevoke: true}

func (a *aggregator) addEvent(ev Event) {
	a.note(ev.At)
	a.nEvents++
	if len(a.events) < a.lim.Events {
		ev.URL, ev.Reason = safeURL(a.det, ev.URL), safeReason(a.det, ev.Reason)
		a.events = append(a.events, ev)
	}
}

func (a *aggregator) addRef(refs []Ref, idx int64) []Ref {
	if len(refs) < a.lim.Examples {
		refs = append(refs, a.cite(idx))
	}
	return refs
}

// errStop ends a pass early without an error.
var errStop = errors.New("stop")

// eachFileLine is eachLine over a bundle file; a missing file has no line
// (the verdict says it is missing).
func eachFileLine(ctx context.Context, path string, fn func(idx int64, line []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		if missingFile(err) {
			return nil
		}
		return err
	}
	defer f.Close()
	return eachLine(ctx, f, fn)
}

// eachLine calls fn for every newline-terminated line of r (the last may
// lack its newline), with its 0-based index. A line longer than the bundle
// format allows is an error.
func eachLine(ctx context.Context, r io.Reader, fn func(idx int64, line []byte) error) error {
	br := bufio.NewReaderSize(r, 1<<20)
	var long []byte
	for idx := int64(0); ; idx++ {
		if idx%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line, err := br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			long = append(long[:0], line...)
			for errors.Is(err, bufio.ErrBufferFull) {
				if len(long) > maxLine {
					return fmt.Errorf("line %d is longer than %d bytes", idx+1, maxLine)
				}
				line, err = br.ReadSlice('\n')
				long = append(long, line...)
			}
			line = long
		}
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if len(line) > 0 {
			if ferr := fn(idx, trimNewline(line)); ferr != nil {
				if errors.Is(ferr, errStop) {
					return nil
				}
				return ferr
			}
		}
		if err != nil {
			return nil
		}
	}
}

// maxLine matches the bound provenance puts on a bundle line.
const maxLine = 256 << 20

func trimNewline(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		return b[:n-1]
	}
	return b
}

// inRange reports whether t can be a fetch time: Unix nanoseconds cover
// 1678 to 2262, and a time outside them (a zero time) would be nonsense in
// the politeness figures.
func inRange(t time.Time) bool {
	return t.Year() >= 1970 && t.Year() < 2262
}
