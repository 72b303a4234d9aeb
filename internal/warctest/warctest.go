// Package warctest checks, from any package's tests, a directory of WARC
// files a test wrote: every record is read with gowarc's validating reader
// (warc.Check, which also recomputes every block digest), and
// webrecorder's warcio, an implementation scruple did not write, walks the
// same files, recomputes every block and payload digest and indexes them
// (internal/warciotest). Tests call Dir after a crawl with --warc, or
// Cleanup to have it run when the test ends.
package warctest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/scruple/scruple/internal/warciotest"
	"github.com/scruple/scruple/warc"
)

// Dir checks every finished WARC file in dir with both readers and
// reports each problem as a test error. A file still open (a writer that was
// not closed) is an error too: a finished crawl leaves none. When
// dir/index.cdxj exists it must equal warcio's own index of the files,
// line for line. Dir returns the number of records gowarc read.
func Dir(t testing.TB, dir string) int {
	t.Helper()
	files, err := warc.Files(dir)
	if err != nil {
		t.Errorf("WARC directory %s: %v", filepath.Base(dir), err)
		return 0
	}
	if len(files) == 0 {
		t.Errorf("WARC directory %s holds no finished WARC file", filepath.Base(dir))
		return 0
	}
	if open, _ := filepath.Glob(filepath.Join(dir, "*"+warc.OpenExt)); len(open) > 0 {
		t.Errorf("WARC files left open in %s: %d", filepath.Base(dir), len(open))
	}
	var paths []string
	n := 0
	for _, f := range files {
		p := filepath.Join(dir, f)
		paths = append(paths, p)
		probs, err := warc.Check(p, func(warc.RecordInfo) { n++ })
		if err != nil {
			t.Errorf("gowarc: %s: %v", f, err)
		}
		for _, pr := range probs {
			t.Errorf("gowarc: %s at %d (%s): %s", f, pr.Offset, pr.RecordID, pr.Message)
		}
	}
	res, ok := warciotest.CheckAfter(t, paths...)
	if !ok {
		return n
	}
	for _, p := range res.Problems {
		t.Error("warcio: " + p)
	}
	if res.Records != n {
		t.Errorf("warcio read %d records, gowarc %d", res.Records, n)
	}
	if idx, err := os.ReadFile(filepath.Join(dir, warc.IndexFile)); err == nil {
		var ours []string
		if s := strings.TrimSpace(string(idx)); s != "" {
			ours = strings.Split(s, "\n")
		}
		theirs := slices.Clone(res.CDXJ)
		slices.Sort(theirs)
		if !slices.Equal(ours, theirs) {
			t.Errorf("%s (%d lines) differs from warcio's index of the same files (%d lines)", warc.IndexFile, len(ours), len(theirs))
		}
	}
	return n
}

// Cleanup has Dir check dir when t ends (after the test's own assertions,
// before t.TempDir directories are removed if dir was made before this
// call).
func Cleanup(t testing.TB, dir string) {
	t.Helper()
	t.Cleanup(func() { Dir(t, dir) })
}
