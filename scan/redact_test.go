package scan

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

func TestScanRedactCopies(t *testing.T) {
	for _, tc := range []struct {
		name string
		mode pii.RedactMode
		mark string // a replacement every copy with a mobile number holds
	}{
		{"mask", pii.Mask, "[cn_mobile]"},
		{"partial", pii.Partial, "****"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root, files := scantest.Tree(t)
			out := filepath.Join(t.TempDir(), "clean")
			got, _ := runAll(t, root, Options{RedactDir: out, RedactMode: tc.mode, Workers: 3, Values: true})
			for _, f := range files {
				p := filepath.Join(root, filepath.FromSlash(f.Path))
				dest, _ := DestPath(out, p)
				r := got[f.Path]
				if r == nil || r.Skipped != "" || r.Err != nil {
					if _, err := os.Lstat(dest); err == nil {
						t.Errorf("%s: copied though not scanned", f.Path)
					}
					continue
				}
				if r.Redacted != dest {
					t.Errorf("%s: copy at %s, want %s", f.Path, r.Redacted, dest)
				}
				if orig, _ := os.ReadFile(p); !bytes.Equal(orig, f.Data) {
					t.Errorf("%s: original modified", f.Path)
				}
				raw, err := os.ReadFile(dest)
				if err != nil {
					t.Fatalf("%s: %v", f.Path, err)
				}
				if f.Gzip != bytes.HasPrefix(raw, []byte{0x1f, 0x8b}) {
					t.Errorf("%s: gzip %v not kept", f.Path, f.Gzip)
				}
				if f.GB18030 && utf8.Valid(raw) && !f.Gzip {
					t.Errorf("%s: GB18030 copy written as UTF-8", f.Path)
				}
				text := decode(t, raw, f.Gzip, f.GB18030)
				fs := make([]pii.Finding, len(r.Findings))
				for i, x := range r.Findings {
					fs[i] = pii.Finding{Type: x.Type, Start: x.Start, End: x.End}
				}
				want := string(pii.Redact([]byte(f.Text), fs, tc.mode))
				if f.Structured {
					// Read as CSV or JSON (headers and keys as context):
					// offsets are into values; each value is replaced
					// where it stands.
					want = f.Text
					for _, x := range r.Findings {
						rep := "[" + string(x.Type) + "]"
						if tc.mode == pii.Partial {
							rep = x.Masked
						}
						want = strings.Replace(want, x.Value, rep, 1)
					}
				}
				if text != want {
					t.Errorf("%s: copy\n%q\nwant\n%q", f.Path, text, want)
				}
				for _, x := range r.Findings {
					if x.Type != pii.PersonName && x.Type != pii.Address && strings.Contains(text, x.Value) {
						t.Errorf("%s: %s left in the copy", f.Path, x.Type)
					}
				}
				if r.Signals.Subjects > 0 && strings.Contains(f.Text, "1381234") && !strings.Contains(text, tc.mark) {
					t.Errorf("%s: no %q in copy %q", f.Path, tc.mark, text)
				}
			}
			filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
				if strings.HasPrefix(filepath.Base(p), ".scruple-redact-") {
					t.Errorf("temporary file left: %s", p)
				}
				return nil
			})
		})
	}
}

func TestScanRedactRelativePaths(t *testing.T) {
	root, _ := scantest.Tree(t)
	t.Chdir(root)
	// The mirror of a relative path under "." is the path itself.
	if _, err := Run(t.Context(), []string{"a.txt"}, Options{RedactDir: "."}, func(*FileResult) error { return nil }); err == nil {
		t.Error("redact dir . accepted for a relative path")
	}
	got, _ := runAll(t, root, Options{RedactDir: filepath.Join(t.TempDir(), "o")}, "a.txt", "sub")
	for _, p := range []string{"a.txt", "sub/gb.txt"} {
		if r := got[p]; r == nil || r.Redacted == "" || !strings.HasSuffix(r.Redacted, filepath.FromSlash("/o/"+p)) {
			t.Errorf("%s: %+v", p, r)
		}
	}
}
