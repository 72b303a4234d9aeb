package crawler

import (
	"hash/fnv"
	"math/bits"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/scruple/scruple/extract"
)

// refWords is the plain version of eachWord's tokenisation: words as
// strings, lower-cased, digits folded.
func refWords(text string) []string {
	var out []string
	start := -1
	flush := func(end int) {
		if start >= 0 {
			w := []byte(strings.ToLower(text[start:end]))
			for i, c := range w {
				if c >= '0' && c <= '9' {
					w[i] = '0'
				}
			}
			out = append(out, string(w))
			start = -1
		}
	}
	for i, r := range text {
		switch {
		case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul):
			flush(i)
			out = append(out, string(r))
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if start < 0 {
				start = i
			}
		default:
			flush(i)
		}
	}
	flush(len(text))
	return out
}

func TestEachWordMatchesPlainTokenisation(t *testing.T) {
	for _, text := range []string{
		"", " ", "Hello, World!", "Page 12 of 345 — next", "ÉCOLE Straße ΣΊΣΥΦΟΣ",
		"北京市朝阳区 2024年 第3页", "ひらがな カタカナ 한국어 mixed中文text", "a\xffb\xc3(c 9\u0663x",
		"tab\tnew\nline\r\u00a0nbsp", "İstanbul DŽ ǅ", strings.Repeat("word ", 300),
	} {
		var got []uint64
		eachWord(text, func(h uint64) { got = append(got, h) })
		ref := refWords(text)
		if len(got) != len(ref) {
			t.Fatalf("%q: %d words, plain tokenisation finds %d (%q)", text, len(got), len(ref), ref)
		}
		for i, w := range ref {
			h := fnv.New64a()
			h.Write([]byte(w))
			if got[i] != h.Sum64() {
				t.Errorf("%q: word %d (%q): hash differs from FNV-1a of the folded word", text, i, w)
			}
		}
	}
}

func TestSimhasherMatchesPlainCount(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 2, 254, 255, 256, 511, 1000, 5000} {
		var s simhasher
		var v [64]int
		for range n {
			x := r.Uint64()
			// Bias some bits so that both outcomes occur.
			x |= 0xff
			x &^= 0xff00
			s.add(x)
			for i := range 64 {
				if x&(1<<i) != 0 {
					v[i]++
				} else {
					v[i]--
				}
			}
		}
		var want uint64
		for i := range 64 {
			if v[i] > 0 {
				want |= 1 << i
			}
		}
		if got := s.sum(); got != want {
			t.Errorf("%d shingles: simhash %016x, plain count %016x", n, got, want)
		}
	}
}

func TestTextPrintNearDuplicates(t *testing.T) {
	base, other := prose(1), prose(2)
	counter := strings.Replace(base, " the ", " the 2024-05-17 item 9913 ", 1)
	p0 := textPrint("Minutes", base, nil)
	if d := bits.OnesCount64(p0 ^ textPrint("Minutes", counter, nil)); d > nearDupBits {
		t.Errorf("one changed sentence moved the print by %d bits", d)
	}
	if d := bits.OnesCount64(p0 ^ textPrint("Minutes", other, nil)); d <= nearDupBits {
		t.Errorf("an unrelated text is within %d bits", d)
	}
	// Digits are folded: the same page with another number is the same print.
	if textPrint("", "page 1 of 10 results", nil) != textPrint("", "page 7 of 90 results", nil) {
		t.Error("texts that differ only in digits have different prints")
	}
	// Words of the URL are left out: a soft-404 page echoing its path.
	skip := urlWordHashes("/no/such/zebra", "")
	a := textPrint("", "Sorry, the page zebra was not found on this server", skip)
	b := textPrint("", "Sorry, the page giraffe was not found on this server", urlWordHashes("/no/such/giraffe", ""))
	if a != b {
		t.Error("the URL's own words changed the print")
	}
	if textPrint("", "", nil) != 0 || textPrint("", "¡¿!", nil) != 0 {
		t.Error("a text without words has a non-zero print")
	}
}

// prose is 800 words of varied text from a seed.
func prose(seed uint64) string {
	vocab := strings.Fields("the committee met on tuesday to discuss annual budget and new library a recipe " +
		"for bread needs flour water salt long slow rise overnight river bank north wind city council road " +
		"school teacher garden museum winter report market price train station music evening paper letter")
	r := rand.New(rand.NewPCG(seed, seed))
	var b strings.Builder
	for range 800 {
		b.WriteString(vocab[r.IntN(len(vocab))])
		b.WriteByte(' ')
	}
	return b.String()
}

func BenchmarkTextPrint(b *testing.B) {
	text := strings.Repeat("Section 12.3 describes the frontier, the lease table and 400 other things; 北京的文档 ", 80)
	skip := urlWordHashes("/docs/section/12", "")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		textPrint("Title of the page", text, skip)
	}
}

func TestIsUnitRuneMatchesUnicode(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
		if got := isUnitRune(r); got != want {
			t.Errorf("isUnitRune(%U) = %v, want %v", r, got, want)
		}
	}
}

// BenchmarkTextPrintSynthetic fingerprints the text of one page of the
// synthetic bench web (half Chinese, half English; extract/testdata).
func BenchmarkTextPrintSynthetic(b *testing.B) {
	doc, err := os.ReadFile("../extract/testdata/bench-synthetic.html")
	if err != nil {
		b.Fatal(err)
	}
	p := extract.HTML(doc, nil, extract.Options{})
	skip := urlWordHashes("/p/2.html", "")
	b.SetBytes(int64(len(p.Text)))
	b.ReportAllocs()
	for b.Loop() {
		textPrint(p.Title, p.Text, skip)
	}
}
