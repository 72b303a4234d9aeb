// Package scan inspects data a company already holds for personal
// information: files, directories (recursively), standard input, SQLite
// files and PostgreSQL databases. It sniffs what each file holds, whatever
// its name, reads it with the reader of its format (text, CSV/TSV, JSON,
// e-mail and mbox, XLSX, DOCX/PPTX/OpenDocument, PDF, zip/tar/gzip
// archives, recursively), runs a pii.Detector over the text and hands back
// results per file, part and table, in a deterministic order, for the text,
// JSON Lines and SARIF writers of this package. It is the library behind
// `scruple scan`.
//
// # Places
//
// A Finding names its file (Path), the part inside it (Part: archive
// members, e-mail parts, mbox messages, office members, joined by "!/"),
// and its place there: line and column of text, page of a PDF, sheet and
// cell of a spreadsheet, row and column header of a CSV, JSON path, or
// database table, column and row key. Finding.Where prints it in one word.
//
// # Offsets
//
// For text, Finding.Start and End are byte offsets into the part's UTF-8
// text: the decompressed content, decoded from GB18030 or UTF-16 when it is
// not UTF-8. For a plain uncompressed UTF-8 file they are offsets into the
// file itself. Line and column are 1-based; columns count characters
// (Unicode code points), so they hold in the original whatever its
// encoding. For structured data (cells, JSON values, columns) Start and End
// are offsets into the value.
//
// # Structured data
//
// CSV cells, JSON values, spreadsheet cells, e-mail headers and database
// values reach the detector as "label: value" lines, the label being the
// column header or key (see Label), one field a line and a blank line
// between records: the detector reads a header as it reads "手机：" in
// prose, and each finding is mapped back to its field.
//
// # Files
//
// Directories are walked recursively in name order. Every regular file is
// sniffed: binary content (a NUL byte in the first 8000 bytes, as git
// decides) is skipped with the reason "binary (MIME type)". Gzip is
// recognised by its magic bytes, so rotated logs without a .gz suffix are
// decompressed too. Symbolic links to files are followed; links to
// directories only with FollowSymlinks, and a link back to an ancestor is
// skipped as a loop. FIFOs are read only when named.
//
// # Encodings
//
// A byte-order mark decides first (UTF-8, UTF-16); an e-mail part's
// declared charset next. Otherwise text is UTF-8 when at least 95% of the
// non-ASCII characters in its first 64 KiB are valid UTF-8, and GB18030
// otherwise (a superset of GBK and GB2312; ASCII is the same in all).
//
// # Memory and limits
//
// Each worker scans a text in windows of Options.ChunkSize bytes (4 MiB),
// overlapping so that each value is found once, whole, with its context;
// structured data is scanned in batches of whole records; database rows
// are streamed. Findings are handed over in pieces of at most 16,384, and
// workers run at most a few files or tables ahead of the output. Archives
// are bounded by Limits (depth, entries, ratio, total size).
//
// # Redaction
//
// With Options.RedactDir every scanned text file gets a redacted copy at
// DestPath, written beside it under a temporary name and renamed when
// complete, with the original's compression and encoding. Skipped and
// failed files are not copied: what was not inspected is not passed on.
// Formats that cannot be rewritten (e-mail among them: a base64 part would
// carry its values into the copy) are marked NotRedacted, once per file.
//
// # Raw values
//
// Findings carry a partially masked value (138****5678); the raw value is
// filled in only when Options.Values is set, and errors never quote content.
// Row keys and JSON paths that are themselves personal information are
// masked too. The detector's normalised Subject is never copied out.
package scan

import (
	"cmp"
	"context"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/scruple/scruple/pii"
)

// DefaultChunkSize is the size of the text window a worker scans at once: a
// file up to this size is scanned whole, a larger one chunk by chunk. Memory
// use is about Workers × (DefaultChunkSize + 64 KiB buffers).
const DefaultChunkSize = 4 << 20

// Options configure Run.
type Options struct {
	// Detector finds the values; nil means pii.New(pii.Options{}).
	Detector *pii.Detector
	// Workers is the number of files or tables scanned in parallel; 0 means
	// GOMAXPROCS.
	Workers int
	// AllFiles is kept for compatibility: every file is sniffed now, and
	// whatever holds text is scanned whatever its name.
	AllFiles bool
	// FollowSymlinks follows symbolic links to directories while walking
	// (links to files are always followed); loops are detected and skipped.
	FollowSymlinks bool
	// Values fills Finding.Value with the raw value. Off by default so that
	// nothing downstream can print a raw value by mistake.
	Values bool
	// RedactDir, if set, receives a redacted copy of every scanned text
	// file, mirroring the paths scanned (see DestPath). Originals are never
	// written. CSV/TSV and JSON are read as what they are and their copies
	// written from the raw text with each value replaced where it stands
	// (headers and keys stay context; quoting, escapes and line ends are
	// kept; a JSON number holding a value becomes a string, so the copy
	// stays JSON). Other text files are read as text. Formats that cannot be rewritten
	// (XLSX, DOCX, PDF, archives, e-mail, whose encoded parts would pass
	// into a copy as they are, databases) are scanned and marked
	// NotRedacted.
	RedactDir string
	// RedactMode is how values are replaced in the copies: pii.Mask (the
	// default, "[cn_mobile]") or pii.Partial ("138****5678").
	RedactMode pii.RedactMode
	// Stdin is read for the path "-".
	Stdin io.Reader
	// ChunkSize overrides DefaultChunkSize; values under MinChunkSize are
	// raised to it.
	ChunkSize int
	// Limits bound archives and nested containers; zero fields take the
	// defaults of DefaultLimits.
	Limits Limits
	// Tables and Columns restrict a database scan to these tables and
	// columns (names as the database spells them; "schema.table" or
	// "table" for PostgreSQL); nil means all.
	Tables, Columns []string
	// Sample, when positive, reads at most that many rows of each table,
	// spread over the table rather than its first rows.
	Sample int64
}

// StdinPath is the path reported for "-".
const StdinPath = "<stdin>"

// maxHeld is how many findings of one part are held before they are handed
// over in a result with More set: a table of millions of phone numbers must
// not be held in memory whole.
const maxHeld = 1 << 14

// Run scans paths ("-" is Options.Stdin; a postgres:// or postgresql://
// URL is a database) and calls emit for each result (a file, a part of one,
// a table), in path order, parts in storage order, findings in offset
// order: the same output for any number of workers. Unreadable paths and
// parts come back as a FileResult with Err and do not stop the run; Run
// returns an error only for bad options (a RedactDir that would overwrite or
// feed back into the input), an error from emit, or ctx ending.
func Run(ctx context.Context, paths []string, opt Options, emit func(*FileResult) error) (*Summary, error) {
	if opt.Detector == nil {
		opt.Detector = pii.New(pii.Options{})
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.ChunkSize == 0 {
		opt.ChunkSize = DefaultChunkSize
	}
	opt.ChunkSize = max(opt.ChunkSize, MinChunkSize)
	opt.Limits = opt.Limits.withDefaults()
	if opt.RedactDir != "" {
		if err := checkRedactDir(paths, opt.RedactDir); err != nil {
			return nil, err
		}
	}
	sum := newSummary()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	units, closeDBs := expand(ctx, collect(paths, &opt), &opt)
	defer closeDBs()

	// Units are dispatched in order and their results emitted in order; the
	// window bounds how far workers may run ahead of the emitter, and each
	// unit's channel how many results a worker may hold, so that a slow
	// large file does not make the results of every later file pile up.
	window := make(chan struct{}, 4*opt.Workers)
	slots := make([]chan *FileResult, len(units))
	for i := range slots {
		slots[i] = make(chan *FileResult, 4)
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w := newWorker(&opt)
			for i := range jobs {
				w.unit(ctx, &units[i], slots[i])
				close(slots[i])
			}
		}()
	}
	go func() {
		defer close(jobs)
		for i := range units {
			select {
			case window <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	defer wg.Wait()
	for i := range units {
		for done := false; !done; {
			select {
			case r, ok := <-slots[i]:
				if !ok {
					done = true
					break
				}
				sum.add(r)
				if err := emit(r); err != nil {
					cancel()
					return sum, err
				}
			case <-ctx.Done():
				return sum, ctx.Err()
			}
		}
		<-window
	}
	return sum, ctx.Err()
}

// sortEntries puts stdin first, then paths in byte order, and marks repeats
// as such; of one path named both on the command line and met in a walk,
// the explicit entry wins, whatever the order of the arguments.
func sortEntries(es []entry) {
	slices.SortStableFunc(es, func(a, b entry) int {
		if a.stdin != b.stdin {
			if a.stdin {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.path, b.path); c != 0 {
			return c
		}
		if a.explicit != b.explicit {
			if a.explicit {
				return -1
			}
			return 1
		}
		return 0
	})
	for i := 1; i < len(es); i++ {
		if es[i].path == es[i-1].path {
			es[i].skip, es[i].err = SkipDuplicate, nil
		}
	}
}
