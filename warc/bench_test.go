package warc

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/scruple/scruple/extract"
	"github.com/scruple/scruple/internal/testweb"
)

// benchPage returns a generated page of the benchmark web of hosts hosts
// (with more than one, its links to the other hosts are IP addresses, as
// in bench/warc.sh).
func benchPage(b *testing.B, hosts int) (string, string) {
	spec := testweb.BenchSpec(hosts, 20)
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
	u, body := benchPage(b, 1)
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
	_, body := benchPage(b, 1)
	d := testDecider()
	b.SetBytes(int64(len(body)))
	for i := 0; i < b.N; i++ {
		screen(d, nil, []byte(body), "text/html; charset=utf-8")
	}
}

// BenchmarkCaptureConversion is the archive's cost per page of the crawl
// benchmark (bench/warc.sh): a page of the benchmark web whose stored text
// is clean but whose raw body links to IP addresses, so the screen refuses
// it and it is archived as request + conversion (its stored text) +
// metadata.
func BenchmarkCaptureConversion(b *testing.B) {
	u, body := benchPage(b, 10)
	base, _ := url.Parse(u)
	p := extract.HTML([]byte(body), base, extract.Options{})
	w, err := Open(Options{Dir: b.TempDir(), Software: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	d := testDecider()
	rec := page(u, body)
	rec.Title, rec.Text = p.Title, p.Text
	ex := exchange(u, body, "text/html; charset=utf-8")
	if drafts, _, err := w.plan(Capture{Record: rec, Exchange: ex, Decider: d}); err != nil || len(drafts) != 3 || drafts[1].typ != TypeConversion {
		b.Fatalf("not a conversion capture: %v", err)
	}
	b.SetBytes(int64(len(body)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := w.Capture(Capture{Record: rec, Exchange: ex, Decider: d}); err != nil {
			b.Fatal(err)
		}
	}
}
