package postgres

import (
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// TestContendedHosts: a TakeSlot refused because every slot of the host is
// taken stamps the host as wanted, and a 429 released by any worker puts it in
// backoff; ContendedHosts reports both to the workers holding slots (so that
// a worker keeping slots between requests gives them back) and nothing else.
func TestContendedHosts(t *testing.T) {
	ctx := context.Background()
	name := crawlName(t)
	a := openCrawl(t, name, Options{})
	b := openCrawl(t, name, Options{})
	const window = time.Minute
	hosts := []string{"w.test:80", "free.test:80", "slow.test:80"}

	// a holds the one slot of w.test and of free.test; b wants w.test.
	var held []int64
	for _, h := range hosts[:2] {
		slot, _, err := a.TakeSlot(ctx, h, 1, 0)
		if err != nil || slot == 0 {
			t.Fatalf("a.TakeSlot(%s) = %d, %v", h, slot, err)
		}
		held = append(held, slot)
	}
	if got, err := a.ContendedHosts(ctx, hosts, window); err != nil || len(got) != 0 {
		t.Fatalf("ContendedHosts before anyone waits = %v, %v", got, err)
	}
	if slot, _, err := b.TakeSlot(ctx, "w.test:80", 1, 0); err != nil || slot != 0 {
		t.Fatalf("b took the slot a holds: %d, %v", slot, err)
	}
	got, err := a.ContendedHosts(ctx, hosts, window)
	if err != nil || !slices.Equal(got, []string{"w.test:80"}) {
		t.Fatalf("ContendedHosts after b was refused w.test = %v, %v; want [w.test:80]", got, err)
	}
	// The stamp is old news after the window.
	time.Sleep(20 * time.Millisecond)
	if got, err := a.ContendedHosts(ctx, hosts, 10*time.Millisecond); err != nil || len(got) != 0 {
		t.Fatalf("ContendedHosts with a window shorter than the stamp's age = %v, %v", got, err)
	}
	// A refusal for spacing alone (a slot free) is no stamp: nobody holds
	// more than its share.
	if err := a.ReleaseSlot(ctx, "free.test:80", held[1], time.Hour, 0, false, true, 0); err != nil {
		t.Fatal(err)
	}
	if slot, _, err := b.TakeSlot(ctx, "free.test:80", 1, 0); err != nil || slot != 0 {
		t.Fatalf("b took a slot an hour of spacing forbids: %d, %v", slot, err)
	}
	// A 429 on slow.test, seen by b, is a backoff for every worker.
	slot, _, err := b.TakeSlot(ctx, "slow.test:80", 2, 0)
	if err != nil || slot == 0 {
		t.Fatalf("b.TakeSlot(slow.test) = %d, %v", slot, err)
	}
	if err := b.ReleaseSlot(ctx, "slow.test:80", slot, 0, 0, true, false, 0); err != nil {
		t.Fatal(err)
	}
	got, err = a.ContendedHosts(ctx, hosts, window)
	slices.Sort(got)
	if err != nil || !slices.Equal(got, []string{"slow.test:80", "w.test:80"}) {
		t.Fatalf("ContendedHosts after a 429 on slow.test = %v, %v; want slow.test and w.test", got, err)
	}
}

// TestTakeSlotsBatch: TakeSlots grants up to the wanted number of slots in
// one statement, never more than perHost live in all; only one while
// another worker was refused the host within wantedWindow; a refusal caused
// by the caller's own slots alone is no stamp; ReleaseSlots gives back
// several at once; RenewSlots renews live slots and reports expired ones as
// lost, without reviving them.
func TestTakeSlotsBatch(t *testing.T) {
	ctx := context.Background()
	name := crawlName(t)
	a := openCrawl(t, name, Options{})
	b := openCrawl(t, name, Options{})
	const h, h2 = "batch.test:80", "other.test:80"

	got, _, err := a.TakeSlots(ctx, h, 4, 0, 3, 0)
	if err != nil || len(got) != 3 {
		t.Fatalf("TakeSlots(want 3 of 4) = %v, %v", got, err)
	}
	more, _, err := a.TakeSlots(ctx, h, 4, 0, 4, 3)
	if err != nil || len(more) != 1 {
		t.Fatalf("TakeSlots(want 4, 3 held) = %v, %v; want the one left", more, err)
	}
	// Full with a's own slots: refused, and no stamp for a's own refusal.
	if none, wait, err := a.TakeSlots(ctx, h, 4, 0, 1, 4); err != nil || len(none) != 0 || wait <= 0 {
		t.Fatalf("TakeSlots on a host full of the caller's slots = %v (wait %v), %v", none, wait, err)
	}
	if c, err := a.ContendedHosts(ctx, []string{h}, time.Minute); err != nil || len(c) != 0 {
		t.Fatalf("a worker's refusal by its own slots counted as a waiter: %v, %v", c, err)
	}
	// b is refused: a stamp.
	if none, _, err := b.TakeSlots(ctx, h, 4, 0, 2, 0); err != nil || len(none) != 0 {
		t.Fatalf("b took a slot of a full host: %v, %v", none, err)
	}
	if c, err := a.ContendedHosts(ctx, []string{h}, time.Minute); err != nil || len(c) != 1 {
		t.Fatalf("b's refusal not reported: %v, %v", c, err)
	}
	// Two given back in one statement; right after b's refusal, b is
	// granted one at a time however many it wants.
	if err := a.ReleaseSlots(ctx, map[int64]string{got[0]: h, got[1]: h}); err != nil {
		t.Fatal(err)
	}
	one, _, err := b.TakeSlots(ctx, h, 4, 0, 2, 0)
	if err != nil || len(one) != 1 {
		t.Fatalf("TakeSlots(want 2) within the wanted window = %v, %v; want 1", one, err)
	}

	// Renewal: live slots renewed, an expired one reported lost and not
	// revived (b then counts it free).
	short := openCrawl(t, name, Options{LeaseTTL: 50 * time.Millisecond})
	exp, _, err := short.TakeSlots(ctx, h2, 1, 0, 1, 0)
	if err != nil || len(exp) != 1 {
		t.Fatalf("TakeSlots(h2) = %v, %v", exp, err)
	}
	time.Sleep(100 * time.Millisecond)
	lost, err := a.RenewSlots(ctx, map[int64]string{got[2]: h, more[0]: h, exp[0]: h2})
	if err != nil || !slices.Equal(lost, []int64{exp[0]}) {
		t.Fatalf("RenewSlots lost = %v, %v; want [%d]", lost, err, exp[0])
	}
	if s, _, err := b.TakeSlots(ctx, h2, 1, 0, 1, 0); err != nil || len(s) != 1 {
		t.Fatalf("an expired slot was revived by a renewal: %v, %v", s, err)
	}
}

// TestLeaseHosts: one round trip leases up to n URLs of each host, in id
// order, and nothing of a host not asked for.
func TestLeaseHosts(t *testing.T) {
	ctx := context.Background()
	s := openCrawl(t, crawlName(t), Options{})
	var items []scruple.URLItem
	for _, h := range []string{"a.test", "b.test", "c.test"} {
		for i := range 5 {
			items = append(items, scruple.URLItem{URL: "http://" + h + "/" + strconv.Itoa(i), Host: h, Source: scruple.FromSeed})
		}
	}
	if _, err := s.Enqueue(ctx, items); err != nil {
		t.Fatal(err)
	}
	got, err := s.LeaseHosts(ctx, []string{"a.test", "b.test"}, 3, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{"a.test", "b.test"} {
		if len(got[h]) != 3 || got[h][0].URL != "http://"+h+"/0" || got[h][2].URL != "http://"+h+"/2" {
			t.Errorf("%s: leased %v", h, got[h])
		}
	}
	if len(got["c.test"]) != 0 {
		t.Errorf("c.test leased without being asked: %v", got["c.test"])
	}
	c, err := s.Lease(ctx, "c.test", 10, time.Now())
	if err != nil || len(c) != 5 {
		t.Fatalf("Lease(c.test) = %d items, %v", len(c), err)
	}
}
