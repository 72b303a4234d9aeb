package scan

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

// runAll runs Run and returns the results by path relative to root.
func runAll(t *testing.T, root string, opt Options, paths ...string) (map[string]*FileResult, *Summary) {
	t.Helper()
	if len(paths) == 0 {
		paths = []string{root}
	}
	got := map[string]*FileResult{}
	var order []string
	sum, err := Run(context.Background(), paths, opt, func(r *FileResult) error {
		rel, err := filepath.Rel(root, r.Path)
		if err != nil || r.Path == StdinPath {
			rel = r.Path
		}
		got[filepath.ToSlash(rel)] = r
		order = append(order, r.Path)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(order[min(1, len(order)):]) {
		t.Errorf("results not in path order: %v", order)
	}
	return got, sum
}

// lineCol computes the 1-based line and character column of off the slow way.
func lineCol(text string, off int) (int, int) {
	before := text[:off]
	line := strings.Count(before, "\n") + 1
	return line, utf8.RuneCountInString(before[strings.LastIndexByte(before, '\n')+1:]) + 1
}

func TestScanRunTree(t *testing.T) {
	root, files := scantest.Tree(t)
	for _, tc := range []struct {
		name string
		opt  Options
		// override maps a path to its expected skip reason under opt.
		override map[string]string
	}{
		{name: "default", opt: Options{Values: true, Workers: 1}},
		{name: "all-files", opt: Options{Values: true, Workers: 3, AllFiles: true}},
		{name: "follow", opt: Options{Values: true, Workers: 2, FollowSymlinks: true},
			// linkdir points at sub, walked under its own path: not twice.
			override: map[string]string{"linkdir": SkipSeen, "sub/loop": SkipLoop}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, sum := runAll(t, root, tc.opt)
			for _, f := range files {
				skip, ok := tc.override[f.Path]
				if !ok {
					skip = f.Skip
				}
				r := got[f.Path]
				if skip == "-" { // a followed link: its files come instead
					if r != nil {
						t.Errorf("%s: reported itself though followed", f.Path)
					}
					continue
				}
				if r == nil {
					t.Errorf("%s: no result", f.Path)
					continue
				}
				if f.Fail != (r.Err != nil) {
					t.Errorf("%s: err %v, want failure %v", f.Path, r.Err, f.Fail)
				}
				if r.Skipped != skip {
					t.Errorf("%s: skipped %q, want %q", f.Path, r.Skipped, skip)
				}
				if f.Fail || skip != "" {
					continue
				}
				checkFile(t, f, r)
			}
			if sum.Failed != 1 || sum.Findings == 0 {
				t.Errorf("summary %+v", sum)
			}
		})
	}
}

func checkFile(t *testing.T, f scantest.File, r *FileResult) {
	t.Helper()
	wantEnc := UTF8
	if f.GB18030 {
		wantEnc = GB18030
	}
	if r.Encoding != wantEnc || r.Gzip != f.Gzip || !f.Structured && r.Bytes != int64(len(f.Text)) {
		t.Errorf("%s: encoding %s gzip %v bytes %d, want %s %v %d", f.Path, r.Encoding, r.Gzip, r.Bytes, wantEnc, f.Gzip, len(f.Text))
	}
	found := map[pii.Type]bool{}
	for _, x := range r.Findings {
		found[x.Type] = true
		if f.Structured {
			if x.Value == "" || !strings.Contains(f.Text, x.Value) || x.End-x.Start != len(x.Value) || x.Line != 0 ||
				x.Row == 0 && x.Key == "" || x.Column == "" && x.Key == "" {
				t.Errorf("%s: %s at %+v: not a cell or key location", f.Path, x.Type, x.Where())
			}
			continue
		}
		if x.Start < 0 || x.End > len(f.Text) || f.Text[x.Start:x.End] != x.Value {
			t.Errorf("%s: %s span %d-%d does not hold its value", f.Path, x.Type, x.Start, x.End)
			continue
		}
		l, c := lineCol(f.Text, x.Start)
		el, ec := lineCol(f.Text, x.End)
		if x.Line != l || x.Col != c || x.EndLine != el || x.EndCol != ec {
			t.Errorf("%s: %s at %d:%d-%d:%d, want %d:%d-%d:%d", f.Path, x.Type, x.Line, x.Col, x.EndLine, x.EndCol, l, c, el, ec)
		}
		if x.Masked == x.Value || x.Masked == "" {
			t.Errorf("%s: %s masked as %q", f.Path, x.Type, x.Masked)
		}
	}
	for _, w := range f.Want {
		if !found[w] {
			t.Errorf("%s: no %s found", f.Path, w)
		}
	}
	if len(f.Want) == 0 && len(r.Findings) > 0 {
		t.Errorf("%s: unexpected findings %v", f.Path, r.Findings)
	}
}

func TestScanTypesAndValuesOff(t *testing.T) {
	root, _ := scantest.Tree(t)
	det := pii.New(pii.Options{Types: []pii.Type{pii.Mobile}})
	got, sum := runAll(t, root, Options{Detector: det})
	for p, r := range got {
		for _, f := range r.Findings {
			if f.Type != pii.Mobile {
				t.Errorf("%s: %s found with --types cn_mobile", p, f.Type)
			}
			if f.Value != "" {
				t.Errorf("%s: raw value kept without Values", p)
			}
		}
	}
	if sum.ByType[pii.Mobile] == 0 || len(sum.ByType) != 1 {
		t.Errorf("by type %v", sum.ByType)
	}
}

func TestScanStdin(t *testing.T) {
	text := "联系人：赵六，手机：13912345678\n"
	for _, tc := range []struct {
		name    string
		gb, gz  bool
		wantEnc string
	}{
		{"utf8", false, false, UTF8},
		{"gb18030", true, false, GB18030},
		{"gb18030+gzip", true, true, GB18030},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := scantest.Encode(t, text, tc.gb, tc.gz)
			got, _ := runAll(t, "", Options{Stdin: bytes.NewReader(data), Values: true}, "-")
			r := got[StdinPath]
			if r == nil || r.Err != nil || r.Encoding != tc.wantEnc || r.Gzip != tc.gz {
				t.Fatalf("stdin result %+v", r)
			}
			if len(r.Findings) == 0 || !slices.ContainsFunc(r.Findings, func(f Finding) bool { return f.Value == "13912345678" }) {
				t.Errorf("findings %+v", r.Findings)
			}
		})
	}
}

func TestScanLooksUTF8(t *testing.T) {
	gb := scantest.Encode(t, "手机号码", true, false)
	for _, tc := range []struct {
		name  string
		in    []byte
		atEOF bool
		want  bool
	}{
		{"empty", nil, true, true},
		{"ascii", []byte("hello 13812345678"), true, true},
		{"utf8", []byte("手机 13812345678"), true, true},
		{"gb18030", gb, true, false},
		{"ascii then gb18030", append([]byte("id,phone\n"), gb...), true, false},
		{"rune cut by the window", []byte("手机")[:4], false, true},
		{"rune cut at EOF", []byte("手机")[:4], true, false},
		{"file cut mid-rune", []byte("机号码是多少，请拨打电话")[1:], true, true},
		{"one bad byte in much UTF-8", append([]byte(strings.Repeat("手机号码", 10)), 0xff), true, true},
		{"gb18030 prose", scantest.Encode(t, strings.Repeat("近日，国家统计局发布了国民经济运行数据。", 20), true, false), true, false},
	} {
		if got := looksUTF8(tc.in, tc.atEOF); got != tc.want {
			t.Errorf("%s: looksUTF8 = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestScanIsTextName(t *testing.T) {
	for name, want := range map[string]bool{
		"a.txt": true, "A.CSV": true, "x.jsonl.gz": true, "p.htm": true, "d/e.xml": true,
		"x.gz": false, "x.tar.gz": false, "img.png": false, "noext": false, "a.txt.bak": false,
	} {
		if IsTextName(name) != want {
			t.Errorf("IsTextName(%q) != %v", name, want)
		}
	}
}

func TestScanDestPathAndRefusals(t *testing.T) {
	root, _ := scantest.Tree(t)
	if d, _ := DestPath("/out", "data/x.csv"); d != filepath.FromSlash("/out/data/x.csv") {
		t.Errorf("relative: %s", d)
	}
	if d, _ := DestPath("/out", "/srv/x.csv"); d != filepath.FromSlash("/out/srv/x.csv") {
		t.Errorf("absolute: %s", d)
	}
	if d, _ := DestPath("/out", "../x.csv"); strings.Contains(d, "..") {
		t.Errorf("escapes: %s", d)
	}
	for _, tc := range []struct {
		name  string
		dir   string
		paths []string
	}{
		{"equal", root, []string{root}},
		{"inside", filepath.Join(root, "sub", "out"), []string{root}},
		{"inside a later path", filepath.Join(root, "x"), []string{"-", t.TempDir(), root}},
		{"copy onto itself", "/", []string{filepath.Join(root, "a.txt")}},
	} {
		_, err := Run(context.Background(), tc.paths, Options{RedactDir: tc.dir}, func(*FileResult) error { return nil })
		if err == nil {
			t.Errorf("%s: redact dir %s accepted", tc.name, tc.dir)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "sub", "out")); err == nil {
		t.Errorf("refused redact dir was created")
	}
}

func TestScanStops(t *testing.T) {
	root, _ := scantest.Tree(t)
	boom := errors.New("stdout closed")
	n := 0
	_, err := Run(context.Background(), []string{root}, Options{Workers: 4}, func(*FileResult) error {
		n++
		return boom
	})
	if !errors.Is(err, boom) || n != 1 {
		t.Errorf("emit error: %v after %d calls", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, []string{root}, Options{}, func(*FileResult) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run: %v", err)
	}
}

func TestScanCorruptGzip(t *testing.T) {
	dir := t.TempDir()
	gz := scantest.Encode(t, strings.Repeat("手机 13812345678\n", 1000), false, true)
	os.WriteFile(filepath.Join(dir, "truncated.log.gz"), gz[:len(gz)/2], 0o644)
	os.WriteFile(filepath.Join(dir, "header.log.gz"), gz[:5], 0o644)
	bad := bytes.Clone(gz)
	bad[len(bad)-6] ^= 0xff // the CRC
	os.WriteFile(filepath.Join(dir, "crc.log.gz"), bad, 0o644)
	got, sum := runAll(t, dir, Options{RedactDir: filepath.Join(t.TempDir(), "o")})
	for p, r := range got {
		// The values read before the damage are reported with the error;
		// no redacted copy is written.
		if r.Err == nil || r.Redacted != "" {
			t.Errorf("%s: corrupt gzip read as %+v", p, r)
		} else if strings.Contains(r.Err.Error(), "13812345678") {
			t.Errorf("%s: error quotes content", p)
		}
	}
	if sum.Failed != 3 {
		t.Errorf("failed %d, want 3", sum.Failed)
	}
}
