package pii

import (
	"bytes"
	"strings"
)

// Tables written as text: a header row names the columns, and the cells
// below a name column are names even with no label beside them. Tab- and
// comma-separated lines (CSV pasted into a page), Markdown tables and HTML
// tables are read; the header cell is found by the same label rules as
// "label: value" lines ("姓名", "联系人1", "customer_name", "Full Name").

// maxTableRows bounds how far below a header the cells are read.
const maxTableRows = 2000

// tableHeader is called with a name label at [ls, le) followed by a cell
// delimiter: it finds the label's column and reports the names below it.
func (s *scanner) tableHeader(ls, le int) {
	text := s.text
	if ls < s.tableEnd {
		return
	}
	if html := htmlCellBefore(text, ls); html >= 0 {
		s.htmlTable(ls, html)
		return
	}
	lineS := lineStart(text, ls)
	lineE := lineEnd(text, le)
	delim := tableDelim(text[lineS:lineE])
	if delim == 0 {
		return
	}
	// Which columns are name columns: all header cells that are name
	// labels; strong ones say "name" outright (姓名, Full Name).
	var cols, strong [16]bool
	ncols, any := 0, false
	forCells(text, lineS, lineE, delim, func(k, cs, ce int) {
		if k < len(cols) {
			cs, ce = trimCell(text, cs, ce)
			if ce > cs && ce-cs <= maxLabel && classifyLabelKind(text[cs:ce]) == lblName {
				cols[k], any = true, true
				strong[k] = strongNameLabel(text[cs:ce])
			}
		}
		ncols = k + 1
	})
	if !any || ncols < 2 {
		s.tableEnd = lineE
		return
	}
	p := lineE
	for row := 0; row < maxTableRows && p < len(text); row++ {
		if p < len(text) && text[p] == '\r' {
			p++
		}
		p++ // the '\n'
		e := lineEnd(text, p)
		if e == p || bytes.IndexByte(text[p:e], delim) < 0 {
			break // a blank line or prose ends the table
		}
		if delim == '|' && isRuleRow(text[p:e]) {
			p = e
			continue
		}
		forCells(text, p, e, delim, func(k, cs, ce int) {
			if k < len(cols) && cols[k] {
				cs, ce := trimCell(text, cs, ce)
				s.nameCell(cs, ce, strong[k])
			}
		})
		p = e
	}
	s.tableEnd = p
}

var cellDelim = [256]bool{'\t': true, ',': true, '|': true, '"': true, '\n': true, '>': true}

// headerCell is called for a letter run [i, j) followed by a cell
// delimiter: when it ends a name label ("customer_name", "Full Name",
// "contactName"), the cell may head a name column.
func (s *scanner) headerCell(i, j int) {
	text := s.text
	if !s.d.needName || j-i > 16 || i < s.tableEnd {
		return
	}
	e := j
	if text[e] == '"' && (e+1 >= len(text) || text[e+1] != ',' && text[e+1] != '\t') {
		return // a JSON key or a quoted word, not a CSV header cell
	}
	if enHead.lower(text[i:j]) != lblName {
		return // most words before a comma: looked up before walking back
	}
	// The cell starts at a delimiter a few words back; in prose the walk
	// meets a third space first.
	cs, spaces := i, 0
	for cs > 0 && i-cs < maxLabel && !cellDelim[text[cs-1]] {
		if text[cs-1] == ' ' {
			if spaces++; spaces > 2 {
				return
			}
		}
		cs--
	}
	if cs > 0 && i-cs >= maxLabel {
		return
	}
	s.tableHeader(cs, e)
}

// nameCell reports a cell that is exactly a name (and maybe a
// relationship tag); under a strong header (姓名) a name outside the
// surname list too (see wholeName).
func (s *scanner) nameCell(cs, ce int, strong bool) {
	text := s.text
	if ce <= cs {
		return
	}
	if text[cs] >= 0x80 {
		if e := wholeName(text[:ce], cs, strong); e > cs {
			s.emit(PersonName, cs, e, 0.85, text[cs:e])
			return
		}
		if e, c := nameAfter(text, cs); c > 0 && (e == ce || e+relTagAt(text, e) == ce) {
			s.emit(PersonName, cs, e, 0.85, text[cs:e])
		}
		return
	}
	if st, e, words := englishNameAt(text, cs); words > 0 && st == cs && e == ce {
		s.emit(PersonName, cs, e, 0.8, text[cs:e])
	}
}

func lineEnd(text []byte, p int) int {
	s := p
	for p < len(text) && text[p] != '\n' {
		p++
	}
	if p > s && text[p-1] == '\r' {
		return p - 1
	}
	return p
}

// tableDelim picks the cell delimiter of a header line: tab, '|' or ','.
func tableDelim(line []byte) byte {
	for _, d := range [...]byte{'\t', '|', ','} {
		if bytes.IndexByte(line, d) >= 0 {
			return d
		}
	}
	return 0
}

// forCells calls f with the index and range of each cell of a line;
// double-quoted CSV cells keep their commas.
func forCells(text []byte, s, e int, delim byte, f func(k, cs, ce int)) {
	if delim == '|' {
		for s < e && (text[s] == ' ' || text[s] == '|') {
			if text[s] == '|' {
				s++
				break
			}
			s++
		}
		for e > s && (text[e-1] == ' ' || text[e-1] == '|') {
			if text[e-1] == '|' {
				e--
				break
			}
			e--
		}
	}
	k, cs := 0, s
	quoted := false
	for p := s; p <= e; p++ {
		if p < e && text[p] == '"' {
			quoted = !quoted
		}
		if p == e || text[p] == delim && !quoted {
			f(k, cs, p)
			k++
			cs = p + 1
		}
	}
}

func trimCell(text []byte, cs, ce int) (int, int) {
	for cs < ce && (text[cs] == ' ' || text[cs] == '"' || text[cs] == '\t') {
		cs++
	}
	for ce > cs && (text[ce-1] == ' ' || text[ce-1] == '"' || text[ce-1] == '\t' || text[ce-1] == '\r') {
		ce--
	}
	if hasPrefix(text[cs:], "\u3000") {
		cs += 3
	}
	return cs, ce
}

// isRuleRow reports a Markdown separator row: |---|:---:|.
func isRuleRow(b []byte) bool {
	for _, c := range b {
		if c != '|' && c != '-' && c != ':' && c != ' ' {
			return false
		}
	}
	return true
}

// htmlCellBefore returns the start of the "<th" or "<td" tag whose content
// starts at p (allowing spaces), or -1.
func htmlCellBefore(text []byte, p int) int {
	for p > 0 && text[p-1] == ' ' {
		p--
	}
	if p < 1 || text[p-1] != '>' {
		return -1
	}
	q := p - 1
	for q > 0 && text[q] != '<' && p-q < 80 {
		q--
	}
	if q+3 <= len(text) && text[q] == '<' && (text[q+1]|0x20) == 't' && ((text[q+2]|0x20) == 'h' || (text[q+2]|0x20) == 'd') {
		return q
	}
	return -1
}

// htmlTable reads the column of the header cell at tag (a "<th"/"<td" in
// a "<tr>") and the same column of the rows after it.
func (s *scanner) htmlTable(ls, tag int) {
	text := s.text
	rowS := lastIndex(text[:tag], "<tr")
	if rowS < 0 || tag-rowS > 4000 {
		return
	}
	col := countCells(text[rowS:tag])
	p := indexFrom(text, tag, "</tr")
	end := p
	for row := 0; row < maxTableRows && p >= 0; row++ {
		r := indexFrom(text, p, "<tr")
		if r < 0 || r-p > 200 {
			break
		}
		re := indexFrom(text, r, "</tr")
		if re < 0 {
			re = min(len(text), r+4000)
		}
		// The col-th cell of this row.
		q, k := r, -1
		for k < col {
			n := nextCell(text, q, re)
			if n < 0 {
				break
			}
			k++
			q = n
		}
		if k == col {
			cs := q
			ce := indexFrom(text, cs, "<")
			if ce < 0 || ce > re {
				ce = re
			}
			// A link or a span inside the cell: read its text.
			if ce == cs {
				if gt := indexFrom(text, cs, ">"); gt >= 0 && gt < re {
					cs = gt + 1
					if ce = indexFrom(text, cs, "<"); ce < 0 || ce > re {
						ce = re
					}
				}
			}
			cs, ce = trimCell(text, cs, ce)
			s.nameCell(cs, ce, false)
		}
		p, end = re, re
	}
	s.tableEnd = max(end, ls+1)
}

// nextCell returns where the content of the next <td>/<th> after q starts,
// or -1 before limit.
func nextCell(text []byte, q, limit int) int {
	for q < limit {
		t := indexFrom(text, q, "<t")
		if t < 0 || t >= limit {
			return -1
		}
		if t+3 < len(text) && ((text[t+2]|0x20) == 'd' || (text[t+2]|0x20) == 'h') && (text[t+3] == '>' || text[t+3] == ' ') {
			gt := indexFrom(text, t, ">")
			if gt < 0 {
				return -1
			}
			return gt + 1
		}
		q = t + 2
	}
	return -1
}

// countCells counts the <td>/<th> tags in b: the index of the cell after.
func countCells(b []byte) int {
	n := 0
	for i := 0; i+3 < len(b); i++ {
		if b[i] == '<' && (b[i+1]|0x20) == 't' && ((b[i+2]|0x20) == 'd' || (b[i+2]|0x20) == 'h') && (b[i+3] == '>' || b[i+3] == ' ') {
			n++
		}
	}
	return n
}

func indexFrom(text []byte, p int, sub string) int {
	if p < 0 || p > len(text) {
		return -1
	}
	i := strings.Index(string(text[p:]), sub)
	if i < 0 {
		return -1
	}
	return p + i
}

func lastIndex(b []byte, sub string) int { return strings.LastIndex(string(b), sub) }

// enumeration handles '、' at i: names listed with the enumeration comma
// ("对诸葛明、夏侯杰、令狐婷等同志予以表彰"). Every item must be a name, and
// the list must have three names or end with 等 or a form of address, so
// that "王府井、国贸" (places) is not a list of names.
func (s *scanner) enumeration(i int) {
	text := s.text
	if i < s.listEnd || !s.d.needName {
		return
	}
	st, c := nameBefore(text, i, false)
	if c == 0 {
		return
	}
	var starts, ends [12]int
	starts[0], ends[0] = st, i
	n := 1
	p := i + 3
	tail := false
	for n < len(starts) {
		e, c := nameAfter(text, p)
		if c == 0 {
			return
		}
		starts[n], ends[n] = p, e
		n++
		if !hasPrefix(text[e:], "、") {
			for _, w := range [...]string{"等", "同志", "先生", "女士", "同学", "老师", "和", "及"} {
				if hasPrefix(text[e:], w) {
					tail = true
				}
			}
			s.listEnd = e
			break
		}
		p = e + 3
	}
	if n < 3 && !tail {
		return
	}
	for k := 0; k < n; k++ {
		s.emit(PersonName, starts[k], ends[k], 0.8, text[starts[k]:ends[k]])
	}
}
