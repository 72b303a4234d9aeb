package crawler

import (
	"context"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/provenance"
)

// consentReload is how often a running crawl reloads the consent ledger, so a
// withdrawal made with `scruple consent withdraw` while it runs stops values
// being kept within seconds (the withdrawal itself purges what was stored).
const consentReload = 5 * time.Second

// loadConsents reloads the ledger into the rules and purges what consents that
// have expired since still hold: expiry acts like a withdrawal.
func (c *Crawler) loadConsents(ctx context.Context) error {
	var all []*scruple.Consent
	if err := c.store.Consents(ctx, func(x *scruple.Consent) error { all = append(all, x); return nil }); err != nil {
		return err
	}
	c.s.rules.SetConsents(all)
	now := c.s.Now()
	for _, x := range all {
		if x.WithdrawnAt == nil && !x.Refused && !now.Before(x.ExpiresAt) {
			n, err := decide.Purge(ctx, c.store, x, provenance.KindExpiry, now.UTC(), c.s.buildInfo)
			if err != nil {
				return err
			}
			if n > 0 {
				c.s.Logger.Info("consent expired: purged kept values", "consent", x.ID, "records", n)
			}
		}
		if x.WithdrawnAt != nil || x.Refused {
			if err := c.sweepWithdrawn(ctx, x); err != nil {
				return err
			}
		}
	}
	return nil
}

// sweepWithdrawn purges what a withdrawn or refused consent still keeps. The
// withdrawal purged the store when it was made, but a worker that decided a
// page under the consent just before it learnt of the withdrawal (the reload
// runs every few seconds, and in distributed mode on other machines) may have
// committed the page after that purge. The check is one indexed query per
// withdrawn consent; the purge, and its log entries, happen only when a
// record still holds a value.
func (c *Crawler) sweepWithdrawn(ctx context.Context, x *scruple.Consent) error {
	kind := provenance.KindWithdrawal
	if x.Refused {
		kind = provenance.KindRefusal
	}
	stale := false
	err := c.store.RecordsWithSubject(ctx, x.Subject, func(r *scruple.Record) error {
		if decide.RedactSubject(r, x.Subject, x.ID, x.Refused) {
			stale = true
		}
		return nil
	})
	if err != nil || !stale {
		return err
	}
	n, err := decide.Purge(ctx, c.store, x, kind, c.s.Now().UTC(), c.s.buildInfo)
	if err != nil {
		return err
	}
	c.s.Logger.Info("consent withdrawn: purged values committed after the withdrawal", "consent", x.ID, "records", n)
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
