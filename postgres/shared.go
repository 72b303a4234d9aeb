package postgres

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/scruple/scruple/robots"
)

// Crawl-wide state besides the frontier, shared by the workers of a crawl:
// per-host politeness (crawler.Politeness) and the robots.txt cache
// (crawler.SharedRobots). The crawler finds these methods on the store by
// interface assertion; the SQLite store has none (one process enforces
// politeness in its scheduler alone).

// nowMS is the database's clock in Unix milliseconds, the unit of the
// expiry times in host_politeness.slots.
const nowMS = `(extract(epoch FROM clock_timestamp()) * 1000)::bigint`

// liveSlots counts a host row's slots that have not expired.
const liveSlots = `(SELECT count(*) FROM jsonb_each(h.slots) e WHERE e.value::bigint > ` + nowMS + `)`

// takeSlotSQL takes up to $4 - (live slots) of the slot ids $3 in one UPDATE
// ($5: how many are wanted, at least one): the host's clock must allow a
// request now (next_at and backoff passed) and fewer than per_host ($4)
// slots may be live. More than one slot is granted only while no worker was
// refused the host within the last $8 ms (wanted_at): the extra slots are
// kept by the worker for its next requests to the host (crawler/sticky.go).
// Expired slots (of killed workers) are dropped as it goes. The row lock
// makes it atomic: two workers cannot both take the last slot, and the
// conditions are evaluated (clock_timestamp) after any wait for the lock.
// It returns the ids granted.
const takeSlotSQL = `UPDATE host_politeness h SET
	slots = COALESCE((SELECT jsonb_object_agg(e.key, e.value) FROM jsonb_each(h.slots) e WHERE e.value::bigint > ` + nowMS + `), '{}'::jsonb)
		|| (SELECT jsonb_object_agg(u.id, ` + nowMS + ` + $7::bigint) FROM unnest($3::text[]) WITH ORDINALITY AS u(id, n)
			WHERE u.n <= least($4 - ` + liveSlots + `, CASE WHEN h.wanted_at > clock_timestamp() - $8::bigint * interval '1 millisecond'
				THEN 1 ELSE $5 END)),
	next_at = greatest(h.next_at, clock_timestamp() + $6::bigint * interval '1 millisecond')
WHERE h.crawl_id = $1 AND h.host = $2 AND greatest(h.next_at, h.backoff_until) <= clock_timestamp()
	AND ` + liveSlots + ` < $4
RETURNING (SELECT array_agg(u.id) FROM unnest($3::text[]) AS u(id) WHERE h.slots ? u.id)`

// wantedWindow is how long a refusal (wanted_at) keeps TakeSlots from
// granting a host's slots more than one at a time.
const wantedWindow = 100 * time.Millisecond

// asyncCommit turns off the WAL flush for the transaction it runs in: the
// politeness state, leases and claims are not worth a disk flush per request;
// after a database crash the last changes may be lost, which at worst frees a
// slot or a lease early for requests that died with the server.
const asyncCommit = `SELECT set_config('synchronous_commit', 'off', true)`

// TakeSlot takes one of host's perHost request slots if the host's shared
// clock allows a request now (spacing since the end of the previous request
// by any worker, backoff after 429/503). It returns the slot (0 when none
// was taken) and, when none was, how long to wait before trying again. The
// slot is held for one LeaseTTL unless renewed (RenewSlots): the slot of a
// killed worker frees itself. Call it right before sending the request: a
// slot is taken when the request is sent, not when it is planned.
func (s *Store) TakeSlot(ctx context.Context, host string, perHost int, spacing time.Duration) (int64, time.Duration, error) {
	slots, wait, err := s.TakeSlots(ctx, host, perHost, spacing, 1, 0)
	if err != nil || len(slots) == 0 {
		return 0, wait, err
	}
	return slots[0], 0, nil
}

// TakeSlots is TakeSlot for up to want slots at once (at least one; never
// more than perHost live slots in all, and only one while another worker was
// refused the host within wantedWindow), in one statement. mine is how many
// of the host's slots the caller already holds: a refusal stamps the host as
// wanted (ContendedHosts) only when some live slot is not the caller's, so a
// worker whose own slots fill the host does not make itself give them back.
func (s *Store) TakeSlots(ctx context.Context, host string, perHost int, spacing time.Duration, want, mine int) ([]int64, time.Duration, error) {
	want = max(1, min(want, perHost))
	ids := make([]int64, want)
	texts := make([]string, want)
	for i := range ids {
		ids[i] = newSlotID()
		texts[i] = strconv.FormatInt(ids[i], 10)
	}
	var (
		took   []string
		waitMS float64
		live   int64
	)
	_, known := s.hostRows.Load(host)
	err := s.retry(ctx, func() error {
		took, waitMS, live = nil, 0, 0
		b := &pgx.Batch{}
		b.Queue(asyncCommit)
		if !known {
			b.Queue(`INSERT INTO host_politeness (crawl_id, host) VALUES ($1, $2) ON CONFLICT DO NOTHING`, s.crawl, host)
		}
		b.Queue(takeSlotSQL, s.crawl, host, texts, perHost, want, spacing.Milliseconds(), s.ttl.Milliseconds(), wantedWindow.Milliseconds())
		// Not taken because every slot is, some by another worker: stamp
		// wanted_at, so that workers keeping slots between requests give
		// them back (ContendedHosts).
		b.Queue(`WITH w AS (UPDATE host_politeness h SET wanted_at = clock_timestamp()
				WHERE h.crawl_id = $1 AND h.host = $2 AND NOT h.slots ?| $3::text[] AND `+liveSlots+` >= $4
					AND `+liveSlots+` > $5 RETURNING 1)
			SELECT extract(epoch FROM greatest(h.next_at, h.backoff_until) - clock_timestamp()) * 1000, `+liveSlots+`
			FROM host_politeness h WHERE h.crawl_id = $1 AND h.host = $2`, s.crawl, host, texts, perHost, mine)
		br := s.pool.SendBatch(ctx, b)
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return err
		}
		if !known {
			if _, err := br.Exec(); err != nil {
				return err
			}
		}
		if err := br.QueryRow().Scan(&took); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if err := br.QueryRow().Scan(&waitMS, &live); err != nil {
			return err
		}
		return br.Close()
	})
	if err != nil {
		return nil, 0, err
	}
	s.hostRows.Store(host, true)
	s.count(stTakeSlot, 1)
	if len(took) > 0 {
		granted := make([]int64, 0, len(took))
		for i, t := range texts {
			if slices.Contains(took, t) {
				granted = append(granted, ids[i])
			}
		}
		s.count(stSlotsTaken, int64(len(granted)))
		return granted, 0, nil
	}
	if live >= int64(perHost) {
		s.count(stTakeRefused, 1)
	}
	wait := time.Duration(waitMS * float64(time.Millisecond))
	if live >= int64(perHost) || wait < 5*time.Millisecond {
		// Full (or just freed): look again soon.
		wait = max(wait, 5*time.Millisecond)
	}
	return nil, wait, nil
}

func newSlotID() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.LittleEndian.Uint64(b[:])>>1) | 1
}

// ReleaseSlot frees a slot after its response: the host's next request (by
// any worker) may be sent spacing after now. slowDown (429/503) doubles the
// host's backoff (at least max(spacing, 1s), at most 5 min) and parks the
// host until the larger of it and retryAfter; ok resets it.
func (s *Store) ReleaseSlot(ctx context.Context, host string, slot int64, spacing, crawlDelay time.Duration, slowDown, ok bool, retryAfter time.Duration) error {
	s.count(stReleaseCalls, 1)
	s.count(stReleaseSlot, 1)
	return s.retry(ctx, func() error {
		b := &pgx.Batch{}
		b.Queue(asyncCommit)
		b.Queue(`UPDATE host_politeness h SET
				slots = h.slots - $3::text,
				next_at = greatest(h.next_at, clock_timestamp() + $4::bigint * interval '1 millisecond'),
				backoff_ms = CASE WHEN $6 THEN least(greatest(h.backoff_ms * 2, $4::bigint, 1000), 300000)
					WHEN $7 THEN 0 ELSE h.backoff_ms END,
				backoff_until = CASE WHEN $6 THEN clock_timestamp() +
					greatest(least(greatest(h.backoff_ms * 2, $4::bigint, 1000), 300000), $8::bigint) * interval '1 millisecond'
					ELSE h.backoff_until END,
				crawl_delay_ms = greatest($5::bigint, 0)
			WHERE h.crawl_id = $1 AND h.host = $2`,
			s.crawl, host, strconv.FormatInt(slot, 10), spacing.Milliseconds(), crawlDelay.Milliseconds(), slowDown, ok, retryAfter.Milliseconds())
		return s.pool.SendBatch(ctx, b).Close()
	})
}

// RenewSlots extends this worker's slots (slot → host) by one LeaseTTL and
// returns those it could not renew: no longer live in the store (expired,
// perhaps dropped by another worker's TakeSlot since). An expired slot is
// never renewed, so a worker that paused past a slot's expiry cannot bring
// it back after another worker counted it free.
func (s *Store) RenewSlots(ctx context.Context, slots map[int64]string) ([]int64, error) {
	if len(slots) == 0 {
		return nil, nil
	}
	s.count(stRenewSlots, 1)
	var ids []string
	var hosts []string
	for id, h := range slots {
		ids, hosts = append(ids, strconv.FormatInt(id, 10)), append(hosts, h)
	}
	var renewed []string
	err := s.retry(ctx, func() error {
		renewed = nil
		b := &pgx.Batch{}
		b.Queue(asyncCommit)
		b.Queue(`WITH r AS (UPDATE host_politeness h SET slots = h.slots || (SELECT jsonb_object_agg(u.id, `+nowMS+` + $4::bigint)
					FROM unnest($2::text[], $3::text[]) AS u(id, host)
					WHERE u.host = h.host AND (h.slots->>u.id)::bigint > `+nowMS+`)
				WHERE h.crawl_id = $1 AND h.host = ANY($3::text[]) AND EXISTS (SELECT 1 FROM unnest($2::text[], $3::text[]) AS u(id, host)
					WHERE u.host = h.host AND (h.slots->>u.id)::bigint > `+nowMS+`)
				RETURNING h.host, h.slots)
			SELECT u.id FROM r, unnest($2::text[], $3::text[]) AS u(id, host)
			WHERE u.host = r.host AND (r.slots->>u.id)::bigint > `+nowMS+``,
			s.crawl, ids, hosts, s.ttl.Milliseconds())
		br := s.pool.SendBatch(ctx, b)
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return err
		}
		rows, err := br.Query()
		if err != nil {
			return err
		}
		if renewed, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
			return err
		}
		return br.Close()
	})
	if err != nil {
		return nil, err
	}
	var lost []int64
	for id := range slots {
		if !slices.Contains(renewed, strconv.FormatInt(id, 10)) {
			lost = append(lost, id)
		}
	}
	return lost, nil
}

// ReleaseSlots gives back slots (slot → host) whose requests succeeded, in
// one statement: unlike ReleaseSlot it changes neither the hosts' clocks
// (for slots kept at zero spacing) nor their backoff.
func (s *Store) ReleaseSlots(ctx context.Context, slots map[int64]string) error {
	if len(slots) == 0 {
		return nil
	}
	s.count(stReleaseCalls, 1)
	s.count(stReleaseSlot, int64(len(slots)))
	var ids, hosts []string
	for id, h := range slots {
		ids, hosts = append(ids, strconv.FormatInt(id, 10)), append(hosts, h)
	}
	return s.retry(ctx, func() error {
		b := &pgx.Batch{}
		b.Queue(asyncCommit)
		b.Queue(`UPDATE host_politeness h SET slots = h.slots - (SELECT array_agg(u.id) FROM unnest($2::text[], $3::text[]) AS u(id, host)
				WHERE u.host = h.host)
			WHERE h.crawl_id = $1 AND h.host = ANY($3::text[])`, s.crawl, ids, hosts)
		return s.pool.SendBatch(ctx, b).Close()
	})
}

// ContendedHosts returns those of hosts (held by this worker) that another
// worker wanted within the last `within` (a TakeSlot refused because every
// slot of the host was taken) or that are backing off (a 429/503 seen by any
// worker): a worker keeping slots of these hosts between requests gives them
// back. One read-only statement for all the hosts.
func (s *Store) ContendedHosts(ctx context.Context, hosts []string, within time.Duration) ([]string, error) {
	if len(hosts) == 0 {
		return nil, nil
	}
	s.count(stContended, 1)
	s.count(stContendedHosts, int64(len(hosts)))
	var out []string
	err := s.retry(ctx, func() error {
		rows, err := s.pool.Query(ctx, `SELECT h.host FROM host_politeness h
			WHERE h.crawl_id = $1 AND h.host = ANY($2::text[])
				AND (h.backoff_until > clock_timestamp() OR h.wanted_at > clock_timestamp() - $3::bigint * interval '1 millisecond')`,
			s.crawl, hosts, within.Milliseconds())
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowTo[string])
		return err
	})
	s.count(stContendedFound, int64(len(out)))
	return out, err
}

// ClaimRobots returns the crawl's stored robots.txt result for origin when
// it is fresh (fetched within ttl; an unreachable one within retry). If not,
// and no other worker holds a live claim, it claims the fetch for this
// worker for one LeaseTTL and returns claimed=true: fetch it and PutRobots.
// Otherwise another worker is fetching it: it returns (nil, false), and the
// caller asks again shortly. The result's FetchedAt is on this machine's
// clock (the database's age of the result subtracted from time.Now).
func (s *Store) ClaimRobots(ctx context.Context, origin string, ttl, retry time.Duration) (*robots.Result, bool, error) {
	s.count(stClaimRobots, 1)
	var (
		res     *robots.Result
		claimed bool
	)
	err := s.retry(ctx, func() error {
		res, claimed = nil, false
		b := &pgx.Batch{}
		b.Queue(asyncCommit)
		b.Queue(`INSERT INTO robots_cache AS r (crawl_id, origin, claim_holder, claim_until)
			VALUES ($1, $2, $3, now() + $4::bigint * interval '1 millisecond')
			ON CONFLICT (crawl_id, origin) DO UPDATE SET claim_holder = excluded.claim_holder, claim_until = excluded.claim_until
			WHERE (r.fetched_at IS NULL OR r.fetched_at < now() -
					CASE WHEN r.unreachable THEN $6::bigint ELSE $5::bigint END * interval '1 millisecond')
				AND (r.claim_until IS NULL OR r.claim_until < now() OR r.claim_holder = $3)
			RETURNING true`, s.crawl, origin, s.worker, s.ttl.Milliseconds(), ttl.Milliseconds(), retry.Milliseconds())
		b.Queue(`SELECT url, final_url, status, body, digest, size, truncated, reason, unreachable,
				extract(epoch FROM now() - fetched_at)::float8
			FROM robots_cache r WHERE crawl_id = $1 AND origin = $2 AND fetched_at IS NOT NULL
				AND fetched_at >= now() - CASE WHEN unreachable THEN $4::bigint ELSE $3::bigint END * interval '1 millisecond'`,
			s.crawl, origin, ttl.Milliseconds(), retry.Milliseconds())
		br := s.pool.SendBatch(ctx, b)
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return err
		}
		if err := br.QueryRow().Scan(&claimed); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var (
			r    robots.Result
			body []byte
			age  float64
		)
		err := br.QueryRow().Scan(&r.URL, &r.FinalURL, &r.Status, &body, &r.Digest, &r.Size, &r.Truncated, &r.Reason, &r.Unreachable, &age)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
		case err != nil:
			return err
		case !claimed:
			r.FetchedAt = time.Now().Add(-time.Duration(age * float64(time.Second)))
			res = rebuildRobots(&r, body)
		}
		return br.Close()
	})
	if err != nil {
		return nil, false, err
	}
	return res, claimed, nil
}

// rebuildRobots restores the policy of a stored result exactly as
// robots.Fetcher decided it: unreachable means disallow all, a 2xx body is
// parsed, anything else (4xx, too many redirects) allows all.
func rebuildRobots(r *robots.Result, body []byte) *robots.Result {
	switch {
	case r.Unreachable:
		r.Robots = robots.DisallowAll(disallowReason(r.Reason))
		r.Err = errors.New(r.Reason)
	case r.Status >= 200 && r.Status < 300:
		r.Robots = robots.Parse(body)
	default:
		r.Robots = robots.AllowAll(r.Reason)
	}
	return r
}

// disallowReason is the reason robots.Fetcher gives DisallowAll for an
// unreachable result: the status for 5xx and 429, a fixed phrase otherwise.
func disallowReason(reason string) string {
	if len(reason) >= len("robots.txt unavailable (") && reason[:len("robots.txt unavailable (")] == "robots.txt unavailable (" {
		return reason
	}
	return "robots.txt unreachable"
}

// PutRobots stores the result of a claimed robots.txt fetch (body: the bytes
// of the final response read by the fetcher) and drops the claim.
func (s *Store) PutRobots(ctx context.Context, origin string, r *robots.Result, body []byte) error {
	return s.retry(ctx, func() error {
		_, err := s.pool.Exec(ctx, `INSERT INTO robots_cache (crawl_id, origin, fetched_at, url, final_url, status, body, digest,
				size, truncated, reason, unreachable)
			VALUES ($1, $2, now(), $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (crawl_id, origin) DO UPDATE SET fetched_at = now(), url = excluded.url, final_url = excluded.final_url,
				status = excluded.status, body = excluded.body, digest = excluded.digest, size = excluded.size,
				truncated = excluded.truncated, reason = excluded.reason, unreachable = excluded.unreachable,
				claim_holder = NULL, claim_until = NULL`,
			s.crawl, origin, r.URL, r.FinalURL, r.Status, body, r.Digest, r.Size, r.Truncated, r.Reason, r.Unreachable)
		return err
	})
}
