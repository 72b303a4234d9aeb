package bundle

import (
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple/sqlite"
	"github.com/scruple/scruple/warc"
)

// TestVerifyWithoutWARC: a bundle of an archived crawl exported without its
// WARC files on purpose (the live report) verifies, saying the WARC files
// were left out; Verify calls it incomplete; and a bundle that does hold
// WARC files has them checked even by VerifyWithoutWARC.
func TestVerifyWithoutWARC(t *testing.T) {
	data := t.TempDir()
	crawlLike(t, data, 3)
	skey, vkey, _ := note.GenerateKey(rand.Reader, "bundle-test")
	signer, _ := note.NewSigner(skey)
	st, err := sqlite.Open(data)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "live")
	_, err = Export(context.Background(), st, signer, vkey, out, Options{Runs: filepath.Join(data, RunsFile)})
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if rep, _ := problems(t, out, vkey); !strings.Contains(rep, "which the bundle does not hold") {
		t.Fatalf("Verify accepts log entries naming absent WARC files:\n%s", rep)
	}
	rep, sum, err := VerifyWithoutWARC(out, vkey)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || !sum.WARCOmitted || !sum.Attested || !strings.Contains(sum.String(), "WARC files not included") {
		t.Fatalf("%s%+v", rep, sum)
	}

	full, key := export(t, data)
	files, _ := filepath.Glob(filepath.Join(full, "warc", "*"+warc.Ext))
	b, _ := os.ReadFile(files[0])
	b[len(b)/2] ^= 0xff
	os.WriteFile(files[0], b, 0o644)
	rep, sum, err = VerifyWithoutWARC(full, key)
	if err != nil {
		t.Fatal(err)
	}
	if rep.OK() || sum.WARCOmitted {
		t.Fatalf("a damaged WARC file passed VerifyWithoutWARC: %s%+v", rep, sum)
	}
}
