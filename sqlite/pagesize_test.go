package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/scruple/scruple"
)

func pageSize(t *testing.T, db *sql.DB) int {
	t.Helper()
	var n int
	if err := db.QueryRow("PRAGMA page_size").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestPageSize: a new store uses 16 KiB pages; a store created with 4 KiB
// pages (before the change) keeps them and still works.
func TestPageSize(t *testing.T) {
	s := openTemp(t)
	if n := pageSize(t, s.db); n != 16384 {
		t.Errorf("new store: page_size %d, want 16384", n)
	}

	dir := t.TempDir()
	old, err := sql.Open("sqlite", "file:"+filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"PRAGMA page_size = 4096", "PRAGMA journal_mode = WAL", "CREATE TABLE t (x)"} {
		if _, err := old.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	old.Close()
	s2, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if n := pageSize(t, s2.db); n != 4096 {
		t.Errorf("existing store: page_size %d, want 4096 (kept)", n)
	}
	ctx := context.Background()
	if _, err := s2.Enqueue(ctx, []scruple.URLItem{item("http://a.test/", "a.test:80")}); err != nil {
		t.Fatal(err)
	}
}
