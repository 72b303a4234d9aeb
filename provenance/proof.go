package provenance

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/scruple/scruple"
)

// Proof is an inclusion proof for one record of a bundle: its latest log
// entry is leaf Index of the tree the checkpoint signs, and the record's
// digest is the one that entry names. It is self-contained: Check needs
// nothing else.
type Proof struct {
	// URL is the record's URL.
	URL string `json:"url"`
	// Index is the log index of the record's latest entry.
	Index int64 `json:"index"`
	// Entry is that log entry, as signed.
	Entry []byte `json:"entry"`
	// Record is the records.jsonl line, nil when the entry is a purge that
	// removed the record (the proof then vouches for the removal).
	Record []byte `json:"record,omitempty"`
	// Leaf is tlog.RecordHash(Entry).
	Leaf tlog.Hash `json:"leaf"`
	// TreeSize and Root are the signed tree's.
	TreeSize int64     `json:"tree_size"`
	Root     tlog.Hash `json:"root"`
	// Hashes is the RFC 6962 audit path from Leaf to Root.
	Hashes tlog.RecordProof `json:"hashes"`
	// Checkpoint is the signed note; Key its verifier key.
	Checkpoint []byte `json:"checkpoint"`
	Key        string `json:"key"`
}

// Prove returns an inclusion proof, against the bundle's signed checkpoint,
// for the latest log entry about url, with the record it vouches for. It
// fails when the checkpoint does not verify under key.pub, when log.jsonl
// does not match the checkpoint, or when the record does not match its
// entry: a proof is only given for what verifies.
func Prove(dir, url string) (*Proof, error) {
	key, err := os.ReadFile(filepath.Join(dir, KeyFile))
	if err != nil {
		return nil, err
	}
	cp, err := os.ReadFile(filepath.Join(dir, CheckpointFile))
	if err != nil {
		return nil, err
	}
	p := &Proof{URL: url, Key: strings.TrimSpace(string(key)), Checkpoint: cp, Index: -1}
	tree, err := OpenCheckpoint(cp, p.Key)
	if err != nil {
		return nil, err
	}
	p.TreeSize, p.Root = tree.N, tree.Hash

	lf, err := os.Open(filepath.Join(dir, LogFile))
	if err != nil {
		return nil, err
	}
	defer lf.Close()
	var b treeBuilder
	all := make(hashList, 0, 2*tree.N)
	quoted, _ := json.Marshal(url)
	lr := newLineReader(lf)
	for b.n < tree.N {
		line, err := lr.next()
		if err == io.EOF {
			return nil, fmt.Errorf("log.jsonl has %d entries, the checkpoint signs %d: run verify", b.n, tree.N)
		}
		if err != nil {
			return nil, err
		}
		idx := b.n
		all = append(all, b.add(line)...)
		if !bytes.Contains(line, quoted) { // cheap filter before decoding
			continue
		}
		if e, ok := parseEntryRef(line); ok && e.URL == url && (e.Kind == KindRecord || e.Kind == KindPurge) {
			p.Index, p.Entry = idx, append([]byte(nil), line...)
		}
	}
	if b.root() != tree.Hash {
		return nil, fmt.Errorf("log.jsonl does not match the checkpoint: run verify")
	}
	if p.Index < 0 {
		return nil, scruple.Errorf(scruple.ENOTFOUND, "no signed log entry for %s", url)
	}
	p.Leaf = tlog.RecordHash(p.Entry)
	if p.Hashes, err = tlog.ProveRecord(tree.N, p.Index, all); err != nil {
		return nil, err
	}

	e, _ := ParseEntry(p.Entry)
	if !e.Removed {
		want := e.RecordDigest
		if e.Kind == KindPurge {
			want = e.NewRecordDigest
		}
		if p.Record, err = findRecordLine(filepath.Join(dir, RecordsFile), want); err != nil {
			return nil, err
		}
		if p.Record == nil {
			return nil, fmt.Errorf("records.jsonl holds no record matching log entry %d for %s: run verify", p.Index, url)
		}
	}
	if err := p.Check(""); err != nil {
		return nil, err
	}
	return p, nil
}

// findRecordLine returns the records.jsonl line whose digest is want.
func findRecordLine(path, want string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	lr := newLineReader(f)
	for {
		line, err := lr.next()
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if d, _, _ := recordLineDigest(line); hex.EncodeToString(d[:]) == want {
			return append([]byte(nil), line...), nil
		}
	}
}

// Check verifies the proof: the checkpoint's signature under verifierKey (""
// means the key carried in the proof, which only proves consistency, not
// who signed), that it signs TreeSize and Root, that Leaf is the hash of
// Entry and lies at Index under Root (tlog.CheckRecord), and that Record's
// digest is the one Entry names (or that Entry removed the record).
func (p *Proof) Check(verifierKey string) error {
	if verifierKey == "" {
		verifierKey = p.Key
	}
	tree, err := OpenCheckpoint(p.Checkpoint, verifierKey)
	if err != nil {
		return err
	}
	if tree.N != p.TreeSize || tree.Hash != p.Root {
		return errors.New("proof: the checkpoint does not sign this tree")
	}
	if tlog.RecordHash(p.Entry) != p.Leaf {
		return errors.New("proof: the entry does not hash to the leaf")
	}
	if err := tlog.CheckRecord(p.Hashes, p.TreeSize, p.Root, p.Index, p.Leaf); err != nil {
		return fmt.Errorf("proof: entry %d is not in the signed tree: %w", p.Index, err)
	}
	e, err := ParseEntry(p.Entry)
	if err != nil {
		return err
	}
	if e.URL != p.URL || (e.Kind != KindRecord && e.Kind != KindPurge) {
		return fmt.Errorf("proof: entry %d is not about record %s", p.Index, p.URL)
	}
	if e.Removed {
		if p.Record != nil {
			return fmt.Errorf("proof: entry %d says record %s was removed", p.Index, p.URL)
		}
		return nil
	}
	want := e.RecordDigest
	if e.Kind == KindPurge {
		want = e.NewRecordDigest
	}
	if d, _, _ := recordLineDigest(p.Record); hex.EncodeToString(d[:]) != want {
		return fmt.Errorf("proof: the record does not match log entry %d (digest %s)", p.Index, want)
	}
	return nil
}

// String prints the proof for a person: what is proved, then the leaf, the
// tree and the audit path, hashes in base64 as in the checkpoint.
func (p *Proof) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "record:      %s\n", p.URL)
	fmt.Fprintf(&b, "log entry:   %d\n", p.Index)
	if e, err := ParseEntry(p.Entry); err == nil {
		switch {
		case e.Removed:
			fmt.Fprintf(&b, "entry:       purge (record removed: %s)\n", e.Reason)
		case e.Kind == KindPurge:
			fmt.Fprintf(&b, "entry:       purge (%s), record digest %s\n", e.Reason, e.NewRecordDigest)
		default:
			fmt.Fprintf(&b, "entry:       %s, record digest %s\n", e.RecordKind, e.RecordDigest)
		}
	}
	fmt.Fprintf(&b, "leaf hash:   %s\n", p.Leaf)
	fmt.Fprintf(&b, "tree size:   %d\n", p.TreeSize)
	fmt.Fprintf(&b, "root hash:   %s\n", p.Root)
	fmt.Fprintf(&b, "signed by:   %s\n", p.Key)
	fmt.Fprintf(&b, "proof:       %d hashes (leaf to root)\n", len(p.Hashes))
	for i, h := range p.Hashes {
		fmt.Fprintf(&b, "  %2d  %s\n", i, h)
	}
	return b.String()
}
