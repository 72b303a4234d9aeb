package crawler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/sqlite"
)

// onlyPoliteness is a store that shares politeness but neither the
// robots.txt cache nor lease renewal: crawling it as one process's store
// would let two workers fetch robots.txt twice and lose leases silently.
type onlyPoliteness struct{ scruple.Store }

func (onlyPoliteness) TakeSlot(context.Context, string, int, time.Duration) (int64, time.Duration, error) {
	return 1, 0, nil
}
func (onlyPoliteness) ReleaseSlot(context.Context, string, int64, time.Duration, time.Duration, bool, bool, time.Duration) error {
	return nil
}
func (onlyPoliteness) RenewSlots(context.Context, map[int64]string) ([]int64, error) { return nil, nil }

var _ Politeness = onlyPoliteness{}

// TestPartialSharedStoreRefused: New fails loudly on a store that is only
// partly a SharedStore, naming what it lacks, instead of falling back to a
// single-process crawl.
func TestPartialSharedStoreRefused(t *testing.T) {
	st, err := sqlite.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := New(DefaultConfig("http://127.0.0.1:1/"), onlyPoliteness{st})
	if err == nil {
		c.client.Close()
		t.Fatal("a store with only Politeness was accepted")
	}
	if scruple.ErrorCode(err) != scruple.EINVALID || !strings.Contains(err.Error(), "SharedRobots false") {
		t.Fatalf("error does not say what the store lacks: %v", err)
	}
	// The same store without the shared part is a local store.
	c, err = New(DefaultConfig("http://127.0.0.1:1/"), st)
	if err != nil {
		t.Fatal(err)
	}
	c.client.Close()
}
