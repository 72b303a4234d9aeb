package postgres

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// RenewSlots must report an expired slot as lost even when the caller
// holds another live slot of the same host (the doc: "an expired slot is
// never renewed ... RenewSlots reports it lost").
func TestRenewSlotsExpiredBesideLive(t *testing.T) {
	ctx := context.Background()
	name := crawlName(t)
	a := openCrawl(t, name, Options{})                                    // 30 s TTL
	short := openCrawl(t, name, Options{LeaseTTL: 50 * time.Millisecond}) // same worker process, short TTL stands for "paused past TTL"
	b := openCrawl(t, name, Options{})
	const h = "renew.test:80"

	x, _, err := short.TakeSlots(ctx, h, 2, 0, 1, 0) // X: expires in 50 ms
	if err != nil || len(x) != 1 {
		t.Fatal(x, err)
	}
	y, _, err := a.TakeSlots(ctx, h, 2, 0, 1, 1) // Y: live
	if err != nil || len(y) != 1 {
		t.Fatal(y, err)
	}
	time.Sleep(100 * time.Millisecond)
	lost, err := a.RenewSlots(ctx, map[int64]string{x[0]: h, y[0]: h})
	if err != nil {
		t.Fatal(err)
	}
	if len(lost) != 1 || lost[0] != x[0] {
		t.Errorf("RenewSlots lost = %v; want [%d] (X expired 50 ms ago)", lost, x[0])
	}
	// The caller now believes it holds X and Y (2 of --per-host 2), yet the
	// store counts only Y: another worker is granted a slot.
	if got, _, err := b.TakeSlots(ctx, h, 2, 0, 1, 0); err == nil && len(got) == 1 && len(lost) == 0 {
		t.Errorf("worker b granted slot %d while the caller was told it still holds X and Y: 3 in flight with --per-host 2", got[0])
	}
}

// LeaseHosts takes back a dead worker's expired leases and
// honours not_before, like Lease.
func TestLeaseHostsDeadWorker(t *testing.T) {
	ctx := context.Background()
	name := crawlName(t)
	dead := openCrawl(t, name, Options{LeaseTTL: 50 * time.Millisecond, WorkerID: "dead"})
	a := openCrawl(t, name, Options{WorkerID: "alive"})
	items := []scruple.URLItem{{URL: "http://d.test/1", Host: "d.test", Source: scruple.FromSeed},
		{URL: "http://e.test/1", Host: "e.test", Source: scruple.FromSeed, NotBefore: time.Now().Add(time.Hour)}}
	if _, err := dead.Enqueue(ctx, items); err != nil {
		t.Fatal(err)
	}
	if got, err := dead.Lease(ctx, "d.test", 5, time.Now()); err != nil || len(got) != 1 {
		t.Fatal(got, err)
	}
	time.Sleep(100 * time.Millisecond)
	hosts, err := a.ReadyHosts(ctx, time.Now(), 10, nil)
	if err != nil || !slices.Contains(hosts, "d.test") {
		t.Fatalf("ReadyHosts = %v, %v", hosts, err)
	}
	got, err := a.LeaseHosts(ctx, []string{"d.test", "e.test"}, 5, time.Now())
	if err != nil || len(got["d.test"]) != 1 || len(got["e.test"]) != 0 {
		t.Fatalf("LeaseHosts = %v, %v", got, err)
	}
}
