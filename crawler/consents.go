package crawler

import (
	"context"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent/ledger"
)

// consentReload is how often a running crawl reloads the consent ledger, so a
// withdrawal made with `scruple consent withdraw` while it runs stops values
// being kept within seconds (the withdrawal itself purges what was stored).
const consentReload = 5 * time.Second

// loadConsents sweeps the ledger (ledger.Sweep: expiry is logged and acts
// like a withdrawal; values a worker committed just after a withdrawal it
// had not yet learnt of are purged) and reloads it into the rules. The sweep
// runs first so that the rules never see a ledger older than the purge.
func (c *Crawler) loadConsents(ctx context.Context) error {
	lg := ledger.New(c.store, ledger.Options{Now: c.s.Now, Info: c.s.buildInfo})
	sw, err := lg.Sweep(ctx)
	if err != nil {
		return err
	}
	if len(sw.Expired) > 0 || sw.Purged > 0 {
		c.s.Logger.Info("consent sweep: expired consents logged, ended consents' values purged",
			"expired", len(sw.Expired), "records", sw.Purged)
	}
	var all []*scruple.Consent
	if err := c.store.Consents(ctx, func(x *scruple.Consent) error { all = append(all, x); return nil }); err != nil {
		return err
	}
	c.s.rules.SetConsents(all)
	return nil
}

// watchConsents reloads the ledger until ctx ends.
func (c *Crawler) watchConsents(ctx context.Context) {
	t := time.NewTicker(consentReload)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := c.loadConsents(ctx); err != nil && ctx.Err() == nil {
				c.s.Logger.Warn("reloading consents failed; keeping the previous ledger", "err", err)
			}
		}
	}
}
