package report

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/scruple/scruple/provenance"
	"github.com/scruple/scruple/report/reporttest"
)

// FuzzSplitField: the record scanner and unquote agree with encoding/json
// on every line encoding/json accepts.
func FuzzSplitField(f *testing.F) {
	for _, s := range []string{`{"id":1,"text":"a\nb\u003c\u00e9\ud83d\ude00","x":[1,{"text":"no"}]}`, `{"text":""}`,
		`{"a":"\"text\":","text":"x\\\"y"}`, `{"text":1}`, `[]`, `{"title":"t","text":"中文\t","lang":"zh"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		rest, raw, _, ok := splitField(line, "text", nil)
		var want map[string]json.RawMessage
		if json.Unmarshal(line, &want) != nil {
			return // not an object: the scanner may say anything, but must not panic
		}
		w, has := want["text"]
		var ws string
		isString := has && json.Unmarshal(w, &ws) == nil
		if ok != isString {
			t.Fatalf("split %v, encoding/json finds a text string: %v", ok, isString)
		}
		if !ok {
			return
		}
		got, uok := unquote(raw)
		if !uok || (got != ws && bytes.ContainsRune([]byte(ws), 0xFFFD) == false) {
			t.Fatalf("text %q, encoding/json %q", got, ws)
		}
		var r map[string]json.RawMessage
		if err := json.Unmarshal(rest, &r); err != nil || string(r["text"]) != `""` {
			t.Fatalf("rest %q: %v", rest, err)
		}
	})
}

// FuzzBuild: whatever log and records a bundle holds, the report is built
// and rendered without panicking, and never verifies unless signed.
func FuzzBuild(f *testing.F) {
	dir := f.TempDir()
	if _, err := reporttest.Known().Write(dir); err != nil {
		f.Fatal(err)
	}
	log, _ := os.ReadFile(filepath.Join(dir, provenance.LogFile))
	recs, _ := os.ReadFile(filepath.Join(dir, provenance.RecordsFile))
	f.Add(log, recs)
	f.Add([]byte(`{"kind":"robots","url":"http://a.test/robots.txt","fetched_at":"0001-01-01T00:00:00Z","crawl_delay":"-5s"}`+"\n"), []byte("{\n"))
	f.Add([]byte(`{"kind":"crawl","delay":"x","per_host":-3}`+"\n"+`{"kind":"grant","consent":{"id":"<b>"}}`), []byte(`{"id":0,"url":"http://x/","kind":"page","text":"ab","findings":[{"type":"cn_mobile","start":5,"end":1,"action":"keep","consent":"c"}]}`+"\n"))
	f.Fuzz(func(t *testing.T, log, recs []byte) {
		d := t.TempDir()
		for name, b := range map[string][]byte{provenance.LogFile: log, provenance.RecordsFile: recs} {
			os.WriteFile(filepath.Join(d, name), b, 0o644)
		}
		r, err := Build(context.Background(), d, Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.OK() {
			t.Fatal("an unsigned bundle verified")
		}
		if err := r.WriteHTML(io.Discard); err != nil {
			t.Fatal(err)
		}
	})
}

func TestSplitFieldRepeatedKey(t *testing.T) {
	rest, raw, _, ok := splitField([]byte(`{"text":"a","x":1,"text":"b"}`), "text", nil)
	if !ok || string(raw) != `"b"` || string(rest) != `{"text":"a","x":1,"text":""}` {
		t.Fatalf("%s %s %v", rest, raw, ok)
	}
	if _, _, _, ok := splitField([]byte(`{"text":"a","text":null}`), "text", nil); ok {
		t.Fatal("a last non-string value taken for a string")
	}
}
