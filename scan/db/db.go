// Package db reads the tables of a database for `scruple scan`, read only:
// PostgreSQL (pgx) and SQLite (modernc.org/sqlite). It lists tables and
// their columns, says which columns can hold text, and streams rows with a
// bounded memory, each row with the values that identify it.
package db

import (
	"context"
	"net/url"
	"strings"
)

// Table is one table and the columns read from it.
type Table struct {
	// Name is "schema.table" (PostgreSQL) or "table" (SQLite).
	Name string
	// Skipped says why the table is not read (a view, a foreign table ...).
	Skipped string
	// Key names the columns whose values identify a row in findings: the
	// primary key, else "rowid" (SQLite) or "ctid" (PostgreSQL).
	Key []string
	// Columns lists every column; those with Skipped set are not read.
	Columns []Column
	// Estimated is the database's estimate of the row count, -1 unknown.
	Estimated int64
	// MaxValue, when positive, is how much of each value is read: that
	// many characters of text, bytes of a BLOB/bytea. The driver holds a
	// row whole, so one 64 MiB value cost 405 MiB of heap unbounded.
	MaxValue int64

	schema, rel string
	keyExpr     []string // SQL expressions of the key, as text
	rowid       bool     // SQLite: the table has a rowid
}

// Column is one column of a table.
type Column struct {
	Name, Type string
	// Skipped says why the column is not read ("not text-like: date").
	Skipped string
	// JSON marks json/jsonb columns: their keys are context.
	JSON bool
	// Binary marks bytea/BLOB columns: their values are read only when
	// they hold text.
	Binary bool
}

// Read returns the columns that are read, in order.
func (t *Table) Read() []Column {
	var cs []Column
	for _, c := range t.Columns {
		if c.Skipped == "" {
			cs = append(cs, c)
		}
	}
	return cs
}

// RowFunc receives one row: the key values as text, and the values of the
// columns read (Table.Read order), nil for NULL. The slices are valid only
// during the call.
type RowFunc func(key []string, values [][]byte) error

// Database is an open database, read only.
type Database interface {
	// Name is the database as shown in findings (no password).
	Name() string
	// Kind is "postgres" or "sqlite".
	Kind() string
	// Tables lists the tables in name order.
	Tables(ctx context.Context) ([]*Table, error)
	// Rows streams the rows of t inside a read-only transaction; with
	// sample > 0 at most sample rows, spread over the table. It reports
	// whether the rows read are a sample.
	Rows(ctx context.Context, t *Table, sample int64, fn RowFunc) (sampled bool, err error)
	Close() error
}

// IsURL reports whether a scan argument names a PostgreSQL database.
func IsURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// Redacted returns a postgres URL for display: without its password and
// its parameters (which may carry one, or a path to a key).
func Redacted(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://(unparsable URL)"
	}
	if u.User != nil {
		u.User = url.User(u.User.Username())
	}
	u.RawQuery, u.Fragment = "", ""
	return u.String()
}

// Filter keeps the tables and columns named (nil keeps all). A table name
// matches "schema.table" or "table"; a column name matches "column" or
// "table.column".
func Filter(tables []*Table, names, columns []string) []*Table {
	var out []*Table
	for _, t := range tables {
		if len(names) > 0 && !matchTable(t, names) {
			continue
		}
		if len(columns) > 0 {
			for i := range t.Columns {
				c := &t.Columns[i]
				if c.Skipped == "" && !matchColumn(t, c.Name, columns) {
					c.Skipped = "not selected (--column)"
				}
			}
		}
		out = append(out, t)
	}
	return out
}

func matchTable(t *Table, names []string) bool {
	for _, n := range names {
		if n == t.Name || n == t.rel {
			return true
		}
	}
	return false
}

func matchColumn(t *Table, col string, names []string) bool {
	for _, n := range names {
		if n == col || n == t.Name+"."+col || n == t.rel+"."+col {
			return true
		}
	}
	return false
}
