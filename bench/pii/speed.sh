#!/usr/bin/env bash
# Issue 11 item 5: personal-information engine speed per core, against the
# naive four-regexp detector (bench/pii/naive) and against the engine before
# issue 11 (BEFORE), on the same 80 MiB mixed Chinese/English file, in one
# run. Go benchmarks (not timed tests), GOMAXPROCS=1, alternating
#   new engine, naive, old engine   (PAIRS times)
# then medians and the median of the per-pair ratios. Raw output, load and
# meta under bench/pii/results/speed-DATE/.
#
#   bench/pii/speed.sh                    # 7 rounds
#   PAIRS=9 BEFORE=90c71db bench/pii/speed.sh
set -euo pipefail
summary() { # bench.txt: medians and median pair ratios, wall MB/s and MB per CPU-second
	for m in MB/s MB/cpu-s; do
		awk -v m="$m" '{k=$1; sub(/\/.*/, "", k); for(i=1;i<=NF;i++) if($(i+1)==m) v[k]=v[k] " " $i}
			END {print v["new"] "|" v["naive"] "|" v["old"]}' "$1" |
		awk -F'|' -v m="$m" 'function med(s,  a,n){n=split(s,a," "); asort(a); return (n%2)?a[(n+1)/2]:(a[n/2]+a[n/2+1])/2}
			{ n=split($1,x," "); split($2,y," "); split($3,z," "); r1=""; r2=""
			  for(i=1;i<=n;i++){ r1=r1 " " x[i]/y[i]; r2=r2 " " x[i]/z[i] }
			  printf "%s: rounds %d; median new %.1f, naive %.2f, old %.1f; median pair ratio new/naive %.1fx (min %.1f), new/old %.2fx\n",
				m, n, med($1), med($2), med($3), med(r1), minv(r1), med(r2) }
			function minv(s,  a,n,i,mn){n=split(s,a," "); mn=a[1]; for(i=2;i<=n;i++) if(a[i]<mn) mn=a[i]; return mn}'
	done
}
if [ -n "${SUMMARY_ONLY:-}" ]; then summary "$SUMMARY_ONLY/bench.txt"; exit; fi
PAIRS=${PAIRS:-7}
BEFORE=${BEFORE:-90c71db}   # main before issue 11 items 3-5
BENCH=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH/pii/results/speed-$STAMP}
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/scruple-pispeed.XXXXXX")}
mkdir -p "$OUT" "$WORK/bin"
{
	echo "date	$(date -Iseconds)"
	echo "host	$(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"
	echo "go	$(go version)"
	echo "scruple	$(git -C "$ROOT" rev-parse --short HEAD) (dirty files under pii/ bench/pii/: $(git -C "$ROOT" status --porcelain -- pii bench/pii | grep -v '^??' | wc -l))"
	echo "before	$BEFORE"
	echo "uptime	$(uptime)"
} | tee "$OUT/meta.txt"

(cd "$BENCH" && go build -o "$WORK/bin/gencorpus" ./pii/cmd/gencorpus && go test -c -o "$WORK/bin/new.test" ./pii/)
rm -rf "$WORK/old" && mkdir -p "$WORK/old"
git -C "$ROOT" archive "$BEFORE" | tar -x -C "$WORK/old"
(cd "$WORK/old/bench" && go test -c -o "$WORK/bin/old.test" ./pii/)
[ -f "$WORK/corpus/sparse.txt" ] || "$WORK/bin/gencorpus" -out "$WORK/corpus" -sparse-mib 80 -dense-mib 4
ls -l "$WORK/corpus/" | tee -a "$OUT/meta.txt"
sha256sum "$WORK/corpus/sparse.txt" | tee -a "$OUT/meta.txt"

run() { # name binary bench benchtime
	echo "load $(cut -d' ' -f1 /proc/loadavg)" >> "$OUT/load.txt"
	(cd "$WORK" && PIIBENCH_DIR="$WORK/corpus" GOMAXPROCS=1 "$2" -test.run '^$' -test.bench "^Benchmark$3\$/^corpus=sparse\$" \
		-test.benchtime "$4" -test.count 1) | grep '^Benchmark' | sed "s|^Benchmark[A-Za-z]*/corpus=sparse|$1|" | tee -a "$OUT/bench.txt"
}
: > "$OUT/bench.txt"
for i in $(seq "$PAIRS"); do
	run new "$WORK/bin/new.test" Scruple 5x
	run naive "$WORK/bin/new.test" Naive 1x
	run old "$WORK/bin/old.test" Scruple 5x
done
summary "$OUT/bench.txt" | tee "$OUT/summary.txt"
echo "uptime after	$(uptime)" | tee -a "$OUT/meta.txt"
echo "results in $OUT"
