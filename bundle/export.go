// Package bundle writes and checks a complete export: the provenance bundle
// (package provenance: records, log, checkpoint, key, manifest), the crawl's
// WARC files and their CDXJ index under warc/, and attestation.intoto.json,
// an in-toto statement over every file of the bundle signed with the crawl's
// key (package attest).
//
//	records.jsonl log.jsonl checkpoint key.pub manifest.json
//	warc/*.warc.gz warc/index.cdxj     (when the crawl archived)
//	attestation.intoto.json            (written last; covers every other file)
package bundle

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/attest"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/warc"
)

// WARCDir is the bundle's directory of WARC files.
const WARCDir = "warc"

// RunsFile is the crawl's run list in a data directory (JSON lines of
// attest.Run), appended by every crawl run.
const RunsFile = "runs.jsonl"

// Options say what else goes into a bundle.
type Options struct {
	// WARCDir is the crawl's WARC directory (DATA/warc); "" or a missing
	// directory means the crawl did not archive.
	WARCDir string
	// Runs is the crawl's run list (DATA/runs.jsonl); "" or missing means
	// no run was recorded, and the attestation's parameters are empty.
	Runs string
}

// Export writes the provenance bundle of st to outDir with the WARC files
// and index, then the attestation. See provenance.Export for the store's
// obligations.
func Export(ctx context.Context, st interface {
	scruple.RecordStore
	scruple.ProvenanceLog
}, signer note.Signer, verifierKey, outDir string, opt Options) (provenance.Manifest, error) {
	var extras []provenance.Extra
	if opt.WARCDir != "" {
		if fi, err := os.Stat(opt.WARCDir); err == nil && fi.IsDir() {
			extras = append(extras, func(out string) (map[string]string, error) { return copyWARC(opt.WARCDir, out) })
		}
	}
	// A killed export's temporary files would be left unsigned next to the
	// fresh bundle: they are the exporter's own, removed first.
	if err := removeTemps(outDir); err != nil {
		return provenance.Manifest{}, err
	}
	m, err := provenance.Export(ctx, st, signer, verifierKey, outDir, extras...)
	if err != nil {
		return m, err
	}
	return m, writeAttestation(ctx, outDir, signer, m, opt.Runs)
}

// copyWARC repairs what a killed crawl left in the WARC directory (files no
// live writer holds), rewrites its index and copies the finished files and
// the index into out/warc.
func copyWARC(src, out string) (map[string]string, error) {
	if _, err := warc.Recover(src); err != nil {
		return nil, err
	}
	if err := warc.WriteIndex(src); err != nil {
		return nil, err
	}
	files, err := warc.Files(src)
	if err != nil {
		return nil, err
	}
	dst := filepath.Join(out, WARCDir)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return nil, err
	}
	sums := map[string]string{}
	for _, n := range append(files, warc.IndexFile) {
		sum, err := copyFile(filepath.Join(src, n), filepath.Join(dst, n))
		if err != nil {
			return nil, err
		}
		sums[WARCDir+"/"+n] = sum
	}
	return sums, nil
}

// copyFile copies src to dst (through a temporary name) and returns the
// hex SHA-256 of the bytes written.
func copyFile(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	f, err := os.CreateTemp(filepath.Dir(dst), "."+filepath.Base(dst)+".tmp-*")
	if err != nil {
		return "", err
	}
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(f, h), in)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), dst)
	}
	if err != nil {
		os.Remove(f.Name())
		return "", fmt.Errorf("copy %s: %w", filepath.Base(src), err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// files lists every regular file of a bundle but the attestation
// (slash-separated paths), with its hex SHA-256: dot-files and the
// exporter's temporary files included, since a file a reader does not see
// is still part of what was handed over. Entries are Lstat'ed, never
// followed: anything but a regular file (a symlink, a FIFO, a device) is
// not opened and is named in odd, as is any directory a bundle does not
// have (only the top directory and warc/, when it holds a file).
func files(dir string) (sums map[string]string, odd []string, err error) {
	sums = map[string]string{}
	var dirs []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			if rel != "." {
				dirs = append(dirs, rel)
			}
			return nil
		case !d.Type().IsRegular():
			odd = append(odd, rel+" is not a regular file ("+typeName(d.Type())+"): not read")
			return nil
		case rel == attest.FileName:
			return nil
		}
		sum, err := fileSum(p)
		if err != nil {
			return err
		}
		sums[rel] = sum
		return nil
	})
	if err != nil {
		return nil, nil, err
	}
	for _, d := range dirs {
		if d == WARCDir && hasPrefixKey(sums, WARCDir+"/") {
			continue
		}
		odd = append(odd, d+" is a directory a bundle does not have")
	}
	return sums, odd, nil
}

func hasPrefixKey(m map[string]string, prefix string) bool {
	for k := range m {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

func typeName(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "named pipe"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "irregular file"
}

// removeTemps removes the exporter's own temporary files (exporterTemp
// names, regular files only) from a bundle directory and its warc/: what a
// killed export left behind. Nothing else in the directory is touched.
func removeTemps(outDir string) error {
	for _, d := range []string{outDir, filepath.Join(outDir, WARCDir)} {
		des, err := os.ReadDir(d)
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			return err
		}
		for _, de := range des {
			if de.Type().IsRegular() && exporterTemp(de.Name()) {
				if err := os.Remove(filepath.Join(d, de.Name())); err != nil && !os.IsNotExist(err) {
					return err
				}
			}
		}
	}
	return nil
}

// exporterTemp reports a name the exporter writes a bundle file under
// before renaming it into place: "." + the file's name + ".tmp" (the
// attestation) or ".tmp-" and os.CreateTemp's digits.
func exporterTemp(name string) bool {
	if !strings.HasPrefix(name, ".") {
		return false
	}
	if strings.HasSuffix(name, ".tmp") {
		return len(name) > len("..tmp")
	}
	i := strings.LastIndex(name, ".tmp-")
	if i < 2 || i+len(".tmp-") == len(name) {
		return false
	}
	for _, c := range name[i+len(".tmp-"):] {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func fileSum(p string) (string, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// writeAttestation signs a statement over every file of the bundle.
func writeAttestation(ctx context.Context, dir string, signer note.Signer, m provenance.Manifest, runsPath string) error {
	// Only the files this export wrote, with the digests of the bytes it
	// wrote: anything else in the directory (planted before the export, or
	// left by someone else) is not signed, and verify names it.
	subj := m.Written
	if len(subj) == 0 {
		return fmt.Errorf("export: no list of the files written to sign")
	}
	runs, err := ReadRuns(runsPath)
	if err != nil {
		return err
	}
	robots, err := robotsDeps(filepath.Join(dir, provenance.RecordsFile))
	if err != nil {
		return err
	}
	in := attest.Input{
		Subjects:     subj,
		Runs:         runs,
		Robots:       robots,
		Checkpoint:   attest.Checkpoint{SHA256: subj[provenance.CheckpointFile], TreeSize: m.TreeSize, RootHash: m.RootHash, Key: m.Key},
		InvocationID: fmt.Sprintf("%s/%d", strings.SplitN(m.Key, "+", 2)[0], m.TreeSize),
	}
	st, err := attest.Statement(in)
	if err != nil {
		return err
	}
	env, err := attest.Sign(ctx, st, signer)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, "."+attest.FileName+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, attest.FileName))
}

// robotsDeps lists the robots.txt files the records were decided by, each
// with the digest of the body obeyed, in first-seen order.
func robotsDeps(recordsPath string) ([]attest.Dependency, error) {
	f, err := os.Open(recordsPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	seen := map[attest.Dependency]bool{}
	var out []attest.Dependency
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 256<<20)
	for sc.Scan() {
		var r struct {
			Robots *scruple.RobotsVerdict `json:"robots"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Robots == nil || r.Robots.URL == "" {
			continue
		}
		d := attest.Dependency{URI: r.Robots.URL, SHA256: r.Robots.Digest}
		if !seen[d] {
			seen[d] = true
			out = append(out, d)
		}
	}
	slices.SortStableFunc(out, func(a, b attest.Dependency) int { return strings.Compare(a.URI, b.URI) })
	return out, sc.Err()
}

// AppendRun adds a run to a data directory's run list.
func AppendRun(path string, r attest.Run) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(append(b, '\n'))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ReadRuns reads a run list; a missing file is an empty list.
func ReadRuns(path string) ([]attest.Run, error) {
	if path == "" {
		return nil, nil
	}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []attest.Run
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r attest.Run
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			continue // a line cut by a kill: the runs before it still count
		}
		out = append(out, r)
	}
	return out, sc.Err()
}
