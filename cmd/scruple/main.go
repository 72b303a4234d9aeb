// Command scruple is the command-line front of the scruple crawler. It only
// wires the library packages together: every behaviour lives in them.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/scruple/scruple"
)

// Exit codes, shared by all commands.
const (
	exitOK      = 0
	exitFailure = 1 // the command ran and failed (or, for scan, found something)
	exitUsage   = 2 // bad flags, bad seed, bad config
)

// usageError marks errors in what the user typed; they exit with exitUsage.
type usageError struct{ error }

func main() {
	tuneGC()
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// gcPercent is the collector's GOGC unless the environment sets one. A crawl
// keeps a small live heap (10-15 MB on the benchmark's 20,000-page web) and
// allocates about 80 KB per page (body, text, record line), so with Go's
// default of 100 the collector ran about 300 times per such crawl, 7 % of
// its CPU. At 200 the heap may grow to three times the live data before a
// collection: tens of MB more, for half as many collections (BENCHMARKS.md,
// "What each change gained").
const gcPercent = 200

// tuneGC applies gcPercent; it is called from main only, so that the tests,
// which call run, keep the runtime's defaults.
func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(gcPercent)
	}
}

// run executes the CLI and returns the exit code; tests call it directly.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "scruple:", ee.msg)
		}
		return ee.code
	}
	fmt.Fprintln(stderr, "scruple:", err)
	var ue usageError
	if errors.As(err, &ue) || scruple.ErrorCode(err) == scruple.EINVALID {
		return exitUsage
	}
	return exitFailure
}

// exitError carries a specific exit code out of a command.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func newRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:   "scruple",
		Short: "A web crawler with scruples: public content only, polite, with provenance",
		Long: `scruple crawls only what is public (robots.txt per RFC 9309, no logins,
paywalls or credentials), politely, and keeps every record on a durable store
so that a killed crawl resumes without loss or duplicates.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       scruple.Version,
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{fmt.Errorf("%v (see '%s --help')", err, c.CommandPath())}
	})
	root.AddCommand(
		newCrawlCmd(stdout, stderr),
		newWorkCmd(stdout, stderr),
		newRobotsCmd(stdout, stderr),
		newExportCmd(stdout, stderr),
		newDemoCmd(stdout, stderr),
		newVerifyCmd(stdout, stderr),
		newConsentCmd(stdin, stdout, stderr),
		newScanCmd(stdin, stdout, stderr),
		newReportCmd(stdout, stderr),
		newServeCmd(stdout, stderr),
	)
	return root
}
