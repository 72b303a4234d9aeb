package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/scruple/scruple"
)

const enqueueSQL = `INSERT INTO frontier(url, host, depth, from_url, source, sitemap, hops, attempts, not_before, state)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT(url) DO NOTHING`

// Enqueue implements scruple.Frontier.
func (s *Store) Enqueue(ctx context.Context, items []scruple.URLItem) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := s.enqueueTx(ctx, tx, items)
	if err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	s.ckpt.wrote()
	return n, nil
}

func (s *Store) enqueueTx(ctx context.Context, tx *sql.Tx, items []scruple.URLItem) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	st, err := s.txStmt(ctx, tx, enqueueSQL)
	if err != nil {
		return 0, err
	}
	added := 0
	for _, it := range items {
		if err := it.Validate(); err != nil {
			return added, err
		}
		res, err := st.ExecContext(ctx, it.URL, it.Host, it.Depth, it.From, string(it.Source),
			it.Sitemap, it.Hops, it.Attempts, millis(it.NotBefore))
		if err != nil {
			return added, fmt.Errorf("enqueue: %w", err)
		}
		if n, _ := res.RowsAffected(); n > 0 {
			added++
		}
	}
	return added, nil
}

// ReadyHosts implements scruple.Frontier. It reads on the reader
// connection, so it never waits for a batch commit. Eligibility by time is
// checked by Lease: the host table only knows that a host has queued URLs
// (leased ones included: leases live in memory, see leaseTable).
func (s *Store) ReadyHosts(ctx context.Context, now time.Time, limit int, exclude map[string]bool) ([]string, error) {
	// Ask for more than limit so that excluded hosts, and hosts whose
	// queued URLs are all leased, do not starve the answer. The hosts table
	// finds hosts with queued URLs cheaply; the EXISTS keeps only those with
	// a URL eligible now (not waiting for a retry time).
	s.leases.mu.Lock()
	busy := len(s.leases.perHost)
	s.leases.mu.Unlock()
	rows, err := s.rdb.QueryContext(ctx, `SELECT h.host, h.queued FROM hosts h WHERE h.queued > 0 AND EXISTS (
		SELECT 1 FROM frontier f WHERE f.host = h.host AND f.state = 0 AND f.not_before <= ?) LIMIT ?`,
		millis(now), limit+len(exclude)+busy)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type ready struct {
		host   string
		queued int
	}
	var found []ready
	for rows.Next() {
		var r ready
		if err := rows.Scan(&r.host, &r.queued); err != nil {
			return nil, err
		}
		if !exclude[r.host] {
			found = append(found, r)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []string
	s.leases.mu.Lock()
	defer s.leases.mu.Unlock()
	for _, r := range found {
		if len(out) == limit {
			break
		}
		// A host whose queued URLs are all leased has nothing to lease.
		if r.queued > s.leases.perHost[r.host] {
			out = append(out, r.host)
		}
	}
	return out, nil
}

// Lease implements scruple.Frontier. The URLs are leased in memory (see
// leaseTable); the read runs on the reader connection.
func (s *Store) Lease(ctx context.Context, host string, n int, now time.Time) ([]scruple.URLItem, error) {
	gen, skip := s.leases.beginRead(host)
	items, err := s.leaseRead(ctx, host, n+skip, now)
	s.leases.mu.Lock()
	defer s.leases.mu.Unlock()
	// Unregister the read only after filtering: until then it keeps the
	// IDs settled since it began.
	defer s.leases.endRead(gen)
	if err != nil {
		return nil, err
	}
	out := items[:0]
	for _, it := range items {
		if len(out) == n {
			break
		}
		if !s.leases.excluded(it.ID, gen) {
			s.leases.take(it.ID, it.Host)
			out = append(out, it)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

func (s *Store) leaseRead(ctx context.Context, host string, n int, now time.Time) ([]scruple.URLItem, error) {
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, url, host, depth, from_url, source, sitemap, hops, attempts, not_before
		FROM frontier WHERE host = ? AND state = 0 AND not_before <= ? ORDER BY id LIMIT ?`, host, millis(now), n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []scruple.URLItem
	for rows.Next() {
		var it scruple.URLItem
		var src string
		var nb int64
		if err := rows.Scan(&it.ID, &it.URL, &it.Host, &it.Depth, &it.From, &src, &it.Sitemap, &it.Hops, &it.Attempts, &nb); err != nil {
			return nil, err
		}
		it.Source = scruple.Source(src)
		it.NotBefore = fromMillis(nb)
		items = append(items, it)
	}
	return items, rows.Err()
}

// ReleaseAll implements scruple.Frontier: it forgets this process's leases,
// and returns to the queue any URL a store of an earlier scruple left leased
// in the file (state 1).
func (s *Store) ReleaseAll(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE frontier SET state = 0 WHERE state = 1`)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n) + s.leases.releaseAll(), nil
}

// NextEligible implements scruple.Frontier. Leased URLs are not waiting.
func (s *Store) NextEligible(ctx context.Context) (time.Time, error) {
	gen, skip := s.leases.beginRead("")
	rows, err := s.rdb.QueryContext(ctx, `SELECT id, not_before FROM frontier WHERE state = 0
		ORDER BY not_before, id LIMIT ?`, skip+1)
	var found [][2]int64
	if err == nil {
		for rows.Next() {
			var r [2]int64
			if err = rows.Scan(&r[0], &r[1]); err != nil {
				break
			}
			found = append(found, r)
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
	}
	s.leases.mu.Lock()
	defer s.leases.mu.Unlock()
	defer s.leases.endRead(gen)
	if err != nil {
		return time.Time{}, err
	}
	for _, r := range found {
		if s.leases.excluded(r[0], gen) {
			continue
		}
		if r[1] == 0 {
			return time.Unix(0, 0), nil
		}
		return fromMillis(r[1]), nil
	}
	return time.Time{}, nil
}

// HostDone implements scruple.Frontier.
func (s *Store) HostDone(ctx context.Context, host string) (int64, error) {
	var n int64
	err := s.rdb.QueryRowContext(ctx, `SELECT done FROM hosts WHERE host = ?`, host).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return n, err
}

// Counts implements scruple.Frontier. It reads in a transaction on the
// write connection, so that no commit settles leases between the count and
// the lease table (Commit settles them before it lets the connection go).
func (s *Store) Counts(ctx context.Context) (scruple.FrontierCounts, error) {
	var c scruple.FrontierCounts
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return c, err
	}
	defer tx.Rollback()
	s.leases.mu.Lock()
	held := int64(len(s.leases.held))
	s.leases.mu.Unlock()
	rows, err := tx.QueryContext(ctx, `SELECT state, COUNT(*) FROM frontier GROUP BY state`)
	if err != nil {
		return c, err
	}
	defer rows.Close()
	for rows.Next() {
		var st int
		var n int64
		if err := rows.Scan(&st, &n); err != nil {
			return c, err
		}
		switch scruple.URLState(st) {
		case scruple.Queued:
			c.Queued += n
		case scruple.Leased:
			c.Leased += n
		case scruple.Done:
			c.Done = n
		}
	}
	c.Queued -= held
	c.Leased += held
	return c, rows.Err()
}

func millis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms)
}

// RequeueDeferred implements scruple.Frontier.
func (s *Store) RequeueDeferred(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE frontier SET state = 0, attempts = 0, not_before = 0
		WHERE state = 2 AND url IN (SELECT url FROM records WHERE kind = 'deferred')`)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
