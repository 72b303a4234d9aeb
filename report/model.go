package report

import (
	"time"

	"github.com/scruple/scruple/provenance"
)

// Report is everything the page shows, in the order it shows it. Build fills
// it; WriteHTML renders it. Every string in it that came from the bundle's
// free text has been masked (see safeText), so a Report may be logged or
// serialised without leaking a personal value.
type Report struct {
	// Lang is "zh" or "en".
	Lang string
	// GeneratedAt is when the report was built, UTC.
	GeneratedAt time.Time
	// Tool names the software that built the report ("scruple 0.1.0").
	Tool string
	// Subject describes what was reported on (a bundle directory, a data
	// directory, a shared crawl).
	Subject string

	Verdict  Verdict
	Scope    Scope
	Hosts    []*Host
	PI       PI
	Consents []*Consent
	Events   []Event
	// API lists the changes made through `scruple serve` (api entries):
	// who (the token's label and id), what, when.
	API       []APIAction
	Checklist []Rule
	Anomalies []*Anomaly
	Samples   []Sample
	Evidence  []EvidenceRow

	// HostsOmitted counts hosts beyond the detail limit (they are still in
	// every total); EventsOmitted likewise for purge and consent events.
	HostsOmitted    int
	EventsOmitted   int
	APIOmitted      int
	ConsentsOmitted int

	// misses are catalogue keys Build looked up and did not find (tests).
	misses map[string]bool
}

// OK reports whether the bundle verified: the exit status of `scruple
// report` follows it.
func (r *Report) OK() bool { return r.Verdict.Verified }

// Issue is one class of problem in the verdict's headline.
type Issue string

// Verdict issues, from the problems provenance.Verify reports and the
// report's own checks of manifest.json and extra files.
const (
	IssueAltered   Issue = "altered"     // a record or log line changed, added or reordered
	IssueTruncated Issue = "truncated"   // log lines or records removed, a file cut short
	IssueResigned  Issue = "resigned"    // signed by another key than expected, or the manifest names another key
	IssueMissing   Issue = "missing"     // a bundle file is missing or unreadable
	IssueManifest  Issue = "manifest"    // manifest.json disagrees with the files it describes
	IssueAttest    Issue = "attestation" // the attestation is missing, unsigned or lists other files
)

// Verdict is the first thing the page says.
type Verdict struct {
	// Verified is true only when the bundle verified with no problem.
	Verified bool
	// Issues count the problems by class, in a fixed order.
	Issues []IssueCount
	// Problems are the first problems found (provenance messages, English).
	Problems []provenance.Problem
	// ProblemsOmitted counts problems beyond those listed.
	ProblemsOmitted int

	// Key is the verifier key the checkpoint was checked against; KeyName,
	// KeyHash (note key hash, 8 hex digits) and Fingerprint (SHA-256 of the
	// ed25519 public key, hex) identify it.
	Key, KeyName, KeyHash, Fingerprint string
	// Pinned is true when the key was given by the reader (--key), so a
	// re-signed bundle cannot pass; false when the bundle's own key.pub was
	// trusted.
	Pinned bool
	// TreeSize and RootHash are the signed checkpoint's.
	TreeSize int64
	RootHash string
	// Entries and Records count log.jsonl and records.jsonl lines.
	Entries, Records int64
	// From and To bound the times the signed entries name (fetches, events).
	From, To time.Time
	// CreatedAt is the manifest's creation time (informative, unsigned).
	CreatedAt time.Time
	// Files lists the bundle's files and how each was checked.
	Files []FileCheck
	// Notes say what the verifier checked beyond the log (WARC archives,
	// an attestation).
	Notes []string
}

// IssueCount is a number of problems of one class.
type IssueCount struct {
	Issue Issue
	Count int
}

// FileStatus says how a bundle file was checked.
type FileStatus string

// File statuses.
const (
	FileSigned    FileStatus = "signed"    // covered by the checkpoint (log, records, checkpoint, key)
	FileManifest  FileStatus = "manifest"  // matches the digest manifest.json gives (unsigned)
	FileAttested  FileStatus = "attested"  // covered by a verified attestation
	FileUnchecked FileStatus = "unchecked" // nothing in the bundle vouches for it
	FileBad       FileStatus = "bad"       // its digest differs from the manifest's
)

// FileCheck is one file of the bundle.
type FileCheck struct {
	Name   string
	Size   int64
	SHA256 string
	Status FileStatus
}

// Scope is what the crawl set out to do.
type Scope struct {
	// Runs are the crawl runs the log records (one "crawl" entry each):
	// the first and the last when there are many, RunsOmitted the others.
	Runs        []Run
	RunsOmitted int
	// Seeds are the seed URLs (from the runs, or else from records whose
	// source is "seed"); SeedsFromRecords tells which.
	Seeds            []string
	SeedsFromRecords bool
	// HostCount is the number of distinct hosts in the log.
	HostCount int
	// UserAgents and Purposes are the distinct values over the runs.
	UserAgents, Purposes []string
	// Policies are the policy versions (hashes) that decided records, with
	// their canonical text when a run recorded it.
	Policies []Policy
	// CrawlerVersions and DetectorVersions count entries per version.
	CrawlerVersions, DetectorVersions []Count
}

// Run is one crawl run's settings, from its "crawl" log entry.
type Run struct {
	Index int64
	provenance.CrawlEntry
	// Delay and MaxCrawlDelay parsed (0 when unparseable).
	DelayD, MaxCrawlDelayD time.Duration
}

// Policy is one policy version.
type Policy struct {
	// Version is the policy hash (hex SHA-256 of its canonical text).
	Version string
	// Name labels it; Text is its canonical text when a run recorded it.
	Name, Text string
	// TextVerified reports that SHA-256(Text) equals Version.
	TextVerified bool
	// Entries counts the log entries decided under it.
	Entries int64
	// Actions are the text's decisions parsed ("type cn_mobile personal" →
	// "redact"), used by the checks.
	Actions map[string]string
}

// Count is a label with a number.
type Count struct {
	Label string
	N     int64
	// Ref links to evidence (an anchor), "" when none.
	Ref string
}

// Host is one host's part of the crawl.
type Host struct {
	// Name is host[:port]; Anchor its id on the page.
	Name, Anchor string
	// Entries counts its record entries; Kinds by record kind.
	Entries int64
	Kinds   []Count
	// Pages counts records of kind page.
	Pages int64
	// Robots are its robots.txt fetches (from "robots" entries), RobotsDigests
	// the digests its record entries name.
	Robots        []RobotsFetch
	RobotsOmitted int
	RobotsDigests []string
	// Disallowed counts robots.txt refusals per deciding rule.
	Disallowed []Count
	// NonPublic counts nonpublic refusals per reason class and reason.
	NonPublic []Count
	// Deferred counts URLs deferred because the host would not serve them
	// (robots.txt kept failing, or only 429/503), DeferredWhy by reason.
	Deferred    int64
	DeferredWhy []Count
	// Traps counts URLs refused as spider traps (trap guard, host budget),
	// Blocked other refusals before any request (SSRF guard, credentials,
	// personal data in the URL).
	Traps, Blocked []Count
	// Politeness is what the fetch times show.
	Politeness Politeness
}

// RobotsFetch is one robots.txt fetch.
type RobotsFetch struct {
	Index                 int64
	URL                   string
	At                    time.Time
	Status                int
	Digest, Reason, Agent string
	CrawlDelay            time.Duration
	Unreachable           bool
}

// PoliteStatus is the verdict on a host's observed politeness.
type PoliteStatus string

// Politeness statuses.
const (
	PoliteOK      PoliteStatus = "ok"      // within the configured spacing
	PoliteFast    PoliteStatus = "fast"    // faster than the configured spacing
	PoliteUnknown PoliteStatus = "unknown" // the bundle does not say what was configured
	PoliteNone    PoliteStatus = "none"    // no request sent
)

// Politeness is a host's observed request timing against the configuration.
type Politeness struct {
	// Requests counts requests that reached the host (responses, robots.txt
	// fetches).
	Requests int64
	// SmallestGap is the shortest time between two consecutive requests,
	// between the entries GapFrom and GapTo (log indexes); -1 when fewer than
	// two requests.
	SmallestGap    time.Duration
	GapFrom, GapTo int64
	// BusiestMinute is the most requests within any 60 seconds, starting at
	// BusiestAt.
	BusiestMinute int
	BusiestAt     time.Time
	// Delay is the configured delay (the smallest over the runs),
	// CrawlDelay the largest robots.txt Crawl-delay seen (capped), Spacing
	// what the crawler had to keep: max(Delay, CrawlDelay). Known is false
	// when no run recorded its settings.
	Delay, CrawlDelay, Spacing time.Duration
	PerHost                    int
	Known                      bool
	// Limit is the most requests any 60 seconds may hold under Spacing and
	// PerHost.
	Limit int
	// TooFast counts consecutive requests closer than the spacing allowed.
	TooFast int64
	Status  PoliteStatus
}

// Action classes of findings.
const (
	ActRedacted = "redacted"
	ActConsent  = "consent" // kept under a consent
	ActKept     = "kept"    // kept by the policy (organisation codes, business numbers)
	ActDropped  = "dropped" // the page was dropped whole
)

// PI is the personal information section.
type PI struct {
	// Findings, Redacted, ConsentKept and PolicyKept count findings in the
	// stored records (after purges); DroppedPages counts pages dropped whole.
	Findings, Redacted, ConsentKept, PolicyKept, DroppedPages int64
	// ByType, ByClass and ByAction are the bar charts' data.
	ByType, ByClass, ByAction []Bar
	// Logged counts findings as decided at fetch time (the log's
	// decisions), before any purge.
	Logged []Bar
	// RecordsWithPI counts records holding at least one finding.
	RecordsWithPI int64
}

// Bar is one bar of a chart: a label and stacked segments.
type Bar struct {
	Label    string
	Segments []Segment
}

// Segment is one part of a bar.
type Segment struct {
	// Class names the segment's kind (an Act* constant, or "n"), which
	// picks its colour and legend.
	Class string
	N     int64
}

// Total sums the bar's segments.
func (b Bar) Total() int64 {
	var n int64
	for _, s := range b.Segments {
		n += s.N
	}
	return n
}

// Consent is one consent the bundle mentions.
type Consent struct {
	// ID is the consent id; Anchor its id on the page.
	ID, Anchor string
	// Known is set when the consent's terms are known; Source says from
	// where: "log" (a signed consent event) or "ledger" (the live store's
	// consent ledger, not signed).
	Known  bool
	Source string
	// Index is the log index of the event that gave the terms (-1: none).
	Index int64

	Types                  []string
	SubjectType            string
	Purpose, Processor     string
	Recipients             []string
	Method, Evidence       string
	Separate, Guardian     bool
	GrantedAt, ExpiresAt   time.Time
	WithdrawnAt, RefusedAt time.Time
	ExpiredAt              time.Time
	// Status is "live", "expired", "withdrawn", "refused" or "unknown" at
	// the end of the log.
	Status string
	// KeptNow counts values kept under it in the records; KeptLogged the
	// keep decisions the log records for it; Purges the purge entries.
	KeptNow, KeptLogged, Purges int64
	// Sensitive is set when it keeps a PIPL-sensitive value.
	Sensitive bool
}

// Event is a purge or a consent event, for the timeline.
type Event struct {
	Index   int64
	Kind    string // "purge", "withdrawal", "refusal", "expiry", "grant", ...
	At      time.Time
	Consent string
	URL     string
	Removed bool
	Reason  string
}

// APIAction is a change made through `scruple serve`, from its api log
// entry: never a subject, only the consent id and the token that asked.
type APIAction struct {
	Index int64
	At    time.Time
	// Action is a consent event kind (grant, withdraw, refuse, import),
	// token_create or token_revoke; "" when the entry does not say.
	Action  string
	Consent string
	// Label and TokenID name the token that asked (the label masked
	// like any logged text); Target and Role the token created or
	// revoked.
	Label, TokenID, Target, Role string
}

// Status of a checklist rule.
type Status string

// Rule statuses.
const (
	Pass Status = "pass"
	Warn Status = "warn"
	Fail Status = "fail"
)

// Rule is one row of the legal checklist.
type Rule struct {
	// ID names the rule ("public", "politeness", "pipl6", ...).
	ID     string
	Status Status
	// Msg is the finding in words, already localised.
	Msg string
	// Evidence links to the rows that prove it.
	Evidence []Ref
}

// Ref is a link to evidence on the page.
type Ref struct {
	Label, Anchor string
}

// Anomaly is one of the report's own checks that found something: each
// should be impossible.
type Anomaly struct {
	// Code names the check; Msg says what was found, localised.
	Code, Msg string
	// Count is how many times; Examples link to the first ones.
	Count    int64
	Examples []Ref
}

// Sample is a stored record as a reader sees it: redacted, with values kept
// under consent masked too.
type Sample struct {
	Host, URL, Title, Excerpt string
	Index                     int64
	At                        time.Time
	Findings                  int
	Truncated                 bool
}

// EvidenceRow is one log entry cited by the checklist or the anomalies.
type EvidenceRow struct {
	Index  int64
	Kind   string
	At     time.Time
	URL    string
	Detail string
}
