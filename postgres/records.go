package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/shred"
)

// insertRecordsSQL inserts the records of a batch in one statement (their
// URLs distinct: ON CONFLICT DO UPDATE may not touch a row twice), unless a
// URL has one (a URL is recorded exactly once; a deferred record is replaced
// in place by the final one), and indexes the consented subjects of those it
// stored. Ids are drawn in the batch's order. One statement for the batch
// instead of one per record: PostgreSQL's per-statement cost (executor
// start, plan, CTEs) was most of its CPU per page (BENCHMARKS.md,
// "PostgreSQL workers").
const insertRecordsSQL = `WITH ins AS (
	INSERT INTO records (crawl_id, url, kind, digest, data)
	SELECT $1, u.url, u.kind, u.digest, u.data::json
	FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS u(url, kind, digest, data, n)
	ORDER BY u.n
	ON CONFLICT (crawl_id, url) DO UPDATE SET kind = excluded.kind, digest = excluded.digest, data = excluded.data,
		version = records.version + 1
		WHERE records.kind = 'deferred'
	RETURNING url, id, version
), subj AS (
	INSERT INTO record_subjects (crawl_id, subject, url)
	SELECT $1, s.subject, s.url FROM unnest($6::text[], $7::text[]) AS s(url, subject) JOIN ins ON ins.url = s.url
	ON CONFLICT DO NOTHING
)
SELECT url, id, version FROM ins`

// doneSQL marks the frontier rows of recorded outcomes done.
const doneSQL = `UPDATE frontier SET state = 2, lease_owner = NULL, lease_until = NULL WHERE crawl_id = $1 AND id = ANY($2::bigint[])`

// retrySQL queues the frontier rows of retried outcomes again, unless they
// are done or another worker holds them (its lease is live: this worker's
// lease was lost).
const retrySQL = `UPDATE frontier f SET state = 0, attempts = u.attempts, not_before = u.not_before, lease_owner = NULL, lease_until = NULL
	FROM unnest($2::bigint[], $3::int[], $4::timestamptz[]) AS u(id, attempts, not_before)
	WHERE f.crawl_id = $1 AND f.id = u.id AND f.state <> 2 AND (f.lease_owner IS NULL OR f.lease_owner = $5)`

// recordGroup is the arguments of one insertRecordsSQL: records with
// distinct URLs, and pos, each one's index in the outcomes.
type recordGroup struct {
	urls, kinds, digests, data []string
	subjURLs, subjects         []string
	pos                        []int
	has                        map[string]bool
}

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
	s.count(stCommit, 1)
	s.count(stCommitOutcomes, int64(len(outcomes)))
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
		var (
			groups            []*recordGroup
			doneIDs, retryIDs []int64
			retryAttempts     []int32
			retryNotBefore    []time.Time
			retryAt           = map[int64]int{}
		)
		for i := range outcomes {
			o := &outcomes[i]
			if o.Record == nil {
				// The last retry of an id wins, as one UPDATE each in
				// order would have it.
				if k, ok := retryAt[o.Item.ID]; ok {
					retryAttempts[k], retryNotBefore[k] = int32(o.Item.Attempts), o.Item.NotBefore.UTC()
					continue
				}
				retryAt[o.Item.ID] = len(retryIDs)
				retryIDs = append(retryIDs, o.Item.ID)
				retryAttempts, retryNotBefore = append(retryAttempts, int32(o.Item.Attempts)), append(retryNotBefore, o.Item.NotBefore.UTC())
				continue
			}
			r := *o.Record
			data := o.Line // the caller's encoding of the record, if any
			if d, ok := sealed[i]; ok {
				data = d // the stored form: never the values in clear
			}
			if r.Kind == scruple.KindPage && shred.IndexDigest(&r) != "" {
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
			// A URL twice in the batch goes to a later statement, which
			// sees the earlier one's row, as one statement per record did.
			var g *recordGroup
			for _, c := range groups {
				if !c.has[r.URL] {
					g = c
					break
				}
			}
			if g == nil {
				g = &recordGroup{has: map[string]bool{}}
				groups = append(groups, g)
			}
			g.has[r.URL] = true
			g.urls, g.kinds, g.digests, g.data = append(g.urls, r.URL), append(g.kinds, string(r.Kind)), append(g.digests, shred.IndexDigest(&r)), append(g.data, string(data))
			for _, sub := range subjects(&r) {
				g.subjURLs, g.subjects = append(g.subjURLs, r.URL), append(g.subjects, sub)
			}
			g.pos = append(g.pos, i)
			doneIDs = append(doneIDs, o.Item.ID)
		}
		b := &pgx.Batch{}
		// Retries before dones: an id both retried and recorded in one
		// batch ends done whatever their order (a retry leaves a done row
		// alone).
		if len(retryIDs) > 0 {
			b.Queue(retrySQL, s.crawl, retryIDs, retryAttempts, retryNotBefore, s.worker)
		}
		for _, g := range groups {
			b.Queue(insertRecordsSQL, s.crawl, g.urls, g.kinds, g.digests, g.data, g.subjURLs, g.subjects).Query(func(rows pgx.Rows) error {
				at := make(map[string]int, len(g.pos))
				for k, p := range g.pos {
					at[g.urls[k]] = p
				}
				var (
					u           string
					id, version int64
				)
				_, err := pgx.ForEachRow(rows, []any{&u, &id, &version}, func() error {
					i, ok := at[u]
					if !ok {
						return fmt.Errorf("insert records: unexpected url returned")
					}
					final[i].ID, final[i].Version, stored[i] = id, version, true
					return nil
				})
				return err
			})
		}
		if len(doneIDs) > 0 {
			b.Queue(doneSQL, s.crawl, doneIDs)
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
// page already kept with that digest. Only digests a store may hold in
// clear are sent (shred.IndexDigest): the raw-body digest of a page keeping
// a consented value is as guessable as the value, and a query parameter
// can end in the server's statement log (log_statement, auto_explain).
// The index holds no digest for such pages anyway, so the lookup loses
// nothing.
func (s *Store) pagesByDigest(ctx context.Context, tx pgx.Tx, outcomes []scruple.Outcome) (map[string]string, error) {
	var digests []string
	for _, o := range outcomes {
		if r := o.Record; r != nil && r.Kind == scruple.KindPage {
			if d := shred.IndexDigest(r); d != "" {
				digests = append(digests, d)
			}
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
