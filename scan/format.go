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

// textWriter prints `where type class value` lines (see Finding.Where),
// then a summary.
type textWriter struct{ w *bufio.Writer }

func (t *textWriter) File(r *FileResult) error {
	for i := range r.Findings {
		f := &r.Findings[i]
		fmt.Fprintf(t.w, "%s %s %s %s\n", cleanName(f.Where()), f.Type, Class(f), oneLine(shown(f)))
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
	fmt.Fprintf(w, "%d findings in %d of %d files or databases; %d scanned (%s; files, parts and tables), %d skipped, %d failed\n",
		s.Findings, s.FilesWithFindings, s.Files, s.Scanned, sizeString(s.Bytes), skipped, s.Failed)
	if skipped > 0 {
		var parts []string
		for _, k := range sortedKeys(s.Skipped) {
			parts = append(parts, fmt.Sprintf("%d %s", s.Skipped[k], k))
		}
		fmt.Fprintf(w, "skipped: %s\n", strings.Join(parts, ", "))
	}
	for _, p := range s.NotRedacted {
		fmt.Fprintf(w, "no redacted copy (format cannot be rewritten): %s\n", cleanName(p))
	}
	writeTables(w, s.Tables)
	if s.Findings == 0 {
		return
	}
	fmt.Fprintln(w, "by type:")
	for _, t := range sortedTypes(s.ByType) {
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
		fmt.Fprintf(w, "bulk personal data: %s\n", cleanName(p))
	}
	for _, p := range s.Minor {
		fmt.Fprintf(w, "minor's ID (under 14): %s\n", cleanName(p))
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

// JSONFinding is a finding's line of the JSON Lines output. The output
// also has a JSONSkipped line for every file or part skipped or failed, and
// a JSONTable line for every database table scanned.
type JSONFinding struct {
	Path       string  `json:"path"`
	Part       string  `json:"part,omitempty"`
	Where      string  `json:"where"`
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
	Page       int     `json:"page,omitempty"`
	Sheet      string  `json:"sheet,omitempty"`
	Cell       string  `json:"cell,omitempty"`
	Row        int64   `json:"row,omitempty"`
	Column     string  `json:"column,omitempty"`
	Key        string  `json:"key,omitempty"`
	Table      string  `json:"table,omitempty"`
	RowKey     string  `json:"row_key,omitempty"`
}

// JSONSkipped is the line of a file or part that was not scanned: Skipped
// holds the reason, or Error what went wrong.
type JSONSkipped struct {
	Path    string `json:"path"`
	Part    string `json:"part,omitempty"`
	Skipped string `json:"skipped,omitempty"`
	Error   string `json:"error,omitempty"`
}

// JSONTable is the summary line of a database table.
type JSONTable struct {
	Database  string          `json:"database"`
	Table     string          `json:"table"`
	Key       []string        `json:"key"`
	Rows      int64           `json:"rows"`
	Estimated int64           `json:"estimated_rows"`
	Sampled   bool            `json:"sampled"`
	Findings  int             `json:"findings"`
	Columns   []JSONColumnSum `json:"columns"`
}

// JSONColumnSum is one column of a JSONTable.
type JSONColumnSum struct {
	Name     string         `json:"name"`
	Type     string         `json:"type"`
	Values   int64          `json:"values"`
	Binary   int64          `json:"binary_values,omitempty"`
	Cut      int64          `json:"truncated_values,omitempty"`
	Findings map[string]int `json:"findings"`
	Skipped  string         `json:"skipped,omitempty"`
}

type jsonWriter struct {
	bw  *bufio.Writer
	enc *json.Encoder
}

func (j *jsonWriter) File(r *FileResult) error {
	for _, f := range r.Findings {
		err := j.enc.Encode(JSONFinding{Path: f.Path, Part: f.Part, Where: f.Where(), Type: string(f.Type),
			Start: f.Start, End: f.End, Line: f.Line, Col: f.Col, EndLine: f.EndLine, EndCol: f.EndCol,
			Confidence: f.Confidence, Sensitive: f.Sensitive, Level: string(f.Level), Personal: f.Personal,
			Masked: f.Masked, Value: f.Value, Page: f.Page, Sheet: f.Sheet, Cell: f.Cell, Row: f.Row,
			Column: f.Column, Key: f.Key, Table: f.Table, RowKey: f.RowKey})
		if err != nil {
			return err
		}
	}
	if r.More {
		return nil
	}
	if r.Skipped != "" || r.Err != nil {
		s := JSONSkipped{Path: r.Path, Part: r.Part, Skipped: r.Skipped}
		if r.Err != nil {
			s.Error = r.Err.Error()
		}
		return j.enc.Encode(s)
	}
	if t := r.Table; t != nil {
		jt := JSONTable{Database: t.Database, Table: t.Table, Key: t.Key, Rows: t.Rows, Estimated: t.Estimated, Sampled: t.Sampled}
		for _, c := range t.Columns {
			jc := JSONColumnSum{Name: c.Name, Type: c.Type, Values: c.Values, Binary: c.Binary, Cut: c.Truncated, Skipped: c.Skipped,
				Findings: map[string]int{}}
			for ty, n := range c.ByType {
				jc.Findings[string(ty)] = n
				jt.Findings += n
			}
			jt.Columns = append(jt.Columns, jc)
		}
		return j.enc.Encode(jt)
	}
	return nil
}

func (j *jsonWriter) Close(*Summary) error { return j.bw.Flush() }

// writeTables prints, per database table, the rows read and the findings
// of each column, the columns not read and why.
func writeTables(w io.Writer, ts []*TableSummary) {
	if len(ts) == 0 {
		return
	}
	fmt.Fprintln(w, "database tables (rows read; findings per column):")
	for _, t := range ts {
		rows := fmt.Sprintf("%d rows", t.Rows)
		if t.Sampled {
			rows += " (sample"
			if t.Estimated >= 0 {
				rows += fmt.Sprintf(" of about %d", t.Estimated)
			}
			rows += ")"
		}
		n := 0
		for i := range t.Columns {
			n += t.Columns[i].Findings()
		}
		fmt.Fprintf(w, "  %s/%s: %s, %d findings; rows named by %s\n", cleanName(t.Database), cleanName(t.Table), rows, n,
			cleanName(strings.Join(t.Key, ",")))
		for i := range t.Columns {
			c := &t.Columns[i]
			if c.Skipped != "" {
				fmt.Fprintf(w, "    %-20s not read: %s\n", cleanName(c.Name), c.Skipped)
				continue
			}
			var parts []string
			for _, ty := range sortedTypes(c.ByType) {
				parts = append(parts, fmt.Sprintf("%s %d", ty, c.ByType[ty]))
			}
			found := "none"
			if len(parts) > 0 {
				found = strings.Join(parts, ", ")
			}
			extra := ""
			if c.Binary > 0 {
				extra = fmt.Sprintf(" (%d binary values not read)", c.Binary)
			}
			if c.Truncated > 0 {
				extra += fmt.Sprintf(" (%d values longer than the record limit, read up to it)", c.Truncated)
			}
			fmt.Fprintf(w, "    %-20s %d values%s: %s\n", cleanName(c.Name), c.Values, extra, found)
		}
	}
}

func sortedTypes(m map[pii.Type]int) []pii.Type {
	types := make([]pii.Type, 0, len(m))
	for t := range m {
		types = append(types, t)
	}
	slices.SortFunc(types, func(a, b pii.Type) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b))
	})
	return types
}
