#!/usr/bin/env bash
# One PostgreSQL crawl of bench/workers.sh's corpus (20 hosts x 250 pages, one
# worker, --per-host 4 --concurrency 32 --delay 0 --no-sitemaps) under a
# system-wide `perf record`, with the database's own counters around it
# (BENCHMARKS.md, "PostgreSQL workers"):
#
#   DSN=postgres://root@127.0.0.1:5432/DB?sslmode=disable bench/pgperf.sh REF OUTDIR
#
# OUTDIR gets pgstat-deltas.txt (pg_stat_database's transactions and tuples,
# then per table: inserted, updated, HOT-updated, deleted rows over the
# crawl; the database should be used by nothing else meanwhile),
# perf-postgres.txt (the hottest symbols of the postgres processes, in % of
# all the machine's samples), crawl.err (the worker's pgstats line) and
# meta.txt. Needs perf with system-wide access (perf_event_paranoid <= 2 as
# root). All traffic stays on 127.0.0.0/8.
set -euo pipefail
REF=${1:?commit}
OUT=${2:?output directory}
DSN=${DSN:-${SCRUPLE_TEST_POSTGRES:?set DSN}}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d "${TMPDIR:-/tmp}/scruple-pgperf.XXXXXX")
TW=
trap '[ -z "$TW" ] || kill "$TW" 2>/dev/null; rm -rf "$W"' EXIT
mkdir -p "$OUT" "$W/src"
git -C "$ROOT" archive "$REF" | tar -x -C "$W/src"
(cd "$W/src" && go build -o "$W/testweb" ./internal/testweb/cmd/testweb && go build -o "$W/scruple" ./cmd/scruple)
"$W/testweb" -hosts 20 -pages 250 -first-ip 127.0.4.2 >"$W/tw.out" 2>/dev/null &
TW=$!
for _ in $(seq 300); do grep -qx ready "$W/tw.out" 2>/dev/null && break; sleep 0.1; done
SEEDS=$(awk '$1 == "seed" {print $2}' "$W/tw.out")
snap() {
	psql "$DSN" -Atc "select 'db', xact_commit, tup_inserted, tup_updated, tup_deleted, blks_hit from pg_stat_database where datname = current_database()
	union all select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, n_tup_del, 0 from pg_stat_user_tables order by 1"
}
sleep 1
snap >"$W/s0"
name=perf-$REF-$(date +%s)
{
	echo "commit	$(git -C "$ROOT" rev-parse --short "$REF")"
	echo "uptime before	$(uptime)"
} >"$OUT/meta.txt"
SCRUPLE_PGSTATS=1 perf record -q -a -F 499 -o "$W/perf.data" -- "$W/scruple" crawl --data "$W/d" --allow-cidr 127.0.0.0/8 \
	--delay 0 --per-host 4 --concurrency 32 --no-sitemaps --quiet --store "$DSN" --crawl "$name" $SEEDS \
	2>"$OUT/crawl.err" >/dev/null
echo "uptime after	$(uptime)" >>"$OUT/meta.txt"
sleep 1.5 # the statistics collector's flush
snap >"$W/s1"
{
	echo "# relation, then deltas: db: transactions, tuples inserted, updated, deleted; tables: inserted, updated, HOT-updated, deleted"
	join -t'|' "$W/s0" "$W/s1" | awk -F'|' '{printf "%-20s %8d %8d %8d %8d\n", $1, $7-$2, $8-$3, $9-$4, $10-$5}'
} >"$OUT/pgstat-deltas.txt"
psql "$DSN" -qc "delete from crawls where name = '$name'" >/dev/null
perf report -i "$W/perf.data" --comm postgres --sort sym --stdio 2>/dev/null | grep -v '^#' | grep -v '^$' | head -45 >"$OUT/perf-postgres.txt" || true
