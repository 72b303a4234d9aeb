package crawler

import (
	"context"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/scruple/scruple"
)

// Batching trades latency for throughput: one SQLite transaction per outcome
// would cap the crawl at a few hundred pages/s; a batch commits hundreds at
// once. A kill -9 loses at most the uncommitted batches, whose URLs are still
// leased in the store and are fetched again on resume (never recorded twice).
const (
	commitBatch    = 256
	commitInterval = 100 * time.Millisecond
)

type commitEvent struct {
	outcomes int   // outcomes committed
	records  int   // of which final records (not retries)
	err      error // the commit failed: the crawl must stop
}

// The writer is a two-stage pipeline. The collector (run) gathers outcomes
// into a batch, makes the batch's WARC records durable (syncArchive) and
// hands the batch to the committer, which commits batches one at a time in
// the order they were cut. So the archive's sync of batch N+1 runs while
// batch N is committed, instead of before it on one serial path, and the
// invariant holds: a batch is committed only after a sync that began after
// every one of its records was appended (a worker archives an outcome before
// it sends it), so no committed log entry names a WARC record a power
// failure could lose. A failed sync or commit stops everything: nothing is
// committed after it.
type writer struct {
	c     *Crawler
	in    <-chan scruple.Outcome
	out   chan<- commitEvent
	batch []scruple.Outcome
	// cut carries synced batches to the committer (unbuffered: at most one
	// batch is synced ahead of the commit in progress).
	cut chan cutBatch
	// failed is set when a sync or a commit failed; the collector then
	// drains its input without cutting batches.
	failed atomic.Bool
	// sinceCheckpoint counts outcomes committed since the last checkpoint
	// (the committer's).
	sinceCheckpoint int
}

// cutBatch is a batch whose archive sync has run (err: it failed).
type cutBatch struct {
	outcomes []scruple.Outcome
	err      error
}

func newWriter(c *Crawler, in <-chan scruple.Outcome, out chan<- commitEvent) *writer {
	return &writer{c: c, in: in, out: out, cut: make(chan cutBatch)}
}

// run commits batches until in is closed, then waits for the committer and
// closes out.
func (w *writer) run(ctx context.Context) error {
	defer close(w.out)
	done := make(chan error, 1)
	go func() { done <- w.commit(ctx) }()
	tick := time.NewTicker(commitInterval)
	defer tick.Stop()
	for {
		select {
		case o, ok := <-w.in:
			if !ok {
				w.flush()
				close(w.cut)
				return <-done
			}
			if w.failed.Load() {
				continue // keep draining so workers never block
			}
			w.batch = append(w.batch, o)
			if len(w.batch) >= commitBatch {
				w.flush()
			}
		case <-tick.C:
			w.flush()
		}
	}
}

// flush syncs the archive for the current batch and hands the batch to the
// committer (waiting while it commits the previous one).
func (w *writer) flush() {
	if len(w.batch) == 0 || w.failed.Load() {
		return
	}
	err := w.c.syncArchive()
	if err != nil {
		w.failed.Store(true)
	}
	w.cut <- cutBatch{outcomes: w.batch, err: err}
	w.batch = make([]scruple.Outcome, 0, commitBatch)
}

// commit commits the batches flush cuts, in order, until cut is closed; it
// returns the first error.
func (w *writer) commit(ctx context.Context) error {
	var firstErr error
	for b := range w.cut {
		if firstErr != nil {
			continue // synced before the failure was seen: never committed
		}
		if err := w.commitBatch(ctx, b); err != nil {
			firstErr = err
			w.failed.Store(true)
			w.out <- commitEvent{err: err}
		}
	}
	return firstErr
}

func (w *writer) commitBatch(ctx context.Context, b cutBatch) error {
	err := b.err
	if err == nil {
		err = w.c.store.Commit(ctx, b.outcomes)
	}
	if err != nil {
		return fmt.Errorf("store commit: %w", err)
	}
	ev := commitEvent{outcomes: len(b.outcomes)}
	w.c.coord.committed(b.outcomes)
	for i := range b.outcomes {
		if r := b.outcomes[i].Record; r != nil {
			ev.records++
			w.c.account(r)
		}
	}
	w.sinceCheckpoint += ev.outcomes
	if w.sinceCheckpoint >= checkpointEvery {
		w.sinceCheckpoint = 0
		if err := w.c.checkpoint(ctx); err != nil {
			return err
		}
	}
	w.out <- ev
	return nil
}
