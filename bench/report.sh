#!/usr/bin/env bash
# `scruple report` speed and memory (issue 13: a 100,000-record bundle in
# under 10 s, bounded memory), see BENCHMARKS.md.
#
#  1. Whole process: bench/cmd/reportbundle writes synthetic bundles (6 KB
#     pages, 100 hosts) of N and 2N records; then, PAIRS times, alternating,
#     `scruple verify DIR` (the peer: the verification every report runs
#     first) and `scruple report DIR --key KEY`, each under /usr/bin/time -v.
#     Medians of wall time and peak RSS, and the median of the pair-by-pair
#     ratio report/verify. The 2N bundle shows how memory grows with records.
#  2. Go benchmark: report.BenchmarkReport (Build + WriteHTML), COUNT runs,
#     records/s and the peak live heap; benchstat summarises.
#
#   bench/report.sh
#   PAIRS=7 N=100000 COUNT=5 bench/report.sh
#
# Raw results go to bench/results/report-DATE/.
# scruple is built from a `git archive` of SCRUPLE_REF (default HEAD;
# SCRUPLE_REF=worktree builds the working tree and meta.txt says so).
set -euo pipefail

PAIRS=${PAIRS:-5}
N=${N:-100000}
TEXT=${TEXT:-6000}
COUNT=${COUNT:-6}
PARTS=${PARTS:-"process go"}

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH/results/report-$STAMP}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/scruple-reportbench.XXXXXX")}
mkdir -p "$OUT" "$WORK/bin"
[ -x /usr/bin/time ] || { echo "need /usr/bin/time (GNU time)" >&2; exit 2; }
BENCHSTAT=${BENCHSTAT:-$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")}
. "$BENCH/lib/source.sh"
scruple_source "$WORK/src"

{
	echo "date	$(date -Iseconds)"
	echo "host	$(uname -srm), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GB"
	echo "go	$(go version)"
	echo "scruple	$SRC_DESC"
	echo "uptime	$(uptime)"
} | tee "$OUT/meta.txt"

echo "== building into $WORK/bin"
(cd "$SRC" && go build -o "$WORK/bin/scruple" ./cmd/scruple && go test -c -o "$WORK/bin/report.test" ./report)
(cd "$SRC/bench" && go build -o "$WORK/bin/reportbundle" ./cmd/reportbundle)

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

# timed NAME OUTFILE CMD...: runs CMD under /usr/bin/time -v and prints
# "wall_s user_s sys_s rss_kb exit".
timed() {
	local t=$1; shift
	set +e
	/usr/bin/time -v -o "$t.time" "$@" > "$t.out" 2>&1
	local rc=$?
	set -e
	awk -F': ' -v rc="$rc" '
		/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; w=s}
		/User time/ {u=$2} /System time/ {y=$2} /Maximum resident/ {r=$2}
		END {printf "%s\t%s\t%s\t%s\t%s\n", w, u, y, r, rc}' "$t.time"
}

case " $PARTS " in *" process "*)
	for n in "$N" "$((2 * N))"; do
		B="$WORK/bundle-$n"
		"$WORK/bin/reportbundle" -out "$B" -n "$n" -text "$TEXT" | tee "$OUT/bundle-$n.txt"
		KEY=$(awk -F'\t' '/^key/ {print $2}' "$OUT/bundle-$n.txt")
		echo "bundle $n: $(du -sh "$B" | cut -f1), records.jsonl $(stat -c %s "$B/records.jsonl") B, log.jsonl $(stat -c %s "$B/log.jsonl") B" | tee -a "$OUT/meta.txt"
		cat "$B"/* > /dev/null # warm the page cache
		printf 'pair\ttool\twall_s\tuser_s\tsys_s\trss_kb\texit\tload1\n' > "$OUT/runs-$n.tsv"
		pairs=$PAIRS
		[ "$n" = "$N" ] || pairs=3 # the larger bundle only shows the memory slope
		for i in $(seq "$pairs"); do
			load=$(cut -d' ' -f1 /proc/loadavg)
			printf '%s\tverify\t%s\t%s\n' "$i" "$(timed "$OUT/verify-$n-$i" "$WORK/bin/scruple" verify "$B" --key "$KEY")" "$load" | tee -a "$OUT/runs-$n.tsv"
			load=$(cut -d' ' -f1 /proc/loadavg)
			printf '%s\treport\t%s\t%s\n' "$i" "$(timed "$OUT/report-$n-$i" "$WORK/bin/scruple" report "$B" --key "$KEY" --lang en --out "$WORK/report-$n.html")" "$load" | tee -a "$OUT/runs-$n.tsv"
		done
		awk -F'\t' 'NR>1 && $7 != 0 {bad=1} END {exit bad}' "$OUT/runs-$n.tsv" || { echo "a run failed"; exit 1; }
		col() { awk -F'\t' -v t="$1" -v c="$2" 'NR>1 && $2==t {print $c}' "$OUT/runs-$n.tsv"; }
		paste <(col verify 3) <(col report 3) | awk '{print $2/$1}' > "$OUT/ratio-$n.list"
		awk -v n="$n" -v vw="$(col verify 3 | median)" -v rw="$(col report 3 | median)" \
			-v vr="$(col verify 6 | median)" -v rr="$(col report 6 | median)" -v ratio="$(median < "$OUT/ratio-$n.list")" \
			-v size="$(stat -c %s "$WORK/report-$n.html")" 'BEGIN {
			printf "%d records: report median wall %.2f s (%.0f records/s), peak RSS %.0f MB; verify %.2f s, %.0f MB; median pair ratio report/verify %.2f; report.html %.0f KB\n",
				n, rw, n/rw, rr/1024, vw, vr/1024, ratio, size/1024 }' | tee -a "$OUT/summary.txt"
		rm -rf "$B"
	done
;; esac

case " $PARTS " in *" go "*)
	echo "== report.BenchmarkReport, $COUNT runs"
	(cd "$SRC/report" && "$WORK/bin/report.test" -test.run '^$' -test.bench 'BenchmarkReport' \
		-test.benchtime 3x -test.count "$COUNT") | tee "$OUT/bench.txt"
	(cd "$OUT" && "$BENCHSTAT" bench.txt) | tee "$OUT/benchstat.txt" || true # relative name: no absolute path in the results
;; esac
echo "uptime after	$(uptime)" | tee -a "$OUT/meta.txt"
rm -rf "$WORK"
echo "results in $OUT"
