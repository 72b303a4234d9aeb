package warc

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"

	"github.com/scruple/scruple/internal/warciotest"
)

// awkward are strings that JSON must escape or that a hand-written encoder
// could get wrong.
var awkward = []string{"", "plain", `quo"te`, `back\slash`, "tab\there", "nl\nx", "ctl\x01\x1f", "<a&b>",
	"caf\u00e9", "\u2028\u2029", "bad\xffutf8", "\x7f", "http://www.a.test/p?q=<1>&r=\"2\""}

// TestAppendEntryMatchesEncodingJSON: the record list lines written without
// reflection are byte for byte what encoding/json wrote before.
func TestAppendEntryMatchesEncodingJSON(t *testing.T) {
	for i, s := range awkward {
		for _, e := range []entry{
			{Offset: int64(i), Length: 99, Type: s, ID: s, URI: s, Date: s, Mime: s, HTTPMime: s, Status: i, Digest: s},
			{Type: TypeRequest, ID: "<urn:uuid:x>", Date: "2026-01-02T03:04:05Z"},
		} {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			enc.Encode(&e)
			if got := appendEntry(nil, &e); !bytes.Equal(got, want.Bytes()) {
				t.Errorf("entry %d:\n got %s\nwant %s", i, got, want.Bytes())
			}
			var back entry
			if err := json.Unmarshal(appendEntry(nil, &e), &back); err != nil {
				t.Errorf("entry %d does not parse: %v", i, err)
			}
		}
	}
}

// TestCDXJLineMatchesEncodingJSON: the index lines written without
// reflection equal the ones formatted with encoding/json and the regular
// expressions of the CDXJ indexers.
func TestCDXJLineMatchesEncodingJSON(t *testing.T) {
	type line struct {
		URL      string `json:"url"`
		Mime     string `json:"mime,omitempty"`
		Status   string `json:"status,omitempty"`
		Digest   string `json:"digest,omitempty"`
		Length   string `json:"length"`
		Offset   string `json:"offset"`
		Filename string `json:"filename"`
	}
	ts := strings.NewReplacer("-", "", ":", "", "T", "")
	for i, s := range awkward {
		for _, e := range []entry{
			{Offset: 7, Length: int64(i), Type: TypeResponse, URI: "http://www2.a.test/x?" + s, Date: "2026-12-05T10:11:12.5Z", HTTPMime: s + "; charset=x", Status: 200, Digest: "sha256:" + s},
			{Type: TypeConversion, URI: s, Date: s, Mime: s},
			{Type: TypeRevisit, URI: "https://b.test/" + s, Date: "2026-12-05T10:11:12Z", Status: 304},
		} {
			got, ok := cdxjLine(&e, "f"+s+".warc.gz")
			if !ok {
				t.Fatalf("entry %d not indexed", i)
			}
			l := line{URL: e.URI, Length: strconv.FormatInt(e.Length, 10), Offset: strconv.FormatInt(e.Offset, 10), Filename: "f" + s + ".warc.gz"}
			switch e.Type {
			case TypeResponse:
				l.Mime = strings.TrimSpace(strings.SplitN(e.HTTPMime, ";", 2)[0])
				l.Status = strconv.Itoa(e.Status)
			case TypeRevisit:
				l.Mime, l.Status = "warc/revisit", strconv.Itoa(e.Status)
			default:
				l.Mime = e.Mime
			}
			if _, d, ok := strings.Cut(e.Digest, ":"); ok {
				l.Digest = d
			}
			var b bytes.Buffer
			enc := json.NewEncoder(&b)
			enc.SetEscapeHTML(false)
			enc.Encode(l)
			stamp := ts.Replace(e.Date)
			if len(stamp) > 14 {
				stamp = stamp[:14]
			}
			want := SURT(e.URI) + " " + stamp + " " + strings.TrimSuffix(b.String(), "\n")
			if string(got) != want {
				t.Errorf("entry %d:\n got %s\nwant %s", i, got, want)
			}
		}
	}
}

// wwwRE is the CDXJ indexers' "www" rule that dropWWW implements.
var wwwRE = regexp.MustCompile(`^(https?://)www\d*\.`)

func TestDropWWWMatchesRegexp(t *testing.T) {
	for _, s := range []string{"http://www.a.test/", "https://www12.a.test", "http://www", "http://www.", "http://wwwx.a/",
		"http://www1x.a/", "HTTP://www.a/", "https://WWW.a/", "ftp://www.a/", "http://a.www.b/", "https://www..a", ""} {
		if got, want := dropWWW(s), wwwRE.ReplaceAllString(s, "$1"); got != want {
			t.Errorf("dropWWW(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestSmallRecordsStored: a record under storeBelow is stored in its gzip
// member, a larger one deflated; both decompress to the whole record.
func TestSmallRecordsStored(t *testing.T) {
	w := openTest(t, t.TempDir(), 0)
	defer w.Close()
	small := newDraft(TypeMetadata, time.Now())
	small.add(fieldContentType, ContentFields)
	small.write([]byte("reason: a short one\r\n"))
	big := conversion("http://a.test/", strings.Repeat("garden path ", 2000), time.Now(), nil)
	b, err := w.build([]*draft{small, big})
	if err != nil {
		t.Fatal(err)
	}
	defer w.release(b)
	for i, m := range b.ms {
		zr, err := gzip.NewReader(bytes.NewReader(m.gz))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := io.ReadAll(zr)
		if err != nil || !bytes.HasPrefix(raw, []byte("WARC/1.1\r\n")) || !bytes.HasSuffix(raw, []byte("\r\n\r\n")) {
			t.Fatalf("member %d does not hold a whole record: %v", i, err)
		}
		stored := len(m.gz) > len(raw)
		if want := len(raw) < storeBelow; stored != want {
			t.Errorf("member %d (%d bytes raw, %d in gzip): stored %v, want %v", i, len(raw), len(m.gz), stored, want)
		}
	}
}

// TestLevels: every accepted compression (the default per record type,
// Huffman-only, level 1, level 9) writes whole gzip members that gowarc and
// warcio read with every digest intact; by default a response is deflated
// at level 1 and a conversion Huffman-coded only; levels outside the
// accepted set are refused.
func TestLevels(t *testing.T) {
	for _, bad := range []int{-1, -3, 10} {
		if w, err := Open(Options{Dir: t.TempDir(), Level: bad}); err == nil {
			w.Close()
			t.Errorf("level %d accepted", bad)
		}
	}
	d := testDecider()
	text := strings.Repeat("The garden path by the river, 河流旁边的花园小路。", 200)
	resp, conv := map[int]int64{}, map[int]int64{}
	for _, level := range []int{0, gzip.HuffmanOnly, gzip.BestSpeed, gzip.BestCompression} {
		dir := t.TempDir()
		w, err := Open(Options{Dir: dir, Level: level, Software: "scruple/test"})
		if err != nil {
			t.Fatalf("level %d: %v", level, err)
		}
		// A clean page of more than 2 KiB: request + response.
		u := "http://library.test/clean.html"
		body := cleanPage + strings.Repeat(" garden", 600)
		ref, err := w.Capture(Capture{Record: page(u, body), Exchange: exchange(u, body, "text/html; charset=utf-8"), Decider: d})
		if err != nil {
			t.Fatal(err)
		}
		if ref.Type != TypeResponse {
			t.Fatalf("level %d: principal record %s, want a response", level, ref.Type)
		}
		resp[level] = ref.Length
		// A clean stored text whose raw body links to an IP address: a
		// conversion record of 2 KiB or more.
		u = "http://library.test/conv.html"
		body = "<html><body><p>" + text + `</p><a href="http://192.0.2.7/">x</a></body></html>`
		rec := page(u, body)
		rec.Text = text
		if ref, err = w.Capture(Capture{Record: rec, Exchange: exchange(u, body, "text/html; charset=utf-8"), Decider: d}); err != nil {
			t.Fatal(err)
		}
		if ref.Type != TypeConversion {
			t.Fatalf("level %d: principal record %s, want a conversion", level, ref.Type)
		}
		conv[level] = ref.Length
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		files, _ := Files(dir)
		var paths []string
		for _, f := range files {
			p := filepath.Join(dir, f)
			paths = append(paths, p)
			if probs, err := Check(p, nil); err != nil || len(probs) > 0 {
				t.Errorf("level %d: gowarc: %v %v", level, err, probs)
			}
		}
		for _, p := range warciotest.Check(t, paths...).Problems {
			t.Errorf("level %d: warcio: %s", level, p)
		}
	}
	// Records of one type differ only in their IDs and dates (RFC 3339 with
	// the fraction's trailing zeros dropped): a few bytes.
	near := func(a, b int64) bool { return a-b >= -16 && a-b <= 16 }
	if !near(conv[0], conv[gzip.HuffmanOnly]) || conv[gzip.BestSpeed] >= conv[gzip.HuffmanOnly] {
		t.Errorf("conversion member sizes by level %v: want default ≈ Huffman-only > level 1", conv)
	}
	if !near(resp[0], resp[gzip.BestSpeed]) || resp[gzip.BestSpeed] >= resp[gzip.HuffmanOnly] {
		t.Errorf("response member sizes by level %v: want default ≈ level 1 < Huffman-only", resp)
	}
}
