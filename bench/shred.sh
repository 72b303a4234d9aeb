#!/usr/bin/env bash
# Crypto-shredding cost (issue 10), method: BENCHMARKS.md, "How we measure".
#
# sqlite BenchmarkCommitShred and BenchmarkExportShred
# (sqlite/shred_bench_test.go): the same records committed, then exported,
# by a store without a keyring (shred=off: kept values in clear, the
# behaviour before issue 10) and with one (shred=on), per core
# (GOMAXPROCS=1). Every record keeps one value under consent: the worst case.
# The test binary runs COUNT times with -count 1, each run doing off then on,
# so the two alternate; benchstat and the median per-pair ratio summarise.
#
#   bench/shred.sh
#   COUNT=10 bench/shred.sh
#
# scruple is built from a `git archive` of SCRUPLE_REF (default HEAD;
# SCRUPLE_REF=worktree builds the working tree and meta.txt says so). Raw
# results go to
# bench/results/shred-DATE-COMMIT/ (meta.txt, load.txt, shred.txt,
# benchstat.txt, ratios.txt).
set -euo pipefail

COUNT=${COUNT:-8}
BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
COMMIT=$(git -C "$ROOT" rev-parse --short "${SCRUPLE_REF:-HEAD}^{commit}")
OUT=${OUT:-$BENCH/results/shred-$(date -u +%Y%m%d-%H%M%S)-$COMMIT}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/scruple-shredbench.XXXXXX")}
mkdir -p "$OUT" "$WORK/bin"
BENCHSTAT=${BENCHSTAT:-$(command -v benchstat || echo "$(go env GOPATH)/bin/benchstat")}
. "$BENCH/lib/source.sh"
scruple_source "$WORK/src"

{
	echo "date	$(date -u -Iseconds)"
	echo "host	$(uname -srm), $(nproc) cores"
	echo "go	$(go version)"
	echo "scruple	$SRC_DESC"
	echo "uptime	$(uptime)"
} | tee "$OUT/meta.txt"

(cd "$SRC" && go test -c -o "$WORK/bin/sqlite.test" ./sqlite)

median() { sort -g | awk '{a[NR]=$1} END {print (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }

: > "$OUT/shred.txt"
: > "$OUT/load.txt"
for i in $(seq "$COUNT"); do
	echo "run $i  $(uptime)" | tee -a "$OUT/load.txt"
	(cd "$WORK" && GOMAXPROCS=1 ./bin/sqlite.test -test.run '^$' -test.bench 'CommitShred' \
		-test.benchmem -test.count 1 -test.benchtime 2s) | tee -a "$OUT/shred.txt"
	(cd "$WORK" && GOMAXPROCS=1 ./bin/sqlite.test -test.run '^$' -test.bench 'ExportShred' \
		-test.benchmem -test.count 1 -test.benchtime 3x) | tee -a "$OUT/shred.txt"
done
echo "end  $(uptime)" | tee -a "$OUT/load.txt"
if [ -x "$BENCHSTAT" ]; then
	(cd "$OUT" && "$BENCHSTAT" shred.txt) | tee "$OUT/benchstat.txt"
fi

# metric BENCH UNIT: the values of UNIT for sub-benchmark BENCH, in run order.
metric() { grep "^Benchmark$1" "$OUT/shred.txt" | awk -v m="$2" '{for(i=1;i<=NF;i++) if($(i+1)==m) print $i}'; }
{
	for b in CommitShred ExportShred; do
		for m in ns/record cpu-ns/record; do
			off=$(metric "$b/shred=off" "$m" | median)
			on=$(metric "$b/shred=on" "$m" | median)
			ratios=$(paste <(metric "$b/shred=off" "$m") <(metric "$b/shred=on" "$m") | awk '{printf "%.4f\n", $2/$1}')
			diffs=$(paste <(metric "$b/shred=off" "$m") <(metric "$b/shred=on" "$m") | awk '{printf "%.0f\n", $2-$1}')
			echo "$b $m: off median $off, on median $on, median pair ratio $(echo "$ratios" | median)" \
				"(min $(echo "$ratios" | sort -g | head -1), max $(echo "$ratios" | sort -g | tail -1)), median pair difference $(echo "$diffs" | median)"
		done
	done
} | tee "$OUT/ratios.txt"
rm -rf "$WORK"
echo "results in $OUT"
