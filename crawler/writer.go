package crawler

import (
	"context"
	"fmt"
	"time"

	"github.com/scruple/scruple"
)

// Batching trades latency for throughput: one SQLite transaction per outcome
// would cap the crawl at a few hundred pages/s; a batch commits hundreds at
// once. A kill -9 loses at most the uncommitted batch, whose URLs are still
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

type writer struct {
	c        *Crawler
	in       <-chan scruple.Outcome
	out      chan<- commitEvent
	batch    []scruple.Outcome
	failed   bool
	firstErr error
	// sinceCheckpoint counts outcomes committed since the last checkpoint.
	sinceCheckpoint int
}

func newWriter(c *Crawler, in <-chan scruple.Outcome, out chan<- commitEvent) *writer {
	return &writer{c: c, in: in, out: out}
}

// run commits batches until in is closed, then closes out.
func (w *writer) run(ctx context.Context) error {
	defer close(w.out)
	tick := time.NewTicker(commitInterval)
	defer tick.Stop()
	for {
		select {
		case o, ok := <-w.in:
			if !ok {
				w.flush(ctx)
				return w.firstErr
			}
			if w.failed {
				continue // keep draining so workers never block
			}
			w.batch = append(w.batch, o)
			if len(w.batch) >= commitBatch {
				w.flush(ctx)
			}
		case <-tick.C:
			w.flush(ctx)
		}
	}
}

func (w *writer) flush(ctx context.Context) {
	if len(w.batch) == 0 || w.failed {
		return
	}
	ev := commitEvent{outcomes: len(w.batch)}
	err := w.c.syncArchive()
	if err == nil {
		err = w.c.store.Commit(ctx, w.batch)
	}
	if err != nil {
		w.failed = true
		w.firstErr = fmt.Errorf("store commit: %w", err)
		w.out <- commitEvent{err: w.firstErr}
		w.batch = w.batch[:0]
		return
	}
	w.c.coord.committed(w.batch)
	for i := range w.batch {
		if r := w.batch[i].Record; r != nil {
			ev.records++
			w.c.account(r)
		}
	}
	w.batch = w.batch[:0]
	w.sinceCheckpoint += ev.outcomes
	if w.sinceCheckpoint >= checkpointEvery {
		w.sinceCheckpoint = 0
		if err := w.c.checkpoint(ctx); err != nil {
			w.failed = true
			w.firstErr = err
			w.out <- commitEvent{err: err}
			return
		}
	}
	w.out <- ev
}
