package bundle

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple/sqlite"
	"github.com/scruple/scruple/warc"
)

// exportInto exports the crawl in data into out (which may already hold
// files) and returns the verifier key.
func exportInto(t *testing.T, data, out string) string {
	t.Helper()
	st, err := sqlite.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	skey, vkey, _ := note.GenerateKey(rand.Reader, "bundle-test")
	signer, _ := note.NewSigner(skey)
	if _, err := Export(context.Background(), st, signer, vkey, out, Options{WARCDir: filepath.Join(data, "warc"), Runs: filepath.Join(data, RunsFile)}); err != nil {
		t.Fatal(err)
	}
	return vkey
}

// A file planted in the output directory before the export is not signed
// with the crawl's key: verify names it, and it is left where it was.
func TestPlantedFileNotSigned(t *testing.T) {
	data := t.TempDir()
	crawlLike(t, data, 2)
	out := filepath.Join(t.TempDir(), "b")
	planted := filepath.Join(out, "sub", "records-extra.jsonl")
	os.MkdirAll(filepath.Dir(planted), 0o755)
	os.WriteFile(planted, []byte(`{"url":"http://a.test/","text":"fabricated"}`+"\n"), 0o644)
	key := exportInto(t, data, out)
	rep, sum := problems(t, out, key)
	if strings.HasPrefix(rep, "OK") || !strings.Contains(rep, "sub/records-extra.jsonl is not a subject of the attestation") {
		t.Errorf("a file the exporter never wrote verifies:\n%s", rep)
	}
	if sum.Attested {
		t.Error("summary: attested")
	}
	if _, err := os.Stat(planted); err != nil {
		t.Errorf("the planted file was lost: %v", err)
	}
	os.RemoveAll(filepath.Join(out, "sub"))
	if rep, _ := problems(t, out, key); !strings.HasPrefix(rep, "OK") {
		t.Errorf("the bundle the exporter wrote does not verify:\n%s", rep)
	}
}

// A killed export's temporary file does not break the next export into
// the same directory: the exporter removes its own leftovers first.
func TestLeftoverTempRemovedOnReexport(t *testing.T) {
	data := t.TempDir()
	crawlLike(t, data, 2)
	out := filepath.Join(t.TempDir(), "b")
	os.MkdirAll(filepath.Join(out, "warc"), 0o755)
	leftovers := []string{".records.jsonl.tmp-123456", "." + "attestation.intoto.json.tmp", "warc/.index.cdxj.tmp-987"}
	for _, n := range leftovers {
		os.WriteFile(filepath.Join(out, filepath.FromSlash(n)), []byte("half"), 0o644)
	}
	os.WriteFile(filepath.Join(out, ".notes.tmp-x"), []byte("not the exporter's"), 0o644)
	key := exportInto(t, data, out)
	for _, n := range leftovers {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(n))); err == nil {
			t.Errorf("%s left in place", n)
		}
	}
	if _, err := os.Stat(filepath.Join(out, ".notes.tmp-x")); err != nil {
		t.Error("a file that is not the exporter's was removed")
	}
	os.Remove(filepath.Join(out, ".notes.tmp-x"))
	if rep, _ := problems(t, out, key); !strings.HasPrefix(rep, "OK") {
		t.Errorf("fresh export fails verify:\n%s", rep)
	}
}

// A WARC file replaced by a symlink to a copy outside the bundle fails:
// the bundle no longer holds the bytes it attests.
func TestSymlinkedWARCFails(t *testing.T) {
	data := t.TempDir()
	crawlLike(t, data, 2)
	out, key := export(t, data)
	files, _ := filepath.Glob(filepath.Join(out, "warc", "*"+warc.Ext))
	outside := filepath.Join(t.TempDir(), "elsewhere.warc.gz")
	b, _ := os.ReadFile(files[0])
	os.WriteFile(outside, b, 0o644)
	os.Remove(files[0])
	if err := os.Symlink(outside, files[0]); err != nil {
		t.Skip(err)
	}
	rep, _ := problems(t, out, key)
	if strings.HasPrefix(rep, "OK") || !strings.Contains(rep, "not a regular file") {
		t.Errorf("a WARC file replaced by a symlink out of the bundle:\n%s", rep)
	}
}

// A FIFO planted in the bundle, or in place of one of its files, is
// reported, never opened (opening one blocks until a writer comes).
func TestFIFONotOpened(t *testing.T) {
	data := t.TempDir()
	crawlLike(t, data, 1)
	for _, name := range []string{"x", "log.jsonl", "manifest.json", "attestation.intoto.json"} {
		out, key := export(t, data)
		fifo := filepath.Join(out, name)
		os.Remove(fifo)
		if err := syscall.Mkfifo(fifo, 0o644); err != nil {
			t.Skip(err)
		}
		type result struct {
			rep string
			err error
		}
		done := make(chan result, 1)
		go func() {
			rep, _, err := Verify(out, key)
			r := result{err: err}
			if rep != nil {
				r.rep = rep.String()
			}
			done <- r
		}()
		select {
		case r := <-done:
			if r.err != nil || strings.HasPrefix(r.rep, "OK") || !strings.Contains(r.rep, name+" is not a regular file") {
				t.Errorf("a FIFO as %s: err %v\n%s", name, r.err, r.rep)
			}
		case <-time.After(20 * time.Second):
			t.Errorf("verify opened a FIFO as %s", name)
			if f, err := os.OpenFile(fifo, os.O_WRONLY, 0); err == nil { // unblock the reader
				f.Close()
			}
			<-done
		}
	}
}

// A directory added after export is reported, empty or not.
func TestAddedDirectoryReported(t *testing.T) {
	data := t.TempDir()
	crawlLike(t, data, 1)
	out, key := export(t, data)
	os.MkdirAll(filepath.Join(out, "warc", "13912345678"), 0o755)
	if rep, _ := problems(t, out, key); strings.HasPrefix(rep, "OK") || !strings.Contains(rep, "warc/13912345678") {
		t.Errorf("an added directory:\n%s", rep)
	}
}

// Every WARC file removed after export: the summary still counts the log
// entries whose records are missing.
func TestSummaryAllWARCRemoved(t *testing.T) {
	data := t.TempDir()
	crawlLike(t, data, 3)
	out, key := export(t, data)
	files, _ := filepath.Glob(filepath.Join(out, "warc", "*"+warc.Ext))
	for _, f := range files {
		os.Remove(f)
	}
	rep, sum := problems(t, out, key)
	if strings.HasPrefix(rep, "OK") {
		t.Fatal("verified")
	}
	s := sum.String()
	if sum.BadReferences != 3 || strings.HasPrefix(s, "no WARC files") || !strings.Contains(s, "3 log entries") || !strings.Contains(s, "NOT found") {
		t.Errorf("summary %q (BadReferences %d)", s, sum.BadReferences)
	}
}
