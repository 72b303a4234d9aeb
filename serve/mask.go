package serve

import (
	"sort"
	"strings"
	"sync"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/pii"
)

// detector masks free text before it is served: a consent's purpose,
// processor, method and recipients are stored as typed, and an error may
// quote what was typed. The report masks the same text the same way
// (pii.Detector.Mask).
var detector = sync.OnceValue(func() *pii.Detector { return pii.New(pii.Options{}) })

// maskText masks every personal value the detector finds in s.
func maskText(s string) string { return detector().Mask(s) }

// maskTexts is maskText over a list; it never returns nil.
func maskTexts(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = maskText(s)
	}
	return out
}

// maskRecord returns a copy of r fit to serve: every finding's span in the
// text and title holds its typed mask. Redacted spans already do; values
// kept under a consent are stored raw for the consented purpose, which is
// not showing them to whoever reads the console, so they are masked here
// too ("[cn_mobile ✓]"). Subject HMACs are dropped, and so are the salt
// and any sealed values: the salt must die with the consent's data key, so
// a client must never hold a copy that would let it test guesses of a
// purged value against the logged digests (package shred).
func maskRecord(r *scruple.Record) *scruple.Record {
	c := *r
	c.Salt, c.Sealed = "", nil
	c.Findings = append([]scruple.Finding(nil), r.Findings...)
	c.Text = maskField(c.Text, "", c.Findings)
	c.Title = maskField(c.Title, "title", c.Findings)
	for i := range c.Findings {
		c.Findings[i].Subject = ""
	}
	return &c
}

// maskField rewrites s, moving the spans of the field's findings to where
// their masks now lie. Findings whose span does not fit s are masked from
// their start to the end of s: a bad span must not let a value through.
func maskField(s, field string, fs []scruple.Finding) string {
	var idx []int
	for i, f := range fs {
		if f.Field == field {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return s
	}
	sort.SliceStable(idx, func(a, b int) bool { return fs[idx[a]].Start < fs[idx[b]].Start })
	var b strings.Builder
	last := 0
	for _, i := range idx {
		f := &fs[i]
		start, end := f.Start, f.End
		if start < last || start > len(s) || end < start {
			start = max(last, min(start, len(s)))
		}
		if end > len(s) || end < start {
			end = len(s)
		}
		b.WriteString(s[last:start])
		mask := "[" + f.Type + "]"
		if s[start:end] != mask {
			if f.Action != "redact" {
				mask = "[" + f.Type + " ✓]"
			}
		}
		f.Start = b.Len()
		b.WriteString(mask)
		f.End = b.Len()
		last = end
	}
	b.WriteString(s[last:])
	return b.String()
}
