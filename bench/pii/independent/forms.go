package independent

import "strings"

// Fullwidth turns ASCII digits, letters and common punctuation into their
// full-width forms (as typed with a Chinese IME in full-width mode).
func Fullwidth(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == ' ':
			b.WriteRune('\u3000')
		case c > ' ' && c < 0x7f:
			b.WriteRune(c - 0x21 + 0xff01)
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// MobileV is a mobile number labelled with its surface form.
func (r R) MobileV(m string) V {
	v := P("cn_mobile", m)
	switch x := r.IntN(100); {
	case x < 52:
	case x < 62:
		v.Surf, v.Forms = m[:3]+" "+m[3:7]+" "+m[7:], []string{"spaced"}
	case x < 70:
		v.Surf, v.Forms = m[:3]+"-"+m[3:7]+"-"+m[7:], []string{"dashed"}
	case x < 78:
		v.Surf, v.Forms = "+86 "+m, []string{"plus86"}
	case x < 82:
		v.Surf, v.Forms = "+86-"+m[:3]+"-"+m[3:7]+"-"+m[7:], []string{"plus86", "dashed"}
	case x < 86:
		v.Surf, v.Forms = "0086"+m, []string{"0086"}
	case x < 90:
		v.Surf, v.Forms = "(+86)"+m, []string{"plus86"}
	case x < 96:
		v.Surf, v.Forms = Fullwidth(m), []string{"fullwidth"}
	case x < 98:
		v.Surf, v.Forms = m[:3]+"."+m[3:7]+"."+m[7:], []string{"dotted"}
	default:
		v.Surf, v.Forms = Fullwidth(m[:3]+" "+m[3:7]+" "+m[7:]), []string{"fullwidth", "spaced"}
	}
	return v
}

// LandlineV is a fixed-line number in one of its written forms.
func (r R) LandlineV() V {
	a, l := r.Landline()
	v := P("cn_landline", a+l)
	switch r.IntN(7) {
	case 0:
		v.Surf = a + "-" + l
	case 1:
		v.Surf = "(" + a + ")" + l
	case 2:
		v.Surf = a + "-" + l[:len(l)-4] + " " + l[len(l)-4:]
		v.Forms = []string{"spaced"}
	case 3:
		v.Surf = "+86 " + a[1:] + " " + l
		v.Forms = []string{"plus86"}
	case 4:
		v.Surf = "（" + a + "）" + l
		v.Forms = []string{"fullwidth_brackets"}
	case 5:
		v.Surf = a + l
		v.Forms = []string{"no_separator"}
	default:
		v.Surf = a + "-" + l
	}
	return v
}

// IDV is an 18-digit ID in a surface form.
func (r R) IDV(id string) V {
	v := P("cn_resident_id", id)
	switch x := r.IntN(100); {
	case x < 80:
	case x < 86:
		v.Surf, v.Forms = id[:6]+" "+id[6:14]+" "+id[14:], []string{"spaced"}
	case x < 92:
		v.Surf, v.Forms = Fullwidth(id), []string{"fullwidth"}
	case x < 96 && id[17] == 'X':
		v.Surf, v.Forms = id[:17]+"x", []string{"lowercase_x"}
	default:
		v.Surf, v.Forms = id[:6]+"-"+id[6:14]+"-"+id[14:], []string{"dashed"}
	}
	if r.historic(id) {
		v.Forms = append(v.Forms, "historic_region")
	}
	return v
}

func (r R) historic(id string) bool {
	for _, g := range Regions {
		if g.Historic && strings.HasPrefix(id, g.Code) {
			return true
		}
	}
	return false
}

// CardV is a card number in a surface form.
func (r R) CardV(c string) V {
	v := P("bank_card", c)
	switch x := r.IntN(100); {
	case x < 55:
	case x < 80:
		v.Surf, v.Forms = Group(c, 4, " "), []string{"spaced"}
	case x < 88:
		v.Surf, v.Forms = Group(c, 4, "-"), []string{"dashed"}
	case x < 94:
		v.Surf, v.Forms = Fullwidth(c), []string{"fullwidth"}
	default:
		v.Surf, v.Forms = Group(c, 4, "  "), []string{"double_spaced"}
	}
	return v
}

// NameV labels a person's name with the person's tags.
func NameV(p Person, forms ...string) V {
	return P("person_name", p.Name, append(append([]string(nil), p.Forms...), forms...)...)
}

// PaddedName writes a two-character Chinese name as tables do ("王　芳").
func PaddedName(p Person) V {
	v := NameV(p)
	if rs := []rune(p.Name); len(rs) == 2 {
		v.Surf = string(rs[0]) + "\u3000" + string(rs[1])
		v.Forms = append(v.Forms, "padded")
	}
	return v
}

// Colon is a label separator as forms write it.
func (r R) Colon() string {
	return Pick(r, []string{"：", "：", "：", ":", ": ", "： ", "：\u3000", "\t", " "})
}

// Sep is the gap between fields on one line.
func (r R) Sep() string { return Pick(r, []string{"  ", "    ", "\t", "，", "；", " | ", "   "}) }

// Relation tags a contact's relationship in a surface form.
func (r R) Relation(rel string) (string, string) {
	switch r.IntN(8) {
	case 0, 1, 2:
		return "（" + rel + "）", "relation_fullwidth_brackets"
	case 3:
		return "(" + rel + ")", "relation_brackets"
	case 4:
		return "【" + rel + "】", "relation_lenticular"
	case 5:
		return " " + rel, "relation_space"
	case 6:
		return "-" + rel, "relation_dash"
	}
	return " 关系：" + rel, "relation_label"
}
