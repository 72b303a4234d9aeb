#!/usr/bin/env bash
# Provenance log cost and verify speed (issue 5), method: BENCHMARKS.md,
# "How we measure".
#
#  1. Commit cost: sqlite BenchmarkCommitLog (sqlite/log_bench_test.go), the
#     same batches of 256 realistic page records committed with the log off and
#     on, per core (GOMAXPROCS=1). The test binary runs COUNT times with
#     -count 1, each run doing log=off then log=on, so the two alternate;
#     benchstat and the median per-pair ratio of ns/record summarise.
#  2. Verify speed: bench/pii/cmd/provbundle writes a bundle of N records
#     (provenance.Export over a MemLog store), for each TEXTS text size; then
#     `scruple verify DIR` runs RUNS times per bundle under /usr/bin/time -v.
#
#   bench/provenance.sh
#   COUNT=5 RUNS=7 N=200000 TEXTS="6000" bench/provenance.sh
#   PARTS=verify bench/provenance.sh
#
# Raw results go to bench/pii/results/prov-DATE/.
# scruple is built from a `git archive` of SCRUPLE_REF (default HEAD;
# SCRUPLE_REF=worktree builds the working tree and meta.txt says so).
set -euo pipefail

PARTS=${PARTS:-"commit verify"}
COUNT=${COUNT:-10}
RUNS=${RUNS:-7}
N=${N:-100000}
TEXTS=${TEXTS:-"6000 500"}

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH/pii/results/prov-$STAMP}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/scruple-provbench.XXXXXX")}
mkdir -p "$OUT" "$WORK/bin"
[ -x /usr/bin/time ] || { echo "need /usr/bin/time (GNU time)" >&2; exit 2; }
BENCHSTAT=${BENCHSTAT:-$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")}
. "$BENCH/lib/source.sh"
scruple_source "$WORK/src"

{
	echo "date	$(date -Iseconds)"
	echo "host	$(uname -srm), $(nproc) cores"
	echo "go	$(go version)"
	echo "scruple	$SRC_DESC"
	echo "uptime	$(uptime)"
} | tee "$OUT/meta.txt"

echo "== building into $WORK/bin"
(cd "$SRC" && go test -c -o "$WORK/bin/sqlite.test" ./sqlite && go build -o "$WORK/bin/scruple" ./cmd/scruple)
(cd "$SRC/bench" && go build -o "$WORK/bin/provbundle" ./pii/cmd/provbundle)

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

case " $PARTS " in *" commit "*)
	echo "== sqlite BenchmarkCommitLog, GOMAXPROCS=1, $COUNT alternating runs"
	: > "$OUT/commit.txt"
	for i in $(seq "$COUNT"); do
		echo "run $i  $(uptime)" | tee -a "$OUT/load.txt"
		(cd "$WORK" && GOMAXPROCS=1 ./bin/sqlite.test -test.run '^$' -test.bench 'CommitLog' \
			-test.benchmem -test.count 1 -test.benchtime 2s) | tee -a "$OUT/commit.txt"
	done
	(cd "$OUT" && "$BENCHSTAT" commit.txt) | tee "$OUT/benchstat.txt" # relative name: no absolute path in the results
	ns() { grep "^BenchmarkCommitLog/log=$1" "$OUT/commit.txt" | awk -v m="$2" '{for(i=1;i<=NF;i++) if($(i+1)==m) print $i}'; }
	{
		for m in ns/record cpu-ns/record; do
			paste <(ns off $m) <(ns on $m) | awk '{print $2/$1}' > "$OUT/ratio.list"
			echo "$m: log=off median $(ns off $m | median), log=on median $(ns on $m | median)," \
				"median pair ratio on/off $(median < "$OUT/ratio.list") (min $(sort -g "$OUT/ratio.list" | head -1), max $(sort -g "$OUT/ratio.list" | tail -1))"
		done
	} | tee "$OUT/commit-summary.txt"
;; esac

case " $PARTS " in *" verify "*)
	for t in $TEXTS; do
		B="$WORK/bundle-$N-t$t"
		[ -f "$B/manifest.json" ] || "$WORK/bin/provbundle" -out "$B" -n "$N" -text "$t" | tee -a "$OUT/meta.txt"
		echo "bundle $B: $(du -sh "$B" | cut -f1), records.jsonl $(stat -c %s "$B/records.jsonl") B, log.jsonl $(stat -c %s "$B/log.jsonl") B" | tee -a "$OUT/meta.txt"
		cat "$B"/* > /dev/null # warm the page cache
		printf 'run\twall_s\tuser_s\tsys_s\trss_kb\texit\tload1\n' > "$OUT/verify-t$t.tsv"
		for i in $(seq "$RUNS"); do
			load=$(cut -d' ' -f1 /proc/loadavg)
			set +e
			/usr/bin/time -v -o "$OUT/verify-t$t-$i.time" "$WORK/bin/scruple" verify "$B" > "$OUT/verify-t$t-$i.out" 2>&1
			rc=$?
			set -e
			[ "$rc" -eq 0 ] || { echo "verify failed (exit $rc)"; cat "$OUT/verify-t$t-$i.out"; exit 1; }
			wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$OUT/verify-t$t-$i.time")
			user=$(awk -F': ' '/User time/ {print $2}' "$OUT/verify-t$t-$i.time")
			sys=$(awk -F': ' '/System time/ {print $2}' "$OUT/verify-t$t-$i.time")
			rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$OUT/verify-t$t-$i.time")
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$wall" "$user" "$sys" "$rss" "$rc" "$load" | tee -a "$OUT/verify-t$t.tsv"
		done
		w=$(awk -F'\t' 'NR>1 {print $2}' "$OUT/verify-t$t.tsv" | median)
		c=$(awk -F'\t' 'NR>1 {print $3+$4}' "$OUT/verify-t$t.tsv" | median)
		r=$(awk -F'\t' 'NR>1 {print $5}' "$OUT/verify-t$t.tsv" | median)
		awk -v n="$N" -v w="$w" -v c="$c" -v r="$r" -v t="$t" 'BEGIN {
			printf "text %s B: %d records, median wall %.2f s = %.0f records/s; median CPU %.2f s = %.0f records/CPU-s; peak RSS %.0f MB\n", t, n, w, n/w, c, n/c, r/1024 }' |
			tee -a "$OUT/verify-summary.txt"
	done
;; esac
echo "uptime after	$(uptime)" | tee -a "$OUT/meta.txt"
echo "results in $OUT"
