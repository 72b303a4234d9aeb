package provenance

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

func TestSignVerifyStore(t *testing.T) {
	ctx := context.Background()
	signer, vkey := testKey(t, "scruple-a")
	s := newMemStore()
	// An empty log signs and verifies.
	if _, size, err := Sign(ctx, s, signer); err != nil || size != 0 {
		t.Fatalf("sign empty: %v %d", err, size)
	}
	if err := VerifyStore(ctx, s, vkey); err != nil {
		t.Fatal(err)
	}
	fill(t, s, 0, 3000)
	msg, size, err := Sign(ctx, s, signer)
	if err != nil || size != 3000 {
		t.Fatal(err, size)
	}
	tree, err := OpenCheckpoint(msg, vkey)
	if err != nil || tree.N != 3000 {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(msg), "scruple-a\n3000\n") {
		t.Errorf("checkpoint text %q", msg)
	}
	// Re-signing an unchanged log stores nothing new.
	n0 := len(s.checkpoints)
	if _, _, err := Sign(ctx, s, signer); err != nil || len(s.checkpoints) != n0 {
		t.Fatalf("re-sign: %v, %d checkpoints", err, len(s.checkpoints))
	}
	fill(t, s, 3000, 10) // entries after the checkpoint are fine
	if err := VerifyStore(ctx, s, vkey); err != nil {
		t.Fatal(err)
	}
	_, other := testKey(t, "scruple-a")
	if err := VerifyStore(ctx, s, other); err == nil || !strings.Contains(err.Error(), "not signed by key") {
		t.Fatalf("wrong key: %v", err)
	}
}

func TestVerifyStoreCorruption(t *testing.T) {
	ctx := context.Background()
	signer, vkey := testKey(t, "scruple-a")
	build := func() *memStore {
		s := newMemStore()
		fill(t, s, 0, 2500)
		if _, _, err := Sign(ctx, s, signer); err != nil {
			t.Fatal(err)
		}
		return s
	}
	cases := []struct {
		name   string
		tamper func(s *memStore)
		want   string
	}{
		{"entry edited", func(s *memStore) { s.entries[1234] = append([]byte(nil), s.entries[1234]...); s.entries[1234][20] ^= 1 },
			"log corrupt at entry 1234"},
		{"leaf hash edited", func(s *memStore) { s.hashes[tlog.StoredHashIndex(0, 2001)][0] ^= 1 }, "log corrupt at entry 2001"},
		{"interior hash edited", func(s *memStore) { s.hashes[tlog.StoredHashIndex(1, 7)][0] ^= 1 }, "log corrupt at entry 15"},
		{"truncated", func(s *memStore) { s.entries = s.entries[:2000] }, "log truncated"},
		{"rewritten consistently", func(s *memStore) {
			// Rebuild the whole log with one entry changed: hashes agree
			// with entries, only the checkpoint tells.
			e := append([][]byte(nil), s.entries...)
			e[10] = []byte(`{"kind":"record","url":"forged"}`)
			s.entries, s.hashes = nil, nil
			s.AppendEntries(ctx, e)
		}, "does not match its checkpoint"},
		{"checkpoint altered", func(s *memStore) {
			c := &s.checkpoints[len(s.checkpoints)-1]
			c.note = []byte(strings.Replace(string(c.note), "2500", "2499", 1))
		}, "latest checkpoint"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := build()
			c.tamper(s)
			err := VerifyStore(ctx, s, vkey)
			if err == nil || !strings.Contains(err.Error(), c.want) || !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want %q", err, c.want)
			}
		})
	}
	// Sign refuses to sign over a rewritten log.
	s := build()
	e := append([][]byte(nil), s.entries...)
	e[3] = []byte(`{"kind":"record","url":"forged"}`)
	s.entries, s.hashes = nil, nil
	s.AppendEntries(ctx, e)
	if _, _, err := Sign(ctx, s, signer); err == nil || !strings.Contains(err.Error(), "not an extension") {
		t.Fatalf("sign over a fork: %v", err)
	}
}

func TestMemLogConcurrent(t *testing.T) {
	ctx := context.Background()
	signer, vkey := testKey(t, "k")
	m := NewMemLog()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if _, err := m.AppendEntries(ctx, [][]byte{[]byte("a"), []byte("b")}); err != nil {
					t.Error(err)
				}
				if i%10 == 0 {
					if _, _, err := Sign(ctx, m, signer); err != nil {
						t.Error(err)
					}
				}
				m.Entries(ctx, 0, 5, func(int64, []byte) error { return nil })
			}
		}()
	}
	wg.Wait()
	if n, _ := m.LogSize(ctx); n != 800 {
		t.Fatalf("size %d", n)
	}
	if err := VerifyStore(ctx, m, vkey); err != nil {
		t.Fatal(err)
	}
}
