package main

import (
	"context"
	"fmt"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/consent/ledger"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/policy"
	"github.com/scruple/scruple/provenance"
)

// defaultBuildInfo names the software and the built-in policy in the entries
// of a sweep run by a command that has no policy of its own (export, report).
func defaultBuildInfo() provenance.BuildInfo {
	return provenance.BuildInfo{CrawlerVersion: scruple.Version, DetectorVersion: pii.Version, PolicyVersion: policy.Default().Hash()}
}

// sweepStore runs the consent sweep on a store a command just opened
// (ledger.Sweep): what expired since the store was last opened is purged
// before the command reads anything.
func sweepStore(ctx context.Context, st ledger.Store) error {
	if _, err := ledger.New(st, ledger.Options{Info: defaultBuildInfo()}).Sweep(ctx); err != nil {
		return fmt.Errorf("consent sweep: %w", err)
	}
	return nil
}

// exportAttempts bounds how often an export is redone because a consent
// ended while it ran.
const exportAttempts = 3

// exportLive runs export between consent sweeps so that the bundle holds no
// value whose consent is not live when the export ends: it sweeps, notes the
// consents live now, exports, and if one of them ended meanwhile (expired,
// or withdrawn by a consent command beside the export) sweeps and exports
// again.
func exportLive(ctx context.Context, st ledger.Store, export func() (provenance.Manifest, error)) (provenance.Manifest, error) {
	for attempt := 1; ; attempt++ {
		if err := sweepStore(ctx, st); err != nil {
			return provenance.Manifest{}, err
		}
		// Live as the check after the export sees it (StateAmong): a grant a
		// refusal ended is not live (Consent.Live takes the refusals for this reason).
		var before []*scruple.Consent
		if err := st.Consents(ctx, func(c *scruple.Consent) error { before = append(before, c); return nil }); err != nil {
			return provenance.Manifest{}, err
		}
		live := map[string]bool{}
		for id, s := range consentStates(before, time.Now()) {
			live[id] = s == scruple.ConsentLive
		}
		m, err := export()
		if err != nil {
			return m, err
		}
		ended := 0
		end := time.Now()
		var all []*scruple.Consent
		if err := st.Consents(ctx, func(c *scruple.Consent) error { all = append(all, c); return nil }); err != nil {
			return provenance.Manifest{}, err
		}
		for id, s := range consentStates(all, end) {
			if live[id] && s != scruple.ConsentLive {
				ended++
			}
		}
		if ended == 0 {
			return m, nil
		}
		if attempt == exportAttempts {
			return provenance.Manifest{}, &scruple.Error{Code: scruple.ECONFLICT,
				Message: fmt.Sprintf("%d consents ended while the export ran, %d times in a row; run the export again", ended, attempt)}
		}
	}
}
