package urls

import (
	"fmt"
	"net/url"
	"strings"
)

// TrapLimits bounds the shape of URLs a crawl will follow. A zero field
// takes its default; a negative field disables that check.
type TrapLimits struct {
	// MaxURLLength caps len(u.String()). Default 2048.
	MaxURLLength int
	// MaxPathSegments caps the number of path segments. Default 32.
	MaxPathSegments int
	// MaxRepeatedSegment caps how often one segment may appear anywhere
	// in the path: with 3, /a/b/a/c/a passes and /a/a/a/a does not.
	// Default 3.
	MaxRepeatedSegment int
	// MaxQueryParams caps the number of '&'- or ';'-separated query
	// parameters. Default 32.
	MaxQueryParams int
	// MaxCycleRepeats caps how many times in a row a block of two or more
	// segments may repeat: with 2, /x/y/x/y passes and /x/y/x/y/x/y does
	// not. This catches relative-link loops such as "x/y/" resolved
	// against itself. Default 2.
	MaxCycleRepeats int
}

// DefaultTrapLimits returns the limits used for zero fields.
func DefaultTrapLimits() TrapLimits {
	return TrapLimits{
		MaxURLLength:       DefaultMaxLength,
		MaxPathSegments:    32,
		MaxRepeatedSegment: 3,
		MaxQueryParams:     32,
		MaxCycleRepeats:    2,
	}
}

// TrapGuard flags URLs shaped like spider traps: calendars that never end,
// relative links that nest forever, session parameters piling up. It is
// immutable and safe for concurrent use. Per-host URL budgets are the
// caller's business.
type TrapGuard struct {
	l TrapLimits
}

// NewTrapGuard returns a guard enforcing l, with zero fields defaulted.
func NewTrapGuard(l TrapLimits) *TrapGuard {
	d := DefaultTrapLimits()
	def := func(v *int, dv int) {
		if *v == 0 {
			*v = dv
		}
	}
	def(&l.MaxURLLength, d.MaxURLLength)
	def(&l.MaxPathSegments, d.MaxPathSegments)
	def(&l.MaxRepeatedSegment, d.MaxRepeatedSegment)
	def(&l.MaxQueryParams, d.MaxQueryParams)
	def(&l.MaxCycleRepeats, d.MaxCycleRepeats)
	return &TrapGuard{l: l}
}

// maxReasonSegment bounds how much of a segment is quoted in a reason.
const maxReasonSegment = 40

// Check returns "" when u looks fine, otherwise a reason starting with
// "trap: ". Reasons may quote a (truncated) path segment but never any
// part of the query. u should be canonical.
func (g *TrapGuard) Check(u *url.URL) (reason string) {
	if u == nil {
		return "trap: nil URL"
	}
	l := g.l
	if l.MaxURLLength > 0 {
		if n := len(u.String()); n > l.MaxURLLength {
			return fmt.Sprintf("trap: URL length %d exceeds %d", n, l.MaxURLLength)
		}
	}
	if l.MaxQueryParams > 0 && u.RawQuery != "" {
		n := 0
		for range strings.FieldsFuncSeq(u.RawQuery, func(r rune) bool { return r == '&' || r == ';' }) {
			n++
		}
		if n > l.MaxQueryParams {
			return fmt.Sprintf("trap: %d query parameters (max %d)", n, l.MaxQueryParams)
		}
	}
	path := strings.Trim(u.EscapedPath(), "/")
	if path == "" {
		return ""
	}
	segs := strings.Split(path, "/")
	if l.MaxPathSegments > 0 && len(segs) > l.MaxPathSegments {
		return fmt.Sprintf("trap: %d path segments (max %d)", len(segs), l.MaxPathSegments)
	}
	if l.MaxRepeatedSegment > 0 {
		counts := make(map[string]int, len(segs))
		for _, s := range segs {
			if s == "" {
				continue
			}
			counts[s]++
			if counts[s] > l.MaxRepeatedSegment {
				n := 0
				for _, t := range segs {
					if t == s {
						n++
					}
				}
				return fmt.Sprintf("trap: path segment %q repeated %d times", truncate(s), n)
			}
		}
	}
	if l.MaxCycleRepeats > 0 {
		if block, reps := longestCycle(segs); reps > l.MaxCycleRepeats {
			return fmt.Sprintf("trap: path cycle %q repeated %d times", truncate(block), reps)
		}
	}
	return ""
}

// longestCycle finds the block of two or more segments with the most
// consecutive repetitions in segs and returns it joined by '/'. Runs that
// are really a single repeated segment are left to the repeat check.
// Cost is O(n²) in the segment count, which the segment cap bounds when
// enabled; without it the scan is limited to the first 256 segments.
func longestCycle(segs []string) (string, int) {
	if len(segs) > 256 {
		segs = segs[:256]
	}
	bestBlock, bestReps := "", 1
	n := len(segs)
	for period := 2; period*2 <= n; period++ {
		run := 0 // consecutive i with segs[i] == segs[i+period]
		for i := 0; i+period < n; i++ {
			if segs[i] != segs[i+period] {
				run = 0
				continue
			}
			run++
			reps := (run + period) / period
			if reps > bestReps && !uniform(segs[i+1-run:i+1-run+period]) {
				bestBlock = strings.Join(segs[i+1-run:i+1-run+period], "/")
				bestReps = reps
			}
		}
	}
	return bestBlock, bestReps
}

func uniform(b []string) bool {
	for _, s := range b[1:] {
		if s != b[0] {
			return false
		}
	}
	return true
}

func truncate(s string) string {
	if len(s) > maxReasonSegment {
		return s[:maxReasonSegment] + "..."
	}
	return s
}
