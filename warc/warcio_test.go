package warc

import (
	"bytes"
	"io"

	"github.com/klauspost/compress/gzip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/internal/warciotest"
)

// TestIndependentReader writes every kind of record scruple writes and has
// webrecorder's warcio (Node.js) walk them, recompute every block and
// payload digest, and index them: its CDXJ must equal ours line for line.
func TestIndependentReader(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 6<<10)
	d := testDecider()
	for i := range 8 {
		u := "http://library.test:8080/p/" + itoa(i) + ".html?b=2&a=1"
		body := cleanPage + strings.Repeat(" garden", i*50)
		if _, err := w.Capture(Capture{Record: page(u, body), Exchange: exchange(u, body, "text/html; charset=utf-8"), Decider: d}); err != nil {
			t.Fatal(err)
		}
	}
	u := "http://library.test:8080/dup.html"
	w.Capture(Capture{Record: page(u, cleanPage), Exchange: exchange(u, cleanPage, "text/html"), Decider: d})
	for _, p := range markupPages {
		u := "http://shop.test:8080/m/" + strings.ReplaceAll(p.name, " ", "-")
		rec := page(u, p.body)
		w.Capture(Capture{Record: rec, Exchange: exchange(u, p.body, p.ctype), Decider: d})
	}
	w.Capture(Capture{Record: &scruple.Record{URL: "http://a.test/private/", Kind: scruple.KindDisallowed, Reason: "robots.txt", FetchedAt: time.Now()}, Decider: d})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	files, _ := Files(dir)
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f))
	}
	res := warciotest.Check(t, paths...)
	t.Logf("warcio read %d records in %d files (%v) and wrote %d index lines", res.Records, res.Files, res.Types, len(res.CDXJ))
	for _, p := range res.Problems {
		t.Error("warcio: " + p)
	}
	if gw := len(allRecords(t, dir)); res.Records != gw {
		t.Errorf("warcio read %d records, gowarc %d", res.Records, gw)
	}
	if res.Types["revisit"] != 1 || res.Types["conversion"] != len(markupPages) || res.Types["warcinfo"] != len(files) {
		t.Errorf("record types %v", res.Types)
	}
	theirs := slices.Clone(res.CDXJ)
	slices.Sort(theirs)
	idx, _ := os.ReadFile(filepath.Join(dir, IndexFile))
	ours := strings.Split(strings.TrimSpace(string(idx)), "\n")
	if !slices.Equal(ours, theirs) {
		t.Errorf("our index differs from warcio's:\nours:\n%s\ntheirs:\n%s", strings.Join(ours, "\n"), strings.Join(theirs, "\n"))
	}
}

// TestCheckersCatchTampering: one byte changed in an archived body is
// reported by both readers (a checker that passes everything proves
// nothing).
func TestCheckersCatchTampering(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	u := "http://library.test/p/1.html"
	ref, err := w.Capture(Capture{Record: page(u, cleanPage), Exchange: exchange(u, cleanPage, "text/html"), Decider: testDecider()})
	if err != nil {
		t.Fatal(err)
	}
	w.Close()
	damaged(t, dir)
	path := filepath.Join(dir, ref.File)
	raw, _ := os.ReadFile(path)
	os.WriteFile(path, recompressed(t, raw, ref, "nine", "ten!"), 0o644)
	probs, err := Check(path, nil)
	if err != nil || len(probs) == 0 {
		t.Errorf("gowarc check passed a tampered record (%v)", err)
	}
	if res := warciotest.Check(t, path); len(res.Problems) == 0 {
		t.Error("warcio check passed a tampered record")
	}
}

// recompressed returns file with old replaced by new in the record at ref,
// recompressed: a change only a digest can find.
func recompressed(t *testing.T, file []byte, ref *Ref, old, new string) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(file[ref.Offset : ref.Offset+ref.Length]))
	if err != nil {
		t.Fatal(err)
	}
	rec, _ := io.ReadAll(zr)
	if !bytes.Contains(rec, []byte(old)) {
		t.Fatalf("record %s does not hold %q", ref.RecordID, old)
	}
	rec = bytes.Replace(rec, []byte(old), []byte(new), 1)
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(rec)
	zw.Close()
	return append(append(append([]byte{}, file[:ref.Offset]...), b.Bytes()...), file[ref.Offset+ref.Length:]...)
}
