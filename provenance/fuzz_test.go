package provenance

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParseEntryRef checks the log-line scanner against encoding/json: what
// it accepts is valid JSON, and it decodes the same fields.
func FuzzParseEntryRef(f *testing.F) {
	for i := 0; i < 5; i++ {
		f.Add(NewRecordEntry(testRecord(i), testInfo).Marshal())
	}
	f.Add(NewPurgeEntry("https://x/", nil, "withdrawn", "c", time.Unix(0, 0), testInfo).Marshal())
	f.Add([]byte(`{"kind":"record","url":"a\u0041\"b","removed":null,"x":[1,-0.5e+3,{"y":[]}],"kind":"purge"}`))
	f.Add([]byte(` {"URL":"x","kind":"\ud800"} `))
	f.Add([]byte(`{"kind":01}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, ok := parseEntryRef(data)
		if ok && !json.Valid(data) {
			t.Fatalf("accepted invalid JSON %q", data)
		}
		trimmed := bytes.TrimLeft(data, " \t\r\n")
		if len(trimmed) == 0 || trimmed[0] != '{' || bytes.IndexByte(data, '\\') >= 0 {
			return // escaped keys are matched by encoding/json only
		}
		var keys map[string]json.RawMessage
		if json.Unmarshal(data, &keys) != nil {
			if ok {
				t.Fatalf("accepted %q that encoding/json refuses as an object", data)
			}
			return
		}
		for k := range keys {
			for _, f := range []string{"kind", "url", "record_digest", "new_record_digest", "removed"} {
				if k != f && strings.EqualFold(k, f) {
					return // encoding/json folds case, the scanner does not
				}
			}
		}
		var want entryRef
		err := json.Unmarshal(data, &want)
		if (err == nil) != ok {
			t.Fatalf("%q: scanner ok=%v, encoding/json err=%v", data, ok, err)
		}
		if ok && got != want {
			t.Fatalf("%q: scanner %+v, encoding/json %+v", data, got, want)
		}
	})
}

// FuzzEntryFields round-trips arbitrary field values through Entry.Marshal
// and the scanner (escapes, invalid UTF-8, control characters).
func FuzzEntryFields(f *testing.F) {
	f.Add("record", "https://a/b?c=<d>&e", "00ff", false)
	f.Add("purge", "\x00\xff\u2028", "", true)
	f.Fuzz(func(t *testing.T, kind, url, digest string, removed bool) {
		e := Entry{Kind: kind, URL: url, RecordDigest: digest, NewRecordDigest: digest, Removed: removed}
		b := e.Marshal()
		got, ok := parseEntryRef(b)
		var want entryRef
		if err := json.Unmarshal(b, &want); err != nil || !ok || got != want {
			t.Fatalf("%q: ok=%v got %+v want %+v (%v)", b, ok, got, want, err)
		}
	})
}

// FuzzVerify feeds arbitrary records.jsonl and log.jsonl contents to the
// bundle verifier under a fixed, valid checkpoint. It must not panic, bound
// its report, and pass only the exact files that were signed.
func FuzzVerify(f *testing.F) {
	signer, vkey := testKey(f, "fuzz")
	s := newMemStore()
	fill(f, s, 0, 6)
	r := testRecord(3)
	r.Text = "rewritten"
	if err := s.replace(context.Background(), r.URL, r, "withdrawn"); err != nil {
		f.Fatal(err)
	}
	if err := s.replace(context.Background(), testRecord(4).URL, nil, "withdrawn"); err != nil {
		f.Fatal(err)
	}
	dir := filepath.Join(f.TempDir(), "b")
	if _, err := Export(context.Background(), s, signer, vkey, dir); err != nil {
		f.Fatal(err)
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		return b
	}
	recs, logb, cp := read(RecordsFile), read(LogFile), read(CheckpointFile)
	f.Add(recs, logb)
	f.Add(recs[:len(recs)/2], logb)
	f.Add(bytes.Replace(recs, []byte("\n"), []byte("\n\n"), 3), logb)
	f.Add([]byte("{\"id\":1,\n{}\n[\n"), logb[:len(logb)-1])
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, records, log []byte) {
		rep := &Report{}
		verifyBundle(rep, &bundleInput{key: []byte(vkey), checkpoint: cp, haveKey: true, haveCheckpoint: true,
			log: bytes.NewReader(log), records: bytes.NewReader(records)})
		if len(rep.Problems) > MaxProblems {
			t.Fatalf("%d problems listed", len(rep.Problems))
		}
		same := bytes.Equal(records, recs) && bytes.Equal(log, logb)
		if rep.OK() != same {
			t.Fatalf("OK=%v for same=%v:\n%s", rep.OK(), same, rep)
		}
	})
}
