package warc

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/decide"
	"github.com/scruple/scruple/pii"
)

// Planted values. They pass their validators, so a detector that misses them
// is wrong; tests never print them.
const (
	plantPhone = "13912345678"
	plantID    = "11010519491231002X"
	plantCard  = "6222021234567890128"
	plantMail  = "li.lei.private@example.com"
)

func testDecider() *decide.Decider { return decide.New(pii.New(pii.Options{}), nil) }

// markupPages hold personal values only where extracted text never looks:
// the stored text of each is clean, the raw body is not.
var markupPages = []struct{ name, body, ctype string }{
	{"comment", `<html><body><p>Opening hours</p><!-- owner mobile ` + plantPhone + ` --></body></html>`, "text/html"},
	{"attribute", `<html><body><div data-owner-phone="` + plantPhone + `">Shop</div></body></html>`, "text/html"},
	{"tel link", `<html><body><a href="tel:+86` + plantPhone + `">call us</a></body></html>`, "text/html"},
	{"mailto", `<html><body><a href="mailto:` + plantMail + `">write</a></body></html>`, "text/html"},
	{"script", `<html><head><script>var owner={id:"` + plantID + `"};</script></head><body>Shop</body></html>`, "text/html"},
	{"hidden input", `<html><body><form><input type="hidden" name="card" value="` + plantCard + `"></form>Shop</body></html>`, "text/html"},
	{"json-ld", `<html><head><script type="application/ld+json">{"telephone":"+86-139-1234-5678"}</script></head><body>x</body></html>`, "text/html"},
	{"entities", `<html><body><span title="&#49;&#51;&#57;&#49;&#50;&#51;&#52;&#53;&#54;&#55;&#56;">x</span></body></html>`, "text/html"},
	{"percent", `<html><body><a href="/s?q=%31%33%39%31%32%33%34%35%36%37%38">x</a></body></html>`, "text/html"},
	{"js escapes", `<html><script>var p="\u0031\u0033\u0039\u0031\u0032\u0033\u0034\u0035\u0036\u0037\u0038";</script>x</html>`, "text/html"},
	{"style", `<html><head><style>/* contact ` + plantMail + ` */ p{}</style></head><body>x</body></html>`, "text/html"},
	{"noscript", `<html><body><noscript>手机：` + plantPhone + `</noscript>x</body></html>`, "text/html"},
	{"plain text", "contact: " + plantPhone + "\n", "text/plain"},
}

// TestScreenFindsMarkupValues: every view a reader could make of a body is
// screened.
func TestScreenFindsMarkupValues(t *testing.T) {
	d := testDecider()
	for _, p := range markupPages {
		t.Run(p.name, func(t *testing.T) {
			s := screen(d, nil, []byte(p.body), p.ctype)
			if s.clean {
				t.Fatalf("screen found nothing in a body with a planted value (%s)", p.name)
			}
		})
	}
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("<html><body><!-- 联系人手机 " + plantPhone + " --> 你好</body></html>")
	if s := screen(d, nil, []byte(gbk), "text/html; charset=gbk"); s.clean {
		t.Fatal("screen missed a value in a GBK comment")
	}
	head := []byte("HTTP/1.1 302 Found\r\nLocation: /u?mobile=" + plantPhone + "\r\n\r\n")
	if s := screen(d, head, nil, ""); s.clean {
		t.Fatal("screen missed a value in a header field")
	}
	clean := `<html><head><title>Library</title><script>var n=3;</script></head><body><p>The city library opens at nine.</p><a href="/p/1.html">next</a></body></html>`
	if s := screen(d, []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"), []byte(clean), "text/html"); !s.clean {
		t.Fatalf("a clean page was refused: %s", s.why())
	}
}

// TestNoRawResponseForMarkupValues is the end-to-end hostile case: a page
// whose stored text is clean but whose raw body carries a value gets a
// conversion record, never a response, and no planted value is anywhere in
// the decompressed WARC bytes.
func TestNoRawResponseForMarkupValues(t *testing.T) {
	dir := t.TempDir()
	w := openTest(t, dir, 0)
	d := testDecider()
	for i, p := range markupPages {
		u := "http://shop.test:8080/m/" + strings.ReplaceAll(p.name, " ", "-")
		rec := &scruple.Record{URL: u, FinalURL: u, Kind: scruple.KindPage, Status: 200, FetchedAt: time.Now(),
			ContentType: p.ctype, Text: "Shop", Title: "Shop"}
		ref, err := w.Capture(Capture{Record: rec, Exchange: exchange(u, p.body, p.ctype), Decider: d})
		if err != nil {
			t.Fatal(err)
		}
		if ref.Type == TypeResponse || ref.Type == TypeRevisit {
			t.Errorf("page %d (%s): archived raw as a %s record", i, p.name, ref.Type)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	assertNoPlanted(t, dir, plantPhone, plantID, plantCard, plantMail, "139-1234-5678")
}

func exchange(u, body, ctype string) *Exchange {
	return &Exchange{URL: u, RemoteAddr: "127.0.0.2:8080", Proto: "HTTP/1.1", Status: 200,
		Header:        http.Header{"Content-Type": {ctype}, "Content-Length": {itoa(len(body))}},
		RequestHeader: http.Header{"User-Agent": {"scruple/test"}, "Host": {"shop.test:8080"}},
		Body:          []byte(body), Date: time.Now()}
}

func openTest(t *testing.T, dir string, max int64) *Writer {
	t.Helper()
	w, err := Open(Options{Dir: dir, MaxSize: max, Software: "scruple/test", UserAgent: "scruple/test",
		PolicyVersion: "policy-hash", DetectorVersion: "pii-test", Purpose: "testing", Operator: "Test Operator"})
	if err != nil {
		t.Fatal(err)
	}
	checkArchiveAtEnd(t, dir)
	return w
}

// decompressed returns the decompressed bytes of every file in dir whose
// name ends in Ext or Ext+OpenExt.
func decompressed(t *testing.T, dir string) []byte {
	t.Helper()
	var all bytes.Buffer
	files, _ := filepath.Glob(filepath.Join(dir, "*"+Ext+"*"))
	for _, p := range files {
		if strings.HasSuffix(p, IdxExt) {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(&all, zr); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	return all.Bytes()
}

// assertNoPlanted fails, printing only counts, when any value occurs in the
// decompressed WARC files, the record lists or the index of dir.
func assertNoPlanted(t *testing.T, dir string, values ...string) {
	t.Helper()
	all := decompressed(t, dir)
	if len(all) == 0 {
		t.Fatal("no WARC bytes")
	}
	others, _ := filepath.Glob(filepath.Join(dir, "*"+IdxExt))
	others = append(others, filepath.Join(dir, IndexFile))
	for _, p := range others {
		b, _ := os.ReadFile(p)
		all = append(all, b...)
	}
	for i, v := range values {
		if n := bytes.Count(all, []byte(v)); n > 0 {
			t.Errorf("planted value #%d occurs %d times in the archive", i, n)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
