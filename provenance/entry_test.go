package provenance

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

func TestRecordEntryFields(t *testing.T) {
	r := testRecord(0)
	e := NewRecordEntry(r, testInfo)
	b := e.Marshal()
	if bytes.HasSuffix(b, []byte("\n")) {
		t.Fatal("entry ends in a newline")
	}
	// Field order is part of the format.
	order := []string{`"kind"`, `"url"`, `"final_url"`, `"fetched_at"`, `"status"`, `"record_kind"`, `"robots"`,
		`"access"`, `"raw_digest"`, `"text_digest"`, `"record_digest"`, `"detector_version"`, `"policy_version"`,
		`"decisions"`, `"crawler_version"`}
	last := -1
	for _, f := range order {
		i := bytes.Index(b, []byte(f))
		if i <= last {
			t.Fatalf("field %s out of order or missing in %s", f, b)
		}
		last = i
	}
	if !bytes.Contains(b, []byte(`"access":{"credentials_sent":false,"verdict":"public"}`)) {
		t.Errorf("access evidence: %s", b)
	}
	if !bytes.Contains(b, []byte(`"fetched_at":"2025-01-01T19:04:05Z"`)) {
		t.Errorf("fetch time not UTC: %s", b)
	}
	if e.CrawlerVersion != scruple.Version || e.RecordDigest != RecordDigest(r) {
		t.Errorf("entry %+v", e)
	}
	// Decisions are grouped, and no subject HMAC or other finding detail leaks.
	if len(e.Decisions) != 2 || e.Decisions[0].Count != 2 || e.Decisions[1].Consent != "c-9" {
		t.Errorf("decisions %+v", e.Decisions)
	}
	if bytes.Contains(b, []byte("hmac-of-subject")) || bytes.Contains(b, []byte("Some public text")) {
		t.Errorf("entry carries record content: %s", b)
	}
	got, err := ParseEntry(b)
	if err != nil || !bytes.Equal(got.Marshal(), b) {
		t.Fatalf("round trip: %v\n%s\n%s", err, got.Marshal(), b)
	}

	for i, want := range map[int]string{3: VerdictNonPublic, 4: VerdictNotFetched} {
		if v := NewRecordEntry(testRecord(i), testInfo).Access.Verdict; v != want {
			t.Errorf("record %d: verdict %q, want %q", i, v, want)
		}
	}
}

func TestRecordDigestIgnoresIDAndZone(t *testing.T) {
	r := testRecord(1)
	d := RecordDigest(r)
	c := *r
	c.ID = 42
	c.FetchedAt = r.FetchedAt.UTC()
	if RecordDigest(&c) != d {
		t.Fatal("digest depends on ID or time zone")
	}
	// What a store gives back after a JSON round trip digests the same.
	var back scruple.Record
	if err := json.Unmarshal(AppendRecordLine(nil, r, 7), &back); err != nil {
		t.Fatal(err)
	}
	if RecordDigest(&back) != d {
		t.Fatal("digest changes over a JSON round trip")
	}
	c.Text += "x"
	if RecordDigest(&c) == d {
		t.Fatal("digest ignores the text")
	}
}

func TestRecordLineDigest(t *testing.T) {
	for i := 0; i < 20; i++ {
		r := testRecord(i)
		for _, id := range []int64{0, 1, 99, -1, 1 << 40} {
			line := AppendRecordLine(nil, r, id)
			d, got, ok := recordLineDigest(line)
			if !ok || got != id || hex.EncodeToString(d[:]) != RecordDigest(r) {
				t.Fatalf("record %d id %d: ok=%v id=%d digest mismatch", i, id, ok, got)
			}
		}
	}
	for _, bad := range []string{``, `{}`, `{"id":`, `{"id":01,"url":"x"}`, `{"id":1}`, `{"id":-,"x":1}`, ` {"id":1,"url":"x"}`} {
		if _, _, ok := recordLineDigest([]byte(bad)); ok {
			t.Errorf("%q accepted as canonical", bad)
		}
	}
}

func TestPurgeAndRebind(t *testing.T) {
	r := testRecord(0)
	p := NewPurgeEntry(r.URL, nil, "consent withdrawn", "c-9", time.Unix(0, 0), testInfo)
	if !p.Removed || p.NewRecordDigest != "" || !strings.Contains(string(p.Marshal()), `"removed":true`) {
		t.Errorf("removal purge %s", p.Marshal())
	}
	r2 := *r
	r2.Text = "re-redacted"
	p = NewPurgeEntry(r.URL, &r2, "consent withdrawn", "c-9", time.Unix(0, 0), testInfo)
	if p.NewRecordDigest != RecordDigest(&r2) || p.Removed {
		t.Errorf("rewrite purge %s", p.Marshal())
	}

	// The store marks a duplicate after the entry was built: rebinding logs
	// the stored record and keeps the build information.
	entry := NewRecordEntry(r, testInfo).Marshal()
	dup := *r
	dup.Kind, dup.DuplicateOf, dup.Text, dup.Findings = scruple.KindDuplicate, "https://first/", "", nil
	b, err := RebindRecordEntry(entry, &dup)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := ParseEntry(b)
	if e.RecordDigest != RecordDigest(&dup) || e.RecordKind != "duplicate" || e.PolicyVersion != testInfo.PolicyVersion {
		t.Errorf("rebound %s", b)
	}
	if _, err := RebindRecordEntry(p.Marshal(), &dup); err == nil {
		t.Error("rebinding a purge entry accepted")
	}
}

// TestTextDigestLongText checks TextDigest, which hashes the text in
// chunks, against the digests computed in one piece, plain and salted, on
// texts around the chunk size and with a multi-byte rune across a boundary.
func TestTextDigestLongText(t *testing.T) {
	for _, n := range []int{1, 1023, 1024, 1025, 5000} {
		text := strings.Repeat("a", n-1) + "北" + strings.Repeat("b", n)
		plain := sha256.Sum256([]byte(text))
		if got := TextDigest(&scruple.Record{Text: text}); got != hex.EncodeToString(plain[:]) {
			t.Errorf("%d: plain digest %s, want %x", n, got, plain)
		}
		m := hmac.New(sha256.New, []byte("salt"))
		m.Write([]byte(text))
		if got, want := TextDigest(&scruple.Record{Text: text, Salt: "salt"}), hex.EncodeToString(m.Sum(nil)); got != want {
			t.Errorf("%d: salted digest %s, want %s", n, got, want)
		}
	}
}
