package sqlite

import (
	"context"
	"database/sql"
)

// The statements of a batch commit. They are prepared once, on the writer
// connection, when the store opens (prepareCommon), and bound to each
// transaction with tx.StmtContext, which reuses the connection's prepared
// statement: preparing them again in every commit parsed and planned the
// same SQL about 10 times per batch.
const (
	dupSQL = `SELECT url FROM records WHERE digest = ? AND kind = 'page' AND digest != '' ORDER BY id LIMIT 1`
	// A deferred record (its host would not serve it in an earlier run) is
	// replaced in place by the URL's final record; any other is kept.
	insertRecordSQL = `INSERT INTO records(url, kind, digest, data) VALUES (?, ?, ?, ?)
		ON CONFLICT(url) DO UPDATE SET kind = excluded.kind, digest = excluded.digest, data = excluded.data,
			version = records.version + 1
		WHERE records.kind = 'deferred' RETURNING id, version`
	doneSQL        = `UPDATE frontier SET state = 2 WHERE id = ?`
	retrySQL       = `UPDATE frontier SET state = 0, attempts = ?, not_before = ? WHERE id = ?`
	subjectSQL     = `INSERT INTO record_subjects(subject, url) VALUES (?, ?) ON CONFLICT DO NOTHING`
	logSizeSQL     = `SELECT COALESCE(MAX(idx) + 1, 0) FROM log_entries`
	readHashSQL    = `SELECT hash FROM log_hashes WHERE idx = ?`
	insertEntrySQL = `INSERT INTO log_entries(idx, data) VALUES (?, ?)`
	insertHashSQL  = `INSERT INTO log_hashes(idx, hash) VALUES (?, ?)`
)

var commonSQL = []string{dupSQL, insertRecordSQL, doneSQL, retrySQL, subjectSQL, enqueueSQL,
	logSizeSQL, readHashSQL, insertEntrySQL, insertHashSQL}

// prepareCommon prepares commonSQL on the writer connection.
func (s *Store) prepareCommon(ctx context.Context) error {
	s.prepared = make(map[string]*sql.Stmt, len(commonSQL))
	for _, q := range commonSQL {
		st, err := s.db.PrepareContext(ctx, q)
		if err != nil {
			s.closeCommon()
			return err
		}
		s.prepared[q] = st
	}
	return nil
}

func (s *Store) closeCommon() {
	for _, st := range s.prepared {
		st.Close()
	}
	s.prepared = nil
}

// txStmt returns query as a statement of tx: the one prepared when the store
// opened when there is one (database/sql re-prepares it on tx's connection
// should that connection have been replaced), else a new one. Either way it
// is closed with tx.
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if st := s.prepared[query]; st != nil {
		return tx.StmtContext(ctx, st), nil
	}
	return tx.PrepareContext(ctx, query)
}
