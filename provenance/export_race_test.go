package provenance

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/scruple/scruple"
)

// purgingStore runs a purge (as a consent command in another process would)
// while the export is reading records, the first time Records is called.
type purgingStore struct {
	*memStore
	purge func()
}

func (s *purgingStore) Records(ctx context.Context, fn func(*scruple.Record) error) error {
	// Export has signed and read the log by now.
	if p := s.purge; p != nil {
		s.purge = nil
		p()
	}
	return s.memStore.Records(ctx, fn)
}

// TestExportDuringPurge is issue 10 item 7: a consent command that purges a
// record while an export runs must not make the bundle fail verification
// (the record as read would no longer match the entries the checkpoint
// signs, or the other way round).
func TestExportDuringPurge(t *testing.T) {
	tests := []struct {
		name   string
		delete bool
	}{{"rewrite", false}, {"delete", true}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signer, vkey := testKey(t, "scruple-test")
			ms := newMemStore()
			fill(t, ms, 0, 20)
			st := &purgingStore{memStore: ms}
			var recs []*scruple.Record
			ms.Records(context.Background(), func(r *scruple.Record) error { recs = append(recs, r); return nil })
			last := recs[len(recs)-1]
			st.purge = func() {
				var r *scruple.Record
				if !tt.delete {
					c := *last
					c.Text, c.Findings = "[purged]", nil
					r = &c
				}
				if err := ms.replace(context.Background(), last.URL, r, "consent withdrawn"); err != nil {
					t.Fatal(err)
				}
			}
			dir := filepath.Join(t.TempDir(), "bundle")
			if _, err := Export(context.Background(), st, signer, vkey, dir); err != nil {
				t.Fatal(err)
			}
			rep := mustVerify(t, dir, vkey)
			if !rep.OK() {
				t.Fatalf("bundle exported during a purge does not verify: %v", rep.Problems)
			}
		})
	}
}
