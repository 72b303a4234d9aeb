package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
)

// Options configure Build.
type Options struct {
	// Lang is "zh" or "en" (default "en"); see LangFromEnv.
	Lang string
	// Key is the verifier key the bundle must be signed with ("": trust the
	// bundle's own key.pub, which a re-signed bundle replaces; the verdict
	// then says the signer was not pinned).
	Key string
	// Subject names what is reported on (default: the bundle directory).
	Subject string
	// Ledger, when set, supplies the consent ledger of a live store: terms
	// of consents that the log does not carry. They are shown as the
	// ledger's, not as signed evidence.
	Ledger func(ctx context.Context, fn func(*scruple.Consent) error) error
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Limits bound what is listed; zero fields take DefaultLimits().
	Limits Limits
	// Verify checks the bundle (default: provenance.Verify). A verifier
	// that also checks what a bundle may carry beyond the log (WARC
	// archives, an attestation) returns what it checked in Checked.
	Verify func(dir, key string) (*provenance.Report, Checked, error)
}

// Checked is what a verifier checked beyond the provenance log.
type Checked struct {
	// Notes are one-line statements for the verdict ("WARC: 3 files, 1,200
	// records, every block digest verified").
	Notes []string
	// Attested is set when a signed attestation covering every file of the
	// bundle verified.
	Attested bool
}

// Limits bound the lists of a report, so that a crawl of a million hosts
// gives a readable page and bounded memory. Totals always count everything.
type Limits struct {
	// Hosts is how many hosts get a detailed section (the busiest first).
	Hosts int
	// SamplesPerHost and SampleHosts bound the samples.
	SamplesPerHost, SampleHosts int
	// Examples bounds the evidence links of one anomaly or checklist row.
	Examples int
	// Events bounds the purge and consent events listed.
	Events int
	// Reasons bounds the distinct refusal reasons counted per host.
	Reasons int
	// Excerpt is the length in bytes of a sample's text excerpt.
	Excerpt int
}

// DefaultLimits returns the limits used where Options.Limits leaves a zero.
func DefaultLimits() Limits {
	return Limits{Hosts: 200, SamplesPerHost: 3, SampleHosts: 20, Examples: 8, Events: 500, Reasons: 24, Excerpt: 600}
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	pick := func(v *int, dv int) {
		if *v <= 0 {
			*v = dv
		}
	}
	pick(&l.Hosts, d.Hosts)
	pick(&l.SamplesPerHost, d.SamplesPerHost)
	pick(&l.SampleHosts, d.SampleHosts)
	pick(&l.Examples, d.Examples)
	pick(&l.Events, d.Events)
	pick(&l.Reasons, d.Reasons)
	pick(&l.Excerpt, d.Excerpt)
	return l
}

// Build verifies the bundle in dir and computes its report. The error is for
// a directory that cannot be read as a bundle at all; a bundle that does not
// verify gives a Report whose verdict says why (Report.OK is false).
func Build(ctx context.Context, dir string, opt Options) (*Report, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, scruple.Errorf(scruple.EINVALID, "%s is not a bundle directory", dir)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	lang, err := ParseLang(opt.Lang)
	if err != nil {
		return nil, err
	}
	opt.Limits = opt.Limits.withDefaults()
	if opt.Subject == "" {
		opt.Subject = dir
	}

	// provenance.Verify reads both files on the other core while the passes
	// below read them again: the figures come from what Verify checks, and
	// the verdict decides whether they prove anything.
	if opt.Verify == nil {
		opt.Verify = func(dir, key string) (*provenance.Report, Checked, error) {
			rep, err := provenance.Verify(dir, key)
			return rep, Checked{}, err
		}
	}
	type verified struct {
		rep     *provenance.Report
		checked Checked
		err     error
	}
	vch := make(chan verified, 1)
	go func() {
		rep, checked, err := opt.Verify(dir, opt.Key)
		vch <- verified{rep, checked, err}
	}()

	a := newAggregator(lang, opt)
	a.readBundleHeader(dir)
	// The files are hashed for the verdict's file list meanwhile too.
	fch := make(chan []FileCheck, 1)
	go func() { fch <- a.hashFiles(dir) }()
	wait := func() (verified, []FileCheck) { return <-vch, <-fch }
	if err := a.readLog(ctx, filepath.Join(dir, provenance.LogFile)); err != nil {
		wait()
		return nil, err
	}
	if opt.Ledger != nil {
		if err := opt.Ledger(ctx, a.ledgerConsent); err != nil {
			wait()
			return nil, fmt.Errorf("consent ledger: %w", err)
		}
	}
	a.settleConsents()
	if err := a.readRecords(ctx, filepath.Join(dir, provenance.RecordsFile)); err != nil {
		wait()
		return nil, err
	}
	v, files := wait()
	if v.err != nil {
		return nil, v.err
	}
	a.verdict(v.rep, v.checked, files)
	a.finish()
	if err := a.readEvidence(ctx, filepath.Join(dir, provenance.LogFile)); err != nil {
		return nil, err
	}
	a.r.misses = a.t.missing
	return a.r, nil
}

// aggregator accumulates a report over the passes.
type aggregator struct {
	r   *Report
	opt Options
	lim Limits
	t   *translator
	det *pii.Detector

	// key material and the checkpoint's tree, read before the passes.
	keyPub   string
	manifest *provenance.Manifest
	signedN  int64 // entries the checkpoint signs (-1: unknown, all count)

	hosts    map[string]*hostAgg
	runs     []Run
	policies map[string]*Policy
	crawlerV map[string]int64
	detectV  map[string]int64
	from, to time.Time

	consents  map[string]*Consent
	ledger    map[string]*scruple.Consent
	settled   bool // consent statuses fixed (settleConsents ran)
	settledAt time.Time
	events    []Event
	nEvents   int
	api       []APIAction
	nAPI      int

	pi         piAgg
	placed     placement // which log entry places each record
	seeds      []string
	seedSet    map[string]bool
	samples    map[string][]Sample
	anomalies  map[string]*Anomaly
	cited      map[int64]bool
	otherKinds map[string]int64
	access     accessAgg
	nRecords   int64
}

func newAggregator(lang string, opt Options) *aggregator {
	return &aggregator{
		r: &Report{Lang: lang, GeneratedAt: opt.Now().UTC(), Tool: "scruple " + scruple.Version,
			Subject: opt.Subject},
		opt: opt, lim: opt.Limits, t: newTranslator(lang), det: pii.New(pii.Options{}),
		signedN: -1, hosts: map[string]*hostAgg{}, policies: map[string]*Policy{},
		crawlerV: map[string]int64{}, detectV: map[string]int64{}, consents: map[string]*Consent{},
		seedSet: map[string]bool{}, samples: map[string][]Sample{}, anomalies: map[string]*Anomaly{},
		cited: map[int64]bool{}, otherKinds: map[string]int64{},
	}
}

// readBundleHeader reads key.pub, manifest.json and the checkpoint's tree
// size (when its signature verifies), so that the log pass counts only
// signed entries. Problems are left to Verify, which reports them.
func (a *aggregator) readBundleHeader(dir string) {
	if b, err := os.ReadFile(filepath.Join(dir, provenance.KeyFile)); err == nil {
		a.keyPub = strings.TrimSpace(string(b))
	}
	if b, err := os.ReadFile(filepath.Join(dir, provenance.ManifestFile)); err == nil {
		var m provenance.Manifest
		if json.Unmarshal(b, &m) == nil {
			a.manifest = &m
		}
	}
	key := a.opt.Key
	if key == "" {
		key = a.keyPub
	}
	if cp, err := os.ReadFile(filepath.Join(dir, provenance.CheckpointFile)); err == nil && key != "" {
		if tree, err := provenance.OpenCheckpoint(cp, key); err == nil {
			a.signedN = tree.N
		}
	}
}

// note widens the time span of the signed entries.
func (a *aggregator) note(t time.Time) {
	if t.IsZero() {
		return
	}
	if a.from.IsZero() || t.Before(a.from) {
		a.from = t
	}
	if t.After(a.to) {
		a.to = t
	}
}

// cite marks a log entry as evidence and returns its link.
func (a *aggregator) cite(idx int64) Ref {
	if idx < 0 {
		return Ref{}
	}
	if len(a.cited) < 20_000 {
		a.cited[idx] = true
	}
	return Ref{Label: fmt.Sprintf("#%d", idx), Anchor: fmt.Sprintf("e%d", idx)}
}

// anomaly counts one occurrence of a check's finding, keeping the first
// examples as links.
func (a *aggregator) anomaly(code string, idx int64, args ...any) {
	an := a.anomalies[code]
	if an == nil {
		an = &Anomaly{Code: code, Msg: a.t.f("anomaly."+code, args...)}
		a.anomalies[code] = an
	}
	an.Count++
	if idx >= 0 && len(an.Examples) < a.lim.Examples {
		an.Examples = append(an.Examples, a.cite(idx))
	}
}

func missingFile(err error) bool { return errors.Is(err, fs.ErrNotExist) }
