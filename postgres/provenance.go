package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/scruple/scruple"
)

// txHashes is the tlog.HashReader used while appending: hashes written or
// read earlier in the transaction come from memory, the others (normally
// none, see appendLog) from the database.
type txHashes struct {
	ctx   context.Context
	tx    pgx.Tx
	crawl int64
	known map[int64]tlog.Hash
}

func (r *txHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	var missing []int64
	for _, x := range indexes {
		if _, ok := r.known[x]; !ok {
			missing = append(missing, x)
		}
	}
	if len(missing) > 0 {
		if err := readHashes(r.ctx, r.tx, r.crawl, missing, r.known); err != nil {
			return nil, err
		}
	}
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		h, ok := r.known[x]
		if !ok {
			return nil, fmt.Errorf("provenance log: stored hash %d missing", x)
		}
		out[i] = h
	}
	return out, nil
}

// readHashes loads the stored hashes at indexes into into.
func readHashes(ctx context.Context, q interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, crawl int64, indexes []int64, into map[int64]tlog.Hash) error {
	rows, err := q.Query(ctx, `SELECT idx, hash FROM log_hashes WHERE crawl_id = $1 AND idx = ANY($2)`, crawl, indexes)
	if err != nil {
		return err
	}
	var idx int64
	var b []byte
	_, err = pgx.ForEachRow(rows, []any{&idx, &b}, func() error {
		if len(b) != tlog.HashSize {
			return fmt.Errorf("provenance log: stored hash %d is corrupt (%d bytes)", idx, len(b))
		}
		into[idx] = tlog.Hash(b)
		return nil
	})
	return err
}

// rightEdge returns the stored-hash indexes of the roots of the complete
// subtrees of a tree of size n: the only stored hashes that appending to it
// reads (tlog.StoredHashes combines the new leaf with left siblings, which
// are exactly these roots, and with hashes it computes itself).
func rightEdge(n int64) []int64 {
	var out []int64
	for level := 0; n>>level > 0; level++ {
		if (n>>level)&1 == 1 {
			out = append(out, tlog.StoredHashIndex(level, (n>>level)-1))
		}
	}
	return out
}

// appendLog appends entries inside tx and returns the index of the first. It
// locks the crawl's log head first: the entries of concurrent transactions
// are sequenced by that lock, and the stored hashes are computed here, in the
// transaction, so entries and hashes can never disagree. All hashes it needs
// are read in one query and the rows are written with one statement each.
func (s *Store) appendLog(ctx context.Context, tx pgx.Tx, entries [][]byte) (int64, error) {
	return s.appendLogWith(ctx, tx, entries, nil)
}

// appendLogWith is appendLog; also queues, in the same round trip, the
// statements extra adds for the entries' indexes (first is the first's).
func (s *Store) appendLogWith(ctx context.Context, tx pgx.Tx, entries [][]byte, extra func(b *pgx.Batch, first int64)) (int64, error) {
	var n int64
	if len(entries) == 0 {
		err := tx.QueryRow(ctx, `SELECT size FROM log_heads WHERE crawl_id = $1`, s.crawl).Scan(&n)
		return n, err
	}
	if err := tx.QueryRow(ctx, `SELECT size FROM log_heads WHERE crawl_id = $1 FOR UPDATE`, s.crawl).Scan(&n); err != nil {
		return 0, err
	}
	first := n
	hr := &txHashes{ctx: ctx, tx: tx, crawl: s.crawl, known: map[int64]tlog.Hash{}}
	if edge := rightEdge(n); len(edge) > 0 {
		if err := readHashes(ctx, tx, s.crawl, edge, hr.known); err != nil {
			return 0, err
		}
	}
	var (
		entryIdx   []int64
		hashIdx    []int64
		hashValues [][]byte
	)
	for _, e := range entries {
		hashes, err := tlog.StoredHashes(n, e, hr)
		if err != nil {
			return 0, fmt.Errorf("provenance log entry %d: %w", n, err)
		}
		base := tlog.StoredHashIndex(0, n)
		for i, h := range hashes {
			hr.known[base+int64(i)] = h
			hashIdx = append(hashIdx, base+int64(i))
			hashValues = append(hashValues, h[:])
		}
		entryIdx = append(entryIdx, n)
		n++
	}
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO log_entries (crawl_id, idx, data) SELECT $1, i, d FROM unnest($2::bigint[], $3::bytea[]) AS u(i, d)`,
		s.crawl, entryIdx, entries)
	b.Queue(`INSERT INTO log_hashes (crawl_id, idx, hash) SELECT $1, i, h FROM unnest($2::bigint[], $3::bytea[]) AS u(i, h)`,
		s.crawl, hashIdx, hashValues)
	b.Queue(`UPDATE log_heads SET size = $2 WHERE crawl_id = $1`, s.crawl, n)
	if extra != nil {
		extra(b, first)
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return 0, err
	}
	return first, nil
}

// LogSize implements scruple.ProvenanceLog.
func (s *Store) LogSize(ctx context.Context) (int64, error) {
	var n int64
	err := s.retry(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT size FROM log_heads WHERE crawl_id = $1`, s.crawl).Scan(&n)
	})
	return n, err
}

// AppendEntries implements scruple.ProvenanceLog.
func (s *Store) AppendEntries(ctx context.Context, entries [][]byte) (int64, error) {
	var first int64
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		first, err = s.appendLog(ctx, tx, entries)
		return err
	})
	return first, err
}

// entryPage is the number of entries Entries reads per query.
const entryPage = 4096

// Entries implements scruple.ProvenanceLog.
func (s *Store) Entries(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	type entry struct {
		i int64
		b []byte
	}
	for from < to {
		var batch []entry
		err := s.retry(ctx, func() error {
			rows, err := s.pool.Query(ctx, `SELECT idx, data FROM log_entries WHERE crawl_id = $1 AND idx >= $2 AND idx < $3
				ORDER BY idx LIMIT $4`, s.crawl, from, to, entryPage)
			if err != nil {
				return err
			}
			batch, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (entry, error) {
				var e entry
				err := row.Scan(&e.i, &e.b)
				return e, err
			})
			return err
		})
		if err != nil {
			return err
		}
		if len(batch) == 0 {
			return nil
		}
		for _, e := range batch {
			if e.i != from {
				return fmt.Errorf("provenance log: entry %d missing", from)
			}
			if err := fn(e.i, e.b); err != nil {
				return err
			}
			from++
		}
	}
	return nil
}

// ReadHashes implements scruple.ProvenanceLog, in one query.
func (s *Store) ReadHashes(ctx context.Context, indexes []int64) ([][32]byte, error) {
	known := map[int64]tlog.Hash{}
	err := s.retry(ctx, func() error { return readHashes(ctx, s.pool, s.crawl, indexes, known) })
	if err != nil {
		return nil, err
	}
	out := make([][32]byte, len(indexes))
	for i, x := range indexes {
		h, ok := known[x]
		if !ok {
			return nil, fmt.Errorf("log hash %d: %w", x, errNoHash)
		}
		out[i] = h
	}
	return out, nil
}

var errNoHash = errors.New("no such stored hash")

// SaveCheckpoint implements scruple.ProvenanceLog. Any worker may save one;
// a second note for the same size replaces the first.
func (s *Store) SaveCheckpoint(ctx context.Context, size int64, note []byte) error {
	return s.retry(ctx, func() error {
		_, err := s.pool.Exec(ctx, `INSERT INTO checkpoints (crawl_id, size, note) VALUES ($1, $2, $3)
			ON CONFLICT (crawl_id, size) DO UPDATE SET note = excluded.note, created_at = now()`, s.crawl, size, note)
		return err
	})
}

// LatestCheckpoint implements scruple.ProvenanceLog.
func (s *Store) LatestCheckpoint(ctx context.Context) (int64, []byte, error) {
	var size int64
	var note []byte
	err := s.retry(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT size, note FROM checkpoints WHERE crawl_id = $1 ORDER BY size DESC LIMIT 1`,
			s.crawl).Scan(&size, &note)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, nil
	}
	return size, note, err
}

var _ scruple.ProvenanceLog = (*Store)(nil)
