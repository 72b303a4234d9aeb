package crawler

import (
	"context"
	"fmt"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
)

// checkpointEvery is how often (in committed outcomes) a signed checkpoint is
// written during a crawl, besides the one at its end: a buyer's bundle can
// only vouch for what a checkpoint covers, and a crash should not leave hours
// of records unsigned.
const checkpointEvery = 10_000

// seal returns the function that builds a record's provenance entry once the
// store has settled the record.
func (c *Crawler) seal() func(*scruple.Record) ([]byte, error) {
	info := c.s.buildInfo
	return func(r *scruple.Record) ([]byte, error) {
		return provenance.NewRecordEntry(r, info).Marshal(), nil
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
