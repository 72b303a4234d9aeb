package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/report"
	"github.com/scruple/scruple/scan"
)

// exitScanError is scan's "error" status: a path could not be read or the
// output could not be written. It is 2 like a usage error, as the issue
// specifies (0 nothing found, 1 findings, 2 error).
const exitScanError = exitUsage

// scanFlags are the flags of `scruple scan`.
type scanFlags struct {
	format, redact, redactMode, config string
	lang                               string
	types, tables, columns             []string
	minConfidence                      float64
	workers, bulk                      int
	sample                             int64
	showValues, allFiles, follow       bool
}

func newScanCmd(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var f scanFlags
	cmd := &cobra.Command{
		Use:   "scan [flags] PATH|DATABASE...",
		Short: "Find personal information in files and databases you already hold",
		Long: `Scan files, directories (recursively; "-" is standard input) and databases
for personal information: resident IDs, phone and bank card numbers,
credentials, names, addresses and more.

Every file is sniffed, whatever its name: text (UTF-8, GB18030/GBK, UTF-16),
e-mail (.eml, mbox: headers, MIME parts, quoted-printable, base64, declared
charsets, attachments), CSV/TSV (headers are context), JSON and JSON Lines
(keys are context), XLSX, DOCX, PPTX, OpenDocument, PDF text, and gzip, tar
and zip archives, recursively, within decompression-bomb limits. Binary files
are skipped with a reason. Findings point into the file: a.zip!/b.eml!/2:x.csv
#row=7,column=手机, book.xlsx#Sheet1!C7, doc.pdf#page=3:2:5.

A postgres:// URL, or an SQLite file (recognised by its header), is scanned
table by table in a read-only transaction: every text-like column (and JSON,
bytea/BLOB holding text, numbers that may be phone numbers); findings name
database/table/column and the row's primary key, and a summary per table and
column closes the report. --table, --column and --sample N narrow it.
Symbolic links to directories are not followed unless --follow-symlinks.

Values are printed masked (138****5678) unless --show-values. Offsets in JSON
and SARIF are byte offsets into the file's UTF-8 text (after decompression and
decoding); line and column are 1-based, columns in characters.

Exit status: 0 nothing found, 1 findings, 2 error. An unreadable path is
reported on stderr and the rest is still scanned; the exit status is then 2
even if there were findings, because the scan is incomplete and cannot vouch
for what it did not read.`,
		Example: `  scruple scan ./exports
  scruple scan --format sarif --types cn_resident_id,cn_mobile . > pi.sarif
  zcat dump.sql.gz | scruple scan -
  scruple scan --redact ./clean ./exports
  scruple scan 'postgres://auditor@db.internal/crm' --sample 100000
  scruple scan customers.db --table users --column phone,id_card`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := applyConfig(cmd, os.Getenv); err != nil {
				return err
			}
			return runScan(cmd, &f, args, stdin, stdout, stderr)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output format: text, json (JSON Lines), sarif (SARIF 2.1.0) or html (self-inspection report)")
	fl.StringVar(&f.lang, "lang", "", "--format html: zh or en (default: from LC_ALL, LC_MESSAGES or LANG)")
	fl.StringSliceVar(&f.types, "types", nil, "only these types, comma-separated (default all): "+typeList())
	fl.Float64Var(&f.minConfidence, "min-confidence", 0, "drop findings below this confidence, 0..1 (the detector never reports under 0.5)")
	fl.StringVar(&f.redact, "redact", "", "write redacted copies of the scanned files under this directory, mirroring their paths")
	fl.StringVar(&f.redactMode, "redact-mode", "mask", "how --redact replaces values: mask ([cn_mobile]) or partial (138****5678)")
	fl.IntVar(&f.workers, "workers", runtime.GOMAXPROCS(0), "files scanned in parallel")
	fl.IntVar(&f.bulk, "bulk-threshold", 10, "distinct people in one file that make it bulk personal data")
	fl.BoolVar(&f.showValues, "show-values", false, "print raw values instead of masked ones (they are personal data)")
	fl.BoolVar(&f.allFiles, "all-files", false, "kept for compatibility: every file is sniffed and read when it holds text")
	fl.MarkHidden("all-files")
	fl.StringSliceVar(&f.tables, "table", nil, "databases: only these tables (schema.table or table), comma-separated")
	fl.StringSliceVar(&f.columns, "column", nil, "databases: only these columns (column or table.column), comma-separated")
	fl.Int64Var(&f.sample, "sample", 0, "databases: read at most N rows of each table, spread over the table (0: all rows)")
	fl.BoolVar(&f.follow, "follow-symlinks", false, "follow symbolic links to directories (loops are skipped)")
	fl.StringVar(&f.config, "config", "", "YAML file of settings (keys are flag names); flags > SCRUPLE_* env > file")
	return cmd
}

func typeList() string {
	var s []string
	for _, t := range pii.Types() {
		s = append(s, string(t))
	}
	return strings.Join(s, ", ")
}

// options checks the flags and turns them into scan options.
func (f *scanFlags) options(stdin io.Reader) (scan.Options, []pii.Type, error) {
	var types []pii.Type
	all := pii.Types()
	for _, s := range f.types {
		t := pii.Type(strings.TrimSpace(s))
		if !slices.Contains(all, t) {
			return scan.Options{}, nil, usageError{fmt.Errorf("--types: unknown type %q (types: %s)", s, typeList())}
		}
		if !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	if f.minConfidence < 0 || f.minConfidence > 1 {
		return scan.Options{}, nil, usageError{errors.New("--min-confidence must be between 0 and 1")}
	}
	if f.sample < 0 {
		return scan.Options{}, nil, usageError{errors.New("--sample must not be negative")}
	}
	if f.workers < 1 || f.bulk < 1 {
		return scan.Options{}, nil, usageError{errors.New("--workers and --bulk-threshold must be positive")}
	}
	mode := pii.Mask
	switch f.redactMode {
	case "mask":
	case "partial":
		mode = pii.Partial
	default:
		return scan.Options{}, nil, usageError{fmt.Errorf("--redact-mode %q: want mask or partial", f.redactMode)}
	}
	det := pii.New(pii.Options{Types: types, MinConfidence: f.minConfidence, BulkThreshold: f.bulk})
	return scan.Options{Detector: det, Workers: f.workers, AllFiles: f.allFiles, FollowSymlinks: f.follow,
		Values: f.showValues, RedactDir: f.redact, RedactMode: mode, Stdin: stdin,
		Tables: trimAll(f.tables), Columns: trimAll(f.columns), Sample: f.sample}, types, nil
}

func runScan(cmd *cobra.Command, f *scanFlags, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{errors.New("scan needs at least one path (\"-\" for standard input)")}
	}
	opt, types, err := f.options(stdin)
	if err != nil {
		return err
	}
	w, err := scanWriter(f, args, stdout, types)
	if err != nil {
		return err
	}
	sum, err := scan.Run(cmd.Context(), args, opt, func(r *scan.FileResult) error {
		if r.Err != nil {
			// One line per unreadable path; errors never quote content.
			fmt.Fprintf(stderr, "scruple: scan: %s: %v\n", quoteControl(r.Name()), quoteControl(r.Err.Error()))
		}
		return w.File(r)
	})
	if err != nil {
		if sum == nil { // refused before scanning: a usage problem
			return usageError{err}
		}
		return &exitError{code: exitScanError, msg: err.Error()}
	}
	if err := w.Close(sum); err != nil {
		return &exitError{code: exitScanError, msg: err.Error()}
	}
	if f.format != "text" {
		// Machine formats keep stdout clean; people still get the totals.
		fmt.Fprintf(stderr, "scruple: scan: %d findings in %d files; %d parts scanned, %d skipped, %d failed\n",
			sum.Findings, sum.FilesWithFindings, sum.Scanned, skippedTotal(sum), sum.Failed)
	}
	switch {
	case sum.Failed > 0:
		return &exitError{code: exitScanError}
	case sum.Findings > 0:
		return &exitError{code: exitFailure}
	}
	return nil
}

func skippedTotal(s *scan.Summary) int {
	n := 0
	for _, k := range s.Skipped {
		n += k
	}
	return n
}

// quoteControl quotes a path or message with control characters (a
// newline would break the one-line error report, an escape sequence would
// reach the terminal) or bidirectional controls (a name that reads otherwise
// than it is); others are printed as they are.
func quoteControl(p string) string {
	for _, r := range p {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return strconv.QuoteToGraphic(p)
		}
	}
	return p
}

func trimAll(ss []string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// scanWriter returns the writer of --format; html is the self-inspection
// report (package report), the others are package scan's.
func scanWriter(f *scanFlags, args []string, stdout io.Writer, types []pii.Type) (scan.Writer, error) {
	if f.format == "html" {
		if f.lang == "" {
			f.lang = report.LangFromEnv(os.Getenv)
		}
		w, err := report.NewScanWriter(stdout, f.lang, strings.Join(args, " "))
		if err != nil {
			return nil, usageError{err}
		}
		return w, nil
	}
	w, err := scan.NewWriter(f.format, stdout, types, scruple.Version)
	if err != nil {
		return nil, usageError{fmt.Errorf("--format: %v (or html)", err)}
	}
	return w, nil
}
