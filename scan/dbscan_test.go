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
)

// tableOf returns the summary of a table among results.
func tableOf(rs []*FileResult, name string) *TableSummary {
	for _, r := range rs {
		if r.Table != nil && r.Table.Table == name && !r.More {
			return r.Table
		}
	}
	return nil
}

func column(t *TableSummary, name string) *ColumnSummary {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i]
		}
	}
	return nil
}

func runDB(t *testing.T, target string, opt Options) ([]*FileResult, *Summary) {
	t.Helper()
	opt.Values = true
	var rs []*FileResult
	sum, err := Run(context.Background(), []string{target}, opt, func(r *FileResult) error {
		rs = append(rs, r)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs, sum
}

func TestScanSQLite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "crm.backup") // no .db: the header decides
	d, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`CREATE TABLE "客户 表" (id INTEGER PRIMARY KEY, "姓名" TEXT, "手机" TEXT, "身份证号" TEXT, note TEXT, photo BLOB, profile JSON, born DATE)`,
		`CREATE TABLE "order" ("select" TEXT, "we""ird" TEXT)`,
		`CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID`,
		`CREATE TABLE big (id INTEGER PRIMARY KEY, phone TEXT)`,
		`CREATE VIEW v AS SELECT * FROM kv`,
	} {
		if _, err := d.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	ins := func(q string, args ...any) {
		t.Helper()
		if _, err := d.Exec(q, args...); err != nil {
			t.Fatal(err)
		}
	}
	ins(`INSERT INTO "客户 表" VALUES (7, '欧阳娜娜', ?, ?, NULL, ?, ?, '2000-01-01')`, vMobile, vID, []byte("备用手机 "+vMob2), `{"contact":{"email":"`+vEmail+`"}}`)
	ins(`INSERT INTO "客户 表" VALUES (8, NULL, NULL, NULL, NULL, ?, NULL, NULL)`, []byte{0x89, 'P', 'N', 'G', 0, 0, 1})
	ins(`INSERT INTO "order" VALUES (?, ?)`, "call "+vMobile, "card "+vCard)
	ins(`INSERT INTO kv VALUES (?, 'x')`, vMob2)
	tx, _ := d.Begin()
	for i := range 2000 {
		tx.Exec(`INSERT INTO big (phone) VALUES (?)`, fmt.Sprintf("1391234%04d", i))
	}
	tx.Commit()
	d.Close()
	before, _ := os.ReadFile(path)

	rs, sum := runDB(t, path, Options{})
	expect(t, rs,
		want{path + "/客户 表/手机[id=7]", pii.Mobile, vMobile},
		want{path + "/客户 表/身份证号[id=7]", pii.ResidentID, vID},
		want{path + "/客户 表/photo[id=7]", pii.Mobile, vMob2},
		want{path + "/order/select[rowid=1]", pii.Mobile, vMobile},
		want{path + "/order/we\"ird[rowid=1]", pii.BankCard, vCard},
	)
	var json Finding
	for _, r := range rs {
		for _, f := range r.Findings {
			if f.Type == pii.Email {
				json = f
			}
		}
	}
	if json.Column != "profile" || json.Key != "$.contact.email" {
		t.Errorf("JSON column finding at %s key %s", json.Where(), json.Key)
	}
	ct := tableOf(rs, "客户 表")
	if ct == nil || ct.Rows != 2 || strings.Join(ct.Key, ",") != "id" {
		t.Fatalf("table summary %+v", ct)
	}
	if c := column(ct, "photo"); c.Binary != 1 || c.Values != 1 {
		t.Errorf("blob column: %+v", c)
	}
	if c := column(ct, "手机"); c.ByType[pii.Mobile] != 1 || c.Values != 1 {
		t.Errorf("phone column: %+v", c)
	}
	if c := column(ct, "id"); c.Skipped == "" {
		t.Errorf("integer key column read")
	}
	// A WITHOUT ROWID table is named by its key, masked when it is PI.
	if kv := tableOf(rs, "kv"); kv == nil || strings.Join(kv.Key, ",") != "k" {
		t.Errorf("kv key %+v", kv)
	}
	if r := result(rs, path+"/v"); r == nil || !strings.HasPrefix(r.Skipped, "view") {
		t.Errorf("view: %+v", r)
	}
	if sum.Failed != 0 || len(sum.Tables) != 4 {
		t.Errorf("summary: %d failed, %d tables", sum.Failed, len(sum.Tables))
	}
	after, _ := os.ReadFile(path)
	if string(before) != string(after) {
		t.Errorf("the database file changed")
	}

	// --sample, --table, --column
	rs, _ = runDB(t, path, Options{Sample: 100, Tables: []string{"big", "kv"}, Columns: []string{"phone"}})
	big := tableOf(rs, "big")
	if big == nil || !big.Sampled || big.Rows != 100 || big.Estimated != 2000 {
		t.Fatalf("sampled table %+v", big)
	}
	if c := column(big, "phone"); c.ByType[pii.Mobile] != 100 {
		t.Errorf("sample findings %v", c.ByType)
	}
	if tableOf(rs, "客户 表") != nil {
		t.Errorf("--table ignored")
	}
	if kv := tableOf(rs, "kv"); kv == nil || column(kv, "v").Skipped == "" {
		t.Errorf("--column ignored")
	}
	// Without Values the key that is a phone number is masked.
	var out strings.Builder
	w, _ := NewWriter("text", &out, nil, "")
	s, _ := Run(context.Background(), []string{path}, Options{}, w.File)
	w.Close(s)
	if strings.Contains(out.String(), vMob2) || strings.Contains(out.String(), vMobile) {
		t.Errorf("raw value in the database report")
	}
	for _, want := range []string{"database tables", "客户 表: 2 rows", "手机", "cn_mobile 1", "not read: primary key"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

func TestScanPostgres(t *testing.T) {
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
	schema := fmt.Sprintf("scan_test_%d", os.Getpid())
	if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+schema+" CASCADE; CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Exec(context.Background(), "DROP SCHEMA "+schema+" CASCADE") })
	q := func(sql string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(ctx, strings.ReplaceAll(sql, "S.", schema+"."), args...); err != nil {
			t.Fatal(err)
		}
	}
	q(`CREATE TABLE S."客户" (id bigint PRIMARY KEY, "姓名" text, "手机" varchar(20), "身份证号" char(18), mobile_no bigint,
		profile jsonb, doc bytea, born date, tags text[])`)
	q(`CREATE TABLE S."user" ("select" text, "we""ird" text)`) // no primary key: rows are named by ctid
	q(`CREATE TABLE S.big (id serial PRIMARY KEY, phone text)`)
	q(`CREATE VIEW S.v AS SELECT * FROM S.big`)
	q(`INSERT INTO S."客户" VALUES (7, '欧阳娜娜', $1, $2, 13987654321, $3, $4, '2000-01-01', ARRAY['card `+vCard+`'])`,
		vMobile, vID, `{"contact": {"email": "`+vEmail+`"}}`, []byte("手机 "+vMob2))
	q(`INSERT INTO S."客户" (id) VALUES (8)`)
	q(`INSERT INTO S."user" VALUES ($1, NULL)`, "call "+vMobile)
	q(`INSERT INTO S.big (phone) SELECT '1391234' || lpad(g::text, 4, '0') FROM generate_series(1, 5000) g`)
	q(`ANALYZE S.big`)

	tables := []string{schema + ".客户", schema + ".user", schema + ".big", schema + ".v"}
	rs, sum := runDB(t, dsn, Options{Tables: tables, Workers: 3})
	db := strings.Split(dsn, "?")[0]
	if sum.Failed != 0 {
		for _, r := range rs {
			if r.Err != nil {
				t.Errorf("%s: %v", r.Name(), r.Err)
			}
		}
	}
	name := rs[0].Path
	if strings.Contains(name, ":@") || !strings.HasPrefix(db, "postgres") {
		t.Errorf("database shown as %s", name)
	}
	expect(t, rs,
		want{name + "/" + schema + ".客户/手机[id=7]", pii.Mobile, vMobile},
		want{name + "/" + schema + ".客户/身份证号[id=7]", pii.ResidentID, vID},
		want{name + "/" + schema + ".客户/mobile_no[id=7]", pii.Mobile, vMob2},
		want{name + "/" + schema + ".客户/doc[id=7]", pii.Mobile, vMob2},
		want{name + "/" + schema + ".客户/tags[id=7]", pii.BankCard, vCard},
		want{name + "/" + schema + ".user/select[ctid=(0,1)]", pii.Mobile, vMobile},
	)
	ct := tableOf(rs, schema+".客户")
	if ct == nil || ct.Rows != 2 || column(ct, "born").Skipped == "" || column(ct, "profile").ByType[pii.Email] != 1 {
		t.Fatalf("table summary %+v", ct)
	}
	if r := result(rs, name+"/"+schema+".v"); r == nil || !strings.HasPrefix(r.Skipped, "view") {
		t.Errorf("view: %+v", r)
	}
	rs, _ = runDB(t, dsn, Options{Tables: []string{schema + ".big"}, Sample: 500})
	big := tableOf(rs, schema+".big")
	if big == nil || !big.Sampled || big.Rows == 0 || big.Rows > 500 || column(big, "phone").ByType[pii.Mobile] != int(big.Rows) {
		t.Fatalf("sample %+v", big)
	}
	// The scan is read only: a session default and read-only transactions.
	var n int
	conn.QueryRow(ctx, "SELECT count(*) FROM "+schema+".big").Scan(&n)
	if n != 5000 {
		t.Errorf("rows changed: %d", n)
	}
}
