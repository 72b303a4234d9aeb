#!/usr/bin/env bash
# The cost of archiving: `scruple crawl` without and with --warc, side by side
# (see BENCHMARKS.md, "WARC archiving").
#
# Builds testweb and scruple from a `git archive` of SCRUPLE_REF (default HEAD),
# starts one synthetic web (testweb BenchSpec, HOSTS x PAGES pages on
# 127.0.0.2, ...) and crawls it alternately without and with --warc (plain,
# warc, plain, warc, ...) PAIRS times with the same settings, each under
# /usr/bin/time -v, each into a fresh data directory. Records pages/s (the
# crawler's own count of URLs recorded / wall time), CPU, RSS, the data
# directory's size and the WARC directory's size. Raw results go to
# bench/warc/results/warc-DATE/; the summary (medians and the median of the
# per-pair ratios) is printed and kept there.
#
#   bench/warc.sh                        # HOSTS=10 PAGES=600 P=4 C=32 PAIRS=6
#
# All traffic stays on 127.0.0.0/8.
set -euo pipefail

SCRUPLE_REF=${SCRUPLE_REF:-HEAD}
P=${P:-4}
C=${C:-32}
PAIRS=${PAIRS:-6}
HOSTS=${HOSTS:-10}
PAGES=${PAGES:-600}
FIRST_IP=${FIRST_IP:-127.0.0.2}
WAIT_LOAD=${WAIT_LOAD:-1}       # wait for a 1-min load < LOAD_MAX before starting
LOAD_MAX=${LOAD_MAX:-1.0}
LOAD_WAIT_MAX=${LOAD_WAIT_MAX:-900}
case "$FIRST_IP" in 127.*) ;; *) echo "FIRST_IP must be in 127.0.0.0/8" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "need /usr/bin/time (GNU time)" >&2; exit 2; }

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
STAMP=$(date +%Y%m%d-%H%M%S)
OUT=${OUT:-$BENCH/results/warc-$STAMP}
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scruple-warcbench.XXXXXX")
SERVER_PID=
cleanup() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill "$SERVER_PID" 2>/dev/null || true
		wait "$SERVER_PID" 2>/dev/null || true
	fi
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

SRC=$WORK/src
mkdir -p "$SRC" "$WORK/bin"
git -C "$ROOT" archive "$SCRUPLE_REF" | tar -x -C "$SRC"
COMMIT=$(git -C "$ROOT" rev-parse --short "$SCRUPLE_REF")
(cd "$SRC" && go build -o "$WORK/bin/testweb" ./internal/testweb/cmd/testweb && go build -o "$WORK/bin/scruple" ./cmd/scruple)

"$WORK/bin/testweb" -hosts "$HOSTS" -pages "$PAGES" -first-ip "$FIRST_IP" >"$OUT/testweb.out" 2>"$OUT/testweb.err" &
SERVER_PID=$!
for _ in $(seq 600); do
	grep -qx ready "$OUT/testweb.out" 2>/dev/null && break
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/testweb.err" >&2; exit 1; }
	sleep 0.1
done
SEEDS=$(awk '$1 == "seed" {print $2}' "$OUT/testweb.out")
for s in $SEEDS; do case "$s" in http://127.*) ;; *) echo "seed $s is not on 127.0.0.0/8" >&2; exit 1 ;; esac; done

load1() { cut -d' ' -f1 /proc/loadavg; }
if [ "$WAIT_LOAD" = 1 ]; then
	waited=0
	while awk -v l="$(load1)" -v m="$LOAD_MAX" 'BEGIN {exit !(l >= m)}'; do
		if [ "$waited" -ge "$LOAD_WAIT_MAX" ]; then
			echo "== load still $(load1) after ${waited}s; measuring anyway (see uptime in meta.txt)"
			break
		fi
		echo "== 1-min load $(load1) >= $LOAD_MAX, waiting ($waited s)"
		sleep 20
		waited=$((waited + 20))
	done
fi

{
	echo "date	$(date -Is)"
	echo "host	$(uname -srm), $(nproc) cores (shared with other engineers' work: see uptime)"
	echo "go	$(go version)"
	echo "scruple	commit $COMMIT"
	echo "corpus	$HOSTS hosts x $PAGES pages (testweb BenchSpec)"
	echo "settings	per-host $P, total $C, delay 0, --no-sitemaps, pairs $PAIRS, order plain then warc in each pair"
	echo "uptime	$(uptime)"
} | tee "$OUT/meta.txt"

RUNS=$OUT/runs.tsv
printf 'pair\tmode\twall_s\tcpu_s\trss_kb\turls\tdata_kb\twarc_kb\n' >"$RUNS"
wall_s() { awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$1"; }
cpu_s() { awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$1"; }
rss_kb() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }

run_one() { # pair mode
	local pair=$1 mode=$2 tag="$2-$1" data="$WORK/data" extra=""
	rm -rf "$data"
	[ "$mode" = warc ] && extra="--warc"
	/usr/bin/time -v -o "$OUT/$tag.time" "$WORK/bin/scruple" crawl --data "$data" $extra \
		--allow-cidr 127.0.0.0/8 --delay 0 --per-host "$P" --concurrency "$C" \
		--no-sitemaps --quiet $SEEDS >"$OUT/$tag.out" 2>"$OUT/$tag.err"
	local urls data_kb warc_kb=0
	urls=$(awk '/URLs recorded/ {for (i = 1; i <= NF; i++) if ($i == "URLs") print $(i - 1)}' "$OUT/$tag.out" | head -1)
	data_kb=$(du -sk "$data" | cut -f1)
	[ -d "$data/warc" ] && warc_kb=$(du -sk "$data/warc" | cut -f1)
	ls -l "$data" "$data/warc" 2>/dev/null >"$OUT/$tag.ls" || true
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$pair" "$mode" "$(wall_s "$OUT/$tag.time")" "$(cpu_s "$OUT/$tag.time")" \
		"$(rss_kb "$OUT/$tag.time")" "$urls" "$data_kb" "$warc_kb" | tee -a "$RUNS"
	rm -rf "$data"
}

for pair in $(seq "$PAIRS"); do
	run_one "$pair" plain
	run_one "$pair" warc
done
echo "uptime after	$(uptime)" | tee -a "$OUT/meta.txt"

# Medians per mode, and the median of the per-pair ratios (warc / plain).
awk -F'\t' '
function median(a, n,   i, j, t) {
	for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
NR > 1 {
	rate = $6 / $3
	if ($2 == "plain") { np++; pr[np] = rate; pc[np] = $4; pd[np] = $7; P[$1] = rate; PC[$1] = $4 }
	else { nw++; wr[nw] = rate; wc[nw] = $4; wd[nw] = $7; ww[nw] = $8; W[$1] = rate; WC[$1] = $4 }
}
END {
	for (p in P) if (p in W) { n++; ratio[n] = W[p] / P[p]; cr[n] = WC[p] / PC[p] }
	printf "plain: median %.1f URLs/s, CPU %.2f s, data dir %d KB\n", median(pr, np), median(pc, np), median(pd, np)
	printf "warc:  median %.1f URLs/s, CPU %.2f s, data dir %d KB of which WARC %d KB\n", median(wr, nw), median(wc, nw), median(wd, nw), median(ww, nw)
	printf "median of pair ratios (warc/plain): throughput %.3f (%.1f %% slower), CPU %.3f; %d pairs\n", median(ratio, n), (1 - median(ratio, n)) * 100, median(cr, n), n
}' "$RUNS" | tee "$OUT/summary.txt"
echo "raw results: $OUT"
