package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/bundle"
	"github.com/scruple/scruple/consent"
	"github.com/scruple/scruple/consent/ledger"
	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/sqlite"
)

func newDemoCmd(stdout, stderr io.Writer) *cobra.Command {
	var f crawlFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Crawl a built-in synthetic multi-host site on 127.0.0.x (no internet needed)",
		Long: `Start a synthetic web of six hosts on loopback addresses (127.0.0.2 ...),
with robots.txt variants, sitemaps, a login wall, a paywall, GBK pages,
duplicates, throttling, an unreachable robots.txt and pages with planted
personal information; grant a consent for one planted subject (a mobile
number) for the demo's purpose; crawl it into DATA/demo with the embedded
store, archiving it as WARC files in DATA/demo/warc; export a signed bundle
(with the WARC files and an in-toto attestation), verify it and print a
summary.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			web, err := testweb.Start(testweb.DemoSpec())
			if err != nil {
				return fmt.Errorf("start the demo web: %w", err)
			}
			defer web.Close()
			fmt.Fprintf(stdout, "demo web: %d hosts on 127.0.0.x port %d\n", len(web.Hosts()), web.Port())
			for _, h := range web.Hosts() {
				fmt.Fprintf(stdout, "  %-18s %s\n", h, web.IP(h))
			}
			// The demo owns DATA/demo: each run starts from a clean store,
			// since the web's port (part of every URL) changes between runs.
			base := f.data
			f.data = filepath.Join(base, "demo")
			if err := os.RemoveAll(f.data); err != nil {
				return err
			}
			cfg, err := f.crawlerConfig(web.Seeds())
			if err != nil {
				return err
			}
			consentID, err := demoConsent(cmd, &f)
			if err != nil {
				return err
			}
			if f.purpose == "" {
				f.purpose = testweb.DemoPurpose
			}
			cfg.Resolver = fetch.LookupFunc(web.Resolver().LookupHost)
			cfg.AllowCIDRs = append(cfg.AllowCIDRs, "127.0.0.0/8")
			// Unavailable robots.txt files are retried soon, so the demo's
			// always-503 host ends within seconds, not minutes.
			cfg.RobotsBackoff = 300 * time.Millisecond
			cfg.MaxRetries = 2
			if _, err := runCrawl(cmd.Context(), cfg, &f, stdout, stderr); err != nil {
				return err
			}
			out := filepath.Join(f.data, "export")
			m, err := exportBundle(cmd, f.data, out, "")
			if err != nil {
				return err
			}
			rep, vsum, err := bundle.Verify(out, m.Key)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "exported %d records and %d signed log entries to %s; verify: %s\n",
				m.Records, m.LogEntries, out, map[bool]string{true: "intact", false: "FAILED"}[rep.OK()])
			fmt.Fprintln(stdout, vsum.String())
			kept, redacted, err := findingCounts(filepath.Join(out, "records.jsonl"))
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "personal information: %d values redacted, %d kept under consent %s (purpose %q)\n",
				redacted, kept, consentID, f.purpose)
			fmt.Fprintf(stdout, "try: scruple consent withdraw --data %s %s && scruple export --data %s --out %s-2\n",
				f.data, consentID, f.data, out)
			fmt.Fprintf(stdout, "the server saw %d requests; none carried a cookie or credentials: %v\n",
				len(web.Requests()), noCredentials(web))
			return demoReport(cmd, f.data, out, stdout)
		},
	}
	f.register(cmd)
	cmd.Flags().Lookup("delay").DefValue = "50ms"
	cmd.Flags().Set("delay", "50ms")
	cmd.Flags().Lookup("delay").Changed = false
	cmd.Flags().Lookup("per-host").DefValue = "2"
	cmd.Flags().Set("per-host", "2")
	cmd.Flags().Lookup("per-host").Changed = false
	// The demo archives by default (--warc=false to skip).
	cmd.Flags().Lookup("warc").DefValue = "true"
	cmd.Flags().Set("warc", "true")
	cmd.Flags().Lookup("warc").Changed = false
	return cmd
}

// demoEvidenceFile is the demo consent's evidence text, in the demo's data
// directory.
const demoEvidenceFile = "demo-consent-evidence.txt"

// demoConsent grants the demo's consent: the planted contact's mobile number,
// for the demo's purpose, in the demo's data directory.
func demoConsent(cmd *cobra.Command, f *crawlFlags) (string, error) {
	key, err := consentKey(f.data, f.consentKeyFile)
	if err != nil {
		return "", err
	}
	now := time.Now().UTC()
	g := consent.Grant{
		SubjectType: "cn_mobile", Subject: testweb.DemoConsentPhone, Types: []pii.Type{"cn_mobile"},
		Purpose: testweb.DemoPurpose, Processor: "scruple demo", Recipients: []string{"none"},
		Method:    "synthetic consent for the demo",
		GrantedAt: now.Add(-time.Minute), ExpiresAt: now.Add(24 * time.Hour),
	}
	// The evidence is a text the demo writes, as a provider keeps a signed
	// form: the consent cites its SHA-256 (a placeholder digest is refused).
	// It names the terms, never the subject's number.
	g.EvidenceFile = filepath.Join(f.data, demoEvidenceFile)
	text := fmt.Sprintf("Synthetic consent form of the scruple demo (not a real person's consent).\n"+
		"Subject: the demo web's planted contact (cn_mobile).\nData: cn_mobile\nPurpose: %s\nProcessor: %s\n"+
		"Recipients: none\nGranted: %s\nExpires: %s\n",
		g.Purpose, g.Processor, g.GrantedAt.Format(time.RFC3339), g.ExpiresAt.Format(time.RFC3339))
	if err := os.MkdirAll(f.data, 0o700); err != nil {
		return "", err
	}
	if err := os.WriteFile(g.EvidenceFile, []byte(text), 0o600); err != nil {
		return "", err
	}
	if err := g.HashEvidence(); err != nil {
		return "", err
	}
	g.EvidenceFile = "" // hashed: only the digest goes into the ledger
	st, err := sqlite.Open(f.data)
	if err != nil {
		return "", err
	}
	defer st.Close()
	// Through the ledger, so the grant is a log entry the bundle's verify
	// checks the kept values against.
	res, err := ledger.New(st, ledger.Options{Key: key, Info: defaultBuildInfo()}).Grant(cmd.Context(), g)
	if err != nil {
		return "", err
	}
	return res.Consent.ID, nil
}

// findingCounts counts kept and redacted findings in an exported records file.
func findingCounts(path string) (kept, redacted int, err error) {
	fh, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var r scruple.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return 0, 0, err
		}
		for _, f := range r.Findings {
			if f.Action == "keep" {
				kept++
			} else {
				redacted++
			}
		}
	}
	return kept, redacted, sc.Err()
}

func noCredentials(web *testweb.Web) bool {
	for _, r := range web.Requests() {
		if r.HadCookie || r.HadAuth {
			return false
		}
	}
	return true
}
