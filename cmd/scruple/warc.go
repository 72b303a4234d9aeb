package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/spf13/pflag"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/attest"
	"github.com/scruple/scruple/bundle"
	"github.com/scruple/scruple/crawler"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/policy"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/report"
	"github.com/scruple/scruple/warc"
)

// warcFlags are the archive flags of crawl, work and demo.
type warcFlags struct {
	warc      bool
	warcSize  int64
	warcLevel int
	operator  string
}

func (w *warcFlags) registerWARC(fl *pflag.FlagSet) {
	fl.BoolVar(&w.warc, "warc", false, "archive the crawl as WARC 1.1 files in DATA/warc (public pages that needed no redaction raw, others as their stored text)")
	fl.Int64Var(&w.warcSize, "warc-size", warc.DefaultMaxSize, "start a new WARC file when the current one reaches this many bytes")
	fl.IntVar(&w.warcLevel, "warc-level", 0, "compression of WARC records of 2 KiB or more: 0 per record type (responses gzip level 1, conversion and other records Huffman coding only), -2 Huffman coding only for all (the least CPU), or a gzip level from 1 (smaller files) to 9 for all")
	fl.StringVar(&w.operator, "operator", "", "who runs the crawl, for the WARC warcinfo records (e.g. \"Example Data Ltd <compliance@example.com>\")")
}

// warcDir is the data directory's WARC directory.
func warcDir(data string) string { return filepath.Join(data, "warc") }

// openArchive opens DATA/warc for the crawl when --warc is set; the returned
// function closes it (writing the CDXJ index).
func (f *crawlFlags) openArchive(cfg *crawler.Config) (func() error, error) {
	if !f.warc {
		return func() error { return nil }, nil
	}
	if f.warcSize <= 0 {
		return nil, usageError{errors.New("--warc-size must be positive")}
	}
	if f.warcLevel != 0 && !warc.ValidLevel(f.warcLevel) {
		return nil, usageError{errors.New("--warc-level must be 0 (per record type), -2 (Huffman coding only) or 1 to 9")}
	}
	pol := cfg.Policy
	if pol == nil {
		pol = policy.Default()
	}
	ua := cfg.UserAgent
	if ua == "" {
		ua = scruple.DefaultUserAgent
	}
	w, err := warc.Open(warc.Options{Dir: warcDir(f.data), MaxSize: f.warcSize, Level: f.warcLevel, Software: "scruple/" + scruple.Version,
		UserAgent: ua, PolicyVersion: pol.Hash(), DetectorVersion: pii.Version, Purpose: cfg.Purpose, Operator: f.operator})
	if err != nil {
		return nil, err
	}
	cfg.Archive = w
	return w.Close, nil
}

// recordRun appends this run's parameters to DATA/runs.jsonl, which the
// export's attestation reports. A worker of a shared crawl whose --data
// directory does not exist (its keys come from files) records nothing.
func (f *crawlFlags) recordRun(cfg crawler.Config, started time.Time) error {
	if _, err := os.Stat(f.data); err != nil {
		if f.shared != nil {
			return nil
		}
		return err
	}
	pol := cfg.Policy
	if pol == nil {
		pol = policy.Default()
	}
	ua := cfg.UserAgent
	if ua == "" {
		ua = scruple.DefaultUserAgent
	}
	r := attest.Run{StartedOn: started.UTC(), FinishedOn: time.Now().UTC(), Seeds: cfg.Seeds, Scope: cfg.Scope,
		Include: cfg.Include, Exclude: cfg.Exclude, MaxDepth: cfg.MaxDepth, Purpose: cfg.Purpose, PolicyHash: pol.Hash(),
		UserAgent: ua, Operator: f.operator, Version: scruple.Version, Detector: pii.Version,
		Internal: map[string]string{
			"delay": f.delay.String(), "per-host": strconv.Itoa(f.perHost), "concurrency": strconv.Itoa(f.concurrency),
			"timeout": f.timeout.String(), "max-body": strconv.FormatInt(f.maxBody, 10), "max-pages": strconv.Itoa(f.maxPages),
			"max-host-pages": strconv.Itoa(f.maxHostPages), "max-outlinks": strconv.Itoa(f.maxOutlinks),
			"sitemaps": strconv.FormatBool(!f.noSitemaps), "warc": strconv.FormatBool(f.warc),
			"max-retries": strconv.Itoa(f.maxRetries), "robots-retries": strconv.Itoa(f.robotsRetries),
			"robots-backoff": f.robotsBackoff.String(), "max-retry-wait": f.maxRetryWait.String(),
			"novelty-budget": strconv.Itoa(f.noveltyBudget), "max-future-years": strconv.Itoa(f.maxFutureYears),
			"id-chain-budget": strconv.Itoa(f.idChainBudget),
		}}
	if f.warc {
		r.Internal["warc-size"] = strconv.FormatInt(f.warcSize, 10)
		r.Internal["warc-level"] = strconv.Itoa(f.warcLevel)
	}
	return bundle.AppendRun(filepath.Join(f.data, bundle.RunsFile), r)
}

// bundleOptions are the export options of a data directory.
func bundleOptions(data string) bundle.Options {
	return bundle.Options{WARCDir: warcDir(data), Runs: filepath.Join(data, bundle.RunsFile)}
}

// printWARCSummary tells where the archive is and how to replay it.
func printWARCSummary(w io.Writer, data string) {
	files, err := warc.Files(warcDir(data))
	if err != nil || len(files) == 0 {
		return
	}
	fmt.Fprintf(w, "WARC: %d file(s) and a CDXJ index in %s (replay: see README, \"WARC archives\")\n", len(files), warcDir(data))
}

// verifyBundle is the report's verifier: the provenance log, and the WARC
// files and attestation a bundle carries.
func verifyBundle(dir, key string) (*provenance.Report, report.Checked, error) {
	return checked(bundle.Verify(dir, key))
}

// verifyLiveBundle verifies the live report's bundle, which leaves the
// crawl's WARC files out on purpose (see liveReport): the log and records
// are checked, the WARC references are not, and the verdict says so.
func verifyLiveBundle(dir, key string) (*provenance.Report, report.Checked, error) {
	return checked(bundle.VerifyWithoutWARC(dir, key))
}

func checked(rep *provenance.Report, sum bundle.Summary, err error) (*provenance.Report, report.Checked, error) {
	if err != nil {
		return nil, report.Checked{}, err
	}
	return rep, report.Checked{Notes: []string{sum.String()}, Attested: sum.Attested}, nil
}
