package provenance

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/scruple/scruple"
)

// exportBundle fills a store with n records and exports it.
func exportBundle(t *testing.T, n int) (dir string, s *memStore, signer note.Signer, vkey string) {
	t.Helper()
	signer, vkey = testKey(t, "scruple-test")
	s = newMemStore()
	fill(t, s, 0, n)
	dir = filepath.Join(t.TempDir(), "bundle")
	m, err := Export(context.Background(), s, signer, vkey, dir)
	if err != nil {
		t.Fatal(err)
	}
	if m.Records != int64(n) || m.TreeSize != int64(n) || m.Key != vkey || len(m.Files) != 4 {
		t.Fatalf("manifest %+v", m)
	}
	return dir, s, signer, vkey
}

func mustVerify(t *testing.T, dir, key string) *Report {
	t.Helper()
	rep, err := Verify(dir, key)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func readLines(t *testing.T, path string) [][]byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return bytes.SplitAfter(b, []byte("\n"))[:bytes.Count(b, []byte("\n"))]
}

func writeLines(t *testing.T, path string, lines [][]byte) {
	t.Helper()
	if err := os.WriteFile(path, bytes.Join(lines, nil), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestExportVerifyRoundTrip(t *testing.T) {
	dir, _, _, vkey := exportBundle(t, 500)
	rep := mustVerify(t, dir, "")
	if !rep.OK() || rep.Records != 500 || rep.Entries != 500 || rep.TreeSize != 500 || rep.Key != vkey {
		t.Fatalf("report:\n%s", rep)
	}
	if rep := mustVerify(t, dir, vkey); !rep.OK() {
		t.Fatalf("with --key:\n%s", rep)
	}
	// Records are the canonical lines, their id the log index, in log order.
	lines := readLines(t, filepath.Join(dir, RecordsFile))
	for i, l := range lines {
		var r scruple.Record
		if err := json.Unmarshal(l, &r); err != nil || r.ID != int64(i) || r.URL != testRecord(i).URL {
			t.Fatalf("line %d: %v %s", i+1, err, l)
		}
	}
	if !strings.Contains(rep.String(), "OK: 500 records") {
		t.Errorf("summary %q", rep.String())
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 5 {
		t.Errorf("bundle holds %d files", len(ents))
	}
	// Exporting an unchanged store again gives the same signed content.
	if _, err := Verify(filepath.Join(dir, "nope"), ""); err == nil {
		t.Error("missing bundle directory accepted")
	}
}

// Every tamper case is detected with a message naming it.
func TestVerifyTamper(t *testing.T) {
	const n = 200
	cases := []struct {
		name   string
		key    func(vkey string) string
		tamper func(t *testing.T, dir string)
		kind   ProblemKind
		want   string // substring of the problem's String()
	}{
		{name: "edit one byte of a record", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, RecordsFile)
			lines := readLines(t, p)
			i := bytes.Index(lines[41], []byte("public text"))
			lines[41][i] = 'P'
			writeLines(t, p, lines)
		}, kind: ProblemAltered, want: "records.jsonl:42: altered: record https://h6.example.org/p/41 was altered"},
		{name: "edit the URL of a record", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, RecordsFile)
			lines := readLines(t, p)
			lines[10] = bytes.Replace(lines[10], []byte("/p/10"), []byte("/p/X"), 1)
			writeLines(t, p, lines)
		}, kind: ProblemAltered, want: "records.jsonl:11: altered: record https://h3.example.org/p/10 was altered"},
		{name: "break a record's JSON", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, RecordsFile)
			lines := readLines(t, p)
			lines[0][0] = '['
			writeLines(t, p, lines)
		}, kind: ProblemAltered, want: "records.jsonl:1: altered: record https://h0.example.org/p/0 was altered"},
		{name: "edit a record id", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, RecordsFile)
			lines := readLines(t, p)
			lines[7] = bytes.Replace(lines[7], []byte(`{"id":7,`), []byte(`{"id":8,`), 1)
			writeLines(t, p, lines)
		}, kind: ProblemAltered, want: "has id 8 but its log entry is 7"},
		{name: "re-encode a record", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, RecordsFile)
			lines := readLines(t, p)
			lines[2] = bytes.Replace(lines[2], []byte(`\u003c`), []byte(`<`), 1)
			writeLines(t, p, lines)
		}, kind: ProblemAltered, want: "not in canonical encoding"},
		{name: "delete a record line", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, RecordsFile)
			lines := readLines(t, p)
			writeLines(t, p, append(lines[:99:99], lines[100:]...))
		}, kind: ProblemRemoved, want: "record https://h1.example.org/p/99 (log entry 99) is missing"},
		{name: "swap two record lines", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, RecordsFile)
			lines := readLines(t, p)
			lines[20], lines[21] = lines[21], lines[20]
			writeLines(t, p, lines)
		}, kind: ProblemReordered, want: "reordered: record https://h0.example.org/p/21 (log entry 21) is out of log order (it belongs before line 23"},
		{name: "move a record far up", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, RecordsFile)
			lines := readLines(t, p)
			moved := lines[150]
			lines = append(lines[:150:150], lines[151:]...)
			lines = append(lines[:5:5], append([][]byte{moved}, lines[5:]...)...)
			writeLines(t, p, lines)
		}, kind: ProblemReordered, want: "records.jsonl:6: reordered: record https://h3.example.org/p/150"},
		{name: "append a forged record", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, RecordsFile)
			lines := readLines(t, p)
			r := testRecord(999)
			lines = append(lines, append(AppendRecordLine(nil, r, 200), '\n'))
			writeLines(t, p, lines)
		}, kind: ProblemAdded, want: "records.jsonl:201: added: record https://h5.example.org/p/999 has no signed log entry"},
		{name: "duplicate a record", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, RecordsFile)
			lines := readLines(t, p)
			writeLines(t, p, append(lines, lines[3]))
		}, kind: ProblemAdded, want: "records.jsonl:201: added: record https://h3.example.org/p/3 repeats line 4"},
		{name: "forge a record and its log line", tamper: func(t *testing.T, dir string) {
			r := testRecord(999)
			p := filepath.Join(dir, RecordsFile)
			writeLines(t, p, append(readLines(t, p), append(AppendRecordLine(nil, r, 200), '\n')))
			p = filepath.Join(dir, LogFile)
			writeLines(t, p, append(readLines(t, p), append(NewRecordEntry(r, testInfo).Marshal(), '\n')))
		}, kind: ProblemLog, want: "lines 201-201 were appended after signing"},
		{name: "edit a log line", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, LogFile)
			lines := readLines(t, p)
			lines[60] = bytes.Replace(lines[60], []byte(`"status":200`), []byte(`"status":201`), 1)
			writeLines(t, p, lines)
		}, kind: ProblemLog, want: "log.jsonl does not match the checkpoint"},
		{name: "delete a log line", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, LogFile)
			lines := readLines(t, p)
			writeLines(t, p, append(lines[:60:60], lines[61:]...))
		}, kind: ProblemLog, want: "log.jsonl has 199 entries but the checkpoint signs 200: log lines were removed"},
		{name: "truncate the log", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, LogFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)-30], 0o644)
		}, kind: ProblemLog, want: "last line has no final newline"},
		{name: "change the checkpoint", tamper: func(t *testing.T, dir string) {
			p := filepath.Join(dir, CheckpointFile)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, bytes.Replace(b, []byte("\n200\n"), []byte("\n199\n"), 1), 0o644)
		}, kind: ProblemCheckpoint, want: "checkpoint signature by scruple-test does not verify"},
		{name: "re-sign with another key", tamper: func(t *testing.T, dir string) {
			other, ovkey := testKey(t, "scruple-test")
			b, _ := os.ReadFile(filepath.Join(dir, CheckpointFile))
			text := b[:bytes.LastIndex(b, []byte("\n\n"))+1]
			msg, _ := note.Sign(&note.Note{Text: string(text)}, other)
			os.WriteFile(filepath.Join(dir, CheckpointFile), msg, 0o644)
			_ = ovkey
		}, kind: ProblemCheckpoint, want: "checkpoint is not signed by key scruple-test+"},
		{name: "wrong key expected", key: func(string) string { _, k := testKey(t, "buyer-expects"); return k },
			tamper: func(t *testing.T, dir string) {}, kind: ProblemKey, want: "signed by a different key than --key expected"},
		{name: "key.pub replaced with --key given", key: func(v string) string { return v },
			tamper: func(t *testing.T, dir string) {
				_, k := testKey(t, "scruple-test")
				os.WriteFile(filepath.Join(dir, KeyFile), []byte(k+"\n"), 0o644)
			}, kind: ProblemKey, want: "signed by a different key than --key expected"},
		{name: "checkpoint missing", tamper: func(t *testing.T, dir string) { os.Remove(filepath.Join(dir, CheckpointFile)) },
			kind: ProblemMissing, want: "checkpoint: missing: file is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, _, _, vkey := exportBundle(t, n)
			c.tamper(t, dir)
			key := ""
			if c.key != nil {
				key = c.key(vkey)
			}
			rep := mustVerify(t, dir, key)
			if rep.OK() {
				t.Fatal("tampered bundle verified")
			}
			t.Log("\n" + rep.String())
			found := false
			for _, p := range rep.Problems {
				if p.Kind == c.kind && strings.Contains(p.String(), c.want) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no %s problem containing %q in:\n%s", c.kind, c.want, rep)
			}
			if len(rep.Problems) > 3 {
				t.Errorf("one tamper, %d problems:\n%s", len(rep.Problems), rep)
			}
		})
	}
}

// A purge is shown: a rewritten record verifies under its new digest, a
// deleted one is not reported missing, and keeping the old version fails.
func TestVerifyPurges(t *testing.T) {
	ctx := context.Background()
	signer, vkey := testKey(t, "k")
	s := newMemStore()
	fill(t, s, 0, 50)
	r := testRecord(10)
	r.Text = strings.Replace(r.Text, "Some", "[email]", 1)
	if err := s.replace(ctx, r.URL, r, "consent withdrawn"); err != nil {
		t.Fatal(err)
	}
	gone := testRecord(20).URL
	if err := s.replace(ctx, gone, nil, "consent withdrawn"); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "b")
	if _, err := Export(ctx, s, signer, vkey, dir); err != nil {
		t.Fatal(err)
	}
	if rep := mustVerify(t, dir, vkey); !rep.OK() || rep.Records != 49 || rep.Entries != 52 {
		t.Fatalf("after purges:\n%s", rep)
	}
	// A proof of the deleted record proves its removal.
	p, err := Prove(dir, gone)
	if err != nil || p.Record != nil || p.Index != 51 {
		t.Fatalf("proof of removal: %v %+v", err, p)
	}
	if err := p.Check(vkey); err != nil {
		t.Fatal(err)
	}
	// Putting back the old text of the rewritten record is detected.
	lines := readLines(t, filepath.Join(dir, RecordsFile))
	lines[10] = append(AppendRecordLine(nil, testRecord(10), 10), '\n')
	writeLines(t, filepath.Join(dir, RecordsFile), lines)
	rep := mustVerify(t, dir, vkey)
	if rep.OK() || !strings.Contains(rep.String(), "records.jsonl:11: altered: record https://h3.example.org/p/10 was altered: its digest does not match log entry 50") {
		t.Fatalf("old version kept:\n%s", rep)
	}
	// Putting back the deleted record is detected.
	lines = readLines(t, filepath.Join(dir, RecordsFile))
	writeLines(t, filepath.Join(dir, RecordsFile), append(lines, append(AppendRecordLine(nil, testRecord(20), 20), '\n')))
	if rep := mustVerify(t, dir, vkey); !strings.Contains(rep.String(), "was deleted by purge log entry 51 but is present") {
		t.Fatalf("deleted record back:\n%s", rep)
	}
}

func TestProve(t *testing.T) {
	dir, _, _, vkey := exportBundle(t, 300)
	url := testRecord(123).URL
	p, err := Prove(dir, url)
	if err != nil {
		t.Fatal(err)
	}
	if p.Index != 123 || p.TreeSize != 300 || len(p.Hashes) == 0 {
		t.Fatalf("proof %+v", p)
	}
	if err := p.Check(vkey); err != nil {
		t.Fatal(err)
	}
	s := p.String()
	for _, want := range []string{"record:      " + url, "log entry:   123", "tree size:   300", "root hash:", "leaf hash:", "proof:       9 hashes"} {
		if !strings.Contains(s, want) {
			t.Errorf("String() lacks %q:\n%s", want, s)
		}
	}
	// A wrong record, entry, index or key fails.
	wrong := *p
	wrong.Record = AppendRecordLine(nil, testRecord(124), 124)
	if wrong.Check(vkey) == nil {
		t.Error("proof checks for another record")
	}
	wrong = *p
	wrong.Record = bytes.Replace(p.Record, []byte("public"), []byte("Public"), 1)
	if wrong.Check(vkey) == nil {
		t.Error("proof checks for an altered record")
	}
	wrong = *p
	wrong.Index = 124
	if wrong.Check(vkey) == nil {
		t.Error("proof checks at another index")
	}
	wrong = *p
	wrong.Entry = NewRecordEntry(testRecord(124), testInfo).Marshal()
	wrong.Leaf = [32]byte{}
	if wrong.Check(vkey) == nil {
		t.Error("proof checks for another entry")
	}
	_, other := testKey(t, "scruple-test")
	if p.Check(other) == nil {
		t.Error("proof checks under another key")
	}
	if _, err := Prove(dir, "https://nowhere.example/"); scruple.ErrorCode(err) != scruple.ENOTFOUND {
		t.Errorf("unknown URL: %v", err)
	}
	// No proof for a record that does not match its entry.
	lines := readLines(t, filepath.Join(dir, RecordsFile))
	lines[123] = bytes.Replace(lines[123], []byte("public"), []byte("Public"), 1)
	writeLines(t, filepath.Join(dir, RecordsFile), lines)
	if _, err := Prove(dir, url); err == nil {
		t.Error("proof given for an altered record")
	}
}
