-- Issue 14: cheaper commits. A record's JSON (page text, usually over the
-- 2 kB TOAST threshold) was compressed with pglz, which a CPU profile of the
-- database during a one-worker crawl put at 19 % of PostgreSQL's CPU time
-- (bench/workers.sh, BENCHMARKS.md "PostgreSQL workers"). lz4 compresses
-- several times faster at a similar ratio for text. Only values written from
-- now on use it; older ones stay readable as they are. A server built without
-- lz4 keeps pglz: the migration must not fail there.
DO $$
BEGIN
	ALTER TABLE records ALTER COLUMN data SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
	RAISE NOTICE 'lz4 not available: records keep pglz compression';
END
$$;
