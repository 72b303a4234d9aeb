package scan

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

// render runs Run on paths and formats the results.
func render(t *testing.T, format string, paths []string, opt Options) (string, *Summary) {
	t.Helper()
	var out bytes.Buffer
	w, err := NewWriter(format, &out, nil, "test")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := Run(context.Background(), paths, opt, w.File)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(sum); err != nil {
		t.Fatal(err)
	}
	return out.String(), sum
}

var textLine = regexp.MustCompile(`^(.+(:\d+:\d+|#\S+)) ([a-z_0-9]+) (C[123]|-)(/sensitive)? (\S.*)$`)

func TestScanFormats(t *testing.T) {
	root, _ := scantest.Tree(t)
	for _, format := range Formats() {
		t.Run(format, func(t *testing.T) {
			out, sum := render(t, format, []string{root}, Options{Workers: 2})
			for _, v := range scantest.RawValues() {
				if strings.Contains(out, v) {
					t.Errorf("raw value %q printed without Values", v)
				}
			}
			withValues, _ := render(t, format, []string{root}, Options{Values: true})
			if !strings.Contains(withValues, "13812345678") {
				t.Errorf("Values set but no raw value printed")
			}
			switch format {
			case "text":
				checkText(t, out, sum)
			case "json":
				checkJSON(t, out, sum)
			case "sarif":
				checkSARIF(t, out, sum)
			}
		})
	}
	if _, err := NewWriter("xml", nil, nil, ""); err == nil {
		t.Error("unknown format accepted")
	}
}

func checkText(t *testing.T, out string, sum *Summary) {
	findings, rest := 0, ""
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if line == "" {
			break
		}
		if !textLine.MatchString(line) {
			t.Errorf("bad finding line %q", line)
		}
		findings++
	}
	for sc.Scan() {
		rest += sc.Text() + "\n"
	}
	if findings != sum.Findings {
		t.Errorf("%d finding lines, summary says %d", findings, sum.Findings)
	}
	for _, want := range []string{" scanned (", "1 failed", "by type:", "cn_mobile", "by class:", "sensitive (PIPL)", "JR/T 0171 C2", "skipped:"} {
		if !strings.Contains(rest, want) {
			t.Errorf("summary lacks %q:\n%s", want, rest)
		}
	}
}

func checkJSON(t *testing.T, out string, sum *Summary) {
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	findings, skipped := 0, 0
	for _, l := range lines {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if m["skipped"] != nil || m["error"] != nil {
			skipped++
			if m["path"] == nil {
				t.Errorf("skipped line without a path: %q", l)
			}
			continue
		}
		findings++
		for _, k := range []string{"path", "where", "type", "start", "end", "confidence", "sensitive", "level", "line", "col", "masked"} {
			if _, ok := m[k]; !ok {
				t.Errorf("line %q lacks %q", l, k)
			}
		}
		if _, ok := m["value"]; ok {
			t.Errorf("value present without Values: %q", l)
		}
	}
	wantSkipped := sum.Failed
	for _, n := range sum.Skipped {
		wantSkipped += n
	}
	if findings != sum.Findings || skipped != wantSkipped {
		t.Errorf("%d finding lines, %d skipped lines; summary: %d findings, %d skipped or failed", findings, skipped, sum.Findings, wantSkipped)
	}
}

func checkSARIF(t *testing.T, out string, sum *Summary) {
	if err := scantest.ValidateSARIF([]byte(out)); err != nil {
		t.Fatalf("invalid SARIF: %v\n%s", err, out)
	}
	var doc struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Name  string
					Rules []struct{ ID string }
				}
			}
			Results []struct {
				RuleID    string
				Level     string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           map[string]int
					}
				}
			}
			Invocations []struct {
				ExecutionSuccessful        bool
				ToolExecutionNotifications []struct{ Message struct{ Text string } }
			}
		}
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if run.Tool.Driver.Name != "scruple" || len(run.Tool.Driver.Rules) != len(pii.Types()) {
		t.Errorf("driver %+v", run.Tool.Driver)
	}
	if len(run.Results) != sum.Findings {
		t.Errorf("%d results, %d findings", len(run.Results), sum.Findings)
	}
	for _, r := range run.Results {
		inf := pii.Info(pii.Type(r.RuleID))
		want := "warning"
		if inf.Sensitive || inf.Level == pii.C3 {
			want = "error"
		}
		if r.Level != want {
			t.Errorf("%s: level %s, want %s", r.RuleID, r.Level, want)
		}
		loc := r.Locations[0].PhysicalLocation
		_, hasOff := loc.Region["byteOffset"]
		uri := loc.ArtifactLocation.URI
		plain := !strings.HasSuffix(uri, ".gz") && !strings.Contains(uri, "gb.") &&
			!strings.HasSuffix(uri, "rotated.log") && !strings.HasSuffix(uri, ".csv") && !strings.HasSuffix(uri, ".json")
		if hasOff != plain {
			t.Errorf("%s: byteOffset present %v, want %v", loc.ArtifactLocation.URI, hasOff, plain)
		}
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful || len(inv.ToolExecutionNotifications) != 1 ||
		!strings.Contains(inv.ToolExecutionNotifications[0].Message.Text, "broken.txt") {
		t.Errorf("invocation %+v", inv)
	}
}

// TestDeterministic checks that the output does not depend on the number of
// workers (nor on scheduling: the run is repeated).
func TestScanDeterministic(t *testing.T) {
	root, _ := scantest.Tree(t)
	for _, format := range Formats() {
		ref, _ := render(t, format, []string{root, root + "/sub", root + "/a.txt"}, Options{Workers: 1})
		for _, n := range []int{2, 4, 8, 4} {
			got, _ := render(t, format, []string{root + "/a.txt", root, root + "/sub"}, Options{Workers: n})
			if got != ref {
				t.Fatalf("%s: %d workers differ from 1:\n%s\n---\n%s", format, n, got, ref)
			}
		}
	}
}

func TestDelimited(t *testing.T) {
	cases := []struct {
		name, head string
		want       rune
	}{
		{"csv", "a,b,c\n1,2,3\n4,5,6\n", ','},
		{"no final newline", "a,b\n1,2", ','},
		{"crlf", "a;b\r\n1;2\r\n", ';'},
		{"tsv", "a\tb\n1\t2\n", '\t'},
		{"pipes", "|a|b|\n|1|2|\n", '|'},
		{"quoted delimiter and line break", "a,b\n\"1,5\",\"x\ny\"\n3,4\n", ','},
		{"one ragged row in five", "a,b\n1,2\n3,4\n5,6\n7,8,9\n", ','},
		{"head cut mid-record", "a,b\n1,2\n3,4\n5", ','},
		{"blank lines", "a,b\n\n1,2\n\n", ','},
		{"one record", "a,b,c\n", 0},
		{"cut second record", "a,b\n1", 0},
		{"prose", "Yes, we did, and then we called.\nNo.\n", 0},
		{"uneven prose", "One, two.\nThree, four, five.\nSix, seven.\n", 0},
		{"key value", "姓名：王芳\n手机：1\n", 0},
		{"markup", "<p>a,b</p>\n<p>c,d</p>\n", 0},
		{"empty", "", 0},
		{"bar border", "+---+---+\n| a | b |\n+---+---+\n| 1 | 2 |\n", 0},
	}
	for _, c := range cases {
		if got := delimited([]byte(c.head)); got != c.want {
			t.Errorf("%s: delimited = %q, want %q", c.name, got, c.want)
		}
	}
}
