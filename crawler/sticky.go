package crawler

import (
	"context"
	"time"
)

// Sticky slots. In distributed mode every request takes a host slot from the
// store and gives it back: two database round trips per page, as many as the
// page's whole commit costs. When the host's spacing is zero (no --delay, no
// Crawl-delay) nothing but the number of slots limits the host, so a worker
// that has just finished a request may send its next request to the same
// host on the same slot without asking the store again: the slot stays taken
// in the store, so all workers together still send at most --per-host
// requests at once. A kept slot is given back once it has been idle for
// stickyIdle, or when it has been held for stickyHold since the store granted
// it, so that the other workers get their turn at the host and see its state.
// The cost of that bound: a backoff another worker sets on the host (a 429)
// reaches this worker at most stickyHold late; its own 429s release at once.
const (
	stickyIdle = 5 * time.Millisecond
	stickyHold = 100 * time.Millisecond
)

// keptSlot is a slot this worker holds in the store between two requests.
type keptSlot struct {
	id      int64
	granted time.Time // when the store granted it
	idle    time.Time // when its last request ended
}

// reuse returns a kept slot of host, if there is one.
func (sh *sharedCoord) reuse(host string) (keptSlot, bool) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	ks := sh.kept[host]
	if len(ks) == 0 {
		return keptSlot{}, false
	}
	k := ks[len(ks)-1]
	if len(ks) == 1 {
		delete(sh.kept, host)
	} else {
		sh.kept[host] = ks[:len(ks)-1]
	}
	return k, true
}

// keep parks a slot after a request, when it may be reused (see above), and
// reports whether it did.
func (sh *sharedCoord) keep(host string, slot int64, granted time.Time, r sendResult) bool {
	now := time.Now()
	if r.slowDown || r.spacing > 0 || r.crawlDelay > 0 || (r.sent && !r.ok) || now.Sub(granted) >= stickyHold {
		return false
	}
	sh.mu.Lock()
	sh.kept[host] = append(sh.kept[host], keptSlot{id: slot, granted: granted, idle: now})
	sh.mu.Unlock()
	return true
}

// sweepSlots gives back the kept slots that are due (all of them when all
// is set, at the end of the crawl).
func (sh *sharedCoord) sweepSlots(ctx context.Context, all bool) {
	now := time.Now()
	type due struct {
		host string
		id   int64
	}
	var out []due
	sh.mu.Lock()
	for host, ks := range sh.kept {
		keep := ks[:0]
		for _, k := range ks {
			if all || now.Sub(k.idle) >= stickyIdle || now.Sub(k.granted) >= stickyHold {
				out = append(out, due{host, k.id})
			} else {
				keep = append(keep, k)
			}
		}
		if len(keep) == 0 {
			delete(sh.kept, host)
		} else {
			sh.kept[host] = keep
		}
	}
	sh.mu.Unlock()
	for _, d := range out {
		// ok: the requests on the slot succeeded (a failure is never kept).
		sh.releaseSlot(ctx, d.host, d.id, 0, 0, false, true, 0)
	}
}

// sweepKept runs sweepSlots until ctx ends, then gives back every kept slot.
func (sh *sharedCoord) sweepKept(ctx context.Context) {
	t := time.NewTicker(stickyIdle)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			sh.sweepSlots(context.WithoutCancel(ctx), true)
			return
		case <-t.C:
			sh.sweepSlots(ctx, false)
		}
	}
}
