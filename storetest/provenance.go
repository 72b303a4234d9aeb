package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/scruple/scruple"
)

func logCases() []Case {
	return []Case{
		{"Log/append-entries-hashes", testLogAppend},
		{"Log/checkpoints", testLogCheckpoints},
	}
}

// memHashes is an in-memory tlog: the reference the store's stored hashes
// are compared with.
type memHashes []tlog.Hash

func (m memHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(m)) {
			return nil, fmt.Errorf("memHashes: no hash %d", x)
		}
		out[i] = m[x]
	}
	return out, nil
}

func (m *memHashes) append(n int64, data []byte) error {
	hs, err := tlog.StoredHashes(n, data, *m)
	if err != nil {
		return err
	}
	*m = append(*m, hs...)
	return nil
}

// storeHashes adapts a store's ReadHashes to tlog.HashReader.
type storeHashes struct {
	ctx context.Context
	s   scruple.ProvenanceLog
}

func (r storeHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	hs, err := r.s.ReadHashes(r.ctx, indexes)
	if err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(hs))
	for i, h := range hs {
		out[i] = tlog.Hash(h)
	}
	return out, nil
}

// CheckLog verifies that the store's log holds want, in order, and that its
// stored hashes and tree hashes at every size equal what tlog computes over
// want. Store-specific tests use it too (concurrent writers).
func CheckLog(t *testing.T, s scruple.ProvenanceLog, want [][]byte) {
	t.Helper()
	n, err := s.LogSize(bg)
	if err != nil || n != int64(len(want)) {
		t.Fatalf("LogSize = %d, %v; want %d", n, err, len(want))
	}
	var mem memHashes
	for i, e := range want {
		if err := mem.append(int64(i), e); err != nil {
			t.Fatal(err)
		}
	}
	var got [][]byte
	err = s.Entries(bg, 0, n, func(i int64, data []byte) error {
		if i != int64(len(got)) {
			return fmt.Errorf("entry index %d, want %d", i, len(got))
		}
		got = append(got, bytes.Clone(data))
		return nil
	})
	if err != nil {
		t.Fatalf("Entries: %v", err)
	}
	for i := range want {
		if i >= len(got) || !bytes.Equal(got[i], want[i]) {
			t.Fatalf("entry %d = %q, want %q", i, got[min(i, len(got)-1)], want[i])
		}
	}
	idx := make([]int64, len(mem))
	for i := range idx {
		idx[i] = int64(i)
	}
	stored, err := s.ReadHashes(bg, idx)
	if err != nil {
		t.Fatalf("ReadHashes: %v", err)
	}
	for i := range mem {
		if tlog.Hash(stored[i]) != mem[i] {
			t.Fatalf("stored hash %d differs from tlog.StoredHashes", i)
		}
	}
	for size := int64(1); size <= n; size++ {
		wantRoot, err := tlog.TreeHash(size, mem)
		if err != nil {
			t.Fatal(err)
		}
		gotRoot, err := tlog.TreeHash(size, storeHashes{bg, s})
		if err != nil {
			t.Fatalf("TreeHash(%d) through the store: %v", size, err)
		}
		if gotRoot != wantRoot {
			t.Fatalf("tree hash at size %d differs", size)
		}
	}
}

func testLogAppend(t *testing.T, s scruple.Store) {
	if n := logSize(t, s); n != 0 {
		t.Fatalf("LogSize of an empty store = %d", n)
	}
	if first, err := s.AppendEntries(bg, nil); err != nil || first != 0 {
		t.Fatalf("AppendEntries(nil) = %d, %v", first, err)
	}
	entry := func(i int) []byte { return fmt.Appendf(nil, `{"entry":%d}`, i) }
	var want [][]byte
	enqueue(t, s, items("a.test", 20)...)
	now := time.Now()
	// Entries from commits (with a retry outcome carrying none) and from
	// AppendEntries interleave in one order.
	for round := range 4 {
		got := lease(t, s, host("a.test"), 5, now)
		var outs []scruple.Outcome
		for i, it := range got {
			o := done(it)
			if i == 2 {
				it.Attempts++
				it.NotBefore = now.Add(time.Hour)
				o = scruple.Outcome{Item: it, Retry: true}
			} else {
				o.Entry = entry(len(want))
				want = append(want, o.Entry)
			}
			outs = append(outs, o)
		}
		commit(t, s, outs...)
		extra := [][]byte{entry(len(want)), entry(len(want) + 1), entry(len(want) + 2)}
		first, err := s.AppendEntries(bg, extra[:round%3+1])
		if err != nil || first != int64(len(want)) {
			t.Fatalf("AppendEntries = %d, %v; want first index %d", first, err, len(want))
		}
		want = append(want, extra[:round%3+1]...)
	}
	CheckLog(t, s, want)

	// A sub-range, and a callback error stops the walk.
	var sub []int64
	if err := s.Entries(bg, 3, 7, func(i int64, _ []byte) error { sub = append(sub, i); return nil }); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(sub) != "[3 4 5 6]" {
		t.Fatalf("Entries(3, 7) visited %v", sub)
	}
	calls := 0
	if err := s.Entries(bg, 0, 5, func(int64, []byte) error { calls++; return errStop }); !errors.Is(err, errStop) || calls != 1 {
		t.Fatalf("Entries with a failing callback: %v after %d calls", err, calls)
	}
	if err := s.Entries(bg, 5, 5, func(int64, []byte) error { return errStop }); err != nil {
		t.Fatalf("Entries of an empty range: %v", err)
	}
}

func testLogCheckpoints(t *testing.T, s scruple.Store) {
	size, note, err := s.LatestCheckpoint(bg)
	if err != nil || size != 0 || note != nil {
		t.Fatalf("LatestCheckpoint of an empty store = %d, %q, %v", size, note, err)
	}
	if _, err := s.AppendEntries(bg, [][]byte{[]byte("a"), []byte("b"), []byte("c"), []byte("d"), []byte("e")}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		size int64
		note string
	}{{5, "note five"}, {3, "note three"}} {
		if err := s.SaveCheckpoint(bg, c.size, []byte(c.note)); err != nil {
			t.Fatal(err)
		}
	}
	size, note, err = s.LatestCheckpoint(bg)
	if err != nil || size != 5 || string(note) != "note five" {
		t.Fatalf("LatestCheckpoint = %d, %q, %v; want the largest size", size, note, err)
	}
	// Saving again for a size replaces the note (a re-signed checkpoint).
	if err := s.SaveCheckpoint(bg, 5, []byte("note five, again")); err != nil {
		t.Fatal(err)
	}
	size, note, err = s.LatestCheckpoint(bg)
	if err != nil || size != 5 || string(note) != "note five, again" {
		t.Fatalf("LatestCheckpoint after re-saving = %d, %q, %v", size, note, err)
	}
}
