package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

func pageCases() []Case {
	return []Case{
		{"RecordsAfter/pages", testRecordsAfter},
		{"HostStates", testHostStates},
	}
}

// testRecordsAfter pages through five records two at a time: every record
// once, in ID order, and an empty page at the end.
func testRecordsAfter(t *testing.T, s scruple.Store) {
	p, ok := s.(scruple.RecordPager)
	if !ok {
		t.Skip("store does not implement scruple.RecordPager")
	}
	now := time.Now()
	for i := range 5 {
		enqueue(t, s, item("a.test", fmt.Sprint(i)))
	}
	for _, it := range lease(t, s, host("a.test"), 5, now) {
		commit(t, s, scruple.Outcome{Item: it, Record: page(it, "d"+it.URL)})
	}
	var seen []int64
	after := int64(0)
	for range 10 {
		got, err := p.RecordsAfter(bg, after, 2)
		if err != nil {
			t.Fatalf("RecordsAfter: %v", err)
		}
		if len(got) == 0 {
			break
		}
		if len(got) > 2 {
			t.Fatalf("RecordsAfter(limit 2) returned %d records", len(got))
		}
		for _, r := range got {
			if r.ID <= after {
				t.Fatalf("record id %d not after cursor %d", r.ID, after)
			}
			after = r.ID
			seen = append(seen, r.ID)
			if r.Text == "" || r.URL == "" {
				t.Fatalf("record %d read back empty", r.ID)
			}
		}
	}
	if len(seen) != 5 {
		t.Fatalf("paged %d records, want 5", len(seen))
	}
}

func testHostStates(t *testing.T, s scruple.Store) {
	l, ok := s.(scruple.HostLister)
	if !ok {
		t.Skip("store does not implement scruple.HostLister")
	}
	now := time.Now()
	enqueue(t, s, item("a.test", "1"), item("a.test", "2"), item("a.test", "3"), item("b.test", "1"))
	got := lease(t, s, host("a.test"), 1, now)
	commit(t, s, scruple.Outcome{Item: got[0], Record: page(got[0], "d1")})
	hs, err := l.HostStates(bg, 10)
	if err != nil {
		t.Fatalf("HostStates: %v", err)
	}
	want := []scruple.HostState{{Host: host("a.test"), Queued: 2, Done: 1}, {Host: host("b.test"), Queued: 1}}
	if fmt.Sprint(hs) != fmt.Sprint(want) {
		t.Fatalf("HostStates = %v, want %v", hs, want)
	}
	if hs, _ := l.HostStates(bg, 1); len(hs) != 1 {
		t.Fatalf("HostStates(limit 1) returned %d hosts", len(hs))
	}
}
