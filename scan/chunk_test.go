package scan

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

// corpus returns n lines of Chinese and English filler with values at
// varying offsets, long lines included, so that chunk edges fall before,
// inside and after values, and inside multi-byte characters.
func corpus(n int) string {
	rng := rand.New(rand.NewPCG(1, 2))
	fill := []string{"今天天气不错，", "the quick brown fox ", "订单号20240101123456，", "价格 1999.00 元 ", "版本 v1.2.3 ", "。"}
	vals := []string{"联系人：李四，手机13812345678", "身份证号11010519491231002X", "卡号：6222021234567890128",
		"email zhang.san@example.com", "电话：010-62345678", "ip 192.168.10.20"}
	var b strings.Builder
	for i := range n {
		for k := rng.IntN(6); k > 0; k-- {
			b.WriteString(fill[rng.IntN(len(fill))])
		}
		b.WriteString(vals[rng.IntN(len(vals))])
		if i%50 == 7 { // a long line: thousands of characters without a break
			for k := 0; k < 300; k++ {
				b.WriteString(fill[k%len(fill)])
			}
		}
		if rng.IntN(4) > 0 {
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// scanBytes runs Run on one file holding data with the given chunk size and
// returns its result and its redacted copy (decoded back to UTF-8 text).
func scanBytes(t *testing.T, data []byte, name string, chunk int) (*FileResult, string) {
	t.Helper()
	dir := t.TempDir()
	p := filepath.Join(dir, "in", name)
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var res *FileResult
	_, err := Run(context.Background(), []string{p}, Options{ChunkSize: chunk, Values: true, RedactDir: out},
		func(r *FileResult) error { res = r; return nil })
	if err != nil || res == nil || res.Err != nil {
		t.Fatalf("run: %v %+v", err, res)
	}
	red, err := os.ReadFile(res.Redacted)
	if err != nil {
		t.Fatal(err)
	}
	return res, decode(t, red, res.Gzip, res.Encoding == GB18030)
}

// decode returns the UTF-8 text of data.
func decode(t *testing.T, data []byte, gz, gb bool) string {
	t.Helper()
	if gz {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		if data, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	if gb {
		var err error
		if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
			t.Fatal(err)
		}
	}
	return string(data)
}

// TestChunksMatchWholeScan checks that chunked scanning finds each value once,
// whole, with the offsets, lines, columns and redaction of a whole-file scan.
func TestScanChunksMatchWhole(t *testing.T) {
	text := corpus(800)
	whole, _ := pii.New(pii.Options{}).ScanString(text)
	wantRedacted := string(pii.Redact([]byte(text), whole, pii.Mask))
	for _, enc := range []struct {
		name   string
		gb, gz bool
	}{{"utf8.txt", false, false}, {"gb.txt.gz", true, true}} {
		data := scantest.Encode(t, text, enc.gb, enc.gz)
		ref, _ := scanBytes(t, data, enc.name, 1<<20)
		if len(ref.Findings) != len(whole) {
			t.Fatalf("%s: one chunk found %d, the detector %d", enc.name, len(ref.Findings), len(whole))
		}
		for _, chunk := range []int{MinChunkSize, MinChunkSize + 7, 3*MinChunkSize + 2} {
			t.Run(fmt.Sprintf("%s/%d", enc.name, chunk), func(t *testing.T) {
				got, red := scanBytes(t, data, enc.name, chunk)
				if len(got.Findings) != len(ref.Findings) {
					t.Fatalf("chunked: %d findings, whole: %d", len(got.Findings), len(ref.Findings))
				}
				for i := range got.Findings {
					g, w := got.Findings[i], ref.Findings[i]
					g.Path, w.Path = "", ""
					if !reflect.DeepEqual(g, w) {
						t.Fatalf("finding %d: chunked %+v, whole %+v", i, g, w)
					}
				}
				if red != wantRedacted {
					t.Errorf("chunked redaction differs from the whole-text one")
				}
				if straddling(got.Findings, chunk, len(text)) == 0 {
					t.Errorf("no value crossed a chunk edge: the test proves nothing")
				}
			})
		}
	}
}

// straddling counts findings that contain a chunk cut (see chunks).
func straddling(fs []Finding, chunk, n int) int {
	c := 0
	for cut := chunk - lookAhead; cut < n; cut += chunk - lookAhead - lookBack {
		for _, f := range fs {
			if f.Start < cut && cut < f.End {
				c++
			}
		}
	}
	return c
}

func TestScanTracker(t *testing.T) {
	text := []byte("ab\n手机x\n\nz")
	for off, want := range map[int][2]int{0: {1, 1}, 2: {1, 3}, 3: {2, 1}, 9: {2, 3}, 10: {2, 4}, 11: {3, 1}, 12: {4, 1}} {
		var p tracker
		p.line = 1
		// Advance in two steps, the first one ending inside a rune.
		mid := min(off, 5)
		p.advance(text, 0, mid)
		p.advance(text, 0, off)
		if p.line != want[0] || p.col+1 != want[1] {
			t.Errorf("offset %d: %d:%d, want %d:%d", off, p.line, p.col+1, want[0], want[1])
		}
	}
}
