package scan

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scruple/scruple/scan/scantest"
)

// fuzzContent scans data as a file named name and checks the invariants
// every reader keeps: no panic, every finding inside its text, names and
// errors printable on one line.
func fuzzContent(t *testing.T, name string, data []byte) {
	dir := t.TempDir()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	lim := Limits{MaxTotal: 64 << 20, MaxPart: 16 << 20, MaxMessage: 4 << 20, MaxEntries: 1000}
	_, err := Run(context.Background(), []string{p}, Options{Workers: 1, Limits: lim, ChunkSize: MinChunkSize},
		func(r *FileResult) error {
			if !utf8.ValidString(r.Part) || bytes.ContainsAny([]byte(r.Part), "\n\r") {
				t.Errorf("part name not printable: %q", r.Part)
			}
			for _, f := range r.Findings {
				if f.Start < 0 || f.End < f.Start || f.Masked == "" {
					t.Errorf("bad finding %+v", f.Where())
				}
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
}

func FuzzMail(f *testing.F) {
	f.Add(scantest.Mail(f, "张三", vEmail, "a@example.com", "身份证", "手机 "+vMobile, "<p>x</p>",
		scantest.Member{Name: "a.csv", Data: []byte("phone\n" + vMobile + "\n")}))
	f.Add([]byte("From: a@b.com\r\nTo: c@d.com\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Transfer-Encoding: base64\r\n\r\n!!!\r\n--x--"))
	f.Add([]byte("Subject: =?gbk?Q?=D5=C5?=\nFrom: x\n\nbody"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzContent(t, "m.eml", data) })
}

func FuzzMbox(f *testing.F) {
	f.Add([]byte("From a Mon\nFrom: a@b.com\nTo: b@c.com\n\n>From x 13812345678\nFrom b Tue\nSubject: y\nDate: z\n\nhi\n"))
	f.Add([]byte("From \n\nFrom \n"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzContent(t, "in.mbox", data) })
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("姓名;手机\n张三;13812345678\n"))
	f.Add([]byte("\ufeffa,\"b\nc\",d\n\"unterminated"))
	f.Add([]byte("x\tyy\t\n\t\t\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sniffDelimiter(data)
		fuzzContent(t, "d.csv", data)
	})
}

func FuzzJSON(f *testing.F) {
	f.Add([]byte(`{"a":[{"phone":"13812345678"}],"13987654321":1}`))
	f.Add([]byte("{\"a\":1}\n{\"b\":[\n"))
	f.Add([]byte(`[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]`))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzContent(t, "d.json", data) })
}

func FuzzOffice(f *testing.F) {
	f.Add(scantest.Docx(f, "Zhang", "手机 13812345678"))
	f.Add(scantest.ODT(f, "身份证 11010519491231002X"))
	f.Fuzz(func(t *testing.T, data []byte) {
		spec := ooxmlWord
		xmlText(bytes.NewReader(data), &spec, 1<<20)
		fuzzContent(t, "d.docx", data)
	})
}

func FuzzArchive(f *testing.F) {
	f.Add(scantest.Zip(f, scantest.Member{Name: "a/b.txt", Data: []byte("手机 13812345678")},
		scantest.Member{Name: "c.zip", Data: scantest.Zip(f, scantest.Member{Name: "d.csv", Data: []byte("phone\n13812345678\n")})}))
	f.Add(scantest.TarGz(f, scantest.Member{Name: "x.json", Data: []byte(`{"id":"11010519491231002X"}`)}))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzContent(t, "a.zip", data) })
}

func FuzzPDF(f *testing.F) {
	f.Add(scantest.PDF(f, "手机13812345678", "Phone 13812345678"))
	f.Add([]byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nxref\n0 1\ntrailer << /Root 1 0 R >>\nstartxref\n9\n%%EOF"))
	f.Fuzz(func(t *testing.T, data []byte) { fuzzContent(t, "d.pdf", data) })
}

// FuzzCSVRedact writes the redacted copy of a fuzzed CSV: it must never
// panic, and a copy of a file in which nothing was found is the file
// itself, byte for byte (quoting, line ends, BOM kept).
func FuzzCSVRedact(f *testing.F) {
	f.Add([]byte("\ufeffname;passportNo\r\nLi;E12345678\r\n\"a\"\"b\nc\";x"))
	f.Add([]byte("a,b\n\"x\ny\",13812345678\n\"open,1\n"))
	f.Add([]byte("x\r\r\n\"\"\"\n,,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		findings, got, ok := fuzzRedact(t, "d.csv", data)
		if ok && findings == 0 && utf8.Valid(data) && !bytes.Equal(got, data) {
			t.Errorf("copy of a file without findings differs from it")
		}
	})
}

// FuzzJSONRedact writes the redacted copy of fuzzed JSON: the copy of
// valid JSON is valid JSON, and a copy without findings is the file itself.
func FuzzJSONRedact(f *testing.F) {
	f.Add([]byte(`{"mobile":"\u0031\u0033\u0038\u0031\u0032\u0033\u0034\u0035\u0036\u0037\u0038","n":13987654321}`))
	f.Add([]byte("{\"13812345678\":{\"note\":\"say \\\"hi\\\" to a@example.com \\ud83d\\ude00\"}}\n[1,2]\n"))
	f.Add([]byte(`{"passport_no":"E12345678","x":"\ud800 13812345678"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		findings, got, ok := fuzzRedact(t, "d.json", data)
		if !ok || !utf8.Valid(data) {
			return
		}
		if json.Valid(data) && !json.Valid(got) {
			t.Errorf("the copy of valid JSON is not JSON")
		}
		if findings == 0 && !bytes.Equal(got, data) {
			t.Errorf("copy of a file without findings differs from it")
		}
	})
}

// FuzzSQLiteMember scans a fuzzed SQLite database inside a zip, opened from
// memory: corrupt pages and schemas must end as errors, never a crash.
func FuzzSQLiteMember(f *testing.F) {
	f.Add([]byte("SQLite format 3\x00" + strings.Repeat("\x00", 84)))
	path := filepath.Join(f.TempDir(), "seed.db")
	if d, err := sql.Open("sqlite", path); err == nil {
		d.Exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, phone TEXT, profile JSON)`)
		d.Exec(`INSERT INTO users (phone, profile) VALUES ('13812345678', '{"email":"a@example.com"}')`)
		d.Close()
		if b, err := os.ReadFile(path); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, magicSQLite) {
			data = append(bytes.Clone(magicSQLite), data...)
		}
		fuzzContent(t, "a.zip", scantest.Zip(t, scantest.Member{Name: "x.db", Data: data, Store: true}))
	})
}

// fuzzRedact scans data as a file named name with a redact directory and
// returns the findings counted and the copy, if one was written.
func fuzzRedact(t *testing.T, name string, data []byte) (findings int, copy []byte, ok bool) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "o")
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	var redacted string
	lim := Limits{MaxTotal: 64 << 20, MaxPart: 16 << 20, MaxRecord: 1 << 20}
	_, err := Run(context.Background(), []string{p}, Options{Workers: 1, Limits: lim, RedactDir: out, ChunkSize: MinChunkSize},
		func(r *FileResult) error {
			findings += len(r.Findings)
			if r.Redacted != "" {
				redacted = r.Redacted
			}
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if redacted == "" {
		return findings, nil, false
	}
	copy, err = os.ReadFile(redacted)
	return findings, copy, err == nil
}

// FuzzSniffedTable scans content under a name that says nothing of its
// format, so that the table sniffer (delimited) and, when it says yes, the
// CSV reader see arbitrary text.
func FuzzSniffedTable(f *testing.F) {
	f.Add([]byte("a,b\n1,2\n"))
	f.Add([]byte("\"x\ny\",b\n1,\"2\n"))
	f.Add([]byte("a\tb\n1\t2"))
	f.Add([]byte("|a|b|\n|1|2|\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		delimited(data)
		fuzzContent(t, "export.dat", data)
	})
}
