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
// requests at once.
//
// How long a slot is kept: while the worker has requests for the host (a kept
// slot idle for stickyIdle is given back) and for stickyHold after the store
// last vouched for the host. The store vouches when it grants the slot and,
// when it is a SlotChecker, at every check (every stickyCheck, one query for
// all the hosts this worker holds slots of) that finds no other worker
// waiting for the host and no backoff on it. A check that finds either marks
// the host: its kept slots are given back at once and, until a later check
// finds it clear again, its slots are given back after each request (each
// request takes a slot, as without sticky slots, so the workers take turns).
// The cost of that bound: a backoff another worker sets on the host (a 429)
// reaches this worker at most stickyCheck (plus one query) late, stickyHold
// late without a SlotChecker; its own 429s release at once.
const (
	stickyIdle  = 30 * time.Millisecond
	stickyHold  = 100 * time.Millisecond
	stickyCheck = 50 * time.Millisecond
)

// SlotChecker is a Politeness that tells a worker which of the hosts it holds
// slots of it should give back (see above).
type SlotChecker interface {
	// ContendedHosts returns those of hosts that another worker wanted
	// (was refused a slot because all were taken) within the last `within`,
	// or that are backing off.
	ContendedHosts(ctx context.Context, hosts []string, within time.Duration) ([]string, error)
}

// keptSlot is a slot this worker holds in the store between two requests.
type keptSlot struct {
	id      int64
	granted time.Time // when the store granted it
	idle    time.Time // when its last request ended
}

// hostVouch is what the checks said about a host this worker holds slots of.
type hostVouch struct {
	at      time.Time // the last check that found the host clear was sent
	yield   bool      // the last check found a waiter or a backoff
	checked time.Time // when the last check of the host was sent
}

// fresh reports whether a slot of host granted at granted may still be kept
// at now. Called with sh.mu held.
//
// Besides the vouching, a slot is never kept more than half a TTL after the
// store last set its expiry (its grant, or the last RenewSlots sent after
// it): the store drops a slot one TTL after that, and a worker paused past
// it (GC, SIGSTOP, a frozen VM) must not reuse a slot another worker may
// since have taken. keepAlive renews every third of a TTL, so a slot kept
// while renewals succeed stays under the bound.
func (sh *sharedCoord) fresh(host string, granted, now time.Time) bool {
	set := granted
	if sh.renewed.After(set) {
		set = sh.renewed
	}
	if now.Sub(set) >= sh.ttl/2 {
		return false
	}
	v := sh.vouch[host]
	if v.yield {
		return false
	}
	last := granted
	if v.at.After(last) {
		last = v.at
	}
	return now.Sub(last) < stickyHold
}

func (sh *sharedCoord) hasKept(host string) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return len(sh.kept[host]) > 0
}

// reuse returns a kept slot of host, if there is one still fresh; it gives
// back the host's kept slots that are not (a check of freshness at keep
// time does not vouch for a slot after a long pause of the worker).
func (sh *sharedCoord) reuse(ctx context.Context, host string) (keptSlot, bool) {
	now := time.Now()
	sh.mu.Lock()
	ks := sh.kept[host]
	delete(sh.kept, host)
	var k keptSlot
	found := false
	var stale []keptSlot
	for len(ks) > 0 {
		last := ks[len(ks)-1]
		ks = ks[:len(ks)-1]
		// A slot idle for stickyIdle is one the sweep is due to give back:
		// after a long pause (GC, SIGSTOP) it may have expired in the store
		// even though a renewal that skipped it made it look fresh.
		if sh.fresh(host, last.granted, now) && now.Sub(last.idle) < stickyIdle {
			k, found = last, true
			break
		}
		stale = append(stale, last)
	}
	for _, s := range ks {
		if sh.fresh(host, s.granted, now) && now.Sub(s.idle) < stickyIdle {
			sh.kept[host] = append(sh.kept[host], s)
		} else {
			stale = append(stale, s)
		}
	}
	sh.mu.Unlock()
	for _, s := range stale {
		// ok: the requests on the slot succeeded (a failure is never kept).
		sh.releaseSlot(ctx, host, s.id, 0, 0, false, true, 0)
	}
	return k, found
}

// keep parks a slot after a request, when it may be reused (see above), and
// reports whether it did.
func (sh *sharedCoord) keep(host string, slot int64, granted time.Time, r sendResult) bool {
	now := time.Now()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if r.slowDown {
		// The host's other kept slots go back too (sweepSlots).
		v := sh.vouch[host]
		v.yield = true
		sh.vouch[host] = v
	}
	if r.slowDown || r.spacing > 0 || r.crawlDelay > 0 || (r.sent && !r.ok) || !sh.fresh(host, granted, now) {
		return false
	}
	sh.kept[host] = append(sh.kept[host], keptSlot{id: slot, granted: granted, idle: now})
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
			if all || now.Sub(k.idle) >= stickyIdle || !sh.fresh(host, k.granted, now) {
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

// checkHosts asks the store (one query) which of the hosts this worker holds
// slots of another worker waits for or is backing off, and records the answer
// (see above).
func (sh *sharedCoord) checkHosts(ctx context.Context, sc SlotChecker) {
	sh.mu.Lock()
	var hosts []string
	seen := map[string]bool{}
	for _, h := range sh.slots {
		if !seen[h] {
			seen[h] = true
			hosts = append(hosts, h)
		}
	}
	for h := range sh.vouch {
		if !seen[h] {
			delete(sh.vouch, h) // no slot of it held any more
		}
	}
	sh.mu.Unlock()
	if len(hosts) == 0 {
		return
	}
	sent := time.Now()
	contended, err := sc.ContendedHosts(ctx, hosts, 2*stickyCheck)
	if err != nil {
		if ctx.Err() == nil {
			sh.c.s.Logger.Warn("checking held host slots", "err", err)
		}
		return // nothing vouched: kept slots lapse after stickyHold
	}
	bad := make(map[string]bool, len(contended))
	for _, h := range contended {
		bad[h] = true
	}
	sh.mu.Lock()
	for _, h := range hosts {
		v := sh.vouch[h]
		if sent.Before(v.checked) {
			continue // a later check already answered
		}
		v.checked = sent
		if bad[h] {
			v.yield = true
		} else {
			v.yield, v.at = false, sent
		}
		sh.vouch[h] = v
	}
	sh.mu.Unlock()
}

// sweepKept runs sweepSlots (and, with a SlotChecker, checkHosts every
// stickyCheck) until ctx ends, then gives back every kept slot.
func (sh *sharedCoord) sweepKept(ctx context.Context) {
	t := time.NewTicker(stickyIdle / 6)
	defer t.Stop()
	sc, _ := sh.st.(SlotChecker)
	var lastCheck time.Time
	for {
		select {
		case <-ctx.Done():
			sh.sweepSlots(context.WithoutCancel(ctx), true)
			return
		case now := <-t.C:
			if sc != nil && now.Sub(lastCheck) >= stickyCheck {
				lastCheck = now
				sh.checkHosts(ctx, sc)
			}
			sh.sweepSlots(ctx, false)
		}
	}
}
