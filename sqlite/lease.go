package sqlite

import "sync"

// leaseTable keeps the frontier's leases in memory rather than in the
// database. One process holds the data directory (dirLock), so the leases of
// any other process cannot exist, and a lease never has to outlive the
// process: on a kill -9 the in-memory table is gone and every URL it held is
// still queued in the file, which is what ReleaseAll at the next start used to
// restore. What this buys is that Lease only reads: it runs on the store's
// reader connection, beside the writer's batch commit (WAL readers do not wait
// for the writer), instead of queueing behind it for the single write
// connection.
//
// A reader sees the database as of its statement's start. A URL whose outcome
// a commit has just settled (state done) may still look queued to a read
// that started before that commit finished, so settled IDs are kept, with the
// number of the commit that settled them, until no read that might predate
// it is running.
type leaseTable struct {
	mu      sync.Mutex
	held    map[int64]string // frontier id → host
	perHost map[string]int   // held URLs per host
	gen     int64            // commits finished
	settled []settledLease   // in gen order
	reads   map[int64]int    // running reads by the gen they started at
}

type settledLease struct {
	id   int64
	host string
	gen  int64
}

func newLeaseTable() *leaseTable {
	return &leaseTable{held: map[int64]string{}, perHost: map[string]int{}, reads: map[int64]int{}}
}

// beginRead registers a read and returns the generation it started at and
// how many of host's rows it may have to skip (all hosts when host is "").
func (lt *leaseTable) beginRead(host string) (gen int64, skip int) {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	lt.reads[lt.gen]++
	if host == "" {
		return lt.gen, len(lt.held) + len(lt.settled)
	}
	skip = lt.perHost[host]
	for _, s := range lt.settled {
		if s.host == host {
			skip++
		}
	}
	return lt.gen, skip
}

// endRead unregisters a read begun at gen (with lt.mu held).
func (lt *leaseTable) endRead(gen int64) {
	if lt.reads[gen]--; lt.reads[gen] <= 0 {
		delete(lt.reads, gen)
	}
	lt.prune()
}

// excluded reports whether a row a read begun at gen found queued is in
// fact leased, or settled by a commit the read may not have seen.
func (lt *leaseTable) excluded(id, gen int64) bool {
	if _, ok := lt.held[id]; ok {
		return true
	}
	for i := len(lt.settled) - 1; i >= 0 && lt.settled[i].gen > gen; i-- {
		if lt.settled[i].id == id {
			return true
		}
	}
	return false
}

// take marks ids as leased (with lt.mu held).
func (lt *leaseTable) take(id int64, host string) {
	lt.held[id] = host
	lt.perHost[host]++
}

// settle ends the leases of ids whose outcomes a commit just made durable.
// It is called with lt.mu held, right after the transaction committed.
func (lt *leaseTable) settle(ids []int64) {
	lt.gen++
	for _, id := range ids {
		host, ok := lt.held[id]
		if !ok {
			continue
		}
		delete(lt.held, id)
		if lt.perHost[host]--; lt.perHost[host] <= 0 {
			delete(lt.perHost, host)
		}
		if len(lt.reads) > 0 {
			lt.settled = append(lt.settled, settledLease{id: id, host: host, gen: lt.gen})
		}
	}
	lt.prune()
}

// prune drops the settled IDs no running read can need.
func (lt *leaseTable) prune() {
	if len(lt.settled) == 0 {
		return
	}
	if len(lt.reads) == 0 {
		lt.settled = lt.settled[:0]
		return
	}
	oldest := lt.gen
	for g := range lt.reads {
		oldest = min(oldest, g)
	}
	i := 0
	for i < len(lt.settled) && lt.settled[i].gen <= oldest {
		i++
	}
	lt.settled = append(lt.settled[:0], lt.settled[i:]...)
}

// releaseAll forgets every lease and returns how many there were.
func (lt *leaseTable) releaseAll() int {
	lt.mu.Lock()
	defer lt.mu.Unlock()
	n := len(lt.held)
	clear(lt.held)
	clear(lt.perHost)
	return n
}
