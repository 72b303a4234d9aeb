package postgres

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync/atomic"
)

// Per-method call counters of a store, for benchmarks: with
// SCRUPLE_PGSTATS set in the environment, Close writes them and the
// connection pool's statistics to stderr in one line (BENCHMARKS.md,
// "PostgreSQL workers"). Counting costs one atomic add per call.

type statKind int

const (
	stTakeSlot       statKind = iota // TakeSlot/TakeSlots calls (statements sent)
	stSlotsTaken                     // slots granted
	stTakeRefused                    // calls refused because every slot was taken
	stReleaseSlot                    // slots given back (ReleaseSlot, ReleaseSlots)
	stReleaseCalls                   // ReleaseSlot/ReleaseSlots calls
	stRenewSlots                     // RenewSlots calls
	stContended                      // ContendedHosts calls
	stContendedHosts                 // hosts asked about by ContendedHosts
	stContendedFound                 // hosts it reported contended
	stReadyHosts                     // ReadyHosts calls
	stLease                          // Lease/LeaseHosts calls (round trips)
	stLeaseHosts                     // hosts leased from
	stRenewLeases                    // RenewLeases calls
	stCommit                         // Commit calls (batches)
	stCommitOutcomes                 // outcomes committed
	stCounts                         // Counts calls
	stClaimRobots                    // ClaimRobots calls
	nStats
)

var statNames = [nStats]string{"take_calls", "slots_taken", "take_refused_full", "slots_released", "release_calls",
	"renew_slots", "contended_calls", "contended_hosts_asked", "contended_found", "ready_hosts", "lease_calls", "lease_hosts", "renew_leases",
	"commit_batches", "commit_outcomes", "counts", "claim_robots"}

type storeStats [nStats]atomic.Int64

func (s *Store) count(k statKind, n int64) { s.stats[k].Add(n) }

// writeStats writes the counters and the pool's statistics in one line.
func (s *Store) writeStats(w io.Writer) {
	var b strings.Builder
	st := s.pool.Stat()
	fmt.Fprintf(&b, "pgstats pool_max=%d acquires=%d acquires_waited=%d acquire_wait=%.3fs", st.MaxConns(),
		st.AcquireCount(), st.EmptyAcquireCount(), st.EmptyAcquireWaitTime().Seconds())
	for i := range s.stats {
		fmt.Fprintf(&b, " %s=%d", statNames[i], s.stats[i].Load())
	}
	b.WriteByte('\n')
	io.WriteString(w, b.String())
}

func (s *Store) reportStats() {
	if os.Getenv("SCRUPLE_PGSTATS") != "" {
		s.writeStats(os.Stderr)
	}
}
