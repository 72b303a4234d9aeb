package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/scruple/scruple"
)

// holdReader opens a connection of its own on the store's file and holds a
// read transaction on it: SQLite cannot truncate a WAL that a reader's
// snapshot still needs. release ends the transaction.
func holdReader(t *testing.T, s *Store) (release func()) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+filepath.Join(s.Dir(), FileName)+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := tx.QueryRow(`SELECT count(*) FROM records`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	done := false
	release = func() {
		if !done {
			done = true
			tx.Rollback()
			db.Close()
		}
	}
	t.Cleanup(release)
	return release
}

// commitSecret stores one page whose text holds secret and returns its record.
func commitSecret(t *testing.T, s *Store, secret string) *scruple.Record {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Enqueue(ctx, []scruple.URLItem{item("http://a.test/1", "a.test:80")}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Lease(ctx, "a.test:80", 1, time.Now())
	if err != nil || len(got) != 1 {
		t.Fatalf("Lease = %d, %v", len(got), err)
	}
	r := &scruple.Record{URL: got[0].URL, FinalURL: got[0].URL, Kind: scruple.KindPage, Status: 200, Text: "call " + secret}
	if err := s.Commit(ctx, []scruple.Outcome{{Item: got[0], Record: r}}); err != nil {
		t.Fatal(err)
	}
	return r
}

func walHolds(t *testing.T, s *Store, secret string) bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.Dir(), FileName+"-wal"))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return bytes.Contains(b, []byte(secret))
}

// TestScrubReader is issue 10 item 5: a purge whose WAL truncation could not
// complete (a reader holds a snapshot that needs the WAL) must not report
// success; once the reader lets go, a retry completes it.
func TestScrubReader(t *testing.T) {
	const secret = "13912345678"
	tests := []struct {
		name      string
		releaseAt int // release the reader after this many busy attempts; 0 never
		wantErr   bool
	}{
		{"reader holds throughout", 0, true},
		{"reader lets go during the retries", 2, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTemp(t)
			s.scrub = scrubPolicy{wait: 300 * time.Millisecond, first: 5 * time.Millisecond, busyMS: 20}
			r := commitSecret(t, s, secret)
			release := holdReader(t, s)
			busy := 0
			s.scrub.onBusy = func() {
				busy++
				if busy == tt.releaseAt {
					release()
				}
			}
			r.Text = "call [cn_mobile]"
			err := s.ReplaceRecord(context.Background(), r.URL, r, nil)
			if (err != nil) != tt.wantErr {
				t.Fatalf("ReplaceRecord: err = %v, want error %v", err, tt.wantErr)
			}
			if busy == 0 {
				t.Fatalf("the checkpoint never reported the reader")
			}
			if tt.wantErr {
				if scruple.ErrorCode(err) != scruple.ECONFLICT {
					t.Errorf("error code %q, want %q", scruple.ErrorCode(err), scruple.ECONFLICT)
				}
				return
			}
			if walHolds(t, s, secret) {
				t.Errorf("the WAL still holds the purged value after a successful scrub")
			}
		})
	}
}
