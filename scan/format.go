package scan

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/scruple/scruple/pii"
)

// Writer formats results as Run emits them. File is called once per result
// in order; Close once at the end with the totals. Writers print the raw
// value only when the finding carries one (Options.Values).
type Writer interface {
	File(r *FileResult) error
	Close(s *Summary) error
}

// Formats lists the names NewWriter accepts.
func Formats() []string { return []string{"text", "json", "sarif"} }

// NewWriter returns the writer for format: "text", "json" (JSON Lines) or
// "sarif" (SARIF 2.1.0). types are the types scanned for, the SARIF rules;
// version is the tool version SARIF reports.
func NewWriter(format string, w io.Writer, types []pii.Type, version string) (Writer, error) {
	switch format {
	case "text":
		return &textWriter{w: bufio.NewWriter(w)}, nil
	case "json":
		bw := bufio.NewWriter(w)
		enc := json.NewEncoder(bw)
		enc.SetEscapeHTML(false)
		return &jsonWriter{bw: bw, enc: enc}, nil
	case "sarif":
		return newSARIFWriter(w, types, version), nil
	}
	return nil, fmt.Errorf("unknown format %q: want %s", format, strings.Join(Formats(), ", "))
}

// Class is the short class of a finding for people: its JR/T 0171 level
// ("-" when the standard does not classify it), with "/sensitive" appended
// for PIPL sensitive information.
func Class(f *Finding) string {
	c := string(f.Level)
	if c == "" {
		c = "-"
	}
	if f.Sensitive {
		c += "/sensitive"
	}
	return c
}

// shown is what a writer prints for the value.
func shown(f *Finding) string {
	if f.Value != "" {
		return f.Value
	}
	return f.Masked
}

// textWriter prints `path:line:col type class value` lines, then a summary.
type textWriter struct{ w *bufio.Writer }

func (t *textWriter) File(r *FileResult) error {
	for i := range r.Findings {
		f := &r.Findings[i]
		fmt.Fprintf(t.w, "%s:%d:%d %s %s %s\n", f.Path, f.Line, f.Col, f.Type, Class(f), oneLine(shown(f)))
	}
	return nil
}

func (t *textWriter) Close(s *Summary) error {
	WriteSummary(t.w, s)
	return t.w.Flush()
}

// WriteSummary prints the totals for people: files, findings by type and by
// class, and the files with page signals.
func WriteSummary(w io.Writer, s *Summary) {
	skipped := 0
	for _, n := range s.Skipped {
		skipped += n
	}
	if s.Findings > 0 {
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%d findings in %d files; %d files scanned (%s), %d skipped, %d failed\n",
		s.Findings, s.FilesWithFindings, s.Scanned, sizeString(s.Bytes), skipped, s.Failed)
	if skipped > 0 {
		var parts []string
		for _, k := range sortedKeys(s.Skipped) {
			parts = append(parts, fmt.Sprintf("%d %s", s.Skipped[k], k))
		}
		fmt.Fprintf(w, "skipped: %s\n", strings.Join(parts, ", "))
	}
	if s.Findings == 0 {
		return
	}
	fmt.Fprintln(w, "by type:")
	types := make([]pii.Type, 0, len(s.ByType))
	for t := range s.ByType {
		types = append(types, t)
	}
	slices.SortFunc(types, func(a, b pii.Type) int {
		return cmp.Or(cmp.Compare(s.ByType[b], s.ByType[a]), cmp.Compare(a, b))
	})
	for _, t := range types {
		fmt.Fprintf(w, "  %-18s %d\n", t, s.ByType[t])
	}
	fmt.Fprintln(w, "by class:")
	fmt.Fprintf(w, "  %-18s %d\n", "sensitive (PIPL)", s.Sensitive)
	for _, l := range []pii.Level{pii.C3, pii.C2, pii.C1, ""} {
		name := "JR/T 0171 " + string(l)
		if l == "" {
			name = "no JR/T level"
		}
		if n := s.ByLevel[l]; n > 0 {
			fmt.Fprintf(w, "  %-18s %d\n", name, n)
		}
	}
	if s.NonPersonal > 0 {
		fmt.Fprintf(w, "  %-18s %d\n", "non-personal", s.NonPersonal)
	}
	for _, p := range s.Bulk {
		fmt.Fprintf(w, "bulk personal data: %s\n", p)
	}
	for _, p := range s.Minor {
		fmt.Fprintf(w, "minor's ID (under 14): %s\n", p)
	}
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func sizeString(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// oneLine keeps a value (a name or an address with a line break in it,
// shown with --show-values) on its output line.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\t") {
		return s
	}
	return strings.NewReplacer("\r", `\r`, "\n", `\n`, "\t", `\t`).Replace(s)
}

// JSONFinding is one line of the JSON Lines output.
type JSONFinding struct {
	Path       string  `json:"path"`
	Type       string  `json:"type"`
	Start      int     `json:"start"`
	End        int     `json:"end"`
	Line       int     `json:"line"`
	Col        int     `json:"col"`
	EndLine    int     `json:"end_line"`
	EndCol     int     `json:"end_col"`
	Confidence float64 `json:"confidence"`
	Sensitive  bool    `json:"sensitive"`
	Level      string  `json:"level"`
	Personal   bool    `json:"personal"`
	Masked     string  `json:"masked"`
	Value      string  `json:"value,omitempty"`
}

type jsonWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

func (j *jsonWriter) File(r *FileResult) error {
	for _, f := range r.Findings {
		err := j.enc.Encode(JSONFinding{Path: f.Path, Type: string(f.Type), Start: f.Start, End: f.End,
			Line: f.Line, Col: f.Col, EndLine: f.EndLine, EndCol: f.EndCol,
			Confidence: f.Confidence, Sensitive: f.Sensitive, Level: string(f.Level), Personal: f.Personal,
			Masked: f.Masked, Value: f.Value})
		if err != nil {
			return err
		}
	}
	return nil
}

func (j *jsonWriter) Close(*Summary) error { return j.bw.Flush() }
