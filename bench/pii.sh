#!/usr/bin/env bash
# Personal-information detection speed (issue 4), method: BENCHMARKS.md,
# "How we measure".
#
#  1. Writes the corpus once (bench/pii/cmd/gencorpus): a 100 MiB sparse
#     mixed Chinese/English corpus (~1 value per 3.5 KB), a 16 MiB dense one
#     (~1 value per 150 B), and the sparse one split into FILES files.
#  2. go test -bench in bench/pii, per core (GOMAXPROCS=1): BenchmarkScruple
#     (pii engine, all detectors) and BenchmarkRegexp (bench/pii/baseline) on
#     the same bytes. The test binary is run COUNT times with -count 1, each run
#     doing Scruple then Regexp, so the two alternate; benchstat summarises.
#  3. scruple scan --format json DIR on the FILES files, whole process under
#     /usr/bin/time -v, --workers 1 and --workers 2 alternately, PAIRS pairs.
#
#   bench/pii.sh                     # everything
#   PARTS=scan PAIRS=7 bench/pii.sh  # only the scan part
#   COUNT=5 PARTS=bench bench/pii.sh
#
# Raw results go to bench/pii/results/pii-DATE/.
# scruple is built from a `git archive` of SCRUPLE_REF (default HEAD;
# SCRUPLE_REF=worktree builds the working tree and meta.txt says so).
set -euo pipefail

PARTS=${PARTS:-"bench scan"}
COUNT=${COUNT:-10}
PAIRS=${PAIRS:-5}
FILES=${FILES:-100}

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH/pii/results/pii-$STAMP}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/scruple-piibench.XXXXXX")}
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
(cd "$SRC/bench" && go build -o "$WORK/bin/gencorpus" ./pii/cmd/gencorpus && go test -c -o "$WORK/bin/pii.test" ./pii/)
(cd "$SRC" && go build -o "$WORK/bin/scruple" ./cmd/scruple)

if [ ! -f "$WORK/corpus/sparse.txt" ]; then
	echo "== corpus"
	"$WORK/bin/gencorpus" -out "$WORK/corpus" -files "$FILES"
fi
ls -l "$WORK/corpus/" | tee -a "$OUT/meta.txt"

case " $PARTS " in *" bench "*)
	echo "== go test -bench, GOMAXPROCS=1, $COUNT alternating runs"
	: > "$OUT/bench.txt"
	for i in $(seq "$COUNT"); do
		echo "run $i  $(uptime)" | tee -a "$OUT/load.txt"
		(cd "$WORK" && PIIBENCH_DIR="$WORK/corpus" GOMAXPROCS=1 ./bin/pii.test -test.run '^$' \
			-test.bench 'Scruple|Regexp' -test.benchmem -test.count 1) | tee -a "$OUT/bench.txt"
	done
	(cd "$OUT" && "$BENCHSTAT" bench.txt) | tee "$OUT/benchstat.txt" # relative name: no absolute path in the results
	# Per-pair ratio: the i-th Scruple run against the i-th Regexp run, for
	# wall-clock MB/s and for MB per CPU-second.
	for c in sparse dense; do for m in MB/s MB/cpu-s; do
		paste <(grep "^BenchmarkScruple/corpus=$c" "$OUT/bench.txt" | awk -v m=$m '{for(i=1;i<=NF;i++) if($(i+1)==m) print $i}') \
		      <(grep "^BenchmarkRegexp/corpus=$c" "$OUT/bench.txt" | awk -v m=$m '{for(i=1;i<=NF;i++) if($(i+1)==m) print $i}') |
			awk -v c=$c -v m=$m '{r[NR]=$1/$2; s[NR]=$1; g[NR]=$2} END {
				n=asort(r); asort(s); asort(g); mr=(n%2)?r[(n+1)/2]:(r[n/2]+r[n/2+1])/2
				ms=(n%2)?s[(n+1)/2]:(s[n/2]+s[n/2+1])/2; mg=(n%2)?g[(n+1)/2]:(g[n/2]+g[n/2+1])/2
				printf "corpus=%s %s pairs %d: median scruple %.1f, regexp %.2f, median pair ratio %.1fx (min %.1f max %.1f)\n", c, m, n, ms, mg, mr, r[1], r[n]}'
	done; done | tee "$OUT/ratio.txt"
;; esac

case " $PARTS " in *" scan "*)
	DIR="$WORK/corpus/files"
	BYTES=$(cat "$DIR"/* | wc -c)
	echo "== scruple scan --format json on $FILES files ($BYTES bytes), workers 1 vs 2, $PAIRS pairs"
	cat "$DIR"/* > /dev/null # warm the page cache
	printf 'pair\tworkers\twall_s\tuser_s\tsys_s\trss_kb\texit\tload1\n' > "$OUT/scan.tsv"
	for i in $(seq "$PAIRS"); do
		for w in 1 2; do
			load=$(cut -d' ' -f1 /proc/loadavg)
			set +e
			/usr/bin/time -v -o "$OUT/scan-w$w-$i.time" "$WORK/bin/scruple" scan --format json --workers "$w" "$DIR" > "$OUT/scan-w$w-$i.jsonl" 2> "$OUT/scan-w$w-$i.err"
			rc=$?
			set -e
			[ "$rc" -le 1 ] || { echo "scan failed (exit $rc)"; cat "$OUT/scan-w$w-$i.err"; exit 1; }
			wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$OUT/scan-w$w-$i.time")
			user=$(awk -F': ' '/User time/ {print $2}' "$OUT/scan-w$w-$i.time")
			sys=$(awk -F': ' '/System time/ {print $2}' "$OUT/scan-w$w-$i.time")
			rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$OUT/scan-w$w-$i.time")
			printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$i" "$w" "$wall" "$user" "$sys" "$rss" "$rc" "$load" | tee -a "$OUT/scan.tsv"
			wc -l < "$OUT/scan-w$w-$i.jsonl" > "$OUT/scan-w$w-$i.count"; rm -f "$OUT/scan-w$w-$i.jsonl"
		done
	done
	awk -F'\t' -v bytes="$BYTES" 'NR>1 {w[$1,$2]=$3; u[$1,$2]=$4+$5; r[$1,$2]=$6; p[$1]=1}
		function med(a,n,  m) { m=asort(a); return (m%2)?a[(m+1)/2]:(a[m/2]+a[m/2+1])/2 }
		END { n=0; for (i in p) { n++; a1[n]=w[i,1]; a2[n]=w[i,2]; rt[n]=w[i,1]/w[i,2]; c1[n]=u[i,1]; c2[n]=u[i,2]; m1[n]=r[i,1]; m2[n]=r[i,2] }
			x1=med(a1,n); x2=med(a2,n)
			printf "workers 1: median wall %.2f s = %.1f MB/s, CPU %.2f s, peak RSS %.0f MB\n", x1, bytes/1e6/x1, med(c1,n), med(m1,n)/1024
			printf "workers 2: median wall %.2f s = %.1f MB/s, CPU %.2f s, peak RSS %.0f MB\n", x2, bytes/1e6/x2, med(c2,n), med(m2,n)/1024
			printf "pairs %d: median speed-up (wall1/wall2 per pair) %.2fx\n", n, med(rt,n) }' "$OUT/scan.tsv" | tee "$OUT/scan-summary.txt"
	echo "findings per run: $(cat "$OUT"/scan-w*-*.count | sort -u | tr '\n' ' ')" | tee -a "$OUT/scan-summary.txt"
;; esac
echo "uptime after	$(uptime)" | tee -a "$OUT/meta.txt"
echo "results in $OUT"
