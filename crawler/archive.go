package crawler

import (
	"fmt"
	"net/http"

	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/warc"
)

// Archive receives what a crawl archives (package warc's Writer implements
// it): every URL's final outcome, with the exchange that produced it,
// before the outcome is committed, and every robots.txt exchange.
type Archive interface {
	// Capture archives one outcome and returns the record its log entry
	// names. The archive decides what is safe to keep (see package warc).
	Capture(warc.Capture) (*warc.Ref, error)
	// RobotsClient returns a client that archives the robots.txt exchanges
	// made with it.
	RobotsClient(*http.Client, *decide.Decider) *http.Client
	// Sync makes everything archived so far durable. The crawl calls it
	// before every store commit, so each committed log entry's WARC record
	// exists whatever happens to the process afterwards.
	Sync() error
}

var _ Archive = (*warc.Writer)(nil)

// robotsHTTP is the client robots.txt is fetched with.
func (c *Crawler) robotsHTTP() *http.Client {
	if c.s.Archive == nil {
		return c.client.HTTPClient()
	}
	return c.s.Archive.RobotsClient(c.client.HTTPClient(), c.s.Decider)
}

// archive hands a finished task to the archive and returns the reference
// its log entry names (nil when nothing was archived). A failed capture
// leaves the archive's error sticky: the next Sync fails and the batch
// holding this outcome is not committed (its URL is fetched again on
// resume). It runs before prepare, which builds the entry once, on the
// worker, with this reference in it.
func (c *Crawler) archive(t *task) *provenance.WARCRef {
	var ex *warc.Exchange
	if r := t.resp; r != nil && r.Status > 0 {
		ex = &warc.Exchange{URL: t.item.URL, RequestHeader: r.RequestHeader, RemoteAddr: r.RemoteAddr,
			Proto: r.Proto, Status: r.Status, Header: r.Header, Body: r.Body, Date: r.FetchedAt}
	}
	ref, err := c.s.Archive.Capture(warc.Capture{Record: t.rec, Exchange: ex, Decider: c.s.Decider})
	if err != nil {
		c.s.Logger.Error("archiving failed: the crawl stops at the next commit", "url", shortURL(t.item.URL), "err", err)
	}
	if ref == nil {
		return nil
	}
	return &provenance.WARCRef{File: ref.File, Offset: ref.Offset, Length: ref.Length, RecordID: ref.RecordID, Type: ref.Type}
}

// syncArchive makes the archive durable before a commit (a no-op without
// an archive).
func (c *Crawler) syncArchive() error {
	if c.s.Archive == nil {
		return nil
	}
	if err := c.s.Archive.Sync(); err != nil {
		return fmt.Errorf("archive: %w", err)
	}
	return nil
}
