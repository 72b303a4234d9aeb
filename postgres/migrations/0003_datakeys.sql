-- Issue 10: crypto-shredding and compare-and-swap purges.

-- version makes ReplaceRecord a compare-and-swap: a purge working from a copy
-- read before another purge cannot write the other's purged value back.
ALTER TABLE records ADD COLUMN version bigint NOT NULL DEFAULT 0;

-- data_keys holds each consent's data key (package shred), wrapped by a key
-- derived from the data directory's consent key, which never enters the
-- database. Deleting the row at withdrawal, refusal or expiry makes every
-- copy of the values sealed under it (dead tuples, TOAST, WAL, replicas,
-- backups) unreadable to anyone who does not also hold an old copy of this
-- row together with the consent key.
CREATE TABLE data_keys (
	crawl_id bigint NOT NULL REFERENCES crawls(id) ON DELETE CASCADE,
	consent  text   NOT NULL,
	wrapped  bytea  NOT NULL,
	PRIMARY KEY (crawl_id, consent)
);
