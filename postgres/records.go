package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/scruple/scruple"
)

// insertRecordSQL inserts a record unless its URL has one (a URL is recorded
// exactly once; a deferred record is replaced in place by the final one) and
// indexes its consented subjects only if it was stored.
const insertRecordSQL = `WITH ins AS (
	INSERT INTO records (crawl_id, url, kind, digest, data) VALUES ($1, $2, $3, $4, $5)
	ON CONFLICT (crawl_id, url) DO UPDATE SET kind = excluded.kind, digest = excluded.digest, data = excluded.data,
		version = records.version + 1
		WHERE records.kind = 'deferred'
	RETURNING id, version
), subj AS (
	INSERT INTO record_subjects (crawl_id, subject, url)
	SELECT $1, s, $2 FROM unnest($6::text[]) AS s, ins
	ON CONFLICT DO NOTHING
)
SELECT id, version FROM ins`

// subjects returns the distinct consented subjects of r's findings.
func subjects(r *scruple.Record) []string {
	var out []string
	seen := map[string]bool{}
	for _, f := range r.Findings {
		if f.Subject != "" && !seen[f.Subject] {
			seen[f.Subject] = true
			out = append(out, f.Subject)
		}
	}
	return out
}

// Commit implements scruple.RecordStore: one transaction for the whole batch,
// sent as one pipelined batch of statements, then the provenance entries of
// the records that were stored, under the crawl's log lock.
//
// Duplicates: the store looks up the pages already kept for the batch's
// digests, then decides in order within the batch. A concurrent commit of the
// same body by another worker makes one of the two transactions fail on
// records_page_digest; it is retried and then finds the other's page.
//
// The caller's records are changed (ID, and Kind/DuplicateOf for duplicates)
// only once the transaction has committed, so a failed or retried attempt
// leaves nothing behind, in the database or in memory.
func (s *Store) Commit(ctx context.Context, outcomes []scruple.Outcome) error {
	if len(outcomes) == 0 {
		return nil
	}
	var links []scruple.URLItem
	for i := range outcomes {
		o := &outcomes[i]
		switch {
		case o.Record != nil:
			if err := o.Record.Validate(); err != nil {
				return fmt.Errorf("record %d: %w", o.Item.ID, err)
			}
		case o.Retry:
		default:
			return scruple.Errorf(scruple.EINVALID, "outcome for frontier id %d has neither a record nor a retry", o.Item.ID)
		}
		links = append(links, o.Links...)
	}
	linkArgs, haveLinks, err := s.enqueueArgs(links)
	if err != nil {
		return err
	}
	// Seal kept values once, outside the (retried) transaction.
	var sealed map[int][]byte
	for i := range outcomes {
		st, ok, err := s.sealed(ctx, outcomes[i].Record)
		if err != nil {
			return fmt.Errorf("record %d: %w", outcomes[i].Item.ID, err)
		}
		if ok {
			data, err := marshalStored(st)
			if err != nil {
				return err
			}
			if sealed == nil {
				sealed = map[int][]byte{}
			}
			sealed[i] = data
		}
	}
	final := make([]scruple.Record, len(outcomes))
	stored := make([]bool, len(outcomes))
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		first, err := s.pagesByDigest(ctx, tx, outcomes)
		if err != nil {
			return err
		}
		b := &pgx.Batch{}
		for i := range outcomes {
			o := &outcomes[i]
			if o.Record == nil {
				b.Queue(`UPDATE frontier SET state = 0, attempts = $3, not_before = $4, lease_owner = NULL, lease_until = NULL
					WHERE crawl_id = $1 AND id = $2 AND state <> 2 AND (lease_owner IS NULL OR lease_owner = $5)`,
					s.crawl, o.Item.ID, o.Item.Attempts, o.Item.NotBefore.UTC(), s.worker)
				continue
			}
			r := *o.Record
			data := o.Line // the caller's encoding of the record, if any
			if d, ok := sealed[i]; ok {
				data = d // the stored form: never the values in clear
			}
			if r.Kind == scruple.KindPage && r.Digest != "" {
				if f, ok := first[r.Digest]; ok && f != r.URL {
					// No content at all, title included (see sqlite's insertRecord).
					r.Kind, r.DuplicateOf, r.Text, r.Title, r.Findings, r.Salt = scruple.KindDuplicate, f, "", "", nil, ""
					data = nil
				} else if !ok {
					first[r.Digest] = r.URL
				}
			}
			final[i] = r
			if data == nil {
				if data, err = json.Marshal(&r); err != nil {
					return err
				}
			}
			i := i
			b.Queue(insertRecordSQL, s.crawl, r.URL, string(r.Kind), r.Digest, data, subjects(&r)).QueryRow(func(row pgx.Row) error {
				err := row.Scan(&final[i].ID, &final[i].Version)
				stored[i] = err == nil
				if errors.Is(err, pgx.ErrNoRows) {
					return nil // already recorded
				}
				return err
			})
			b.Queue(`UPDATE frontier SET state = 2, lease_owner = NULL, lease_until = NULL WHERE crawl_id = $1 AND id = $2`,
				s.crawl, o.Item.ID)
		}
		if haveLinks {
			b.Queue(enqueueSQL, linkArgs...)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		var (
			entries [][]byte
			logURLs []string // records whose entry is entries[logPos[k]]
			logPos  []int64
		)
		for i, o := range outcomes {
			// An outcome whose record was not stored (its URL already has
			// one) has no entry: a record and its entry exist together.
			if o.Record != nil && !stored[i] {
				continue
			}
			entry := o.Entry
			if o.Seal != nil && o.Record != nil {
				// Seal sees the record as stored (duplicate settled).
				if entry, err = o.Seal(&final[i]); err != nil {
					return fmt.Errorf("seal record %d: %w", o.Item.ID, err)
				}
			}
			if entry != nil {
				if o.Record != nil {
					logURLs, logPos = append(logURLs, final[i].URL), append(logPos, int64(len(entries)))
				}
				entries = append(entries, entry)
			}
		}
		if len(entries) == 0 {
			return nil
		}
		// Each record remembers the index of its entry: Records returns
		// records in log order, which with several workers committing at
		// once is not the order their ids were drawn in.
		_, err = s.appendLogWith(ctx, tx, entries, func(b *pgx.Batch, first int64) {
			if len(logURLs) == 0 {
				return
			}
			idx := make([]int64, len(logPos))
			for k, p := range logPos {
				idx[k] = first + p
			}
			// A replaced (deferred) record keeps its place in the log order.
			b.Queue(`UPDATE records r SET log_idx = u.i FROM unnest($2::text[], $3::bigint[]) AS u(url, i)
				WHERE r.crawl_id = $1 AND r.url = u.url AND r.log_idx IS NULL`, s.crawl, logURLs, idx)
		})
		return err
	})
	if err != nil {
		return err
	}
	for i := range outcomes {
		if r := outcomes[i].Record; r != nil && stored[i] {
			*r = final[i]
		}
	}
	return nil
}

// pagesByDigest returns, for the page digests of outcomes, the URL of the
// page already kept with that digest.
func (s *Store) pagesByDigest(ctx context.Context, tx pgx.Tx, outcomes []scruple.Outcome) (map[string]string, error) {
	var digests []string
	for _, o := range outcomes {
		if r := o.Record; r != nil && r.Kind == scruple.KindPage && r.Digest != "" {
			digests = append(digests, r.Digest)
		}
	}
	first := map[string]string{}
	if len(digests) == 0 {
		return first, nil
	}
	rows, err := tx.Query(ctx, `SELECT digest, url FROM records WHERE crawl_id = $1 AND kind = 'page' AND digest = ANY($2)`,
		s.crawl, digests)
	if err != nil {
		return nil, err
	}
	var d, u string
	_, err = pgx.ForEachRow(rows, []any{&d, &u}, func() error { first[d] = u; return nil })
	return first, err
}

// recordPage is the number of records Records reads per query: it pages by
// id so that fn may take its time without a long-open transaction.
const recordPage = 1000

// Records implements scruple.RecordStore. Records come in the order of their
// provenance log entries (records.log_idx), which is the order the log
// verifies them in; ids are drawn when a record is inserted, and with several
// workers a record may commit after one with a larger id, so id order would
// not do. Records without an entry come last, by id. Export a crawl once its
// workers stopped: a record committed during the export may be missed.
func (s *Store) Records(ctx context.Context, fn func(*scruple.Record) error) error {
	lastKey, lastID := int64(-1), int64(0)
	for {
		var batch []*scruple.Record
		var keys []int64
		err := s.retry(ctx, func() error {
			keys = keys[:0]
			rows, err := s.pool.Query(ctx, `SELECT COALESCE(log_idx, 9223372036854775807) AS k, id, version, data FROM records
				WHERE crawl_id = $1 AND (COALESCE(log_idx, 9223372036854775807), id) > ($2, $3)
				ORDER BY COALESCE(log_idx, 9223372036854775807), id LIMIT $4`,
				s.crawl, lastKey, lastID, recordPage)
			if err != nil {
				return err
			}
			batch, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*scruple.Record, error) {
				var k, id, version int64
				var data []byte
				if err := row.Scan(&k, &id, &version, &data); err != nil {
					return nil, err
				}
				keys = append(keys, k)
				r := new(scruple.Record)
				if err := json.Unmarshal(data, r); err != nil {
					return nil, fmt.Errorf("record %d: %w", id, err)
				}
				r.ID, r.Version = id, version
				return r, nil
			})
			return err
		})
		if err != nil {
			return err
		}
		if err := s.open(ctx, batch); err != nil {
			return err
		}
		for i, r := range batch {
			if err := fn(r); err != nil {
				return err
			}
			lastKey, lastID = keys[i], r.ID
		}
		if len(batch) < recordPage {
			return nil
		}
	}
}

// scanRecord scans (id, version, data).
func scanRecord(row pgx.CollectableRow) (*scruple.Record, error) {
	var id, version int64
	var data []byte
	if err := row.Scan(&id, &version, &data); err != nil {
		return nil, err
	}
	r := new(scruple.Record)
	if err := json.Unmarshal(data, r); err != nil {
		return nil, fmt.Errorf("record %d: %w", id, err)
	}
	r.ID, r.Version = id, version
	return r, nil
}

// RecordCounts implements scruple.RecordStore.
func (s *Store) RecordCounts(ctx context.Context) (map[scruple.Kind]int64, error) {
	out := map[scruple.Kind]int64{}
	err := s.retry(ctx, func() error {
		clear(out)
		rows, err := s.pool.Query(ctx, `SELECT kind, count(*) FROM records WHERE crawl_id = $1 GROUP BY kind`, s.crawl)
		if err != nil {
			return err
		}
		var k string
		var n int64
		_, err = pgx.ForEachRow(rows, []any{&k, &n}, func() error { out[scruple.Kind(k)] = n; return nil })
		return err
	})
	return out, err
}
