package warc

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/scruple/scruple/internal/testweb"
)

// benchPage returns a generated page of the benchmark web.
func benchPage(b *testing.B) (string, string) {
	spec := testweb.BenchSpec(1, 20)
	spec.IPLinks = true
	web, err := testweb.Start(spec)
	if err != nil {
		b.Fatal(err)
	}
	defer web.Close()
	u := web.Seeds()[0] + "p/3.html"
	resp, err := http.Get(u)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return u, string(body)
}

// BenchmarkCapture is the archive's cost per clean page: screening every
// view of the body, building request and response with gowarc, gzip.
func BenchmarkCapture(b *testing.B) {
	u, body := benchPage(b)
	w, err := Open(Options{Dir: b.TempDir(), Software: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	d := testDecider()
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// A distinct body each time, so nothing becomes a revisit.
		bb := body + strings.Repeat(" ", i%64)
		ex := exchange(u, bb, "text/html; charset=utf-8")
		if _, err := w.Capture(Capture{Record: page(u, bb), Exchange: ex, Decider: d}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScreen is the screening alone.
func BenchmarkScreen(b *testing.B) {
	_, body := benchPage(b)
	d := testDecider()
	b.SetBytes(int64(len(body)))
	for i := 0; i < b.N; i++ {
		screen(d, nil, []byte(body), "text/html; charset=utf-8")
	}
}
