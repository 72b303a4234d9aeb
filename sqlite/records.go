package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/shred"
)

// Commit implements scruple.RecordStore: one transaction for the whole batch,
// so the record, the URL's done state and the URLs it discovered are durable
// together.
func (s *Store) Commit(ctx context.Context, outcomes []scruple.Outcome) error {
	if len(outcomes) == 0 {
		return nil
	}
	// Seal kept values before the transaction (the keyring reads data_keys).
	var sealed map[int][]byte
	for i := range outcomes {
		data, err := s.sealed(ctx, outcomes[i].Record)
		if err != nil {
			return fmt.Errorf("record %d: %w", outcomes[i].Item.ID, err)
		}
		if data != nil {
			if sealed == nil {
				sealed = map[int][]byte{}
			}
			sealed[i] = data
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	dup, err := s.txStmt(ctx, tx, dupSQL)
	if err != nil {
		return err
	}
	ins, err := s.txStmt(ctx, tx, insertRecordSQL)
	if err != nil {
		return err
	}
	done, err := s.txStmt(ctx, tx, doneSQL)
	if err != nil {
		return err
	}
	retry, err := s.txStmt(ctx, tx, retrySQL)
	if err != nil {
		return err
	}
	subj, err := s.txStmt(ctx, tx, subjectSQL)
	if err != nil {
		return err
	}

	var links []scruple.URLItem
	var entries [][]byte
	ids := make([]int64, 0, len(outcomes))
	for i := range outcomes {
		o := &outcomes[i]
		ids = append(ids, o.Item.ID)
		switch {
		case o.Record != nil:
			line := o.Line
			if data, ok := sealed[i]; ok {
				line = data // the stored form: never the values in clear
			}
			inserted, err := insertRecord(ctx, dup, ins, o.Record, line)
			if err != nil {
				return fmt.Errorf("record %d: %w", o.Item.ID, err)
			}
			// One UPDATE per URL, not one for the batch (UPDATE ... WHERE id
			// IN (a JSON array)): that statement rewrote so many pages that
			// its statement journal spilled to a temporary file, which every
			// later statement of the transaction then wrote to (pwrite): the
			// commit's CPU went up by a third (BENCHMARKS.md).
			if _, err := done.ExecContext(ctx, o.Item.ID); err != nil {
				return err
			}
			if !inserted {
				// Already recorded (a URL is recorded exactly once): no
				// second log entry either.
				links = append(links, o.Links...)
				continue
			}
			if err := indexSubjects(ctx, subj, o.Record); err != nil {
				return err
			}
		case o.Retry:
			if _, err := retry.ExecContext(ctx, o.Item.Attempts, millis(o.Item.NotBefore), o.Item.ID); err != nil {
				return err
			}
		default:
			return scruple.Errorf(scruple.EINVALID, "outcome for frontier id %d has neither a record nor a retry", o.Item.ID)
		}
		links = append(links, o.Links...)
		entry := o.Entry
		if o.Seal != nil && o.Record != nil {
			if entry, err = o.Seal(o.Record); err != nil {
				return fmt.Errorf("seal record %d: %w", o.Item.ID, err)
			}
		}
		if entry != nil {
			entries = append(entries, entry)
		}
	}
	if _, err := s.enqueueTx(ctx, tx, links); err != nil {
		return err
	}
	if _, err := s.appendLog(ctx, tx, entries); err != nil {
		return err
	}
	// The leases end with the commit, before the connection is free for
	// anyone else (see Counts).
	s.leases.mu.Lock()
	defer s.leases.mu.Unlock()
	if err := tx.Commit(); err != nil {
		return err
	}
	s.leases.settle(ids)
	s.ckpt.wrote()
	return nil
}

func indexSubjects(ctx context.Context, st *sql.Stmt, r *scruple.Record) error {
	for _, f := range r.Findings {
		if f.Subject == "" {
			continue
		}
		if _, err := st.ExecContext(ctx, f.Subject, r.URL); err != nil {
			return err
		}
	}
	return nil
}

// insertRecord stores r; line is r's canonical encoding when the caller
// prepared it (Outcome.Line), used unless r turns out to be a duplicate.
func insertRecord(ctx context.Context, dup, ins *sql.Stmt, r *scruple.Record, line []byte) (bool, error) {
	if err := r.Validate(); err != nil {
		return false, err
	}
	// Only a digest the store may hold in clear is looked up (as in the
	// PostgreSQL store, where a query parameter can reach the server's
	// statement log): a page keeping a consented value is a page of its own.
	if d := shred.IndexDigest(r); r.Kind == scruple.KindPage && d != "" {
		var first string
		err := dup.QueryRowContext(ctx, d).Scan(&first)
		switch {
		case err == nil && first != r.URL:
			r.Kind = scruple.KindDuplicate
			r.DuplicateOf = first
			// A duplicate keeps no content: not its text, not its title
			// (a consented value there would outlive a withdrawal, since a
			// purge finds records by findings, which are dropped here).
			r.Text, r.Title, r.Findings, r.Salt = "", "", nil, ""
			line = nil
		case err != nil && err != sql.ErrNoRows:
			return false, err
		}
	}
	data := line
	if data == nil {
		var err error
		if data, err = json.Marshal(r); err != nil {
			return false, err
		}
	}
	var id, version int64
	err := ins.QueryRowContext(ctx, r.URL, string(r.Kind), shred.IndexDigest(r), data).Scan(&id, &version)
	if err == sql.ErrNoRows {
		return false, nil
	}
	r.ID, r.Version = id, version
	return err == nil, err
}

// Records implements scruple.RecordStore.
func (s *Store) Records(ctx context.Context, fn func(*scruple.Record) error) error {
	var last int64
	// Page through by id so that fn may take its time without holding a
	// read transaction open across the whole store.
	for {
		rows, err := s.db.QueryContext(ctx, `SELECT id, version, data FROM records WHERE id > ? ORDER BY id LIMIT 1000`, last)
		if err != nil {
			return err
		}
		var batch []*scruple.Record
		for rows.Next() {
			var id, version int64
			var data []byte
			if err := rows.Scan(&id, &version, &data); err != nil {
				rows.Close()
				return err
			}
			r := new(scruple.Record)
			if err := json.Unmarshal(data, r); err != nil {
				rows.Close()
				return fmt.Errorf("record %d: %w", id, err)
			}
			r.ID, r.Version = id, version
			last = id
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if err := s.open(ctx, batch); err != nil {
			return err
		}
		for _, r := range batch {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(batch) < 1000 {
			return nil
		}
	}
}

// RecordCounts implements scruple.RecordStore.
func (s *Store) RecordCounts(ctx context.Context) (map[scruple.Kind]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT kind, COUNT(*) FROM records GROUP BY kind`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[scruple.Kind]int64{}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		out[scruple.Kind(k)] = n
	}
	return out, rows.Err()
}
