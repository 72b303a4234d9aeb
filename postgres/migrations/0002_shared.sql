-- scruple schema, version 2: crawl-wide state the workers of one crawl share
-- besides the frontier: per-host politeness and the robots.txt cache; and
-- each record's log index, so records are exported in log order.

-- The index of the record's entry in the provenance log (set in the commit
-- that appends it). Several workers draw record ids and log positions in
-- different orders; an export lists records in log order.
ALTER TABLE records ADD COLUMN log_idx bigint;
CREATE INDEX records_log_order ON records (crawl_id, (COALESCE(log_idx, 9223372036854775807)), id);

-- One row per host: the politeness clock of all workers together. next_at is
-- the earliest time the next request may be sent (the database's clock);
-- slots holds the requests in flight as {"slot id": expiry in Unix ms} (a slot
-- of a killed worker expires like its leases do); backoff_ms is the current
-- exponential backoff after 429/503 and backoff_until the time it ends;
-- crawl_delay_ms is the robots.txt Crawl-delay last seen. Taking and releasing
-- a slot are one UPDATE each (postgres/shared.go).
CREATE TABLE host_politeness (
	crawl_id       bigint      NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
	host           text        NOT NULL,
	next_at        timestamptz NOT NULL DEFAULT '-infinity',
	backoff_until  timestamptz NOT NULL DEFAULT '-infinity',
	backoff_ms     bigint      NOT NULL DEFAULT 0,
	crawl_delay_ms bigint      NOT NULL DEFAULT 0,
	slots          jsonb       NOT NULL DEFAULT '{}',
	PRIMARY KEY (crawl_id, host)
) WITH (fillfactor = 50); -- room for HOT updates: the row changes twice per request

-- The robots.txt cache of a crawl: one fetch per origin for all workers. A
-- worker claims the fetch (claim_holder, claim_until); the others wait for
-- the stored result. fetched_at is the database's clock.
CREATE TABLE robots_cache (
	crawl_id     bigint      NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
	origin       text        NOT NULL,
	fetched_at   timestamptz,
	url          text        NOT NULL DEFAULT '',
	final_url    text        NOT NULL DEFAULT '',
	status       integer     NOT NULL DEFAULT 0,
	body         bytea,
	digest       text        NOT NULL DEFAULT '',
	size         integer     NOT NULL DEFAULT 0,
	truncated    boolean     NOT NULL DEFAULT false,
	reason       text        NOT NULL DEFAULT '',
	unreachable  boolean     NOT NULL DEFAULT false,
	claim_holder text,
	claim_until  timestamptz,
	PRIMARY KEY (crawl_id, origin)
);
