package sqlite

import (
	"database/sql"
	"sync"
	"time"
)

// checkpointer copies the WAL into the database file on its own connection
// and goroutine. SQLite's automatic checkpoint runs inside the commit that
// crosses the threshold, so every thousandth page of a crawl's writes made
// one batch commit wait for a copy of the whole WAL and two fsyncs; here the
// writer's connection has wal_autocheckpoint(0) and commits only append to
// the WAL, while a PASSIVE checkpoint (which never blocks the writer or the
// readers) runs beside it. Durability is unchanged: a commit is durable once
// it is in the WAL (synchronous=NORMAL survives kill -9), and a checkpoint
// only moves committed pages.
type checkpointer struct {
	// mu is held during a checkpoint: a second checkpoint at the same time
	// (Scrub's TRUNCATE) would fail with SQLITE_BUSY instead of waiting.
	mu   sync.Mutex
	db   *sql.DB
	kick chan struct{}
	stop chan struct{}
	done chan struct{}
}

// checkpointGap is the least time between two checkpoints: often enough that
// the WAL stays small (a second of a fast crawl's commits is a few tens of
// MB), rarely enough that the fsyncs of a checkpoint are not paid per commit
// and that an index page rewritten by many commits is copied into the
// database once, not once per commit (at 250 ms a crawl's checkpoints wrote
// 1.5 pages per page of the final database).
const checkpointGap = time.Second

func newCheckpointer(path string) (*checkpointer, error) {
	dsn, err := fileURI(path, "_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)")
	if err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	c := &checkpointer{db: db, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

// wrote tells the checkpointer the WAL has grown (never blocks).
func (c *checkpointer) wrote() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	var last time.Time
	for {
		select {
		case <-c.stop:
			return
		case <-c.kick:
		}
		if d := checkpointGap - time.Since(last); d > 0 {
			select {
			case <-c.stop:
				return
			case <-time.After(d):
			}
		}
		last = time.Now()
		// Errors (SQLITE_BUSY from another process's checkpoint) are left
		// for the next round: the WAL only grows meanwhile.
		c.mu.Lock()
		c.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		c.mu.Unlock()
	}
}

func (c *checkpointer) close() {
	close(c.stop)
	<-c.done
	c.db.Close()
}
