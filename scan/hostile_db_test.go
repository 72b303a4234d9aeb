package scan

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scruple/scruple/pii"
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
