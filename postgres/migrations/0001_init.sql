-- scruple schema, version 1. Every row carries its crawl id: one database
-- holds many named crawls, and deleting a crawl cascades to all of its rows.

CREATE TABLE crawls (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name       text        NOT NULL UNIQUE,
	created_at timestamptz NOT NULL DEFAULT now(),
	config     jsonb       NOT NULL DEFAULT '{}'
);

-- Frontier ids come from an explicit sequence so that Enqueue can number new
-- URLs in discovery order and still insert them sorted by URL (one lock order
-- for every writer, so two commits that discover the same links cannot
-- deadlock on each other).
CREATE SEQUENCE frontier_id_seq;

CREATE TABLE frontier (
	crawl_id    bigint      NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
	id          bigint      NOT NULL DEFAULT nextval('frontier_id_seq'),
	url         text        NOT NULL,
	host        text        NOT NULL,
	depth       integer     NOT NULL DEFAULT 0,
	from_url    text        NOT NULL DEFAULT '',
	source      text        NOT NULL DEFAULT '',
	sitemap     boolean     NOT NULL DEFAULT false,
	hops        integer     NOT NULL DEFAULT 0,
	attempts    integer     NOT NULL DEFAULT 0,
	-- 0001-01-01 (Go's zero time) means "at once".
	not_before  timestamptz NOT NULL,
	-- 0 queued, 1 leased, 2 done (scruple.URLState).
	state       smallint    NOT NULL DEFAULT 0,
	-- The worker holding a lease and until when (the database's clock, so
	-- the workers' clocks need not agree).
	lease_owner text,
	lease_until timestamptz,
	PRIMARY KEY (crawl_id, id),
	UNIQUE (crawl_id, url)
);
ALTER SEQUENCE frontier_id_seq OWNED BY frontier.id;

-- Partial indexes, one per state, stay small where it matters: queued URLs
-- by host in discovery order (Lease, and the loose index scan of ReadyHosts),
-- queued URLs by time (NextEligible), leases by expiry (taking back the
-- leases of dead workers), done URLs by host (HostDone).
CREATE INDEX frontier_queued   ON frontier (crawl_id, host, id)      WHERE state = 0;
CREATE INDEX frontier_waiting  ON frontier (crawl_id, not_before)    WHERE state = 0;
CREATE INDEX frontier_leased   ON frontier (crawl_id, lease_until)   WHERE state = 1;
CREATE INDEX frontier_done     ON frontier (crawl_id, host)          WHERE state = 2;

CREATE TABLE records (
	crawl_id bigint NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
	id       bigint GENERATED ALWAYS AS IDENTITY,
	url      text   NOT NULL,
	kind     text   NOT NULL,
	digest   text   NOT NULL DEFAULT '',
	-- The record as JSON (json, not jsonb: jsonb refuses \u0000, which page
	-- text may hold).
	data     json   NOT NULL,
	PRIMARY KEY (crawl_id, id),
	UNIQUE (crawl_id, url)
);
-- At most one page per body: two workers committing the same body at once
-- cannot both keep it; the loser's transaction fails and is retried, and the
-- retry sees the winner's page and records a duplicate.
CREATE UNIQUE INDEX records_page_digest ON records (crawl_id, digest) WHERE kind = 'page' AND digest <> '';

-- The records that keep a consented value, by the subject's HMAC.
CREATE TABLE record_subjects (
	crawl_id bigint NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
	subject  text   NOT NULL,
	url      text   NOT NULL,
	PRIMARY KEY (crawl_id, subject, url)
);
CREATE INDEX record_subjects_url ON record_subjects (crawl_id, url);

-- One provenance log per crawl. Appends lock the crawl's head row, which
-- gives the entries of all workers a single order.
CREATE TABLE log_heads (
	crawl_id bigint PRIMARY KEY REFERENCES crawls(id) ON DELETE CASCADE,
	size     bigint NOT NULL DEFAULT 0
);
CREATE TABLE log_entries (
	crawl_id bigint NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
	idx      bigint NOT NULL,
	data     bytea  NOT NULL,
	PRIMARY KEY (crawl_id, idx)
);
-- tlog stored hashes: stored-hash index → 32-byte hash (tlog.StoredHashIndex).
CREATE TABLE log_hashes (
	crawl_id bigint NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
	idx      bigint NOT NULL,
	hash     bytea  NOT NULL CHECK (length(hash) = 32),
	PRIMARY KEY (crawl_id, idx)
);
CREATE TABLE checkpoints (
	crawl_id   bigint      NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
	size       bigint      NOT NULL,
	note       bytea       NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (crawl_id, size)
);

CREATE TABLE consents (
	crawl_id bigint NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
	id       text   NOT NULL,
	-- Grant order; a replace keeps it.
	seq      bigint GENERATED ALWAYS AS IDENTITY,
	subject  text   NOT NULL,
	data     json   NOT NULL,
	PRIMARY KEY (crawl_id, id)
);
CREATE INDEX consents_seq ON consents (crawl_id, seq);
CREATE INDEX consents_subject ON consents (crawl_id, subject);
