package provenance

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// TestRecordJSONFields pins the fields appendRecordJSON writes: a field
// added to (or renamed, retyped, re-tagged in) scruple.Record or the types
// it holds fails here until the encoder writes it too.
func TestRecordJSONFields(t *testing.T) {
	want := map[string]string{
		"Record": "ID int64 id|URL string url|FinalURL string final_url|Kind scruple.Kind kind|" +
			"Status int status|FetchedAt time.Time fetched_at|ContentType string content_type,omitempty|" +
			"Charset string charset,omitempty|Title string title,omitempty|Lang string lang,omitempty|" +
			"Text string text,omitempty|Canonical string canonical,omitempty|Depth int depth|" +
			"From string from,omitempty|Source scruple.Source source,omitempty|Digest string digest,omitempty|" +
			"Size int64 size|DuplicateOf string duplicate_of,omitempty|Location string location,omitempty|" +
			"Robots *scruple.RobotsVerdict robots,omitempty|NoFollow bool nofollow,omitempty|" +
			"Reason string reason,omitempty|Links int links|" +
			"OverlongUnrecorded int overlong_links_unrecorded,omitempty|" +
			"Findings []scruple.Finding findings,omitempty|Salt string salt,omitempty|" +
			"Sealed []scruple.Sealed sealed,omitempty|Version int64 -",
		"RobotsVerdict": "URL string url|Allowed bool allowed|Rule string rule|Digest string digest,omitempty",
		"Finding": "Type string type|Field string field,omitempty|Start int start|End int end|" +
			"Level string level,omitempty|Sensitive bool sensitive|Confidence float64 confidence|" +
			"Action string action|Consent string consent,omitempty|Subject string subject,omitempty",
		"Sealed": "Consent string consent|Box []uint8 box",
	}
	for _, v := range []any{scruple.Record{}, scruple.RobotsVerdict{}, scruple.Finding{}, scruple.Sealed{}} {
		typ := reflect.TypeOf(v)
		var got []string
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			got = append(got, f.Name+" "+f.Type.String()+" "+f.Tag.Get("json"))
		}
		if g := strings.Join(got, "|"); g != want[typ.Name()] {
			t.Errorf("scruple.%s changed; update appendRecordJSON (provenance/recordjson.go) and this test:\n got %s\nwant %s",
				typ.Name(), g, want[typ.Name()])
		}
	}
	for _, typ := range []reflect.Type{reflect.TypeOf(scruple.Kind("")), reflect.TypeOf(scruple.Source("")),
		reflect.TypeOf(scruple.Record{}), reflect.TypeOf(scruple.RobotsVerdict{}), reflect.TypeOf(scruple.Finding{}),
		reflect.TypeOf(scruple.Sealed{})} {
		for _, m := range []reflect.Type{reflect.TypeOf((*json.Marshaler)(nil)).Elem(),
			reflect.TypeOf((*interface{ MarshalText() ([]byte, error) })(nil)).Elem()} {
			if typ.Implements(m) || reflect.PointerTo(typ).Implements(m) {
				t.Errorf("%s now has its own JSON or text encoding; appendRecordJSON does not call it", typ)
			}
		}
	}
}

// checkRecordJSON compares AppendRecordLine with json.Marshal of the record
// as AppendRecordLine documents it.
func checkRecordJSON(t *testing.T, r *scruple.Record, id int64) {
	t.Helper()
	c := *r
	c.ID = id
	c.FetchedAt = r.FetchedAt.UTC()
	want, err := json.Marshal(&c)
	if err != nil {
		defer func() {
			if recover() == nil {
				t.Fatalf("json.Marshal fails (%v), AppendRecordLine did not panic", err)
			}
		}()
		AppendRecordLine(nil, r, id)
		return
	}
	if got := AppendRecordLine(nil, r, id); !bytes.Equal(got, want) {
		t.Fatalf("AppendRecordLine differs from json.Marshal:\n got %s\nwant %s", got, want)
	}
	prefix := []byte("prefix ")
	if got := AppendRecordLine(prefix, r, id); !bytes.Equal(got, append([]byte("prefix "), want...)) {
		t.Fatalf("AppendRecordLine(buf) differs from buf + json.Marshal:\n got %s\nwant prefix %s", got, want)
	}
}

// jsonTricky holds the characters encoding/json treats specially.
var jsonTricky = []string{"", "a", "\"", "\\", "<", ">", "&", "\x00", "\x01", "\x1f", "\x7f", "\b", "\f", "\n",
	"\r", "\t", "\u2028", "\u2029", "\u2027", "\u202a", "\xff", "\xe4\xb8", "\xed\xa0\x80", "中文", "é", "😀",
	"\xf4\x90\x80\x80", " ", "/", "'", "+"}

func randJSONString(rng *rand.Rand) string {
	if rng.Intn(4) == 0 {
		return ""
	}
	var b strings.Builder
	for n := rng.Intn(12); n > 0; n-- {
		if rng.Intn(3) == 0 {
			b.WriteString("plain text ")
		} else {
			b.WriteString(jsonTricky[rng.Intn(len(jsonTricky))])
		}
	}
	return b.String()
}

func randRecord(rng *rand.Rand) *scruple.Record {
	s := func() string { return randJSONString(rng) }
	floats := []float64{0, 1, 0.97, 0.5, 1e-7, 1e-6, 5e-7, 1e21, 1e20, 123456789.123, -0.25, 1.0 / 3, math.SmallestNonzeroFloat64, math.MaxFloat64, math.Copysign(0, -1)}
	zones := []*time.Location{time.UTC, time.FixedZone("CST", 8*3600), time.FixedZone("X", -(3*3600 + 30*60)), time.Local}
	r := &scruple.Record{
		ID: rng.Int63n(1 << 40), URL: s(), FinalURL: s(), Kind: scruple.Kind(s()), Status: rng.Intn(600) - 1,
		FetchedAt:   time.Date(1990+rng.Intn(60), time.Month(1+rng.Intn(12)), 1+rng.Intn(28), rng.Intn(24), rng.Intn(60), rng.Intn(60), rng.Intn(3)*rng.Intn(1e9), zones[rng.Intn(len(zones))]),
		ContentType: s(), Charset: s(), Title: s(), Lang: s(), Text: s(), Canonical: s(), Depth: rng.Intn(20) - 2,
		From: s(), Source: scruple.Source(s()), Digest: s(), Size: rng.Int63() - rng.Int63(), DuplicateOf: s(),
		Location: s(), NoFollow: rng.Intn(2) == 0, Reason: s(), Links: rng.Intn(100), OverlongUnrecorded: rng.Intn(3),
		Salt: s(), Version: rng.Int63(),
	}
	if rng.Intn(2) == 0 {
		r.Robots = &scruple.RobotsVerdict{URL: s(), Allowed: rng.Intn(2) == 0, Rule: s(), Digest: s()}
	}
	switch rng.Intn(3) {
	case 1:
		r.Findings = []scruple.Finding{}
	case 2:
		for n := 1 + rng.Intn(4); n > 0; n-- {
			r.Findings = append(r.Findings, scruple.Finding{Type: s(), Field: s(), Start: rng.Intn(1000), End: rng.Intn(1000),
				Level: s(), Sensitive: rng.Intn(2) == 0, Confidence: floats[rng.Intn(len(floats))], Action: s(),
				Consent: s(), Subject: s()})
		}
	}
	switch rng.Intn(3) {
	case 1:
		r.Sealed = []scruple.Sealed{}
	case 2:
		for n := 1 + rng.Intn(3); n > 0; n-- {
			var box []byte
			if k := rng.Intn(40) - 1; k >= 0 {
				box = make([]byte, k)
				rng.Read(box)
			}
			r.Sealed = append(r.Sealed, scruple.Sealed{Consent: s(), Box: box})
		}
	}
	return r
}

// TestRecordJSONMatches checks appendRecordJSON against json.Marshal on the
// records the tests build and on random records full of characters that
// encoding/json escapes, every optional field set or not.
func TestRecordJSONMatches(t *testing.T) {
	for i := 0; i < 20; i++ {
		checkRecordJSON(t, testRecord(i), int64(i))
	}
	checkRecordJSON(t, &scruple.Record{}, 0)
	rng := rand.New(rand.NewSource(20261206))
	for i := 0; i < 20000; i++ {
		checkRecordJSON(t, randRecord(rng), rng.Int63n(1<<20)-5)
	}
}

// TestRecordJSONFallback: what encoding/json refuses (a year past 9999, a
// NaN confidence) still panics as before; a time with a large zone offset,
// which appendRecordJSON leaves to encoding/json, encodes as it does.
func TestRecordJSONFallback(t *testing.T) {
	r := testRecord(0)
	r.FetchedAt = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	checkRecordJSON(t, r, 1)
	r = testRecord(1)
	r.Findings[0].Confidence = math.NaN()
	checkRecordJSON(t, r, 1)
	r = testRecord(2)
	r.Findings[1].Confidence = math.Inf(-1)
	checkRecordJSON(t, r, 1)
	r = testRecord(2)
	r.FetchedAt = time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)
	checkRecordJSON(t, r, 1)
	if !strictRFC3339([]byte("2026-12-06T05:00:00.5+23:59")) || strictRFC3339([]byte("2026-12-06T05:00:00+24:00")) ||
		strictRFC3339([]byte("12026-12-06T05:00:00Z")) {
		t.Fatal("strictRFC3339 disagrees with time.Time.MarshalJSON's bounds")
	}
}

// FuzzRecordJSON compares appendRecordJSON with json.Marshal on arbitrary
// strings, numbers and bytes.
func FuzzRecordJSON(f *testing.F) {
	f.Add("https://h.example/p?a=1&b=<2>", "中文 text \u2028 \"q\" \\ \x00\xff", "cn_mobile", int64(1733461200123456789), 0.97, []byte{0, 1, 2}, 3, true)
	f.Add("", "", "", int64(0), 1e-7, []byte(nil), 0, false)
	f.Add("\xed\xa0\x80", "\t\n\r\b\f\x7f", "&", int64(-62135596800000000), 1e21, []byte{}, -1, true)
	f.Fuzz(func(t *testing.T, url, text, typ string, nanos int64, conf float64, box []byte, n int, flag bool) {
		r := &scruple.Record{URL: url, FinalURL: text, Kind: scruple.Kind(typ), Status: n, FetchedAt: time.Unix(0, nanos),
			Title: typ, Text: text, Depth: n, Source: scruple.Source(url), Size: nanos, NoFollow: flag, Links: n,
			OverlongUnrecorded: n, Reason: text, Salt: typ}
		if flag {
			r.Robots = &scruple.RobotsVerdict{URL: url, Allowed: n > 0, Rule: text, Digest: typ}
			r.Findings = []scruple.Finding{{Type: typ, Field: url, Start: n, End: -n, Level: text, Sensitive: flag,
				Confidence: conf, Action: typ, Consent: url, Subject: text}}
			r.Sealed = []scruple.Sealed{{Consent: text, Box: box}}
		}
		checkRecordJSON(t, r, nanos)
	})
}

// BenchmarkRecordLine encodes a record shaped like a page of the synthetic
// benchmark web (about 7 KB of half-Chinese text, three findings) with
// AppendRecordLine and, for comparison, with encoding/json.
func BenchmarkRecordLine(b *testing.B) {
	r := testRecord(0)
	var text strings.Builder
	for text.Len() < 7000 {
		text.WriteString("The quick brown fox jumps over the lazy dog; 数据保护条例要求合理处理个人信息。 ")
	}
	r.Text = text.String()
	line := AppendRecordLine(nil, r, 0)
	b.Run("hand", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		b.ReportAllocs()
		for b.Loop() {
			AppendRecordLine(nil, r, 0)
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		b.ReportAllocs()
		for b.Loop() {
			c := *r
			c.FetchedAt = r.FetchedAt.UTC()
			if _, err := json.Marshal(&c); err != nil {
				b.Fatal(err)
			}
		}
	})
}
