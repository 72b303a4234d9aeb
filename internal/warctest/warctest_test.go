package warctest

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/internal/warciotest"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/warc"
)

// recorder records failures instead of failing (a check that passes
// everything proves nothing).
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

func check(t *testing.T, dir string) []string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Dir(r, dir)
	}()
	<-done
	return r.errs
}

// TestDir: a whole archive passes; a changed byte, a file left open, an
// index that does not match and an empty directory each fail.
func TestDir(t *testing.T) {
	dir := t.TempDir()
	w, err := warc.Open(warc.Options{Dir: dir, Software: "scruple/test"})
	if err != nil {
		t.Fatal(err)
	}
	d := decide.New(pii.New(pii.Options{}), nil)
	for i := range 3 {
		u := fmt.Sprintf("http://library.test/p/%d.html", i)
		body := fmt.Sprintf("<p>The city library opens at nine, room %d.</p>", i)
		rec := &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, FetchedAt: time.Now(),
			ContentType: "text/html", Text: "The city library opens at nine."}
		ex := &warc.Exchange{URL: u, Status: 200, Header: http.Header{"Content-Type": {"text/html"}}, Body: []byte(body), Date: rec.FetchedAt}
		if _, err := w.Capture(warc.Capture{Record: rec, Exchange: ex, Decider: d}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if errs := check(t, dir); len(errs) != 0 {
		t.Fatalf("a whole archive fails: %q", errs)
	}
	idx := filepath.Join(dir, warc.IndexFile)
	good, _ := os.ReadFile(idx)
	os.WriteFile(idx, good[:len(good)/2], 0o644)
	if errs := check(t, dir); len(errs) == 0 && warciotest.Available(t) {
		t.Error("an index that does not match the files passes")
	}
	os.WriteFile(idx, good, 0o644)

	open := filepath.Join(dir, "x"+warc.Ext+warc.OpenExt)
	os.WriteFile(open, nil, 0o644)
	if errs := check(t, dir); len(errs) == 0 {
		t.Error("a file left open passes")
	}
	os.Remove(open)

	files, _ := warc.Files(dir)
	p := filepath.Join(dir, files[0])
	b, _ := os.ReadFile(p)
	b[len(b)/2] ^= 0x20
	os.WriteFile(p, b, 0o644)
	if errs := check(t, dir); len(errs) == 0 {
		t.Error("a changed byte passes")
	}
	if errs := check(t, t.TempDir()); len(errs) == 0 {
		t.Error("a directory without WARC files passes")
	}
}
