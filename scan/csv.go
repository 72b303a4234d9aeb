package scan

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strconv"
)

// csv reads CSV or TSV with the header as context: each cell is the field
// "header: cell". The delimiter is sniffed (Excel writes ";" in locales
// that use the decimal comma), quotes may be loose, records may be ragged,
// and a first row that holds data rather than names is scanned as data.
func (k *walk) csv(in *input, dec *textDecoder, kind string) error {
	r := k.result(in, kind)
	r.Encoding = dec.enc
	sent := 0
	b := &builder{r: r, send: func(p *FileResult) error { sent++; return k.send(p) }}
	head, _ := in.br.Peek(sniffSize)
	comma := '\t'
	if kind == "csv" {
		comma = sniffDelimiter(dec.sniff(head))
	}
	cp, src, err := k.newRawCopy(in, dec, r, dec.reader(in.br, true))
	if err != nil {
		return k.fail(in, kind, err)
	}
	var red *csvRedactor
	if cp != nil {
		defer cp.sink.abort() // no-op after commit
		red = &csvRedactor{rawCopy: cp, mode: k.w.opt.RedactMode, line: 1}
	}
	guard := &recordGuard{r: src, max: k.w.opt.Limits.MaxRecord}
	cr := csv.NewReader(guard)
	// InputOffset moves line by line, inside a record too: the guard
	// measures from the end of the last whole record.
	var recordEnd int64
	guard.done = func() int64 { return recordEnd }
	cr.Comma = comma
	cr.LazyQuotes = true
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	t := &fieldText{k: k, b: b}
	if red != nil {
		red.cr = cr
		t.red = red
	}
	var header []string
	var labels []string
	for row := int64(1); ; row++ {
		if err := k.ctx.Err(); err != nil {
			return err
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		recordEnd = cr.InputOffset()
		if err != nil {
			if ferr := t.flush(); ferr != nil {
				return ferr
			}
			if errors.Is(err, errRecord) && sent == 0 {
				// A quote never closed makes the rest of the file one
				// cell: read the file as text instead, whole.
				if done, ferr := k.asText(in, dec, r); done {
					return ferr
				}
			}
			var pe *csv.ParseError
			if errors.As(err, &pe) && !errors.Is(err, ErrLimit) {
				err = errors.New("csv: " + pe.Err.Error() + " at line " + strconv.Itoa(pe.Line))
			}
			return k.partErr(in, b, err)
		}
		if row == 1 && k.looksHeader(rec) {
			header = append([]string(nil), rec...)
			for _, h := range header {
				labels = append(labels, Label(h))
			}
			continue
		}
		for i, cell := range rec {
			if len(cell) == 0 {
				continue
			}
			col, label := "column "+strconv.Itoa(i+1), ""
			if i < len(header) && header[i] != "" {
				col, label = header[i], labels[i]
			}
			if label == "" {
				label = col
			}
			loc := fieldLoc{row: row, column: col}
			if red != nil {
				red.locate(&loc, i, len(rec), recordEnd)
			}
			if err := t.add(label, []byte(cell), loc); err != nil {
				return err
			}
		}
		if err := t.endRecord(); err != nil {
			return err
		}
	}
	if err := t.flush(); err != nil {
		return err
	}
	if cp != nil {
		if err := cp.finish(r); err != nil {
			return k.partErr(in, b, err)
		}
	}
	return b.done()
}

// sniffDelimiter picks the delimiter of a CSV head: of comma, semicolon,
// tab and bar, the one found the same non-zero number of times on most of
// the first lines (outside quotes); comma when none is.
func sniffDelimiter(head []byte) rune {
	lines := bytes.SplitN(head, []byte("\n"), 21)
	if len(lines) > 1 {
		lines = lines[:len(lines)-1] // the last may be cut
	}
	best, bestScore := ',', 0
	for _, d := range []byte{',', ';', '\t', '|'} {
		counts := map[int]int{}
		for _, l := range lines {
			n, quoted := 0, false
			for _, c := range l {
				switch {
				case c == '"':
					quoted = !quoted
				case c == d && !quoted:
					n++
				}
			}
			if n > 0 {
				counts[n]++
			}
		}
		for n, c := range counts {
			if score := c*1000 + n; c > 0 && score > bestScore {
				best, bestScore = rune(d), score
			}
		}
	}
	return best
}
