package provenance

import (
	"context"
	"crypto/sha256"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/scruple/scruple"
)

// AppendHashes computes the tlog stored hashes for entries appended to a log
// of n entries, in sequence: entry i becomes log index n+i. r reads the hashes
// already stored; the hashes of earlier entries of the same batch are taken
// from the batch itself, so a store calls AppendHashes once per transaction
// and persists the returned (index, hash) pairs with its entries. indexes are
// consecutive, starting at tlog.StoredHashIndex(0, n).
func AppendHashes(n int64, entries [][]byte, r tlog.HashReader) (indexes []int64, hashes []tlog.Hash, err error) {
	if len(entries) == 0 {
		return nil, nil, nil
	}
	first := tlog.StoredHashIndex(0, n)
	overlay := tlog.HashReaderFunc(func(want []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(want))
		var old []int64
		var oldAt []int
		for i, idx := range want {
			if idx >= first {
				if k := idx - first; k < int64(len(hashes)) {
					out[i] = hashes[k]
					continue
				}
				return nil, fmt.Errorf("provenance: stored hash %d not yet computed", idx)
			}
			old = append(old, idx)
			oldAt = append(oldAt, i)
		}
		if len(old) > 0 {
			got, err := r.ReadHashes(old)
			if err != nil {
				return nil, err
			}
			if len(got) != len(old) {
				return nil, fmt.Errorf("provenance: hash reader returned %d hashes for %d indexes", len(got), len(old))
			}
			for k, i := range oldAt {
				out[i] = got[k]
			}
		}
		return out, nil
	})
	for i, e := range entries {
		hs, err := tlog.StoredHashes(n+int64(i), e, overlay)
		if err != nil {
			return nil, nil, fmt.Errorf("provenance: hashes of log entry %d: %w", n+int64(i), err)
		}
		hashes = append(hashes, hs...)
	}
	indexes = make([]int64, len(hashes))
	for i := range indexes {
		indexes[i] = first + int64(i)
	}
	return indexes, hashes, nil
}

// HashReader adapts a ProvenanceLog's stored hashes to tlog.HashReader, for
// tlog.TreeHash, tlog.ProveRecord and tlog.ProveTree over a store.
func HashReader(ctx context.Context, log scruple.ProvenanceLog) tlog.HashReader {
	return tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		got, err := log.ReadHashes(ctx, indexes)
		if err != nil {
			return nil, err
		}
		if len(got) != len(indexes) {
			return nil, fmt.Errorf("provenance: store returned %d hashes for %d indexes", len(got), len(indexes))
		}
		out := make([]tlog.Hash, len(got))
		for i, h := range got {
			out[i] = tlog.Hash(h)
		}
		return out, nil
	})
}

// TreeHash returns the RFC 6962 tree hash of the first n entries of log,
// computed from its stored hashes (O(log n) reads).
func TreeHash(ctx context.Context, log scruple.ProvenanceLog, n int64) (tlog.Hash, error) {
	return tlog.TreeHash(n, HashReader(ctx, log))
}

// treeBuilder computes stored hashes and tree hashes from entries streamed in
// order, keeping only the right edge of the tree (one hash per level), so
// that verifying a log of any size takes constant memory. It computes what
// tlog.StoredHashes and tlog.TreeHash compute (the tests check it).
type treeBuilder struct {
	n     int64         // entries added
	edge  [64]tlog.Hash // edge[l]: root of the complete level-l subtree when bit l of n is set
	added []tlog.Hash   // stored hashes of the last add, reused
}

// add appends one entry and returns the stored hashes it creates (valid until
// the next add), the first of which is at tlog.StoredHashIndex(0, n).
func (b *treeBuilder) add(data []byte) []tlog.Hash {
	return b.addHash(tlog.RecordHash(data))
}

func (b *treeBuilder) addHash(h tlog.Hash) []tlog.Hash {
	b.added = append(b.added[:0], h)
	level := 0
	for m := b.n; m&1 == 1; m >>= 1 {
		h = tlog.NodeHash(b.edge[level], h)
		b.added = append(b.added, h)
		level++
	}
	b.edge[level] = h
	b.n++
	return b.added
}

// root returns the tree hash of the entries added so far, as tlog.TreeHash
// does (for an empty tree, the SHA-256 of nothing, per RFC 6962).
func (b *treeBuilder) root() tlog.Hash {
	if b.n == 0 {
		return sha256.Sum256(nil)
	}
	var h tlog.Hash
	have := false
	for l := 0; l < 64; l++ {
		if b.n&(1<<l) == 0 {
			continue
		}
		if !have {
			h, have = b.edge[l], true
		} else {
			h = tlog.NodeHash(b.edge[l], h)
		}
	}
	return h
}

// hashList is an in-memory tlog.HashReader over all stored hashes of a log,
// indexed by stored-hash index; used to build proofs from a bundle.
type hashList []tlog.Hash

func (l hashList) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		if idx < 0 || idx >= int64(len(l)) {
			return nil, fmt.Errorf("provenance: stored hash %d out of range", idx)
		}
		out[i] = l[idx]
	}
	return out, nil
}
