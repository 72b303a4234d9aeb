package crawler

import (
	"context"
	"time"
)

// Sticky slots. In distributed mode every request needs a host slot from the
// store: taken before the request and given back after it, that is two
// database round trips per page, as many as the page's whole commit costs.
// When the host's spacing is zero (no --delay, no Crawl-delay) nothing but
// the number of slots limits the host, so a worker keeps its slots of a host
// between requests and sends its next requests to the host on them without
// asking the store again; and when it takes a slot while it has more
// requests of the host queued, it takes up to as many (at most --per-host
// in all) in the same statement (SlotBatcher). The slots stay taken in the
// store, so all workers together still send at most --per-host requests to
// a host at once.
//
// How long a slot is kept: until it has been idle (no request of this
// worker on it) for stickyIdle, and only while the store vouches for the
// host. The store vouches when it grants the slot and, when it is a
// SlotChecker, at every check (every stickyCheck, one query for all the
// hosts this worker holds slots of) that finds no other worker refused the
// host and no backoff on it. A kept slot is reused only within stickyHold of
// the last vouching; past that (a check late under load) it stays kept but
// is reused only after a check answers (the worker asks at once), and a
// check that finds a waiter or a backoff marks the host: its kept slots are
// given back at once and, until a later check finds it clear again, its
// slots are given back after each request (each request takes a slot, as
// without sticky slots, so the workers take turns). The cost of that bound:
// a backoff another worker sets on the host (a 429) reaches this worker at
// most stickyHold late (stickyCheck plus one query when the store answers
// promptly); its own 429s release at once.
//
// A worker holds at most --concurrency slots (kept ones included) before it
// takes more than one at a time, and all are given back when it stops; a
// killed worker's slots expire in the store after the lease TTL, and a
// renewal never revives an expired slot (RenewSlots reports it lost and the
// worker forgets it).
const (
	stickyIdle  = 200 * time.Millisecond
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

// SlotBatcher is a Politeness that takes and gives back several slots in
// one statement.
type SlotBatcher interface {
	// TakeSlots is TakeSlot for up to want slots (at least one when any is
	// granted). mine is how many of host's slots the caller already holds:
	// a refusal caused by the caller's own slots alone does not count as
	// another worker waiting (ContendedHosts).
	TakeSlots(ctx context.Context, host string, perHost int, spacing time.Duration, want, mine int) ([]int64, time.Duration, error)
	// ReleaseSlots gives back slots (slot → host) whose requests succeeded,
	// without touching the hosts' clocks or backoff.
	ReleaseSlots(ctx context.Context, slots map[int64]string) error
}

// keptSlot is a slot this worker holds in the store between two requests.
type keptSlot struct {
	id      int64
	granted time.Time // when the store granted it (the request for it was sent)
	idle    time.Time // when its last request ended (or it was granted unused)
}

// hostVouch is what the checks said about a host this worker holds slots of.
type hostVouch struct {
	at      time.Time // the last check that found the host clear was sent
	yield   bool      // the last check found a waiter or a backoff
	checked time.Time // when the last check of the host was sent
}

// slotState is what a kept slot may be used for.
type slotState int

const (
	slotUsable slotState = iota // reuse it
	slotLapsed                  // keep it, but reuse it only after a check vouches for the host again
	slotStale                   // give it back
)

// state classifies a kept slot of host at now. Called with sh.mu held.
//
// Besides the vouching, a slot is never kept more than half a TTL after the
// store last set its expiry (its grant, or the last RenewSlots sent after
// it): the store drops a slot one TTL after that, and a worker paused past
// it (GC, SIGSTOP, a frozen VM) must not reuse a slot another worker may
// since have taken. keepAlive renews every third of a TTL (a slot the
// renewal finds expired is forgotten), so a slot kept while renewals succeed
// stays under the bound. A slot idle for stickyIdle goes back too.
func (sh *sharedCoord) state(host string, k keptSlot, now time.Time) slotState {
	set := k.granted
	if sh.renewed.After(set) {
		set = sh.renewed
	}
	if now.Sub(set) >= sh.ttl/2 || now.Sub(k.idle) >= stickyIdle {
		return slotStale
	}
	if _, held := sh.slots[k.id]; !held {
		return slotStale // lost (a renewal found it expired)
	}
	v := sh.vouch[host]
	if v.yield {
		return slotStale
	}
	last := k.granted
	if v.at.After(last) {
		last = v.at
	}
	if now.Sub(last) >= stickyHold {
		return slotLapsed
	}
	return slotUsable
}

// fresh reports whether a slot of host granted at granted may still be
// reused at now, as if idle since now. Called with sh.mu held.
func (sh *sharedCoord) fresh(host string, id int64, granted, now time.Time) bool {
	return sh.state(host, keptSlot{id: id, granted: granted, idle: now}, now) == slotUsable
}

func (sh *sharedCoord) hasKept(host string) bool {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return len(sh.kept[host]) > 0
}

// reuse returns a kept slot of host that may be reused, if there is one; it
// gives back the host's kept slots that are stale, and when the only ones
// left have lapsed it asks the store about the held hosts (one check,
// shared by the callers waiting for it) and looks once more.
func (sh *sharedCoord) reuse(ctx context.Context, host string) (keptSlot, bool) {
	for attempt := 0; ; attempt++ {
		k, found, lapsed := sh.pickKept(ctx, host)
		if found || !lapsed || attempt > 0 {
			return k, found
		}
		sc, ok := sh.st.(SlotChecker)
		if !ok {
			return keptSlot{}, false
		}
		sh.sf.Do("\x00check", func() (any, error) {
			sh.checkHosts(ctx, sc)
			return nil, nil
		})
	}
}

// pickKept takes a usable kept slot of host out of the kept list, gives back
// the stale ones and reports whether lapsed ones remain.
func (sh *sharedCoord) pickKept(ctx context.Context, host string) (k keptSlot, found, lapsed bool) {
	now := time.Now()
	sh.mu.Lock()
	ks := sh.kept[host]
	var keep []keptSlot
	stale := map[int64]string{}
	// The most recently used first: the others may idle out.
	for i := len(ks) - 1; i >= 0; i-- {
		switch s := ks[i]; sh.state(host, s, now) {
		case slotUsable:
			if !found {
				k, found = s, true
				continue
			}
			keep = append(keep, s)
		case slotLapsed:
			lapsed = true
			keep = append(keep, s)
		default:
			stale[s.id] = host
		}
	}
	// keep is newest first; the list is oldest first.
	for i, j := 0, len(keep)-1; i < j; i, j = i+1, j-1 {
		keep[i], keep[j] = keep[j], keep[i]
	}
	if len(keep) == 0 {
		delete(sh.kept, host)
	} else {
		sh.kept[host] = keep
	}
	sh.mu.Unlock()
	sh.releaseKept(ctx, stale)
	return k, found, lapsed
}

// extraSlots is how many slots of host, besides the one for the request at
// hand, to take in the same statement: enough for the requests of the host
// this worker has queued (want in all, counting the ones it holds), none
// while the host is contended, and none beyond --concurrency slots held.
// Called with sh.mu held.
func (sh *sharedCoord) extraSlots(host string, want int) (extra, mine int) {
	for _, h := range sh.slots {
		if h == host {
			mine++
		}
	}
	if _, ok := sh.st.(SlotBatcher); !ok || sh.vouch[host].yield {
		return 0, mine
	}
	extra = min(want, sh.c.s.PerHost) - mine - 1
	extra = min(extra, sh.c.s.Concurrency-len(sh.slots)-1)
	return max(extra, 0), mine
}

// keep parks a slot after a request, when it may be reused (see above), and
// reports whether it did.
func (sh *sharedCoord) keep(host string, slot int64, granted time.Time, r sendResult) bool {
	now := time.Now()
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if r.slowDown {
		// The host's other kept slots go back too (sweepSlots).
		// checked = now: a check sent before this 429 reached the store
		// must not answer "clear" over it.
		v := sh.vouch[host]
		v.yield, v.checked = true, now
		sh.vouch[host] = v
	}
	if r.slowDown || r.spacing > 0 || r.crawlDelay > 0 || (r.sent && !r.ok) ||
		sh.state(host, keptSlot{id: slot, granted: granted, idle: now}, now) == slotStale {
		return false
	}
	sh.kept[host] = append(sh.kept[host], keptSlot{id: slot, granted: granted, idle: now})
	return true
}

// parkUnused keeps slots granted with the one for a request (SlotBatcher).
func (sh *sharedCoord) parkUnused(host string, ids []int64, granted time.Time) {
	// Idle from now, when they arrive: a slow TakeSlots must not hand them
	// over already past stickyIdle (they would go back unused).
	now := time.Now()
	sh.mu.Lock()
	for _, id := range ids {
		sh.slots[id] = host
		sh.kept[host] = append(sh.kept[host], keptSlot{id: id, granted: granted, idle: now})
	}
	sh.mu.Unlock()
}

// releaseKept gives back kept slots (slot → host) whose requests succeeded:
// in one statement when the store is a SlotBatcher.
func (sh *sharedCoord) releaseKept(ctx context.Context, slots map[int64]string) {
	if len(slots) == 0 {
		return
	}
	if sb, ok := sh.st.(SlotBatcher); ok {
		if err := sb.ReleaseSlots(context.WithoutCancel(ctx), slots); err != nil {
			// They expire after one TTL by themselves.
			sh.c.s.Logger.Warn("releasing host slots", "slots", len(slots), "err", err)
		}
		sh.mu.Lock()
		for id := range slots {
			delete(sh.slots, id)
		}
		sh.mu.Unlock()
		return
	}
	for id, host := range slots {
		// ok: the requests on the slot succeeded (a failure is never kept).
		sh.releaseSlot(ctx, host, id, 0, 0, false, true, 0)
	}
}

// sweepSlots gives back the kept slots that are stale (all of them when all
// is set, at the end of the crawl).
func (sh *sharedCoord) sweepSlots(ctx context.Context, all bool) {
	now := time.Now()
	out := map[int64]string{}
	sh.mu.Lock()
	for host, ks := range sh.kept {
		keep := ks[:0]
		for _, k := range ks {
			if all || sh.state(host, k, now) == slotStale {
				out[k.id] = host
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
	sh.releaseKept(ctx, out)
}

// forget drops slots a renewal found expired in the store: they are no
// longer this worker's (another worker may hold them now).
func (sh *sharedCoord) forget(lost []int64) {
	if len(lost) == 0 {
		return
	}
	sh.mu.Lock()
	defer sh.mu.Unlock()
	for _, id := range lost {
		host, ok := sh.slots[id]
		if !ok {
			continue
		}
		delete(sh.slots, id)
		ks := sh.kept[host]
		for i, k := range ks {
			if k.id == id {
				ks = append(ks[:i:i], ks[i+1:]...)
				break
			}
		}
		if len(ks) == 0 {
			delete(sh.kept, host)
		} else {
			sh.kept[host] = ks
		}
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
	t := time.NewTicker(stickyCheck / 5)
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
				sh.sf.Do("\x00check", func() (any, error) {
					sh.checkHosts(ctx, sc)
					return nil, nil
				})
			}
			sh.sweepSlots(ctx, false)
		}
	}
}
