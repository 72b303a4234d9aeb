package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/scruple/scruple/fetch"
	"github.com/scruple/scruple/internal/testweb"
)

func newDemoCmd(stdout, stderr io.Writer) *cobra.Command {
	var f crawlFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Crawl a built-in synthetic multi-host site on 127.0.0.x (no internet needed)",
		Long: `Start a synthetic web of six hosts on loopback addresses (127.0.0.2 ...),
with robots.txt variants, sitemaps, a login wall, a paywall, GBK pages,
duplicates, throttling and an unreachable robots.txt, crawl it into
DATA/demo with the embedded store, export the records and print a summary.`,
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
			cfg.Resolver = fetch.LookupFunc(web.Resolver().LookupHost)
			cfg.AllowCIDRs = append(cfg.AllowCIDRs, "127.0.0.0/8")
			// Unavailable robots.txt files are retried soon, so the demo's
			// always-503 host ends within seconds, not minutes.
			cfg.RobotsRetry = 300 * time.Millisecond
			cfg.MaxRetries = 2
			if _, err := runCrawl(cmd.Context(), cfg, &f, stdout, stderr); err != nil {
				return err
			}
			out := filepath.Join(f.data, "export")
			m, err := exportBundle(cmd, f.data, out, "")
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "exported %d records and %d signed log entries to %s; check it with: scruple verify %s\n",
				m.Records, m.LogEntries, out, out)
			fmt.Fprintf(stdout, "the server saw %d requests; none carried a cookie or credentials: %v\n",
				len(web.Requests()), noCredentials(web))
			return nil
		},
	}
	f.register(cmd)
	cmd.Flags().Lookup("delay").DefValue = "50ms"
	cmd.Flags().Set("delay", "50ms")
	cmd.Flags().Lookup("delay").Changed = false
	cmd.Flags().Lookup("per-host").DefValue = "2"
	cmd.Flags().Set("per-host", "2")
	cmd.Flags().Lookup("per-host").Changed = false
	return cmd
}

func noCredentials(web *testweb.Web) bool {
	for _, r := range web.Requests() {
		if r.HadCookie || r.HadAuth {
			return false
		}
	}
	return true
}
