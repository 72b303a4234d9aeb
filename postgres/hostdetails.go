package postgres

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scruple/scruple"
)

// HostDetails implements scruple.HostDetailer.
func (s *Store) HostDetails(ctx context.Context, hosts []string, kinds []scruple.Kind, now time.Time) (map[string]*scruple.HostDetail, error) {
	var out map[string]*scruple.HostDetail
	err := s.retry(ctx, func() error {
		out = map[string]*scruple.HostDetail{}
		if len(hosts) == 0 {
			return nil
		}
		get := func(h string) *scruple.HostDetail {
			d := out[h]
			if d == nil {
				d = &scruple.HostDetail{Records: map[scruple.Kind]int64{}}
				out[h] = d
			}
			return d
		}
		if len(kinds) > 0 {
			ks := make([]string, len(kinds))
			for i, k := range kinds {
				ks[i] = string(k)
			}
			rows, err := s.pool.Query(ctx, `SELECT f.host, r.kind, count(*) FROM records r
				JOIN frontier f ON f.crawl_id = r.crawl_id AND f.url = r.url
				WHERE r.crawl_id = $1 AND r.kind = ANY($2) AND f.host = ANY($3) GROUP BY f.host, r.kind`, s.crawl, ks, hosts)
			if err != nil {
				return err
			}
			var h, k string
			var n int64
			if _, err := pgx.ForEachRow(rows, []any{&h, &k, &n}, func() error {
				get(h).Records[scruple.Kind(k)] = n
				return nil
			}); err != nil {
				return err
			}
		}
		rows, err := s.pool.Query(ctx, `SELECT host, max(not_before), count(*) FILTER (WHERE attempts > 0) FROM frontier
			WHERE crawl_id = $1 AND host = ANY($2) AND (state = 0 OR (state = 1 AND lease_until < now())) GROUP BY host`, s.crawl, hosts)
		if err != nil {
			return err
		}
		var h string
		var nb time.Time
		var retrying int64
		_, err = pgx.ForEachRow(rows, []any{&h, &nb, &retrying}, func() error {
			if nb.After(now) {
				get(h).BackoffUntil = nb
			}
			if retrying > 0 {
				get(h).Retrying = retrying
			}
			return nil
		})
		return err
	})
	return out, err
}

// URLsOfKind implements scruple.HostDetailer.
func (s *Store) URLsOfKind(ctx context.Context, kind scruple.Kind, limit int) ([]string, error) {
	var out []string
	err := s.retry(ctx, func() error {
		rows, err := s.pool.Query(ctx, `SELECT url FROM records WHERE crawl_id = $1 AND kind = $2 ORDER BY id LIMIT $3`, s.crawl, string(kind), limit)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	return out, err
}

var _ scruple.HostDetailer = (*Store)(nil)
