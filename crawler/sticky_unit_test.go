package crawler

import (
	"context"
	"sync"
	"testing"
	"time"
)

// releaseRecorder is a SharedStore that records the slots given back.
type releaseRecorder struct {
	SharedStore
	mu       sync.Mutex
	released []int64
}

func (r *releaseRecorder) ReleaseSlot(_ context.Context, _ string, slot int64, _, _ time.Duration, _, _ bool, _ time.Duration) error {
	r.mu.Lock()
	r.released = append(r.released, slot)
	r.mu.Unlock()
	return nil
}

// TestStickyStaleKeptSlotNotReused: a kept slot whose store expiry bound has
// passed since it was kept (the worker paused), that idled past stickyIdle,
// or that a renewal found lost is given back (or forgotten) by reuse, never
// reused; one whose vouching lapsed is kept but not reused without a check;
// a fresh one is reused. Times are set, not waited for.
func TestStickyStaleKeptSlotNotReused(t *testing.T) {
	const host = "h.example"
	ctx := context.Background()
	newSh := func() (*sharedCoord, *releaseRecorder) {
		st := &releaseRecorder{}
		sh := &sharedCoord{st: st, ttl: 30 * time.Second, slots: map[int64]string{},
			kept: map[string][]keptSlot{}, vouch: map[string]hostVouch{}}
		return sh, st
	}
	now := time.Now()

	// Fresh: granted just now.
	sh, st := newSh()
	sh.kept[host] = []keptSlot{{id: 1, granted: now, idle: now}}
	sh.slots[1] = host
	if k, ok := sh.reuse(ctx, host); !ok || k.id != 1 || len(st.released) != 0 {
		t.Fatalf("fresh slot: reuse = %v %v, released %v", k, ok, st.released)
	}

	// Vouching lapsed: granted and last vouched more than stickyHold ago:
	// kept, not reused (this store answers no checks). Past the expiry
	// bound: given back.
	sh, st = newSh()
	old := now.Add(-2 * stickyHold)
	sh.vouch[host] = hostVouch{at: old, checked: old}
	sh.kept[host] = []keptSlot{{id: 2, granted: old, idle: now}, {id: 3, granted: now.Add(-time.Hour), idle: now}}
	sh.slots[2], sh.slots[3] = host, host
	if k, ok := sh.reuse(ctx, host); ok {
		t.Fatalf("lapsed or stale slot reused: %v", k)
	}
	if len(st.released) != 1 || st.released[0] != 3 {
		t.Fatalf("stale slot not given back: released %v", st.released)
	}
	if ks := sh.kept[host]; len(ks) != 1 || ks[0].id != 2 {
		t.Fatalf("lapsed slot not kept: %v", sh.kept)
	}

	// Lost: a renewal found it expired in the store. Forgotten, never
	// reused, never given back (it may be another worker's now).
	sh, st = newSh()
	sh.vouch[host] = hostVouch{at: now, checked: now}
	sh.kept[host] = []keptSlot{{id: 7, granted: now, idle: now}}
	sh.slots[7] = host
	sh.forget([]int64{7})
	if k, ok := sh.reuse(ctx, host); ok || len(st.released) != 0 || len(sh.slots) != 0 || sh.hasKept(host) {
		t.Fatalf("lost slot: reuse = %v %v, released %v, slots %v", k, ok, st.released, sh.slots)
	}

	// Vouched just now, but the store set the slot's expiry more than half a
	// TTL ago (no renewal since): past the bound however recent the check.
	sh, st = newSh()
	sh.vouch[host] = hostVouch{at: now, checked: now}
	granted := now.Add(-sh.ttl/2 - time.Millisecond)
	sh.renewed = granted.Add(-time.Second)
	sh.kept[host] = []keptSlot{{id: 4, granted: granted, idle: now}}
	sh.slots[4] = host
	if k, ok := sh.reuse(ctx, host); ok {
		t.Fatalf("slot past the expiry bound reused: %v", k)
	}
	if len(st.released) != 1 || st.released[0] != 4 {
		t.Fatalf("slot past the expiry bound not given back: %v", st.released)
	}

	// The same slot renewed recently is reused.
	sh, st = newSh()
	sh.vouch[host] = hostVouch{at: now, checked: now}
	sh.renewed = now.Add(-time.Second)
	sh.kept[host] = []keptSlot{{id: 5, granted: granted, idle: now}}
	sh.slots[5] = host
	if k, ok := sh.reuse(ctx, host); !ok || k.id != 5 || len(st.released) != 0 {
		t.Fatalf("renewed slot: reuse = %v %v, released %v", k, ok, st.released)
	}

	// Renewed and vouched just now, but idle since long before (a pause:
	// the store may have dropped it, and a renewal skips dropped slots).
	sh, st = newSh()
	sh.vouch[host] = hostVouch{at: now, checked: now}
	sh.renewed = now
	long := now.Add(-2 * sh.ttl)
	sh.kept[host] = []keptSlot{{id: 6, granted: now, idle: long}}
	sh.slots[6] = host
	if k, ok := sh.reuse(ctx, host); ok {
		t.Fatalf("slot idle across a pause reused: %v", k)
	}
	if len(st.released) != 1 || st.released[0] != 6 {
		t.Fatalf("idle slot not given back: %v", st.released)
	}
}
