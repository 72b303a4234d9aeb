-- Issue 14: fewer politeness round trips. A worker keeps a host's request
-- slot between its own requests to the host (crawler/sticky.go) for as long as
-- no other worker wants the host and the host is not backing off. wanted_at is
-- when a TakeSlot was last refused because every slot of the host was taken;
-- the holders read it, with backoff_until, once per interval for all the hosts
-- they hold (ContendedHosts) and give their slots back when it is recent.
ALTER TABLE host_politeness ADD COLUMN wanted_at timestamptz NOT NULL DEFAULT '-infinity';
