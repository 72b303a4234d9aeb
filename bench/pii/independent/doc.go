// Package independent generates an independent labelled corpus of the
// documents companies hold (debt-collection lists, loan applications, support
// e-mails, CRM exports, court notices, international forms ...) and scores
// `scruple scan --format json` against it.
//
// It is written without reading the detection engine (pii/) or the project's
// own corpora: the documents, their surface forms and their labels come from
// how such files look in practice, not from what the engine does. See
// README.md for how the corpus is made and labelled, its biases, and the
// seeds (1 is the tuning seed; 2 and 3 are held out).
package independent

import (
	"math/rand/v2"
	"strings"
)

// Roles of a labelled span.
const (
	Pos     = "pos"     // personal information the scanner should report with Type
	Neg     = "neg"     // a hard negative: reporting it as personal information is an error
	Neutral = "neutral" // ambiguous (a surname with a title, a role mailbox): findings on it are not scored
)

// Item is one labelled value of the ground truth (truth.jsonl). Value is the
// logical value as a reader sees it (after decoding an e-mail part, an HTML
// entity, a JSON escape), never the raw bytes.
type Item struct {
	File   string   `json:"file"`
	Kind   string   `json:"kind"`
	Role   string   `json:"role"`
	Type   string   `json:"type,omitempty"`   // expected finding type (Pos; also cn_uscc negatives)
	Family string   `json:"family,omitempty"` // hard-negative or neutral family
	Value  string   `json:"value"`
	Forms  []string `json:"forms,omitempty"` // surface-form tags: fullwidth, spaced, relation_tag ...
}

// V is a piece of a document: plain text (Role empty) or a labelled value.
// Surf is what is written (defaults to Val).
type V struct {
	Role, Type, Family string
	Val, Surf          string
	Forms              []string
}

func (v V) surface() string {
	if v.Surf != "" {
		return v.Surf
	}
	return v.Val
}

// With returns v with extra form tags.
func (v V) With(forms ...string) V {
	v.Forms = append(append([]string(nil), v.Forms...), forms...)
	return v
}

// Txt is unlabelled text.
func Txt(s string) V { return V{Val: s} }

// P is a positive value of type typ.
func P(typ, val string, forms ...string) V { return V{Role: Pos, Type: typ, Val: val, Forms: forms} }

// N is a hard negative of a family.
func N(family, val string) V { return V{Role: Neg, Family: family, Val: val} }

// Z is a neutral (unscored) value of a family.
func Z(family, val string) V { return V{Role: Neutral, Family: family, Val: val} }

// Doc accumulates a document's text and its labels.
type Doc struct {
	Name  string // path relative to docs/, e.g. collection/list-003.txt
	Kind  string
	b     strings.Builder
	items []Item
	// Encode, when set, turns the text into the file's bytes (GBK, MIME ...).
	Encode func(text string) []byte
	// Raw, when set, is written instead of the text (binary formats).
	Raw []byte
}

// Add writes parts in order and records their labels.
func (d *Doc) Add(parts ...V) *Doc {
	for _, v := range parts {
		d.b.WriteString(v.surface())
		d.Label(v)
	}
	return d
}

// S writes plain text.
func (d *Doc) S(s ...string) *Doc {
	for _, x := range s {
		d.b.WriteString(x)
	}
	return d
}

// Label records v without writing it (its text is written another way).
func (d *Doc) Label(v V) {
	if v.Role == "" {
		return
	}
	d.items = append(d.items, Item{Kind: d.Kind, Role: v.Role, Type: v.Type, Family: v.Family, Value: v.Val, Forms: v.Forms})
}

// Text is what has been written so far.
func (d *Doc) Text() string { return d.b.String() }

// Items are the labels, each with the document's name.
func (d *Doc) Items() []Item {
	out := make([]Item, len(d.items))
	for i, it := range d.items {
		it.File = d.Name
		out[i] = it
	}
	return out
}

// Bytes is the file content.
func (d *Doc) Bytes() []byte {
	if d.Raw != nil {
		return d.Raw
	}
	if d.Encode != nil {
		return d.Encode(d.b.String())
	}
	return []byte(d.b.String())
}

// R is the generator's random source with the helpers documents need.
type R struct{ *rand.Rand }

// NewR seeds a deterministic source.
func NewR(seed uint64, stream uint64) R {
	return R{rand.New(rand.NewPCG(seed, stream^0x9e3779b97f4a7c15))}
}

// Chance is true with probability p.
func (r R) Chance(p float64) bool { return r.Float64() < p }

// Between is a uniform int in [lo, hi].
func (r R) Between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }

// Digits is n random decimal digits.
func (r R) Digits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + r.IntN(10))
	}
	return string(b)
}

// Pick is a uniform element of xs.
func Pick[T any](r R, xs []T) T { return xs[r.IntN(len(xs))] }

// Weighted picks an index with the given weights.
func Weighted(r R, w []int) int {
	t := 0
	for _, x := range w {
		t += x
	}
	n := r.IntN(t)
	for i, x := range w {
		if n < x {
			return i
		}
		n -= x
	}
	return len(w) - 1
}
