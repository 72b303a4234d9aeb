package bundle

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/attest"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/internal/warctest"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/sqlite"
	"github.com/scruple/scruple/warc"
)

// crawlLike fills a store and a WARC directory the way an archiving crawl
// does: each record's entry names its WARC record.
func crawlLike(t *testing.T, data string, n int) {
	t.Helper()
	st, err := sqlite.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w, err := warc.Open(warc.Options{Dir: filepath.Join(data, "warc"), Software: "test"})
	if err != nil {
		t.Fatal(err)
	}
	d := decide.New(pii.New(pii.Options{}), nil)
	var outs []scruple.Outcome
	for i := range n {
		u := "http://a.test/p/" + string(rune('a'+i)) + ".html"
		body := "<p>The city library opens at nine, room " + string(rune('a'+i)) + ".</p>"
		rec := &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, FetchedAt: time.Now().UTC(),
			ContentType: "text/html", Text: "The city library opens at nine."}
		it := scruple.URLItem{URL: u, Host: "a.test"}
		if _, err := st.Enqueue(context.Background(), []scruple.URLItem{it}); err != nil {
			t.Fatal(err)
		}
		leased, _ := st.Lease(context.Background(), "a.test", 1, time.Now())
		ex := &warc.Exchange{URL: u, Status: 200, Header: http.Header{"Content-Type": {"text/html; charset=utf-8"}}, Body: []byte(body), Date: rec.FetchedAt}
		ref, err := w.Capture(warc.Capture{Record: rec, Exchange: ex, Decider: d})
		if err != nil {
			t.Fatal(err)
		}
		e := provenance.NewRecordEntry(rec, provenance.BuildInfo{})
		e.WARC = &provenance.WARCRef{File: ref.File, Offset: ref.Offset, Length: ref.Length, RecordID: ref.RecordID, Type: ref.Type}
		outs = append(outs, scruple.Outcome{Item: leased[0], Record: rec, Entry: e.Marshal()})
	}
	if err := w.Sync(); err != nil {
		t.Fatal(err)
	}
	if err := st.Commit(context.Background(), outs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	warctest.Dir(t, filepath.Join(data, "warc"))
	AppendRun(filepath.Join(data, RunsFile), attest.Run{Seeds: []string{"http://a.test/"}, Scope: "site", PolicyHash: "p", UserAgent: "ua", Version: "0"})
}

func export(t *testing.T, data string) (string, string) {
	t.Helper()
	skey, vkey, _ := note.GenerateKey(rand.Reader, "bundle-test")
	signer, _ := note.NewSigner(skey)
	st, err := sqlite.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	out := filepath.Join(t.TempDir(), "b")
	if _, err := Export(context.Background(), st, signer, vkey, out, Options{WARCDir: filepath.Join(data, "warc"), Runs: filepath.Join(data, RunsFile)}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(data, "warc")); err == nil {
		warctest.Dir(t, filepath.Join(out, "warc"))
	}
	return out, vkey
}

func problems(t *testing.T, dir, key string) (string, Summary) {
	t.Helper()
	rep, sum, err := Verify(dir, key)
	if err != nil {
		t.Fatal(err)
	}
	return rep.String(), sum
}

func TestExportVerify(t *testing.T) {
	data := t.TempDir()
	crawlLike(t, data, 5)
	out, key := export(t, data)
	rep, sum := problems(t, out, key)
	if !strings.HasPrefix(rep, "OK") || sum.Referenced != 5 || !sum.Attested || sum.WARCFiles != 1 {
		t.Fatalf("%s%+v", rep, sum)
	}
	var m provenance.Manifest
	b, _ := os.ReadFile(filepath.Join(out, provenance.ManifestFile))
	json.Unmarshal(b, &m)
	if len(m.Files) != 6 || m.Files["warc/"+warc.IndexFile] == "" {
		t.Errorf("manifest files %v", m.Files)
	}

	// A file added after signing, a WARC record moved, another key.
	os.WriteFile(filepath.Join(out, "extra.txt"), []byte("x"), 0o644)
	if rep, _ := problems(t, out, key); !strings.Contains(rep, "extra.txt is not a subject of the attestation") {
		t.Errorf("added file not reported:\n%s", rep)
	}
	os.Remove(filepath.Join(out, "extra.txt"))
	_, other, _ := note.GenerateKey(rand.Reader, "other")
	if rep, _ := problems(t, out, other); !strings.Contains(rep, "attestation: signature does not verify") {
		t.Errorf("another key accepted:\n%s", rep)
	}
	files, _ := filepath.Glob(filepath.Join(out, "warc", "*"+warc.Ext))
	os.Remove(files[0])
	rep, _ = problems(t, out, key)
	for _, want := range []string{"names WARC file", "listed in manifest.json but missing", "missing from the bundle"} {
		if !strings.Contains(rep, want) {
			t.Errorf("removed WARC file: report lacks %q:\n%s", want, rep)
		}
	}
}

func TestExportWithoutWARC(t *testing.T) {
	data := t.TempDir()
	st, err := sqlite.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	out, key := export(t, data)
	rep, sum := problems(t, out, key)
	if !strings.HasPrefix(rep, "OK") || sum.WARCFiles != 0 || !sum.Attested {
		t.Fatalf("%s%+v", rep, sum)
	}
}

// TestSummaryTellsWARCProblems: the one-line summary of a bundle whose WARC
// file was changed does not claim that every block digest verified; it
// counts the WARC problems (and an intact bundle's says it verified).
func TestSummaryTellsWARCProblems(t *testing.T) {
	data := t.TempDir()
	crawlLike(t, data, 4)
	out, key := export(t, data)
	if _, sum := problems(t, out, key); sum.WARCProblems != 0 || !strings.Contains(sum.String(), "every block digest verified") {
		t.Fatalf("intact bundle: %s", sum)
	}
	files, _ := filepath.Glob(filepath.Join(out, "warc", "*"+warc.Ext))
	b, _ := os.ReadFile(files[0])
	b[len(b)/2] ^= 0x20
	os.WriteFile(files[0], b, 0o644)
	rep, sum := problems(t, out, key)
	if strings.HasPrefix(rep, "OK") {
		t.Fatalf("tampered bundle verified:\n%s", rep)
	}
	s := sum.String()
	if strings.Contains(s, "every block digest verified") || sum.WARCProblems == 0 || !strings.Contains(s, "WARC problem") {
		t.Errorf("tampered bundle's summary: %s (%d WARC problems)", s, sum.WARCProblems)
	}
}

// TestDotFileAfterExport: a file whose name starts with a dot, added after
// signing (in the bundle or under warc/, a name like the exporter's own
// temporary files included), is reported: verify fails.
func TestDotFileAfterExport(t *testing.T) {
	data := t.TempDir()
	crawlLike(t, data, 2)
	out, key := export(t, data)
	if rep, _ := problems(t, out, key); !strings.HasPrefix(rep, "OK") {
		t.Fatalf("fresh bundle:\n%s", rep)
	}
	for _, name := range []string{".x", "warc/.hidden.warc.gz", ".attestation.intoto.json.tmp", ".records.jsonl.tmp-123"} {
		p := filepath.Join(out, filepath.FromSlash(name))
		os.WriteFile(p, []byte("added after signing"), 0o644)
		if rep, _ := problems(t, out, key); strings.HasPrefix(rep, "OK") || !strings.Contains(rep, name+" is not a subject of the attestation") {
			t.Errorf("%s added after export: verify says\n%s", name, rep)
		}
		os.Remove(p)
	}
	// A dot-file in the output directory before export is not the
	// exporter's: it is not signed, verify names it, and it is kept.
	out2 := filepath.Join(t.TempDir(), "b")
	os.MkdirAll(out2, 0o755)
	os.WriteFile(filepath.Join(out2, ".notes"), []byte("kept"), 0o644)
	st, err := sqlite.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	skey, vkey, _ := note.GenerateKey(rand.Reader, "bundle-test")
	signer, _ := note.NewSigner(skey)
	_, err = Export(context.Background(), st, signer, vkey, out2, Options{WARCDir: filepath.Join(data, "warc"), Runs: filepath.Join(data, RunsFile)})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if rep, _ := problems(t, out2, vkey); strings.HasPrefix(rep, "OK") || !strings.Contains(rep, ".notes is not a subject of the attestation") {
		t.Errorf("a dot-file present at export time:\n%s", rep)
	}
	if b, err := os.ReadFile(filepath.Join(out2, ".notes")); err != nil || string(b) != "kept" {
		t.Errorf("the dot-file present at export time was not kept: %v", err)
	}
}
