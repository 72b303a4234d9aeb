package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/scruple/scruple"
)

// RecordsAfter implements scruple.RecordPager. It pages by record id (the
// order records were inserted in), not by log index as Records does: a
// cursor must stay valid while workers commit.
func (s *Store) RecordsAfter(ctx context.Context, after int64, limit int) ([]*scruple.Record, error) {
	if limit <= 0 {
		return nil, nil
	}
	var out []*scruple.Record
	err := s.retry(ctx, func() error {
		rows, err := s.pool.Query(ctx, `SELECT id, version, data FROM records WHERE crawl_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
			s.crawl, after, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (*scruple.Record, error) {
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
		})
		return err
	})
	if err != nil {
		return nil, err
	}
	// Opened like Records: values kept under a live consent's key back in
	// place, Sealed empty.
	if err := s.open(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// HostStates implements scruple.HostLister. An expired lease counts as
// queued, as in Counts.
func (s *Store) HostStates(ctx context.Context, limit int) ([]scruple.HostState, error) {
	var out []scruple.HostState
	err := s.retry(ctx, func() error {
		rows, err := s.pool.Query(ctx, `SELECT host,
				count(*) FILTER (WHERE state = 0 OR (state = 1 AND lease_until < now())),
				count(*) FILTER (WHERE state = 2)
			FROM frontier WHERE crawl_id = $1 GROUP BY host ORDER BY count(*) DESC, host LIMIT $2`, s.crawl, limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (scruple.HostState, error) {
			var h scruple.HostState
			err := row.Scan(&h.Host, &h.Queued, &h.Done)
			return h, err
		})
		return err
	})
	return out, err
}

var (
	_ scruple.RecordPager = (*Store)(nil)
	_ scruple.HostLister  = (*Store)(nil)
)
