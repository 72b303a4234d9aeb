package pii

import (
	"slices"
	"strings"
)

// Surnames: the common single-character surnames (about 98% of the
// population per the Ministry of Public Security's surname statistics) and
// the compound surnames of the 百家姓. A name is 2-3 Han runes with a single
// surname, 3-4 with a compound one. Names are only reported with a label
// (姓名, 联系人, ...), an honorific (先生, 女士), or next to another
// identifier: the surname list alone would match ordinary words.
const singleSurnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤" +
	"常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邰雍辜羊阿乌母裘亓修邸"

const compoundSurnames = "欧阳 司马 上官 诸葛 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 轩辕 令狐 端木 独孤 南宫 西门 百里 呼延 万俟 钟离 宗政 濮阳 淳于 单于 太叔 申屠 公冶 澹台 公羊 赫连 第五 拓跋"

var surnameSet = func() map[rune]bool {
	m := map[rune]bool{}
	for _, r := range singleSurnames {
		m[r] = true
	}
	return m
}()

var compoundSet = func() map[string]bool {
	m := map[string]bool{}
	for _, s := range strings.Fields(compoundSurnames) {
		m[s] = true
	}
	return m
}()

// nameStops are words that end a name when they follow it without a
// separator ("张三电话", "李四先生"), and titles that are not given names.
var nameStops = [...]string{"电话", "手机", "先生", "女士", "小姐", "性别", "身份", "地址", "住址", "联系", "年龄", "邮箱",
	"电邮", "经理", "老师", "主任", "医生", "师傅", "同学", "总监", "律师", "教授", "工号", "出生", "民族", "籍贯", "卡号",
	"账号", "证件", "护照", "银行", "签名", "签字", "已经", "今天", "明天", "昨天", "同志", "号码"}

// nameStopRunes end a name on their own.
const nameStopRunes = "男女的是在和与及等于了说向给为从对把被将也都就还又"

// stopAt reports whether a name-ending word starts at p.
func stopAt(text []byte, p int) bool {
	r, _ := nextRune(text, p)
	if strings.ContainsRune(nameStopRunes, r) {
		return true
	}
	for _, w := range nameStops {
		if len(text)-p >= len(w) && string(text[p:p+len(w)]) == w {
			return true
		}
	}
	return false
}

// surnameAt returns the surname length in runes at p (2 for compound), or 0.
func surnameAt(text []byte, p int) int {
	if p+6 <= len(text) && compoundSet[string(text[p:p+6])] {
		return 2
	}
	r, _ := nextRune(text, p)
	if surnameSet[r] {
		return 1
	}
	return 0
}

// nameAfter parses a name starting at p (after a label): surname, then one or
// two given-name runes, cut at a stop word. It returns the end and confidence.
func nameAfter(text []byte, p int) (int, float64) {
	sl := surnameAt(text, p)
	if sl == 0 {
		return p, 0
	}
	var pos [8]int
	n, q := 0, p
	for n < len(pos)-1 {
		r, sz := nextRune(text, q)
		if !isHan(r) {
			break
		}
		pos[n] = q
		n++
		q += sz
	}
	pos[n] = q
	given := n - sl
	switch {
	case given <= 0:
		return p, 0
	case given <= 2:
		if stopAt(text, pos[sl]) {
			return p, 0
		}
		return pos[n], 0.9
	case stopAt(text, pos[sl+1]):
		return pos[sl+1], 0.85
	case stopAt(text, pos[sl+2]):
		return pos[sl+2], 0.85
	}
	return pos[sl+2], 0.6
}

// nameBefore finds a name ending at e (before an honorific or an
// identifier): the whole Han run if it is a name, or its last 3 then 2 runes
// starting with a surname. strict requires the whole run to be the name.
func nameBefore(text []byte, e int, strict bool) (int, float64) {
	var pos [6]int
	n, q := 0, e
	for n < len(pos) {
		r, sz := lastRune(text, q)
		if !isHan(r) {
			break
		}
		q -= sz
		pos[n] = q // pos[k] is the start of the (k+1)-th rune back
		n++
	}
	if n == len(pos) && strict {
		return e, 0
	}
	try := func(k int) (int, float64) {
		if k > n || k < 2 {
			return e, 0
		}
		st := pos[k-1]
		sl := surnameAt(text, st)
		if sl == 0 || k-sl < 1 || k-sl > 2 || stopAt(text, pos[k-1-sl]) {
			return e, 0
		}
		return st, 0.8
	}
	if n <= 4 {
		if st, c := try(n); c > 0 {
			return st, c
		}
	}
	if strict {
		return e, 0
	}
	for _, k := range []int{3, 2} {
		if st, c := try(k); c > 0 {
			return st, c
		}
	}
	return e, 0
}

// hanTrigger handles Han runes that start a name label or an honorific.
func (s *scanner) hanTrigger(i int, r rune) {
	text := s.text
	if i+3 < len(text) {
		if c, _ := alnumAt(text, i+3); isLetter(c) && plateProvince(r) {
			s.plate(i)
			return
		}
	}
	if !s.d.needName {
		return
	}
	rest := text[i:]
	switch {
	case hasPrefix(rest, "先生"), hasPrefix(rest, "女士"):
		if st, c := nameBefore(text, i, false); c > 0 {
			s.emit(PersonName, st, i, c, text[st:i])
		}
		return
	}
	for _, l := range [...]string{"姓名", "联系人", "收件人", "收货人", "借款人", "申请人", "持卡人", "户名", "本人", "嫌疑人"} {
		if !hasPrefix(rest, l) {
			continue
		}
		p := i + len(l)
		for p < len(text) {
			switch {
			case text[p] == ':' || text[p] == ' ' || text[p] == '"' || text[p] == '\t':
				p++
				continue
			case hasPrefix(text[p:], "："):
				p += 3
				continue
			}
			break
		}
		if e, c := nameAfter(text, p); c > 0 {
			s.emit(PersonName, p, e, c, text[p:e])
		}
		return
	}
}

func hasPrefix(b []byte, s string) bool { return len(b) >= len(s) && string(b[:len(s)]) == s }

// englishName takes one to three capitalised words after "Name:".
func (s *scanner) englishName(p int) {
	text := s.text
	st, words, e := p, 0, p
	for words < 3 && p < len(text) && 'A' <= text[p] && text[p] <= 'Z' {
		q := p + 1
		for q < len(text) && ('a' <= text[q] && text[q] <= 'z' || text[q] == '\'' || text[q] == '-') {
			q++
		}
		if q-p < 2 || q < len(text) && (isDigit(text[q]) || 'A' <= text[q] && text[q] <= 'Z') {
			break
		}
		words++
		e = q
		if q+1 < len(text) && text[q] == ' ' && 'A' <= text[q+1] && text[q+1] <= 'Z' {
			p = q + 1
			continue
		}
		break
	}
	if words >= 1 {
		s.emit(PersonName, st, e, 0.8+0.05*float64(words-1), text[st:e])
	} else if e, c := nameAfter(text, st); c > 0 {
		s.emit(PersonName, st, e, c, text[st:e])
	}
}

// adjacentNames adds names written right next to an identifier, as in
// contact lists and tables ("张伟 13812345678", "13812345678,李娜"): the Han
// run must be exactly a name, bounded by separators.
func (s *scanner) adjacentNames(fs []raw) []raw {
	text := s.text
	added := false
	n := len(fs)
	for k := 0; k < n; k++ {
		f := fs[k]
		if !subjectType(f.typeOf()) {
			continue
		}
		// before
		e := skipSepsBack(text, f.Start)
		if st, c := nameBefore(text, e, true); c > 0 && (k == 0 || fs[k-1].End <= st) && !placeLike(text[st:e]) {
			fs = append(fs, s.raw(PersonName, st, e, 0.75, text[st:e]))
			added = true
		}
		// after
		p := skipSeps(text, f.End)
		if p < len(text) {
			if e, c := nameAfter(text, p); c >= 0.9 && (k+1 >= n || fs[k+1].Start >= e) && !placeLike(text[p:e]) {
				if r, _ := nextRune(text, e); !isHan(r) {
					fs = append(fs, s.raw(PersonName, p, e, 0.75, text[p:e]))
					added = true
				}
			}
		}
	}
	if !added {
		return fs
	}
	// Both runs are sorted: merge instead of sorting again.
	merged := make([]raw, 0, len(fs))
	a, b := fs[:n], fs[n:]
	slices.SortStableFunc(b, byStart)
	for len(a) > 0 && len(b) > 0 {
		if byStart(b[0], a[0]) < 0 {
			merged, b = append(merged, b[0]), b[1:]
		} else {
			merged, a = append(merged, a[0]), a[1:]
		}
	}
	return dropOverlaps(append(append(merged, a...), b...))
}

// nameSeps are the separators of lists and tables.
func nameSepAt(text []byte, i int) int {
	if i < len(text) {
		switch text[i] {
		case ' ', '\t', ',', '|', ';', '/', ':', '"', '(', ')':
			return 1
		}
	}
	for _, w := range [...]string{"，", "、", "：", "；", "（", "）", "\u3000"} {
		if hasPrefix(text[i:], w) {
			return len(w)
		}
	}
	return 0
}

func skipSeps(text []byte, i int) int {
	for k := 0; k < 4 && i < len(text); k++ {
		n := nameSepAt(text, i)
		if n == 0 {
			break
		}
		i += n
	}
	return i
}

func skipSepsBack(text []byte, i int) int {
	for k := 0; k < 4 && i > 0; k++ {
		_, sz := lastRune(text, i)
		if sz == 0 || nameSepAt(text, i-sz) != sz {
			break
		}
		i -= sz
	}
	return i
}

// placeLike reports whether a Han run is a place rather than a name: a
// division name (海淀区 starts with the surname 海) or a word ending in a
// place suffix.
func placeLike(b []byte) bool {
	if _, ok := divisionSet[string(b)]; ok {
		return true
	}
	r, _ := lastRune(b, len(b))
	return strings.ContainsRune("区市县省路街镇村号楼室州岛山河湖站港", r)
}
