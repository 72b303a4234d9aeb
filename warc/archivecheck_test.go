package warc

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/scruple/scruple/internal/warciotest"
)

// recorder is a testing.TB that records failures instead of failing, to
// test the checks themselves (a check that passes everything proves
// nothing). Run calls that may call Fatal through record.
type recorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *recorder) Helper() {}
func (r *recorder) Error(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, strings.TrimSpace(fmt.Sprintln(args...)))
}
func (r *recorder) Errorf(f string, args ...any) { r.Error(fmt.Sprintf(f, args...)) }
func (r *recorder) Fatal(args ...any)            { r.Error(args...); runtime.Goexit() }
func (r *recorder) Fatalf(f string, args ...any) { r.Errorf(f, args...); runtime.Goexit() }

// record runs fn(r) on its own goroutine (so that Fatal ends only fn) and
// returns the failures it reported.
func (r *recorder) record(fn func(testing.TB)) []string {
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(r)
	}()
	<-done
	return r.errs
}

// Every WARC directory a test of this package writes through openTest is
// read, when the test ends, by gowarc's validating reader (allRecords) and
// by webrecorder's warcio (checkArchive): a writer change that breaks the
// format fails every test that writes, not only the few that look. A test
// that damages a file on purpose checks the archive first and then opts
// out (damaged).
var archiveChecks sync.Map // dir -> *archiveCheck

type archiveCheck struct {
	mu      sync.Mutex
	damaged bool
}

// checkArchiveAtEnd registers the end-of-test check of dir (once per dir).
func checkArchiveAtEnd(t *testing.T, dir string) {
	t.Helper()
	if _, loaded := archiveChecks.LoadOrStore(dir, &archiveCheck{}); loaded {
		return
	}
	t.Cleanup(func() {
		v, _ := archiveChecks.LoadAndDelete(dir)
		c := v.(*archiveCheck)
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.damaged {
			return
		}
		if open, _ := filepath.Glob(filepath.Join(dir, "*"+OpenExt)); len(open) > 0 {
			t.Errorf("%d WARC file(s) left open at the end of the test: close the writer so that its archive is checked", len(open))
		}
		checkArchive(t, dir)
	})
}

// damaged says the test is about to damage a file of dir on purpose: the
// archive is checked now, while it is whole, and not again at the end.
func damaged(t *testing.T, dir string) {
	t.Helper()
	checkArchive(t, dir)
	if v, ok := archiveChecks.Load(dir); ok {
		c := v.(*archiveCheck)
		c.mu.Lock()
		c.damaged = true
		c.mu.Unlock()
	}
}

// internal/warctest does the same for other packages; this package's own
// tests cannot import it (it imports warc: an import cycle), hence the copy.
//
// checkArchive reads every finished WARC file of dir with both readers; it
// returns the number of records read. A directory with no finished file (a
// writer never used or never closed) has nothing to check.
func checkArchive(t testing.TB, dir string) int {
	t.Helper()
	files, err := Files(dir)
	if err != nil || len(files) == 0 {
		return 0
	}
	n := len(allRecords(t, dir))
	var paths []string
	for _, f := range files {
		paths = append(paths, filepath.Join(dir, f))
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
	if idx, err := os.ReadFile(filepath.Join(dir, IndexFile)); err == nil {
		var ours []string
		if s := strings.TrimSpace(string(idx)); s != "" {
			ours = strings.Split(s, "\n")
		}
		theirs := slices.Clone(res.CDXJ)
		slices.Sort(theirs)
		if !slices.Equal(ours, theirs) {
			t.Errorf("%s differs from warcio's index:\nours:\n%s\ntheirs:\n%s", IndexFile, strings.Join(ours, "\n"), strings.Join(theirs, "\n"))
		}
	}
	return n
}

// TestArchiveCheckAtEnd: openTest registers the end-of-test check of its
// directory, and that check passes a whole archive and fails a damaged one
// (a body byte changed and the member recompressed, or the file cut short),
// with both readers.
func TestArchiveCheckAtEnd(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	if _, ok := archiveChecks.Load(dir); !ok {
		t.Fatal("openTest does not check its archive at the end of the test")
	}
	d := testDecider()
	var refs []*Ref
	for i := range 3 {
		u := "http://library.test/p/" + itoa(i) + ".html"
		ref, err := w.Capture(Capture{Record: page(u, cleanPage+itoa(i)), Exchange: exchange(u, cleanPage+itoa(i), "text/html"), Decider: d})
		if err != nil {
			t.Fatal(err)
		}
		refs = append(refs, ref)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if errs := (&recorder{TB: t}).record(func(tb testing.TB) { checkArchive(tb, dir) }); len(errs) != 0 {
		t.Fatalf("a whole archive fails the check: %q", errs)
	}
	damaged(t, dir)
	path := filepath.Join(dir, refs[1].File)
	whole, _ := os.ReadFile(path)
	os.WriteFile(path, recompressed(t, whole, refs[1], "nine", "ten!"), 0o644)
	errs := (&recorder{TB: t}).record(func(tb testing.TB) { checkArchive(tb, dir) })
	if !slices.ContainsFunc(errs, func(e string) bool { return strings.Contains(e, "does not match") && !strings.HasPrefix(e, "warcio") }) {
		t.Errorf("gowarc did not report a changed body: %q", errs)
	}
	if warciotest.Available(t) && !slices.ContainsFunc(errs, func(e string) bool { return strings.HasPrefix(e, "warcio") }) {
		t.Errorf("warcio did not report a changed body: %q", errs)
	}
	os.WriteFile(path, whole[:refs[2].Offset+refs[2].Length/2], 0o644)
	if errs := (&recorder{TB: t}).record(func(tb testing.TB) { checkArchive(tb, dir) }); len(errs) == 0 {
		t.Error("a file cut short passes the check")
	}
}
