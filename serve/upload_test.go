package serve

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

type entry struct {
	name string
	body string
	typ  byte // tar type; 0 regular
	link string
}

func tarGz(t testing.TB, es []entry) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, e := range es {
		h := &tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.body)), Typeflag: tar.TypeReg, Linkname: e.link}
		if e.typ != 0 {
			h.Typeflag, h.Size = e.typ, 0
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if h.Size > 0 {
			tw.Write([]byte(e.body))
		}
	}
	tw.Close()
	zw.Close()
	return buf.Bytes()
}

func zipOf(t testing.TB, es []entry) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range es {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.typ == tar.TypeSymlink {
			h.SetMode(os.ModeSymlink | 0o777)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(e.body))
	}
	zw.Close()
	return buf.Bytes()
}

// TestUnpackRefusesEscapes: zip-slip and its relatives, in both formats.
func TestUnpackRefusesEscapes(t *testing.T) {
	hostile := []struct {
		name string
		es   []entry
	}{
		{"dotdot", []entry{{name: "../evil", body: "x"}}},
		{"nested dotdot", []entry{{name: "a/../../evil", body: "x"}}},
		{"absolute", []entry{{name: "/evil", body: "x"}}},
		{"backslash", []entry{{name: `..\evil`, body: "x"}}},
		{"symlink", []entry{{name: "link", typ: tar.TypeSymlink, link: "/etc"}}},
		{"symlink then through it", []entry{{name: "link", typ: tar.TypeSymlink, link: ".."}, {name: "link/evil", body: "x"}}},
		{"duplicate", []entry{{name: "a", body: "1"}, {name: "a", body: "2"}}},
	}
	for _, tt := range hostile {
		for _, format := range []string{"tar.gz", "zip"} {
			t.Run(tt.name+"/"+format, func(t *testing.T) {
				parent := t.TempDir()
				dir := filepath.Join(parent, "b")
				os.Mkdir(dir, 0o700)
				var data []byte
				if format == "zip" {
					data = zipOf(t, tt.es)
				} else {
					data = tarGz(t, tt.es)
				}
				err := Unpack(bytes.NewReader(data), dir, 1<<20)
				if !errors.Is(err, errUnsafe) {
					t.Fatalf("Unpack = %v, want an unsafe-archive error", err)
				}
				if _, err := os.Lstat(filepath.Join(parent, "evil")); err == nil {
					t.Fatalf("a file escaped the bundle directory")
				}
			})
		}
	}
}

func TestUnpackBounds(t *testing.T) {
	many := make([]entry, maxBundleFiles+1)
	for i := range many {
		many[i] = entry{name: "f/" + strconv.Itoa(i), body: "x"}
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"too many files tar", tarGz(t, many)},
		{"too many files zip", zipOf(t, many)},
		{"too big tar", tarGz(t, []entry{{name: "big", body: strings.Repeat("0", 2048)}})},
		{"too big zip (bomb)", zipOf(t, []entry{{name: "big", body: strings.Repeat("0", 2048)}})},
		{"not an archive", []byte("hello")},
		{"truncated gzip", tarGz(t, []entry{{name: "a", body: "x"}})[:20]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "b")
			os.Mkdir(dir, 0o700)
			if err := Unpack(bytes.NewReader(tt.data), dir, 1024); !errors.Is(err, errUnsafe) {
				t.Fatalf("Unpack = %v, want an unsafe-archive error", err)
			}
		})
	}
}

func TestUnpackGood(t *testing.T) {
	es := []entry{{name: "bundle/", typ: tar.TypeDir}, {name: "bundle/log.jsonl", body: "{}\n"}, {name: "bundle/warc/a.warc", body: "w"}}
	for _, format := range []string{"tar.gz", "zip"} {
		dir := filepath.Join(t.TempDir(), "b")
		os.Mkdir(dir, 0o700)
		data := tarGz(t, es)
		if format == "zip" {
			data = zipOf(t, es)
		}
		if err := Unpack(bytes.NewReader(data), dir, 1<<20); err != nil {
			t.Fatalf("%s: %v", format, err)
		}
		root := bundleRoot(dir)
		if b, err := os.ReadFile(filepath.Join(root, "warc", "a.warc")); err != nil || string(b) != "w" {
			t.Fatalf("%s: unpacked %q %v", format, b, err)
		}
	}
}

// FuzzUnpack: whatever the archive, nothing is written outside the
// directory and Unpack returns.
func FuzzUnpack(f *testing.F) {
	f.Add(tarGz(f, []entry{{name: "a/b", body: "x"}}))
	f.Add(zipOf(f, []entry{{name: "a/b", body: "x"}}))
	f.Add(tarGz(f, []entry{{name: "../x", body: "x"}}))
	f.Add(zipOf(f, []entry{{name: "/x", body: "x"}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		parent := t.TempDir()
		dir := filepath.Join(parent, "b")
		os.Mkdir(dir, 0o700)
		_ = Unpack(bytes.NewReader(data), dir, 1<<16)
		es, err := os.ReadDir(parent)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range es {
			if e.Name() != "b" && !strings.HasPrefix(e.Name(), ".upload-") {
				t.Fatalf("Unpack wrote %q outside its directory", e.Name())
			}
		}
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.Type()&os.ModeSymlink != 0 {
				t.Fatalf("Unpack made a symlink")
			}
			return nil
		})
	})
}
