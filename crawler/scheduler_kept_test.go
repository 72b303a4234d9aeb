package crawler

import (
	"context"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// keptCoord is a coordinator whose hasKept answers from a set.
type keptCoord struct {
	coordinator
	kept map[string]bool
}

func (k keptCoord) hasKept(host string) bool { return k.kept[host] }

// TestSchedKeptHostsDoNotStarveOthers: at zero spacing, hosts with kept
// slots are preferred, but never more than maxKeptRun times in a row while
// another host is eligible.
func TestSchedKeptHostsDoNotStarveOthers(t *testing.T) {
	c := &Crawler{s: &settings{}, coord: keptCoord{kept: map[string]bool{"a": true, "b": true}}}
	c.s.Concurrency = 1
	c.s.PerHost = 1
	sc := &scheduler{c: c, hosts: map[string]*hostState{}, budget: -1}
	for _, k := range []string{"a", "b", "c"} {
		h := sc.host(k)
		for i := 0; i < 100; i++ {
			h.queue = append(h.queue, scruple.URLItem{ID: int64(i)})
		}
	}
	jobs := make(chan job, 1)
	now := time.Now()
	run, maxRun, served := 0, 0, map[string]int{}
	for i := 0; i < 60; i++ {
		now = now.Add(time.Millisecond)
		sc.dispatch(now, jobs, context.Background())
		<-jobs
		var got *hostState
		for _, h := range sc.hosts {
			if h.inflight > 0 {
				got = h
			}
		}
		if got == nil {
			t.Fatal("nothing dispatched")
		}
		got.inflight--
		sc.inflight--
		served[got.key]++
		if got.key == "c" {
			run = 0
		} else if run++; run > maxRun {
			maxRun = run
		}
	}
	if maxRun > maxKeptRun || served["c"] == 0 || served["c"] < 60/(maxKeptRun+1) {
		t.Fatalf("kept hosts served %d in a row (max %d); served %v", maxRun, maxKeptRun, served)
	}
	if served["a"] == 0 || served["b"] == 0 || served["a"]+served["b"] < served["c"] {
		t.Fatalf("kept hosts not preferred: served %v", served)
	}
}
