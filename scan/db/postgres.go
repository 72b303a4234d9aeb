package db

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// pg is a PostgreSQL database. Every table is read in its own read-only
// REPEATABLE READ transaction that imports the snapshot exported when the
// database was opened, so that all tables are read as of one moment even
// though several workers read them at once.
type pg struct {
	name     string
	pool     *pgxpool.Pool
	holder   pgx.Tx // keeps the exported snapshot alive
	snapshot string
}

// OpenPostgres connects to dsn with at most conns connections.
func OpenPostgres(ctx context.Context, dsn string, conns int) (Database, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres: bad URL")
	}
	cfg.MaxConns = int32(max(conns, 1) + 1)
	// A scan never writes: the session default makes sure of it.
	cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	cfg.ConnConfig.RuntimeParams["application_name"] = "scruple scan"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	d := &pg{name: Redacted(dsn), pool: pool}
	tx, err := pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if err := tx.QueryRow(ctx, "SELECT pg_export_snapshot()").Scan(&d.snapshot); err != nil {
		// Standbys cannot export snapshots: tables are then read each as
		// of its own moment.
		tx.Rollback(ctx)
		d.snapshot = ""
	} else {
		d.holder = tx
	}
	return d, nil
}

func (d *pg) Name() string { return d.name }
func (d *pg) Kind() string { return "postgres" }

func (d *pg) Close() error {
	if d.holder != nil {
		d.holder.Rollback(context.Background())
	}
	d.pool.Close()
	return nil
}

// textCategories are pg_type.typcategory values read as text: strings
// (text, varchar, char, citext, name, domains over them), arrays,
// composites and user-defined types (hstore), all through their text form.
var textCategories = map[string]bool{"S": true, "A": true, "C": true, "U": true}

func (d *pg) Tables(ctx context.Context) ([]*Table, error) {
	rows, err := d.pool.Query(ctx, `
		SELECT c.oid, n.nspname, c.relname, c.relkind::text, c.reltuples::bigint, c.relispartition
		FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relkind IN ('r', 'm', 'p', 'f', 'v')
		  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
		  AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
		ORDER BY n.nspname, c.relname`)
	if err != nil {
		return nil, fmt.Errorf("postgres: listing tables: %w", err)
	}
	type rel struct {
		oid        uint32
		t          *Table
		kind       string
		estimated  int64
		partitions bool
	}
	var rels []rel
	for rows.Next() {
		var r rel
		var schema, name string
		var part bool
		if err := rows.Scan(&r.oid, &schema, &name, &r.kind, &r.estimated, &part); err != nil {
			rows.Close()
			return nil, err
		}
		r.t = &Table{Name: schema + "." + name, schema: schema, rel: name, Estimated: r.estimated}
		switch r.kind {
		case "v":
			r.t.Skipped = "view (the tables it reads are scanned)"
		case "p":
			r.t.Skipped = "partitioned table (its partitions are scanned)"
		case "f":
			r.t.Skipped = "foreign table (scan the server that holds it)"
		}
		rels = append(rels, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []*Table
	for _, r := range rels {
		if r.t.Skipped == "" {
			if err := d.describe(ctx, r.oid, r.t); err != nil {
				return nil, err
			}
		}
		out = append(out, r.t)
	}
	return out, nil
}

func (d *pg) describe(ctx context.Context, oid uint32, t *Table) error {
	rows, err := d.pool.Query(ctx, `
		SELECT a.attname, format_type(a.atttypid, a.atttypmod), t.typname, t.typcategory::text,
		       COALESCE(bt.typname, ''), COALESCE((SELECT k.n FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(att, n) WHERE k.att = a.attnum), 0)::int
		FROM pg_attribute a
		JOIN pg_type t ON t.oid = a.atttypid
		LEFT JOIN pg_type bt ON bt.oid = t.typbasetype
		LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
		WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
		ORDER BY a.attnum`, oid)
	if err != nil {
		return fmt.Errorf("postgres: columns of %s: %w", t.Name, err)
	}
	defer rows.Close()
	keyPos := map[int]string{}
	for rows.Next() {
		var name, typ, typname, cat, base string
		var pk int
		if err := rows.Scan(&name, &typ, &typname, &cat, &base, &pk); err != nil {
			return err
		}
		if base != "" {
			typname = base
		}
		c := Column{Name: name, Type: typ}
		switch {
		case typname == "json" || typname == "jsonb":
			c.JSON = true
		case typname == "bytea":
			c.Binary = true
		case typname == "xml" || typname == "inet" || typname == "cidr" || textCategories[cat]:
		case (typname == "int8" || typname == "numeric") && pk == 0 && !idLike(name):
			// Phone and card numbers are often kept as numbers.
		default:
			c.Skipped = "not text-like: " + typ
		}
		if pk > 0 {
			keyPos[pk] = name
			if c.Skipped == "" && !strings.HasPrefix(typ, "character") && typ != "text" {
				c.Skipped = "primary key: " + typ
			}
		}
		t.Columns = append(t.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for i := 1; i <= len(keyPos); i++ {
		t.Key = append(t.Key, keyPos[i])
		t.keyExpr = append(t.keyExpr, pgx.Identifier{keyPos[i]}.Sanitize()+"::text")
	}
	if len(t.Key) == 0 {
		t.Key, t.keyExpr = []string{"ctid"}, []string{"ctid::text"}
	}
	return nil
}

// idLike tells a surrogate key kept as a number (id, user_id, order_no):
// such numbers are not personal however they look.
func idLike(name string) bool {
	n := strings.ToLower(name)
	return n == "id" || strings.HasSuffix(n, "_id") || strings.HasSuffix(n, "id") && len(n) > 2 && n[len(n)-3] >= 'a' && n[len(n)-3] <= 'z'
}

func (d *pg) Rows(ctx context.Context, t *Table, sample int64, fn RowFunc) (bool, error) {
	cols := t.Read()
	exprs := append([]string(nil), t.keyExpr...)
	for _, c := range cols {
		e := pgx.Identifier{c.Name}.Sanitize()
		switch {
		case c.Binary && t.MaxValue > 0:
			e = fmt.Sprintf("substring(%s from 1 for %d)", e, t.MaxValue)
		case c.Binary:
		case t.MaxValue > 0:
			e = fmt.Sprintf("left(%s::text, %d)", e, t.MaxValue)
		default:
			e += "::text"
		}
		exprs = append(exprs, e)
	}
	q := "SELECT " + strings.Join(exprs, ", ") + " FROM ONLY " + pgx.Identifier{t.schema, t.rel}.Sanitize()
	sampled := false
	if sample > 0 && t.Estimated > sample {
		// BERNOULLI reads every page but keeps rows at random, so the
		// sample spreads over the table; REPEATABLE makes it the same
		// sample in every run. A margin makes up for a stale estimate.
		pct := min(100, 150*float64(sample)/float64(t.Estimated))
		q += fmt.Sprintf(" TABLESAMPLE BERNOULLI (%g) REPEATABLE (0)", pct)
		sampled = true
	}
	if sample > 0 {
		q += fmt.Sprintf(" LIMIT %d", sample)
		sampled = sampled || t.Estimated < 0
	}
	tx, err := d.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return false, fmt.Errorf("postgres: %w", err)
	}
	defer tx.Rollback(context.Background())
	if d.snapshot != "" {
		if _, err := tx.Exec(ctx, "SET TRANSACTION SNAPSHOT '"+d.snapshot+"'"); err != nil {
			return false, fmt.Errorf("postgres: importing snapshot: %w", err)
		}
	}
	// The text protocol gives every value as its text form (bytea as its
	// hex form), so ask for binary results: text types arrive as UTF-8
	// and bytea as its bytes.
	rows, err := tx.Query(ctx, q, pgx.QueryResultFormats{pgx.BinaryFormatCode})
	if err != nil {
		return false, fmt.Errorf("postgres: reading %s: %w", t.Name, err)
	}
	defer rows.Close()
	nk := len(t.keyExpr)
	key := make([]string, nk)
	for rows.Next() {
		raw := rows.RawValues()
		for i := range nk {
			key[i] = string(raw[i])
		}
		if err := fn(key, raw[nk:]); err != nil {
			return sampled, err
		}
	}
	if err := rows.Err(); err != nil {
		return sampled, fmt.Errorf("postgres: reading %s: %w", t.Name, err)
	}
	return sampled, nil
}
