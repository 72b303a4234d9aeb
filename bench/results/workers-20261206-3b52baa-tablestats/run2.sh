#!/bin/bash
# usage: run2.sh NAME REF : one pg1 crawl under system-wide perf, with table/db stat deltas
cd "$(git rev-parse --show-toplevel)"
D="postgres://root@127.0.0.1:5432/scruple_pg?sslmode=disable"
snap() { psql "$D" -Atc "select 'db', xact_commit, tup_inserted, tup_updated, tup_fetched, blks_hit from pg_stat_database where datname=current_database() union all select relname, n_tup_ins, n_tup_upd, n_tup_hot_upd, seq_scan, coalesce(idx_scan,0) from pg_stat_user_tables where schemaname='public' order by 1"; }
snap > ${TMPDIR:-/tmp}/$1.s0
nice perf record -a -F 299 -o ${TMPDIR:-/tmp}/$1.data -- sleep 1000 >${TMPDIR:-/tmp}/$1.perf.out 2>&1 &
PERF=$!
sleep 1
OUT=${TMPDIR:-/tmp}/$1 SCRUPLE_REF=${2:-HEAD} REPS=1 CONFIGS="pg1" DSN="$D" bench/workers.sh 2>&1 | tail -4
kill -INT $PERF; wait $PERF
sleep 1; snap > ${TMPDIR:-/tmp}/$1.s1
join ${TMPDIR:-/tmp}/$1.s0 ${TMPDIR:-/tmp}/$1.s1 -t'|' | awk -F'|' '{printf "%-20s", $1; for (i=2;i<=6;i++) printf " %10d", $(i+5)-$i; print ""}'
