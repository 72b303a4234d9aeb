package independent

import (
	"net/netip"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// Norm is the comparable form of a value of a type: full-width folded,
// separators dropped for numbers, lower case for e-mail, canonical IP.
func Norm(typ, s string) string {
	s = strings.TrimSpace(width.Fold.String(s))
	switch typ {
	case "person_name":
		return normName(s)
	case "email":
		s = strings.ToLower(s)
		for _, at := range []string{"(at)", "[at]", " at "} {
			s = strings.Replace(s, at, "@", 1)
		}
		return strings.ReplaceAll(s, " ", "")
	case "ip_address":
		s = strings.Trim(s, "[]")
		if a, err := netip.ParseAddr(strings.TrimPrefix(strings.ToLower(s), "ipv6:")); err == nil {
			return a.String()
		}
		return strings.ToLower(s)
	case "address":
		return Loose(s)
	case "credential":
		return s
	case "cn_mobile":
		d := alnum(s)
		if len(d) == 15 && strings.HasPrefix(d, "0086") {
			d = d[4:]
		} else if len(d) == 13 && strings.HasPrefix(d, "86") {
			d = d[2:]
		}
		return d
	case "cn_landline":
		d := alnum(s)
		if strings.HasPrefix(d, "0086") {
			d = "0" + d[4:]
		} else if strings.HasPrefix(d, "86") && len(d) >= 11 {
			d = "0" + d[2:]
		}
		return d
	}
	return alnum(s)
}

func alnum(s string) string {
	var b strings.Builder
	for _, c := range strings.ToUpper(s) {
		if c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func hasHan(s string) bool {
	for _, c := range s {
		if unicode.Is(unicode.Han, c) {
			return true
		}
	}
	return false
}

func normName(s string) string {
	s = strings.NewReplacer("•", "·", "・", "·", "‧", "·", "．", "·").Replace(s)
	if hasHan(s) {
		return strings.Map(func(c rune) rune {
			if unicode.IsSpace(c) {
				return -1
			}
			return c
		}, s)
	}
	return strings.Join(strings.Fields(strings.ToLower(strings.ReplaceAll(s, ",", " "))), " ")
}

// Loose is the form used to compare across types and against negatives:
// folded, lower case, without spaces and punctuation.
func Loose(s string) string {
	s = strings.ToLower(width.Fold.String(s))
	return strings.Map(func(c rune) rune {
		if unicode.IsSpace(c) || unicode.IsPunct(c) || unicode.IsSymbol(c) {
			return -1
		}
		return c
	}, s)
}

// Relation of a finding to a labelled value.
const (
	RelNone    = 0
	RelPartial = 1 // the finding holds part of the value (a name's surname, an address without its room)
	RelFound   = 2 // the finding is the value (or holds it with a little around it)
)

// Relate compares a labelled value and a finding of the same type, both
// normalised with Norm.
func Relate(typ, truth, found string) int {
	if truth == "" || found == "" {
		return RelNone
	}
	if truth == found {
		return RelFound
	}
	switch typ {
	case "person_name":
		if !hasHan(truth) {
			tt, ft := strings.Fields(truth), strings.Fields(found)
			if len(tt) > 0 && has(ft, tt[0]) && has(ft, tt[len(tt)-1]) {
				return RelFound
			}
			if len(tt) > 1 && (has(tt, ft[0]) || strings.Contains(truth, found)) {
				return RelPartial
			}
			return RelNone
		}
		if strings.Contains(found, truth) && len([]rune(found))-len([]rune(truth)) <= 2 {
			return RelFound
		}
		if strings.Contains(truth, found) && len([]rune(found)) >= 2 {
			return RelPartial
		}
		return RelNone
	case "address":
		c := coverage(truth, found)
		switch {
		case c >= 0.8:
			return RelFound
		case c >= 0.4:
			return RelPartial
		}
		return RelNone
	case "credential", "email", "ip_address":
		if strings.Contains(found, truth) && len(found)-len(truth) <= 2 {
			return RelFound
		}
		return RelNone
	}
	if strings.Contains(found, truth) {
		return RelFound // e.g. a landline with its extension
	}
	if strings.Contains(truth, found) && len(found)*10 >= len(truth)*6 {
		return RelPartial
	}
	return RelNone
}

func has(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// coverage is the share of truth's characters in the longest common
// substring of truth and found.
func coverage(truth, found string) float64 {
	a, b := []rune(truth), []rune(found)
	if len(a) == 0 {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	best := 0
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
				if cur[j] > best {
					best = cur[j]
				}
			} else {
				cur[j] = 0
			}
		}
		prev, cur = cur, prev
	}
	return float64(best) / float64(len(a))
}

// Mask hides a value for reports: the first character and, for long
// values, the last two; the rest as '*'.
func Mask(s string) string {
	rs := []rune(s)
	switch {
	case len(rs) <= 1:
		return "*"
	case len(rs) <= 4:
		return string(rs[0]) + strings.Repeat("*", len(rs)-1)
	}
	if at := strings.IndexRune(s, '@'); at > 0 {
		return string(rs[0]) + "***" + s[at:]
	}
	return string(rs[0]) + strings.Repeat("*", len(rs)-3) + string(rs[len(rs)-2:])
}

// MaskTyped masks a value of a type: names keep only their first character.
func MaskTyped(typ, s string) string {
	if typ == "person_name" {
		rs := []rune(s)
		if len(rs) == 0 {
			return ""
		}
		return string(rs[0]) + strings.Repeat("*", len(rs)-1)
	}
	return Mask(s)
}
