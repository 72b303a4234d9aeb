package shred

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"sync"
	"testing"

	"github.com/scruple/scruple"
)

var bg = context.Background()

// memKeys is a KeyStore in memory; a nil value is a tombstone.
type memKeys struct {
	mu   sync.Mutex
	keys map[string][]byte
}

func newMemKeys() *memKeys { return &memKeys{keys: map[string][]byte{}} }

func (m *memKeys) DataKey(ctx context.Context, consent string, create []byte) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k, ok := m.keys[consent]
	if !ok && create != nil {
		m.keys[consent] = create
		return create, nil
	}
	return k, nil
}

func (m *memKeys) destroy(consent string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keys[consent] = nil
}

// bodyDigest stands for the SHA-256 of a raw body holding the kept values.
const bodyDigest = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8"

const (
	mobileA = "13800000001"
	mobileB = "13900000002"
	emailC  = "li@example.org"
)

// twoConsents is a record keeping mobileA under cA (in the text and the
// title), mobileB under cB, and a redacted email between them.
func twoConsents() *scruple.Record {
	text := "A " + mobileA + " mail [email] B " + mobileB + "."
	title := "T " + mobileA
	return &scruple.Record{URL: "http://a.test/p", Kind: scruple.KindPage, Title: title, Text: text, Salt: NewSalt(), Digest: bodyDigest,
		Findings: []scruple.Finding{
			{Type: "cn_mobile", Start: 2, End: 13, Action: "keep", Consent: "cA", Subject: "SA"},
			{Type: "email", Start: 19, End: 26, Action: "redact"},
			{Type: "cn_mobile", Start: 29, End: 40, Action: "keep", Consent: "cB", Subject: "SB"},
			{Type: "cn_mobile", Field: "title", Start: 2, End: 13, Action: "keep", Consent: "cA", Subject: "SA"},
		}}
}

func newRing(t *testing.T, ks KeyStore) *Keyring {
	t.Helper()
	k, err := NewKeyring(bytes.Repeat([]byte{7}, 32), ks)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// holds reports whether b contains any of the values (never printing them).
func holds(b []byte, values ...string) bool {
	for _, v := range values {
		if bytes.Contains(b, []byte(v)) {
			return true
		}
	}
	return false
}

func TestSealOpenRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		rec  func() *scruple.Record
	}{
		{"two consents", twoConsents},
		{"no salt", func() *scruple.Record { r := twoConsents(); r.Salt = ""; return r }},
		{"nothing kept", func() *scruple.Record {
			return &scruple.Record{URL: "http://a.test/", Kind: scruple.KindPage, Text: "x [email]",
				Findings: []scruple.Finding{{Type: "email", Start: 2, End: 9, Action: "redact"}}}
		}},
		{"value at the very end", func() *scruple.Record {
			return &scruple.Record{URL: "http://a.test/e", Kind: scruple.KindPage, Text: mobileA, Salt: NewSalt(),
				Findings: []scruple.Finding{{Type: "cn_mobile", Start: 0, End: 11, Action: "keep", Consent: "cA", Subject: "SA"}}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newRing(t, newMemKeys())
			orig := tt.rec()
			stored, lost, err := k.Seal(bg, orig)
			if err != nil || lost {
				t.Fatal(err, lost)
			}
			enc, _ := json.Marshal(stored)
			if holds(enc, mobileA, mobileB) || (orig.Salt != "" && bytes.Contains(enc, []byte(orig.Salt))) {
				t.Fatalf("the stored form holds a kept value or the salt in clear")
			}
			if Keeps(orig) && (holds(enc, bodyDigest) || IndexDigest(orig) != "") {
				t.Fatalf("the stored form or the index holds the raw-body digest of a page keeping a value")
			}
			var back scruple.Record
			if err := json.Unmarshal(enc, &back); err != nil {
				t.Fatal(err)
			}
			if err := k.Open(bg, &back); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(&back, orig) {
				t.Errorf("Open(Seal(r)) differs from r")
			}
		})
	}
}

func TestOpenAfterDestroy(t *testing.T) {
	ks := newMemKeys()
	k := newRing(t, ks)
	orig := twoConsents()
	stored, _, err := k.Seal(bg, orig)
	if err != nil {
		t.Fatal(err)
	}
	ks.destroy("cA")
	got := *stored
	got.Findings = append([]scruple.Finding(nil), stored.Findings...)
	if err := k.Open(bg, &got); err != nil {
		t.Fatalf("Open with a destroyed key: %v (the record must still read)", err)
	}
	if holds([]byte(got.Text+got.Title), mobileA) {
		t.Errorf("the value of the ended consent is readable")
	}
	if !holds([]byte(got.Text), mobileB) {
		t.Errorf("the value of the live consent is lost")
	}
	if got.Salt != "" {
		t.Errorf("the salt survived the end of one of its consents")
	}
	if got.Digest != "" {
		t.Errorf("the raw-body digest survived the end of one of its consents")
	}
	for _, f := range got.Findings {
		src := got.Text
		if f.Field == "title" {
			src = got.Title
		}
		if f.Consent == "cA" && src[f.Start:f.End] != "[cn_mobile]" {
			t.Errorf("finding span does not cover its mask")
		}
	}
	// A destroyed key is never made again: sealing a new value under it
	// stores the mask.
	again, lost, err := k.Seal(bg, twoConsents())
	if err != nil || !lost {
		t.Fatalf("Seal under a destroyed key: lost %v, %v", lost, err)
	}
	enc, _ := json.Marshal(again)
	if holds(enc, mobileA) {
		t.Errorf("a value sealed after its key was destroyed is stored")
	}
	for _, s := range again.Sealed {
		if s.Consent == "cA" {
			t.Errorf("a box was sealed under a destroyed key")
		}
	}
	rb, err := k.ReadBack(bg, again)
	if err != nil {
		t.Fatal(err)
	}
	back := *again
	back.Findings = append([]scruple.Finding(nil), again.Findings...)
	if err := k.Open(bg, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(rb, &back) || holds([]byte(rb.Text+rb.Title), mobileA) || !holds([]byte(rb.Text), mobileB) {
		t.Errorf("ReadBack is not what Open reads")
	}
}

func TestBoxBoundToRecordAndKey(t *testing.T) {
	ks := newMemKeys()
	k := newRing(t, ks)
	stored, _, err := k.Seal(bg, twoConsents())
	if err != nil {
		t.Fatal(err)
	}
	moved := *stored
	moved.URL = "http://b.test/other"
	if err := k.Open(bg, &moved); err != nil {
		t.Fatal(err)
	}
	if holds([]byte(moved.Text), mobileA, mobileB) {
		t.Errorf("a box copied into another record opened")
	}
	other, err := NewKeyring(bytes.Repeat([]byte{8}, 32), ks)
	if err != nil {
		t.Fatal(err)
	}
	c := *stored
	if err := other.Open(bg, &c); scruple.ErrorCode(err) != scruple.ECONFLICT {
		t.Errorf("Open under another consent key: %v, want ECONFLICT", err)
	}
	if _, err := NewKeyring([]byte("short"), ks); scruple.ErrorCode(err) != scruple.EINVALID {
		t.Errorf("NewKeyring with a short key: %v", err)
	}
}

func TestSealRefusesOverlap(t *testing.T) {
	k := newRing(t, newMemKeys())
	r := &scruple.Record{URL: "http://a.test/o", Kind: scruple.KindPage, Text: "x " + mobileA, Salt: NewSalt(),
		Findings: []scruple.Finding{
			{Type: "cn_mobile", Start: 2, End: 13, Action: "keep", Consent: "cA", Subject: "SA"},
			{Type: "cn_landline", Start: 5, End: 13, Action: "keep", Consent: "cB", Subject: "SA"},
		}}
	if _, _, err := k.Seal(bg, r); scruple.ErrorCode(err) != scruple.EINVALID {
		t.Fatalf("Seal of overlapping kept findings: %v, want EINVALID", err)
	}
}

func FuzzDecodeContent(f *testing.F) {
	f.Add([]byte(`{"share":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","values":[{"i":0,"v":"x"}]}`), 2)
	f.Add([]byte(`{"values":[{"i":1,"v":""},{"i":1,"v":""}]}`), 2)
	f.Add([]byte(`{"values":[{"i":-1}]}`), 1)
	f.Fuzz(func(t *testing.T, b []byte, n int) {
		if n < 0 || n > 1000 {
			return
		}
		c, err := decodeContent(b, n)
		if err != nil {
			return
		}
		seen := map[int]bool{}
		for _, v := range c.Values {
			if v.Finding < 0 || v.Finding >= n || seen[v.Finding] {
				t.Fatalf("accepted finding index %d of %d", v.Finding, n)
			}
			seen[v.Finding] = true
		}
		if len(c.Share) != 0 && len(c.Share) != saltSize {
			t.Fatalf("accepted a share of %d bytes", len(c.Share))
		}
	})
}
