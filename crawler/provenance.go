package crawler

import (
	"context"
	"fmt"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/shred"
)

// checkpointEvery is how often (in committed outcomes) a signed checkpoint is
// written during a crawl, besides the one at its end: a buyer's bundle can
// only vouch for what a checkpoint covers, and a crash should not leave hours
// of records unsigned.
const checkpointEvery = 10_000

// prepare encodes a finished record once, on the worker rather than on the
// writer's commit path: the store keeps the encoding as the record's data
// (Outcome.Line), and the record's provenance entry is built from it now.
// Seal returns that entry unless the store changed the record (a duplicate
// of a page already kept), and builds the entry of the stored record then.
// credentialsSent is what the fetch observed on the wire
// (fetch.Response.CredentialsSent), so the signed claim is a measurement.
// wref, when the crawl archives, names the record's WARC record in the
// entry (both the one built now and one built for a changed record).
func (c *Crawler) prepare(o *scruple.Outcome, credentialsSent bool, wref *provenance.WARCRef) {
	r := o.Record
	// A record keeping a value under consent gets its salt before anything
	// hashes it (package shred: the salt dies with the consent's key).
	shred.SaltKept(r)
	o.Line = provenance.AppendRecordLine(nil, r, 0)
	if !provenanceLog {
		return // benchmark build without the log (logswitch_off.go)
	}
	info := c.s.buildInfo
	e := provenance.NewRecordEntryLine(r, o.Line, info)
	e.Access.CredentialsSent = credentialsSent
	e.WARC = wref
	entry := e.Marshal()
	url, kind, text, findings, salt := r.URL, r.Kind, len(r.Text), len(r.Findings), r.Salt
	o.Seal = func(got *scruple.Record) ([]byte, error) {
		// A store changes the record for a duplicate, or when a consent
		// ended before the commit (the value is stored masked, with another
		// salt: package shred); a mask may be as long as the value, so the
		// salt is compared too.
		if got.URL == url && got.Kind == kind && got.DuplicateOf == "" && len(got.Text) == text && len(got.Findings) == findings && got.Salt == salt {
			return entry, nil
		}
		e := provenance.NewRecordEntry(got, info)
		e.Access.CredentialsSent = credentialsSent
		e.WARC = wref
		return e.Marshal(), nil
	}
}

// checkLog refuses to append to a log that does not verify: appending would
// silently fork the history a buyer checks.
func (c *Crawler) checkLog(ctx context.Context) error {
	if c.s.VerifierKey == "" {
		return nil
	}
	if err := provenance.VerifyStore(ctx, c.store, c.s.VerifierKey); err != nil {
		return &scruple.Error{Code: scruple.ECONFLICT, Message: "the provenance log of this data directory does not verify; " +
			"refusing to append (export it with `scruple export` to see where it breaks, then crawl into a new --data directory)", Err: err}
	}
	return nil
}

// checkpoint signs the current log, if the crawl has a signer.
func (c *Crawler) checkpoint(ctx context.Context) error {
	if c.s.Signer == nil {
		return nil
	}
	start := time.Now()
	_, size, err := provenance.Sign(ctx, c.store, c.s.Signer)
	if err != nil {
		return fmt.Errorf("sign checkpoint: %w", err)
	}
	c.s.Logger.Debug("signed checkpoint", "size", size, "took", time.Since(start))
	return nil
}
