package scan

import (
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

// Hostile e-mail, CSV and JSON: records that never end, nesting without
// end, charsets that lie, encodings broken halfway.

// planted is a value planted in a place a reader might not look.
type planted struct {
	typ  pii.Type
	val  string
	what string
}

// expectFound checks that each planted value was found; messages name the
// place and type, never the value.
func expectFound(t *testing.T, rs []*FileResult, ps ...planted) {
	t.Helper()
	for _, p := range ps {
		if !found(rs, p.typ, p.val) {
			t.Errorf("%s in %s not found", p.typ, p.what)
		}
	}
}

// found reports whether some result holds a finding of type typ with value
// val (the results were produced with Options.Values).
func found(rs []*FileResult, typ pii.Type, val string) bool {
	for _, r := range rs {
		for _, f := range r.Findings {
			if f.Type == typ && f.Value == val {
				return true
			}
		}
	}
	return false
}

func TestHostileRecords(t *testing.T) {
	filler := strings.Repeat("filler,row\n", (24<<20)/11)
	lim := Limits{MaxRecord: 1 << 20}
	cases := []struct {
		name string
		data []byte
	}{
		// A header line of 32 MiB before the real headers.
		{"long-header.eml", []byte("X-Junk: " + strings.Repeat("a", 32<<20) + "\r\nFrom: a@example.com\r\nTo: b@example.com\r\nSubject: 手机 " + vMobile + "\r\n\r\nbody\r\n")},
		// Half a million short headers.
		{"many-headers.eml", []byte("From: a@example.com\r\nTo: b@example.com\r\n" + strings.Repeat("X-A: b\r\n", 500_000) + "Subject: 手机 " + vMobile + "\r\n\r\nbody\r\n")},
		// A quote opened and never closed: the rest of the file is one cell.
		{"quote.csv", []byte("name,phone\n\"unclosed,x\n" + filler + "end,手机 " + vMobile + "\n")},
		// One row of four million columns.
		{"wide.csv", []byte(strings.Repeat("x,", 4<<20) + "手机 " + vMobile + "\n")},
		// Ten million arrays in each other.
		{"deep.json", []byte(strings.Repeat("[", 10<<20) + `{"phone":"` + vMobile + `"}`)},
		// A string of 32 MiB before the value.
		{"long-string.json", []byte(`{"note":"` + strings.Repeat("a", 32<<20) + `","phone":"` + vMobile + `"}`)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var rs []*FileResult
			peak := scantest.PeakHeap(func() { rs = scanOne(t, c.name, c.data, lim) })
			t.Logf("peak heap %d MiB for %d MiB", peak>>20, len(c.data)>>20)
			if peak > 96<<20 {
				t.Errorf("peak heap %d MiB with MaxRecord 1 MiB", peak>>20)
			}
			if !found(rs, pii.Mobile, vMobile) && !failedWith(rs, ErrLimit) {
				t.Errorf("the value after the long record is neither found nor the record reported")
			}
		})
	}
}

// TestHostileMIME: structure that lies or breaks.
func TestHostileMIME(t *testing.T) {
	deep := "From: a@example.com\r\nTo: b@example.com\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"
	for i := range 5000 {
		deep += fmt.Sprintf("--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i, i+1)
	}
	deep += "--b5000\r\nContent-Type: text/plain\r\n\r\n手机 " + vMobile + "\r\n"
	b64 := base64.StdEncoding.EncodeToString([]byte("手机 " + vMobile + "\n" + strings.Repeat("x", 300) + "\n"))
	cases := map[string]string{
		"deep.eml": deep,
		// base64 that breaks after the value: what was decoded stands.
		"badb64.eml": "From: a@example.com\r\nTo: b@example.com\r\nContent-Transfer-Encoding: base64\r\n\r\n" + b64 + "\r\n====AAAA\r\n",
		// A multipart without its boundary parameter, and one never closed.
		"noboundary.eml": "From: a@example.com\r\nTo: b@example.com\r\nContent-Type: multipart/mixed\r\n\r\n--x\r\n\r\n手机 " + vMobile + "\r\n",
		"unclosed.eml":   "From: a@example.com\r\nTo: b@example.com\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\n手机 " + vMobile + "\r\n",
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			rs := scanOne(t, name, []byte(data), Limits{})
			if name == "deep.eml" && failedWith(rs, ErrLimit) {
				return // nesting past MaxDepth is reported, not read
			}
			if !found(rs, pii.Mobile, vMobile) {
				var errs []string
				for _, r := range rs {
					if r.Err != nil {
						errs = append(errs, r.Part+": "+r.Err.Error())
					}
				}
				t.Errorf("value not found (errors %v)", errs)
			}
		})
	}
}

// TestHostileCharsetLies: declared charsets that the bytes contradict. A
// passport number is found only with its label, so the label must be
// decoded right.
func TestHostileCharsetLies(t *testing.T) {
	gbk := scantest.GBK(t, "护照号码："+vPass+"\n")
	mail := func(charset string, body []byte) []byte {
		return append([]byte("From: a@example.com\r\nTo: b@example.com\r\nContent-Type: text/plain; charset="+charset+"\r\n\r\n"), body...)
	}
	cases := map[string][]byte{
		"gbk-as-utf8.eml":     mail("utf-8", gbk),
		"ascii-as-utf16.eml":  mail("utf-16le", []byte("passport no: "+vPass+"\n")),
		"utf8-as-gbk.eml":     mail("gbk", []byte("护照号码："+vPass+"\n")),
		"unknown-charset.eml": mail("x-no-such-charset", gbk),
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			if rs := scanOne(t, name, data, Limits{}); !found(rs, pii.Passport, vPass) {
				t.Errorf("passport number behind a lying charset not found")
			}
		})
	}
}

// TestHostileValuesAroundBrokenParts: a part that breaks after some values
// keeps the values read before the break, and says it broke.
func TestHostileValuesAroundBrokenParts(t *testing.T) {
	gzipped := gz(t, []byte("手机 "+vMobile+"\n"+strings.Repeat("x\n", 1000)))
	rs := scanOne(t, "cut.log.gz", gzipped[:len(gzipped)-12], Limits{})
	if !found(rs, pii.Mobile, vMobile) {
		t.Errorf("value before the cut of a truncated gzip dropped")
	}
	failed := false
	for _, r := range rs {
		failed = failed || r.Err != nil
	}
	if !failed {
		t.Errorf("truncated gzip not reported")
	}
}
