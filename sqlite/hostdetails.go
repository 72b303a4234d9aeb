package sqlite

import (
	"context"
	"strings"
	"time"

	"github.com/scruple/scruple"
)

// HostDetails implements scruple.HostDetailer.
func (s *Store) HostDetails(ctx context.Context, hosts []string, kinds []scruple.Kind, now time.Time) (map[string]*scruple.HostDetail, error) {
	out := map[string]*scruple.HostDetail{}
	if len(hosts) == 0 {
		return out, nil
	}
	get := func(h string) *scruple.HostDetail {
		d := out[h]
		if d == nil {
			d = &scruple.HostDetail{Records: map[scruple.Kind]int64{}}
			out[h] = d
		}
		return d
	}
	hostArgs := make([]any, len(hosts))
	for i, h := range hosts {
		hostArgs[i] = h
	}
	if len(kinds) > 0 {
		args := make([]any, 0, len(kinds)+len(hosts))
		for _, k := range kinds {
			args = append(args, string(k))
		}
		args = append(args, hostArgs...)
		// CROSS JOIN keeps records the outer loop in SQLite: the few
		// records of these kinds each find their URL's host by the
		// frontier's url index. Driven by the hosts instead, it would
		// look up the record of every URL of every listed host.
		rows, err := s.db.QueryContext(ctx, `SELECT f.host, r.kind, COUNT(*) FROM records r CROSS JOIN frontier f ON f.url = r.url
			WHERE r.kind IN (`+marks(len(kinds))+`) AND f.host IN (`+marks(len(hosts))+`) GROUP BY f.host, r.kind`, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		for rows.Next() {
			var h, k string
			var n int64
			if err := rows.Scan(&h, &k, &n); err != nil {
				return nil, err
			}
			get(h).Records[scruple.Kind(k)] = n
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		rows.Close()
	}
	rows, err := s.db.QueryContext(ctx, `SELECT host, MAX(not_before), SUM(attempts > 0) FROM frontier
		WHERE state = 0 AND host IN (`+marks(len(hosts))+`) GROUP BY host`, hostArgs...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		var nb, retrying int64
		if err := rows.Scan(&h, &nb, &retrying); err != nil {
			return nil, err
		}
		if t := fromMillis(nb); t.After(now) {
			get(h).BackoffUntil = t
		}
		if retrying > 0 {
			get(h).Retrying = retrying
		}
	}
	return out, rows.Err()
}

// URLsOfKind implements scruple.HostDetailer.
func (s *Store) URLsOfKind(ctx context.Context, kind scruple.Kind, limit int) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT url FROM records WHERE kind = ? ORDER BY id LIMIT ?`, string(kind), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var u string
		if err := rows.Scan(&u); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// marks returns n comma-separated placeholders.
func marks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

var _ scruple.HostDetailer = (*Store)(nil)
