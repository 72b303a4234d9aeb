package provenance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/scruple/scruple"
)

// ErrCorrupt is wrapped by the errors of VerifyStore and Sign when the log's
// entries, hashes and checkpoints disagree.
var ErrCorrupt = errors.New("provenance log does not verify")

// FormatCheckpoint returns a checkpoint text: the origin line, then the tree
// size and root hash as tlog.FormatTree writes them.
func FormatCheckpoint(origin string, t tlog.Tree) []byte {
	return fmt.Appendf(nil, "%s\n%d\n%s\n", origin, t.N, t.Hash)
}

// ParseCheckpoint parses a checkpoint text (not a signed note: see
// OpenCheckpoint). Lines after the third are ignored, as the format allows
// extension lines.
func ParseCheckpoint(text []byte) (origin string, t tlog.Tree, err error) {
	origin, rest, ok := strings.Cut(string(text), "\n")
	if !ok || origin == "" {
		return "", tlog.Tree{}, fmt.Errorf("malformed checkpoint: no origin line")
	}
	// tlog.ParseTree checks the size and hash lines strictly (canonical
	// decimal, 32-byte base64); it wants its own first line.
	t, err = tlog.ParseTree([]byte("go.sum database tree\n" + rest))
	if err != nil {
		return "", tlog.Tree{}, fmt.Errorf("malformed checkpoint: %w", err)
	}
	return origin, t, nil
}

// OpenCheckpoint verifies a signed checkpoint note under verifierKey and
// returns its tree. The origin line must be the key's name.
func OpenCheckpoint(msg []byte, verifierKey string) (tlog.Tree, error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return tlog.Tree{}, scruple.Errorf(scruple.EINVALID, "verifier key %q: %v", verifierKey, err)
	}
	n, err := note.Open(msg, note.VerifierList(v))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		var invalid *note.InvalidSignatureError
		switch {
		case errors.As(err, &unverified):
			var by []string
			for _, s := range unverified.Note.UnverifiedSigs {
				by = append(by, fmt.Sprintf("%s+%08x", s.Name, s.Hash))
			}
			return tlog.Tree{}, fmt.Errorf("checkpoint is not signed by key %s+%08x (signed by %s)",
				v.Name(), v.KeyHash(), strings.Join(by, ", "))
		case errors.As(err, &invalid):
			return tlog.Tree{}, fmt.Errorf("checkpoint signature by %s does not verify: the checkpoint was altered", v.Name())
		}
		return tlog.Tree{}, fmt.Errorf("checkpoint is not a valid signed note: %v", err)
	}
	origin, t, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return tlog.Tree{}, err
	}
	if origin != v.Name() {
		return tlog.Tree{}, fmt.Errorf("checkpoint origin %q is not the key name %q", origin, v.Name())
	}
	return t, nil
}

// unverifiedTree reads the tree of a checkpoint note without checking its
// signature: Sign uses it to refuse to sign a log that does not extend the
// previous checkpoint, whichever key signed that one.
func unverifiedTree(msg []byte) (tlog.Tree, error) {
	i := bytes.LastIndex(msg, []byte("\n\n"))
	if i < 0 {
		return tlog.Tree{}, fmt.Errorf("checkpoint is not a signed note")
	}
	_, t, err := ParseCheckpoint(msg[:i+1])
	return t, err
}

// Sign computes the tree head over the whole log, signs it and saves it with
// log.SaveCheckpoint. It refuses (ErrCorrupt) when the log is not an
// extension of the latest checkpoint, so that a rewritten log is never
// signed. An unchanged log is not signed twice: its latest checkpoint is
// returned.
func Sign(ctx context.Context, log scruple.ProvenanceLog, signer note.Signer) (msg []byte, size int64, err error) {
	// The checkpoint first, then the size: the log only grows, so a
	// checkpoint saved concurrently is never beyond the size read after it.
	prevSize, prev, err := log.LatestCheckpoint(ctx)
	if err != nil {
		return nil, 0, err
	}
	size, err = log.LogSize(ctx)
	if err != nil {
		return nil, 0, err
	}
	hr := HashReader(ctx, log)
	root, err := tlog.TreeHash(size, hr)
	if err != nil {
		return nil, 0, fmt.Errorf("provenance: tree hash at %d: %w", size, err)
	}
	if prev != nil {
		old, err := unverifiedTree(prev)
		if err != nil {
			return nil, 0, corrupt("latest checkpoint (size %d): %v", prevSize, err)
		}
		if old.N > size {
			return nil, 0, corrupt("log truncated: the latest checkpoint covers %d entries, the log holds %d", old.N, size)
		}
		h, err := tlog.TreeHash(old.N, hr)
		if err != nil {
			return nil, 0, err
		}
		if h != old.Hash {
			return nil, 0, corrupt("the log is not an extension of its checkpoint at size %d (rewritten or forked): refusing to sign", old.N)
		}
	}
	text := FormatCheckpoint(signer.Name(), tlog.Tree{N: size, Hash: root})
	msg, err = note.Sign(&note.Note{Text: string(text)}, signer)
	if err != nil {
		return nil, 0, err
	}
	// ed25519 signatures are deterministic: the same key over the same tree
	// gives the same bytes, which need not be stored again.
	if prev != nil && prevSize == size && bytes.Equal(prev, msg) {
		return msg, size, nil
	}
	if err := log.SaveCheckpoint(ctx, size, msg); err != nil {
		return nil, 0, err
	}
	return msg, size, nil
}

// verifyChunk is how many entries VerifyStore reads before checking their
// stored hashes in one ReadHashes call.
const verifyChunk = 1024

// VerifyStore checks a store's log before the crawler appends to it: the
// latest checkpoint's signature under verifierKey, that every stored hash
// equals the hash recomputed from the stored entries (the first disagreement
// is reported as "log corrupt at entry N"), and that the checkpoint's root
// equals the tree hash of that many entries. It reads the whole log once, in
// constant memory. A log without a checkpoint is checked for hashes only.
//
// Errors wrap ErrCorrupt. Recovery is never automatic: export what verifies
// (the bundle shows where it breaks), then start a new data directory.
func VerifyStore(ctx context.Context, log scruple.ProvenanceLog, verifierKey string) error {
	size, err := log.LogSize(ctx)
	if err != nil {
		return err
	}
	cpSize, cp, err := log.LatestCheckpoint(ctx)
	if err != nil {
		return err
	}
	var tree tlog.Tree
	if cp != nil {
		if tree, err = OpenCheckpoint(cp, verifierKey); err != nil {
			return corrupt("latest checkpoint: %v", err)
		}
		if tree.N != cpSize {
			return corrupt("latest checkpoint is stored for size %d but states size %d", cpSize, tree.N)
		}
		if tree.N > size {
			return corrupt("log truncated: the checkpoint covers %d entries, the log holds %d", tree.N, size)
		}
	}
	var b treeBuilder
	type pending struct {
		index int64
		first int64 // stored-hash index of hashes[0]
		n     int
	}
	var (
		want    []tlog.Hash
		wantIdx []int64
		owners  []pending
	)
	checkRoot := func() error {
		if cp != nil && b.n == tree.N && b.root() != tree.Hash {
			return corrupt("the log does not match its checkpoint at size %d: entries were rewritten", tree.N)
		}
		return nil
	}
	if err := checkRoot(); err != nil { // a checkpoint of the empty log
		return err
	}
	for from := int64(0); from < size; from += verifyChunk {
		to := min(from+verifyChunk, size)
		want, wantIdx, owners = want[:0], wantIdx[:0], owners[:0]
		var rootErr error
		next := from
		err := log.Entries(ctx, from, to, func(index int64, data []byte) error {
			if index != next {
				return corrupt("log corrupt at entry %d: the store skipped from entry %d", next, index)
			}
			next++
			hs := b.add(data)
			first := tlog.StoredHashIndex(0, index)
			owners = append(owners, pending{index: index, first: first, n: len(hs)})
			for i, h := range hs {
				want = append(want, h)
				wantIdx = append(wantIdx, first+int64(i))
			}
			if rootErr == nil {
				rootErr = checkRoot()
			}
			return nil
		})
		if err != nil {
			return err
		}
		if next != to {
			return corrupt("log corrupt at entry %d: entry missing", next)
		}
		got, err := log.ReadHashes(ctx, wantIdx)
		if err != nil {
			return corrupt("log corrupt at entry %d or later: reading stored hashes: %v", from, err)
		}
		if len(got) != len(wantIdx) {
			return corrupt("log corrupt at entry %d or later: %d stored hashes for %d indexes", from, len(got), len(wantIdx))
		}
		k := 0
		for _, o := range owners {
			for i := 0; i < o.n; i++ {
				if tlog.Hash(got[k]) != want[k] {
					return corrupt("log corrupt at entry %d: its stored hash does not match its contents", o.index)
				}
				k++
			}
		}
		if rootErr != nil {
			return rootErr
		}
	}
	return nil
}

func corrupt(format string, args ...any) error {
	return &scruple.Error{Code: scruple.ECONFLICT, Message: fmt.Sprintf(format, args...), Err: ErrCorrupt}
}
