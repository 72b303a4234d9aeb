package warc

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/klauspost/compress/gzip"
)

// Defaults.
const (
	// DefaultMaxSize is the size at which a WARC file is closed and the next
	// one started (1 GiB, the WARC 1.1 annex C recommendation).
	DefaultMaxSize = 1 << 30
	// DefaultResponseLevel and DefaultTextLevel compress records of
	// storeBelow bytes or more when Options.Level is 0 (every record is
	// its own valid gzip member either way, read by every gzip and WARC
	// reader). Issue 12 asks for an archiving crawl under 15 % slower than
	// a plain one, and deflate was the largest part of the archive's CPU.
	//
	// Raw HTTP responses (markup) are deflated at level 1: LZ matching
	// pays for itself there (on 241 HTML files of 97 KB average, level 1
	// wrote 0.20 of the input against 0.63 with Huffman coding only, at
	// about twice the CPU).
	//
	// Conversion records (a page's stored text) and the other text
	// records are Huffman-coded only, without match search: on the
	// benchmark web's conversion records (7.5 KB of mixed Chinese and
	// English text each) level 1 took about twice the CPU for 0.43 of the
	// input against 0.78; in the crawl benchmark this moved the archive
	// from about 1.4 to 1.3 times a plain crawl's CPU, for WARC files 42 %
	// larger (BENCHMARKS.md, "WARC archiving"). Options.Level (--warc-level
	// 1) chooses level 1 for every record: smaller files, more CPU.
	DefaultResponseLevel = gzip.BestSpeed
	DefaultTextLevel     = gzip.HuffmanOnly
	// dedupLimit bounds the revisit memory (see dedup).
	dedupLimit = 200_000
)

// File name suffixes.
const (
	// Ext ends every finished WARC file.
	Ext = ".warc.gz"
	// OpenExt ends a WARC file while it is written; a file left with it by a
	// killed process is repaired and renamed by the next Open.
	OpenExt = ".open"
	// IdxExt ends a finished file's record list (JSON lines), from which
	// the CDXJ index and the revisit memory are rebuilt.
	IdxExt = ".idx"
	// IndexFile is the CDXJ index of a WARC directory.
	IndexFile = "index.cdxj"
)

// Options configure a Writer.
type Options struct {
	// Dir is the directory of the WARC files (created if needed).
	Dir string
	// MaxSize is the size at which a file is rotated (default DefaultMaxSize).
	MaxSize int64
	// Level is the compression of every record of 2 KiB or more (smaller
	// ones are stored): gzip.HuffmanOnly (-2), or a gzip level from
	// gzip.BestSpeed (1) to gzip.BestCompression (9). 0 means per record
	// type: DefaultResponseLevel for responses, DefaultTextLevel for the
	// others.
	Level int
	// Software names the crawler and its version ("scruple/0.1.0").
	Software string
	// UserAgent is the User-Agent the crawl sends.
	UserAgent string
	// PolicyVersion is the hash of the policy in force; DetectorVersion the
	// personal-information detector's version.
	PolicyVersion, DetectorVersion string
	// Purpose is the crawl's declared purpose; Operator who runs it
	// (--operator: a name and a contact).
	Purpose, Operator string
	// Hostname names the machine in file names and warcinfo (default
	// os.Hostname).
	Hostname string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Writer writes a crawl's WARC files: records of many goroutines, one gzip
// member each, appended to the current file under a lock, the file rotated
// at MaxSize. Records are built and compressed by the calling goroutine, so
// compression runs on every worker at once, not on one writer.
//
// Durability: a crawl commits an outcome (its record and its log entry,
// which names the WARC record) only after Sync has made the WARC bytes
// durable, so every log entry's WARC record exists. A kill -9 between a
// WARC append and the store commit leaves records no log entry names
// (orphans); the URL is still leased, fetched again on resume and archived
// again, so a URL may have two captures in the archive, of which the log
// names one. A member cut short by the kill is cut off by the next Open,
// which then starts a new file. Orphans are valid records (they passed the
// same screening) and stay: WARC is append-only.
type Writer struct {
	opt   Options
	dedup *dedup
	// Reused per writer: compressors (*gzip.Writer: gzResp at respLevel
	// for responses, gzText at textLevel for other records, storing ones),
	// capture buffers (*bytes.Buffer), header scratch (*[]byte).
	gzResp, gzText, gzStored, bufs, heads sync.Pool
	respLevel, textLevel                  int

	mu      sync.Mutex
	f       *os.File
	name    string // final name of the current file
	size    int64
	base    int64 // size after the warcinfo record
	dirty   bool
	entries []entry
	serial  int
	err     error // sticky: a failed write stops the archive
	closed  bool
}

// Open prepares dir for writing: files a killed process left open are
// repaired (a torn last member cut off) and renamed, missing record lists are
// rebuilt, and the revisit memory is loaded. The first record starts a new
// file: an archive is never appended to a file of an earlier run.
func Open(opt Options) (*Writer, error) {
	if opt.Dir == "" {
		return nil, errors.New("warc: no directory")
	}
	if opt.MaxSize <= 0 {
		opt.MaxSize = DefaultMaxSize
	}
	if opt.Level != 0 && !ValidLevel(opt.Level) {
		return nil, fmt.Errorf("warc: gzip level %d out of range", opt.Level)
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Hostname == "" {
		opt.Hostname, _ = os.Hostname()
	}
	opt.Hostname = fileToken(opt.Hostname)
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("warc: %w", err)
	}
	if _, err := Recover(opt.Dir); err != nil {
		return nil, err
	}
	w := &Writer{opt: opt, dedup: newDedup(dedupLimit), respLevel: DefaultResponseLevel, textLevel: DefaultTextLevel}
	if opt.Level != 0 {
		w.respLevel, w.textLevel = opt.Level, opt.Level
	}
	if err := w.loadDedup(); err != nil {
		return nil, err
	}
	return w, nil
}

// ValidLevel reports whether level is a compression Options.Level accepts
// besides 0: gzip.HuffmanOnly or gzip.BestSpeed to gzip.BestCompression.
func ValidLevel(level int) bool {
	return level == gzip.HuffmanOnly || gzip.BestSpeed <= level && level <= gzip.BestCompression
}

// Dir returns the directory the writer writes to.
func (w *Writer) Dir() string { return w.opt.Dir }

// Capture archives one outcome and returns the reference its log entry
// names. It is safe for concurrent use.
func (w *Writer) Capture(c Capture) (*Ref, error) {
	drafts, principal, err := w.plan(c)
	if err != nil {
		return nil, err
	}
	b, err := w.build(drafts)
	if err != nil {
		return nil, err
	}
	refs, err := w.append(b)
	w.release(b)
	if err != nil {
		return nil, err
	}
	return &refs[principal], nil
}

// append writes the members of one capture, contiguous, in one file and
// with one write.
func (w *Writer) append(b *batch) ([]Ref, error) {
	data := b.bytes()
	n := int64(len(data))
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return nil, w.err
	}
	if w.closed {
		return nil, errors.New("warc: writer closed")
	}
	if w.f != nil && w.size > w.base && w.size+n > w.opt.MaxSize {
		if err := w.finishLocked(); err != nil {
			w.err = err
			return nil, err
		}
	}
	if w.f == nil {
		if err := w.createLocked(); err != nil {
			w.err = err
			return nil, err
		}
	}
	start := w.size
	if _, err := w.f.Write(data); err != nil {
		// Cut the capture off whole, so the file ends on a record.
		w.f.Truncate(start)
		w.err = fmt.Errorf("warc: write %s: %w", w.name, err)
		return nil, w.err
	}
	refs := make([]Ref, len(b.ms))
	for i, m := range b.ms {
		refs[i] = Ref{File: w.name, Offset: w.size, Length: int64(len(m.gz)), RecordID: m.id, Type: m.typ}
		w.entries = append(w.entries, entryOf(m, w.size))
		w.size += int64(len(m.gz))
	}
	w.dirty = true
	for _, m := range b.ms {
		if m.typ == TypeResponse && m.payloadDigest != "" {
			w.dedup.put(m.payloadDigest, original{id: m.id, uri: m.uri, date: m.date})
		}
	}
	return refs, nil
}

// Sync makes every record appended so far durable. The crawler calls it
// before each store commit. The fsync runs outside the lock, so workers keep
// appending meanwhile: what they append after it started is not covered,
// but their outcomes reach a later commit, whose Sync covers them. A file
// rotated meanwhile was synced when it was finished.
func (w *Writer) Sync() error {
	w.mu.Lock()
	if w.err != nil {
		defer w.mu.Unlock()
		return w.err
	}
	f, name, dirty := w.f, w.name, w.dirty
	w.dirty = false
	w.mu.Unlock()
	if f == nil || !dirty {
		return nil
	}
	if err := f.Sync(); err != nil && !errors.Is(err, os.ErrClosed) {
		w.mu.Lock()
		defer w.mu.Unlock()
		if w.err == nil {
			w.err = fmt.Errorf("warc: sync %s: %w", name, err)
		}
		return w.err
	}
	return nil
}

// Close finishes the current file and rewrites the directory's CDXJ index.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return w.err
	}
	w.closed = true
	var known map[string][]entry // the last file's record list, not read back
	if w.f != nil {
		name, entries := w.name, w.entries
		if err := w.finishLocked(); err != nil && w.err == nil {
			w.err = err
		}
		if w.err == nil {
			known = map[string][]entry{name: entries}
		}
	}
	if err := writeIndex(w.opt.Dir, known); err != nil && w.err == nil {
		w.err = err
	}
	return w.err
}

// createLocked starts a new file with its warcinfo record. The file is
// locked (flock) while it is written, so Recover in another process never
// touches it.
func (w *Writer) createLocked() error {
	now := w.opt.Now().UTC()
	w.serial++
	name := fmt.Sprintf("scruple-%s%03d-%05d-%s-%d%s", now.Format("20060102150405"), now.Nanosecond()/1e6,
		w.serial, w.opt.Hostname, os.Getpid(), Ext)
	path := filepath.Join(w.opt.Dir, name+OpenExt)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("warc: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return fmt.Errorf("warc: lock %s: %w", path, err)
	}
	b, err := w.build([]*draft{w.warcinfo(name, now)})
	if err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	defer w.release(b)
	info := b.ms[0]
	if _, err := f.Write(info.gz); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("warc: write %s: %w", path, err)
	}
	w.f, w.name, w.size, w.base, w.dirty = f, name, int64(len(info.gz)), int64(len(info.gz)), true
	w.entries = []entry{entryOf(info, 0)}
	return syncDir(w.opt.Dir)
}

// finishLocked syncs the current file, renames it to its final name, writes
// its record list and releases it.
func (w *Writer) finishLocked() error {
	f, name, entries := w.f, w.name, w.entries
	w.f, w.entries = nil, nil
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("warc: sync %s: %w", name, err)
	}
	final := filepath.Join(w.opt.Dir, name)
	if err := os.Rename(final+OpenExt, final); err != nil {
		return fmt.Errorf("warc: %w", err)
	}
	if err := syncDir(w.opt.Dir); err != nil {
		return err
	}
	return writeEntries(final+IdxExt, entries)
}

// warcinfo drafts a file's warcinfo record (WARC 1.1 §6.2): what wrote the
// file, for whom, under which rules.
func (w *Writer) warcinfo(name string, date time.Time) *draft {
	d := newDraft(TypeWarcinfo, date)
	d.add(fieldFilename, name)
	d.add(fieldContentType, ContentFields)
	f := fields{}
	f.add("software", w.opt.Software)
	f.add("format", "WARC File Format 1.1")
	f.add("conformsTo", "https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/")
	f.add("http-header-user-agent", w.opt.UserAgent)
	f.add("robots.txt", "obeyed, RFC 9309")
	f.add("policy-hash", w.opt.PolicyVersion)
	f.add("detector-version", w.opt.DetectorVersion)
	f.add("purpose", w.opt.Purpose)
	f.add("operator", w.opt.Operator)
	f.add("hostname", w.opt.Hostname)
	f.add("description", "public pages only; pages that needed redaction are archived as conversion records of "+
		"their stored text, never as raw responses; values kept under consent are never archived")
	d.write(f.bytes())
	return d
}

// fileToken keeps a host name usable in a file name.
func fileToken(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '-' || r == '.' || '0' <= r && r <= '9' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return r
		}
		return '_'
	}, s)
	if s == "" {
		return "localhost"
	}
	return s
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	d.Sync()
	return nil
}
