package provenance

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// The streaming treeBuilder must compute exactly what tlog computes.
func TestTreeBuilderMatchesTlog(t *testing.T) {
	var b treeBuilder
	var stored hashList
	for n := int64(0); n < 300; n++ {
		data := []byte(fmt.Sprintf("entry %d", n))
		want, err := tlog.StoredHashes(n, data, stored)
		if err != nil {
			t.Fatal(err)
		}
		got := b.add(data)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("entry %d: stored hashes differ", n)
		}
		stored = append(stored, want...)
		th, err := tlog.TreeHash(n+1, stored)
		if err != nil {
			t.Fatal(err)
		}
		if b.root() != th {
			t.Fatalf("size %d: root differs", n+1)
		}
	}
	var empty treeBuilder
	if th, _ := tlog.TreeHash(0, stored); empty.root() != th {
		t.Fatal("empty root differs")
	}
}

// AppendHashes over random batches gives what one-at-a-time StoredHashes
// gives.
func TestAppendHashesBatches(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	var stored hashList
	n := int64(0)
	for n < 500 {
		k := rng.IntN(40)
		var batch [][]byte
		for i := 0; i < k; i++ {
			batch = append(batch, []byte(fmt.Sprintf("e%d", n+int64(i))))
		}
		idx, hs, err := AppendHashes(n, batch, stored)
		if err != nil {
			t.Fatal(err)
		}
		if k > 0 && idx[0] != int64(len(stored)) {
			t.Fatalf("batch at %d starts at stored index %d, want %d", n, idx[0], len(stored))
		}
		ref := append(hashList(nil), stored...)
		for i, e := range batch {
			h, err := tlog.StoredHashes(n+int64(i), e, ref)
			if err != nil {
				t.Fatal(err)
			}
			ref = append(ref, h...)
		}
		if fmt.Sprint(ref[len(stored):]) != fmt.Sprint(hs) {
			t.Fatalf("batch at %d: hashes differ", n)
		}
		stored = append(stored, hs...)
		n += int64(k)
	}
	m := NewMemLog()
	var entries [][]byte
	for i := int64(0); i < n; i++ {
		entries = append(entries, []byte(fmt.Sprintf("e%d", i)))
	}
	if _, err := m.AppendEntries(context.Background(), entries); err != nil {
		t.Fatal(err)
	}
	want, _ := tlog.TreeHash(n, stored)
	got, err := TreeHash(context.Background(), m, n)
	if err != nil || got != want {
		t.Fatalf("TreeHash over MemLog: %v", err)
	}
}
