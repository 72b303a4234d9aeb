package postgres

import (
	"context"
	"strings"
	"testing"
)

// TestStatsLine: the benchmark counters (SCRUPLE_PGSTATS) count the slot
// calls and the pool's acquires.
func TestStatsLine(t *testing.T) {
	ctx := context.Background()
	a := openCrawl(t, crawlName(t), Options{})
	slot, _, err := a.TakeSlot(ctx, "stats.test:80", 1, 0)
	if err != nil || slot == 0 {
		t.Fatalf("TakeSlot = %d, %v", slot, err)
	}
	if slot2, _, err := a.TakeSlot(ctx, "stats.test:80", 1, 0); err != nil || slot2 != 0 {
		t.Fatalf("second TakeSlot = %d, %v", slot2, err)
	}
	if err := a.ReleaseSlot(ctx, "stats.test:80", slot, 0, 0, false, true, 0); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	a.writeStats(&b)
	line := b.String()
	for _, want := range []string{"pgstats pool_max=", " take_calls=2 ", " slots_taken=1 ", " take_refused_full=1 ", " slots_released=1 "} {
		if !strings.Contains(line, want) {
			t.Errorf("stats line %q lacks %q", line, want)
		}
	}
	if strings.Count(line, "\n") != 1 {
		t.Errorf("stats line %q is not one line", line)
	}
}
