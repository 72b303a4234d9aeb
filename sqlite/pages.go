package sqlite

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/scruple/scruple"
)

// RecordsAfter implements scruple.RecordPager.
func (s *Store) RecordsAfter(ctx context.Context, after int64, limit int) ([]*scruple.Record, error) {
	if limit <= 0 {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, version, data FROM records WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, err
	}
	var out []*scruple.Record
	for rows.Next() {
		var id, version int64
		var data []byte
		if err := rows.Scan(&id, &version, &data); err != nil {
			rows.Close()
			return nil, err
		}
		r := new(scruple.Record)
		if err := json.Unmarshal(data, r); err != nil {
			rows.Close()
			return nil, fmt.Errorf("record %d: %w", id, err)
		}
		r.ID, r.Version = id, version
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Opened after the rows are closed: the keyring reads data_keys on the
	// store's one connection.
	return out, s.open(ctx, out)
}

// HostStates implements scruple.HostLister from the hosts table the
// frontier's triggers keep, so it costs one small scan, not a frontier scan.
func (s *Store) HostStates(ctx context.Context, limit int) ([]scruple.HostState, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT host, queued, done FROM hosts ORDER BY queued + done DESC, host LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []scruple.HostState
	for rows.Next() {
		var h scruple.HostState
		if err := rows.Scan(&h.Host, &h.Queued, &h.Done); err != nil {
			return nil, err
		}
		out = append(out, h)
	}
	return out, rows.Err()
}

var (
	_ scruple.RecordPager = (*Store)(nil)
	_ scruple.HostLister  = (*Store)(nil)
)
