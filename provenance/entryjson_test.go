package provenance

import (
	"bytes"
	"encoding/json"
	"math/rand"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// TestEntryJSONFields pins the fields appendEntryJSON writes: a field added
// to (or renamed, retyped, re-tagged in) Entry or a type it writes fails
// here until the encoder writes it too.
func TestEntryJSONFields(t *testing.T) {
	want := map[string]string{
		"Entry": "Kind string kind|URL string url,omitempty|FinalURL string final_url,omitempty|" +
			"FetchedAt time.Time fetched_at,omitzero|Status int status,omitempty|" +
			"RecordKind string record_kind,omitempty|Robots *provenance.Robots robots,omitempty|" +
			"Access *provenance.Access access,omitempty|RawDigest string raw_digest,omitempty|" +
			"TextDigest string text_digest,omitempty|RecordDigest string record_digest,omitempty|" +
			"DetectorVersion string detector_version,omitempty|PolicyVersion string policy_version,omitempty|" +
			"Decisions []provenance.Decision decisions,omitempty|CrawlerVersion string crawler_version,omitempty|" +
			"Reason string reason,omitempty|Consent string consent,omitempty|At time.Time at,omitzero|" +
			"NewRecordDigest string new_record_digest,omitempty|Removed bool removed,omitempty|" +
			"WARC *provenance.WARCRef warc,omitempty|Terms *scruple.Consent terms,omitempty|" +
			"Ended []string ended,omitempty|API *provenance.APIAction api,omitempty",
		"Robots":   "URL string url|Digest string digest,omitempty|Rule string rule|Allowed bool allowed",
		"Access":   "CredentialsSent bool credentials_sent|Verdict string verdict",
		"Decision": "Type string type|Action string action|Consent string consent,omitempty|Count int count",
		"WARCRef":  "File string file|Offset int64 offset|Length int64 length|RecordID string record_id|Type string type",
	}
	for _, v := range []any{Entry{}, Robots{}, Access{}, Decision{}, WARCRef{}} {
		typ := reflect.TypeOf(v)
		var got []string
		for i := 0; i < typ.NumField(); i++ {
			f := typ.Field(i)
			got = append(got, f.Name+" "+f.Type.String()+" "+f.Tag.Get("json"))
		}
		if g := strings.Join(got, "|"); g != want[typ.Name()] {
			t.Errorf("provenance.%s changed; update appendEntryJSON (provenance/entryjson.go) and this test:\n got %s\nwant %s",
				typ.Name(), g, want[typ.Name()])
		}
		for _, m := range []reflect.Type{reflect.TypeOf((*json.Marshaler)(nil)).Elem(),
			reflect.TypeOf((*interface{ MarshalText() ([]byte, error) })(nil)).Elem()} {
			if typ.Implements(m) || reflect.PointerTo(typ).Implements(m) {
				t.Errorf("%s now has its own JSON or text encoding; appendEntryJSON does not call it", typ)
			}
		}
	}
}

func checkEntryJSON(t *testing.T, e Entry) {
	t.Helper()
	want, err := json.Marshal(e)
	if err != nil {
		defer func() {
			if recover() == nil {
				t.Fatalf("json.Marshal fails (%v), Marshal did not panic", err)
			}
		}()
		e.Marshal()
		return
	}
	if got := e.Marshal(); !bytes.Equal(got, want) {
		t.Fatalf("Entry.Marshal differs from json.Marshal:\n got %s\nwant %s", got, want)
	}
}

func randEntry(rng *rand.Rand) Entry {
	s := func() string { return randJSONString(rng) }
	tm := func() time.Time {
		switch rng.Intn(4) {
		case 0:
			return time.Time{}
		case 1:
			return time.Date(10000+rng.Intn(3), 1, 1, 0, 0, 0, 0, time.UTC)
		case 2:
			return time.Date(2026, 12, 6, 5, 0, 0, rng.Intn(1e9), time.FixedZone("X", 8*3600+rng.Intn(2)*1800))
		}
		return time.Date(1990+rng.Intn(60), 1, 1+rng.Intn(28), rng.Intn(24), 0, rng.Intn(60), rng.Intn(2)*rng.Intn(1e9), time.UTC)
	}
	e := Entry{Kind: s(), URL: s(), FinalURL: s(), FetchedAt: tm(), Status: rng.Intn(3) * rng.Intn(600), RecordKind: s(),
		RawDigest: s(), TextDigest: s(), RecordDigest: s(), DetectorVersion: s(), PolicyVersion: s(), CrawlerVersion: s(),
		Reason: s(), Consent: s(), At: tm(), NewRecordDigest: s(), Removed: rng.Intn(2) == 0}
	if rng.Intn(2) == 0 {
		e.Robots = &Robots{URL: s(), Digest: s(), Rule: s(), Allowed: rng.Intn(2) == 0}
	}
	if rng.Intn(2) == 0 {
		e.Access = &Access{CredentialsSent: rng.Intn(2) == 0, Verdict: s()}
	}
	switch rng.Intn(3) {
	case 1:
		e.Decisions = []Decision{}
	case 2:
		for n := 1 + rng.Intn(3); n > 0; n-- {
			e.Decisions = append(e.Decisions, Decision{Type: s(), Action: s(), Consent: s(), Count: rng.Intn(5) - 1})
		}
	}
	if rng.Intn(2) == 0 {
		e.WARC = &WARCRef{File: s(), Offset: rng.Int63() - rng.Int63(), Length: rng.Int63n(1 << 30), RecordID: s(), Type: s()}
	}
	switch rng.Intn(8) {
	case 0:
		e.Ended = []string{s()}
	case 1:
		e.Ended = []string{}
	case 2:
		e.API = &APIAction{Action: s(), Label: s()}
	case 3:
		e.Terms = &scruple.Consent{ID: s(), Subject: s()}
	}
	return e
}

// TestEntryJSONMatches checks Entry.Marshal against json.Marshal on the
// entries the package builds and on random entries.
func TestEntryJSONMatches(t *testing.T) {
	for i := 0; i < 20; i++ {
		checkEntryJSON(t, NewRecordEntry(testRecord(i), testInfo))
	}
	checkEntryJSON(t, NewPurgeEntry("https://x/", nil, "withdrawn", "c", time.Unix(0, 0), testInfo))
	checkEntryJSON(t, NewPurgeEntry("https://x/", testRecord(1), "withdrawn", "c", time.Unix(5, 7), testInfo))
	checkEntryJSON(t, NewEventEntry(KindGrant, "c", "r", time.Unix(1, 0), testInfo))
	checkEntryJSON(t, NewSweepEntry([]string{"a", "b"}, "expired", time.Unix(1, 0), testInfo))
	checkEntryJSON(t, Entry{})
	rng := rand.New(rand.NewSource(20261206))
	for i := 0; i < 20000; i++ {
		checkEntryJSON(t, randEntry(rng))
	}
}

// FuzzEntryJSON compares Entry.Marshal with json.Marshal on arbitrary
// strings and numbers.
func FuzzEntryJSON(f *testing.F) {
	f.Add("record", "https://h.example/p?a=1&b=<2>", "中文 \u2028 \"q\" \\ \x00\xff", int64(1733461200123456789), 3, true)
	f.Add("", "", "", int64(0), 0, false)
	f.Fuzz(func(t *testing.T, kind, url, text string, nanos int64, n int, flag bool) {
		e := Entry{Kind: kind, URL: url, FinalURL: text, FetchedAt: time.Unix(0, nanos).UTC(), Status: n, RecordKind: kind,
			RawDigest: text, TextDigest: url, RecordDigest: kind, DetectorVersion: text, PolicyVersion: url,
			CrawlerVersion: kind, Reason: text, Consent: url, NewRecordDigest: text, Removed: flag}
		if flag {
			e.At = time.Unix(nanos/1e9, 0).UTC()
			e.Robots = &Robots{URL: url, Digest: text, Rule: kind, Allowed: n > 0}
			e.Access = &Access{CredentialsSent: n < 0, Verdict: text}
			e.Decisions = []Decision{{Type: kind, Action: url, Consent: text, Count: n}}
			e.WARC = &WARCRef{File: text, Offset: nanos, Length: int64(n), RecordID: url, Type: kind}
		}
		checkEntryJSON(t, e)
	})
}
