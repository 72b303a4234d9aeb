package decide

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/shred"
)

// PurgeStore is what a purge needs of a store.
type PurgeStore interface {
	scruple.RecordUpdater
	scruple.ProvenanceLog
}

// keyDestroyer is a store that keeps data keys (package shred). Purge
// destroys the keys of the consents it ends, so that the values they
// sealed are unreadable in every copy of the store's files at once.
type keyDestroyer interface {
	DestroyDataKey(ctx context.Context, consent string) error
}

// Purge re-redacts every stored value that was kept under consent c, logs
// one purge entry per record it rewrites and one event entry for the consent
// itself, and returns how many records changed. It is idempotent: a second
// run finds nothing to change. kind is provenance.KindWithdrawal or
// KindExpiry; a refusal ends other consents than itself: PurgeRefusal.
func Purge(ctx context.Context, st PurgeStore, c *scruple.Consent, kind string, at time.Time, info provenance.BuildInfo) (int, error) {
	if kind == provenance.KindRefusal {
		return 0, fmt.Errorf("purge: a refusal purges the grants it ends (PurgeRefusal)")
	}
	return purge(ctx, st, c, []string{c.ID}, kind, at, info)
}

// PurgeRefusal is Purge for a refusal r (PIPL Art. 27): it removes the
// values of r's subject kept under the grants ended, the grants r blocks
// (scruple.Consent.Blocks: the subject's grants dated at or before it), and
// only those. A grant of the subject dated after the refusal is the subject
// consenting again; its values and its data key stay. The entries name r.
func PurgeRefusal(ctx context.Context, st PurgeStore, r *scruple.Consent, ended []string, at time.Time, info provenance.BuildInfo) (int, error) {
	return purge(ctx, st, r, ended, provenance.KindRefusal, at, info)
}

func purge(ctx context.Context, st PurgeStore, c *scruple.Consent, ids []string, kind string, at time.Time, info provenance.BuildInfo) (int, error) {
	reason := map[string]string{
		provenance.KindWithdrawal: "consent withdrawn (PIPL Art. 15)",
		provenance.KindRefusal:    "subject refused consent (PIPL Art. 27)",
		provenance.KindExpiry:     "consent expired",
	}[kind]
	if reason == "" {
		return 0, fmt.Errorf("purge: unknown event kind %q", kind)
	}
	// The keys go first: from this moment every copy of the values is
	// unreadable, whatever happens to the rewrite below.
	covered := make(map[string]bool, len(ids))
	for _, id := range ids {
		covered[id] = true
		if err := destroyKey(ctx, st, id); err != nil {
			return 0, err
		}
	}
	n, err := purgeRecords(ctx, st, c, covered, reason, at, info)
	if err != nil {
		return n, err
	}
	if kind == provenance.KindExpiry && n == 0 {
		// Expiry sweeps run at every crawl start; log an expiry only when it
		// changed something, so the log does not fill with repeats.
		return 0, nil
	}
	ev := provenance.NewEventEntry(kind, c.ID, reason, at, info)
	if _, err := st.AppendEntries(ctx, [][]byte{ev.Marshal()}); err != nil {
		return n, err
	}
	return n, nil
}

func destroyKey(ctx context.Context, st PurgeStore, consent string) error {
	d, ok := st.(keyDestroyer)
	if !ok {
		return nil
	}
	if err := d.DestroyDataKey(ctx, consent); err != nil {
		return fmt.Errorf("purge: destroy the data key of consent %s: %w", consent, err)
	}
	return nil
}

// purgeRounds bounds how often purgeRecords reads again after a conflict. A
// round only repeats when another purge (or a re-crawl of a deferred URL)
// changed one of the records in between, so a handful is plenty; running
// out is reported, never ignored.
const purgeRounds = 8

// purgeRecords re-redacts the values of c's subject kept under the consents
// covered and returns how many records changed.
// ReplaceRecord is a compare-and-swap: a record that changed since it was
// read (ErrStale) is read again and redacted from its new state, so a value
// another purge removed meanwhile is never written back (issue 10 item 7).
func purgeRecords(ctx context.Context, st PurgeStore, c *scruple.Consent, covered map[string]bool, reason string, at time.Time, info provenance.BuildInfo) (int, error) {
	total := 0
	for round := 1; ; round++ {
		var changed []*scruple.Record
		err := st.RecordsWithSubject(ctx, c.Subject, func(r *scruple.Record) error {
			if RedactConsents(r, c.Subject, covered) {
				// The old salt is known to whoever holds the other
				// consents' keys; the logged digests that covered the
				// purged value must not be recomputable from what
				// remains, so what remains gets a fresh salt (or none).
				r.Salt = ""
				shred.SaltKept(r)
				// Digest is the plain SHA-256 of the raw body, which held
				// the purged value: a guess of the value plus the page
				// around it (all of it, for text/plain) would test against
				// it. The purged record no longer vouches for that body.
				r.Digest = ""
				changed = append(changed, r)
			}
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("purge: %w", err)
		}
		stale := 0
		for _, r := range changed {
			e := provenance.NewPurgeEntry(r.URL, r, reason, c.ID, at, info)
			err := st.ReplaceRecord(ctx, r.URL, r, e.Marshal())
			switch {
			case errors.Is(err, scruple.ErrStale):
				stale++
			case err != nil:
				return total, fmt.Errorf("purge %s: %w", r.URL, err)
			default:
				total++
			}
		}
		if stale == 0 {
			return total, nil
		}
		if round == purgeRounds {
			return total, scruple.Errorf(scruple.ECONFLICT, "purge of consent %s: %d records kept changing under %d attempts; run it again", c.ID, stale, round)
		}
	}
}

// RedactSubject replaces, in r's text and title, every value of subject that
// was kept under consent id by its typed mask, and moves the spans of the
// findings after it. It reports whether r changed.
func RedactSubject(r *scruple.Record, subject, id string) bool {
	return RedactConsents(r, subject, map[string]bool{id: true})
}

// RedactConsents is RedactSubject for the values of subject kept under any
// of the consents covered.
func RedactConsents(r *scruple.Record, subject string, covered map[string]bool) bool {
	changed := false
	for _, field := range []string{"", "title"} {
		src := &r.Text
		if field == "title" {
			src = &r.Title
		}
		var idx []int
		for i, f := range r.Findings {
			if f.Field == field {
				idx = append(idx, i)
			}
		}
		sort.Slice(idx, func(a, b int) bool { return r.Findings[idx[a]].Start < r.Findings[idx[b]].Start })
		var b strings.Builder
		last, shift := 0, 0
		for _, i := range idx {
			f := &r.Findings[i]
			if f.Start < last || f.End > len(*src) {
				continue
			}
			purge := f.Subject == subject && f.Action == string(Keep) && covered[f.Consent]
			b.WriteString((*src)[last:f.Start])
			start := f.Start + shift
			if purge {
				mask := "[" + f.Type + "]"
				b.WriteString(mask)
				shift += len(mask) - (f.End - f.Start)
				f.Action, f.Consent, f.Subject = string(Redact), "", ""
				changed = true
			} else {
				b.WriteString((*src)[f.Start:f.End])
			}
			last = f.End
			f.Start, f.End = start, b.Len()
		}
		b.WriteString((*src)[last:])
		*src = b.String()
	}
	return changed
}
