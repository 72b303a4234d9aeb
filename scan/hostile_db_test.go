package scan

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/scruple/scruple/internal/testenv"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/scruple/scruple/pii"
	"github.com/scruple/scruple/scan/scantest"
)

// TestHostileSQLite: identifiers that break quoting or a terminal, a key
// that is itself a value, and a generated column that would compute 100 MB
// a row if read (its inputs are read anyway).
func TestHostileSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hostile.db")
	d, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	table := "t\"; DROP TABLE kept; --\x1b[31m"
	col := "手机\n\"x\x07"
	for _, q := range []string{
		`CREATE TABLE kept (a TEXT)`,
		`CREATE TABLE "` + strings.ReplaceAll(table, `"`, `""`) + `" (phone TEXT PRIMARY KEY, "` + strings.ReplaceAll(col, `"`, `""`) + `" TEXT,
			g TEXT GENERATED ALWAYS AS (printf('%.*c', 100000000, 'x')) VIRTUAL)`,
	} {
		if _, err := d.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := d.Exec(`INSERT INTO "`+strings.ReplaceAll(table, `"`, `""`)+`" (phone, "`+strings.ReplaceAll(col, `"`, `""`)+`") VALUES (?, ?)`, vMobile, "手机 "+vMob2); err != nil {
		t.Fatal(err)
	}
	d.Close()
	rs, sum := runDB(t, path, Options{})
	if !found(rs, pii.Mobile, vMob2) {
		t.Errorf("value under a hostile column name not found")
	}
	for _, ts := range sum.Tables {
		for _, c := range ts.Columns {
			if c.Name == "g" && c.Skipped == "" {
				t.Errorf("generated column read: %d values", c.Values)
			}
		}
	}
	if tableOf(rs, "kept") == nil {
		t.Errorf("the table named in the injection is gone or not scanned")
	}
	out, _ := render(t, "text", []string{path}, Options{})
	for _, bad := range []string{"\x1b", "\x07", vMobile} {
		if strings.Contains(out, bad) {
			t.Errorf("text output holds %q", bad)
		}
	}
	if sum.Failed != 0 {
		t.Errorf("%d failed", sum.Failed)
	}
}

// TestHostileHugeValue: one value of 64 MiB is read up to MaxRecord and
// counted as cut, not held whole (with its copies) in memory.
func TestHostileHugeValue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.db")
	d, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	d.Exec(`CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)`)
	if _, err := d.Exec(`INSERT INTO notes (body) VALUES (?)`, "手机 "+vMobile+" "+strings.Repeat("a", 64<<20)); err != nil {
		t.Fatal(err)
	}
	d.Close()
	var rs []*FileResult
	peak := scantest.PeakHeap(func() { rs, _ = runDB(t, path, Options{Limits: Limits{MaxRecord: 1 << 20}}) })
	t.Logf("peak heap %d MiB", peak>>20)
	if peak > 32<<20 {
		t.Errorf("peak heap %d MiB for one 64 MiB value with MaxRecord 1 MiB", peak>>20)
	}
	if !found(rs, pii.Mobile, vMobile) {
		t.Errorf("value at the start of a long text not found")
	}
	if ts := tableOf(rs, "notes"); ts == nil || column(ts, "body").Truncated != 1 {
		t.Errorf("the cut value is not counted: %+v", ts)
	}
}

// TestHostilePostgres: the same attacks on PostgreSQL: a table and column
// whose names break quoting and terminals, a key that is a value, a text
// value and a bytea value of 16 MiB read up to MaxRecord.
func TestHostilePostgres(t *testing.T) {
	dsn := os.Getenv("SCRUPLE_TEST_POSTGRES")
	if dsn == "" {
		testenv.Missing(t, "postgres", "set SCRUPLE_TEST_POSTGRES to a PostgreSQL URL")
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	schema := fmt.Sprintf("scan_hostile_%d", os.Getpid())
	table := "t\"; DROP SCHEMA " + schema + "; --\x1b[31m"
	col := "手机\n\"x\x07"
	id := pgx.Identifier{schema, table}.Sanitize()
	for _, q := range []string{
		"DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema,
		"CREATE TABLE " + id + " (phone text PRIMARY KEY, " + pgx.Identifier{col}.Sanitize() + " text, body text, doc bytea)",
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	long := "手机 " + vMob2 + " " + strings.Repeat("a", 16<<20)
	if _, err := conn.Exec(ctx, "INSERT INTO "+id+" VALUES ($1, $2, $3, $4)", vMobile, "手机 "+vMob2, long, []byte(long)); err != nil {
		t.Fatal(err)
	}
	opt := Options{Tables: []string{schema + "." + table}, Limits: Limits{MaxRecord: 1 << 20}}
	var rs []*FileResult
	peak := scantest.PeakHeap(func() { rs, _ = runDB(t, dsn, opt) })
	t.Logf("peak heap %d MiB", peak>>20)
	if peak > 32<<20 {
		t.Errorf("peak heap %d MiB for two 16 MiB values with MaxRecord 1 MiB", peak>>20)
	}
	ts := tableOf(rs, schema+"."+table)
	if ts == nil {
		t.Fatal("hostile table not scanned")
	}
	if c := column(ts, col); c == nil || c.ByType[pii.Mobile] != 1 {
		t.Errorf("value under a hostile column name: %+v", c)
	}
	if c := column(ts, "body"); c == nil || c.Truncated != 1 || c.ByType[pii.Mobile] != 1 {
		t.Errorf("long text: %+v", c)
	}
	if c := column(ts, "doc"); c == nil || c.Truncated != 1 || c.ByType[pii.Mobile] != 1 {
		t.Errorf("long bytea: %+v", c)
	}
	opt.Values = false
	out, _ := render(t, "text", []string{dsn}, opt)
	for _, bad := range []string{"\x1b", "\x07", vMobile} {
		if strings.Contains(out, bad) {
			t.Errorf("text output holds %q", bad)
		}
	}
}

// TestSQLiteInArchive: a SQLite database inside a zip or attached to an
// e-mail is scanned from memory (no temporary copy on disk), within
// MaxPart, its findings placed at the member and the table.
func TestSQLiteInArchive(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crm.db")
	d, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	d.Exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, phone TEXT)`)
	d.Exec(`INSERT INTO users (phone) VALUES (?)`, vMobile)
	d.Close()
	db, _ := os.ReadFile(path)
	eml := scantest.Mail(t, "张三", "a@example.com", "b@example.com", "backup", "see attached", "<p>x</p>",
		scantest.Member{Name: "crm.db", Data: db})
	rs, sum := scanFiles(t, Options{}, map[string][]byte{
		"backup.zip": scantest.Zip(t, scantest.Member{Name: "data/crm.db", Data: db}),
		"mail.eml":   eml,
	})
	expect(t, rs,
		want{"backup.zip!/data/crm.db/users/phone[id=1]", pii.Mobile, vMobile},
		want{"mail.eml!/2:crm.db/users/phone[id=1]", pii.Mobile, vMobile})
	if len(sum.Tables) != 2 || sum.Tables[0].Database != "backup.zip!/data/crm.db" && !strings.HasSuffix(sum.Tables[0].Database, "backup.zip!/data/crm.db") {
		t.Errorf("tables: %+v", sum.Tables)
	}
	if rs := scanOne(t, "big.zip", scantest.Zip(t, scantest.Member{Name: "crm.db", Data: db}), Limits{MaxPart: 4 << 10}); !failedWith(rs, ErrLimit) {
		t.Errorf("a database larger than MaxPart inside an archive read")
	}
}
