package provenance

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/scruple/scruple"
)

// Bundle file names.
const (
	RecordsFile    = "records.jsonl"
	LogFile        = "log.jsonl"
	CheckpointFile = "checkpoint"
	KeyFile        = "key.pub"
	ManifestFile   = "manifest.json"
)

// Verify checks the bundle in dir: the checkpoint's signature under the
// bundle's key.pub, or under expectKey when it is not "" (and then key.pub
// must be expectKey); that log.jsonl is exactly the log the checkpoint signs
// (same size, same tree hash); and that records.jsonl holds exactly the
// records the signed log vouches for, in log order: every record's digest
// equals its latest log entry's (record_digest, or a purge's
// new_record_digest), each record's id is its log index, no logged record is
// missing unless a purge removed it, and no record lacks an entry.
//
// All problems are listed in the Report; the error is for a bundle that
// cannot be read at all. Verify reads each file once, streaming, and keeps
// one small slot per record in memory.
func Verify(dir, expectKey string) (*Report, error) {
	fi, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !fi.IsDir() {
		return nil, scruple.Errorf(scruple.EINVALID, "%s is not a bundle directory", dir)
	}
	rep := &Report{Dir: dir}
	var in bundleInput
	in.expectKey = expectKey
	in.key, in.haveKey = readSmall(rep, dir, KeyFile)
	in.checkpoint, in.haveCheckpoint = readSmall(rep, dir, CheckpointFile)
	for _, f := range []struct {
		name string
		r    *io.Reader
	}{{LogFile, &in.log}, {RecordsFile, &in.records}} {
		fh, err := OpenRegular(filepath.Join(dir, f.name))
		if err != nil {
			rep.add(Problem{Kind: ProblemMissing, File: f.name, Message: missingMessage(err)})
			*f.r = bytes.NewReader(nil)
			continue
		}
		defer fh.Close()
		*f.r = fh
	}
	verifyBundle(rep, &in)
	return rep, nil
}

func readSmall(rep *Report, dir, name string) ([]byte, bool) {
	b, err := ReadRegular(filepath.Join(dir, name))
	if err != nil {
		rep.add(Problem{Kind: ProblemMissing, File: name, Message: missingMessage(err)})
		return nil, false
	}
	return b, true
}

func missingMessage(err error) string {
	if errors.Is(err, fs.ErrNotExist) {
		return "file is missing"
	}
	if errors.Is(err, ErrNotRegular) {
		return "not a regular file: not read"
	}
	return fmt.Sprintf("cannot read: %v", err)
}

// bundleInput is a bundle's contents, separated from the file system so the
// fuzz test and the benchmark can feed it from memory.
type bundleInput struct {
	key, checkpoint         []byte
	haveKey, haveCheckpoint bool
	log, records            io.Reader
	expectKey               string
}

// slot is one record the signed log vouches for, in log order.
type slot struct {
	url     string
	entry   int64    // log index of the record entry that placed it: its id
	latest  int64    // log index of the latest entry about it
	digest  [32]byte // the record digest it must have now
	removed bool     // a purge deleted it
	line    int64    // records.jsonl line that holds it, 0 none
}

// entryRef is the part of a log entry Verify needs; decoding only these
// fields keeps the log pass fast.
type entryRef struct {
	Kind            string `json:"kind"`
	URL             string `json:"url"`
	RecordDigest    string `json:"record_digest"`
	NewRecordDigest string `json:"new_record_digest"`
	Removed         bool   `json:"removed"`
}

type bundleVerifier struct {
	rep      *Report
	slots    []slot
	byURL    map[string]int32
	byDigest map[[32]byte]int32
	recProbs []Problem // record problems, sorted by line before reporting
}

func verifyBundle(rep *Report, in *bundleInput) {
	v := &bundleVerifier{rep: rep, byURL: map[string]int32{}}
	tree, treeOK := v.checkKeyAndCheckpoint(in)
	if v.readLog(in.log, tree, treeOK) {
		v.readRecords(in.records)
		return
	}
	// Records checked against a log that is not the signed one would only
	// repeat the log's damage record by record: count them, no more.
	lr := newLineReader(in.records)
	for {
		if _, err := lr.next(); err != nil {
			break
		}
	}
	rep.Records = lr.n
}

// checkKeyAndCheckpoint checks key.pub against expectKey and the
// checkpoint's signature, and returns the signed tree.
func (v *bundleVerifier) checkKeyAndCheckpoint(in *bundleInput) (tlog.Tree, bool) {
	keyPub := strings.TrimSpace(string(in.key))
	key := keyPub
	if in.expectKey != "" {
		if in.haveKey && keyPub != in.expectKey {
			v.rep.add(Problem{Kind: ProblemKey, File: KeyFile, Message: fmt.Sprintf(
				"signed by a different key than --key expected: key.pub is %s, expected %s", keyPub, in.expectKey)})
		}
		key = in.expectKey
	} else if in.haveKey && keyPub == "" {
		v.rep.add(Problem{Kind: ProblemKey, File: KeyFile, Message: "key.pub is empty"})
	}
	v.rep.Key = key
	if !in.haveCheckpoint || key == "" {
		return tlog.Tree{}, false
	}
	tree, err := OpenCheckpoint(in.checkpoint, key)
	if err != nil {
		kind := ProblemCheckpoint
		if scruple.ErrorCode(err) == scruple.EINVALID { // the key itself is malformed
			kind = ProblemKey
		}
		v.rep.add(Problem{Kind: kind, File: CheckpointFile, Message: err.Error()})
		return tlog.Tree{}, false
	}
	v.rep.TreeSize, v.rep.RootHash = tree.N, tree.Hash.String()
	return tree, true
}

// readLog hashes every line of log.jsonl, compares the tree with the
// checkpoint and builds the record slots from the signed entries. It returns
// false when the signed part of the log does not match the checkpoint.
func (v *bundleVerifier) readLog(r io.Reader, tree tlog.Tree, treeOK bool) bool {
	var b treeBuilder
	var rootAtN tlog.Hash
	if treeOK && tree.N == 0 {
		rootAtN = b.root()
	}
	lr := newLineReader(r)
	for {
		line, err := lr.next()
		if err == io.EOF {
			break
		}
		if err != nil {
			v.rep.add(Problem{Kind: ProblemLog, File: LogFile, Line: lr.n + 1, Message: err.Error()})
			break
		}
		idx := b.n
		b.add(line)
		if treeOK && b.n == tree.N {
			rootAtN = b.root() // b.n >= tree.N below implies this ran
		}
		if treeOK && idx >= tree.N {
			continue // unsigned: reported below, vouches for nothing
		}
		v.logEntry(idx, line)
	}
	v.rep.Entries = b.n
	if lr.noNewline {
		v.rep.add(Problem{Kind: ProblemLog, File: LogFile, Line: lr.n,
			Message: "last line has no final newline: the file was truncated or edited"})
	}
	if !treeOK {
		return true
	}
	const unchecked = "; records were not checked against it"
	if b.n > tree.N {
		v.rep.add(Problem{Kind: ProblemLog, File: LogFile, Line: tree.N + 1, Message: fmt.Sprintf(
			"log.jsonl has %d entries but the checkpoint signs only %d: lines %d-%d were appended after signing",
			b.n, tree.N, tree.N+1, b.n)})
	}
	if b.n < tree.N {
		v.rep.add(Problem{Kind: ProblemLog, File: LogFile, Message: fmt.Sprintf(
			"log.jsonl has %d entries but the checkpoint signs %d: log lines were removed or the file was truncated"+unchecked,
			b.n, tree.N)})
		return false
	}
	if rootAtN != tree.Hash {
		v.rep.add(Problem{Kind: ProblemLog, File: LogFile, Message: fmt.Sprintf(
			"log.jsonl does not match the checkpoint: the tree hash of its first %d entries is %s, the checkpoint signs %s: "+
				"a log line was altered, inserted, removed or reordered"+unchecked, tree.N, rootAtN, tree.Hash)})
		return false
	}
	return true
}

// logEntry applies one signed log entry to the record slots.
func (v *bundleVerifier) logEntry(idx int64, line []byte) {
	e, ok := parseEntryRef(line)
	if !ok || e.Kind == "" {
		v.rep.add(Problem{Kind: ProblemLog, File: LogFile, Line: idx + 1, Message: "not a valid log entry"})
		return
	}
	bad := func(msg string) {
		v.rep.add(Problem{Kind: ProblemLog, File: LogFile, Line: idx + 1, URL: e.URL, Message: msg})
	}
	switch e.Kind {
	case KindRecord:
		d, ok := parseDigest(e.RecordDigest)
		if !ok {
			bad("record entry without a valid record_digest")
		}
		if s, ok := v.byURL[e.URL]; ok && !v.slots[s].removed {
			// A second record entry for a stored URL: the store replaced the
			// record in place.
			v.slots[s].digest, v.slots[s].latest = d, idx
			return
		}
		v.byURL[e.URL] = int32(len(v.slots))
		v.slots = append(v.slots, slot{url: e.URL, entry: idx, latest: idx, digest: d})
	case KindPurge:
		s, ok := v.byURL[e.URL]
		if !ok {
			bad("purge of a URL that has no earlier record entry")
			return
		}
		v.slots[s].latest = idx
		if e.Removed {
			v.slots[s].removed = true
			return
		}
		d, ok := parseDigest(e.NewRecordDigest)
		if !ok {
			bad("purge entry without removed or a valid new_record_digest")
		}
		v.slots[s].digest = d
	}
}

func parseDigest(s string) ([32]byte, bool) {
	var d [32]byte
	if len(s) != 64 {
		return d, false
	}
	_, err := hex.Decode(d[:], []byte(s))
	return d, err == nil
}
