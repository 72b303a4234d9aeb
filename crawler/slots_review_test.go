package crawler

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// reviewStore is a SharedStore fake: ContendedHosts can be held back,
// TakeSlots can be slow, and every call is counted.
type reviewStore struct {
	SharedStore
	mu        sync.Mutex
	entered   chan struct{} // closed when ContendedHosts was entered
	answer    chan struct{} // ContendedHosts answers (clear) when closed
	takeDelay time.Duration
	takes     int
	released  []int64
	nextID    int64
}

func (r *reviewStore) ContendedHosts(_ context.Context, _ []string, _ time.Duration) ([]string, error) {
	if r.entered != nil {
		close(r.entered)
		<-r.answer
	}
	return nil, nil // the query ran before the 429 reached the store
}
func (r *reviewStore) ReleaseSlot(_ context.Context, _ string, slot int64, _, _ time.Duration, _, _ bool, _ time.Duration) error {
	r.mu.Lock()
	r.released = append(r.released, slot)
	r.mu.Unlock()
	return nil
}
func (r *reviewStore) ReleaseSlots(_ context.Context, slots map[int64]string) error {
	r.mu.Lock()
	for id := range slots {
		r.released = append(r.released, id)
	}
	r.mu.Unlock()
	return nil
}
func (r *reviewStore) TakeSlots(_ context.Context, _ string, _ int, _ time.Duration, want, _ int) ([]int64, time.Duration, error) {
	time.Sleep(r.takeDelay)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.takes++
	var out []int64
	for range want {
		r.nextID++
		out = append(out, r.nextID)
	}
	return out, 0, nil
}
func (r *reviewStore) TakeSlot(ctx context.Context, h string, p int, sp time.Duration) (int64, time.Duration, error) {
	s, w, err := r.TakeSlots(ctx, h, p, sp, 1, 0)
	if len(s) == 0 {
		return 0, w, err
	}
	return s[0], 0, err
}

func reviewCoord(st SharedStore, perHost, conc int) *sharedCoord {
	c := &Crawler{s: &settings{Config: Config{PerHost: perHost, Concurrency: conc, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}}}
	return &sharedCoord{c: c, st: st, ttl: 30 * time.Second, held: map[int64]bool{}, slots: map[int64]string{},
		kept: map[string][]keptSlot{}, vouch: map[string]hostVouch{}, taking: map[string]*hostTake{}, local: map[string]robotsEntry{}}
}

// A worker's own 429 must make it give back its kept slots of the host
// at once ("its own 429s release at once"). A check sent just before the 429
// and answered just after it overwrites the yield keep() set.
func TestOwn429NotUndoneByStaleCheck(t *testing.T) {
	const host = "h.test"
	ctx := context.Background()
	st := &reviewStore{entered: make(chan struct{}), answer: make(chan struct{})}
	sh := reviewCoord(st, 2, 8)
	now := time.Now()
	sh.slots[1], sh.slots[2] = host, host // 1 in flight, 2 kept
	sh.kept[host] = []keptSlot{{id: 2, granted: now, idle: now}}
	sh.vouch[host] = hostVouch{at: now, checked: now}

	done := make(chan struct{})
	go func() { defer close(done); sh.checkHosts(ctx, st) }() // sweepKept's periodic check
	<-st.entered
	// The request on slot 1 gets a 429.
	sh.releaser(ctx, host, 1, now)(sendResult{sent: true, slowDown: true, retryAfter: time.Minute})
	close(st.answer) // the check, run before the 429 reached the store, says "clear"
	<-done
	if k, ok := sh.reuse(ctx, host); ok {
		t.Errorf("slot %d reused right after this worker's own 429 on the host (vouch %+v)", k.id, sh.vouch[host])
	}
}

// Slots taken together with the request's own (parkUnused) are parked
// with idle = the time *before* TakeSlots was sent; when TakeSlots takes more
// than stickyIdle (a loaded store), they are stale on arrival: the next
// request of the host gives them back and takes again.
func TestParkedSlotsIdleFromArrival(t *testing.T) {
	const host = "h.test"
	ctx := context.Background()
	st := &reviewStore{takeDelay: stickyIdle + 50*time.Millisecond}
	sh := reviewCoord(st, 4, 8)
	rel, _, err := sh.acquire(ctx, host, 0, false, 4) // takes 4 at once, 3 parked
	if err != nil || rel == nil {
		t.Fatal(err)
	}
	if n := len(sh.kept[host]); n != 3 {
		t.Fatalf("%d parked, want 3", n)
	}
	st.takeDelay = 0
	rel2, _, err := sh.acquire(ctx, host, 0, false, 4) // the host's next request, at once
	if err != nil || rel2 == nil {
		t.Fatal(err)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.takes != 1 || len(st.released) != 0 {
		t.Errorf("next request: %d takes, released unused parked slots %v; want 1 take, none released", st.takes, st.released)
	}
}
