package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/scan/scantest"
)

// scanCLI runs `scruple scan args...` and returns the exit code and output.
func scanCLI(t *testing.T, stdin []byte, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	in := bytes.NewReader(stdin)
	if c, _, err := newRoot(in, &o, &e).Find([]string{"scan"}); err == nil && c.Name() == "scan" {
		code = run(append([]string{"scan"}, args...), in, &o, &e)
		return code, o.String(), e.String()
	}
	// Until main.go registers the command: the same execution and exit code
	// mapping as run().
	root := newRoot(in, &o, &e)
	root.AddCommand(newScanCmd(in, &o, &e))
	root.SetArgs(append([]string{"scan"}, args...))
	root.SetOut(&o)
	root.SetErr(&e)
	err := root.Execute()
	var ee *exitError
	var ue usageError
	switch {
	case err == nil:
		code = exitOK
	case errors.As(err, &ee):
		if ee.msg != "" {
			fmt.Fprintln(&e, "scruple:", ee.msg)
		}
		code = ee.code
	case errors.As(err, &ue) || scruple.ErrorCode(err) == scruple.EINVALID:
		fmt.Fprintln(&e, "scruple:", err)
		code = exitUsage
	default:
		fmt.Fprintln(&e, "scruple:", err)
		code = exitFailure
	}
	return code, o.String(), e.String()
}

func TestScanExitCodes(t *testing.T) {
	root, _ := scantest.Tree(t)
	clean := t.TempDir()
	os.WriteFile(filepath.Join(clean, "a.txt"), []byte("no personal data here, version 1.2.3\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		code int
		// errLines is the number of stderr lines (machine formats add a
		// summary line).
		errLines int
	}{
		{"nothing found", []string{clean}, exitOK, 0},
		{"findings", []string{filepath.Join(root, "sub"), filepath.Join(root, "a.txt")}, exitFailure, 0},
		{"findings json", []string{"--format", "json", filepath.Join(root, "a.txt")}, exitFailure, 1},
		{"unreadable path wins", []string{root}, exitScanError, 1},
		{"missing path", []string{filepath.Join(root, "nope"), filepath.Join(root, "a.txt")}, exitScanError, 1},
		{"no path", nil, exitUsage, 1},
		{"bad type", []string{"--types", "cn_mobile,shoe_size", root}, exitUsage, 1},
		{"bad format", []string{"--format", "xml", root}, exitUsage, 1},
		{"bad confidence", []string{"--min-confidence", "1.5", root}, exitUsage, 1},
		{"bad workers", []string{"--workers", "0", root}, exitUsage, 1},
		{"bad redact mode", []string{"--redact", t.TempDir(), "--redact-mode", "blur", root}, exitUsage, 1},
		{"redact inside", []string{"--redact", filepath.Join(root, "out"), root}, exitUsage, 1},
		{"redact equal", []string{"--redact", root, root}, exitUsage, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := scanCLI(t, nil, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.code, out, errOut)
			}
			if n := strings.Count(errOut, "\n"); n != tc.errLines {
				t.Errorf("%d stderr lines, want %d: %q", n, tc.errLines, errOut)
			}
			if tc.name == "unreadable path wins" {
				if !strings.Contains(errOut, "broken.txt") {
					t.Errorf("unreadable path not named: %q", errOut)
				}
				if !strings.Contains(out, "a.txt:") || !strings.Contains(out, "data.csv#row=") {
					t.Errorf("the rest was not scanned:\n%s", out)
				}
			}
		})
	}
}

var findingLine = regexp.MustCompile(`^(.+):(\d+):(\d+) ([a-z_0-9]+) (C[123]|-)(/sensitive)? (\S.*)$`)

func TestScanFormats(t *testing.T) {
	root, _ := scantest.Tree(t)
	a := filepath.Join(root, "a.txt")
	// Text: one line per finding, then the summary.
	_, out, _ := scanCLI(t, nil, a)
	lines := strings.Split(out, "\n")
	// "客户张三，身份证号…": the customer's name, then the ID.
	if !findingLine.MatchString(lines[0]) || !strings.HasPrefix(lines[0], a+":1:3 person_name C2 张*") {
		t.Errorf("first line %q", lines[0])
	}
	if !findingLine.MatchString(lines[1]) || !strings.HasPrefix(lines[1], a+":1:10 cn_resident_id C2/sensitive 110105********002X") {
		t.Errorf("second line %q", lines[1])
	}
	for _, want := range []string{"by type:", "by class:", "1 scanned"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	// JSON Lines: the required keys, offsets into the UTF-8 text.
	_, out, _ = scanCLI(t, nil, "--format", "json", "--show-values", a)
	text, _ := os.ReadFile(a)
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var f struct {
			Path       *string
			Type       *string
			Start, End *int
			Confidence *float64
			Sensitive  *bool
			Level      *string
			Value      string
		}
		if err := json.Unmarshal([]byte(l), &f); err != nil {
			t.Fatal(err)
		}
		if f.Path == nil || f.Type == nil || f.Start == nil || f.End == nil || f.Confidence == nil || f.Sensitive == nil || f.Level == nil {
			t.Fatalf("line lacks a required key: %s", l)
		}
		if string(text[*f.Start:*f.End]) != f.Value {
			t.Errorf("offsets %d-%d do not hold the value", *f.Start, *f.End)
		}
	}
	// SARIF: the required structure of 2.1.0, byte offsets into the file.
	code, out, _ := scanCLI(t, nil, "--format", "sarif", root)
	if code != exitScanError {
		t.Errorf("exit %d", code)
	}
	if err := scantest.ValidateSARIF([]byte(out)); err != nil {
		t.Fatalf("invalid SARIF: %v", err)
	}
	if !strings.Contains(out, `"uri": "file://`) || !strings.Contains(out, `"byteOffset": 27`) || !strings.Contains(out, `"executionSuccessful": false`) {
		t.Errorf("SARIF lacks locations or the failure:\n%s", out)
	}
}

func TestScanNoRawValues(t *testing.T) {
	root, _ := scantest.Tree(t)
	gz := scantest.Encode(t, "手机：13812345678\n", true, true)
	for _, format := range []string{"text", "json", "sarif"} {
		_, out, errOut := scanCLI(t, gz, "--format", format, "--all-files", root, "-")
		for _, v := range scantest.RawValues() {
			if strings.Contains(out+errOut, v) {
				t.Errorf("%s: raw value %q printed", format, v)
			}
		}
		_, out, _ = scanCLI(t, gz, "--format", format, "--show-values", root, "-")
		if !strings.Contains(out, "13812345678") {
			t.Errorf("%s: --show-values prints no raw value", format)
		}
	}
}

func TestScanTypesStdinAndWorkers(t *testing.T) {
	root, _ := scantest.Tree(t)
	_, out, _ := scanCLI(t, nil, "--types", "cn_mobile", "--format", "json", root)
	if !strings.Contains(out, `"cn_mobile"`) || strings.Contains(out, `"cn_resident_id"`) {
		t.Errorf("--types cn_mobile:\n%s", out)
	}
	code, out, _ := scanCLI(t, []byte("联系人：赵六，手机：13912345678\n"), "-")
	if code != exitFailure || !strings.HasPrefix(out, "<stdin>:1:") || !strings.Contains(out, "139****5678") {
		t.Errorf("stdin: exit %d\n%s", code, out)
	}
	// Redacted stdin goes to OUTDIR/stdin.txt, gzip kept.
	dir := t.TempDir()
	scanCLI(t, scantest.Encode(t, "手机：13912345678\n", true, true), "--redact", dir, "-")
	if b, err := os.ReadFile(filepath.Join(dir, "stdin.txt.gz")); err != nil || !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		t.Errorf("stdin copy: %v", err)
	}
	for _, format := range []string{"text", "json", "sarif"} {
		_, one, _ := scanCLI(t, nil, "--format", format, "--workers", "1", root)
		_, four, _ := scanCLI(t, nil, "--format", format, "--workers", "4", root)
		if one != four {
			t.Errorf("%s: --workers 1 and 4 differ", format)
		}
	}
}

func TestScanRedact(t *testing.T) {
	root, files := scantest.Tree(t)
	out := filepath.Join(t.TempDir(), "clean")
	code, _, errOut := scanCLI(t, nil, "--redact", out, "--redact-mode", "partial", root)
	if code != exitScanError { // broken.txt
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.Path))
		if f.Data != nil {
			if orig, _ := os.ReadFile(p); !bytes.Equal(orig, f.Data) {
				t.Errorf("%s: original modified", f.Path)
			}
		}
		dest := filepath.Join(out, strings.TrimPrefix(p, string(filepath.Separator)))
		_, err := os.Stat(dest)
		if scanned := f.Skip == "" && !f.Fail && !f.FIFO; scanned != (err == nil) {
			t.Errorf("%s: copy exists %v, scanned %v", f.Path, err == nil, scanned)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, strings.TrimPrefix(root, "/"), "a.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "138****5678") || strings.Contains(string(b), "13812345678") {
		t.Errorf("copy not redacted:\n%s", b)
	}
}

// TestScanHelpNamesExitCodes keeps the documented contract visible.
func TestScanHelpNamesExitCodes(t *testing.T) {
	var o bytes.Buffer
	c := newScanCmd(strings.NewReader(""), &o, io.Discard)
	c.SetOut(&o)
	c.SetArgs([]string{"--help"})
	c.Execute()
	for _, want := range []string{"Exit status: 0 nothing found, 1 findings, 2 error", "UTF-8 text", "--show-values"} {
		if !strings.Contains(o.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestScanSQLiteDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "crm.db")
	st, err := sqlOpen(db)
	if err != nil {
		t.Fatal(err)
	}
	st.Exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, "手机" TEXT, born DATE)`)
	st.Exec(`INSERT INTO users VALUES (42, '13812345678', '2000-01-01')`)
	st.Close()
	code, out, _ := scanCLI(t, nil, db)
	if code != exitFailure {
		t.Fatalf("exit %d\n%s", code, out)
	}
	for _, want := range []string{db + "/users/手机[id=42] cn_mobile C2 138****5678", "database tables", "users: 1 rows", "born", "not read"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "13812345678") {
		t.Errorf("raw value printed")
	}
	code, out, _ = scanCLI(t, nil, "--format", "json", "--sample", "10", "--table", "users", db)
	if code != exitFailure || !strings.Contains(out, `"table":"users"`) || !strings.Contains(out, `"row_key":"id=42"`) {
		t.Errorf("json: exit %d\n%s", code, out)
	}
	if code, _, _ := scanCLI(t, nil, "--table", "nope", db); code != exitScanError {
		t.Errorf("unknown table: exit %d", code)
	}
}

// TestScanHostileExit: a decompression bomb and a PDF bomb make the scan
// fail (exit 2) with one line each on stderr that names the limit and
// quotes nothing, and no output holds a raw value, names included.
func TestScanHostileExit(t *testing.T) {
	dir := t.TempDir()
	fill := append(bytes.Repeat([]byte("a"), 3<<20), "\n手机 13812345678\n"...)
	os.WriteFile(filepath.Join(dir, "bomb.zip"), scantest.OverlapZip(t, "13812345678.txt", fill, 30, false), 0o644)
	os.WriteFile(filepath.Join(dir, "bomb.pdf"), scantest.RawPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 9 >>", "<< /Type /Page /Parent 2 0 R >>"}, "/Size 4 /Root 1 0 R", true), 0o644)
	for _, format := range []string{"text", "json", "sarif"} {
		code, out, errOut := scanCLI(t, nil, "--format", format, dir)
		if code != exitScanError {
			t.Errorf("%s: exit %d, want %d", format, code, exitScanError)
		}
		if !strings.Contains(errOut, "limit exceeded") {
			t.Errorf("%s: stderr does not name the limit:\n%s", format, errOut)
		}
		if strings.Contains(out+errOut, "13812345678") {
			t.Errorf("%s: a raw value is printed", format)
		}
	}
}
