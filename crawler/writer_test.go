package crawler

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/internal/testweb"
	"github.com/scruple/scruple/sqlite"
	"github.com/scruple/scruple/warc"
)

// orderArchive is an Archive that numbers captures and remembers how many a
// finished Sync covered (those captured before the Sync began), the way a
// WARC fsync covers what was appended before it started.
type orderArchive struct {
	mu       sync.Mutex
	seq      map[*scruple.Record]int
	next     int
	durable  int // captures covered by a finished Sync
	syncs    int
	failFrom int // Sync fails from this call on (0: never)
}

func (a *orderArchive) Capture(c warc.Capture) (*warc.Ref, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.next++
	a.seq[c.Record] = a.next
	return &warc.Ref{File: "fake.warc.gz", Offset: int64(a.next), Length: 1, RecordID: "<urn:uuid:fake>", Type: warc.TypeResponse}, nil
}

func (a *orderArchive) RobotsClient(c *http.Client, _ *decide.Decider) *http.Client { return c }

func (a *orderArchive) Sync() error {
	a.mu.Lock()
	a.syncs++
	n, fail := a.next, a.failFrom > 0 && a.syncs >= a.failFrom
	a.mu.Unlock()
	time.Sleep(2 * time.Millisecond) // the fsync: commits of earlier batches overlap it
	if fail {
		return errors.New("disk gone")
	}
	a.mu.Lock()
	if n > a.durable {
		a.durable = n
	}
	a.mu.Unlock()
	return nil
}

// orderStore checks, at every commit, that each committed record's capture
// was covered by a Sync that finished before the commit began.
type orderStore struct {
	*sqlite.Store
	a         *orderArchive
	t         *testing.T
	committed int
}

func (s *orderStore) Commit(ctx context.Context, outcomes []scruple.Outcome) error {
	s.a.mu.Lock()
	for _, o := range outcomes {
		if o.Record == nil {
			continue
		}
		n, ok := s.a.seq[o.Record]
		if !ok {
			s.t.Errorf("%s committed without a capture", o.Record.URL)
		} else if n > s.a.durable {
			s.t.Errorf("%s committed before the sync covering its capture %d (durable: %d)", o.Record.URL, n, s.a.durable)
		}
		s.committed++
	}
	s.a.mu.Unlock()
	return s.Store.Commit(ctx, outcomes)
}

func orderCrawl(t *testing.T, a *orderArchive) (*orderStore, error) {
	w := startWeb(t, testweb.BenchSpec(4, 150))
	st, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	os := &orderStore{Store: st, a: a, t: t}
	cfg := testConfig(w)
	cfg.Concurrency = 16
	cfg.PerHost = 4
	cfg.Archive = a
	c, err := New(cfg, os)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	_, err = c.Crawl(ctx)
	return os, err
}

// TestCommitAfterArchiveSync: the writer never commits a record before a
// sync covering its WARC capture has finished (the archive's durability
// invariant; see Archive.Sync). It caught the pipelined writer of 38eab32
// with its sync moved after the hand-off.
func TestCommitAfterArchiveSync(t *testing.T) {
	a := &orderArchive{seq: map[*scruple.Record]int{}}
	s, err := orderCrawl(t, a)
	if err != nil {
		t.Fatal(err)
	}
	if s.committed < 500 || a.syncs < 2 {
		t.Fatalf("committed %d records in %d syncs: the crawl did too little to test", s.committed, a.syncs)
	}
}

// TestArchiveSyncFailureStopsCommits: once a sync fails, the crawl stops
// with the archive's error and nothing its sync did not cover is committed.
func TestArchiveSyncFailureStopsCommits(t *testing.T) {
	a := &orderArchive{seq: map[*scruple.Record]int{}, failFrom: 3}
	s, err := orderCrawl(t, a)
	if err == nil || !strings.Contains(err.Error(), "disk gone") {
		t.Fatalf("crawl error %v, want the archive's sync error", err)
	}
	if s.committed == 0 {
		t.Fatal("nothing committed before the failure")
	}
}
