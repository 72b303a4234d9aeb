package consent

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// A recipient must name an entity (PIPL Art. 23: the name, contact, purpose
// and kind of data of each recipient are disclosed). A recipient is refused
// when it is an open list, or when any item of the list it spells is only a
// category: "合作伙伴及第三方" is two categories, "SF Express and other
// partners" names one recipient and leaves the rest unnamed. A category
// inside a name ("Acme Partners Ltd", "中国第三方支付有限公司") is part of
// the name: what is left once categories and filler words are taken out
// still names someone.

// recipientCategories are ASCII categories of recipients, as word
// sequences: they name no one.
var recipientCategories = [][]string{
	{"third", "parties"}, {"third", "party"}, {"service", "providers"}, {"service", "provider"},
	{"partners"}, {"partner"}, {"affiliates"}, {"affiliate"}, {"affiliated"}, {"vendors"}, {"vendor"},
	{"suppliers"}, {"supplier"}, {"contractors"}, {"subcontractors"}, {"subsidiaries"}, {"processors"},
	{"others"}, {"anyone"}, {"everyone"}, {"parties"}, {"party"}, {"entities"}, {"companies"},
	{"organisations"}, {"organizations"}, {"institutions"}, {"recipients"},
}

// recipientFiller words say nothing about who: "our trusted partners" is
// "partners".
var recipientFiller = []string{"our", "the", "all", "any", "other", "selected", "trusted", "and", "or", "its",
	"their", "some", "various", "relevant", "certain", "business", "commercial", "related", "of", "to", "a", "an",
	"we", "us", "group", "plus", "with", "company"}

// recipientOpenASCII mark an open list: whatever else the recipient names,
// it reserves unnamed others.
var recipientOpenASCII = [][]string{{"etc"}, {"et", "al"}, {"et", "cetera"}, {"and", "others"}, {"and", "other"},
	{"or", "other"}, {"among", "others"}, {"such", "as"}, {"including"}, {"not", "limited"}, {"and", "so", "on"},
	{"e", "g"}, {"and", "affiliates"}, {"and", "its", "affiliates"}}

// recipientCategoriesHan are Han categories of recipients.
var recipientCategoriesHan = []string{"合作伙伴", "第三方", "关联公司", "关联方", "关联企业", "关联机构", "合作方",
	"合作机构", "合作单位", "合作商", "供应商", "服务商", "服务提供商", "服务提供者", "相关机构", "相关方", "其他机构",
	"分支机构", "子公司", "渠道商", "机构", "单位", "企业", "公司", "各方"}

// recipientFillerHan are stripped before the check.
var recipientFillerHan = []string{"我们的", "我司的", "本公司的", "我们", "我司", "其他", "其它", "各类", "各", "相关",
	"所有", "全部", "一切", "的", "其", "有关"}

// recipientOpenHan mark an open list.
var recipientOpenHan = []string{"包括但不限于", "等等", "包括", "例如", "诸如", "之类"}

// recipientSplit are the separators of a list of recipients.
var recipientSplitHan = []string{"以及", "及", "和", "与", "或者", "或", "并", "等"}

// noRecipient is the explicit marker for "no third party".
func noRecipient(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	return s == "none" || s == "无"
}

// vagueRecipient reports why r does not name a recipient, or "".
func vagueRecipient(r string) string {
	r = strings.TrimSpace(r)
	if r == "" {
		return "empty"
	}
	if r == "*" {
		return `"*" is a wildcard`
	}
	lower := strings.ToLower(r)
	if w := phraseIn(words(lower), recipientOpenASCII); w != "" {
		return fmt.Sprintf("%s does not name a recipient: it is an open list (%q)", quoteMasked(r), w)
	}
	for _, h := range recipientOpenHan {
		if strings.Contains(r, h) {
			return fmt.Sprintf("%s does not name a recipient: it is an open list (%q)", quoteMasked(r), h)
		}
	}
	if dengEndsList(r) || strings.HasSuffix(strings.TrimRightFunc(r, func(c rune) bool { return unicode.IsPunct(c) || unicode.IsSpace(c) }), "等") {
		return fmt.Sprintf("%s does not name a recipient: it is an open list (等)", quoteMasked(r))
	}
	for _, item := range splitRecipients(lower) {
		if categoryOnly(item) {
			return fmt.Sprintf("%s does not name a recipient: %s is a category, not an entity", quoteMasked(r), quoteMasked(strings.TrimSpace(item)))
		}
	}
	return ""
}

// splitRecipients splits a recipient into the items of the list it spells:
// at punctuation, at "and"/"or", and at Han conjunctions. A name split at a
// 和 inside it ("中和农信") only yields pieces that are not categories.
func splitRecipients(lower string) []string {
	// "&" inside a name ("Smith & Partners LLP") joins it: an "&" whose
	// run ends in a legal form is not a separator; elsewhere ("Acme Ltd &
	// affiliates") it separates items as a comma does.
	var items []string
	for _, run := range strings.FieldsFunc(lower, func(c rune) bool {
		return c != '-' && c != '.' && c != '&' && c != '(' && c != ')' && c != '（' && c != '）' && (unicode.IsPunct(c) || unicode.IsSymbol(c))
	}) {
		pieces := strings.Split(run, "&")
		if ws := words(run); len(pieces) > 1 && len(ws) > 0 && contains(recipientFormsASCII, ws[len(ws)-1]) &&
			!slices.ContainsFunc(pieces[:len(pieces)-1], categoryOnly) {
			items = append(items, run) // "Smith & Partners LLP", not "third parties & Acme Ltd"
			continue
		}
		items = append(items, pieces...)
	}
	var out []string
	for _, it := range items {
		for _, h := range recipientSplitHan {
			it = strings.ReplaceAll(it, h, "\x00")
		}
		for _, piece := range strings.Split(it, "\x00") {
			var cur []string
			for _, w := range strings.Fields(piece) {
				if w == "and" || w == "or" || w == "plus" {
					out = append(out, strings.Join(cur, " "))
					cur = nil
					continue
				}
				cur = append(cur, w)
			}
			out = append(out, strings.Join(cur, " "))
		}
	}
	return out
}

// recipientFormsASCII are legal forms of an entity's name (Ltd, GmbH, ...).
// An item that holds a category word names someone only with one of them:
// "Acme Partners Ltd" does, "advertising partners" or "business partners"
// (a category with a qualifier) does not.
var recipientFormsASCII = []string{"ltd", "limited", "inc", "incorporated", "llc", "llp", "lp", "plc", "corp",
	"corporation", "co", "gmbh", "ag", "kg", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "ab", "oy", "asa",
	"pte", "pty", "kk", "bhd", "sdn", "ltda", "lda"}

// recipientFormsHan are the legal forms of a Chinese entity's name. They
// are taken out, with the categories, before asking whether anything is
// left: "有限公司" alone names no one.
var recipientFormsHan = []string{"股份有限公司", "有限责任公司", "有限公司", "股份公司", "集团公司", "合伙企业",
	"事务所"}

// categoryOnly reports whether an item of a recipient list names no one:
// nothing is left once categories, filler words and legal forms are taken
// out, or it holds a category word ("商业合作伙伴", "external partners")
// without the legal form that makes the rest a name.
func categoryOnly(item string) bool {
	letters := false
	for _, c := range item {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			letters = true
		}
	}
	if !letters {
		return false
	}
	// A legal form makes a name only at the end of the item, as names end
	// in one: "商业合作伙伴（有限公司）" and "our co-marketing partners"
	// hold a form word without being a company's name.
	end := strings.TrimRightFunc(item, func(c rune) bool { return unicode.IsSpace(c) || c == '.' })
	// A place in brackets after the form is still the name's end:
	// "Acme Partners Ltd (UK)", "某某合作伙伴有限公司（深圳）".
	if i := strings.LastIndexAny(end, "(（"); i > 0 && strings.HasSuffix(end, ")") || i > 0 && strings.HasSuffix(end, "）") {
		end = strings.TrimRightFunc(end[:i], func(c rune) bool { return unicode.IsSpace(c) || c == '.' })
	}
	han, formHan := item, false
	for _, h := range recipientFormsHan {
		if strings.HasSuffix(end, h) {
			formHan = true
		}
		han = strings.ReplaceAll(han, h, " ")
	}
	category := false
	for _, h := range recipientCategoriesHan {
		if strings.Contains(han, h) {
			category = true
			han = strings.ReplaceAll(han, h, " ")
		}
	}
	for _, h := range recipientFillerHan {
		han = strings.ReplaceAll(han, h, " ")
	}
	hanLeft := false
	for _, c := range han {
		if unicode.Is(unicode.Han, c) {
			hanLeft = true
		}
	}
	ws := words(han)
	// rest: what is left once categories and filler are out; name: what
	// is left once legal forms are out too and only articles, pronouns
	// and connectors count as filler ("Partners Group AG" names someone,
	// "third parties SA" does not).
	var rest, name []string
	endWords := words(strings.ToLower(end))
	formASCII := len(endWords) > 0 && contains(recipientFormsASCII, endWords[len(endWords)-1]) &&
		!strings.HasSuffix(strings.TrimSuffix(strings.ToLower(end), endWords[len(endWords)-1]), "-")
	for i := 0; i < len(ws); {
		if n := phraseAt(ws, i, recipientCategories); n > 0 {
			category = true
			i += n
			continue
		}
		if !contains(recipientFiller, ws[i]) {
			rest = append(rest, ws[i])
		}
		if !contains(recipientFormsASCII, ws[i]) && !contains(recipientWeakFiller, ws[i]) {
			name = append(name, ws[i])
		}
		i++
	}
	if !hanLeft && len(rest) == 0 {
		return true
	}
	if !category {
		return false
	}
	switch {
	case formHan:
		return !hanLeft && len(name) == 0
	case formASCII:
		return len(name) == 0 && !hanLeft
	}
	return true
}

// recipientWeakFiller are the filler words that never belong to a name.
var recipientWeakFiller = []string{"our", "the", "all", "any", "other", "selected", "trusted", "and", "or", "its",
	"their", "some", "various", "relevant", "certain", "of", "to", "a", "an", "we", "us", "plus", "with"}

// phraseAt returns the length of the first phrase of list that starts at
// ws[i], or 0.
func phraseAt(ws []string, i int, list [][]string) int {
	for _, p := range list {
		if i+len(p) <= len(ws) && slicesEqual(ws[i:i+len(p)], p) {
			return len(p)
		}
	}
	return 0
}

// phraseIn returns the first phrase of list found in ws, joined by spaces.
func phraseIn(ws []string, list [][]string) string {
	for i := range ws {
		for _, p := range list {
			if i+len(p) <= len(ws) && slicesEqual(ws[i:i+len(p)], p) {
				return strings.Join(p, " ")
			}
		}
	}
	return ""
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
