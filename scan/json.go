package scan

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scruple/scruple/pii"
)

func jsonValid(b []byte) bool { return json.Valid(b) }

// maxJSONDepth is how deep JSON may nest before it is read as text: far
// deeper than documents go, and the Token API of encoding/json has no bound
// of its own (a file of ten million "[" held 156 MiB of paths).
const maxJSONDepth = 1000

// maxJSONPath is the longest JSON path kept: a deeper one keeps its end,
// so that each level of nesting costs a bounded path.
const maxJSONPath = 1024

func trimPath(p string) string {
	if len(p) <= maxJSONPath {
		return p
	}
	i := len(p) - maxJSONPath/2
	for i < len(p) && !utf8.RuneStart(p[i]) {
		i++
	}
	return "$…" + p[i:]
}

// asText reads a structured part again from its start as plain text,
// whole, when its structure failed before anything was handed over; done
// is false when the part cannot be read again (standard input).
func (k *walk) asText(in *input, dec *textDecoder, r *FileResult) (done bool, err error) {
	if in.reopen == nil {
		return false, nil
	}
	src, err := in.reopen()
	if err != nil {
		return false, nil
	}
	in.br.Reset(src)
	r.Findings, r.Signals, r.Bytes = nil, pii.Signals{}, 0
	return true, k.plain(in, dec, in.top && k.w.opt.RedactDir != "")
}

// jsonFrame is one open object or array while walking the tokens.
type jsonFrame struct {
	array bool
	path  string // the path of the container itself
	label string // the key it was found under: context for its values
	key   string // objects: the key whose value comes next ("" before a key)
	index int    // arrays: the index of the next element
}

// json reads JSON or JSON Lines with keys as context: each string or number
// is the field "key: value" and is reported at its JSON path ($.a[0].b).
// Several top-level values (JSON Lines, concatenated JSON) are rows. A
// document that turns out not to be JSON is scanned as plain text instead.
func (k *walk) json(in *input, dec *textDecoder, kind string) error {
	r := k.result(in, kind)
	r.Encoding = dec.enc
	sent := 0
	b := &builder{r: r, send: func(p *FileResult) error { sent++; return k.send(p) }}
	t := &fieldText{k: k, b: b}
	cp, src, err := k.newRawCopy(in, dec, r, dec.reader(in.br, true))
	if err != nil {
		return k.fail(in, kind, err)
	}
	var red *jsonRedactor
	if cp != nil {
		defer cp.sink.abort() // no-op after commit
		red = &jsonRedactor{rawCopy: cp, mode: k.w.opt.RedactMode}
		t.red = red
	}
	guard := &recordGuard{r: src, max: k.w.opt.Limits.MaxRecord}
	jd := json.NewDecoder(guard)
	guard.done = jd.InputOffset
	jd.UseNumber()
	// mark sets the raw span of the token just read (under --redact).
	var from, end int64
	mark := func(loc *fieldLoc, num bool) {
		if red != nil {
			red.token(loc, from, end, num)
		}
	}
	var stack []jsonFrame
	row := int64(0)
	for {
		if err := k.ctx.Err(); err != nil {
			return err
		}
		from = jd.InputOffset()
		tok, err := jd.Token()
		end = jd.InputOffset()
		if err == io.EOF {
			break
		}
		if err == nil && len(stack) > maxJSONDepth {
			err = fmt.Errorf("%w: JSON nested more than %d deep", ErrLimit, maxJSONDepth)
		}
		if err != nil {
			if ferr := t.flush(); ferr != nil {
				return ferr
			}
			if sent == 0 {
				// Not JSON after all, broken, or a bomb: read it as text, whole.
				if done, ferr := k.asText(in, dec, r); done {
					return ferr
				}
			}
			var se *json.SyntaxError
			if errors.As(err, &se) {
				err = fmt.Errorf("json: syntax error at byte %d", se.Offset)
			}
			return k.partErr(in, b, err)
		}
		if len(stack) == 0 {
			row++
		}
		switch v := tok.(type) {
		case json.Delim:
			switch v {
			case '{', '[':
				path, label := "$", ""
				if n := len(stack); n > 0 {
					path, label = stack[n-1].child(k)
				}
				stack = append(stack, jsonFrame{array: v == '[', path: path, label: label})
			default:
				stack = stack[:len(stack)-1]
				if len(stack) <= 1 { // a record: a top-level value or an element of one
					if err := t.endRecord(); err != nil {
						return err
					}
				}
				if len(stack) > 0 {
					stack[len(stack)-1].next()
				}
			}
			continue
		case string:
			if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].key == "" {
				stack[n-1].key = v
				err = k.jsonKey(t, &stack[n-1], v, row, mark)
				break
			}
			err = k.jsonValue(t, stack, v, row, kind, func(l *fieldLoc) { mark(l, false) })
		case json.Number:
			err = k.jsonValue(t, stack, string(v), row, kind, func(l *fieldLoc) { mark(l, true) })
		default: // booleans and null hold nothing
			if n := len(stack); n > 0 {
				stack[n-1].next()
			}
		}
		if err != nil {
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
	if kind == "json" && row > 1 {
		r.Format = "jsonl"
	}
	return b.done()
}

func (k *walk) jsonValue(t *fieldText, stack []jsonFrame, v string, row int64, kind string, mark func(*fieldLoc)) error {
	path, label := "$", "value"
	if n := len(stack); n > 0 {
		path, label = stack[n-1].child(k)
		stack[n-1].next()
	}
	loc := fieldLoc{key: path}
	if kind == "jsonl" || row > 1 {
		loc.row = row
	}
	mark(&loc)
	if label == "" {
		label = "value"
	}
	if err := t.add(label, []byte(v), loc); err != nil {
		return err
	}
	if len(stack) == 0 {
		return t.endRecord()
	}
	return nil
}

// jsonKey scans an object key that may itself be personal information (a
// map keyed by phone number or e-mail): it is a field of its object.
func (k *walk) jsonKey(t *fieldText, f *jsonFrame, key string, row int64, mark func(*fieldLoc, bool)) error {
	if !strings.ContainsAny(key, "0123456789@") {
		return nil
	}
	path, _ := f.child(k)
	label := f.label
	if label == "" {
		label = "key"
	}
	loc := fieldLoc{key: path}
	if row > 1 {
		loc.row = row
	}
	mark(&loc, false)
	return t.add(label, []byte(key), loc)
}

// child returns the path and label of the value that comes next in f.
func (f *jsonFrame) child(k *walk) (path, label string) {
	if f.array {
		return trimPath(f.path + "[" + strconv.Itoa(f.index) + "]"), f.label
	}
	return trimPath(f.path + k.keySegment(f.key)), Label(f.key)
}

func (f *jsonFrame) next() {
	if f.array {
		f.index++
	} else {
		f.key = ""
	}
}

// keySegment is the path segment of an object key: .name for plain names,
// ["name"] otherwise. A key that is itself personal information (a map
// keyed by phone number) is masked, so that paths never carry raw values.
func (k *walk) keySegment(key string) string {
	key = k.masked(key)
	plain := key != ""
	for _, r := range key {
		if !(r == '_' || r == '$' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r >= 0x80) {
			plain = false
			break
		}
	}
	if plain {
		return "." + key
	}
	q, _ := json.Marshal(key)
	return "[" + string(q) + "]"
}
