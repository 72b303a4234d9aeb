#!/usr/bin/env bash
# Distributed crawling throughput (BENCHMARKS.md, "PostgreSQL workers"): on
# one loopback site, in one run, the same crawl with
#   1 worker on SQLite, 1 worker on PostgreSQL, 2 and 3 workers on PostgreSQL
# (repeated REPS times, alternating), reporting pages/s as the server counts
# them (/__stats deltas) and the database's share of the CPU time spent.
#
#   bench/workers.sh                         # HOSTS=20 PAGES=250 P=4 C=32 REPS=5
#   DSN=postgres://root@127.0.0.1:5432/mydb?sslmode=disable bench/workers.sh
#
# The scruple binary is built from a `git archive` of SCRUPLE_REF (default
# HEAD; SCRUPLE_REF=worktree builds the working tree). BASE_REF (optional)
# builds a second binary from another commit for paired comparisons: a
# configuration name ending in "b" (pg1b, sqlite1b) runs it, on BASE_DSN
# (default DSN; give an older commit its own schema, e.g.
# "...&options=-csearch_path%3Dbase", since a store refuses a schema migrated
# by a newer scruple). Each PostgreSQL run uses
# a fresh crawl name and deletes the crawl afterwards. PostgreSQL's CPU time is
# sampled from /proc every 100 ms for every postgres process (backends come and
# go with the workers' connections: each pid's last sample counts), so it
# misses at most the last 100 ms of each backend. All traffic stays on
# 127.0.0.0/8. With SCRUPLE_PGSTATS=1 in the environment, every PostgreSQL
# worker writes its per-method call counts and connection-pool waits to its
# stderr when it closes its store (postgres/stats.go); they are collected in
# pgstats.txt (a build of a commit without the counters writes nothing).
set -euo pipefail
# One block: bash reads it all before running it (safe to edit during a run).
{

DSN=${DSN:-${SCRUPLE_TEST_POSTGRES:-postgres://root@127.0.0.1:5432/test?sslmode=disable}}
HOSTS=${HOSTS:-20}
PAGES=${PAGES:-250}
P=${P:-4}
C=${C:-32}
REPS=${REPS:-5}
SCRUPLE_REF=${SCRUPLE_REF:-HEAD}
FIRST_IP=${FIRST_IP:-127.0.4.2}
CONFIGS=${CONFIGS:-"sqlite1 pg1 pg2 pg3"}
BASE_REF=${BASE_REF:-}
BASE_DSN=${BASE_DSN:-$DSN}

case "$FIRST_IP" in 127.*) ;; *) echo "FIRST_IP must be in 127.0.0.0/8" >&2; exit 2 ;; esac
command -v psql >/dev/null || { echo "need psql" >&2; exit 2; }

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH/results/workers-$STAMP}
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scruple-workers.XXXXXX")
SERVER_PID=
SAMPLER_PID=
cleanup() {
	for p in $SAMPLER_PID $SERVER_PID; do
		kill "$p" 2>/dev/null || true
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "== building into $WORK/bin"
mkdir -p "$WORK/bin"
if [ "$SCRUPLE_REF" = worktree ]; then
	SRC=$ROOT
	SCRUPLE_COMMIT="$(git -C "$ROOT" rev-parse --short HEAD)+worktree"
else
	SRC=$WORK/src
	mkdir -p "$SRC"
	git -C "$ROOT" archive "$SCRUPLE_REF" | tar -x -C "$SRC"
	SCRUPLE_COMMIT=$(git -C "$ROOT" rev-parse --short "$SCRUPLE_REF")
fi
(cd "$SRC" && go build -o "$WORK/bin/testweb" ./internal/testweb/cmd/testweb && go build -o "$WORK/bin/scruple" ./cmd/scruple)
BASE_COMMIT=
if [ -n "$BASE_REF" ]; then
	mkdir -p "$WORK/base-src" "$WORK/base-bin"
	git -C "$ROOT" archive "$BASE_REF" | tar -x -C "$WORK/base-src"
	BASE_COMMIT=$(git -C "$ROOT" rev-parse --short "$BASE_REF")
	(cd "$WORK/base-src" && go build -o "$WORK/base-bin/scruple" ./cmd/scruple)
	psql "$BASE_DSN" -Atc 'select 1' >/dev/null
fi

"$WORK/bin/testweb" -hosts "$HOSTS" -pages "$PAGES" -first-ip "$FIRST_IP" >"$OUT/testweb.out" 2>"$OUT/testweb.err" &
SERVER_PID=$!
for _ in $(seq 600); do
	grep -qx ready "$OUT/testweb.out" 2>/dev/null && break
	sleep 0.1
done
grep -qx ready "$OUT/testweb.out" || { echo "testweb not ready" >&2; exit 1; }
SEEDS=$(awk '$1 == "seed" {print $2}' "$OUT/testweb.out")
STATS_ADDR=$(awk 'NR == 1 {print $2}' "$OUT/testweb.out")
total() { curl -sf --max-time 10 "http://$STATS_ADDR/__stats" | grep -o '"total":[0-9]*' | cut -d: -f2; }
TCK=$(getconf CLK_TCK)

# pg_sample FILE: appends "pid ticks" (utime+stime) for every postgres
# process, in one pass over /proc (cheap enough to run every 100 ms)
pg_sample() {
	awk '$2 == "(postgres)" {print $1, $14 + $15; nextfile}' /proc/[0-9]*/stat 2>/dev/null >>"$1" || true
}
# busy ticks of the whole machine
busy() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8}' /proc/stat; }

{
	echo "date	$(date -Is)"
	echo "host	$(uname -srm), $(nproc) cores"
	echo "go	$(go version)"
	echo "scruple	commit $SCRUPLE_COMMIT"
	[ -z "$BASE_COMMIT" ] || echo "base	commit $BASE_COMMIT (configurations ending in b), store $BASE_DSN"
	echo "postgres	$(psql "$DSN" -Atc 'show server_version')"
	echo "uptime	$(uptime)"
	echo "corpus	$HOSTS hosts x $PAGES pages (testweb BenchSpec)"
	echo "settings	per worker: --per-host $P --concurrency $C --delay 0 --no-sitemaps; reps $REPS"
} | tee "$OUT/meta.txt"

RUNS=$OUT/runs.tsv
printf 'rep\tconfig\twall_s\tserved\tpages_per_s\tworkers_cpu_s\tpg_cpu_s\tmachine_busy_s\tpg_share\tload1_before\n' >"$RUNS"

run_one() { # rep config
	local rep=$1 cfg=$2 n name="" data="$WORK/data-$1-$2" before after t0 t1 b0 b1 samples
	local bin=$WORK/bin/scruple dsn=$DSN kind=${cfg%b}
	if [ "$kind" != "$cfg" ]; then
		[ -n "$BASE_REF" ] || { echo "configuration $cfg needs BASE_REF" >&2; exit 2; }
		bin=$WORK/base-bin/scruple dsn=$BASE_DSN
	fi
	case "$kind" in
	sqlite1) n=1 ;;
	pg*) n=${kind#pg}; name="bench-$STAMP-$rep-$cfg" ;;
	*) echo "unknown configuration $cfg" >&2; exit 2 ;;
	esac
	mkdir -p "$data"
	samples="$WORK/pg-$rep-$cfg"
	: >"$samples"
	pg_sample "$samples"
	cp "$samples" "$samples.base"
	(while :; do pg_sample "$samples"; sleep 0.1; done) &
	SAMPLER_PID=$!
	local l
	l=$(cut -d' ' -f1 /proc/loadavg)
	before=$(total)
	b0=$(busy)
	t0=$(date +%s.%N)
	local common=(--data "$data" --allow-cidr 127.0.0.0/8 --delay 0 --per-host "$P" --concurrency "$C" --no-sitemaps --quiet)
	if [ "$kind" = sqlite1 ]; then
		/usr/bin/time -f '%U %S' -o "$OUT/$rep-$cfg.w0.time" "$bin" crawl "${common[@]}" $SEEDS \
			>"$OUT/$rep-$cfg.w0.out" 2>"$OUT/$rep-$cfg.w0.err"
	else
		# The crawl process seeds and stores the settings; the workers join.
		/usr/bin/time -f '%U %S' -o "$OUT/$rep-$cfg.w0.time" "$bin" crawl "${common[@]}" \
			--store "$dsn" --crawl "$name" $SEEDS >"$OUT/$rep-$cfg.w0.out" 2>"$OUT/$rep-$cfg.w0.err" &
		local pids=($!)
		for i in $(seq 1 $((n - 1))); do
			# Start once the crawl exists with its seeds.
			for _ in $(seq 100); do
				[ "$(psql "$dsn" -Atc "select count(*) from crawls where name = '$name' and config ? 'seeds'")" = 1 ] && break
				sleep 0.05
			done
			/usr/bin/time -f '%U %S' -o "$OUT/$rep-$cfg.w$i.time" "$bin" work --data "$data" --concurrency "$C" --quiet \
				--store "$dsn" --crawl "$name" >"$OUT/$rep-$cfg.w$i.out" 2>"$OUT/$rep-$cfg.w$i.err" &
			pids+=($!)
		done
		for p in "${pids[@]}"; do wait "$p"; done
	fi
	t1=$(date +%s.%N)
	b1=$(busy)
	after=$(total)
	kill "$SAMPLER_PID" 2>/dev/null || true
	wait "$SAMPLER_PID" 2>/dev/null || true
	SAMPLER_PID=
	if [ -n "$name" ]; then
		psql "$dsn" -qc "delete from crawls where name = '$name'" >/dev/null
	fi
	rm -rf "$data"
	local wall served rate wcpu pgcpu mbusy share
	wall=$(echo "$t1 - $t0" | bc -l)
	served=$((after - before))
	rate=$(echo "$served / $wall" | bc -l)
	wcpu=$(cat "$OUT/$rep-$cfg".w*.time | awk '{s += $1 + $2} END {print s}')
	# per pid: last sample minus the baseline (0 for backends born during the run)
	pgcpu=$(awk -v tck="$TCK" 'FNR == NR {base[$1] = $2; next} {last[$1] = $2}
		END {for (p in last) s += last[p] - base[p]; print s / tck}' "$samples.base" "$samples")
	mbusy=$(echo "($b1 - $b0) / $TCK" | bc -l)
	share=$(echo "$pgcpu / $mbusy" | bc -l)
	printf '%s\t%s\t%.2f\t%s\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%s\n' "$rep" "$cfg" "$wall" "$served" "$rate" "$wcpu" "$pgcpu" "$mbusy" "$share" "$l" >>"$RUNS"
	printf '%-8s rep %d: %6.2fs  served %6d  %6.0f req/s  workers CPU %6.2fs  postgres CPU %6.2fs  machine busy %6.2fs  db share %.2f\n' \
		"$cfg" "$rep" "$wall" "$served" "$rate" "$wcpu" "$pgcpu" "$mbusy" "$share"
}

for rep in $(seq "$REPS"); do
	for cfg in $CONFIGS; do
		run_one "$rep" "$cfg"
	done
done

echo
echo "== medians (requests/s as served by testweb, robots.txt included)"
awk -F'\t' 'NR > 1 {r[$2] = r[$2] " " $5; s[$2] = s[$2] " " $9; k[$2] = 1}
	function med(list,   a, n, i, j, t) { n = split(list, a, " ");
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	END {for (c in k) printf "%-8s %8.0f req/s   db CPU share %.2f\n", c, med(r[c]), med(s[c])}' "$RUNS" | sort | tee "$OUT/summary.txt"
# Per repetition, the ratio of each configuration's rate to the first
# configuration's (sqlite1 by default) and to the one before it; medians.
awk -F'\t' -v cfgs="$CONFIGS" 'NR > 1 {r[$1 "," $2] = $5; reps[$1] = 1}
	function med(list,   a, n, i, j, t) { n = split(list, a, " ");
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2 }
	END { n = split(cfgs, c, " ");
		for (k = 2; k <= n; k++) { l1 = ""; l2 = "";
			for (rep in reps) { if (r[rep "," c[1]] > 0) l1 = l1 " " r[rep "," c[k]] / r[rep "," c[1]];
				if (r[rep "," c[k-1]] > 0) l2 = l2 " " r[rep "," c[k]] / r[rep "," c[k-1]] }
			printf "median ratio %s/%s %.3f   %s/%s %.3f   (per rep:%s)\n", c[k], c[1], med(l1), c[k], c[k-1], med(l2), l1 } }' \
	"$RUNS" | tee -a "$OUT/summary.txt"
echo "uptime after	$(uptime)" | tee -a "$OUT/meta.txt"
(cd "$OUT" && grep -H '^pgstats ' ./*.err 2>/dev/null | sed 's|^\./||') >"$OUT/pgstats.txt" || true
[ -s "$OUT/pgstats.txt" ] || rm -f "$OUT/pgstats.txt"
echo "raw results: $OUT"
exit
}
