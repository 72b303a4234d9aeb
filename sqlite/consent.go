package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/shred"
)

// PutConsent implements scruple.ConsentStore.
func (s *Store) PutConsent(ctx context.Context, c *scruple.Consent) error {
	return s.PutConsentsLogged(ctx, []*scruple.Consent{c}, nil)
}

// PutConsents implements scruple.ConsentStore: an import is all or nothing.
func (s *Store) PutConsents(ctx context.Context, cs []*scruple.Consent) error {
	return s.PutConsentsLogged(ctx, cs, nil)
}

// PutConsentsLogged implements scruple.ConsentStore. The transaction begins
// IMMEDIATE (the DSN's _txlock), so it holds SQLite's write lock from its
// first read: two processes writing consents (consent commands take no
// data-directory lock) run one after the other, and the finality check
// reads what the other committed.
func (s *Store) PutConsentsLogged(ctx context.Context, cs []*scruple.Consent, entries [][]byte) error {
	data := make([][]byte, len(cs))
	for i, c := range cs {
		if c == nil || c.ID == "" || c.Subject == "" {
			return scruple.Errorf(scruple.EINVALID, "consent needs an id and a subject")
		}
		var err error
		if data[i], err = json.Marshal(c); err != nil {
			return err
		}
	}
	if len(cs) == 0 && len(entries) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for i, c := range cs {
		old, err := txConsent(ctx, tx, c.ID)
		if err != nil {
			return err
		}
		refusals, err := txRefusals(ctx, tx, c.Subject)
		if err != nil {
			return err
		}
		if err := scruple.CheckConsentWrite(c, old, refusals); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO consents(id, seq, subject, data)
			VALUES (?, (SELECT COALESCE(MAX(seq) + 1, 0) FROM consents), ?, ?)
			ON CONFLICT(id) DO UPDATE SET subject = excluded.subject, data = excluded.data`, c.ID, c.Subject, data[i]); err != nil {
			return err
		}
	}
	if len(entries) > 0 {
		if _, err := s.appendLog(ctx, tx, entries); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// txConsent reads one consent inside tx; nil when there is none.
func txConsent(ctx context.Context, tx *sql.Tx, id string) (*scruple.Consent, error) {
	var data []byte
	err := tx.QueryRowContext(ctx, `SELECT data FROM consents WHERE id = ?`, id).Scan(&data)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	c := new(scruple.Consent)
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("consent %s: %w", id, err)
	}
	return c, nil
}

// txRefusals reads the refusals of a subject inside tx.
func txRefusals(ctx context.Context, tx *sql.Tx, subject string) ([]*scruple.Consent, error) {
	rows, err := tx.QueryContext(ctx, `SELECT data FROM consents WHERE subject = ?`, subject)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*scruple.Consent
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return nil, err
		}
		c := new(scruple.Consent)
		if err := json.Unmarshal(data, c); err != nil {
			return nil, err
		}
		if c.Refused || c.WithdrawnAt != nil {
			out = append(out, c)
		}
	}
	return out, rows.Err()
}

// Consent implements scruple.ConsentStore.
func (s *Store) Consent(ctx context.Context, id string) (*scruple.Consent, error) {
	var data []byte
	err := s.db.QueryRowContext(ctx, `SELECT data FROM consents WHERE id = ?`, id).Scan(&data)
	if err == sql.ErrNoRows {
		return nil, scruple.Errorf(scruple.ENOTFOUND, "no consent %q", id)
	}
	if err != nil {
		return nil, err
	}
	c := new(scruple.Consent)
	if err := json.Unmarshal(data, c); err != nil {
		return nil, fmt.Errorf("consent %s: %w", id, err)
	}
	return c, nil
}

// Consents implements scruple.ConsentStore.
func (s *Store) Consents(ctx context.Context, fn func(*scruple.Consent) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT data FROM consents ORDER BY seq`)
	if err != nil {
		return err
	}
	var all []*scruple.Consent
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			rows.Close()
			return err
		}
		c := new(scruple.Consent)
		if err := json.Unmarshal(data, c); err != nil {
			rows.Close()
			return err
		}
		all = append(all, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range all {
		if err := fn(c); err != nil {
			return err
		}
	}
	return nil
}

// RecordsWithSubject implements scruple.RecordUpdater.
func (s *Store) RecordsWithSubject(ctx context.Context, subject string, fn func(*scruple.Record) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.version, r.data FROM record_subjects rs JOIN records r ON r.url = rs.url
		WHERE rs.subject = ? ORDER BY r.id`, subject)
	if err != nil {
		return err
	}
	var recs []*scruple.Record
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
			return err
		}
		r.ID, r.Version = id, version
		recs = append(recs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := s.open(ctx, recs); err != nil {
		return err
	}
	for _, r := range recs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceRecord implements scruple.RecordUpdater. The WAL is checkpointed and
// truncated afterwards (with secure_delete on), so the old content is gone
// from every file of the store when it returns.
func (s *Store) ReplaceRecord(ctx context.Context, url string, r *scruple.Record, entry []byte) error {
	stored, err := s.sealed(ctx, r)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM record_subjects WHERE url = ?`, url); err != nil {
		return err
	}
	if r == nil {
		if _, err := tx.ExecContext(ctx, `DELETE FROM records WHERE url = ?`, url); err != nil {
			return err
		}
	} else {
		if r.URL != url {
			return scruple.Errorf(scruple.EINVALID, "replacement record has another URL")
		}
		data := stored
		if data == nil {
			if data, err = json.Marshal(r); err != nil {
				return err
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE records SET kind = ?, digest = ?, data = ?, version = version + 1
			WHERE url = ? AND version = ?`, string(r.Kind), shred.IndexDigest(r), data, url, r.Version)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var v int64
			if err := tx.QueryRowContext(ctx, `SELECT version FROM records WHERE url = ?`, url).Scan(&v); err == sql.ErrNoRows {
				return scruple.Errorf(scruple.ENOTFOUND, "no record to replace")
			} else if err != nil {
				return err
			}
			return &scruple.Error{Code: scruple.ECONFLICT, Message: fmt.Sprintf("replace record: version %d was read, the store has %d", r.Version, v), Err: scruple.ErrStale}
		}
		st, err := tx.PrepareContext(ctx, `INSERT INTO record_subjects(subject, url) VALUES (?, ?) ON CONFLICT DO NOTHING`)
		if err != nil {
			return err
		}
		err = indexSubjects(ctx, st, r)
		st.Close()
		if err != nil {
			return err
		}
	}
	if entry != nil {
		if _, err := s.appendLog(ctx, tx, [][]byte{entry}); err != nil {
			return err
		}
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	if r != nil {
		r.Version++
	}
	return s.Scrub(ctx)
}

// Scrub checkpoints and truncates the WAL (secure_delete already overwrote
// freed pages in the database file), so that content overwritten by a purge
// survives in no file of the store. It returns nil only when SQLite reports
// the truncation complete: PRAGMA wal_checkpoint(TRUNCATE) does not fail
// when a reader's snapshot still needs the WAL, it returns busy=1 (or fewer
// frames checkpointed than logged) and leaves the frames in place. Scrub
// retries with a doubling backoff, then fails with ECONFLICT.
func (s *Store) Scrub(ctx context.Context) error {
	s.ckpt.mu.Lock() // not beside the background checkpoint (SQLITE_BUSY)
	defer s.ckpt.mu.Unlock()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("scrub: %w", err)
	}
	defer conn.Close()
	p := s.scrub
	// A short busy wait per attempt, so that the backoff (not one long
	// busy handler) decides how long a reader is waited for.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf("PRAGMA busy_timeout = %d", p.busyMS)); err != nil {
		return fmt.Errorf("scrub: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA busy_timeout = 10000")
	deadline := time.Now().Add(p.wait)
	delay := p.first
	var last string
	for attempt := 1; ; attempt++ {
		var busy, logFrames, done int
		err := conn.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &logFrames, &done)
		switch {
		case err == nil && busy == 0 && logFrames == done:
			return nil
		case err != nil && ctx.Err() != nil:
			return fmt.Errorf("scrub: %w", ctx.Err())
		case err != nil:
			last = err.Error() // SQLITE_BUSY from another process's checkpoint
		default:
			last = fmt.Sprintf("busy=%d, %d of %d WAL frames checkpointed", busy, done, logFrames)
		}
		if p.onBusy != nil {
			p.onBusy()
		}
		if time.Now().Add(delay).After(deadline) {
			return scruple.Errorf(scruple.ECONFLICT, "scrub: the WAL could not be truncated after %d attempts (%s): "+
				"another connection holds a read transaction on the data directory's database; purged content may remain "+
				"in %s-wal until it ends (run the purge again then)", attempt, last, FileName)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("scrub: %w", ctx.Err())
		case <-time.After(delay):
		}
		delay *= 2
	}
}

// scrubPolicy bounds Scrub's retries.
type scrubPolicy struct {
	// wait is the total time Scrub waits for readers to let go.
	wait time.Duration
	// first is the first backoff; each next one doubles.
	first time.Duration
	// busyMS is SQLite's busy_timeout for one attempt.
	busyMS int
	// onBusy, when set (tests), runs after each incomplete attempt.
	onBusy func()
}

// defaultScrub waits up to half a minute: a reader (an export, a report)
// usually ends within seconds, and a purge that cannot complete must say so
// rather than hang.
var defaultScrub = scrubPolicy{wait: 30 * time.Second, first: 10 * time.Millisecond, busyMS: 200}
