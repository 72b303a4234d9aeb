// Package postgres implements scruple's store interfaces on PostgreSQL (pgx),
// the store for a crawl shared by many workers on many machines.
//
// Named crawls: one database holds many crawls (table crawls); every row of
// every other table carries its crawl id, and Open creates or joins a crawl by
// name. Workers of one crawl share its frontier, records, consent ledger and
// provenance log.
//
// Leases: Lease takes URLs with FOR UPDATE SKIP LOCKED, so concurrent workers
// never wait on nor take each other's URLs. A lease belongs to the worker that
// took it (a random id per Open) and expires after Options.LeaseTTL, measured
// on the database's clock; RenewLeases extends it during long fetches. An
// expired lease counts as queued (Counts, ReadyHosts, NextEligible) and the
// next Lease of its host takes it back, so the URLs of a killed worker return
// to the queue within one TTL without any coordinator.
//
// ReleaseAll differs from SQLite on purpose: the interface asks it to return
// "every lease that no live process holds", and in a shared database the only
// leases known not to be held by a live process are this worker's own and the
// expired ones. Leases of other workers that are still within their TTL are
// left alone, so a worker starting up never steals URLs that another worker is
// fetching.
//
// Provenance: one log per crawl with a single order. Appends (in Commit, in
// AppendEntries, in ReplaceRecord) lock the crawl's row in log_heads, read the
// size, compute the tlog stored hashes inside the transaction exactly as
// sqlite/provenance.go does (tlog.StoredHashes) and bump the size, so
// concurrent workers' entries are sequenced by commit order and the hashes can
// never disagree with the entries. The lock is taken last in a Commit, to hold
// it only for the append itself. Checkpoints are saved by whichever worker
// signs them (SaveCheckpoint upserts by size); LatestCheckpoint is the largest.
//
// Shared politeness and robots.txt (shared.go, for crawler.Politeness and
// crawler.SharedRobots): one host_politeness row per host holds the clock of
// all workers together (next request time, backoff, Crawl-delay) and the
// requests in flight with their expiry; TakeSlot and ReleaseSlot are one
// UPDATE each, on the database's clock, right before a request is sent and
// after its response; a TakeSlot refused because every slot is taken stamps
// the row's wanted_at, which ContendedHosts reports (with backoffs) to workers
// that keep slots between requests (crawler/sticky.go). robots_cache holds one robots.txt per origin for the
// crawl, fetched by the worker that claims it. These writes, and leases, skip
// the synchronous WAL flush: a database crash can only lose a slot, lease or
// claim, which frees it early; records and log entries are flushed as usual.
//
// Records are listed in log order (records.log_idx, set in the commit that
// appends the record's entry), which with several workers differs from the
// order their ids were drawn in.
//
// Failures: every transaction runs in a bounded retry loop with backoff that
// retries serialization failures (40001), deadlocks (40P01), a lost race on
// the one-page-per-body index, and dropped connections, unless the connection
// dropped during COMMIT, whose outcome is unknown.
package postgres

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/scruple/scruple"
	"github.com/scruple/scruple/shred"
)

// DefaultLeaseTTL is how long a lease lasts without renewal: the time within
// which the URLs of a killed worker return to the queue.
const DefaultLeaseTTL = 30 * time.Second

// Options tunes Open.
type Options struct {
	// LeaseTTL is the lifetime of a lease (DefaultLeaseTTL when zero).
	LeaseTTL time.Duration
	// MaxConns bounds the connection pool (pgxpool's default when zero:
	// max(4, CPUs)). The DSN's pool_max_conns also works.
	MaxConns int32
	// Config is the crawl's configuration (JSON), stored when the crawl is
	// created; joining workers read it with Config.
	Config json.RawMessage
	// WorkerID names this worker in lease rows (default: host/pid/random).
	WorkerID string
	// MustExist refuses (ENOTFOUND) to create the crawl: for commands that
	// only read or amend an existing crawl (export, consent withdraw).
	MustExist bool
}

// Store is a scruple.Store for one named crawl in a PostgreSQL database. It is
// safe for concurrent use, and many Stores (workers) may serve one crawl.
type Store struct {
	pool    *pgxpool.Pool
	crawl   int64
	name    string
	worker  string
	ttl     time.Duration
	retries int
	// hostRows remembers the hosts whose politeness row exists.
	hostRows sync.Map
	// ring seals values kept under consent (nil: see UseConsentKey).
	ring *shred.Keyring
	// stats counts calls per method (stats.go).
	stats storeStats
}

// Open connects to dsn, applies the schema migrations and creates or joins
// the crawl named crawlName.
func Open(ctx context.Context, dsn, crawlName string, opt Options) (*Store, error) {
	if crawlName == "" {
		return nil, scruple.Errorf(scruple.EINVALID, "a PostgreSQL store needs a crawl name")
	}
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, scruple.Errorf(scruple.EINVALID, "store DSN: %v", err)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	s := &Store{pool: pool, name: crawlName, worker: opt.WorkerID, ttl: opt.LeaseTTL, retries: 8}
	if s.ttl <= 0 {
		s.ttl = DefaultLeaseTTL
	}
	if s.worker == "" {
		s.worker = newWorkerID()
	}
	if err := s.migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	if opt.MustExist {
		var exists bool
		if err := s.retry(ctx, func() error {
			return pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM crawls WHERE name = $1)`, crawlName).Scan(&exists)
		}); err != nil {
			pool.Close()
			return nil, err
		}
		if !exists {
			pool.Close()
			return nil, scruple.Errorf(scruple.ENOTFOUND, "no crawl named %q in this database", crawlName)
		}
	}
	if err := s.joinCrawl(ctx, opt.Config); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

func newWorkerID() string {
	b := make([]byte, 6)
	rand.Read(b)
	h, _ := os.Hostname()
	return fmt.Sprintf("%s/%d/%s", h, os.Getpid(), hex.EncodeToString(b))
}

func (s *Store) joinCrawl(ctx context.Context, config json.RawMessage) error {
	if len(config) == 0 {
		config = json.RawMessage("{}")
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO crawls(name, config) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`,
			s.name, string(config)); err != nil {
			return err
		}
		if err := tx.QueryRow(ctx, `SELECT id FROM crawls WHERE name = $1`, s.name).Scan(&s.crawl); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO log_heads(crawl_id) VALUES ($1) ON CONFLICT DO NOTHING`, s.crawl)
		return err
	})
}

// CrawlName returns the name of the crawl this store serves.
func (s *Store) CrawlName() string { return s.name }

// CrawlID returns the crawl's id in the database.
func (s *Store) CrawlID() int64 { return s.crawl }

// WorkerID returns the id this store writes into its leases.
func (s *Store) WorkerID() string { return s.worker }

// LeaseTTL returns the lifetime of this store's leases.
func (s *Store) LeaseTTL() time.Duration { return s.ttl }

// Pool exposes the connection pool, for the packages that keep crawl-wide
// state of their own (robots cache, host politeness) in the same database.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Config returns the configuration stored when the crawl was created.
func (s *Store) Config(ctx context.Context) (json.RawMessage, error) {
	var c []byte
	err := s.retry(ctx, func() error {
		return s.pool.QueryRow(ctx, `SELECT config::text FROM crawls WHERE id = $1`, s.crawl).Scan(&c)
	})
	return json.RawMessage(c), err
}

// SetConfig replaces the crawl's configuration.
func (s *Store) SetConfig(ctx context.Context, config json.RawMessage) error {
	return s.retry(ctx, func() error {
		_, err := s.pool.Exec(ctx, `UPDATE crawls SET config = $2 WHERE id = $1`, s.crawl, string(config))
		return err
	})
}

// DeleteCrawl removes the crawl and every row that belongs to it, for all
// workers. The store is unusable afterwards except for Close.
func (s *Store) DeleteCrawl(ctx context.Context) error {
	return s.retry(ctx, func() error {
		_, err := s.pool.Exec(ctx, `DELETE FROM crawls WHERE id = $1`, s.crawl)
		return err
	})
}

// Close closes the connection pool. Leases still held stay until they expire
// (or until ReleaseAll, which the crawler calls when it stops).
func (s *Store) Close() error {
	s.reportStats()
	s.pool.Close()
	return nil
}

var _ scruple.Store = (*Store)(nil)

// SetLeaseTTL changes the lifetime of the leases (and host slots) this store
// takes from now on; call it before the store is used by a crawl.
func (s *Store) SetLeaseTTL(d time.Duration) {
	if d > 0 {
		s.ttl = d
	}
}
