package crawler

import (
	"unicode"
	"unicode/utf8"
)

// The novelty check hashes every page's text, so it is on the crawl's hot
// path: it streams over the text once, hashing words as it goes (no word
// strings, no lower-cased copies), and counts simhash bits eight at a time.

// FNV-1a, 64 bits.
const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// eachWord calls fn with the hash of each word of text: runs of letters
// and digits, lower-cased, with ASCII digits folded to '0' (so pages that
// differ only in a counter, a date or an id read alike), and each Han, kana
// or Hangul character on its own (those scripts have no spaces between
// words; a character is the unit that shingles well). The hash is FNV-1a of
// the word's folded UTF-8 bytes.
func eachWord(text string, fn func(uint64)) {
	h := uint64(fnvOffset)
	in := false
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case c >= 'a' && c <= 'z':
			case c >= 'A' && c <= 'Z':
				c += 'a' - 'A'
			case c >= '0' && c <= '9':
				c = '0'
			default:
				if in {
					fn(h)
					h, in = fnvOffset, false
				}
				continue
			}
			h = (h ^ uint64(c)) * fnvPrime
			in = true
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		i += size
		switch {
		case isUnitRune(r):
			if in {
				fn(h)
			}
			fn(hashRune(fnvOffset, r))
			h, in = fnvOffset, false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			h = hashRune(h, unicode.ToLower(r))
			in = true
		default:
			if in {
				fn(h)
				h, in = fnvOffset, false
			}
		}
	}
	if in {
		fn(h)
	}
}

// isUnitRune reports whether r is a Han, kana or Hangul character (a word
// of its own). The CJK Unified Ideographs block, most characters of Chinese
// text, is all Han and answered without the four tables' binary searches (a
// test checks every rune against unicode.In).
func isUnitRune(r rune) bool {
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

// hashRune continues FNV-1a hash h with r's UTF-8 bytes (an invalid byte,
// decoded as U+FFFD, hashes as U+FFFD, as strings.ToLower would write it).
func hashRune(h uint64, r rune) uint64 {
	var b [utf8.UTFMax]byte
	n := utf8.EncodeRune(b[:], r)
	for _, c := range b[:n] {
		h = (h ^ uint64(c)) * fnvPrime
	}
	return h
}

// shingleHash combines the hashes of the words of one shingle
// (order-sensitive), finished with splitmix64's mixer so that every output
// bit depends on every input bit, as simhash needs.
func shingleHash(ws []uint64) uint64 {
	x := uint64(len(ws))
	for _, w := range ws {
		x = (x ^ w) * 0x9e3779b97f4a7c15
		x ^= x >> 29
	}
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// spread[b] has bit k of b in byte k, so adding spread values counts eight
// bit positions at once, one per byte.
var spread = func() (t [256]uint64) {
	for b := range 256 {
		for k := range 8 {
			if b&(1<<k) != 0 {
				t[b] |= 1 << (8 * k)
			}
		}
	}
	return t
}()

// simhasher is Charikar's similarity hash of a stream of shingle hashes:
// near-identical texts differ in few of its 64 bits. Bit i of the result
// is set when more than half of the shingles have bit i set.
type simhasher struct {
	lanes  [8]uint64 // byte k of lanes[j]: shingles with bit 8j+k set, since the last flush
	counts [64]int
	inLane int // shingles added to lanes since the last flush (< 256)
	n      int
}

func (s *simhasher) add(x uint64) {
	for j := range 8 {
		s.lanes[j] += spread[byte(x>>(8*j))]
	}
	s.n++
	if s.inLane++; s.inLane == 255 {
		s.flush()
	}
}

func (s *simhasher) flush() {
	for j := range 8 {
		l := s.lanes[j]
		for k := range 8 {
			s.counts[8*j+k] += int(byte(l >> (8 * k)))
		}
		s.lanes[j] = 0
	}
	s.inLane = 0
}

func (s *simhasher) sum() uint64 {
	s.flush()
	var out uint64
	for i, c := range s.counts {
		if 2*c > s.n {
			out |= 1 << i
		}
	}
	return out
}

// textPrint is the simhash of the word 3-shingles of title and text,
// leaving out the words whose hashes are in skip (the words of the page's
// own URL: a soft-404 page or a search page that echoes its path or query is
// no new text). A text of fewer than three words is one shingle.
func textPrint(title, text string, skip wordSet) uint64 {
	var (
		sh     simhasher
		window [shingleLen]uint64
		n      int
	)
	add := func(w uint64) {
		if skip.has(w) {
			return
		}
		if n < shingleLen {
			window[n] = w
		} else {
			copy(window[:], window[1:])
			window[shingleLen-1] = w
		}
		n++
		if n >= shingleLen {
			sh.add(shingleHash(window[:]))
		}
	}
	eachWord(title, add)
	eachWord(text, add)
	switch {
	case n == 0:
		return 0
	case n < shingleLen:
		sh.add(shingleHash(window[:n]))
	}
	return sh.sum()
}

// urlWordHashes returns the hashes of the words of u's unescaped path and
// query (at most 256).
func urlWordHashes(path, query string) wordSet {
	var out wordSet
	add := func(h uint64) {
		if len(out) < 256 && !out.has(h) {
			out = append(out, h)
		}
	}
	eachWord(path, add)
	eachWord(query, add)
	return out
}

// wordSet is a small set of word hashes: a URL has a handful of words, and
// scanning a few is cheaper than a map lookup for every word of the text.
type wordSet []uint64

func (s wordSet) has(h uint64) bool {
	for _, x := range s {
		if x == h {
			return true
		}
	}
	return false
}
