// Package scantest builds the mixed directory tree that the tests of package
// scan and of `scruple scan` run on: UTF-8, GB18030 and gzip files of every
// listed kind, files that must be skipped, and a path that cannot be read.
package scantest

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/scruple/scruple/pii"
)

// File is one entry of the tree.
type File struct {
	// Path is relative to the tree's root, with forward slashes.
	Path string
	// Data is what is on disk; Text is its UTF-8 text (after gunzip and
	// GB18030 decoding), the text offsets refer to.
	Data []byte
	Text string
	// Want lists types that must be found (at least once each).
	Want []pii.Type
	// Skip is the expected skip reason with default options; Fail tells that
	// reading must fail.
	Skip string
	Fail bool
	// Gzip and GB18030 tell how Data encodes Text.
	Gzip, GB18030 bool
	// Structured files (CSV, JSON) report offsets into the cell or value,
	// not into Text.
	Structured bool
	// Mode is set for special entries: a symlink target (Link) or a FIFO.
	Link string
	FIFO bool
}

// RawValues are the values planted in the tree, raw, as written: none may
// appear in any output unless values are asked for.
func RawValues() []string {
	return []string{"11010519491231002X", "13812345678", "13987654321", "13912345678",
		"6222021234567890128", "440524188001010014", "13700001111", "zhang.san@example.com",
		"138 1234 5678", "北京市朝阳区建国路88号3号楼201室", "李四", "王五", "赵六"}
}

// Files describes the tree.
func Files() []File {
	return []File{
		{Path: "a.txt", Text: "客户张三，身份证号11010519491231002X，手机13812345678。\n联系人：李四 电话 13987654321\n地址：北京市朝阳区建国路88号3号楼201室\n",
			Want: []pii.Type{pii.ResidentID, pii.Mobile, pii.PersonName, pii.Address}},
		{Path: "sub/gb.txt", GB18030: true, Text: "客户档案\n联系人：赵六，手机：13912345678，身份证：11010519491231002X\n",
			Want: []pii.Type{pii.PersonName, pii.Mobile, pii.ResidentID}},
		{Path: "logs/app.log.gz", Gzip: true, Text: "2024-05-01 12:00:01 INFO login user=13812345678 card=6222021234567890128\n",
			Want: []pii.Type{pii.Mobile, pii.BankCard}},
		// gzip without the suffix, as rotated logs often are: the magic decides.
		{Path: "logs/rotated.log", Gzip: true, Text: "ip 10.1.2.3 phone 13700001111\n",
			Want: []pii.Type{pii.IPAddress, pii.Mobile}},
		{Path: "logs/gb.csv.gz", Gzip: true, GB18030: true, Structured: true, Text: "姓名,手机\n赵六,13912345678\n",
			Want: []pii.Type{pii.Mobile}},
		{Path: "data.csv", Structured: true, Text: "name,id,mobile\n王五,440524188001010014,13700001111\n",
			Want: []pii.Type{pii.ResidentID, pii.Mobile}},
		{Path: "data.json", Structured: true, Text: `{"email":"zhang.san@example.com","phone":"+86 138 1234 5678"}` + "\n",
			Want: []pii.Type{pii.Email, pii.Mobile}},
		{Path: "page.html", Text: "<html><body><p>卡号：6222021234567890128</p></body></html>\n",
			Want: []pii.Type{pii.BankCard}},
		{Path: "clean.md", Text: "nothing here, version 1.2.3, order 20240101123456, isbn 9787111213826\n"},
		{Path: "image.png", Data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR13812345678"), Skip: "binary (image/png)"},
		// Text under an unknown extension: sniffed, and read.
		{Path: "notes.bin", Text: "notes: call 13700001111\n", Want: []pii.Type{pii.Mobile}},
		// Binary whatever its name: skipped, with the reason.
		{Path: "blob.dat", Data: []byte("\x00\x01\x02 13812345678 \x00"), Skip: "binary (application/octet-stream)"},
		{Path: "broken.txt", Link: "does-not-exist.txt", Fail: true},
		{Path: "linkdir", Link: "sub", Skip: "symlink to dir"},
		{Path: "sub/loop", Link: "..", Skip: "symlink to dir"},
		{Path: "fifo.txt", FIFO: true, Skip: "special file"},
	}
}

// Tree writes the tree under a new temporary directory and returns its root
// and the files with Data filled in. FIFOs are left out where they cannot
// be made.
func Tree(t testing.TB) (string, []File) {
	t.Helper()
	root := t.TempDir()
	var out []File
	for _, f := range Files() {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		switch {
		case f.Link != "":
			if err := os.Symlink(f.Link, p); err != nil {
				t.Fatal(err)
			}
		case f.FIFO:
			if err := syscall.Mkfifo(p, 0o644); err != nil {
				continue
			}
		default:
			if f.Data == nil {
				f.Data = Encode(t, f.Text, f.GB18030, f.Gzip)
			}
			if err := os.WriteFile(p, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out = append(out, f)
	}
	return root, out
}

// Encode returns text as GB18030 and/or gzip bytes.
func Encode(t testing.TB, text string, gb, gz bool) []byte {
	t.Helper()
	b := []byte(text)
	if gb {
		var err error
		if b, err = simplifiedchinese.GB18030.NewEncoder().Bytes(b); err != nil {
			t.Fatal(err)
		}
	}
	if gz {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(b)
		zw.Close()
		b = buf.Bytes()
	}
	return b
}
