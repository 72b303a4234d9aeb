package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/report"
	"github.com/scruple/scruple/report/browser"
)

func newReportCmd(stdout, stderr io.Writer) *cobra.Command {
	var sf storeFlags
	var out, lang, key, pdf, signingKey string
	cmd := &cobra.Command{
		Use:   "report [BUNDLE_DIR | --data DIR | --store DSN --crawl NAME] [--out report.html] [--lang zh|en] [--pdf FILE]",
		Short: "Write the compliance report of a bundle: one self-contained HTML page (and PDF)",
		Long: `Verify a bundle and write the report a compliance officer reads: the verdict
first (a tampered, truncated or re-signed bundle gets a red verdict naming what
is wrong), then the crawl's scope, per-host politeness and refusals, personal
information and consents, a legal checklist with links to the evidence,
anomalies and redacted samples. One HTML file: inline CSS and SVG, no script,
no network request; print it, or pass --pdf to render it with a headless
Chromium.

--lang zh|en (default: zh when the locale is Chinese, else en). --key pins the
signer: without it the bundle's own key.pub is trusted and the report says so.

With --data DIR (or --store DSN --crawl NAME) the report covers a live store:
it is exported to a temporary bundle with the store's signing key first, and
consent terms missing from the log are read from the store's consent ledger
(marked as unsigned). Exit 1 when the bundle does not verify.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dataGiven := cmd.Flags().Changed("data")
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			if lang == "" {
				lang = report.LangFromEnv(os.Getenv)
			}
			if _, err := report.ParseLang(lang); err != nil {
				return usageError{err}
			}
			if len(args) == 1 && (dataGiven || cmd.Flags().Changed("store")) {
				return usageError{errors.New("give a BUNDLE_DIR or --data/--store, not both")}
			}
			if len(args) == 0 && !dataGiven && !sf.shared() {
				return usageError{errors.New("report needs a BUNDLE_DIR, --data DIR or --store DSN --crawl NAME")}
			}
			ctx := cmd.Context()
			opt := report.Options{Lang: lang, Key: key, Verify: verifyBundle}
			dir := ""
			if len(args) == 1 {
				dir = args[0]
			} else {
				tmp, err := os.MkdirTemp("", "scruple-report-")
				if err != nil {
					return err
				}
				defer os.RemoveAll(tmp)
				if dir, err = liveBundle(cmd, sf, tmp, signingKey, &opt); err != nil {
					return err
				}
			}
			rep, err := report.Build(ctx, dir, opt)
			if err != nil {
				return err
			}
			if err := writeReport(rep, out); err != nil {
				return err
			}
			fmt.Fprintf(stdout, "report: %s\n", out)
			fmt.Fprintln(stdout, verdictLine(rep))
			if pdf != "" {
				if err := writePDF(ctx, out, pdf); err != nil {
					return &exitError{code: exitFailure, msg: "--pdf: " + err.Error()}
				}
				fmt.Fprintf(stdout, "pdf: %s\n", pdf)
			}
			if !rep.OK() {
				return &exitError{code: exitFailure}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&out, "out", "report.html", "HTML file to write")
	cmd.Flags().StringVar(&lang, "lang", "", "zh or en (default: from LC_ALL, LC_MESSAGES or LANG)")
	cmd.Flags().StringVar(&key, "key", "", "verifier key the bundle must be signed with (default: trust the bundle's key.pub)")
	cmd.Flags().StringVar(&pdf, "pdf", "", "also print the report to this PDF file (needs Chromium)")
	cmd.Flags().StringVar(&sf.data, "data", "./scruple-data", "report on this data directory (instead of a bundle)")
	sf.registerShared(cmd.Flags())
	cmd.Flags().StringVar(&signingKey, "signing-key", "", "signing key file for --data/--store (default: DATA/signing.key)")
	cmd.Flags().String("config", "", "YAML file of settings (keys are flag names)")
	return cmd
}

// liveBundle exports a live store to dir and points the report at its
// consent ledger and key.
func liveBundle(cmd *cobra.Command, sf storeFlags, dir, signingKey string, opt *report.Options) (string, error) {
	if sf.shared() {
		m, err := exportShared(cmd, sf, dir, signingKey)
		if err != nil {
			return "", err
		}
		f := sf.resolved()
		opt.Key, opt.Subject = m.Key, fmt.Sprintf("crawl %s in %s", f.crawl, maskDSN(f.store))
	} else {
		m, err := exportBundle(cmd, sf.data, dir, signingKey)
		if err != nil {
			return "", err
		}
		opt.Key, opt.Subject = m.Key, "data directory "+sf.data
	}
	opt.Ledger = func(ctx context.Context, fn func(*scruple.Consent) error) error {
		st, err := openStore(ctx, sf, false, true)
		if err != nil {
			return err
		}
		defer st.Close()
		return st.Consents(ctx, fn)
	}
	return dir, nil
}

// maskDSN hides a DSN's password.
func maskDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(store)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	u.RawQuery = ""
	return u.String()
}

func writeReport(rep *report.Report, path string) error {
	f, err := os.CreateTemp(dirOf(path), ".report-*.html")
	if err != nil {
		return fmt.Errorf("--out %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := rep.WriteHTML(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func dirOf(path string) string {
	if i := strings.LastIndexAny(path, `/\`); i >= 0 {
		return path[:i+1]
	}
	return "."
}

func verdictLine(rep *report.Report) string {
	v := rep.Verdict
	if v.Verified {
		s := fmt.Sprintf("verdict: VERIFIED (%d records, %d log entries, tree size %d, signer %s %s)",
			v.Records, v.Entries, v.TreeSize, v.KeyName, v.KeyHash)
		if !v.Pinned {
			s += "; signer not pinned: pass --key to check it"
		}
		return s
	}
	var parts []string
	for _, is := range v.Issues {
		parts = append(parts, fmt.Sprintf("%s (%d)", is.Issue, is.Count))
	}
	return "verdict: NOT VERIFIED: " + strings.Join(parts, ", ")
}

func writePDF(ctx context.Context, htmlPath, pdfPath string) error {
	chromium, err := browser.Find()
	if err != nil {
		return err
	}
	return browser.PrintPDF(ctx, chromium, htmlPath, pdfPath, 2*time.Minute)
}

// demoReport writes the demo's report next to its bundle, with the demo
// data directory's consent ledger, and prints its path.
func demoReport(cmd *cobra.Command, data, bundle string, stdout io.Writer) error {
	ctx := cmd.Context()
	opt := report.Options{Lang: report.LangFromEnv(os.Getenv), Subject: bundle, Verify: verifyBundle,
		Ledger: func(ctx context.Context, fn func(*scruple.Consent) error) error {
			st, err := openStore(ctx, storeFlags{data: data}, false, true)
			if err != nil {
				return err
			}
			defer st.Close()
			return st.Consents(ctx, fn)
		}}
	if b, err := os.ReadFile(filepath.Join(data, provenance.VerifierKeyFile)); err == nil {
		opt.Key = strings.TrimSpace(string(b)) // the demo's own key: pinned
	}
	rep, err := report.Build(ctx, bundle, opt)
	if err != nil {
		return err
	}
	path := filepath.Join(data, "report.html")
	if err := writeReport(rep, path); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "report: %s (%s; open it in a browser, or: scruple report %s --pdf report.pdf)\n",
		path, strings.TrimPrefix(verdictLine(rep), "verdict: "), bundle)
	return nil
}
