// Command reportbundle writes a synthetic provenance bundle for timing
// `scruple report` (issue 13: a report of a 100,000-record bundle in under
// 10 s, bounded memory):
//
//	reportbundle -out DIR -n 100000 -hosts 100 -text 6000
//
// The bundle is reporttest.Synthetic's: a run's settings with the default
// policy, one robots.txt fetch per host, pages of about -text bytes with a
// redacted mobile number (one in fifty kept under a logged consent), and one
// record in ten a refusal (non-public, robots.txt, trap), written with
// provenance.Export and a fresh key. It prints the verifier key.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"time"

	"github.com/scruple/scruple/report/reporttest"
)

func main() {
	out := flag.String("out", "", "bundle directory to write")
	n := flag.Int("n", 100000, "records")
	hosts := flag.Int("hosts", 100, "hosts")
	text := flag.Int("text", 6000, "text bytes per page")
	flag.Parse()
	if *out == "" {
		log.Fatal("-out is required")
	}
	start := time.Now()
	m, key, err := reporttest.Synthetic(context.Background(), *out, reporttest.SynthSpec{Records: *n, Hosts: *hosts, TextBytes: *text})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %d records, %d log entries to %s in %s\nkey\t%s\n", m.Records, m.LogEntries, *out,
		time.Since(start).Round(time.Millisecond), key)
}
