package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/db"
)

// unit is what one worker scans at a time: a file (with all it holds) or
// one table of a database.
type unit struct {
	entry
	db    db.Database
	table *db.Table
	// member is where the database is inside the file (an archive
	// member, an attachment), "" for a database named or walked.
	member string
}

// expand opens the databases among the entries (postgres URLs, and files
// whose first bytes are the SQLite header, whatever their name) and turns
// each into one unit per table; the returned function closes them.
func expand(ctx context.Context, entries []entry, opt *Options) ([]unit, func()) {
	var units []unit
	var open []db.Database
	closeAll := func() {
		for _, d := range open {
			d.Close()
		}
	}
	for _, e := range entries {
		if e.skip != "" || e.err != nil || e.stdin {
			units = append(units, unit{entry: e})
			continue
		}
		var d db.Database
		var err error
		switch {
		case e.dsn != "":
			d, err = db.OpenPostgres(ctx, e.dsn, opt.Workers)
		case isSQLite(e.path):
			d, err = db.OpenSQLite(ctx, e.path, opt.Workers)
		default:
			units = append(units, unit{entry: e})
			continue
		}
		if err != nil {
			e.err = err
			units = append(units, unit{entry: e})
			continue
		}
		open = append(open, d)
		tables, err := d.Tables(ctx)
		if err == nil {
			tables = db.Filter(tables, opt.Tables, opt.Columns)
			if len(tables) == 0 && len(opt.Tables) > 0 {
				err = errors.New("no table matches --table")
			}
		}
		if err != nil {
			e.err = err
			units = append(units, unit{entry: e})
			continue
		}
		if len(tables) == 0 {
			units = append(units, unit{entry: e, db: d}) // an empty database
		}
		for _, t := range tables {
			units = append(units, unit{entry: e, db: d, table: t})
		}
	}
	return units, closeAll
}

// isSQLite reports whether the file starts with the SQLite header.
func isSQLite(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, len(magicSQLite))
	n, _ := f.Read(head)
	return n == len(head) && bytes.Equal(head, magicSQLite)
}

// table scans one table: each row is a record of "column: value" fields,
// JSON columns are flattened with their keys as labels, and findings name
// the table, the column and the row's key.
func (w *worker) table(ctx context.Context, u *unit, send func(*FileResult) error) {
	if u.table == nil {
		send(&FileResult{Path: u.path, Format: u.db.Kind()})
		return
	}
	t := u.table
	t.MaxValue = w.opt.Limits.MaxRecord
	shown := u.path
	if u.member != "" {
		shown = u.path + "!/" + u.member
	}
	sum := &TableSummary{Database: shown, Table: t.Name, Key: t.Key, Estimated: t.Estimated, member: u.member}
	for _, c := range t.Columns {
		sum.Columns = append(sum.Columns, ColumnSummary{Name: c.Name, Type: c.Type, Skipped: c.Skipped, ByType: map[pii.Type]int{}})
	}
	r := &FileResult{Path: u.path, Part: join(u.member, t.Name), Format: u.db.Kind(), Table: sum, Encoding: UTF8}
	if t.Skipped != "" {
		r.Skipped = t.Skipped
		send(r)
		return
	}
	if w.opt.RedactDir != "" {
		r.NotRedacted = true
	}
	k := &walk{w: w, ctx: ctx, e: &u.entry, send: send}
	b := &builder{r: r, send: send}
	ft := &fieldText{k: k, b: b}
	cols := t.Read()
	idx := make([]int, len(cols)) // index in sum.Columns
	for i, c := range cols {
		for j := range sum.Columns {
			if sum.Columns[j].Name == c.Name {
				idx[i] = j
			}
		}
	}
	// The summary counts findings per column as they are handed over.
	b.send = func(p *FileResult) error {
		for _, f := range p.Findings {
			for j := range sum.Columns {
				if sum.Columns[j].Name == f.Column {
					sum.Columns[j].ByType[f.Type]++
					break
				}
			}
		}
		return send(p)
	}
	var rowKey strings.Builder
	sampled, err := u.db.Rows(ctx, t, w.opt.Sample, func(key []string, vals [][]byte) error {
		sum.Rows++
		rowKey.Reset()
		for i, k := range key {
			if i > 0 {
				rowKey.WriteByte(',')
			}
			rowKey.WriteString(t.Key[i] + "=" + k)
		}
		rk := w.maskKey(rowKey.String())
		for i, v := range vals {
			if v == nil {
				continue
			}
			c := &cols[i]
			cs := &sum.Columns[idx[i]]
			if c.Binary && binary(v) {
				cs.Binary++
				continue
			}
			cs.Values++
			if int64(len(v)) >= t.MaxValue {
				cs.Truncated++ // at least MaxValue characters: cut there
			}
			loc := fieldLoc{column: c.Name, rowKey: rk}
			if c.JSON || c.Binary && looksJSON(v) {
				if err := k.jsonFields(ft, c.Name, v, loc); err == nil {
					continue
				}
			}
			if err := ft.add(Label(c.Name), v, loc); err != nil {
				return err
			}
		}
		return ft.endRecord()
	})
	sum.Sampled, sum.Estimated = sampled, t.Estimated
	if ferr := ft.flush(); err == nil {
		err = ferr
	}
	if err != nil {
		if errors.Is(err, errSend) || ctx.Err() != nil {
			return
		}
		r.Err = err
	}
	b.done()
}

// maskKey masks a row key that is itself personal information (a table
// keyed by phone number), unless raw values were asked for.
func (w *worker) maskKey(key string) string {
	if w.opt.Values || !strings.ContainsAny(key, "0123456789@") {
		return key
	}
	if fs, _ := w.opt.Detector.ScanString(key); len(fs) > 0 {
		return string(pii.Redact([]byte(key), fs, pii.Partial))
	}
	return key
}

// jsonFields adds the values of a JSON document as fields labelled with
// their keys, at the column's JSON path (column $.a.b).
func (k *walk) jsonFields(t *fieldText, column string, doc []byte, loc fieldLoc) error {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return err
	}
	var walkv func(v any, path, label string) error
	walkv = func(v any, path, label string) error {
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for key := range x {
				keys = append(keys, key)
			}
			slices.Sort(keys)
			for _, key := range keys {
				if err := walkv(x[key], path+k.keySegment(key), Label(key)); err != nil {
					return err
				}
			}
		case []any:
			for i, e := range x {
				if err := walkv(e, path+"["+strconv.Itoa(i)+"]", label); err != nil {
					return err
				}
			}
		case string:
			l := loc
			l.key = path
			return t.add(label, []byte(x), l)
		case json.Number:
			l := loc
			l.key = path
			return t.add(label, []byte(x), l)
		}
		return nil
	}
	return walkv(v, "$", Label(column))
}
