package provenance

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"maps"
	"os"
	"path/filepath"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
)

// BundleFormat names the bundle layout in manifest.json.
const BundleFormat = "scruple-bundle/1"

// Manifest describes a bundle. It is informative: nothing in it is signed, the
// checkpoint is what a verifier trusts.
type Manifest struct {
	// Format is BundleFormat.
	Format string `json:"format"`
	// Records is the number of lines of records.jsonl.
	Records int64 `json:"records"`
	// LogEntries is the number of lines of log.jsonl (= TreeSize).
	LogEntries int64 `json:"log_entries"`
	// TreeSize and RootHash are the checkpoint's (root in base64, as in the
	// checkpoint text).
	TreeSize int64  `json:"tree_size"`
	RootHash string `json:"root_hash"`
	// Key is the verifier key (also in key.pub).
	Key string `json:"key"`
	// CreatedAt is when the bundle was written, UTC.
	CreatedAt time.Time `json:"created_at"`
	// Tool is the software that wrote it ("scruple 0.1.0").
	Tool string `json:"tool"`
	// Files maps each other bundle file to its hex SHA-256, so a damaged
	// transfer is told apart from tampering at a glance.
	Files map[string]string `json:"files"`
	// Written maps every file this export wrote, manifest.json included,
	// to the hex SHA-256 of the bytes written: what an attestation may
	// sign. Files already in the output directory are not in it.
	Written map[string]string `json:"-"`
}

// Export writes a bundle of st to outDir (created if needed): records.jsonl,
// log.jsonl, a checkpoint signed now over the whole log, key.pub and
// manifest.json. Each file is written to a temporary name and renamed into
// place, manifest.json last, so a reader never sees a half-written file and a
// complete manifest means a complete bundle. It fails, writing nothing, when
// the stored entries do not match the stored hashes.
//
// Each extra writes its files into outDir before the manifest, which lists
// their digests too.
//
// The bundle is a consistent snapshot even when a consent command purges
// records during the export (consent commands do not take the data
// directory's lock, so that they take effect at once): every change to a
// record appends a log entry in the same transaction, so an export that
// finds the log longer after reading the records than when it signed it
// starts again, and fails with ECONFLICT after exportAttempts tries. This is
// optimistic, not a lock: a withdrawal never waits for an export, and an
// export never holds a read transaction that would keep a purged value in
// SQLite's WAL. A crawl writing to the store all the time (a PostgreSQL
// worker still running) makes the export fail rather than write a bundle
// whose newest records have no signed entry.
func Export(ctx context.Context, st interface {
	scruple.RecordStore
	scruple.ProvenanceLog
}, signer note.Signer, verifierKey string, outDir string, extras ...Extra) (Manifest, error) {
	for attempt := 1; ; attempt++ {
		m, err := exportOnce(ctx, st, signer, verifierKey, outDir, extras)
		if !errors.Is(err, errLogMoved) {
			return m, err
		}
		if attempt == exportAttempts {
			return Manifest{}, scruple.Errorf(scruple.ECONFLICT, "export: the store changed during each of %d attempts "+
				"(a crawl or consent commands are writing to it); run the export again when it is quiet", attempt)
		}
		select {
		case <-ctx.Done():
			return Manifest{}, ctx.Err()
		case <-time.After(time.Duration(attempt) * 50 * time.Millisecond):
		}
	}
}

// exportAttempts bounds Export's restarts after a concurrent change.
const exportAttempts = 5

// errLogMoved is exportOnce's report that the log grew while it read.
var errLogMoved = errors.New("the log grew during the export")

func exportOnce(ctx context.Context, st interface {
	scruple.RecordStore
	scruple.ProvenanceLog
}, signer note.Signer, verifierKey string, outDir string, extras []Extra) (Manifest, error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return Manifest{}, scruple.Errorf(scruple.EINVALID, "verifier key: %v", err)
	}
	if v.Name() != signer.Name() || v.KeyHash() != signer.KeyHash() {
		return Manifest{}, scruple.Errorf(scruple.EINVALID, "verifier key %s is not the signer's key (%s+%08x)",
			verifierKey, signer.Name(), signer.KeyHash())
	}
	cp, size, err := Sign(ctx, st, signer)
	if err != nil {
		return Manifest{}, err
	}
	tree, err := OpenCheckpoint(cp, verifierKey)
	if err != nil {
		return Manifest{}, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return Manifest{}, err
	}
	var files []*bundleFile
	defer func() {
		for _, f := range files {
			f.discard()
		}
	}()
	open := func(name string) (*bundleFile, error) {
		f, err := createBundleFile(outDir, name)
		if err == nil {
			files = append(files, f)
		}
		return f, err
	}

	// log.jsonl, recomputing the tree so that what is exported is what is
	// signed, and noting each record's id (its placing log index).
	logF, err := open(LogFile)
	if err != nil {
		return Manifest{}, err
	}
	ids := map[string]int64{}
	removed := map[string]bool{}
	var b treeBuilder
	err = st.Entries(ctx, 0, size, func(index int64, data []byte) error {
		if index != b.n {
			return corrupt("log corrupt at entry %d: the store skipped from entry %d", b.n, index)
		}
		b.add(data)
		logF.w.Write(data)
		logF.w.WriteByte('\n')
		e, ok := parseEntryRef(data)
		if !ok {
			return nil // Verify will name it; the bytes are what was signed
		}
		switch _, have := ids[e.URL]; {
		case e.Kind == KindRecord && (!have || removed[e.URL]):
			ids[e.URL], removed[e.URL] = index, false
		case e.Kind == KindPurge && e.Removed:
			removed[e.URL] = true
		}
		return nil
	})
	if err != nil {
		return Manifest{}, err
	}
	if b.n != size || b.root() != tree.Hash {
		return Manifest{}, corrupt("the stored log entries do not match the stored hashes (tree of %d entries): run verify on the store", b.n)
	}

	recF, err := open(RecordsFile)
	if err != nil {
		return Manifest{}, err
	}
	var nrec int64
	var buf []byte
	err = st.Records(ctx, func(r *scruple.Record) error {
		id, ok := ids[r.URL]
		if !ok {
			id = -1 // no entry: Verify reports it as added
		}
		buf = AppendRecordLine(buf[:0], r, id)
		buf = append(buf, '\n')
		_, err := recF.w.Write(buf)
		nrec++
		return err
	})
	if err != nil {
		return Manifest{}, err
	}
	// A record changed after the signing appended an entry after it.
	if now, err := st.LogSize(ctx); err != nil {
		return Manifest{}, err
	} else if now != size {
		return Manifest{}, errLogMoved
	}

	keyF, err := open(KeyFile)
	if err != nil {
		return Manifest{}, err
	}
	keyF.w.WriteString(verifierKey + "\n")
	cpF, err := open(CheckpointFile)
	if err != nil {
		return Manifest{}, err
	}
	cpF.w.Write(cp)

	m := Manifest{
		Format: BundleFormat, Records: nrec, LogEntries: size, TreeSize: tree.N, RootHash: tree.Hash.String(),
		Key: verifierKey, CreatedAt: time.Now().UTC().Truncate(time.Second), Tool: "scruple " + scruple.Version,
		Files: map[string]string{},
	}
	for _, f := range files {
		if err := f.finish(); err != nil {
			return Manifest{}, err
		}
		m.Files[f.name] = hex.EncodeToString(f.h.Sum(nil))
	}
	for _, x := range extras {
		sums, err := x(outDir)
		if err != nil {
			return Manifest{}, err
		}
		for n, s := range sums {
			m.Files[n] = s
		}
	}
	mf, err := open(ManifestFile)
	if err != nil {
		return Manifest{}, err
	}
	mb, _ := json.MarshalIndent(m, "", "  ")
	mf.w.Write(append(mb, '\n'))
	if err := mf.finish(); err != nil {
		return Manifest{}, err
	}
	m.Written = maps.Clone(m.Files)
	m.Written[ManifestFile] = hex.EncodeToString(mf.h.Sum(nil))
	for _, f := range files { // manifest.json is last
		if err := os.Rename(f.tmp, filepath.Join(outDir, f.name)); err != nil {
			return Manifest{}, err
		}
		f.renamed = true
	}
	if d, err := os.Open(outDir); err == nil { // make the renames durable
		d.Sync()
		d.Close()
	}
	return m, nil
}

// bundleFile is a bundle file being written under a temporary name, hashed
// as it is written.
type bundleFile struct {
	name, tmp string
	f         *os.File
	w         *bufio.Writer
	h         hash.Hash
	renamed   bool
}

func createBundleFile(dir, name string) (*bundleFile, error) {
	f, err := os.CreateTemp(dir, "."+name+".tmp-*")
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	return &bundleFile{name: name, tmp: f.Name(), f: f, h: h, w: bufio.NewWriterSize(io.MultiWriter(f, h), 1<<20)}, nil
}

// finish flushes, syncs and closes the file (bufio.Writer keeps the first
// write error, so it is reported here).
func (b *bundleFile) finish() error {
	err := b.w.Flush()
	if err == nil {
		err = b.f.Chmod(0o644)
	}
	if err == nil {
		err = b.f.Sync()
	}
	if cerr := b.f.Close(); err == nil {
		err = cerr
	}
	b.f = nil
	if err != nil {
		return fmt.Errorf("write %s: %w", b.name, err)
	}
	return nil
}

// discard removes the temporary file unless it was renamed into place.
func (b *bundleFile) discard() {
	if b.f != nil {
		b.f.Close()
	}
	if !b.renamed {
		os.Remove(b.tmp)
	}
}
