// Package storetest is the contract suite that every scruple.Store must pass:
// the same behaviours and the same edge cases, whatever the database behind
// it. A store package runs it from a test:
//
//	func TestContract(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) scruple.Store { return openFresh(t) })
//	}
//
// It is a non-test package so that every store package can import it.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// Case is one contract case: it gets a fresh, empty store.
type Case struct {
	// Name is the subtest name ("Enqueue/dedup"); Options.Skip refers to it.
	Name string
	// Run checks the behaviour.
	Run func(t *testing.T, s scruple.Store)
}

// Options tunes RunWith.
type Options struct {
	// Skip maps case names to the reason they are skipped: a known divergence
	// of a store from the contract, reported rather than hidden.
	Skip map[string]string
}

// Cases returns the contract cases, in the order Run runs them.
func Cases() []Case {
	var cs []Case
	cs = append(cs, frontierCases()...)
	cs = append(cs, recordCases()...)
	cs = append(cs, logCases()...)
	cs = append(cs, consentCases()...)
	cs = append(cs, pageCases()...)
	cs = append(cs, batchCases()...)
	return cs
}

// Run runs every contract case against stores made by open. open must return
// a fresh, empty store and arrange (t.Cleanup) for it to be closed.
func Run(t *testing.T, open func(t *testing.T) scruple.Store) {
	RunWith(t, open, Options{})
}

// RunWith is Run with options.
func RunWith(t *testing.T, open func(t *testing.T) scruple.Store, opt Options) {
	t.Helper()
	for _, c := range Cases() {
		t.Run(c.Name, func(t *testing.T) {
			if why, ok := opt.Skip[c.Name]; ok {
				t.Skip("known divergence from the contract: " + why)
			}
			c.Run(t, open(t))
		})
	}
}

// bg is the context of every store call: the suite checks behaviour, not
// cancellation.
var bg = context.Background()

// host is the politeness key of the synthetic URLs, a.test → "a.test:80".
func host(name string) string { return name + ":80" }

// item builds a queued link to http://<name>/<path>.
func item(name, path string) scruple.URLItem {
	return scruple.URLItem{URL: "http://" + name + "/" + path, Host: host(name), Source: scruple.FromLink}
}

// items builds n links on one host: p0, p1, ...
func items(name string, n int) []scruple.URLItem {
	out := make([]scruple.URLItem, n)
	for i := range out {
		out[i] = item(name, fmt.Sprintf("p%d", i))
	}
	return out
}

func enqueue(t *testing.T, s scruple.Store, its ...scruple.URLItem) int {
	t.Helper()
	n, err := s.Enqueue(bg, its)
	if err != nil {
		t.Fatalf("Enqueue: %v", err)
	}
	return n
}

func lease(t *testing.T, s scruple.Store, h string, n int, now time.Time) []scruple.URLItem {
	t.Helper()
	got, err := s.Lease(bg, h, n, now)
	if err != nil {
		t.Fatalf("Lease(%s, %d): %v", h, n, err)
	}
	return got
}

func commit(t *testing.T, s scruple.Store, outs ...scruple.Outcome) {
	t.Helper()
	if err := s.Commit(bg, outs); err != nil {
		t.Fatalf("Commit: %v", err)
	}
}

func counts(t *testing.T, s scruple.Store) scruple.FrontierCounts {
	t.Helper()
	c, err := s.Counts(bg)
	if err != nil {
		t.Fatalf("Counts: %v", err)
	}
	return c
}

func recordCounts(t *testing.T, s scruple.Store) map[scruple.Kind]int64 {
	t.Helper()
	c, err := s.RecordCounts(bg)
	if err != nil {
		t.Fatalf("RecordCounts: %v", err)
	}
	return c
}

func records(t *testing.T, s scruple.Store) []*scruple.Record {
	t.Helper()
	var out []*scruple.Record
	if err := s.Records(bg, func(r *scruple.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatalf("Records: %v", err)
	}
	return out
}

func logSize(t *testing.T, s scruple.Store) int64 {
	t.Helper()
	n, err := s.LogSize(bg)
	if err != nil {
		t.Fatalf("LogSize: %v", err)
	}
	return n
}

// page is a kept page record for it.
func page(it scruple.URLItem, digest string) *scruple.Record {
	return &scruple.Record{URL: it.URL, FinalURL: it.URL, Kind: scruple.KindPage, Status: 200,
		FetchedAt: time.Unix(1700000000, 0).UTC(), Digest: digest, Text: "text of " + it.URL, Size: 42}
}

// done is an outcome that records it as a page with a unique digest.
func done(it scruple.URLItem) scruple.Outcome {
	return scruple.Outcome{Item: it, Record: page(it, "digest-"+it.URL)}
}

// urlsOf lists the URLs of items, for messages and comparisons.
func urlsOf(its []scruple.URLItem) []string {
	out := make([]string, len(its))
	for i, it := range its {
		out[i] = it.URL
	}
	return out
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := scruple.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

// errStop is returned by callbacks to check that iteration stops on an error.
var errStop = errors.New("stop")
