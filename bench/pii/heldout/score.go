package heldout

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Finding is a detector's finding: from the engine (Start, End into
// Doc.Text) or from `scruple scan --format json --show-values` (Path and
// Value; offsets there refer to the decoded file and are not used).
type Finding struct {
	Path       string `json:"path"`
	Type       string `json:"type"`
	Start      int    `json:"start"`
	End        int    `json:"end"`
	Value      string `json:"value"`
	Confidence float64
}

// Counts are true positives, false positives and false negatives.
type Counts struct{ TP, FP, FN int }

func (c Counts) Precision() float64 { return ratio(c.TP, c.TP+c.FP) }
func (c Counts) Recall() float64    { return ratio(c.TP, c.TP+c.FN) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// Result is a scored run.
type Result struct {
	Docs, Values, Negatives int
	PerType                 map[string]*Counts
	PerKind                 map[string]*Counts
	// NegHit counts hard negatives reported, by negative kind; Misses and
	// Extras are examples (masked) for the report.
	NegHit   map[string]int
	NegTotal int
	Examples []string
}

// Fuzzy types are matched by overlap (names and addresses have no one
// right boundary: "Mr. Smith" or "Smith"); the rest by normalised value.
func Fuzzy(t string) bool { return t == "person_name" || t == "address" }

// Validated reports whether a type is a validated identifier (check digit,
// numbering plan, registry length, or a fixed format with context), the
// group the ≥ 0.99 recall target applies to.
func Validated(t string) bool { return !Fuzzy(t) && t != "credential" && t != "cn_plate" }

// norm keeps letters and digits, full-width folded, upper-cased; phones
// lose a leading 86 / 0086.
func norm(t, s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９', r >= 'Ａ' && r <= 'Ｚ', r >= 'ａ' && r <= 'ｚ':
			r -= 0xFF01 - 0x21
		}
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 32)
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r >= 0x80:
			b.WriteRune(r)
		}
	}
	v := b.String()
	if t == "cn_mobile" || t == "cn_landline" {
		for _, p := range []string{"0086", "86"} {
			if strings.HasPrefix(v, p) && len(v)-len(p) >= 10 {
				v = v[len(p):]
				if t == "cn_landline" && v[0] != '0' && v[0] != '4' && v[0] != '8' {
					v = "0" + v
				}
				break
			}
		}
	}
	return v
}

func overlap(as, ae, bs, be int) int { return min(ae, be) - max(as, bs) }

// spanMatch: fuzzy types by IoU ≥ 0.5, others by overlap and equal value.
func spanMatch(text string, v Span, f Finding) bool {
	if f.Type != v.Type {
		return false
	}
	in := overlap(v.Start, v.End, f.Start, f.End)
	if in <= 0 {
		return false
	}
	if Fuzzy(v.Type) {
		return 2*in >= max(v.End, f.End)-min(v.Start, f.Start)
	}
	return norm(v.Type, text[f.Start:f.End]) == norm(v.Type, v.Value)
}

// valueMatch is spanMatch without offsets (scan mode).
func valueMatch(v Span, f Finding) bool {
	if f.Type != v.Type {
		return false
	}
	a, b := norm(v.Type, v.Value), norm(v.Type, f.Value)
	if !Fuzzy(v.Type) {
		return a == b
	}
	return containsRatio(a, b)
}

func containsRatio(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if len(a) < len(b) {
		a, b = b, a
	}
	return strings.Contains(a, b) && 2*len(b) >= len(a)
}

func newResult() *Result {
	return &Result{PerType: map[string]*Counts{}, PerKind: map[string]*Counts{}, NegHit: map[string]int{}}
}

func (r *Result) count(kind, typ string, f func(c *Counts)) {
	if r.PerType[typ] == nil {
		r.PerType[typ] = &Counts{}
	}
	if r.PerKind[kind] == nil {
		r.PerKind[kind] = &Counts{}
	}
	f(r.PerType[typ])
	f(r.PerKind[kind])
}

// ScoreEngine scores findings on each Doc.Text; scan returns the
// findings of one document.
func ScoreEngine(docs []Doc, scan func(Doc) []Finding) *Result {
	r := newResult()
	for _, d := range docs {
		fs := scan(d)
		r.score(d, fs, func(v Span, f Finding) bool { return spanMatch(d.Text, v, f) },
			func(n Span, f Finding) bool { return overlap(n.Start, n.End, f.Start, f.End) > 0 })
	}
	return r
}

// ScoreScan scores `scruple scan --format json --show-values` findings;
// each is matched to the document whose Name ends its path.
func ScoreScan(docs []Doc, fs []Finding) *Result {
	byDoc := map[string][]Finding{}
	for _, f := range fs {
		p := strings.ReplaceAll(f.Path, "\\", "/")
		if i := strings.Index(p, "!/"); i >= 0 {
			p = p[:i] // a part inside an archive belongs to the archive
		}
		byDoc[p] = append(byDoc[p], f)
	}
	r := newResult()
	for _, d := range docs {
		var mine []Finding
		for p, l := range byDoc {
			if p == d.Name || strings.HasSuffix(p, "/"+d.Name) {
				mine = append(mine, l...)
			}
		}
		r.score(d, mine, valueMatch, func(n Span, f Finding) bool {
			return containsRatio(norm("", n.Value), norm("", f.Value)) || strings.Contains(norm("", n.Value), norm("", f.Value)) && norm("", f.Value) != ""
		})
	}
	return r
}

func (r *Result) score(d Doc, fs []Finding, match func(Span, Finding) bool, hitsNeg func(Span, Finding) bool) {
	r.Docs++
	r.Values += len(d.Values)
	r.Negatives += len(d.Negatives)
	r.NegTotal += len(d.Negatives)
	used := make([]bool, len(fs))
	for _, v := range d.Values {
		ok := false
		for i, f := range fs {
			if !used[i] && match(v, f) {
				used[i], ok = true, true
				break
			}
		}
		if ok {
			r.count(d.Kind, v.Type, func(c *Counts) { c.TP++ })
		} else {
			r.count(d.Kind, v.Type, func(c *Counts) { c.FN++ })
			r.example("FN %-16s %-16s %s", d.Kind, v.Type, Mask(v.Value))
		}
	}
	// A second finding on a value already matched (a duplicate e-mail in
	// mailto: and the link text is two values, so this is rare) counts as
	// a false positive like any other unmatched finding.
	for i, f := range fs {
		if used[i] {
			continue
		}
		r.count(d.Kind, f.Type, func(c *Counts) { c.FP++ })
		neg := ""
		for _, n := range d.Negatives {
			if hitsNeg(n, f) {
				r.NegHit[n.Type]++
				neg = " (hard negative " + n.Type + ")"
				break
			}
		}
		val := f.Value
		if val == "" && f.End <= len(d.Text) && f.Start < f.End {
			val = d.Text[f.Start:f.End]
		}
		r.example("FP %-16s %-16s %s%s", d.Kind, f.Type, Mask(val), neg)
	}
}

func (r *Result) example(format string, a ...any) {
	if len(r.Examples) < 400 {
		r.Examples = append(r.Examples, fmt.Sprintf(format, a...))
	}
}

// Mask stars digits and Latin letters and keeps the first Han rune, so a
// report shows a value's shape and never the value.
func Mask(s string) string {
	var b strings.Builder
	han := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r >= '０' && r <= '９':
			b.WriteByte('#')
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
			b.WriteByte('x')
		case r >= 0x4E00 && r <= 0x9FFF:
			if han == 0 {
				b.WriteRune(r)
			} else {
				b.WriteRune('○')
			}
			han++
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Write prints the tables: per type, per kind, hard negatives, totals.
func (r *Result) Write(w io.Writer, examples bool) {
	fmt.Fprintf(w, "documents %d, planted values %d, hard negatives %d\n\n", r.Docs, r.Values, r.NegTotal)
	fmt.Fprintf(w, "| type | planted | found | missed | false pos. | precision | recall |\n|---|---|---|---|---|---|---|\n")
	var all, val, fz Counts
	for _, t := range sortedKeys(r.PerType) {
		c := r.PerType[t]
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %.4f | %.4f |\n", t, c.TP+c.FN, c.TP, c.FN, c.FP, c.Precision(), c.Recall())
		add(&all, c)
		if Validated(t) {
			add(&val, c)
		} else if Fuzzy(t) {
			add(&fz, c)
		}
	}
	for _, x := range []struct {
		n string
		c Counts
	}{{"**validated types**", val}, {"**names and addresses**", fz}, {"**all**", all}} {
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %.4f | %.4f |\n", x.n, x.c.TP+x.c.FN, x.c.TP, x.c.FN, x.c.FP, x.c.Precision(), x.c.Recall())
	}
	fmt.Fprintf(w, "\n| document kind | planted | found | missed | false pos. | precision | recall |\n|---|---|---|---|---|---|---|\n")
	for _, k := range sortedKeys(r.PerKind) {
		c := r.PerKind[k]
		fmt.Fprintf(w, "| %s | %d | %d | %d | %d | %.4f | %.4f |\n", k, c.TP+c.FN, c.TP, c.FN, c.FP, c.Precision(), c.Recall())
	}
	hits := 0
	for _, n := range r.NegHit {
		hits += n
	}
	fmt.Fprintf(w, "\nhard negatives reported: %d of %d\n", hits, r.NegTotal)
	for _, k := range sortedKeys(r.NegHit) {
		fmt.Fprintf(w, "  %s: %d\n", k, r.NegHit[k])
	}
	if examples {
		fmt.Fprintf(w, "\nexamples (masked):\n")
		for _, e := range r.Examples {
			fmt.Fprintln(w, "  "+e)
		}
	}
}

// Totals returns the validated, fuzzy and overall counts and the number of
// hard negatives reported.
func (r *Result) Totals() (val, fz, all Counts, negHits int) {
	for t, c := range r.PerType {
		add(&all, c)
		if Validated(t) {
			add(&val, c)
		} else if Fuzzy(t) {
			add(&fz, c)
		}
	}
	for _, n := range r.NegHit {
		negHits += n
	}
	return
}

func add(a *Counts, c *Counts) { a.TP += c.TP; a.FP += c.FP; a.FN += c.FN }

func sortedKeys[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}
