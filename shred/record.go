package shred

import (
	"crypto/rand"
	"encoding/hex"
	"sort"
	"strings"

	"github.com/scruple/scruple"
)

// saltSize is the size of a record's salt and of each share: 256 bits, far
// beyond any guessing, so that the salted digest hides even a value with
// few possibilities (an 11-digit mobile number has under 10^11).
const saltSize = 32

// NewSalt returns a fresh random salt in the form of Record.Salt.
func NewSalt() string {
	b := make([]byte, saltSize)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return hex.EncodeToString(b)
}

// Keeps reports whether r holds a value kept under a consent.
func Keeps(r *scruple.Record) bool {
	for _, f := range r.Findings {
		if kept(f) {
			return true
		}
	}
	return false
}

// SaltKept gives r a fresh salt when it keeps a value under consent and
// has none, before its encoding and digests are computed.
func SaltKept(r *scruple.Record) {
	if r.Salt == "" && Keeps(r) {
		r.Salt = NewSalt()
	}
}

// IndexDigest is the raw-body digest a store may write in clear beside a
// record (its duplicate index): r.Digest, or "" for a record keeping a
// value under consent. That body holds the value, and its plain SHA-256
// written once stays in SQLite free pages and WAL, PostgreSQL dead tuples,
// WAL archives and backups, where a guess of the value (an 11-digit mobile
// number is within brute-force range) could be tested against it. Such a
// page is therefore never found as the original of a later duplicate; a
// later copy is stored as a page of its own.
func IndexDigest(r *scruple.Record) string {
	if Keeps(r) {
		return ""
	}
	return r.Digest
}

func kept(f scruple.Finding) bool { return f.Action == "keep" && f.Consent != "" }

func mask(f scruple.Finding) string { return "[" + f.Type + "]" }

// field returns the text a finding's span refers to.
func field(r *scruple.Record, name string) *string {
	if name == "title" {
		return &r.Title
	}
	return &r.Text
}

// splice rewrites r's Text and Title, replacing the span of each finding
// i in repl by repl[i] and moving every finding's span to where its text
// now lies. A finding whose span overlaps an earlier one or lies outside
// its field is left alone (it cannot be a value this package sealed).
func splice(r *scruple.Record, repl map[int]string) {
	for _, name := range []string{"", "title"} {
		src := field(r, name)
		var idx []int
		for i, f := range r.Findings {
			if f.Field == name {
				idx = append(idx, i)
			}
		}
		sort.SliceStable(idx, func(a, b int) bool { return r.Findings[idx[a]].Start < r.Findings[idx[b]].Start })
		var b strings.Builder
		b.Grow(len(*src))
		last := 0
		for _, i := range idx {
			f := &r.Findings[i]
			if f.Start < last || f.End > len(*src) || f.Start > f.End {
				continue
			}
			b.WriteString((*src)[last:f.Start])
			start := b.Len()
			if v, ok := repl[i]; ok {
				b.WriteString(v)
			} else {
				b.WriteString((*src)[f.Start:f.End])
			}
			last = f.End
			f.Start, f.End = start, b.Len()
		}
		b.WriteString((*src)[last:])
		*src = b.String()
	}
}

// spanOK reports whether finding f's span lies inside its field of r.
func spanOK(r *scruple.Record, f scruple.Finding) bool {
	src := field(r, f.Field)
	return f.Start >= 0 && f.Start <= f.End && f.End <= len(*src)
}
