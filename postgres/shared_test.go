package postgres

import (
	"context"
	"slices"
	"testing"
	"time"
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
