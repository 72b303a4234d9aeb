package sqlite

import (
	"testing"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/storetest"
)

// TestContract runs the store contract suite shared with the PostgreSQL store.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T) scruple.Store {
		s, err := OpenWith(t.TempDir(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	})
}
