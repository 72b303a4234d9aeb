// Package reporttest writes provenance bundles whose contents a test knows:
// a Builder appends records, run settings, robots.txt fetches, consent events
// and purges to an in-memory store and exports a signed bundle exactly as
// `scruple export` does (provenance.Export). Synthetic writes large bundles
// for benchmarks without holding their records in memory.
package reporttest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/provenance"
)

// Store is an in-memory RecordStore over a provenance.MemLog. Records are
// held in memory, or regenerated on demand by gen (Synthetic), so that a
// bundle of a million records costs its log, not its text.
type Store struct {
	*provenance.MemLog
	mu      sync.Mutex
	records []*scruple.Record
	gen     func(i int) *scruple.Record
	n       int
}

// Commit implements scruple.RecordStore: each record is kept with its entry.
func (s *Store) Commit(ctx context.Context, outcomes []scruple.Outcome) error {
	var entries [][]byte
	s.mu.Lock()
	for _, o := range outcomes {
		if o.Record == nil {
			continue
		}
		c := *o.Record
		c.ID = int64(len(s.records) + 1)
		s.records = append(s.records, &c)
		e := o.Entry
		if o.Seal != nil {
			var err error
			if e, err = o.Seal(&c); err != nil {
				s.mu.Unlock()
				return err
			}
		}
		if e != nil {
			entries = append(entries, e)
		}
	}
	s.mu.Unlock()
	_, err := s.AppendEntries(ctx, entries)
	return err
}

// Records implements scruple.RecordStore.
func (s *Store) Records(ctx context.Context, fn func(*scruple.Record) error) error {
	if s.gen != nil {
		for i := 0; i < s.n; i++ {
			if err := fn(s.gen(i)); err != nil {
				return err
			}
		}
		return nil
	}
	s.mu.Lock()
	recs := append([]*scruple.Record(nil), s.records...)
	s.mu.Unlock()
	for _, r := range recs {
		c := *r
		if err := fn(&c); err != nil {
			return err
		}
	}
	return nil
}

// RecordCounts implements scruple.RecordStore.
func (s *Store) RecordCounts(ctx context.Context) (map[scruple.Kind]int64, error) {
	m := map[scruple.Kind]int64{}
	err := s.Records(ctx, func(r *scruple.Record) error { m[r.Kind]++; return nil })
	return m, err
}

// Builder builds a bundle step by step. Methods return the log index of the
// entry they append; the first error sticks and is returned by Export.
type Builder struct {
	st   *Store
	info provenance.BuildInfo
	err  error
}

// New returns an empty builder whose entries name info's versions.
func New(info provenance.BuildInfo) *Builder {
	return &Builder{st: &Store{MemLog: provenance.NewMemLog()}, info: info}
}

// Store returns the builder's store.
func (b *Builder) Store() *Store { return b.st }

func (b *Builder) append(e []byte) int64 {
	if b.err != nil {
		return -1
	}
	i, err := b.st.AppendEntries(context.Background(), [][]byte{e})
	if err != nil {
		b.err = err
	}
	return i
}

// Raw appends an entry as given.
func (b *Builder) Raw(entry []byte) int64 { return b.append(entry) }

// JSON appends an entry marshalled from v (a map or struct).
func (b *Builder) JSON(v any) int64 {
	e, err := json.Marshal(v)
	if err != nil {
		b.err = err
		return -1
	}
	return b.append(e)
}

// Run appends a run's settings.
func (b *Builder) Run(e provenance.CrawlEntry) int64 { return b.append(e.Marshal()) }

// Robots appends a robots.txt fetch.
func (b *Builder) Robots(e provenance.RobotsEntry) int64 { return b.append(e.Marshal()) }

// Record commits a record with its entry; edit, when set, changes the entry
// before it is logged (a test's forged evidence).
func (b *Builder) Record(r *scruple.Record, edit func(e *provenance.Entry)) int64 {
	if b.err != nil {
		return -1
	}
	e := provenance.NewRecordEntry(r, b.info)
	if edit != nil {
		edit(&e)
	}
	size, _ := b.st.LogSize(context.Background())
	if err := b.st.Commit(context.Background(), []scruple.Outcome{{Record: r, Entry: e.Marshal()}}); err != nil {
		b.err = err
	}
	return size
}

// Event appends a consent event (provenance.KindWithdrawal, KindRefusal,
// KindExpiry) as decide.Purge logs it.
func (b *Builder) Event(kind, consent, reason string, at time.Time) int64 {
	return b.append(provenance.NewEventEntry(kind, consent, reason, at, b.info).Marshal())
}

// Purge rewrites the record at url (nil: deletes it) and logs the purge.
func (b *Builder) Purge(url string, r *scruple.Record, reason, consent string, at time.Time) int64 {
	if b.err != nil {
		return -1
	}
	b.st.mu.Lock()
	found := false
	for i, old := range b.st.records {
		if old.URL != url {
			continue
		}
		found = true
		if r == nil {
			b.st.records = append(b.st.records[:i], b.st.records[i+1:]...)
		} else {
			c := *r
			c.ID = old.ID
			b.st.records[i] = &c
		}
		break
	}
	b.st.mu.Unlock()
	if !found {
		b.err = fmt.Errorf("purge: no record %s", url)
		return -1
	}
	return b.append(provenance.NewPurgeEntry(url, r, reason, consent, at, b.info).Marshal())
}

// Export writes the bundle to dir, signed by signer (see Key).
func (b *Builder) Export(dir string, signer note.Signer, verifierKey string) (provenance.Manifest, error) {
	if b.err != nil {
		return provenance.Manifest{}, b.err
	}
	return provenance.Export(context.Background(), b.st, signer, verifierKey, dir)
}

// Key generates an ed25519 signing key named name.
func Key(name string) (note.Signer, string, error) {
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	if err != nil {
		return nil, "", err
	}
	s, err := note.NewSigner(skey)
	return s, vkey, err
}
