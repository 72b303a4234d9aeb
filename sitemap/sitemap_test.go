package sitemap

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

func gz(t testing.TB, s string) string {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := w.Write([]byte(s)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

const urlset = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:image="http://www.google.com/schemas/sitemap-image/1.1">
  <url>
    <loc>
      https://www.example.com/a
    </loc>
    <lastmod>2024-01-01</lastmod>
    <image:image><image:loc>https://www.example.com/img.png</image:loc></image:image>
  </url>
  <url><loc>https://www.example.com/b?x=1&amp;y=2</loc></url>
  <url><loc></loc></url>
  <url><loc><![CDATA[https://www.example.com/c]]></loc></url>
</urlset>`

const index = `<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap><loc>https://www.example.com/s1.xml.gz</loc></sitemap>
  <sitemap><loc>https://www.example.com/s2.xml</loc><lastmod>2024-01-01</lastmod></sitemap>
</sitemapindex>`

func TestParse(t *testing.T) {
	abc := []string{"https://www.example.com/a", "https://www.example.com/b?x=1&y=2", "https://www.example.com/c"}
	cases := []struct {
		name  string
		in    string
		limit Limits
		kind  string
		urls  []string
		err   error
	}{
		{"urlset", urlset, Limits{}, KindURLSet, abc, nil},
		{"index", index, Limits{}, KindIndex, []string{"https://www.example.com/s1.xml.gz", "https://www.example.com/s2.xml"}, nil},
		{"gzip urlset", gz(t, urlset), Limits{}, KindURLSet, abc, nil},
		{"gzip text", gz(t, "https://a.test/1\nhttps://a.test/2\n"), Limits{}, KindText, []string{"https://a.test/1", "https://a.test/2"}, nil},
		{"no namespace, odd case", `<URLSET><Url><LOC>http://a.test/</LOC></Url></URLSET>`, Limits{}, KindURLSet, []string{"http://a.test/"}, nil},
		{"prefixed namespace", `<sm:urlset xmlns:sm="http://www.sitemaps.org/schemas/sitemap/0.9"><sm:url><sm:loc>http://a.test/x</sm:loc></sm:url></sm:urlset>`, Limits{}, KindURLSet, []string{"http://a.test/x"}, nil},
		{"bom and whitespace", "\xef\xbb\xbf \n " + index, Limits{}, KindIndex, []string{"https://www.example.com/s1.xml.gz", "https://www.example.com/s2.xml"}, nil},
		{"latin1 declared", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><urlset><url><loc>http://a.test/caf\xe9</loc></url></urlset>", Limits{}, KindURLSet, []string{"http://a.test/café"}, nil},
		{"windows-1252 declared", "<?xml version='1.0' encoding='windows-1252'?><urlset><url><loc>http://a.test/\x80</loc></url></urlset>", Limits{}, KindURLSet, []string{"http://a.test/€"}, nil},
		{"utf-16 with BOM", utf16LE(`<?xml version="1.0" encoding="UTF-16"?><urlset><url><loc>http://a.test/u</loc></url></urlset>`), Limits{}, KindURLSet, []string{"http://a.test/u"}, nil},
		{"html entity", `<urlset><url><loc>http://a.test/?a=1&nbsp;</loc></url></urlset>`, Limits{}, KindURLSet, []string{"http://a.test/?a=1"}, nil},
		{"text", "https://a.test/1\r\n\n  http://a.test/2  \n# comment\nftp://a.test/x\nnot a url\nHTTPS://A.test/3", Limits{}, KindText, []string{"https://a.test/1", "http://a.test/2", "HTTPS://A.test/3"}, nil},
		{"text with BOM", "\xef\xbb\xbfhttps://a.test/1\n", Limits{}, KindText, []string{"https://a.test/1"}, nil},
		{"empty", "", Limits{}, KindText, nil, nil},
		{"whitespace only", " \n\t ", Limits{}, KindText, nil, nil},
		{"text overlong line skipped", "https://a.test/" + strings.Repeat("x", 20000) + "\nhttps://a.test/ok\n", Limits{}, KindText, []string{"https://a.test/ok"}, nil},
		{"truncated xml", `<urlset><url><loc>http://a.test/1</loc></url><url><loc>http://a.te`, Limits{}, KindURLSet, []string{"http://a.test/1"}, ErrMalformed},
		{"garbage after root", `<urlset><url><loc>http://a.test/1</loc></url></urlset><<<&&&`, Limits{}, KindURLSet, []string{"http://a.test/1"}, ErrMalformed},
		{"mismatched tags tolerated", `<urlset><url><loc>http://a.test/1</loc></uRl><url><loc>http://a.test/2</loc></url></urlset>`, Limits{}, KindURLSet, []string{"http://a.test/1", "http://a.test/2"}, nil},
		{"deep nesting", "<urlset>" + strings.Repeat("<a>", 100), Limits{}, KindURLSet, nil, ErrMalformed},
		{"self-closing loc", `<urlset><url><loc/></url><url><loc>http://a.test/</loc></url></urlset>`, Limits{}, KindURLSet, []string{"http://a.test/"}, nil},
		{"loc outside url ignored", `<urlset><loc>http://a.test/no</loc><url><x><loc>http://a.test/no2</loc></x></url></urlset>`, Limits{}, KindURLSet, nil, nil},
		{"html page", `<!DOCTYPE html><html><body>404</body></html>`, Limits{}, "", nil, ErrNotSitemap},
		{"rss feed", `<rss><channel><link>http://a.test/</link></channel></rss>`, Limits{}, "", nil, ErrNotSitemap},
		{"only a comment", `<!-- nothing -->`, Limits{}, "", nil, ErrNotSitemap},
		{"unknown charset", `<?xml version="1.0" encoding="x-klingon"?><urlset/>`, Limits{}, "", nil, ErrMalformed},
		{"corrupt gzip", "\x1f\x8bnot really gzip at all", Limits{}, "", nil, ErrMalformed},
		{"truncated gzip", gz(t, urlset)[:40], Limits{}, "", nil, ErrMalformed},
		{"too many urls", urlset, Limits{MaxURLs: 2}, KindURLSet, abc[:2], ErrTooManyURLs},
		{"too many text urls", "http://a.test/1\nhttp://a.test/2\n", Limits{MaxURLs: 1}, KindText, []string{"http://a.test/1"}, ErrTooManyURLs},
		{"exactly max urls", "http://a.test/1\nhttp://a.test/2\n", Limits{MaxURLs: 2}, KindText, []string{"http://a.test/1", "http://a.test/2"}, nil},
		{"too large xml", urlset, Limits{MaxBytes: 400}, KindURLSet, abc[:1], ErrTooLarge},
		{"too large text drops cut line", "http://a.test/1\nhttp://a.test/22222\n", Limits{MaxBytes: 20}, KindText, []string{"http://a.test/1"}, ErrTooLarge},
		{"exactly max bytes", "http://a.test/1\n", Limits{MaxBytes: 16}, KindText, []string{"http://a.test/1"}, nil},
		{"too large gzip", gz(t, urlset), Limits{MaxBytes: 400}, KindURLSet, abc[:1], ErrTooLarge},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sm, err := Parse(strings.NewReader(tc.in), tc.limit)
			if sm == nil {
				t.Fatal("nil Sitemap")
			}
			if tc.err == nil && err != nil || tc.err != nil && !errors.Is(err, tc.err) {
				t.Fatalf("err = %v, want %v", err, tc.err)
			}
			if tc.kind != "" && sm.Kind != tc.kind {
				t.Errorf("Kind = %q, want %q", sm.Kind, tc.kind)
			}
			if !reflect.DeepEqual(sm.URLs, tc.urls) {
				t.Errorf("URLs = %q, want %q", sm.URLs, tc.urls)
			}
		})
	}
}

func utf16LE(s string) string {
	b := []byte{0xff, 0xfe}
	for _, r := range s { // ASCII-only test input
		b = append(b, byte(r), 0)
	}
	return string(b)
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestGzipBomb compresses 100 MiB of zeros (about 100 KiB on the wire)
// and checks that Parse stops at the byte cap, for both a small cap and the
// 50 MiB default: it reads no more of the compressed stream than the cap's
// share of it (zeros compress uniformly) plus a little buffering, so it
// decompressed no more than the cap. (Counted, not timed: a wall-clock
// bound fails on a loaded machine and passes a slow leak on a fast one.)
func TestGzipBomb(t *testing.T) {
	const total = 100 << 20
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	if _, err := io.CopyN(w, zeros{}, total); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	bomb := b.Bytes()
	t.Logf("100 MiB of zeros compresses to %d bytes", len(bomb))

	for _, tc := range []struct {
		name  string
		limit Limits
		cap   int64
	}{
		{"1MiB cap", Limits{MaxBytes: 1 << 20}, 1 << 20},
		{"default cap", Limits{}, DefaultMaxBytes},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && tc.limit.MaxBytes == 0 {
				t.Skip("decompresses 50 MiB")
			}
			cr := &countingReader{r: bytes.NewReader(bomb)}
			sm, err := Parse(cr, tc.limit)
			if !errors.Is(err, ErrTooLarge) {
				t.Fatalf("err = %v, want ErrTooLarge", err)
			}
			if len(sm.URLs) != 0 {
				t.Errorf("URLs = %d", len(sm.URLs))
			}
			// The cap's share of the compressed bytes, plus the readers'
			// buffers (bufio and flate read ahead a few KiB).
			share := int64(len(bomb)) * tc.cap / total
			if max := share + 16<<10; cr.n > max || cr.n >= int64(len(bomb)) {
				t.Errorf("read %d of %d compressed bytes, want at most %d: decompressed past the %d-byte cap",
					cr.n, len(bomb), max, tc.cap)
			}
		})
	}
}

func TestEndlessBody(t *testing.T) {
	// An endless body must stop at the cap, XML or not.
	for _, prefix := range []string{"<urlset><url><loc>", "http://a.test/"} {
		r := io.MultiReader(strings.NewReader(prefix), zeros{})
		_, err := Parse(r, Limits{MaxBytes: 1 << 20})
		if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrMalformed) {
			t.Errorf("%q: err = %v", prefix, err)
		}
	}
}

type failReader struct{}

var errBoom = errors.New("boom")

func (failReader) Read([]byte) (int, error) { return 0, errBoom }

func TestReaderErrorPassesThrough(t *testing.T) {
	_, err := Parse(io.MultiReader(strings.NewReader("<urlset><url>"), failReader{}), Limits{})
	if !errors.Is(err, errBoom) {
		t.Fatalf("err = %v", err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(urlset))
	f.Add([]byte(index))
	f.Add([]byte(gz(f, urlset)))
	f.Add([]byte("https://a.test/1\nhttps://a.test/2"))
	f.Add([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?><urlset><url><loc>x</loc></url></urlset>`))
	f.Add([]byte(utf16LE(`<urlset><url><loc>http://a.test/u</loc></url></urlset>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		limit := Limits{MaxURLs: 100, MaxBytes: 1 << 16}
		sm, err := Parse(bytes.NewReader(data), limit)
		if sm == nil {
			t.Fatal("nil Sitemap")
		}
		if len(sm.URLs) > limit.MaxURLs {
			t.Fatalf("%d URLs > limit", len(sm.URLs))
		}
		for _, u := range sm.URLs {
			if u == "" || u != strings.TrimSpace(u) {
				t.Fatalf("untrimmed or empty URL %q", u)
			}
		}
		switch sm.Kind {
		case "", KindURLSet, KindIndex, KindText:
		default:
			t.Fatalf("kind %q", sm.Kind)
		}
		_ = err
	})
}
