// Package sqlite implements scruple's store interfaces on an embedded SQLite
// database (modernc.org/sqlite: pure Go, no cgo), the default store for a crawl
// on one machine.
//
// Purges: secure_delete is on, so a purged value is overwritten in the
// database file rather than left in a free page, and a purge checkpoints and
// truncates the WAL so no old frame keeps it either.
//
// Durability: the database runs in WAL mode with synchronous=NORMAL, which
// survives a killed process (kill -9) without losing a committed transaction;
// only an OS crash or power loss can drop the last few commits, and those
// return their URLs to the queue, never duplicate a record. Every outcome (record
// + frontier state + discovered links) is one part of a batched transaction.
package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/shred"
)

// FileName is the database file inside a data directory.
const FileName = "scruple.db"

// Store is a scruple.Store backed by SQLite in a data directory. It holds an
// exclusive lock on the directory until Close.
type Store struct {
	db *sql.DB
	// rdb is a second, read-only connection for the frontier's reads
	// (ReadyHosts, Lease, NextEligible, HostDone): in WAL mode a reader
	// does not wait for the writer's batch commit.
	rdb    *sql.DB
	leases *leaseTable
	ckpt   *checkpointer
	lock   *dirLock
	dir    string
	scrub  scrubPolicy
	// ring seals values kept under consent (nil: see UseConsentKey).
	ring *shred.Keyring
	// prepared holds the commit's statements, prepared on db when the
	// store opens (see txStmt); never modified after Open.
	prepared map[string]*sql.Stmt
}

// Options tunes Open.
type Options struct {
	// NoLock skips the data-directory lock (for read-only tools on a quiescent
	// directory, and for tests). Crawls always lock.
	NoLock bool
}

// Open opens (creating if needed) the store in dir. It fails with an
// ECONFLICT error when another process holds the directory.
func Open(dir string) (*Store, error) { return OpenWith(dir, Options{}) }

// OpenWith opens the store in dir with options.
func OpenWith(dir string, opt Options) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, scruple.Errorf(scruple.EINVALID, "data directory %s: %v", dir, err)
	}
	var lk *dirLock
	if !opt.NoLock {
		var err error
		if lk, err = lockDir(dir); err != nil {
			return nil, err
		}
	}
	path := filepath.Join(dir, FileName)
	// cache_size: 16 MiB of page cache (the default 2 MB made every batch
	// commit re-read index pages); wal_autocheckpoint(0): checkpoints run
	// beside the writer (see checkpointer).
	dsn, err := fileURI(path, "_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"+
		"&_pragma=busy_timeout(10000)&_pragma=foreign_keys(ON)&_pragma=secure_delete(ON)"+
		"&_pragma=cache_size(-16384)&_pragma=wal_autocheckpoint(0)&_txlock=immediate")
	if err != nil {
		lk.release()
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		lk.release()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	// One connection: SQLite has one writer at a time anyway, and a single
	// connection keeps the lease → commit order strictly serial, so there is
	// never a SQLITE_BUSY to retry.
	db.SetMaxOpenConns(1)
	s := &Store{db: db, lock: lk, dir: dir, leases: newLeaseTable(), scrub: defaultScrub}
	if err := s.migrate(context.Background()); err != nil {
		db.Close()
		lk.release()
		return nil, fmt.Errorf("prepare %s: %w", path, err)
	}
	if err := s.prepareCommon(context.Background()); err != nil {
		db.Close()
		lk.release()
		return nil, fmt.Errorf("prepare %s: %w", path, err)
	}
	// The reader opens after the migration, so the file and its WAL exist.
	rdsn, err := fileURI(path, "mode=ro&_pragma=busy_timeout(10000)&_pragma=query_only(1)")
	if err != nil {
		s.closeCommon()
		db.Close()
		lk.release()
		return nil, err
	}
	rdb, err := sql.Open("sqlite", rdsn)
	if err != nil {
		s.closeCommon()
		db.Close()
		lk.release()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	rdb.SetMaxOpenConns(1)
	s.rdb = rdb
	if s.ckpt, err = newCheckpointer(path); err != nil {
		rdb.Close()
		s.closeCommon()
		db.Close()
		lk.release()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// Dir returns the data directory.
func (s *Store) Dir() string { return s.dir }

// DB exposes the database for the packages that add tables of their own
// (provenance, consent) in the same file.
func (s *Store) DB() *sql.DB { return s.db }

// Close checkpoints the WAL, closes the database and releases the lock.
func (s *Store) Close() error {
	s.ckpt.close()
	s.rdb.Close()
	s.closeCommon()
	s.db.Exec("PRAGMA wal_checkpoint(TRUNCATE)")
	err := s.db.Close()
	if lerr := s.lock.release(); err == nil {
		err = lerr
	}
	return err
}

// migrations are applied in order; PRAGMA user_version records how many ran.
var migrations = []string{
	`CREATE TABLE frontier (
		id         INTEGER PRIMARY KEY,
		url        TEXT    NOT NULL UNIQUE,
		host       TEXT    NOT NULL,
		depth      INTEGER NOT NULL,
		from_url   TEXT    NOT NULL DEFAULT '',
		source     TEXT    NOT NULL DEFAULT '',
		sitemap    INTEGER NOT NULL DEFAULT 0,
		hops       INTEGER NOT NULL DEFAULT 0,
		attempts   INTEGER NOT NULL DEFAULT 0,
		not_before INTEGER NOT NULL DEFAULT 0,
		state      INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX frontier_host_state ON frontier(host, state, id);
	CREATE INDEX frontier_state ON frontier(state);
	-- hosts keeps a per-host count of queued URLs so that finding hosts with
	-- work costs one small index scan, not a scan of a million-URL frontier.
	CREATE TABLE hosts (
		host   TEXT PRIMARY KEY,
		queued INTEGER NOT NULL DEFAULT 0,
		done   INTEGER NOT NULL DEFAULT 0
	) WITHOUT ROWID;
	CREATE INDEX hosts_queued ON hosts(queued) WHERE queued > 0;
	CREATE TRIGGER frontier_ins AFTER INSERT ON frontier WHEN new.state = 0 BEGIN
		INSERT INTO hosts(host, queued) VALUES (new.host, 1)
		ON CONFLICT(host) DO UPDATE SET queued = queued + 1;
	END;
	CREATE TRIGGER frontier_upd AFTER UPDATE OF state ON frontier WHEN old.state != new.state BEGIN
		INSERT INTO hosts(host, queued) VALUES (new.host, 0) ON CONFLICT(host) DO NOTHING;
		UPDATE hosts SET queued = queued + (new.state = 0) - (old.state = 0),
			done = done + (new.state = 2) - (old.state = 2) WHERE host = new.host;
	END;
	CREATE TABLE records (
		id     INTEGER PRIMARY KEY,
		url    TEXT NOT NULL UNIQUE,
		kind   TEXT NOT NULL,
		digest TEXT NOT NULL DEFAULT '',
		data   BLOB NOT NULL
	);
	CREATE INDEX records_digest ON records(digest) WHERE kind = 'page' AND digest != '';
	CREATE TABLE meta (
		key   TEXT PRIMARY KEY,
		value TEXT NOT NULL
	) WITHOUT ROWID;`,
	`CREATE TABLE log_entries (
		idx  INTEGER PRIMARY KEY,
		data BLOB NOT NULL
	);
	-- tlog stored hashes: index → 32-byte hash (see tlog.StoredHashIndex).
	CREATE TABLE log_hashes (
		idx  INTEGER PRIMARY KEY,
		hash BLOB NOT NULL
	);
	CREATE TABLE checkpoints (
		size       INTEGER PRIMARY KEY,
		note       BLOB NOT NULL,
		created_at INTEGER NOT NULL
	);
	CREATE TABLE consents (
		id      TEXT PRIMARY KEY,
		seq     INTEGER NOT NULL,
		subject TEXT NOT NULL,
		data    BLOB NOT NULL
	);
	CREATE INDEX consents_subject ON consents(subject);
	-- record_subjects indexes the records that keep a consented value, by the
	-- subject's HMAC, so a withdrawal finds them without scanning every record.
	CREATE TABLE record_subjects (
		subject TEXT NOT NULL,
		url     TEXT NOT NULL,
		PRIMARY KEY (subject, url)
	) WITHOUT ROWID;`,
	// 3: issue 10. version makes ReplaceRecord a compare-and-swap; data_keys
	// holds the per-consent data keys of crypto-shredding (package shred),
	// each wrapped by a key derived from the data directory's consent key.
	// Deleting a consent's row is what makes its values unreadable.
	`ALTER TABLE records ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
	CREATE TABLE data_keys (
		consent TEXT PRIMARY KEY,
		wrapped BLOB NOT NULL
	) WITHOUT ROWID;`,
}

func (s *Store) migrate(ctx context.Context) error {
	var v int
	if err := s.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this scruple (%d); upgrade scruple", v, len(migrations))
	}
	for i := v; i < len(migrations); i++ {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
		if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", i+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
}

// SetMeta stores a key/value pair (crawl settings, seeds) in the store.
func (s *Store) SetMeta(ctx context.Context, key, value string) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO meta(key, value) VALUES (?, ?)
		ON CONFLICT(key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// Meta returns the value stored under key, or "" when there is none.
func (s *Store) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return v, err
}

var _ scruple.Store = (*Store)(nil)
