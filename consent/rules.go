package consent

import (
	"fmt"
	"strings"
	"unicode"
)

// Word lists for the blanket-consent rules. They are matched as whole words
// (ASCII, case-insensitively) or as phrases (Han), never as substrings of
// other words: "overall" is not "all", 等级 is not 等.

// vagueWords make a purpose blanket: PIPL Art. 6 and 14 require a specific,
// explicit purpose, and "any purpose" names none.
var vagueWords = []string{"any", "all", "everything", "anything", "general", "various", "whatever",
	"etc", "misc", "miscellaneous", "and so on"}

// vagueHan are Han phrases that make a purpose blanket wherever they occur.
var vagueHan = []string{"一切", "所有用途", "所有目的", "任何用途", "任何目的", "全部用途", "全部目的",
	"其他用途", "其它用途", "各种用途", "各类用途", "等用途", "等目的", "等等", "包括但不限于"}

// dengWords end in 等 without it meaning "and so on".
var dengWords = []string{"平等", "同等", "相等", "对等", "均等", "初等", "高等", "中等", "上等", "下等", "优等", "头等"}

// minPurposeWeight is the shortest specific purpose: 8 Latin letters or 4
// Han characters (a Han character counts 2). "ads" or "营销" is a category,
// not a purpose.
const minPurposeWeight = 8

// maxFieldLen bounds free-text fields so that a ledger line stays a line.
const maxFieldLen = 1000

// CheckPurpose reports why a purpose is not specific enough for consent
// (PIPL Art. 6, 14), or nil. A crawl's --purpose is checked the same way.
func CheckPurpose(p string) error {
	p = strings.TrimSpace(p)
	if p == "" {
		return fmt.Errorf("missing: consent is for a specific, explicit purpose (PIPL Art. 6, 14)")
	}
	if len(p) > maxFieldLen {
		return fmt.Errorf("longer than %d bytes", maxFieldLen)
	}
	weight, letters := 0, false
	for _, r := range p {
		switch {
		case unicode.Is(unicode.Han, r):
			weight += 2
			letters = true
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			weight++
			letters = true
		case !unicode.IsSpace(r):
			weight++
		}
	}
	if !letters || weight < minPurposeWeight {
		return fmt.Errorf("%s is too short to be a specific purpose (at least %d letters or %d Han characters; PIPL Art. 6, 14)",
			quoteMasked(p), minPurposeWeight, minPurposeWeight/2)
	}
	if w := vagueIn(p); w != "" {
		return fmt.Errorf("%s is blanket consent: %q names no specific purpose (PIPL Art. 6, 14: a clear, specific purpose, no consent for any use)", quoteMasked(p), w)
	}
	return nil
}

// vagueIn returns the vague word or phrase in p, or "".
func vagueIn(p string) string {
	lower := strings.ToLower(p)
	if w := wordIn(lower, vagueWords); w != "" {
		return w
	}
	for _, h := range vagueHan {
		if strings.Contains(p, h) {
			return h
		}
	}
	if dengEndsList(p) {
		return "等"
	}
	return ""
}

// words splits lower-case text into ASCII-letter words (Han and other
// letters are kept as separate single-rune words, so they never join a
// Latin word).
func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
}

// wordIn returns the first of list (single words or space-separated
// phrases) that occurs as whole words in lower.
func wordIn(lower string, list []string) string {
	joined := " " + strings.Join(words(lower), " ") + " "
	for _, w := range list {
		if strings.Contains(joined, " "+w+" ") {
			return w
		}
	}
	return ""
}

// dengEndsList reports a 等 that closes an open list ("营销、推广等", "等，"):
// at the end of the purpose or before punctuation, and not part of a word
// such as 平等.
func dengEndsList(p string) bool {
	rs := []rune(p)
	for i, r := range rs {
		if r != '等' {
			continue
		}
		end := i+1 == len(rs) || unicode.IsPunct(rs[i+1]) || unicode.IsSpace(rs[i+1])
		if !end || i == 0 {
			continue
		}
		pair := string(rs[i-1 : i+1])
		word := false
		for _, w := range dengWords {
			if pair == w {
				word = true
			}
		}
		if !word {
			return true
		}
	}
	return false
}

// vagueProcessors are not a processor's name (PIPL Art. 17).
var vagueProcessors = []string{"*", "any", "all", "us", "we", "company", "the company", "our company", "processor",
	"公司", "本公司", "我们", "我司", "本平台", "平台"}

// vagueMethods are not consent at all: silence, pre-ticked boxes and
// inactivity do not express consent (PIPL Art. 14: given voluntarily and
// explicitly, fully informed).
// ASCII entries are matched as words, so "pre ticked" also matches
// "pre-ticked".
var vagueMethods = []string{"implied", "implicit", "default", "pre ticked", "preticked", "opt out",
	"silence", "inferred", "assumed", "默认", "默认勾选", "默示", "推定"}

func contains(list []string, s string) bool {
	for _, w := range list {
		if w == s {
			return true
		}
	}
	return false
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
