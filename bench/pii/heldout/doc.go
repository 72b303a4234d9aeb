// Package heldout generates a labelled corpus of real files for measuring
// personal-information detection on documents the detector was not tuned
// on (issue 11 item 4): debt-collection contact lists and overdue notices,
// loan applications, KYC forms, support e-mails (.eml), CSV exports, JSON
// API dumps, forum posts, news and HTML pages, plus hand-written samples.
// Every planted value and every hard negative (something that looks like
// personal information and is not) is recorded with its span in the text
// the engine sees and its value, so the scorer can score the engine on text
// or `scruple scan --format json` on the files.
//
// Surface forms vary on purpose: spacing and separators, full-width digits
// and punctuation, line breaks between label and value, mixed Chinese and
// English, encodings of e-mail bodies.
//
// Tune on one seed, report on another: see bench/pii/cmd/picorpus.
package heldout

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"strings"
)

// Span is a planted value or a hard negative in Doc.Text.
type Span struct {
	Type       string `json:"type"` // pii type, or "neg:KIND" for a hard negative
	Start, End int    `json:"-"`
	Value      string `json:"value"`
}

// Doc is one generated document.
type Doc struct {
	Kind string `json:"kind"`
	Name string `json:"name"` // path under the corpus directory
	// File is what is written to disk; Text is what a reader presents to
	// the engine (the same for plain text and HTML; "label: value" lines
	// for CSV and JSON; decoded headers and body for e-mail).
	File      []byte `json:"-"`
	Text      string `json:"-"`
	Values    []Span `json:"values"`
	Negatives []Span `json:"negatives"`
}

// Kinds lists the generated document kinds in order.
var Kinds = []string{"debt-list", "overdue-notice", "loan-application", "kyc-form", "support-eml", "csv-export",
	"json-api", "forum", "news", "html-page"}

var kindFuncs = map[string]func(gen, *builder){
	"debt-list": debtList, "overdue-notice": overdueNotice, "loan-application": loanApplication, "kyc-form": kycForm,
	"forum": forum, "news": news, "html-page": htmlPage,
}

// Generate returns perKind documents of every kind from seed, then the
// hand-written samples. The same seed gives the same bytes.
func Generate(seed uint64, perKind int) []Doc {
	g := gen{rand.New(rand.NewPCG(seed, seed^0xD1B54A32D192ED03))}
	var docs []Doc
	for _, k := range Kinds {
		for i := 0; i < perKind; i++ {
			var d Doc
			switch k {
			case "support-eml":
				d = supportEML(g)
			case "csv-export":
				d = csvExport(g)
			case "json-api":
				d = jsonAPI(g)
			default:
				var b builder
				kindFuncs[k](g, &b)
				d = Doc{Name: ".txt", Text: b.String(), File: []byte(b.String()), Values: b.vals, Negatives: b.negs}
				if k == "html-page" {
					d.Name = ".html"
				}
			}
			d.Kind = k
			d.Name = fmt.Sprintf("%s/%04d%s", k, i, d.Name) // Name held the extension
			docs = append(docs, d)
		}
	}
	return append(docs, handwritten()...)
}

// builder appends text and records spans.
type builder struct {
	sb   strings.Builder
	vals []Span
	negs []Span
}

func (b *builder) String() string { return b.sb.String() }
func (b *builder) w(s ...string) {
	for _, x := range s {
		b.sb.WriteString(x)
	}
}

// v plants a value of type t.
func (b *builder) v(t, s string) {
	st := b.sb.Len()
	b.sb.WriteString(s)
	b.vals = append(b.vals, Span{t, st, b.sb.Len(), s})
}

// neg writes a hard negative of the given kind.
func (b *builder) neg(kind, s string) {
	st := b.sb.Len()
	b.sb.WriteString(s)
	b.negs = append(b.negs, Span{"neg:" + kind, st, b.sb.Len(), s})
}

// field is one labelled cell of a record (CSV row, JSON object).
type field struct {
	label, value string
	typ          string // pii type, "neg:KIND", or "" for plain data
}

// present writes records as "label: value" lines, the convention scan uses
// for structured data, with a blank line between records.
func present(b *builder, recs [][]field) {
	for i, r := range recs {
		if i > 0 {
			b.w("\n")
		}
		for _, f := range r {
			b.w(f.label, ": ")
			put(b, f)
			b.w("\n")
		}
	}
}

func put(b *builder, f field) {
	switch {
	case f.typ == "":
		b.w(f.value)
	case strings.HasPrefix(f.typ, "neg:"):
		b.neg(f.typ[4:], f.value)
	default:
		b.v(f.typ, f.value)
	}
}

// csvFile renders records with one header row.
func csvFile(recs [][]field, sep rune) []byte {
	var sb strings.Builder
	w := csv.NewWriter(&sb)
	w.Comma = sep
	var hdr []string
	for _, f := range recs[0] {
		hdr = append(hdr, f.label)
	}
	_ = w.Write(hdr)
	for _, r := range recs {
		var row []string
		for _, f := range r {
			row = append(row, f.value)
		}
		_ = w.Write(row)
	}
	w.Flush()
	return []byte(sb.String())
}

// Surface helpers.

// colon returns one of the ways a label is followed by its value.
func (g gen) colon() string {
	return g.pick([]string{"：", "：", ":", ": ", "： ", " : ", "：\n", ":\n", "：  ", ":\t"})
}

func (g gen) mobileForm() string {
	m := g.mobile()
	switch g.n(12) {
	case 0:
		return group(m, " ", 3, 4, 4)
	case 1:
		return group(m, "-", 3, 4, 4)
	case 2:
		return "+86" + m
	case 3:
		return "+86 " + group(m, " ", 3, 4, 4)
	case 4:
		return fullWidth(m)
	case 5:
		return "0086" + m
	case 6:
		return "+86-" + m
	case 7:
		return group(m, " ", 3, 8)
	}
	return m
}

func (g gen) idForm() string {
	id := g.residentID()
	switch g.n(10) {
	case 0:
		return strings.ToLower(id)
	case 1:
		return fullWidth(id)
	case 2:
		return group(id, " ", 6, 8)
	}
	return id
}

func (g gen) cardForm() string {
	c, gr := g.card()
	switch g.n(4) {
	case 0:
		return group(c, " ", gr...)
	case 1:
		if len(gr) == 4 || len(gr) == 5 {
			return group(c, "-", gr...)
		}
	case 2:
		if g.p(30) {
			return fullWidth(c)
		}
	}
	return c
}

func (g gen) ibanForm() string {
	s := g.iban(true)
	if g.p(50) {
		return ibanPrint(s)
	}
	return s
}

func (g gen) ssnForm(withLabel bool) string {
	s := g.ssn()
	if withLabel && g.p(40) {
		if g.p(50) {
			return s
		}
		return group(s, " ", 3, 2, 4)
	}
	return group(s, "-", 3, 2, 4)
}

// relation returns a relationship tag in one of its bracket forms.
func (g gen) relation() string {
	r := g.pick([]string{"配偶", "父亲", "母亲", "子女", "朋友", "同事", "兄弟", "姐妹", "亲属", "同学", "儿子", "女儿", "丈夫", "妻子"})
	switch g.n(4) {
	case 0:
		return "(" + r + ")"
	case 1:
		return "【" + r + "】"
	}
	return "（" + r + "）"
}
