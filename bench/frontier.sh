#!/usr/bin/env bash
# Frontier memory: does scruple's peak RSS stay flat while its frontier grows
# past a million URLs? (see BENCHMARKS.md)
#
# Starts bench/cmd/widesite on 127.0.0.2 (every page links to LINKS unique
# URLs; every page's text is its own, so the crawler's novelty guard does not
# take the site for a trap) and runs `scruple crawl --max-pages PAGES` under /usr/bin/time -v, so
# that about PAGES x LINKS URLs are discovered into the frontier. Reports peak
# RSS, the URLs discovered (counted by the server: distinct link targets of the
# pages it served) and scruple's own frontier figures (recorded + still
# queued, from its summary). Raw results go to bench/results/frontier-DATE/.
#
#   bench/frontier.sh
#   PAGES=2100 bench/frontier.sh      # about 2.1 million URLs
#   SCRUPLE_REF=worktree bench/frontier.sh
#
# scruple is built from a `git archive` of SCRUPLE_REF (default HEAD).
#
# All traffic stays on 127.0.0.0/8.
set -euo pipefail

SCRUPLE_REF=${SCRUPLE_REF:-HEAD}

PAGES=${PAGES:-1100}
LINKS=${LINKS:-1000}
P=${P:-8}
C=${C:-8}
ADDR=${ADDR:-127.0.0.2:0}
RSS_TARGET_MB=${RSS_TARGET_MB:-300}

case "$ADDR" in 127.*) ;; *) echo "ADDR must be in 127.0.0.0/8" >&2; exit 2 ;; esac
[ -x /usr/bin/time ] || { echo "need /usr/bin/time (GNU time)" >&2; exit 2; }

BENCH=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
OUT=${OUT:-$BENCH/results/frontier-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/scruple-frontierbench.XXXXXX")
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

echo "== building into $WORK/bin (scruple at $SCRUPLE_REF)"
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
(cd "$SRC" && go build -o "$WORK/bin/scruple" ./cmd/scruple)
(cd "$BENCH" && go build -o "$WORK/bin/widesite" ./cmd/widesite)

"$WORK/bin/widesite" -addr "$ADDR" -links "$LINKS" >"$OUT/widesite.out" 2>"$OUT/widesite.err" &
SERVER_PID=$!
for _ in $(seq 100); do
	grep -qx ready "$OUT/widesite.out" 2>/dev/null && break
	kill -0 "$SERVER_PID" 2>/dev/null || { cat "$OUT/widesite.err" >&2; exit 1; }
	sleep 0.1
done
HOSTPORT=$(awk '$1 == "addr" {print $2}' "$OUT/widesite.out")
case "$HOSTPORT" in 127.*) ;; *) echo "widesite did not start" >&2; exit 1 ;; esac
SEED="http://$HOSTPORT/"

{
	echo "date	$(date -Is)"
	echo "host	$(uname -srm), $(nproc) cores"
	echo "go	$(go version)"
	echo "scruple	$("$WORK/bin/scruple" --version | head -1) commit $SCRUPLE_COMMIT"
	echo "settings	--max-pages $PAGES --per-host $P --concurrency $C --delay 0, $LINKS links per page, seed $SEED"
	echo "uptime	$(uptime)"
} | tee "$OUT/meta.txt"

DATA=$WORK/data
echo "== crawling"
/usr/bin/time -v -o "$OUT/scruple.time" "$WORK/bin/scruple" crawl --data "$DATA" --allow-cidr 127.0.0.0/8 \
	--max-pages "$PAGES" --delay 0 --per-host "$P" --concurrency "$C" --quiet "$SEED" \
	>"$OUT/scruple.out" 2>"$OUT/scruple.err" || { echo "scruple failed:"; cat "$OUT/scruple.err"; exit 1; }
curl -sf --max-time 10 "http://$HOSTPORT/__stats" >"$OUT/server-stats.json"
du -sk "$DATA" >"$OUT/datadir.txt"
ls -l "$DATA" >>"$OUT/datadir.txt"

wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; print s}' "$OUT/scruple.time")
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$OUT/scruple.time")
cpu=$(awk -F': ' '/User time/ {u = $2} /System time/ {s = $2} END {print u + s}' "$OUT/scruple.time")
hrefs=$(grep -o '"hrefs":[0-9]*' "$OUT/server-stats.json" | cut -d: -f2)
served_pages=$(grep -o '"pages":[0-9]*' "$OUT/server-stats.json" | cut -d: -f2)
requests=$(grep -o '"requests":[0-9]*' "$OUT/server-stats.json" | cut -d: -f2)
recorded=$(sed -n 's/.*: \([0-9]*\) URLs recorded.*/\1/p' "$OUT/scruple.out" | head -1)
queued=$(sed -n 's/.*, \([0-9]*\) still queued.*/\1/p' "$OUT/scruple.out" | head -1)
data_kb=$(awk 'NR == 1 {print $1}' "$OUT/datadir.txt")
rss_mb=$(awk -v k="$rss_kb" 'BEGIN {printf "%.1f", k / 1024}')

{
	echo "uptime after	$(uptime)"
	echo "scruple says	$(head -1 "$OUT/scruple.out")"
	echo "records	$(grep -m1 ' records: ' "$OUT/scruple.out" || true)"
	echo "server	requests $requests, distinct pages served $served_pages, distinct URLs linked from them $hrefs"
	echo "frontier	scruple recorded $recorded + still queued $queued = $((recorded + queued)) URLs"
	echo "wall	${wall}s, CPU ${cpu}s"
	echo "peak RSS	${rss_mb} MB (target <= $RSS_TARGET_MB MB)"
	echo "data dir	$((data_kb / 1024)) MB"
} | tee "$OUT/summary.txt"
if awk -v r="$rss_mb" -v t="$RSS_TARGET_MB" 'BEGIN {exit !(r > t)}'; then
	echo "peak RSS above target" | tee -a "$OUT/summary.txt"
fi
# A crawl that a trap guard cut short measures a small frontier, not this one.
if [ "$served_pages" -lt $((PAGES * 9 / 10)) ]; then
	echo "only $served_pages pages served for --max-pages $PAGES: see the trap records (scruple.out)" | tee -a "$OUT/summary.txt"
fi
# Committed raw results name the temp dir $TMPDIR/ and the checkout ./ (no absolute paths).
sed -i -e "s|$WORK/|\$TMPDIR/scruple-frontierbench.XXXXXX/|g" -e "s|$ROOT/|./|g" "$OUT"/*
echo "raw results: $OUT"
