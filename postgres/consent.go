package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/shred"
)

const putConsentSQL = `INSERT INTO consents (crawl_id, id, subject, data) VALUES ($1, $2, $3, $4)
	ON CONFLICT (crawl_id, id) DO UPDATE SET subject = excluded.subject, data = excluded.data`

// PutConsent implements scruple.ConsentStore. A replace keeps the consent's
// place in grant order (seq is drawn only on first insert).
func (s *Store) PutConsent(ctx context.Context, c *scruple.Consent) error {
	return s.PutConsentsLogged(ctx, []*scruple.Consent{c}, nil)
}

// PutConsents implements scruple.ConsentStore: an import is all or nothing.
func (s *Store) PutConsents(ctx context.Context, cs []*scruple.Consent) error {
	return s.PutConsentsLogged(ctx, cs, nil)
}

// PutConsentsLogged implements scruple.ConsentStore. Consent writes of one
// crawl are serialised by a transaction-scoped advisory lock taken before
// the finality check reads anything: a row lock would not do, because a
// consent being granted has no row to lock yet. Under READ COMMITTED each
// later statement sees what the previous holder committed.
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
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtextextended('scruple/consents/' || $1::bigint::text, 0))`, s.crawl); err != nil {
			return err
		}
		b := &pgx.Batch{}
		for i, c := range cs {
			var old *scruple.Consent
			var refusals []*scruple.Consent
			all, err := s.txConsents(ctx, tx, c.ID, c.Subject)
			if err != nil {
				return err
			}
			for _, x := range all {
				if x.ID == c.ID {
					old = x
				}
				if (x.Refused || x.WithdrawnAt != nil) && x.Subject == c.Subject {
					refusals = append(refusals, x)
				}
			}
			if err := scruple.CheckConsentWrite(c, old, refusals); err != nil {
				return err
			}
			b.Queue(putConsentSQL, s.crawl, c.ID, c.Subject, data[i])
		}
		if b.Len() > 0 {
			if err := tx.SendBatch(ctx, b).Close(); err != nil {
				return err
			}
		}
		if len(entries) > 0 {
			if _, err := s.appendLog(ctx, tx, entries); err != nil {
				return err
			}
		}
		return nil
	})
}

// txConsents reads, inside tx, the consent with id and every consent of
// subject.
func (s *Store) txConsents(ctx context.Context, tx pgx.Tx, id, subject string) ([]*scruple.Consent, error) {
	rows, err := tx.Query(ctx, `SELECT data FROM consents WHERE crawl_id = $1 AND (id = $2 OR subject = $3)`, s.crawl, id, subject)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (*scruple.Consent, error) {
		var data []byte
		if err := row.Scan(&data); err != nil {
			return nil, err
		}
		c := new(scruple.Consent)
		return c, json.Unmarshal(data, c)
	})
}

// Consent implements scruple.ConsentStore.
func (s *Store) Consent(ctx context.Context, id string) (*scruple.Consent, error) {
	var data []byte
	err := s.retry(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT data FROM consents WHERE crawl_id = $1 AND id = $2`, s.crawl, id).Scan(&data)
	})
	if errors.Is(err, pgx.ErrNoRows) {
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

// Consents implements scruple.ConsentStore. The ledger is small (one row per
// data subject's consent): it is read whole, then fn runs without a query open.
func (s *Store) Consents(ctx context.Context, fn func(*scruple.Consent) error) error {
	var all []*scruple.Consent
	err := s.retry(ctx, func() error {
		rows, err := s.pool.Query(ctx, `SELECT data FROM consents WHERE crawl_id = $1 ORDER BY seq`, s.crawl)
		if err != nil {
			return err
		}
		all, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*scruple.Consent, error) {
			var data []byte
			if err := row.Scan(&data); err != nil {
				return nil, err
			}
			c := new(scruple.Consent)
			return c, json.Unmarshal(data, c)
		})
		return err
	})
	if err != nil {
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
	var recs []*scruple.Record
	err := s.retry(ctx, func() error {
		rows, err := s.pool.Query(ctx, `SELECT r.id, r.version, r.data FROM record_subjects rs
			JOIN records r ON r.crawl_id = rs.crawl_id AND r.url = rs.url
			WHERE rs.crawl_id = $1 AND rs.subject = $2 ORDER BY r.id`, s.crawl, subject)
		if err != nil {
			return err
		}
		recs, err = pgx.CollectRows(rows, scanRecord)
		return err
	})
	if err != nil {
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

// ReplaceRecord implements scruple.RecordUpdater: the record row is updated
// (or deleted), the subject index follows, and entry (the purge) is appended
// to the provenance log, in one transaction.
//
// Secure delete: PostgreSQL never overwrites a tuple in place; the old
// version stays in the table file as a dead tuple until VACUUM (autovacuum,
// or an explicit VACUUM records after a withdrawal) reclaims the space, and
// it may linger in WAL segments and base backups until they are recycled.
// What the store guarantees is that no query sees the old content once this
// returns and that the purge itself is logged; operators who must also scrub
// the files run VACUUM and rotate WAL and backups.
func (s *Store) ReplaceRecord(ctx context.Context, url string, r *scruple.Record, entry []byte) error {
	var data []byte
	if r != nil {
		if r.URL != url {
			return scruple.Errorf(scruple.EINVALID, "replacement record has another URL")
		}
		if err := r.Validate(); err != nil {
			return err
		}
		st, _, err := s.sealed(ctx, r)
		if err != nil {
			return err
		}
		if data, err = json.Marshal(st); err != nil {
			return err
		}
	}
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM record_subjects WHERE crawl_id = $1 AND url = $2`, s.crawl, url); err != nil {
			return err
		}
		if r == nil {
			if _, err := tx.Exec(ctx, `DELETE FROM records WHERE crawl_id = $1 AND url = $2`, s.crawl, url); err != nil {
				return err
			}
		} else {
			// Compare-and-swap on version: under READ COMMITTED a
			// concurrent purge's UPDATE makes this one wait and then
			// re-check the WHERE clause on the new row version, which no
			// longer matches.
			tag, err := tx.Exec(ctx, `UPDATE records SET kind = $3, digest = $4, data = $5, version = version + 1
				WHERE crawl_id = $1 AND url = $2 AND version = $6`,
				s.crawl, url, string(r.Kind), shred.IndexDigest(r), data, r.Version)
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == "23505" {
				return &scruple.Error{Code: scruple.ECONFLICT, Message: "replacement record would keep a body another page keeps", Err: err}
			}
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 0 {
				var v int64
				err := tx.QueryRow(ctx, `SELECT version FROM records WHERE crawl_id = $1 AND url = $2`, s.crawl, url).Scan(&v)
				if errors.Is(err, pgx.ErrNoRows) {
					return scruple.Errorf(scruple.ENOTFOUND, "no record to replace")
				}
				if err != nil {
					return err
				}
				return &scruple.Error{Code: scruple.ECONFLICT, Err: scruple.ErrStale,
					Message: fmt.Sprintf("replace record: version %d was read, the store has %d", r.Version, v)}
			}
			if subj := subjects(r); len(subj) > 0 {
				if _, err := tx.Exec(ctx, `INSERT INTO record_subjects (crawl_id, subject, url) SELECT $1, s, $2 FROM unnest($3::text[]) AS s
					ON CONFLICT DO NOTHING`, s.crawl, url, subj); err != nil {
					return err
				}
			}
		}
		if entry == nil {
			return nil
		}
		_, err := s.appendLog(ctx, tx, [][]byte{entry})
		return err
	})
	if err == nil && r != nil {
		r.Version++
	}
	return err
}
