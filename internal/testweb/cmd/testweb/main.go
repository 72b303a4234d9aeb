// Command testweb serves testweb.BenchSpec on loopback addresses until it is
// interrupted, for benchmarking crawlers against a deterministic web.
//
//	testweb -hosts 20 -pages 1000 [-first-ip 127.0.0.2] [-port 0] [-seed 1] [-ip-links=true]
//
// It prints one line per host, "NAME IP:PORT", then one line per seed,
// "seed URL" (IP form), then "ready". GET /__stats on any host returns the
// requests served per host as JSON; the same JSON is printed on exit
// (SIGINT or SIGTERM).
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/scruple/scruple/internal/testweb"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "testweb:", err)
		os.Exit(1)
	}
}

// run serves the web described by args until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("testweb", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hosts := fs.Int("hosts", 20, "number of hosts")
	pages := fs.Int("pages", 1000, "generated pages per host")
	firstIP := fs.String("first-ip", "127.0.0.2", "loopback address of the first host")
	port := fs.Int("port", 0, "port shared by all hosts (0: pick a free one)")
	seed := fs.Uint64("seed", 1, "text generator seed")
	ipLinks := fs.Bool("ip-links", true, "write absolute links as http://IP:PORT/ (for crawlers using the system resolver)")
	logReqs := fs.Bool("log", false, "keep a full request log in memory (off: counters only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *hosts < 1 || *pages < 0 {
		return fmt.Errorf("need -hosts >= 1 and -pages >= 0")
	}
	spec := testweb.BenchSpec(*hosts, *pages)
	spec.FirstIP, spec.Port, spec.Seed = *firstIP, *port, *seed
	spec.IPLinks, spec.NoLog = *ipLinks, !*logReqs
	w, err := testweb.Start(spec)
	if err != nil {
		return err
	}
	defer w.Close()
	debug.FreeOSMemory() // return the rendering garbage before a long run
	for _, h := range w.Hosts() {
		fmt.Fprintf(stdout, "%s %s\n", h, w.Addr(h))
	}
	for _, h := range w.Hosts() {
		fmt.Fprintf(stdout, "seed %s\n", w.IPURL(h, "/"))
	}
	fmt.Fprintln(stdout, "ready")
	<-ctx.Done()
	w.Close()
	b, err := json.Marshal(w.Stats())
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", b)
	return err
}
