package scan

import (
	"github.com/scruple/scruple/scan/db"
)

// sqlite scans a SQLite database met inside a file, table by table, from
// memory: it counts twice its size against MaxPart (the bytes read and
// SQLite's own copy), and its tables are reported as those of a database
// file are, named "file!/member/table".
func (k *walk) sqlite(in *input) error {
	data, release, err := k.readAll(in.br)
	if err != nil {
		return k.fail(in, "sqlite", err)
	}
	defer release()
	_, release2, err := k.hold(int64(len(data)))
	if err != nil {
		return k.fail(in, "sqlite", err)
	}
	defer release2()
	d, err := db.OpenSQLiteBytes(k.ctx, k.e.path+"!/"+in.part, data)
	if err != nil {
		return k.fail(in, "sqlite", err)
	}
	defer d.Close()
	tables, err := d.Tables(k.ctx)
	if err != nil {
		return k.fail(in, "sqlite", err)
	}
	tables = db.Filter(tables, k.w.opt.Tables, k.w.opt.Columns)
	if len(tables) == 0 {
		return k.send(k.result(in, "sqlite"))
	}
	for _, t := range tables {
		if err := k.ctx.Err(); err != nil {
			return err
		}
		u := &unit{entry: *k.e, db: d, table: t, member: in.part}
		k.w.table(k.ctx, u, k.send)
	}
	return nil
}
