package warc

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/klauspost/compress/gzip"
)

func FuzzUnescape(f *testing.F) {
	for _, s := range []string{"%31%33", `\u0031\ud83d\ude00`, `\x41\/`, "%", `\u12`, "%zz", "plain"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		u, changed := unescape(s)
		if changed && !utf8.ValidString(u) {
			t.Fatal("invalid UTF-8 out")
		}
		if !changed && u != s {
			t.Fatal("unchanged but different")
		}
	})
}

func FuzzSURT(f *testing.F) {
	for _, s := range []string{"http://www.a.com/b?c=1&a=2", "https://[::1]:8443/x", "http://", "ftp://x", "http://a..b/%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := SURT(s)
		if a, b := dropWWW(s), wwwRE.ReplaceAllString(s, "$1"); a != b {
			t.Fatalf("dropWWW(%q) = %q, the indexers' rule gives %q", s, a, b)
		}
		if !strings.HasPrefix(s, "http:") && !strings.HasPrefix(s, "https:") && got != s {
			t.Fatal("non-http URL changed")
		}
	})
}

// FuzzWholeMembers: the torn-tail finder never claims more than the file
// and always ends on a member boundary of a valid prefix.
func FuzzWholeMembers(f *testing.F) {
	var b bytes.Buffer
	for _, s := range []string{"WARC/1.1\r\n\r\n", "second"} {
		zw := gzip.NewWriter(&b)
		zw.Write([]byte(s))
		zw.Close()
	}
	f.Add(b.Bytes(), 10)
	f.Add([]byte{0x1f, 0x8b}, 0)
	f.Fuzz(func(t *testing.T, data []byte, cut int) {
		if cut < 0 || cut > len(data) {
			cut = len(data)
		}
		end, err := wholeMembers(bytes.NewReader(data[:cut]))
		if err != nil || end < 0 || end > int64(cut) {
			t.Fatalf("end %d of %d: %v", end, cut, err)
		}
		again, _ := wholeMembers(bytes.NewReader(data[:end]))
		if again != end {
			t.Fatalf("prefix %d re-read as %d", end, again)
		}
	})
}

// FuzzScreen: screening never panics and a clean verdict has no types.
func FuzzScreen(f *testing.F) {
	f.Add([]byte(cleanPage), "text/html; charset=utf-8")
	f.Add([]byte(markupPages[0].body), "text/html")
	f.Add([]byte{0xff, 0xfe, 0x31, 0x00}, "text/plain; charset=utf-16")
	d := testDecider()
	f.Fuzz(func(t *testing.T, body []byte, ctype string) {
		r := screen(d, nil, body, ctype)
		if r.clean && (len(r.types) > 0 || r.drop != "") {
			t.Fatal("clean with reasons")
		}
	})
}
