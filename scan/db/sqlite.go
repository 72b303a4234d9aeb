package db

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"net/url"
	"strconv"
	"strings"

	_ "modernc.org/sqlite" // registers "sqlite"
)

// lite is an SQLite database opened read only (mode=ro, query_only): the
// file is never written, not even its journal.
type lite struct {
	name string
	db   *sql.DB
}

// OpenSQLite opens the SQLite file at path read only.
func OpenSQLite(ctx context.Context, path string, conns int) (Database, error) {
	u := url.URL{Scheme: "file", Opaque: url.PathEscape(path)}
	dsn := u.String() + "?mode=ro&_pragma=query_only(1)&_pragma=busy_timeout(5000)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	db.SetMaxOpenConns(max(conns, 1))
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return &lite{name: path, db: db}, nil
}

func (d *lite) Name() string { return d.name }
func (d *lite) Kind() string { return "sqlite" }
func (d *lite) Close() error { return d.db.Close() }

// quote quotes an SQLite identifier.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func (d *lite) Tables(ctx context.Context) ([]*Table, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT name, type, COALESCE(sql, '') FROM sqlite_schema
		WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: listing tables: %w", err)
	}
	var out []*Table
	for rows.Next() {
		var name, typ, ddl string
		if err := rows.Scan(&name, &typ, &ddl); err != nil {
			rows.Close()
			return nil, err
		}
		t := &Table{Name: name, rel: name, Estimated: -1}
		switch {
		case typ == "view":
			t.Skipped = "view (the tables it reads are scanned)"
		case strings.HasPrefix(strings.ToUpper(strings.TrimSpace(ddl)), "CREATE VIRTUAL"):
			t.Skipped = "virtual table (its shadow tables are scanned)"
		}
		out = append(out, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, t := range out {
		if t.Skipped == "" {
			if err := d.describe(ctx, t); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func (d *lite) describe(ctx context.Context, t *Table) error {
	rows, err := d.db.QueryContext(ctx, `SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid`, t.rel)
	if err != nil {
		return fmt.Errorf("sqlite: columns of %s: %w", t.Name, err)
	}
	defer rows.Close()
	keys := map[int]string{}
	intKey := false
	for rows.Next() {
		var name, typ string
		var pk int
		if err := rows.Scan(&name, &typ, &pk); err != nil {
			return err
		}
		c := Column{Name: name, Type: typ}
		up := strings.ToUpper(typ)
		switch {
		case strings.Contains(up, "BLOB") || up == "":
			c.Binary = true // typeless columns may hold anything
		case strings.Contains(up, "JSON"):
			c.JSON = true
		}
		if pk > 0 {
			keys[pk] = name
			if strings.Contains(up, "INT") {
				intKey = true
				c.Skipped = "primary key: " + typ
			}
		}
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	// A WITHOUT ROWID table has no rowid to name its rows by.
	if r, err := d.db.QueryContext(ctx, "SELECT rowid FROM "+quote(t.rel)+" LIMIT 0"); err == nil {
		r.Close()
		t.rowid = true
	}
	for i := 1; i <= len(keys); i++ {
		t.Key = append(t.Key, keys[i])
		t.keyExpr = append(t.keyExpr, quote(keys[i]))
	}
	if len(keys) == 1 && intKey && t.rowid {
		// INTEGER PRIMARY KEY is the rowid under its own name.
	} else if len(keys) == 0 {
		t.Key, t.keyExpr = []string{"rowid"}, []string{"rowid"}
	}
	return nil
}

func (d *lite) Rows(ctx context.Context, t *Table, sample int64, fn RowFunc) (bool, error) {
	cols := t.Read()
	exprs := append([]string(nil), t.keyExpr...)
	for _, c := range cols {
		e := quote(c.Name)
		if t.MaxValue > 0 {
			// substr counts characters of text and bytes of a BLOB, and
			// gives integers as text.
			e = "substr(" + e + ", 1, " + strconv.FormatInt(t.MaxValue, 10) + ")"
		}
		exprs = append(exprs, e)
	}
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return false, fmt.Errorf("sqlite: %w", err)
	}
	defer conn.Close()
	// One read transaction: the table is read as of one moment.
	tx, err := conn.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return false, fmt.Errorf("sqlite: %w", err)
	}
	defer tx.Rollback()
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM " + quote(t.rel)
	sampled := false
	if sample > 0 {
		var n int64
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM "+quote(t.rel)).Scan(&n); err == nil {
			t.Estimated = n
		}
		if t.Estimated > sample {
			sampled = true
			if t.rowid {
				// Every k-th row: spread over the table, the same each run.
				k := int64(math.Ceil(float64(t.Estimated) / float64(sample)))
				q += " WHERE rowid % " + strconv.FormatInt(k, 10) + " = 0"
			}
		}
		q += " LIMIT " + strconv.FormatInt(sample, 10)
	}
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return sampled, fmt.Errorf("sqlite: reading %s: %w", t.Name, err)
	}
	defer rows.Close()
	nk := len(t.keyExpr)
	vals := make([]any, len(exprs))
	ptrs := make([]any, len(exprs))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	key := make([]string, nk)
	out := make([][]byte, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return sampled, fmt.Errorf("sqlite: reading %s: %w", t.Name, err)
		}
		for i := range nk {
			key[i] = string(text(vals[i]))
		}
		for i := range cols {
			out[i] = text(vals[nk+i])
		}
		if err := fn(key, out); err != nil {
			return sampled, err
		}
	}
	if err := rows.Err(); err != nil {
		return sampled, fmt.Errorf("sqlite: reading %s: %w", t.Name, err)
	}
	return sampled, nil
}

// text is a value's bytes: TEXT and BLOB as stored, integers in decimal
// (phone numbers kept as numbers); NULL and reals are nil.
func text(v any) []byte {
	switch x := v.(type) {
	case string:
		return []byte(x)
	case []byte:
		return x
	case int64:
		return strconv.AppendInt(nil, x, 10)
	}
	return nil
}

// OpenSQLiteBytes opens a SQLite database held in memory (a database met
// inside an archive or an e-mail), read only, as name. It is deserialized
// into one in-memory connection (sqlite3_deserialize) rather than written to
// a temporary file: a scan never puts personal data on disk. SQLite holds
// its own copy of data, so the caller should count twice its size.
func OpenSQLiteBytes(ctx context.Context, name string, data []byte) (Database, error) {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// One connection, kept: another would open an empty database.
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	err = conn.Raw(func(dc any) error {
		d, ok := dc.(interface{ Deserialize([]byte) error })
		if !ok {
			return fmt.Errorf("driver cannot open a database from memory")
		}
		return d.Deserialize(data)
	})
	if err == nil {
		_, err = conn.ExecContext(ctx, "PRAGMA query_only = 1")
	}
	conn.Close()
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	return &lite{name: name, db: db}, nil
}
