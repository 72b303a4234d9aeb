package consent

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/scruple/scruple"
)

// maxLineLen bounds one JSON line of an import: a grant is a few hundred
// bytes, and a bound keeps a wrong file from being read into memory whole.
const maxLineLen = 64 << 10

// LineError is the problem with one line of an import.
type LineError struct {
	Line int   // 1-based; 0 for a problem with the whole input
	Err  error // never holds the raw subject
}

// Error formats the problem as line N: reason.
func (e LineError) Error() string {
	if e.Line == 0 {
		return e.Err.Error()
	}
	return fmt.Sprintf("line %d: %v", e.Line, e.Err)
}

// Unwrap returns the line's error (RuleError, Errors, a JSON error).
func (e LineError) Unwrap() error { return e.Err }

// ParseJSONL reads grants as JSON Lines (one Grant object per line, with the
// Grant's JSON field names; blank lines skipped), validates each at now with
// maxTTL and builds its consent under key. Good lines are returned in order,
// bad ones as LineErrors; the caller stores all good ones in one transaction
// so an import is never half-written. A line that repeats an earlier grant
// is reported, not imported twice. Unknown fields are errors (a misspelt
// "expires" must not silently mean "no expiry"); evidence_file paths are
// read relative to the working directory.
func ParseJSONL(r io.Reader, key []byte, now time.Time, maxTTL time.Duration) (ok []*scruple.Consent, errs []LineError) {
	lines, errs := ParseJSONLLines(r, key, now, maxTTL)
	for _, l := range lines {
		ok = append(ok, l.Consent)
	}
	return ok, errs
}

// Line is a good line of an import: its 1-based number and its consent.
type Line struct {
	N       int
	Consent *scruple.Consent
}

// ParseJSONLLines is ParseJSONL that also returns each good line's number,
// so that a caller that refuses a line later (the ledger: a consent that
// was withdrawn) reports it by number.
func ParseJSONLLines(r io.Reader, key []byte, now time.Time, maxTTL time.Duration) (ok []Line, errs []LineError) {
	if len(key) < KeySize {
		return nil, []LineError{{0, fmt.Errorf("consent key of %d bytes: at least %d are needed", len(key), KeySize)}}
	}
	br := bufio.NewReader(r)
	seen := map[string]int{}
	for n := 1; ; n++ {
		line, err := readLine(br)
		if errors.Is(err, errLineTooLong) {
			errs = append(errs, LineError{n, err})
			continue
		}
		if err != nil && !errors.Is(err, io.EOF) {
			errs = append(errs, LineError{n, fmt.Errorf("reading: %w", err)})
			return ok, errs
		}
		if n == 1 {
			line = bytes.TrimPrefix(line, []byte("\ufeff"))
		}
		if line = bytes.TrimSpace(line); len(line) > 0 {
			c, lerr := parseLine(line, key, now, maxTTL)
			switch {
			case lerr != nil:
				errs = append(errs, LineError{n, lerr})
			case seen[c.ID] > 0:
				errs = append(errs, LineError{n, fmt.Errorf("the same grant as line %d", seen[c.ID])})
			default:
				seen[c.ID] = n
				ok = append(ok, Line{n, c})
			}
		}
		if errors.Is(err, io.EOF) {
			return ok, errs
		}
	}
}

var errLineTooLong = fmt.Errorf("line longer than %d bytes", maxLineLen)

// readLine returns the next line without its newline; errLineTooLong after
// skipping the rest of an overlong line; io.EOF with the last line.
func readLine(br *bufio.Reader) ([]byte, error) {
	var line []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > maxLineLen+1 {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = br.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, errLineTooLong
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return bytes.TrimSuffix(line, []byte("\n")), err
	}
}

func parseLine(line, key []byte, now time.Time, maxTTL time.Duration) (*scruple.Consent, error) {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	var g Grant
	if err := dec.Decode(&g); err != nil {
		var te *time.ParseError
		if errors.As(err, &te) {
			// The parse error quotes the text, which might be anything.
			return nil, errors.New("granted_at or expires_at is not an RFC 3339 time (e.g. 2026-01-31T00:00:00+08:00)")
		}
		return nil, fmt.Errorf("not a grant object: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one JSON value on the line")
	}
	if err := g.HashEvidence(); err != nil {
		return nil, err
	}
	if err := Validate(g, now, maxTTL); err != nil {
		return nil, err
	}
	return g.Consent(key)
}
