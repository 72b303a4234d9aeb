package scan

import (
	"errors"
	"fmt"
	"io"
)

// Limits bound what one file may expand into: decompression bombs (a 42 KB
// zip that unpacks to petabytes), archives of millions of empty entries,
// and archives nested without end are reported as errors of the part that
// crossed a limit, and the rest of the run goes on.
//
// Ratios are checked twice: per compressed member (MaxRatio once it has
// given RatioFloor bytes) and for the whole file (all it expanded into, at
// every level of nesting, against its own size), so that neither members
// under the floor, nor entries sharing their data, nor layers of
// compression multiply past MaxRatio.
type Limits struct {
	// MaxDepth is how many containers (gzip, zip, tar, e-mail, office
	// document) may be nested inside a file.
	MaxDepth int
	// MaxEntries is the number of members one archive may have.
	MaxEntries int
	// MaxArchives is the number of nested containers one file may hold in
	// all.
	MaxArchives int
	// MaxRatio is the largest expansion of compressed data (output bytes per
	// input byte) once more than RatioFloor bytes came out: deflate's
	// best is about 1032:1, text rarely beats 20:1.
	MaxRatio   int64
	RatioFloor int64
	// MaxTotal is how many bytes one file may expand into in all.
	MaxTotal int64
	// MaxPart is how many bytes of one file's parts may be held in memory
	// at once (a zip, XLSX or PDF met compressed inside another container,
	// which needs random access; nested ones add up). Stored members of a
	// file on disk are read in place and hold nothing. It also bounds the
	// text of one PDF page and one XLSX file.
	MaxPart int64
	// MaxMessage is the largest e-mail message of an mbox file.
	MaxMessage int64
	// MaxRecord is the largest record held in memory at once: a CSV row,
	// a JSON string, number or nesting, an e-mail header block. A CSV or
	// JSON file that crosses it (a quote never closed, a depth bomb) is
	// read as plain text instead.
	MaxRecord int64
}

// DefaultLimits are the limits used where Options.Limits leaves a zero.
var DefaultLimits = Limits{
	MaxDepth: 8, MaxEntries: 100_000, MaxArchives: 10_000,
	MaxRatio: 200, RatioFloor: 4 << 20,
	MaxTotal: 64 << 30, MaxPart: 512 << 20, MaxMessage: 256 << 20, MaxRecord: 16 << 20,
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	pick := func(v, def int64) int64 {
		if v > 0 {
			return v
		}
		return def
	}
	l.MaxDepth = int(pick(int64(l.MaxDepth), int64(d.MaxDepth)))
	l.MaxEntries = int(pick(int64(l.MaxEntries), int64(d.MaxEntries)))
	l.MaxArchives = int(pick(int64(l.MaxArchives), int64(d.MaxArchives)))
	l.MaxRatio = pick(l.MaxRatio, d.MaxRatio)
	l.RatioFloor = pick(l.RatioFloor, d.RatioFloor)
	l.MaxTotal = pick(l.MaxTotal, d.MaxTotal)
	l.MaxPart = pick(l.MaxPart, d.MaxPart)
	l.MaxMessage = pick(l.MaxMessage, d.MaxMessage)
	l.MaxRecord = pick(l.MaxRecord, d.MaxRecord)
	return l
}

// ErrLimit is wrapped by the errors of parts that crossed a Limits bound.
var ErrLimit = errors.New("limit exceeded")

func (l Limits) depthErr() error {
	return fmt.Errorf("%w: containers nested more than %d deep", ErrLimit, l.MaxDepth)
}

// countReader counts the bytes read through it: the compressed side of a
// ratio.
type countReader struct {
	r io.Reader
	n int64
}

func (c *countReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// bombGuard passes decompressed bytes through and fails once they cross
// the file's total or the ratio to the compressed bytes (in, or the fixed
// compressed size when in is nil).
type bombGuard struct {
	r          io.Reader
	k          *walk
	in         *countReader
	compressed int64
	out        int64
}

// limited wraps a decompressing reader with the file's bomb limits.
func (k *walk) limited(r io.Reader, in *countReader, compressed int64) io.Reader {
	return &bombGuard{r: r, k: k, in: in, compressed: compressed}
}

func (g *bombGuard) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	g.out += int64(n)
	g.k.total += int64(n)
	l := &g.k.w.opt.Limits
	if g.k.total > l.MaxTotal {
		return n, fmt.Errorf("%w: the file expands to more than %s", ErrLimit, sizeString(l.MaxTotal))
	}
	if g.k.total > l.RatioFloor && g.k.total > l.MaxRatio*g.k.fileSize() {
		return n, fmt.Errorf("%w: the file expands more than %d:1 in all (a decompression bomb?)", ErrLimit, l.MaxRatio)
	}
	c := g.compressed
	if g.in != nil {
		c = g.in.n
	}
	if g.out > l.RatioFloor && g.out > l.MaxRatio*max(c, 1) {
		return n, fmt.Errorf("%w: compression ratio over %d:1 (a decompression bomb?)", ErrLimit, l.MaxRatio)
	}
	return n, err
}

// fileSize is what the file's ratio is measured against: its size on
// disk, or the bytes read of it so far (standard input, a pipe).
func (k *walk) fileSize() int64 {
	n := k.size
	if k.raw != nil {
		n = max(n, k.raw.n)
	}
	return max(n, 1)
}

// readAll reads a part into memory for the formats that need random access.
// All the parts of one file held at once (nested archives) count against
// MaxPart; release gives the bytes back when the part is done.
func (k *walk) readAll(r io.Reader) (b []byte, release func(), err error) {
	max := k.w.opt.Limits.MaxPart
	b, err = io.ReadAll(io.LimitReader(r, max-k.held+1))
	if err != nil {
		return nil, nil, err
	}
	if k.held+int64(len(b)) > max {
		if k.held > 0 {
			return nil, nil, fmt.Errorf("%w: parts held in memory at once (nested archives) larger than %s", ErrLimit, sizeString(max))
		}
		return nil, nil, fmt.Errorf("%w: part larger than %s to hold in memory", ErrLimit, sizeString(max))
	}
	n := int64(len(b))
	k.held += n
	return b, func() { k.held -= n }, nil
}

// hold counts n more bytes held against MaxPart, for memory a part costs
// besides what readAll read (SQLite's copy of a database).
func (k *walk) hold(n int64) (int64, func(), error) {
	if k.held+n > k.w.opt.Limits.MaxPart {
		return 0, nil, fmt.Errorf("%w: parts held in memory at once larger than %s", ErrLimit, sizeString(k.w.opt.Limits.MaxPart))
	}
	k.held += n
	return n, func() { k.held -= n }, nil
}

// nested counts one more container and checks the depth and count limits.
func (k *walk) nested(in *input) error {
	l := &k.w.opt.Limits
	if in.depth+1 > l.MaxDepth {
		return l.depthErr()
	}
	k.archives++
	if k.archives > l.MaxArchives {
		return fmt.Errorf("%w: more than %d nested containers in one file", ErrLimit, l.MaxArchives)
	}
	return nil
}

// errRecord is the error of a record larger than Limits.MaxRecord.
var errRecord = fmt.Errorf("%w: a record larger than MaxRecord (a quote never closed, a value without end?)", ErrLimit)

// recordGuard fails reads once a parser holds more than max bytes it has
// read but not yet returned as a record: encoding/csv and encoding/json
// have no bound of their own on a field, a string or a nesting.
type recordGuard struct {
	r    io.Reader
	n    int64        // bytes read through the guard
	done func() int64 // the parser's offset after its last record
	max  int64
}

func (g *recordGuard) Read(p []byte) (int, error) {
	if g.n-g.done() > g.max {
		return 0, errRecord
	}
	n, err := g.r.Read(p)
	g.n += int64(n)
	return n, err
}

// headerGuard bounds the header block of an e-mail: net/mail and
// net/textproto read it whole, whatever its size. Once the header is read,
// open is cleared and the body is not bounded.
type headerGuard struct {
	r    io.Reader
	left int64
	open bool
}

func (g *headerGuard) Read(p []byte) (int, error) {
	if !g.open {
		return g.r.Read(p)
	}
	if g.left <= 0 {
		return 0, fmt.Errorf("%w: e-mail header larger than MaxRecord", ErrLimit)
	}
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	n, err := g.r.Read(p)
	g.left -= int64(n)
	return n, err
}
