package provenance

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"

	"golang.org/x/mod/sumdb/tlog"
)

// Random appends (records and purges, random batch sizes) with random sign
// points: every checkpoint verifies, each is a consistent extension of the
// one before (tlog.ProveTree/CheckTree), exported bundles verify and random
// inclusion proofs check.
func TestPropertyAppendSignVerify(t *testing.T) {
	ctx := context.Background()
	iters := 8
	if testing.Short() {
		iters = 3
	}
	for seed := uint64(1); seed <= uint64(iters); seed++ {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 99))
			signer, vkey := testKey(t, "prop")
			s := newMemStore()
			var trees []tlog.Tree
			next := 0
			for step := 0; step < 40; step++ {
				switch k := rng.IntN(10); {
				case k < 6: // a commit of random size, possibly empty
					n := rng.IntN(70)
					fill(t, s, next, n)
					next += n
				case k < 7 && next > 0: // a purge of a random stored record
					i := rng.IntN(next)
					r := testRecord(i)
					if rng.IntN(2) == 0 {
						r.Text = "purged"
						r.Findings = nil
						_ = s.replace(ctx, r.URL, r, "consent withdrawn")
					} else {
						_ = s.replace(ctx, r.URL, nil, "consent withdrawn") // may be gone already
					}
				default: // sign
					msg, size, err := Sign(ctx, s, signer)
					if err != nil {
						t.Fatal(err)
					}
					tree, err := OpenCheckpoint(msg, vkey)
					if err != nil || tree.N != size {
						t.Fatalf("checkpoint: %v", err)
					}
					if err := VerifyStore(ctx, s, vkey); err != nil {
						t.Fatal(err)
					}
					if len(trees) > 0 {
						checkConsistent(t, s, trees[len(trees)-1], tree)
					}
					trees = append(trees, tree)
				}
				if rng.IntN(12) == 0 {
					exportAndCheck(t, s, rng, next)
				}
			}
			exportAndCheck(t, s, rng, next)
			// Every pair of checkpoints, not only successive ones.
			for i := range trees {
				for j := i; j < len(trees); j++ {
					checkConsistent(t, s, trees[i], trees[j])
				}
			}
		})
	}
}

func checkConsistent(t *testing.T, s *memStore, old, cur tlog.Tree) {
	t.Helper()
	if old.N == 0 {
		return // tlog proves nothing about the empty tree: it prefixes every tree
	}
	hr := HashReader(context.Background(), s)
	p, err := tlog.ProveTree(cur.N, old.N, hr)
	if err != nil {
		t.Fatal(err)
	}
	if err := tlog.CheckTree(p, cur.N, cur.Hash, old.N, old.Hash); err != nil {
		t.Fatalf("checkpoint %d is not a prefix of %d: %v", old.N, cur.N, err)
	}
	if old.N < cur.N {
		bad := old.Hash
		bad[0] ^= 1
		if tlog.CheckTree(p, cur.N, cur.Hash, old.N, bad) == nil {
			t.Fatal("CheckTree accepted a wrong old hash")
		}
	}
}

func exportAndCheck(t *testing.T, s *memStore, rng *rand.Rand, next int) {
	t.Helper()
	ctx := context.Background()
	signer, vkey := testKey(t, "export")
	// A second key signs the export: checkpoints may change key, the log
	// must stay one.
	dir := filepath.Join(t.TempDir(), "b")
	if _, err := Export(ctx, s, signer, vkey, dir); err != nil {
		t.Fatal(err)
	}
	rep, err := Verify(dir, vkey)
	if err != nil || !rep.OK() {
		t.Fatalf("export does not verify: %v\n%s", err, rep)
	}
	if next == 0 {
		return
	}
	url := testRecord(rng.IntN(next)).URL
	p, err := Prove(dir, url)
	if err != nil {
		t.Fatalf("prove %s: %v", url, err)
	}
	if err := p.Check(vkey); err != nil {
		t.Fatal(err)
	}
}
