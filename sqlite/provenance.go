package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/scruple/scruple"
)

// txHashReader reads stored tlog hashes inside a transaction, so hashes
// written earlier in the same transaction are visible.
type txHashReader struct {
	ctx context.Context
	st  *sql.Stmt
}

func (r txHashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, idx := range indexes {
		var b []byte
		if err := r.st.QueryRowContext(r.ctx, idx).Scan(&b); err != nil {
			return nil, fmt.Errorf("log hash %d: %w", idx, err)
		}
		if len(b) != tlog.HashSize {
			return nil, fmt.Errorf("log hash %d: corrupt (%d bytes)", idx, len(b))
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// appendLog appends entries inside tx and returns the index of the first.
// The stored hashes are computed here, in the transaction, so entries and
// hashes can never disagree after a crash.
func (s *Store) appendLog(ctx context.Context, tx *sql.Tx, entries [][]byte) (int64, error) {
	size, err := s.txStmt(ctx, tx, logSizeSQL)
	if err != nil {
		return 0, err
	}
	var n int64
	if err := size.QueryRowContext(ctx).Scan(&n); err != nil {
		return 0, err
	}
	if len(entries) == 0 {
		return n, nil
	}
	first := n
	read, err := s.txStmt(ctx, tx, readHashSQL)
	if err != nil {
		return 0, err
	}
	insE, err := s.txStmt(ctx, tx, insertEntrySQL)
	if err != nil {
		return 0, err
	}
	insH, err := s.txStmt(ctx, tx, insertHashSQL)
	if err != nil {
		return 0, err
	}
	hr := txHashReader{ctx: ctx, st: read}
	for _, e := range entries {
		hashes, err := tlog.StoredHashes(n, e, hr)
		if err != nil {
			return 0, fmt.Errorf("log entry %d: %w", n, err)
		}
		base := tlog.StoredHashIndex(0, n)
		for i, h := range hashes {
			if _, err := insH.ExecContext(ctx, base+int64(i), h[:]); err != nil {
				return 0, err
			}
		}
		if _, err := insE.ExecContext(ctx, n, e); err != nil {
			return 0, err
		}
		n++
	}
	return first, nil
}

// LogSize implements scruple.ProvenanceLog.
func (s *Store) LogSize(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries`).Scan(&n)
	return n, err
}

// AppendEntries implements scruple.ProvenanceLog.
func (s *Store) AppendEntries(ctx context.Context, entries [][]byte) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	first, err := s.appendLog(ctx, tx, entries)
	if err != nil {
		return 0, err
	}
	return first, tx.Commit()
}

// Entries implements scruple.ProvenanceLog.
func (s *Store) Entries(ctx context.Context, from, to int64, fn func(int64, []byte) error) error {
	for from < to {
		rows, err := s.db.QueryContext(ctx, `SELECT idx, data FROM log_entries WHERE idx >= ? AND idx < ? ORDER BY idx LIMIT 4096`, from, to)
		if err != nil {
			return err
		}
		type ent struct {
			i int64
			b []byte
		}
		var batch []ent
		for rows.Next() {
			var e ent
			if err := rows.Scan(&e.i, &e.b); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, e)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
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

// ReadHashes implements scruple.ProvenanceLog.
func (s *Store) ReadHashes(ctx context.Context, indexes []int64) ([][32]byte, error) {
	out := make([][32]byte, len(indexes))
	for i, idx := range indexes {
		var b []byte
		if err := s.db.QueryRowContext(ctx, `SELECT hash FROM log_hashes WHERE idx = ?`, idx).Scan(&b); err != nil {
			return nil, fmt.Errorf("log hash %d: %w", idx, err)
		}
		if len(b) != 32 {
			return nil, fmt.Errorf("log hash %d: corrupt (%d bytes)", idx, len(b))
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// SaveCheckpoint implements scruple.ProvenanceLog.
func (s *Store) SaveCheckpoint(ctx context.Context, size int64, note []byte) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO checkpoints(size, note, created_at) VALUES (?, ?, ?)
		ON CONFLICT(size) DO UPDATE SET note = excluded.note, created_at = excluded.created_at`,
		size, note, time.Now().UnixMilli())
	return err
}

// LatestCheckpoint implements scruple.ProvenanceLog.
func (s *Store) LatestCheckpoint(ctx context.Context) (int64, []byte, error) {
	var size int64
	var note []byte
	err := s.db.QueryRowContext(ctx, `SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1`).Scan(&size, &note)
	if err == sql.ErrNoRows {
		return 0, nil, nil
	}
	return size, note, err
}

var _ scruple.ProvenanceLog = (*Store)(nil)
