package scan

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/scruple/scruple/pii"
)

// Finding is one value found in a file or a database. It never holds the raw
// value unless Options.Values was set.
//
// Where the value is depends on what held it; the fields that do not apply
// are zero:
//   - text (a plain file, an e-mail body, a document's paragraphs, a PDF
//     page): Line and Col, and Start/End as byte offsets into that text;
//   - CSV/TSV: Row (the record number, the header being row 1) and Column
//     (its header, or "column N");
//   - JSON: Key (a JSON path, $.a[0].b), and Row for the line of JSON Lines;
//   - XLSX: Sheet, Cell ("C7") and Column (the header of that column);
//   - a database: Table, Column and RowKey.
//
// For structured data Start/End are byte offsets into the cell or value.
type Finding struct {
	// Path is the file as named or walked, or the database (a postgres URL
	// without its password, or the SQLite file).
	Path string
	// Part is where inside the file, as a chain of containers joined by
	// "!/": archive members ("a/b.eml"), e-mail parts ("2:report.csv",
	// the MIME section and its file name), mbox messages ("#3"), office
	// document members ("word/document.xml"). Empty for the file itself.
	Part string
	Type pii.Type
	// Start and End are byte offsets, End exclusive (see above).
	Start, End int
	// Line and Col locate Start in text; EndLine and EndCol locate End. All
	// 1-based, columns in characters; 0 for structured data.
	Line, Col, EndLine, EndCol int
	// Page is the 1-based PDF page.
	Page int
	// Sheet and Cell locate an XLSX cell.
	Sheet, Cell string
	// Row is the 1-based record (CSV/TSV, counting the header) or line
	// (JSON Lines).
	Row int64
	// Column is the CSV/TSV or XLSX column header, or the database column.
	Column string
	// Key is the JSON path of the value.
	Key string
	// Table is the database table (schema.table for PostgreSQL).
	Table string
	// RowKey names the database row: its primary key ("id=42"), else
	// "rowid=…" (SQLite) or "ctid=…" (PostgreSQL). A key that is itself
	// personal information is masked unless Options.Values.
	RowKey     string
	Confidence float64
	Sensitive  bool
	Level      pii.Level
	Personal   bool
	// Masked is the value with its middle characters starred (pii.Partial).
	Masked string
	// Value is the raw value, only with Options.Values.
	Value string
}

// Where is the finding's location for people, one word:
// "a.zip!/b.txt:3:5", "book.xlsx#Sheet1!C7", "doc.pdf#page=2:4:1",
// "data.csv#row=7,column=手机", "api.json#$.users[0].phone",
// "shop.db/customers/phone[id=42]".
func (f *Finding) Where() string {
	var b strings.Builder
	b.WriteString(f.Path)
	if f.Table != "" {
		if f.Part != "" {
			b.WriteString("!/" + f.Part) // a database inside an archive
		}
		b.WriteString("/" + f.Table + "/" + f.Column)
		if f.RowKey != "" {
			b.WriteString("[" + f.RowKey + "]")
		}
		return b.String()
	}
	if f.Part != "" {
		b.WriteString("!/" + f.Part)
	}
	switch {
	case f.Sheet != "":
		b.WriteString("#" + SheetRef(f.Sheet) + "!" + f.Cell)
	case f.Key != "" || f.Column != "":
		b.WriteByte('#')
		if f.Row > 0 {
			b.WriteString("row=" + strconv.FormatInt(f.Row, 10) + ",")
		}
		if f.Key != "" {
			b.WriteString(f.Key)
		} else {
			b.WriteString("column=" + f.Column)
		}
	case f.Page > 0:
		fmt.Fprintf(&b, "#page=%d:%d:%d", f.Page, f.Line, f.Col)
	case f.Line > 0:
		fmt.Fprintf(&b, ":%d:%d", f.Line, f.Col)
	}
	return b.String()
}

// SheetRef quotes a sheet name as spreadsheet formulas do when it holds
// anything but letters, digits and underscores: 'Q1 名单'.
func SheetRef(name string) string {
	for _, r := range name {
		if !(r == '_' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= 0x80 && r != 0x3000) {
			return "'" + strings.ReplaceAll(name, "'", "''") + "'"
		}
	}
	return name
}

// Skip reasons, the keys of Summary.Skipped. Binary content is reported as
// "binary (MIME type)", e.g. "binary (image/png)", after net/http's
// content sniffing.
const (
	SkipBinary    = "binary"                   // prefix of the binary reasons
	SkipSpecial   = "special file"             // FIFO, socket, device met while walking
	SkipDirLink   = "symlink to dir"           // not followed without FollowSymlinks
	SkipLoop      = "symlink loop"             // a link back to an ancestor, or ELOOP
	SkipDuplicate = "duplicate path"           // the same path named twice
	SkipSeen      = "directory already walked" // reached again through a followed link
	SkipEncrypted = "encrypted"                // an encrypted archive member or PDF
	SkipEmpty     = "empty"                    // an e-mail part or member with no content
)

// FileResult is the outcome for one file, one part of a file (an archive
// member, an e-mail attachment), or one database table: scanned, skipped or
// failed. Run emits the results of one file consecutively, its parts in
// the order they are stored; a part with more findings than can be held at
// once (a big table) comes in several results, all but the last with More
// set, the last carrying the totals.
type FileResult struct {
	Path string
	// Part is where inside Path (see Finding.Part); for a table, the table.
	Part string
	// Format is what the content was read as: text, csv, tsv, json, jsonl,
	// xlsx, docx, pptx, odf, pdf, eml, mbox, html (e-mail part), sqlite,
	// postgres; "" when skipped or failed before it was known.
	Format   string
	Findings []Finding
	// Signals are the pii page signals over the part; for a part scanned in
	// several chunks Bulk, Minor and Credential are or-ed and Subjects is the
	// largest count of one chunk.
	Signals pii.Signals
	// Encoding is the text encoding decoded ("utf-8", "gb18030",
	// "utf-16le", a declared e-mail charset ...); Gzip tells whether the
	// file was gzip-compressed.
	Encoding string
	Gzip     bool
	// Bytes is the length of the UTF-8 text scanned.
	Bytes int64
	// Skipped is the reason the part was not scanned, or "".
	Skipped string
	// Err is why the part could not be read; it never quotes content.
	Err error
	// Redacted is the path of the redacted copy, if one was written.
	Redacted string
	// NotRedacted is set when a redacted copy was asked for but the format
	// cannot be rewritten (PDF, XLSX, archives ...): the findings stand,
	// but no copy was written.
	NotRedacted bool
	// Table summarises a database table: rows and findings per column.
	Table *TableSummary
	// More tells that more results for the same part follow.
	More bool
}

// TableSummary is what a compliance officer reads first about a table.
type TableSummary struct {
	// Database is the database as shown (Finding.Path); Table the table.
	Database, Table string
	// Key names the columns that identify a row in findings: the primary
	// key, else "rowid" or "ctid".
	Key []string
	// Rows is the number of rows read; Estimated the table's row count as
	// the database estimates it (-1 if unknown); Sampled tells that only a
	// sample was read (--sample).
	Rows      int64
	Estimated int64
	Sampled   bool
	Columns   []ColumnSummary

	member string // the database's place inside its file (see unit)
}

// ColumnSummary counts one column's findings.
type ColumnSummary struct {
	Name string
	// Type is the column's declared type.
	Type string
	// Values is the number of non-NULL values scanned.
	Values int64
	// ByType counts findings per type.
	ByType map[pii.Type]int
	// Binary counts values not read because they are not text (a bytea
	// or BLOB holding an image).
	Binary int64
	// Truncated counts values that reached Limits.MaxRecord (characters of
	// text, bytes of binary) and were read up to it.
	Truncated int64
	// Skipped says why the column was not read ("not text-like: date"), or "".
	Skipped string
}

// Findings totals a column's findings.
func (c *ColumnSummary) Findings() int {
	n := 0
	for _, k := range c.ByType {
		n += k
	}
	return n
}

// Summary totals a run.
type Summary struct {
	// Files counts the files and databases named or walked.
	Files int
	// Scanned, Failed and Skipped count results: files, parts of files and
	// tables.
	Scanned, Failed   int
	Skipped           map[string]int
	Bytes             int64
	Findings          int
	FilesWithFindings int
	ByType            map[pii.Type]int
	// ByLevel counts findings per JR/T 0171 level; "" counts unclassified.
	ByLevel map[pii.Level]int
	// Sensitive counts PIPL sensitive findings, NonPersonal those that do not
	// identify a natural person (organisation codes, business hotlines).
	Sensitive, NonPersonal int
	// Bulk and Minor list the files (with their part) with those signals,
	// in output order.
	Bulk, Minor []string
	// Tables lists the summaries of the database tables scanned, in order.
	Tables []*TableSummary
	// NotRedacted lists the files scanned whose format cannot be rewritten
	// into a redacted copy.
	NotRedacted []string

	lastPath  string
	lastFound string // the last path counted in FilesWithFindings
}

func newSummary() *Summary {
	return &Summary{Skipped: map[string]int{}, ByType: map[pii.Type]int{}, ByLevel: map[pii.Level]int{}}
}

// Name is the result's path and part, "a.zip!/b/c.csv".
func (r *FileResult) Name() string {
	if r.Part == "" {
		return r.Path
	}
	if r.Table != nil {
		if r.Table.member != "" {
			return r.Path + "!/" + r.Table.member + "/" + r.Table.Table
		}
		return r.Path + "/" + r.Part
	}
	return r.Path + "!/" + r.Part
}

func (s *Summary) add(r *FileResult) {
	if r.Path != s.lastPath {
		s.Files++
		s.lastPath = r.Path
	}
	for _, f := range r.Findings {
		s.Findings++
		s.ByType[f.Type]++
		s.ByLevel[f.Level]++
		if f.Sensitive {
			s.Sensitive++
		}
		if !f.Personal {
			s.NonPersonal++
		}
	}
	if len(r.Findings) > 0 && s.lastFound != r.Path {
		s.FilesWithFindings++
		s.lastFound = r.Path
	}
	if r.More {
		return
	}
	switch {
	case r.Err != nil:
		s.Failed++
		return
	case r.Skipped != "":
		s.Skipped[r.Skipped]++
		return
	}
	s.Scanned++
	s.Bytes += r.Bytes
	if r.Signals.Bulk {
		s.Bulk = append(s.Bulk, r.Name())
	}
	if r.Signals.Minor {
		s.Minor = append(s.Minor, r.Name())
	}
	if r.Table != nil {
		s.Tables = append(s.Tables, r.Table)
	}
	if r.NotRedacted {
		name := r.Path // a file: its first part says it for the whole
		if r.Table != nil {
			name = r.Name()
		}
		s.NotRedacted = append(s.NotRedacted, name)
	}
}
