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
	n, err := enqueueTx(ctx, tx, items)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

func enqueueTx(ctx context.Context, tx *sql.Tx, items []scruple.URLItem) (int, error) {
	if len(items) == 0 {
		return 0, nil
	}
	st, err := tx.PrepareContext(ctx, enqueueSQL)
	if err != nil {
		return 0, err
	}
	defer st.Close()
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

// ReadyHosts implements scruple.Frontier. Eligibility by time is checked by
// Lease: the host table only knows that a host has queued URLs.
func (s *Store) ReadyHosts(ctx context.Context, now time.Time, limit int, exclude map[string]bool) ([]string, error) {
	// Ask for more than limit so that excluded hosts do not starve the answer.
	// The hosts table finds hosts with queued URLs cheaply; the EXISTS keeps
	// only those with a URL eligible now (not waiting for a retry time).
	rows, err := s.db.QueryContext(ctx, `SELECT h.host FROM hosts h WHERE h.queued > 0 AND EXISTS (
		SELECT 1 FROM frontier f WHERE f.host = h.host AND f.state = 0 AND f.not_before <= ?) LIMIT ?`,
		millis(now), limit+len(exclude))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() && len(out) < limit {
		var h string
		if err := rows.Scan(&h); err != nil {
			return nil, err
		}
		if !exclude[h] {
			out = append(out, h)
		}
	}
	return out, rows.Err()
}

// Lease implements scruple.Frontier.
func (s *Store) Lease(ctx context.Context, host string, n int, now time.Time) ([]scruple.URLItem, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT id, url, host, depth, from_url, source, sitemap, hops, attempts, not_before
		FROM frontier WHERE host = ? AND state = 0 AND not_before <= ? ORDER BY id LIMIT ?`, host, millis(now), n)
	if err != nil {
		return nil, err
	}
	var items []scruple.URLItem
	for rows.Next() {
		var it scruple.URLItem
		var src string
		var nb int64
		if err := rows.Scan(&it.ID, &it.URL, &it.Host, &it.Depth, &it.From, &src, &it.Sitemap, &it.Hops, &it.Attempts, &nb); err != nil {
			rows.Close()
			return nil, err
		}
		it.Source = scruple.Source(src)
		it.NotBefore = fromMillis(nb)
		items = append(items, it)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, nil
	}
	st, err := tx.PrepareContext(ctx, `UPDATE frontier SET state = 1 WHERE id = ?`)
	if err != nil {
		return nil, err
	}
	defer st.Close()
	for _, it := range items {
		if _, err := st.ExecContext(ctx, it.ID); err != nil {
			return nil, err
		}
	}
	return items, tx.Commit()
}

// ReleaseAll implements scruple.Frontier.
func (s *Store) ReleaseAll(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE frontier SET state = 0 WHERE state = 1`)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// NextEligible implements scruple.Frontier.
func (s *Store) NextEligible(ctx context.Context) (time.Time, error) {
	var nb sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MIN(not_before) FROM frontier WHERE state = 0`).Scan(&nb)
	if err != nil || !nb.Valid {
		return time.Time{}, err
	}
	if nb.Int64 == 0 {
		return time.Unix(0, 0), nil
	}
	return fromMillis(nb.Int64), nil
}

// HostDone implements scruple.Frontier.
func (s *Store) HostDone(ctx context.Context, host string) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT done FROM hosts WHERE host = ?`, host).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return n, err
}

// Counts implements scruple.Frontier.
func (s *Store) Counts(ctx context.Context) (scruple.FrontierCounts, error) {
	var c scruple.FrontierCounts
	rows, err := s.db.QueryContext(ctx, `SELECT state, COUNT(*) FROM frontier GROUP BY state`)
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
			c.Queued = n
		case scruple.Leased:
			c.Leased = n
		case scruple.Done:
			c.Done = n
		}
	}
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
