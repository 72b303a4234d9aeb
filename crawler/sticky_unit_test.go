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

// TestStickyStaleKeptSlotNotReused: a kept slot whose vouching or store
// expiry has lapsed since it was kept (the worker paused) is given back by
// reuse, never reused; a fresh one is reused. Times are set, not waited for.
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
	if k, ok := sh.reuse(ctx, host); !ok || k.id != 1 || len(st.released) != 0 {
		t.Fatalf("fresh slot: reuse = %v %v, released %v", k, ok, st.released)
	}

	// Vouching lapsed: granted and last vouched more than stickyHold ago.
	sh, st = newSh()
	old := now.Add(-2 * stickyHold)
	sh.vouch[host] = hostVouch{at: old, checked: old}
	sh.kept[host] = []keptSlot{{id: 2, granted: old, idle: now}, {id: 3, granted: now.Add(-time.Hour), idle: now}}
	if k, ok := sh.reuse(ctx, host); ok {
		t.Fatalf("stale slot reused: %v", k)
	}
	if len(st.released) != 2 || sh.hasKept(host) {
		t.Fatalf("stale slots not given back: released %v, kept %v", st.released, sh.kept)
	}

	// Vouched just now, but the store set the slot's expiry more than half a
	// TTL ago (no renewal since): past the bound however recent the check.
	sh, st = newSh()
	sh.vouch[host] = hostVouch{at: now, checked: now}
	granted := now.Add(-sh.ttl/2 - time.Millisecond)
	sh.renewed = granted.Add(-time.Second)
	sh.kept[host] = []keptSlot{{id: 4, granted: granted, idle: now}}
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
	if k, ok := sh.reuse(ctx, host); ok {
		t.Fatalf("slot idle across a pause reused: %v", k)
	}
	if len(st.released) != 1 || st.released[0] != 6 {
		t.Fatalf("idle slot not given back: %v", st.released)
	}
}
